"""The recogniser's cues, loaded from ``cues.toml`` (the format is documented at the top of that file)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.model import NodeKind, normalize_ws
from ontology.node_types import HEADED_ELEMENTS, THEMATIC

CUES_FILE = Path(__file__).with_name("cues.toml")


def fold(text: str) -> str:
    """Lower case, whitespace collapsed: the form cue words are matched in."""
    return normalize_ws(text).casefold()


@lru_cache(maxsize=4096)
def _word_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + r"\s+".join(re.escape(p) for p in phrase.split()) + r"(?![\w-])")


def has_phrase(folded: str, phrase: str) -> bool:
    """Whether the folded ``phrase`` occurs in ``folded`` as whole words."""
    return _word_pattern(phrase).search(folded) is not None


def find_phrase(folded: str, phrases: tuple[str, ...]) -> str | None:
    """The longest of ``phrases`` that occurs in ``folded`` as whole words."""
    found = [p for p in phrases if has_phrase(folded, p)]
    return max(found, key=len) if found else None


@dataclass(frozen=True)
class ClassCue:
    """What names one ontology class, and how its nodes are keyed."""

    kind: NodeKind
    key: str
    words: tuple[str, ...] = ()
    plural: tuple[str, ...] = ()
    definite: tuple[str, ...] = ()
    key_words: dict[str, str] = field(default_factory=dict)
    single: bool = False
    numbered: str = "always"
    container: bool = False
    """Whether the class's nodes are named by a heading and hold the nodes under it (from the ontology:
    :data:`~ontology.node_types.HEADED_ELEMENTS`)."""
    document_level: bool = False
    questions: tuple[str, ...] = ()

    def key_for(self, word: str | None) -> str:
        return self.key_words.get(word or "", self.key)


@dataclass(frozen=True)
class Cues:
    """All cues of one cue file."""

    classes: dict[NodeKind, ClassCue]
    possessive: tuple[str, ...]
    section: tuple[str, ...]
    toc: tuple[str, ...]
    colophon: tuple[str, ...]
    numbers: dict[str, int]
    announcement_gap: int
    statement_lead_ins: tuple[str, ...]
    activity_lead_ins: tuple[str, ...]
    qualifier: re.Pattern[str]
    label_strip: tuple[str, ...]
    related_headings: dict[str, str]
    related_words: tuple[str, ...]
    related_markers: tuple[str, ...]
    motto_emphasis: bool
    motto_endings: tuple[str, ...]
    motto_max_words: int
    theme_leads: tuple[str, ...]
    theme_joiners: tuple[str, ...]
    theme_connectors: tuple[str, ...]
    type_number: re.Pattern[str]
    type_title: re.Pattern[str]
    issuer: re.Pattern[str]
    issuer_municipality: str
    issuer_region: str
    not_a_name: tuple[str, ...]

    def cue(self, kind: NodeKind) -> ClassCue:
        return self.classes[kind]

    def container_classes(self) -> list[ClassCue]:
        """The classes a heading, a plural or a lead-in can name: the thematic elements (not Section)."""
        return [c for c in self.classes.values() if c.kind in THEMATIC]


def _folded(values: list[str]) -> tuple[str, ...]:
    return tuple(fold(v) for v in values)


def parse_cues(data: dict[str, Any]) -> Cues:
    """Cues from the parsed TOML of a cue file."""
    raw_classes = data["class"]
    assert isinstance(raw_classes, dict)
    classes: dict[NodeKind, ClassCue] = {}
    for name, spec in raw_classes.items():
        kind = NodeKind(name)
        classes[kind] = ClassCue(
            kind=kind, key=spec["key"], words=_folded(spec.get("words", [])), plural=_folded(spec.get("plural", [])),
            definite=_folded(spec.get("definite", [])),
            key_words={fold(k): v for k, v in spec.get("key_words", {}).items()},
            single=bool(spec.get("single", False)), numbered=spec.get("numbered", "always"),
            container=kind in HEADED_ELEMENTS, document_level=bool(spec.get("document_level", False)),
            questions=_folded(spec.get("questions", [])))
    words: dict[str, Any] = data["words"]
    lead_ins: dict[str, Any] = data["lead_ins"]
    related: dict[str, Any] = data["related"]
    motto: dict[str, Any] = data["motto"]
    themes: dict[str, Any] = data["themes"]
    patterns: dict[str, Any] = data["patterns"]
    announcement: dict[str, Any] = data["announcement"]
    return Cues(
        classes=classes, possessive=_folded(words["possessive"]), section=_folded(words["section"]),
        toc=_folded(words["toc"]), colophon=_folded(words["colophon"]),
        numbers={fold(k): int(v) for k, v in words["numbers"].items()},
        announcement_gap=int(announcement["gap"]),
        statement_lead_ins=_folded(lead_ins["statements"]), activity_lead_ins=_folded(lead_ins["activities"]),
        qualifier=re.compile(patterns["qualifier"]), label_strip=_folded(lead_ins["label_strip"]),
        related_headings={fold(k): v for k, v in related["headings"].items()},
        related_words=_folded(related["lead_in_words"]), related_markers=_folded(related["lead_in_markers"]),
        motto_emphasis=bool(motto["emphasis"]), motto_endings=tuple(motto["endings"]),
        motto_max_words=int(motto["max_words"]),
        theme_leads=_folded(themes["lead"]), theme_joiners=_folded(themes["joiners"]),
        theme_connectors=_folded(themes["connectors"]),
        type_number=re.compile(patterns["type_number"]), type_title=re.compile(patterns["type_title"]), issuer=re.compile(patterns["issuer"]),
        issuer_municipality=patterns["issuer_municipality"], issuer_region=patterns["issuer_region"],
        not_a_name=_folded(words["not_a_name"]))


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_FILE) -> Cues:
    """The cues of ``path`` (default: the bundled ``cues.toml``), parsed once."""
    with path.open("rb") as fh:
        return parse_cues(tomllib.load(fh))
