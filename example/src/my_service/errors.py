"""Errors as RFC 9457 problem details (``application/problem+json``).

Raise an ``AppError`` subclass from any layer; the handlers here turn it, HTTP errors, validation
errors and unknown routes or methods into one response shape:
``{"type", "title", "status", "detail", "instance", "request_id"}``. Unhandled exceptions are
answered by the pipeline's error guard (``pipeline/error_guard.py``) with a bare 500, never a
traceback.
"""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from .context import request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"
NOT_UTF8 = "JSON must be encoded in UTF-8"


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field(default="about:blank", description="URI identifying the problem type.")
    title: str = Field(description="Short summary of the problem type.")
    status: int = Field(description="HTTP status code.")
    detail: str | None = Field(default=None, description="What happened in this occurrence.")
    instance: str | None = Field(default=None, description="The request path.")
    request_id: str | None = Field(default=None, description="X-Request-ID of the request.")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Field errors of an invalid request (422 only)."
    )
    error: str | None = Field(
        default=None,
        description="The OAuth 2.0 error code of a refused token request (RFC 6749, 5.2).",
    )


class AppError(Exception):
    """Base of the service's own errors; each subclass maps to one HTTP status."""

    status: HTTPStatus = HTTPStatus.INTERNAL_SERVER_ERROR
    type: str = "about:blank"
    # The OAuth 2.0 error code, for the errors of a token endpoint.
    error: str | None = None

    def __init__(self, detail: str | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers


class NotFoundError(AppError):
    status = HTTPStatus.NOT_FOUND


class ConflictError(AppError):
    status = HTTPStatus.CONFLICT


class BadRequestError(AppError):
    status = HTTPStatus.BAD_REQUEST


class PreconditionFailedError(AppError):
    """A change made to a version of a resource other than its current one (``If-Match``)."""

    status = HTTPStatus.PRECONDITION_FAILED


class UnavailableError(AppError):
    """A dependency (database, broker, ...) cannot be reached right now."""

    status = HTTPStatus.SERVICE_UNAVAILABLE


def problem_response(
    request_path: str | None,
    status: int,
    detail: str | None = None,
    *,
    type_: str = "about:blank",
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    error: str | None = None,
) -> JSONResponse:
    problem = Problem(
        type=type_,
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request_path,
        request_id=request_id(),
        errors=errors,
        error=error,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


async def handle_app_error(request: Request, error: AppError) -> JSONResponse:
    return problem_response(
        request.url.path,
        error.status,
        error.detail,
        type_=error.type,
        headers=error.headers,
        error=error.error,
    )


async def handle_http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    if isinstance(error.__cause__, UnicodeDecodeError):
        # FastAPI answers a JSON body that is not UTF-8 with a 400 of its own; it is invalid
        # JSON (RFC 8259 requires UTF-8), so it gets the documented 422 as other invalid JSON.
        return invalid_request(
            request, [{"loc": ["body"], "msg": NOT_UTF8, "type": "json_invalid"}]
        )
    detail = error.detail if error.detail != HTTPStatus(error.status_code).phrase else None
    return problem_response(request.url.path, error.status_code, detail, headers=error.headers)


async def handle_validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    # Field errors keep their location and message; the offending input is not echoed back.
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()]
    return invalid_request(request, jsonable_encoder(errors))


def invalid_request(request: Request, errors: list[dict[str, Any]]) -> JSONResponse:
    return problem_response(
        request.url.path, HTTPStatus.UNPROCESSABLE_ENTITY, "The request is invalid.", errors=errors
    )


def install_error_handlers(app: FastAPI) -> None:
    app.exception_handler(AppError)(handle_app_error)
    app.exception_handler(StarletteHTTPException)(handle_http_error)
    app.exception_handler(RequestValidationError)(handle_validation_error)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting these statuses as problem details."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {}},
        }
        for status in statuses
    }
