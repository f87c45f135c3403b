"""Service functions of the questionnaire: answering a question (a new version), marking one not
applicable, commenting on one and assigning one to a member (see ``securable.web.service``).

Answers go through the core (``securable.api.answer``): the new version is a description the CLI
loads. A save names the version it was made from; if another member saved a newer one meanwhile,
the save goes ahead only if the place it answers is still open, else it is refused rather than
silently overwriting their answer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction

from securable.errors import InputError, NotFoundError
from securable.web.audit.models import Person
from securable.web.audit.record import append, person_for
from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.roles import allows
from securable.web.products.models import Product, ProductVersion, QuestionAssignment, QuestionComment
from securable.web.service import Actor, Conflict, authorize

FILENAME = "securable.yaml"
MAX_COMMENT = 4000


@dataclass(frozen=True)
class AnswerQuestion:
    product: str  # slug
    base: int  # the version number the answer was typed against
    question: str
    place: str = ""  # where the answer goes (an open question's missing entry)
    text: str = ""
    not_applicable: bool = False  # then ``text`` is the reason
    why: str = ""


@dataclass(frozen=True)
class Comment:
    product: str
    question: str
    text: str


@dataclass(frozen=True)
class Assign:
    product: str
    question: str
    assignee: str  # a member's e-mail address; empty removes the assignment


def _question(question: str) -> str:
    from securable.product import question_ids

    if question not in question_ids():
        raise InputError(f"no question {question[:40]!r}")
    return question


def _product(organization: Organization, slug: str, *, lock: bool = False) -> Product:
    query = Product.objects.for_org(organization).filter(slug=slug)
    found = (query.select_for_update() if lock else query).first()
    if found is None:
        raise NotFoundError("no such product")
    return found


def answer_question(actor: Actor, organization: Organization, command: AnswerQuestion) -> ProductVersion:
    """A new version of the product with the answer; the audit event names question and place."""
    from securable import api

    authorize(actor, organization, "product.edit")
    _question(command.question)
    with transaction.atomic():
        authorize(actor, organization, "product.edit")
        product = _product(organization, command.product, lock=True)
        base = ProductVersion.objects.for_org(organization).get(product=product, number=product.latest_number)
        document = api.Document(FILENAME, bytes(base.content))
        state = next((s for s in api.questions(document).states if s.question == command.question), None)
        # Answers typed against an older version still apply when nobody answered that place since:
        # members answering different questions at once do not block each other.
        still_open = state is not None and (
            command.place in state.missing if not command.not_applicable else str(state.status) == "open"
        )
        if not still_open:
            if command.base != product.latest_number:
                raise Conflict(
                    f"{command.question} was changed in version {product.latest_number}, saved after "
                    f"the version {command.base} you answered",
                    hint="reload the questions to see the answer",
                )
            raise InputError(f"{command.place[:200] or command.question} is not open in this version")
        if command.not_applicable:
            content = api.not_applicable(document, command.question, command.text)
        else:
            content = api.answer(document, command.place, command.text)
        product.latest_number += 1
        product.save(update_fields=["latest_number"])
        digest = hashlib.sha256(content).hexdigest()
        version = ProductVersion(
            organization=organization,
            product=product,
            number=product.latest_number,
            content=content,
            sha256=digest,
            label=base.label,
            author=person_for(actor.user),
        )
        version.save(force_insert=True)
        append(
            actor,
            organization,
            "question.not-applicable" if command.not_applicable else "question.answer",
            target=("product", product.slug),
            before={"version": base.number, "sha256": base.sha256},
            after={
                "version": version.number,
                "sha256": digest,
                "question": command.question,
                "place": command.place,
            },
            why=command.why,
        )
    return version


def comment(actor: Actor, organization: Organization, command: Comment) -> QuestionComment:
    authorize(actor, organization, "product.comment")
    text = command.text.strip()
    if not text or len(text) > MAX_COMMENT:
        raise InputError(f"write a comment of 1 to {MAX_COMMENT} characters")
    question = _question(command.question)
    with transaction.atomic():
        authorize(actor, organization, "product.comment")
        product = _product(organization, command.product)
        made = QuestionComment(
            organization=organization,
            product=product,
            question=question,
            author=person_for(actor.user),
            text=text,
        )
        made.save(force_insert=True)
        # The text stays out of the chain: it may hold personal data, and the chain is never erased.
        append(
            actor,
            organization,
            "question.comment",
            target=("product", product.slug),
            after={"question": question, "comment": made.pk},
        )
    return made


def assign(actor: Actor, organization: Organization, command: Assign) -> QuestionAssignment | None:
    """Assign the question to a member (replacing any assignee), or unassign it."""
    authorize(actor, organization, "product.edit")
    question = _question(command.question)
    with transaction.atomic():
        authorize(actor, organization, "product.edit")
        product = _product(organization, command.product, lock=True)
        previous = QuestionAssignment.objects.for_org(organization).filter(product=product, question=question)
        before = previous.values_list("assignee__public_id", flat=True).first()
        previous.delete()
        made = None
        assignee: Person | None = None
        if command.assignee:
            member = (
                Membership.objects.filter(organization=organization, user__email__iexact=command.assignee)
                .select_related("user")
                .first()
            )
            if member is None or not allows(member.role, "product.edit"):
                raise InputError("assign questions to members who may answer them (product.edit)")
            assignee = person_for(member.user)
            made = QuestionAssignment(
                organization=organization,
                product=product,
                question=question,
                assignee=assignee,
                assigned_by=person_for(actor.user),
            )
            made.save(force_insert=True)
        append(
            actor,
            organization,
            "question.assign",
            target=("product", product.slug),
            before={"question": question, "assignee": str(before) if before else None},
            after={"question": question, "assignee": str(assignee.public_id) if assignee else None},
        )
    return made
