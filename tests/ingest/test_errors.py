"""ingest/errors.py: every error names where it happened, each kind carries its own exit code, and a read error
carries a stable reason key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import errors
from ingest.errors import (
    REASONS,
    BuildError,
    DuplicateDocumentError,
    IngestError,
    ManifestError,
    MetadataError,
    ParseError,
    ReadError,
    SourceError,
    ValidationError,
)

KINDS = [IngestError, ManifestError, SourceError, ReadError, ParseError, ValidationError, BuildError,
         DuplicateDocumentError, MetadataError]


def test_the_message_starts_with_the_file_and_line() -> None:
    error = ManifestError("entry 2 has no id", file=Path("corpora/manifest.toml"), line=14)
    assert str(error) == "corpora/manifest.toml:14: entry 2 has no id"
    assert error.file == "corpora/manifest.toml" and error.line == 14


def test_a_file_without_a_line_and_no_file_at_all() -> None:
    assert str(ParseError("no text found", file="a.pdf")) == "a.pdf: no text found"
    assert str(BuildError("no build")) == "no build"
    assert BuildError("no build").file is None


def test_every_error_of_the_module_is_listed_here() -> None:
    """So that the exit-code test below sees a new kind of error."""
    declared = {obj for obj in vars(errors).values() if isinstance(obj, type) and issubclass(obj, IngestError)}
    assert declared == set(KINDS)


def test_each_kind_has_its_own_exit_code_except_a_read_error_which_is_a_source_error() -> None:
    codes = {kind: kind.exit_code for kind in KINDS if kind is not ReadError}
    assert len(set(codes.values())) == len(codes), codes
    assert ReadError.exit_code == SourceError.exit_code == 4
    assert all(code not in (0, 1, 130) for code in codes.values())  # ok, an unexpected crash, interrupted


@pytest.mark.parametrize("reason", sorted(REASONS))
def test_a_read_error_keeps_its_reason(reason: str) -> None:
    error = ReadError("cannot read", reason=reason, file="x.docx")
    assert error.reason == reason and isinstance(error, SourceError)
    assert str(error) == "x.docx: cannot read"


def test_an_unknown_read_error_reason_is_refused() -> None:
    with pytest.raises(ValueError, match="'too-big'"):
        ReadError("cannot read", reason="too-big")


def test_a_duplicate_names_the_entry_it_duplicates() -> None:
    error = DuplicateDocumentError("already in the corpus as faxe-strategi", existing="faxe-strategi", file="f.pdf")
    assert error.existing == "faxe-strategi" and error.exit_code == 8
    assert str(error).startswith("f.pdf: ")
