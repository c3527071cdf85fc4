"""POST /admin/rebuild and GET /admin/rebuild: rebuild the corpora next to the live build and swap it in.

Disabled (404) unless an admin token is configured; a wrong or missing bearer token is 401. The token is
compared in constant time.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header
from pydantic import BaseModel, Field

from service.deps import StateDep
from service.problems import Problem
from service.rebuild import RebuildStatus, start_rebuild

router = APIRouter(prefix="/admin", tags=["admin"])


class RebuildAccepted(BaseModel):
    status: str = Field(description="'started', or 'running' when a rebuild was already under way")
    live_build_id: str = Field(description="The build serving requests now")


def require_token(state: StateDep, authorization: str | None) -> None:
    token = state.settings.admin_token
    if not token:
        raise Problem(404, "Not found", "admin endpoints are disabled (no admin token configured)")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Problem(401, "Unauthorized", "a valid bearer token is required",
                      headers={"WWW-Authenticate": 'Bearer realm="strategigraf-admin"'})


AuthHeader = Annotated[str | None, Header(description="Bearer <admin token>")]


@router.post("/rebuild", response_model=RebuildAccepted, status_code=202,
             responses={401: {"description": "Missing or wrong token"}, 404: {"description": "Admin disabled"}})
def rebuild(state: StateDep, authorization: AuthHeader = None) -> RebuildAccepted:
    """Build a new generation from the corpora in the background; requests keep being served meanwhile."""
    require_token(state, authorization)
    started = start_rebuild(state)
    return RebuildAccepted(status="started" if started else "running", live_build_id=state.generation.build_id)


@router.get("/rebuild", response_model=RebuildStatus,
            responses={401: {"description": "Missing or wrong token"}, 404: {"description": "Admin disabled"}})
def rebuild_status(state: StateDep, authorization: AuthHeader = None) -> RebuildStatus:
    """The state of the last rebuild: running, succeeded (with its build id) or failed (with the error)."""
    require_token(state, authorization)
    return state.rebuild_status
