"""Strategigraf ontology: namespace constants and the Turtle resources shipped with the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

SG_NS = "https://w3id.org/strategigraf/ontology#"
ID_NS = "https://w3id.org/strategigraf/id/"
TOPIC_NS = "https://w3id.org/strategigraf/topic/"

SG = Namespace(SG_NS)
ID = Namespace(ID_NS)
TOPIC = Namespace(TOPIC_NS)
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, Any] = {
    "sg": SG,
    "sgid": ID,
    "sgt": TOPIC,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "prov": PROV,
    "org": ORG,
    "oa": OA,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

ONTOLOGY_FILE = "strategigraf.ttl"
SHAPES_FILE = "shapes.ttl"
TOPICS_FILE = "topics.ttl"


def resource_path(name: str) -> Path:
    """Path of a Turtle file shipped inside this package."""
    return Path(str(resources.files(__name__).joinpath(name)))


__all__ = [
    "DCTERMS", "ID", "ID_NS", "OA", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SG", "SG_NS",
    "SH", "SKOS", "TOPIC", "TOPIC_NS", "XSD", "resource_path",
]
