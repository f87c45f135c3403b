"""Pages of the questionnaire: a product's NISTIR 8259 questions per activity with progress, the
saves (answer, not applicable, comment, assign) and "my open questions".

Each save is a plain form post that redirects back to the question (works without JavaScript); with
htmx (the ``HX-Request`` header) the same post returns the question's block, swapped in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from securable.errors import NotFoundError, SecurableError
from securable.web.audit.record import person_for
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import allows
from securable.web.pages import actor_of, org_page
from securable.web.products import questionnaire as services
from securable.web.products.models import Product, ProductVersion, QuestionAssignment, QuestionComment
from securable.web.products.views import version_of
from securable.web.service import Conflict

_SECTION = re.compile(r"^Q([0-9.]+)-")
# NISTIR 8259's activities, keyed by the section their questions are numbered under.
ACTIVITIES: dict[str, str] = {
    "3.1": "Activity 1: identify expected customers and define expected use cases",
    "3.2": "Activity 2: research customer cybersecurity needs and goals",
    "3.3": "Activity 3: determine how to address customer needs and goals",
    "3.4": "Activity 4: plan for adequate support of customer needs and goals",
    "4.1": "Activity 5: define approaches for communicating to customers",
    "4.2": "Activity 6: decide what to communicate to customers and how",
}


@dataclass
class Input:
    place: str
    label: str
    kind: str  # "text", "lines", "choice", "yesno", "number", "date"
    choices: tuple[str, ...] = ()


@dataclass
class QuestionRow:
    id: str
    title: str
    status: str
    missing: tuple[str, ...]
    reason: str | None
    inputs: list[Input]
    comments: list[Any] = field(default_factory=list)
    assignee: str = ""

    @property
    def anchor(self) -> str:
        """An element id without dots, usable as a CSS selector by htmx."""
        return anchor(self.id)


@dataclass(frozen=True)
class MyQuestion:
    product_name: str
    product_slug: str
    question: str
    anchor: str
    assigned: datetime


@dataclass
class Activity:
    key: str
    title: str
    questions: list[QuestionRow]

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.status != "open")

    @property
    def total(self) -> int:
        return len(self.questions)


def anchor(question: str) -> str:
    """The element id of a question's block: no dots (htmx targets it by CSS selector), nothing else
    that a selector would read as syntax."""
    return "q-" + re.sub(r"[^A-Za-z0-9-]", "-", question)


def _activity(question: str) -> str:
    match = _SECTION.match(question)
    section = match.group(1) if match else ""
    return section if section in ACTIVITIES else section[:3]


def _input(place: str) -> Input | None:
    from securable.product.answering import answerable

    found = answerable(place)
    if found is None:
        return None
    node = found.field
    if node.shape == "scalars":
        kind = "lines"
    elif node.choices:
        kind = "choice"
    elif node.scalar is bool:
        kind = "yesno"
    elif node.scalar in (int, float):
        kind = "number"
    elif node.scalar is not None and node.scalar.__name__ == "date":
        kind = "date"
    else:
        kind = "text"
    return Input(found.text, node.description.split(". ")[0][:200], kind, node.choices)


def _rows(raw: bytes, wanted: Callable[[str], bool] = lambda q: True) -> list[QuestionRow]:
    from securable import api
    from securable.product.interview import question_record

    rows = []
    for state in api.questions(api.Document(services.FILENAME, raw)).states:
        if not wanted(state.question):
            continue
        status = str(state.status)
        inputs = [i for i in map(_input, state.missing) if i is not None] if status == "open" else []
        rows.append(
            QuestionRow(
                state.question,
                question_record(state.question)[0],
                status,
                state.missing,
                state.reason,
                inputs,
            )
        )
    return rows


def _annotate(org: Organization, product: Product, rows: Iterable[QuestionRow]) -> None:
    """Comments and assignees of the questions, two queries for the whole page."""
    by_id = {row.id: row for row in rows}
    comments = (
        QuestionComment.objects.for_org(org)
        .filter(product=product, question__in=list(by_id))
        .select_related("author")
        .order_by("id")
    )
    for c in comments[:2000]:
        by_id[c.question].comments.append(c)
    assigned = QuestionAssignment.objects.for_org(org).filter(product=product, question__in=list(by_id))
    for question, email in assigned.values_list("question", "assignee__email"):
        by_id[question].assignee = email


def _context(
    org: Organization, member: Membership, product: Product, version: ProductVersion
) -> dict[str, Any]:
    return {
        "org": org,
        "product": product,
        "version": version,
        "latest": version.number == product.latest_number,
        "can_edit": allows(member.role, "product.edit"),
        "can_comment": allows(member.role, "product.comment"),
    }


@org_page("product.view")
@require_GET
def questions(request: HttpRequest, org: Organization, member: Membership, product: str) -> HttpResponse:
    item, version = version_of(org, product, request.GET.get("version"))
    context = _context(org, member, item, version)
    try:
        rows = _rows(bytes(version.content))
    except SecurableError as err:  # a version accepted by an older core may not load in a newer one
        return render(request, "error.html", {"org": org, "message": err.render()}, status=400)
    _annotate(org, item, rows)
    activities = _activities(rows)
    context |= {
        "activities": activities,
        "answered": sum(a.answered for a in activities),
        "total": len(rows),
        "members": _members(org) if context["can_edit"] else [],
    }
    return render(request, "products/questions.html", context)


def _activities(rows: Iterable[QuestionRow]) -> list[Activity]:
    activities: dict[str, Activity] = {}
    for row in rows:
        key = _activity(row.id)
        title = ACTIVITIES.get(key, f"Section {key}")
        activities.setdefault(key, Activity(key, title, [])).questions.append(row)
    return list(activities.values())


def _members(org: Organization) -> list[str]:
    """Who questions can be assigned to: the members who may answer them."""
    found = Membership.objects.filter(organization=org).select_related("user").order_by("user__email")
    return [m.user.email for m in found[:500] if allows(m.role, "product.edit")][:200]


def _after_save(
    request: HttpRequest, org: Organization, member: Membership, slug: str, question: str
) -> HttpResponse:
    """The question's block (and the progress, out of band) for htmx; else back to the question."""
    if request.headers.get("HX-Request") == "true":
        item, version = version_of(org, slug, None)
        rows = _rows(bytes(version.content))
        row = next(r for r in rows if r.id == question)
        _annotate(org, item, [row])
        activities = _activities(rows)
        context = _context(org, member, item, version) | {
            "q": row,
            "members": _members(org) if allows(member.role, "product.edit") else [],
            "activities": activities,
            "answered": sum(a.answered for a in activities),
            "total": len(rows),
            "oob": True,
        }
        return render(request, "products/_question.html", context)
    url = reverse("product_questions", kwargs={"org": org.slug, "product": slug})
    return redirect(f"{url}#{anchor(question)}")


def _failed(request: HttpRequest, org: Organization, err: SecurableError, question: str) -> HttpResponse:
    status = 404 if isinstance(err, NotFoundError) else 409 if isinstance(err, Conflict) else 400
    if request.headers.get("HX-Request") == "true":
        # Shown in the question's message slot; the form keeps what was typed.
        response = render(request, "products/_save_error.html", {"message": err.render()}, status=status)
        response["HX-Retarget"] = f"#err-{anchor(question)}"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "error.html", {"org": org, "message": err.render()}, status=status)


def _base(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("base", ""))
    except ValueError:
        return -1


@org_page("product.edit")
@require_POST
def answer(request: HttpRequest, org: Organization, member: Membership, product: str) -> HttpResponse:
    question = request.POST.get("question", "")[:20]
    command = services.AnswerQuestion(
        product=product,
        base=_base(request),
        question=question,
        place=request.POST.get("place", "")[:300],
        text=request.POST.get("text", "")[: services.MAX_COMMENT + 1],
        not_applicable=request.POST.get("action") == "not-applicable",
        why=request.POST.get("why", "")[:500],
    )
    try:
        services.answer_question(actor_of(request), org, command)
    except SecurableError as err:
        return _failed(request, org, err, question)
    return _after_save(request, org, member, product, question)


@org_page("product.comment")
@require_POST
def comment(request: HttpRequest, org: Organization, member: Membership, product: str) -> HttpResponse:
    question = request.POST.get("question", "")[:20]
    command = services.Comment(product, question, request.POST.get("text", "")[: services.MAX_COMMENT + 1])
    try:
        services.comment(actor_of(request), org, command)
    except SecurableError as err:
        return _failed(request, org, err, question)
    return _after_save(request, org, member, product, question)


@org_page("product.edit")
@require_POST
def assign(request: HttpRequest, org: Organization, member: Membership, product: str) -> HttpResponse:
    question = request.POST.get("question", "")[:20]
    command = services.Assign(product, question, request.POST.get("assignee", "")[:254])
    try:
        services.assign(actor_of(request), org, command)
    except SecurableError as err:
        return _failed(request, org, err, question)
    return _after_save(request, org, member, product, question)


@org_page("product.view")
@require_GET
def my_questions(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    """The questions assigned to me that the latest version of their product still leaves open."""
    from securable import api

    me = person_for(request.user)
    assigned = list(
        QuestionAssignment.objects.for_org(org)
        .filter(assignee=me)
        .select_related("product")
        .order_by("-id")[:100]
    )
    wanted = Q(pk__in=[])
    for product_id, number in {(a.product_id, a.product.latest_number) for a in assigned}:
        wanted |= Q(product_id=product_id, number=number)
    latest = {v.product_id: v for v in ProductVersion.objects.for_org(org).filter(wanted)}
    rows = []
    states: dict[int, dict[str, str]] = {}
    for a in assigned:
        version = latest.get(a.product_id)
        if version is None or version.number != a.product.latest_number:
            continue
        if a.product_id not in states:
            try:
                found = api.questions(api.Document(services.FILENAME, bytes(version.content))).states
            except SecurableError:
                found = ()
            states[a.product_id] = {s.question: str(s.status) for s in found}
        if states[a.product_id].get(a.question) == "open":
            rows.append(MyQuestion(a.product.name, a.product.slug, a.question, anchor(a.question), a.created))
    return render(request, "products/my_questions.html", {"org": org, "rows": rows})
