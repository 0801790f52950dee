"""AgentFlow's metrics, pass^k, QA synthesis and the LLM client's timeout."""

from __future__ import annotations

import time

import pytest

from fake_llm import ScriptedLLM
from envfactory_runtime import llm as llm_access
from envfactory_runtime.tasks import metrics
from task_helpers import PETSTORE, runtime


@pytest.fixture(scope="module")
def package():
    return runtime(PETSTORE)


def test_metrics(package) -> None:
    m = metrics
    assert m.exact_match("The Answer!", ["answer"]) == 1.0
    assert m.exact_match("answer 42", ["answer"]) == 0.0
    assert m.f1_score("the id is 42", ["42"]) == pytest.approx(
        2 * (1 / 3) * 1 / (1 / 3 + 1)
    )
    assert m.contains_answer(
        "status: sold; id: 7", ["sold", "7", "lost"]
    ) == pytest.approx(0.6667)
    assert m.numeric_match("it costs 12.50 dollars", ["12.5"]) == 1.0
    assert m.numeric_match("it costs 13", ["12.5"]) == 0.0
    assert m.similarity("pending", ["pending"]) == 1.0
    assert m.llm_judgement("x", ["x"]) is None  # offline


def test_evaluator_means_and_unknown_metric(package) -> None:
    evaluator = package.Evaluator(("exact_match", "contains_answer"))
    result = evaluator.evaluate(
        [{"prediction": "7", "answers": ["7"]}, {"prediction": "8", "answers": ["7"]}]
    )
    assert result["means"] == {"exact_match": 0.5, "contains_answer": 0.5}
    with pytest.raises(ValueError, match="unknown metric"):
        package.Evaluator(("bleu",))


def test_pass_hat_k(package) -> None:
    trials = {"a": [True, True, True, True], "b": [True, False, True, False]}
    assert package.pass_hat_k(trials, 1) == 0.75
    assert package.pass_hat_k(trials, 2) == pytest.approx((1 + 1 / 6) / 2, abs=1e-4)
    assert package.pass_hat_k(trials, 4) == 0.5


def test_qa_pairs_need_the_multi_hop_chain(package) -> None:
    builder = package.make_builder()
    generator = package.make_generator(builder, seed=0)
    blueprints = generator.generate(50).accepted
    pairs = package.synthesize_qa(blueprints, builder)
    assert pairs
    by_id = {b.id: b for b in blueprints}
    for pair in pairs:
        blueprint = by_id[pair["blueprint"]]
        assert pair["hops"] >= 2 and len(pair["operations"]) >= 2
        assert pair["answer"] not in blueprint.given  # not something the user said
        assert (
            pair["question"].endswith("?")
            and "After that, what is the" in pair["question"]
        )


def test_llm_requests_time_out(package) -> None:
    def slow(request: dict) -> dict:
        time.sleep(5)
        return {"content": "late"}

    llm_access._litellm()  # imported once (seconds), not timed
    with ScriptedLLM(slow) as server:
        llm = package.LLM(
            model="openai/slow",
            base_url=server.base_url,
            api_key="sk-dummy",
            timeout=0.3,
            retries=0,
        )
        started = time.monotonic()
        with pytest.raises(package.LLMError):
            llm.chat([{"role": "user", "content": "hi"}])
        assert time.monotonic() - started < 3  # one 0.3 s attempt, not a 5 s wait


def test_no_llm_configured_means_offline(package, monkeypatch) -> None:
    monkeypatch.delenv("LLM_MODEL", raising=False)
    assert package.LLM.from_env() is None
    assert package.LLM.from_env({"LLM_MODEL": "openai/x", "MOCK_LLM": "true"}) is None
    llm = package.LLM.from_env(
        {
            "LLM_MODEL": "openai/x",
            "OPENAI_BASE_URL": "http://127.0.0.1:1/v1",
            "LLM_REQUEST_TIMEOUT_SEC": "7",
        }
    )
    assert (llm.model, llm.base_url, llm.timeout) == (
        "openai/x",
        "http://127.0.0.1:1/v1",
        7.0,
    )
