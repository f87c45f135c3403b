"""What every API module shares: the error schema and the caller of a request.

A separate module so that the routers (``maker``, ``agency``, ``devices``) and ``v1``, which mounts
them, import it without importing each other.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema

from securable.web.api.models import ApiToken
from securable.web.api.tokens import actor_for
from securable.web.service import Actor


class ErrorBody(Schema):
    code: str
    message: str
    hint: str | None


class ErrorOut(Schema):
    error: ErrorBody


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
CHANGE_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}


def caller(request: HttpRequest) -> tuple[Actor, ApiToken]:
    token: ApiToken = request.auth  # set by the bearer check
    return actor_for(token, getattr(request, "request_id", "")), token
