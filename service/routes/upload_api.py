"""Adding a document on the web: the upload page and its admin API (bearer token, like /admin/rebuild).

- ``GET /admin/dokumenter``: the upload page (the form sends the token typed into it as a bearer header);
- ``POST /admin/documents`` (multipart: ``file`` plus optional ``municipality``, ``title``, ``year``, ``kind``):
  stage and preview, 200; nothing in corpora/ changes;
- ``POST /admin/documents/{upload_id}/commit`` (optional JSON of the same fields): add and build, 202;
- ``GET /admin/documents/{upload_id}``: staged, building (with progress), done (with the document's page) or
  failed (with the error).

A refused upload is problem+json with a Danish ``detail`` and a stable ``reason``; corpora/, the manifest and
the live build stay as they were.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ingest.manifest import DOCUMENT_KINDS
from service import upload
from service.deps import StateDep
from service.limits import UPLOAD_PATH, upload_file_limit
from service.pages.security import SecureRoute
from service.pages.views import render
from service.problems import PROBLEM_JSON, ProblemDetail, problem_response
from service.routes.admin_api import AuthHeader, require_token

router = APIRouter(prefix="/admin", tags=["admin"])
pages = APIRouter(route_class=SecureRoute, include_in_schema=False)



def _problem_doc(description: str) -> dict[str, Any]:
    """An error response in the OpenAPI document: problem+json with a Danish detail and a ``reason`` key."""
    return {"description": description, "model": ProblemDetail,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}}}


AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _problem_doc("Missing or wrong token"), 404: _problem_doc("Admin disabled, or unknown upload")}


class UploadStatus(BaseModel):
    id: str
    file_name: str
    size: int
    state: str = Field(description="staged, building, done or failed")
    created: str
    overrides: dict[str, Any]
    progress: list[str] = Field(description="Build steps so far, in Danish")
    document_id: str | None = None
    document_title: str | None = None
    document_url: str | None = Field(default=None, description="The new document's page, once done")
    build_id: str | None = None
    error: str | None = Field(default=None, description="Why it failed (Danish), when it failed")
    finished: str | None = None


class UploadPreview(BaseModel):
    upload_id: str
    state: str
    preview: dict[str, Any] = Field(description="format, size, pages, counts per class, inferred metadata "
                                                "with evidence, missing fields, warnings, tree (class, label, "
                                                "text, depth)")


class CommitFields(BaseModel):
    municipality: str | None = None
    title: str | None = None
    year: str | int | None = None
    kind: str | None = None


def _problem(exc: upload.UploadProblem) -> JSONResponse:
    headers = {"Retry-After": str(exc.extra["retry_after"])} if "retry_after" in exc.extra else None
    return problem_response(exc.status, "Upload refused", exc.detail, kind="upload-" + exc.reason, headers=headers,
                            reason=exc.reason, **{k: v for k, v in exc.extra.items() if k != "retry_after"})


@pages.get("/dokumenter", name="upload_page")
def upload_page(request: Request, state: StateDep) -> Response:
    """The upload form; 404 like every admin endpoint when no admin token is configured."""
    if not state.settings.admin_token:
        return render(request, "error.html", 404, title="Ikke fundet", nav="",
                      message="Administration er slået fra på denne server (der er ikke sat et admin-token).")
    kinds = [(k, upload.KIND_WORDS.get(k, k)) for k in DOCUMENT_KINDS]
    return render(request, "upload.html", title="Tilføj dokument", nav="documents", kinds=kinds,
                  limit=upload.megabytes(upload_file_limit(request.app, state.settings.max_upload_bytes)))


@router.post(UPLOAD_PATH.removeprefix("/admin"), response_model=UploadPreview, responses={
    **AUTH_RESPONSES, 409: _problem_doc("The file is already in the corpus (``existing`` names its document)"),
    413: _problem_doc("Over the size limit"), 415: _problem_doc("Unsupported format, or not multipart/form-data"),
    422: _problem_doc("Unreadable file (encrypted, scanned, corrupt, zip bomb, XML entities …) or a bad field")},
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"}, "municipality": {"type": "string"},
            "title": {"type": "string"}, "year": {"type": "string"}, "kind": {"type": "string"}}}}}}})
async def upload_document(request: Request, state: StateDep, authorization: AuthHeader = None) -> Response:
    """Stage an original file and preview what adding it would make; nothing in the corpus changes."""
    require_token(state, authorization)
    settings = state.settings
    limit = upload_file_limit(request.app, settings.max_upload_bytes)
    upload_id, folder = await run_in_threadpool(upload.new_upload, settings.build_dir)
    try:
        received = await upload.receive_multipart(request.stream(), request.headers.get("content-type", ""),
                                                  folder, limit)
        record = upload.UploadRecord(id=upload_id, file_name=received.file_name or "dokument",
                                     size=received.size, overrides=upload.parse_overrides(received.fields))
        record = await run_in_threadpool(upload.stage_preview, folder, record, settings.corpora_dir, limit)
    except upload.UploadProblem as exc:
        await run_in_threadpool(upload.discard, folder)
        return _problem(exc)
    except BaseException:
        await run_in_threadpool(upload.discard, folder)
        raise
    assert record.preview is not None
    return JSONResponse(UploadPreview(upload_id=upload_id, state=record.state, preview=record.preview).model_dump())


@router.post("/documents/{upload_id}/commit", response_model=UploadStatus, status_code=202, responses={
    **AUTH_RESPONSES, 409: _problem_doc("Already committed, or another build is running (Retry-After)"),
    422: _problem_doc("A required field is neither in the document nor given (``missing`` names them)")})
async def commit_upload(upload_id: str, request: Request, state: StateDep,
                        authorization: AuthHeader = None) -> Response:
    """Add the staged file to the corpus and build; poll ``GET /admin/documents/{upload_id}`` for progress."""
    require_token(state, authorization)
    try:
        folder = upload.upload_folder(state.settings.build_dir, upload_id)
        body = await request.body()
        fields = _json_fields(body)
        overrides = upload.parse_overrides(fields)
        record = await run_in_threadpool(upload.commit, state, folder, overrides)
    except upload.UploadProblem as exc:
        return _problem(exc)
    return JSONResponse(record.status(), status_code=202)


def _json_fields(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        return CommitFields.model_validate(json.loads(body)).model_dump(exclude_none=True)
    except ValueError as exc:
        raise upload.UploadProblem(422, "bad-fields", "Felterne skal sendes som JSON med kommune, titel, år og "
                                                      "type (municipality, title, year, kind).") from exc


@router.get("/documents/{upload_id}", response_model=UploadStatus, responses=AUTH_RESPONSES)
def upload_status(upload_id: str, state: StateDep, authorization: AuthHeader = None) -> Response:
    """Where an upload is: staged, building (with progress), done (with a link to the document) or failed."""
    require_token(state, authorization)
    try:
        folder = upload.upload_folder(state.settings.build_dir, upload_id)
    except upload.UploadProblem as exc:
        return _problem(exc)
    return JSONResponse(upload.current_record(folder).status())


router.include_router(pages)
