"""Error pages for browsers: the Danish wording of a problem (service/problem_messages.py) on the site's layout.

:func:`render_error_page` is the HTML renderer the app installs in :func:`service.problems.install_handlers`:
a browser that meets an unknown URL, bad parameters or a server error reads a Danish page with the way on,
while API clients keep getting problem+json.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from service.pages.security import apply_security_headers
from service.pages.views import render
from service.problem_messages import Wording


def render_error_page(request: Request, status: int, wording: Wording) -> Response:
    """The error page for ``status`` with the problem's Danish title and detail (technical detail folded)."""
    response = render(request, "error.html", status, title=wording.title, message=wording.detail,
                      technical=wording.technical, status=status, nav="")
    return apply_security_headers(response)
