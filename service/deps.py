"""The typed FastAPI dependencies routes use: the service state, the live generation, the settings and the
SPARQL query runner. The state itself is service/state.py; the app (service/app.py) puts it on ``app.state``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.generation import Generation
from service.settings import ServiceSettings
from service.sparql.execution import QueryRunner
from service.state import ServiceState

# The dependencies are ``async`` on purpose: FastAPI runs a plain ``def`` dependency in the thread pool, a
# hand-off that costs more than the work these do (they only read attributes).


async def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


async def get_generation(state: Annotated[ServiceState, Depends(get_state)]) -> Generation:
    return state.generation


async def get_settings_dep(state: Annotated[ServiceState, Depends(get_state)]) -> ServiceSettings:
    return state.settings


async def get_sparql(request: Request) -> QueryRunner:
    """What answers /sparql: the generation's worker pools, or the upstream store (``app.state.sparql``)."""
    runner: QueryRunner = request.app.state.sparql
    return runner


StateDep = Annotated[ServiceState, Depends(get_state)]
GenerationDep = Annotated[Generation, Depends(get_generation)]
SettingsDep = Annotated[ServiceSettings, Depends(get_settings_dep)]
SparqlDep = Annotated[QueryRunner, Depends(get_sparql)]
