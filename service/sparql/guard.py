"""The guard: what a query is, and refusing updates and federated queries before anything runs.

Everything here works on the query's tokens (SPARQL 1.1 grammar, §19.8): comments, strings, IRIs and
variable names are blanked first, so a keyword is found only where the parser would read it as one.
"""

from __future__ import annotations

import re
from enum import StrEnum

from service.sparql.errors import SparqlError, read_only_refusal


class QueryForm(StrEnum):
    """The four query forms; SELECT and ASK answer with result sets, CONSTRUCT and DESCRIBE with graphs."""

    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"


UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

_ESC = r"\\(?:[tbnrf\\\"']|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})"
_UCHAR = r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})"
# The lexical units whose content is not SPARQL syntax (SPARQL 1.1 grammar, §19.8): comments, the four
# string forms, IRI references and variables. Everything else in a query is keywords and punctuation.
_TOKEN = re.compile(
    r"(?P<comment>\#[^\n\r]*)"
    rf"|(?P<string>'''(?:(?:''?)?(?:[^'\\]|{_ESC}))*'''"
    rf'|"""(?:(?:""?)?(?:[^"\\]|{_ESC}))*"""'
    rf"|'(?:[^'\\\n\r]|{_ESC})*'"
    rf'|"(?:[^"\\\n\r]|{_ESC})*")'
    rf"|(?P<iri><(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)"
    r"|(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)"
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile(r"service", re.IGNORECASE)
_PROLOGUE = re.compile(r"\A\s*(?:(?:BASE\s*<>|PREFIX\s*[^\s<]*\s*<>)\s*)*([A-Za-z]*)", re.IGNORECASE)


def code_view(text: str) -> str:
    """The query with comments blanked and strings, IRIs and variables replaced by placeholders.

    What is left is exactly the part of the query that keywords can appear in.
    """
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        out.append(text[pos:match.start()])
        kind = match.lastgroup
        out.append(" " if kind == "comment" else '""' if kind == "string" else "<>" if kind == "iri" else "?v")
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _unescape_codepoints(text: str) -> str:
    """SPARQL §19.2: ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes may be expanded before parsing."""
    def repl(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)
    return _CODEPOINT.sub(repl, text)


def is_federated(text: str) -> bool:
    """Whether the query may contain a ``SERVICE`` clause.

    Oxigraph's parser matches the keyword without a word boundary (``SERVICE<x>``, ``SERVICEp:x`` and
    ``1SERVICE<x>`` are all service calls), so this is deliberately conservative: any ``service`` outside
    strings, IRIs, comments and variable names counts, in the text as written and after expanding
    codepoint escapes.
    """
    return any(_SERVICE.search(code_view(view)) for view in (text, _unescape_codepoints(text)))


def leading_keyword(text: str) -> str:
    """The first word after the prologue (BASE / PREFIX declarations), upper-cased; '' when there is none."""
    match = _PROLOGUE.match(code_view(text))
    return (match.group(1) if match else "").upper()


def inspect_query(text: str) -> QueryForm | None:
    """The query form; refuses updates (403) and federated queries (403) before anything is evaluated.

    None when the text starts with no known keyword: it is not a query, and the parser will say why.
    """
    word = leading_keyword(text)
    for keyword in UPDATE_KEYWORDS:
        if word.startswith(keyword):
            raise read_only_refusal(f"SPARQL Update ({keyword}) is not accepted")
    if is_federated(text):
        raise SparqlError(403, "Federated query refused",
                          "federated queries (SERVICE) are not allowed: this endpoint never contacts other "
                          "services; query the Strategigraf data only (the word SERVICE may appear only in "
                          "strings, IRIs, comments and variable names)", "federation-refused")
    for form in QueryForm:
        if word.startswith(form.value):
            return form
    return None
