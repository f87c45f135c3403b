"""API of the maker's side: a product's questions (answer one, mark one not applicable), the posture
diff between two versions, and releases (request, approve, status, download).

Reads go through organization-scoped queries after ``authorize``; every change calls the same
service function as the page, so permissions, separation of duties and audit events are the same.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from securable.errors import InputError, NotFoundError
from securable.web.api.common import CHANGE_ERRORS, ERRORS, caller
from securable.web.paging import newest_first
from securable.web.products.models import ProductVersion, Release
from securable.web.products.views import version_of
from securable.web.service import authorize

router = Router(tags=["maker"])

MAX_TEXT = 10_000


class QuestionOut(Schema):
    id: str
    title: str
    status: str  # answered, open or not-applicable
    missing: list[str]  # the places an open question still needs, answerable one by one
    reason: str | None  # why it is not applicable


class QuestionsOut(Schema):
    product: str
    version: int
    answered: int
    total: int
    items: list[QuestionOut]


class AnswerIn(Schema):
    base: int  # the version the answer was typed against
    place: str
    text: str
    why: str = ""


class NotApplicableIn(Schema):
    base: int
    reason: str
    why: str = ""


class SavedOut(Schema):
    version: int
    sha256: str


class FieldChangeOut(Schema):
    place: str
    before: str | None
    after: str | None


class QuestionChangeOut(Schema):
    question: str
    before: str
    after: str


class RequirementChangeOut(Schema):
    target: str
    requirement: str
    title: str
    before: str | None
    after: str | None


class TotalsChangeOut(Schema):
    target: str
    title: str
    before: dict[str, int]
    after: dict[str, int]


class FindingOut(Schema):
    rule: str
    severity: str
    message: str


class DiffOut(Schema):
    product: str
    old: int
    new: int
    unchanged: bool
    fields: list[FieldChangeOut]
    questions: list[QuestionChangeOut]
    coverage: list[RequirementChangeOut]
    totals: list[TotalsChangeOut]
    findings_added: list[FindingOut]
    findings_removed: list[FindingOut]


class ReleaseIn(Schema):
    product: str
    version: int
    sbom: str | None = None  # the SBOM the description names (CycloneDX or SPDX JSON), as text
    why: str = ""


class ApproveIn(Schema):
    why: str = ""


class ReleaseOut(Schema):
    id: int
    product: str
    version: int
    state: str  # requested, building, built or failed
    requested: datetime
    approved: datetime | None
    package_sha256: str
    key_fingerprint: str
    error: str


class ReleasePage(Schema):
    items: list[ReleaseOut]
    next_cursor: str | None


def _limited(text: str, what: str, limit: int = MAX_TEXT) -> str:
    if len(text) > limit:
        raise InputError(f"the {what} is longer than {limit} characters")
    return text


@router.get(
    "/products/{slug}/questions",
    response={200: QuestionsOut, **ERRORS},
    summary="The NISTIR 8259 questions of a version (latest by default) with their status",
)
def list_questions(request: HttpRequest, slug: str, version: int | None = None) -> dict[str, Any]:
    from securable import api
    from securable.product.interview import question_record
    from securable.web.products.questionnaire import FILENAME

    actor, token = caller(request)
    authorize(actor, token.organization, "product.view")
    product, found = version_of(token.organization, slug, str(version) if version is not None else None)
    states = api.questions(api.Document(FILENAME, bytes(found.content))).states
    items = [
        {
            "id": s.question,
            "title": question_record(s.question)[0],
            "status": str(s.status),
            "missing": list(s.missing),
            "reason": s.reason,
        }
        for s in states
    ]
    return {
        "product": product.slug,
        "version": found.number,
        "answered": sum(1 for i in items if i["status"] != "open"),
        "total": len(items),
        "items": items,
    }


def _saved(version: ProductVersion) -> Status[dict[str, Any]]:
    return Status(201, {"version": version.number, "sha256": version.sha256})


@router.post(
    "/products/{slug}/questions/{question}/answer",
    response={201: SavedOut, **CHANGE_ERRORS},
    summary="Answer one open place of a question: a new version of the product",
)
def answer_question(request: HttpRequest, slug: str, question: str, body: AnswerIn) -> Status[dict[str, Any]]:
    from securable.web.products.questionnaire import AnswerQuestion, answer_question

    actor, token = caller(request)
    command = AnswerQuestion(
        product=slug,
        base=body.base,
        question=question,
        place=_limited(body.place, "place", 300),
        text=_limited(body.text, "answer"),
        why=_limited(body.why, "reason", 500),
    )
    return _saved(answer_question(actor, token.organization, command))


@router.post(
    "/products/{slug}/questions/{question}/not-applicable",
    response={201: SavedOut, **CHANGE_ERRORS},
    summary="Mark an open question not applicable, with the reason: a new version of the product",
)
def mark_not_applicable(
    request: HttpRequest, slug: str, question: str, body: NotApplicableIn
) -> Status[dict[str, Any]]:
    from securable.web.products.questionnaire import AnswerQuestion, answer_question

    actor, token = caller(request)
    if not body.reason.strip():
        raise InputError("give the reason the question does not apply")
    command = AnswerQuestion(
        product=slug,
        base=body.base,
        question=question,
        text=_limited(body.reason, "reason"),
        not_applicable=True,
        why=_limited(body.why, "reason", 500),
    )
    return _saved(answer_question(actor, token.organization, command))


@router.get(
    "/products/{slug}/diff",
    response={200: DiffOut, **ERRORS},
    summary="What changed between two versions (by default the latest and the one before)",
)
def posture_diff(
    request: HttpRequest, slug: str, old: int | None = None, new: int | None = None
) -> dict[str, Any]:
    from securable import api

    actor, token = caller(request)
    authorize(actor, token.organization, "product.view")
    product, after = version_of(token.organization, slug, str(new) if new is not None else None)
    wanted = old if old is not None else max(after.number - 1, 1)
    _, before = version_of(token.organization, slug, str(wanted))
    result = api.diff(
        api.Document(f"v{before.number}.securable.yaml", bytes(before.content)),
        api.Document(f"v{after.number}.securable.yaml", bytes(after.content)),
        today=timezone.now().date(),
    ).diff
    return {
        "product": product.slug,
        "old": before.number,
        "new": after.number,
        "unchanged": result.unchanged,
        **{
            f.name: [dataclasses.asdict(x) for x in getattr(result, f.name)]
            for f in dataclasses.fields(result)
        },
    }


def _release_out(release: Release) -> dict[str, Any]:
    return {
        "id": release.pk,
        "product": release.product.slug,
        "version": release.version.number,
        "state": release.state,
        "requested": release.requested,
        "approved": release.approved,
        "package_sha256": release.package_sha256,
        "key_fingerprint": release.key_fingerprint,
        "error": release.error,
    }


def _release(request: HttpRequest, pk: int) -> Release:
    actor, token = caller(request)
    authorize(actor, token.organization, "product.view")
    found = (
        Release.objects.for_org(token.organization)
        .select_related("product", "version")
        .defer("package", "sbom", "version__content")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFoundError("no such release")
    return found


@router.get(
    "/releases", response={200: ReleasePage, **ERRORS}, summary="Releases, newest first (keyset pages)"
)
def list_releases(request: HttpRequest, cursor: str | None = None) -> dict[str, Any]:
    actor, token = caller(request)
    authorize(actor, token.organization, "product.view")
    query = (
        Release.objects.for_org(token.organization)
        .select_related("product", "version")
        .defer("package", "sbom", "version__content")
    )
    page = newest_first(query, cursor)
    return {"items": [_release_out(r) for r in page.rows], "next_cursor": page.next_cursor}


@router.post(
    "/releases",
    response={201: ReleaseOut, **CHANGE_ERRORS},
    summary="Request a release of a version; another member with package.sign approves it",
)
def request_release(request: HttpRequest, body: ReleaseIn) -> Status[dict[str, Any]]:
    from securable.web.products.releases import MAX_SBOM, RequestRelease, request_release

    actor, token = caller(request)
    sbom = body.sbom.encode("utf-8") if body.sbom is not None else None
    if sbom is not None and len(sbom) > MAX_SBOM:
        raise InputError(f"the SBOM is larger than {MAX_SBOM // 2**20} MiB")
    command = RequestRelease(body.product[:80], body.version, sbom, _limited(body.why, "reason", 500))
    release = request_release(actor, token.organization, command)
    return Status(201, _release_out(_release(request, release.pk)))


@router.post(
    "/releases/{release_id}/approve",
    response={200: ReleaseOut, **CHANGE_ERRORS},
    summary="Approve another member's release request and queue its build (never one's own)",
)
def approve_release(request: HttpRequest, release_id: int, body: ApproveIn) -> dict[str, Any]:
    from securable.web.products.releases import ApproveRelease, approve_release

    actor, token = caller(request)
    approve_release(actor, token.organization, ApproveRelease(release_id, _limited(body.why, "reason", 500)))
    return _release_out(_release(request, release_id))


@router.get("/releases/{release_id}", response={200: ReleaseOut, **ERRORS}, summary="A release and its state")
def get_release(request: HttpRequest, release_id: int) -> dict[str, Any]:
    return _release_out(_release(request, release_id))


@router.get(
    "/releases/{release_id}/package.zip",
    response={200: None, **ERRORS},
    summary="The signed package of a built release, as a zip",
    openapi_extra={"responses": {200: {"description": "the package", "content": {"application/zip": {}}}}},
)
def download_release(request: HttpRequest, release_id: int) -> HttpResponse:
    actor, token = caller(request)
    authorize(actor, token.organization, "product.view")
    found = (
        Release.objects.for_org(token.organization)
        .select_related("product", "version")
        .filter(pk=release_id, state=Release.State.BUILT)
        .first()
    )
    if found is None:
        raise NotFoundError("no built release with this id")
    response = HttpResponse(bytes(found.package), content_type="application/zip")
    name = f"{found.product.slug}-v{found.version.number}-release{found.pk}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
