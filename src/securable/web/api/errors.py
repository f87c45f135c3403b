"""One error shape for every API error: ``{"error": {"code": ..., "message": ..., "hint": ...}}``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from securable.errors import InputError, NotFoundError, SecurableError, UsageError, ValidationFailed
from securable.web.service import Conflict, Forbidden

# The most specific class first.
STATUS: tuple[tuple[type[SecurableError], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (Forbidden, 403, "forbidden"),
    (Conflict, 409, "conflict"),
    (ValidationFailed, 422, "invalid_document"),
    (InputError, 400, "invalid_input"),
    (UsageError, 400, "invalid_input"),
)


def error_response(status: int, code: str, message: str, hint: str | None = None) -> HttpResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message, "hint": hint}}
    return JsonResponse(body, status=status)


def from_securable(err: SecurableError) -> HttpResponse:
    for kind, status, code in STATUS:
        if isinstance(err, kind):
            message = err.render() if isinstance(err, ValidationFailed) else err.message
            return error_response(status, code, message, err.hint)
    return error_response(400, "invalid_input", err.message, err.hint)


def not_found(_request: HttpRequest, _exception: Exception | None = None) -> HttpResponse:
    return error_response(404, "not_found", "no such endpoint or object")
