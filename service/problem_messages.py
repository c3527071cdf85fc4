"""Danish wording of problem details, for people: a title per kind of problem (or HTTP status), a detail per
kind and stable code, and the validation errors of request parameters.

The service's problem details are English for API clients (the contract documented in OpenAPI). A browser (an
HTML error page) and a client that prefers Danish (Accept-Language: da) get the Danish wording made here. The
domain errors carry an English message and, through :class:`~service.problems.Problem`, a *kind*; where one kind
covers several messages (``invalid-parameters``), the message's shape names its stable *code* below. A message
this table does not know is never lost: it is shown under a Danish heading as the technical detail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Wording:
    """What a person reads about one problem."""

    title: str
    detail: str
    code: str | None = None
    """Stable code of the message within its kind (``year-range``, ``same-document`` …), when recognised."""
    technical: str | None = None
    """The original message, when the Danish detail cannot carry what it says (a SPARQL parser error)."""


@dataclass(frozen=True)
class Message:
    """A Danish detail for one stable code of a kind of problem; ``pattern`` recognises the English message and
    its named groups fill ``danish``."""

    kind: str
    code: str
    pattern: re.Pattern[str]
    danish: str
    keep_technical: bool = False


def _m(kind: str, code: str, pattern: str, danish: str, keep_technical: bool = False) -> Message:
    return Message(kind, code, re.compile(pattern, re.DOTALL), danish, keep_technical)


STATUS_TITLES = {
    400: "Forespørgslen kan ikke læses",
    401: "Adgang kræver en nøgle",
    403: "Ikke tilladt",
    404: "Ikke fundet",
    405: "Metoden er ikke tilladt",
    406: "Formatet kan ikke leveres",
    409: "Konflikt",
    413: "For meget data",
    414: "Adressen er for lang",
    415: "Formatet understøttes ikke",
    422: "Ugyldige oplysninger",
    429: "For mange forespørgsler",
    500: "Der opstod en fejl",
    502: "Tjenesten bag svarer ikke",
    503: "Tjenesten er midlertidigt utilgængelig",
}

KIND_TITLES = {
    "not-found": "Ikke fundet",
    "invalid-parameters": "Ugyldige oplysninger",
    "analysis-missing": "Analysen mangler",
    "query-syntax": "Forespørgslen er ikke gyldig SPARQL",
    "query-evaluation": "Forespørgslen kunne ikke udføres",
    "query-timeout": "Forespørgslen tog for lang tid",
    "query-too-long": "Forespørgslen er for lang",
    "query-failed": "Forespørgslen mislykkedes",
    "missing-query": "Forespørgslen mangler",
    "multiple-queries": "Mere end én forespørgsel",
    "read-only": "Kun læsning",
    "federation-refused": "Forespørgsler til andre tjenester er ikke tilladt",
    "too-many-results": "For mange resultater",
    "sparql-busy": "SPARQL-tjenesten er optaget",
    "sparql-unavailable": "SPARQL-tjenesten er ikke tilgængelig",
    "upstream-unavailable": "SPARQL-lageret svarer ikke",
    "upstream-error": "SPARQL-lageret svarede med en fejl",
    "not-utf8": "Forkert tegnkodning",
    "invalid-graph-iri": "Ugyldig graf-IRI",
    "unsupported-media-type": "Formatet understøttes ikke",
    "not-acceptable": "Formatet kan ikke leveres",
    "method-not-allowed": "Metoden er ikke tilladt",
}

# Things that can be missing, with the Danish article: "Der er intet dokument med id »x«."
MISSING_THINGS = {
    "document": "intet dokument",
    "node": "intet tekststykke",
    "topic": "intet emne",
    "resource": "ingen ressource",
    "original file of document": "ingen originalfil til dokumentet",
    "upload": "ingen upload",
}

MESSAGES: tuple[Message, ...] = (
    # Unknown ids and paths
    _m("not-found", "unknown-id", r"^no (?P<what>.+?) with id '(?P<id>.*)'$", "Der er {what} med id »{id}«."),
    _m("not-found", "unknown-url", r"^Not Found$",
       "Siden findes ikke. Tjek adressen, eller find det, du leder efter, med søgningen eller menuen."),
    _m("not-found", "admin-disabled", r"^admin endpoints are disabled",
       "Administrationen er slået fra: der er ikke sat en administratornøgle på denne server."),
    # Search parameters (service/search.py)
    _m("invalid-parameters", "empty-query", r"^q must not be empty", "Skriv et eller flere søgeord."),
    _m("invalid-parameters", "query-too-long", r"^q is (?P<n>\d+) characters; at most (?P<max>\d+)",
       "Søgeteksten er {n} tegn lang; der tillades højst {max} tegn. Forkort den."),
    _m("invalid-parameters", "result-count", r"^k must be between 1 and (?P<max>\d+)",
       "Antallet af resultater skal være mellem 1 og {max}."),
    _m("invalid-parameters", "unknown-type", r"^unknown type\(s\) (?P<types>.+); known: (?P<known>.+)$",
       "Ukendt type: {types}. Kendte typer: {known}."),
    _m("invalid-parameters", "unknown-municipality", r"^unknown municipality '(?P<name>.*)'; known: (?P<known>.+)$",
       "Grafen har ingen dokumenter fra kommunen »{name}«. Kommuner i grafen: {known}."),
    _m("invalid-parameters", "unknown-document", r"^unknown document '(?P<name>.*)'; known: (?P<known>.+)$",
       "Der er intet dokument med id »{name}«. Dokumenter i grafen: {known}."),
    _m("invalid-parameters", "year-range", r"^year_from must not be after year_to",
       "Fra-året må ikke ligge efter til-året. Byt om på de to år."),
    _m("invalid-parameters", "unknown-topic", r"^unknown topic '(?P<name>.*)'; known: (?P<known>.+)$",
       "Der er intet emne »{name}«. Se listen over emner på siden Emner."),
    # Overlaps and comparisons (service/overlaps.py, service/compare.py)
    _m("invalid-parameters", "same-document",
       r"^((a and b|from and to) must be two different documents|from and to are the same document)",
       "Vælg to forskellige dokumenter."),
    _m("invalid-parameters", "score-range", r"^min_score must be between 0 and 1", "Mindste score skal være mellem 0 og 1."),
    _m("invalid-parameters", "unknown-level", r"^unknown level '(?P<level>.*)'; known: (?P<known>.+)$",
       "Ukendt niveau »{level}«. Kendte niveauer: {known}."),
    _m("invalid-parameters", "no-containers", r"^document '(?P<doc>.*)' has no containers",
       "Dokumentet »{doc}« har ingen spor, pejlemærker, principper eller andre overordnede punkter."),
    _m("invalid-parameters", "not-container-level", r"^level '(?P<level>.*)' is not a container level",
       "Niveauet »{level}« kan ikke vises som varmekort; vælg spor, pejlemærker, principper eller indsatsområder."),
    _m("invalid-parameters", "no-nodes-of-type", r"^document '(?P<doc>.*)' has no (?P<type>\w+) nodes",
       "Dokumentet »{doc}« har ingen punkter af typen {type}."),
    _m("invalid-parameters", "image-format", r"^(unknown image format|format must be one of)",
       "Ukendt format. Vælg png, svg eller json."),
    _m("invalid-parameters", "other-municipality",
       r"^(?P<a>\S+) is a document of (?P<ma>.+?) and (?P<b>\S+) of (?P<mb>.+?): ",
       "»{a}« er fra {ma} og »{b}« fra {mb}. Sammenligning over år følger én kommunes strategi; brug siden "
       "Overlap til at sammenligne på tværs af kommuner."),
    # Analysis, admin, formats
    _m("analysis-missing", "no-analysis", r".",
       "Den aktuelle build har ingen analyse (emner og overlap). Kør »strategigraf ingest« igen."),
    _m("unauthorized", "token", r".", "Siden kræver en gyldig administratornøgle."),
    _m("conflict", "original-changed", r"^the original of (?P<doc>\S+) changed",
       "Originalfilen til »{doc}« er ændret, siden grafen blev bygget. Byg grafen igen."),
    _m("not-acceptable", "formats", r"(offered|served as|available as):? (?P<offers>[^(]+)",
       "Det ønskede format kan ikke leveres. Tilgængelige formater: {offers}."),
    _m("not-acceptable", "formats", r".", "Det ønskede format kan ikke leveres."),
    _m("method-not-allowed", "method", r".", "Metoden er ikke tilladt her. Brug GET (eller POST, hvor en formular sender)."),
    # SPARQL (service/sparql/)
    _m("query-syntax", "position", r"error at (?P<line>\d+):(?P<column>\d+)",
       "Forespørgslen er ikke gyldig SPARQL 1.1: fejl i linje {line}, tegn {column}.", keep_technical=True),
    _m("query-syntax", "syntax", r".", "Forespørgslen er ikke gyldig SPARQL 1.1.", keep_technical=True),
    _m("query-evaluation", "evaluation", r".", "Forespørgslen kunne ikke udføres på grafen.", keep_technical=True),
    _m("query-timeout", "time-limit", r"time limit of (?P<seconds>[\d.]+) s",
       "Forespørgslen tog mere end {seconds} sekunder og blev stoppet. Gør den mere præcis, eller tilføj LIMIT."),
    _m("query-timeout", "time-limit", r".", "Forespørgslen tog for lang tid og blev stoppet. Tilføj fx LIMIT."),
    _m("query-too-long", "length", r"has (?P<n>\d+) characters; the limit is (?P<max>\d+)",
       "Forespørgslen er {n} tegn lang; grænsen er {max} tegn."),
    _m("query-failed", "worker", r".", "Forespørgslen mislykkedes på serveren. Prøv igen."),
    _m("missing-query", "missing", r".",
       "Der er ingen SPARQL-forespørgsel. Skriv en forespørgsel, eller vælg et eksempel."),
    _m("multiple-queries", "several", r".", "Send præcis én forespørgsel ad gangen."),
    _m("read-only", "update", r".",
       "Endepunktet kan kun læse: SELECT, ASK, CONSTRUCT og DESCRIBE er tilladt, og intet blev ændret."),
    _m("federation-refused", "service", r".",
       "Forespørgsler til andre tjenester (SERVICE) er ikke tilladt; spørg kun til Strategigrafs data."),
    _m("too-many-results", "rows", r"more than (?P<max>\d+)",
       "Forespørgslen giver mere end {max} resultater, som er det højeste antal i ét svar. Intet er skåret "
       "væk i stilhed: gør forespørgslen mere præcis, eller hent den i bidder med ORDER BY og LIMIT/OFFSET."),
    _m("sparql-busy", "busy", r".", "Alle SPARQL-arbejdere er optaget. Prøv igen om et øjeblik."),
    _m("sparql-unavailable", "unavailable", r".", "SPARQL-tjenesten er ikke tilgængelig lige nu. Prøv igen senere."),
    _m("upstream-unavailable", "unreachable", r".", "SPARQL-lageret kunne ikke nås. Prøv igen senere."),
    _m("upstream-error", "error", r".", "SPARQL-lageret svarede med en fejl.", keep_technical=True),
    _m("not-utf8", "encoding", r".", "Forespørgslen skal være kodet i UTF-8."),
    _m("invalid-graph-iri", "iri", r".", "En graf-IRI er ikke en gyldig, absolut IRI.", keep_technical=True),
    _m("unsupported-media-type", "content-type", r".",
       "Forespørgslen er sendt i et format, der ikke understøttes (brug en formular eller application/sparql-query)."),
)

# The request parameters people meet, by name (pydantic's validation errors name the parameter).
PARAMETER_NAMES = {
    "q": "søgeteksten (q)",
    "k": "antal resultater (k)",
    "type": "typen (type)",
    "municipality": "kommunen (municipality)",
    "document": "dokumentet (document)",
    "year_from": "fra-året (year_from)",
    "year_to": "til-året (year_to)",
    "mode": "søgemåden (mode)",
    "topic": "emnet (topic)",
    "a": "dokument A (a)",
    "b": "dokument B (b)",
    "from": "fra-dokumentet (from)",
    "to": "til-dokumentet (to)",
    "level": "niveauet (level)",
    "min_score": "mindste score (min_score)",
    "format": "formatet (format)",
    "limit": "antallet (limit)",
    "offset": "startpositionen (offset)",
}

VALIDATION_TEMPLATES = {
    "missing": "{name} mangler.",
    "int_parsing": "{name} skal være et helt tal (fik »{input}«).",
    "int_type": "{name} skal være et helt tal (fik »{input}«).",
    "float_parsing": "{name} skal være et tal (fik »{input}«).",
    "float_type": "{name} skal være et tal (fik »{input}«).",
    "bool_parsing": "{name} skal være true eller false (fik »{input}«).",
    "greater_than_equal": "{name} skal være mindst {ge} (fik »{input}«).",
    "greater_than": "{name} skal være større end {gt} (fik »{input}«).",
    "less_than_equal": "{name} må højst være {le} (fik »{input}«).",
    "less_than": "{name} skal være mindre end {lt} (fik »{input}«).",
    "string_too_long": "{name} må højst være {max_length} tegn.",
    "string_too_short": "{name} skal være mindst {min_length} tegn.",
    "enum": "{name} skal være en af: {expected} (fik »{input}«).",
    "literal_error": "{name} skal være en af: {expected} (fik »{input}«).",
}


def _shorten(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + " …"


def validation_message(error: Mapping[str, Any]) -> str:
    """One pydantic/FastAPI validation error in Danish: "fra-året (year_from) skal være et helt tal (fik »x«)."."""
    loc = [str(x) for x in error.get("loc", ()) if x not in ("query", "body", "path", "header")]
    param = loc[-1] if loc else ""
    name = PARAMETER_NAMES.get(param, f"parameteren »{param}«" if param else "en værdi")
    ctx = {k: str(v).replace("'", "") for k, v in (error.get("ctx") or {}).items()}
    template = VALIDATION_TEMPLATES.get(str(error.get("type", "")), "{name} har en ugyldig værdi (fik »{input}«).")
    try:
        text = template.format(name=name, input=_shorten(error.get("input", "")), **ctx)
    except (KeyError, IndexError):
        text = f"{name} har en ugyldig værdi."
    return text[:1].upper() + text[1:]


def validation_detail(errors: Iterable[Mapping[str, Any]]) -> str:
    return " ".join(validation_message(e) for e in errors)


def _fill(message: Message, match: re.Match[str]) -> str:
    groups = {k: v.strip() for k, v in match.groupdict().items() if v is not None}
    if "what" in groups:
        groups["what"] = MISSING_THINGS.get(groups["what"], f"intet »{groups['what']}«")
    return message.danish.format(**groups)


def danish(status: int, kind: str | None, detail: str,
           errors: Iterable[Mapping[str, Any]] | None = None) -> Wording:
    """The Danish title and detail of a problem (``kind`` as in its type URI, ``detail`` the English message)."""
    kind = kind or ""
    title = KIND_TITLES.get(kind) or STATUS_TITLES.get(status, "Der opstod en fejl")
    if errors:
        return Wording(title, validation_detail(errors), code="validation")
    for message in MESSAGES:
        if message.kind != kind:
            continue
        match = message.pattern.search(detail)
        if match:
            return Wording(title, _fill(message, match), code=message.code,
                           technical=detail if message.keep_technical else None)
    generic = {
        404: "Det, du leder efter, findes ikke her.",
        422: "Oplysningerne i forespørgslen kan ikke bruges.",
        500: "Serveren kunne ikke svare på forespørgslen. Prøv igen om lidt.",
    }.get(status, "Forespørgslen kunne ikke besvares.")
    return Wording(title, generic, technical=detail or None)
