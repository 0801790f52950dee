"""A trace kept as text (`sandbox/kept_trace.py`): answers go in as the JSON
text sent, the entries read back as they were, and the oldest are let go past
a number of entries or of characters (a Kubernetes list answer of 10 MB kept
two thousand times had the sandbox at gigabytes, and too slow to answer)."""

from __future__ import annotations

import json

from envfactory_runtime.sandbox.kept_trace import KeptTrace, Sent, text_of


def test_an_answer_is_spliced_in_as_sent_and_reads_back_as_its_value() -> None:
    sent = json.dumps({"items": [{"name": "web", "ratio": 0.5}], "more": None})
    entry = {"operation": "listDeployments", "status": 200, "response": Sent(sent)}
    assert json.loads(text_of(entry)) == {**entry, "response": json.loads(sent)}
    only = json.loads(text_of({"response": Sent("[1, 2]")}))
    assert only == {"response": [1, 2]}
    plain = {"operation": "getReadme", "response": "# Title", "body": b"raw"}
    assert json.loads(text_of(plain)) == {**plain, "body": "b'raw'"}


def test_the_oldest_entries_go_past_either_limit() -> None:
    by_count = KeptTrace(limit=2, limit_bytes=10**6)
    for seq in range(1, 5):
        by_count.append(text_of({"seq": seq}))
    assert [e["seq"] for e in by_count.entries()] == [3, 4]
    assert by_count.dropped == 2
    by_size = KeptTrace(limit=100, limit_bytes=50)
    for seq in range(1, 4):
        by_size.append(text_of({"seq": seq, "response": Sent(json.dumps("x" * 20))}))
    assert [e["seq"] for e in by_size.entries()] == [3]  # 43 characters each
    assert by_size.dropped == 2
    by_size.append(text_of({"seq": 4, "response": Sent(json.dumps("x" * 80))}))
    assert [e["seq"] for e in by_size.entries()] == [4]  # the newest is kept
    assert len(by_size) == 1
