"""The words of a Danish text, and their stems: the one tokeniser and the one stemmer of the project.

A word is a run of letters and digits of any script (æ, ø, å, ä, ö, é, ü …), with combining diacritics kept
inside it so that a decomposed (NFD) "å" does not split its word; punctuation, hyphens, underscores and
white space separate words ("netværks-" and "inddragelse" are two). Words are compared NFC-normalised and
lower-cased. Stems are PyStemmer's Danish Snowball stems.

The keyword index (:mod:`ingest.index.lexical`), the topic tagger, the graph builder's matching of followed-up
focus areas and the search's highlighting all read words through this module, so a word is the same word
everywhere.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

import Stemmer

__all__ = ["JOINED_WORD", "WORD", "normalise", "stem", "word_spans", "words"]

WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
"""One word: letters/digits (``\\w`` without ``_``), plus combining diacritics (U+0300-U+036F)."""

JOINED_WORD = re.compile(rf"{WORD.pattern}(?:['’\-–]{WORD.pattern})*['’]?")
"""Words joined by a hyphen, dash or apostrophe, read as one token where a reader needs the whole: an id
("slagelse-2024-2030"), a period ("2014-2019"), a genitive ("Aarhus'", "Slagelse's"). Question understanding
(:mod:`service.question`) reads questions this way; indexing and matching read :data:`WORD`s."""

_local = threading.local()


def normalise(word: str) -> str:
    """The form words are compared in: NFC, lower case."""
    return unicodedata.normalize("NFC", word).lower()


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` for each word in ``text``, the word normalised (:func:`normalise`); stopwords
    included; offsets index ``text`` itself."""
    return [(m.start(), m.end(), normalise(m.group())) for m in WORD.finditer(text)]


def words(text: str) -> list[str]:
    """The normalised words of ``text`` in order (stopwords included)."""
    return [normalise(m.group()) for m in WORD.finditer(text)]


def _stemmer() -> Any:
    st = getattr(_local, "stemmer", None)
    if st is None:  # a PyStemmer stemmer is not safe to share between threads
        st = Stemmer.Stemmer("danish")
        _local.stemmer = st
    return st


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Danish Snowball stem of a normalised word."""
    return str(_stemmer().stemWord(word))
