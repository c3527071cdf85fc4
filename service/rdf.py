"""RDF serialisation of one resource's description from the Oxigraph store."""

from __future__ import annotations

import pyoxigraph

from ontology import PREFIXES

_FORMATS = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
}


def describe(store: pyoxigraph.Store, iri: str, media: str) -> bytes:
    """The resource's own triples plus those of its source selectors (IRIs under it), serialised as ``media``."""
    query = f"""
        CONSTRUCT {{ ?s ?p ?o }} WHERE {{
          {{ BIND(<{iri}> AS ?s) ?s ?p ?o }}
          UNION {{ <{iri}> <https://w3id.org/strategigraf/ontology#sourceSpan>
                   |<https://w3id.org/strategigraf/ontology#sourceSegment> ?s . ?s ?p ?o }}
        }}"""
    result = store.query(query)
    assert isinstance(result, pyoxigraph.QueryTriples)
    prefixes = {k: str(v) for k, v in PREFIXES.items() if k != "sgid"}
    data = pyoxigraph.serialize(result, format=_FORMATS[media], prefixes=prefixes)
    assert data is not None
    return data
