"""HTML pages of the resources the graph mints that have no page of their own elsewhere: municipalities,
committees, overlaps, source selectors, topic assignments (service/resources.py describes them), and the
ontology with its terms. The routes that answer them by content negotiation are in service/routes/graph_api.py.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from service.pages.security import apply_security_headers
from service.pages.views import render
from service.resources import ONTOLOGY_IRI, ResourceView, ontology_view


def resource_page(request: Request, view: ResourceView) -> Response:
    """A resource's page: its kind, name, what the graph says about it and what points to it."""
    path = request.url.path
    response = render(request, "resource.html", view=view, nav="", rdf_path=path)
    response.headers["Vary"] = "Accept"
    return apply_security_headers(response)


def ontology_page(request: Request) -> Response:
    """The ontology's classes and properties, each an anchor (/ontology#Track) so that every term resolves."""
    response = render(request, "ontology.html", ontology=ontology_view(), iri=ONTOLOGY_IRI, nav="")
    response.headers["Vary"] = "Accept"
    return apply_security_headers(response)
