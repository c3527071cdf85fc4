"""Helpers shared by the layout parsers: lines with their offsets, markers stripped by offset."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.model import Segment


@dataclass(frozen=True)
class Line:
    """One line of the source with its 1-based number and its character offsets (newline excluded)."""

    number: int
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    def span(self, pattern: str | re.Pattern[str] | None = None) -> Segment:
        """Offsets of the line's content; with ``pattern``, of its first group (or whole match)."""
        if pattern is None:
            lead = len(self.text) - len(self.text.lstrip())
            trail = len(self.text) - len(self.text.rstrip())
            return (self.start + lead, self.end - trail)
        m = re.search(pattern, self.text)
        if m is None:
            raise ValueError(f"line {self.number} does not match {pattern!r}")
        g = 1 if m.groups() else 0
        return (self.start + m.start(g), self.start + m.end(g))


def lines_of(text: str) -> list[Line]:
    """Split ``text`` into lines keeping absolute offsets (handles \\n and \\r\\n)."""
    out: list[Line] = []
    pos = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        body = raw[:-1] if raw.endswith("\r") else raw
        out.append(Line(number=number, start=pos, end=pos + len(body), text=body))
        pos += len(raw) + 1
    return out


def iter_matches(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    yield from pattern.finditer(text, start, len(text) if end is None else end)


def line_of_offset(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Runs of non-blank lines, in order (blank lines separate paragraphs)."""
    out: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.blank:
            if current:
                out.append(current)
                current = []
        else:
            current.append(line)
    if current:
        out.append(current)
    return out
