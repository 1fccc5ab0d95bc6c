"""Inline markup `[[surface|LABEL]]`: how the project's hand-written gold (check set, domain corpus) is typed.

Stripping the marks gives the text and the spans' offsets by construction, so they are exact.
"""

from __future__ import annotations

import re

MARK = re.compile(r"\[\[([^\[\]|\n]+)\|(ORG|LOC|PROGRAM)\]\]")


def strip_markup(marked: str) -> tuple[str, list[dict]]:
    """The plain text of a marked-up text and its spans ({start, end, label}) as offsets into that text."""
    parts: list[str] = []
    spans: list[dict] = []
    pos = length = 0
    for m in MARK.finditer(marked):
        before = marked[pos:m.start()]
        surface, label = m.group(1), m.group(2)
        parts += [before, surface]
        spans.append({"start": length + len(before), "end": length + len(before) + len(surface), "label": label})
        length += len(before) + len(surface)
        pos = m.end()
    parts.append(marked[pos:])
    return "".join(parts), spans
