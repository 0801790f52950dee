"""A spec's prose as plain text.

Descriptions are HTML as often as Markdown (AWS writes `<p>Adds tags to a
<code>Certificate</code>.</p>`); a tool's description and a task's wording
are read by a model and a person, who should see the words, not the markup.
"""

from __future__ import annotations

import html
import re

# HTML's own elements (and AWS's `<note>`, `<fullname>`), never `List<String>`
_TAG = re.compile(
    r"</?(?:a|b|i|u|em|strong|code|pre|p|div|span|br|hr|img|ul|ol|li|dl|dt|dd|h[1-6]"
    r"|table|thead|tbody|tr|td|th|sup|sub|blockquote|note|important|fullname)"
    r"\b[^<>]*>",
    re.I,
)
_BLOCK = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|note|important|pre)\b[^<>]*>", re.I
)
_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")
_EMPHASIS = re.compile(r"(\*\*|__|`)(?=\S)(.+?)(?<=\S)\1")


# AWS's admonitions: "<important>The UntagLogGroup operation is on the path to
# deprecation...</important>" says nothing of what the operation does
_ASIDE = re.compile(r"<(note|important)\b[^<>]*>.*?</\1>", re.I | re.S)


def plain(text: str, *, asides: bool = True) -> str:
    """`text` without HTML tags, entities or Markdown links and emphasis,
    its blocks kept apart by line breaks; without its `<note>`s and
    `<important>`s too, unless `asides`."""
    text = str(text or "") if asides else _ASIDE.sub("\n", str(text or ""))
    text = _BLOCK.sub("\n", text)
    text = _TAG.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = html.unescape(text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
