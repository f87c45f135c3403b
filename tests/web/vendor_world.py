"""Vendor documentation, a verified vendor package, a stored evaluation with questions, a request to
a manufacturer and a service provider, made for one organization (the authorization matrix and the
vendor tests share them)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from securable.web.agency.models import Evaluation, RequirementSet, RequirementVersion, VendorPackage
from securable.web.audit.record import person_for
from securable.web.operations import vendor_services as vs
from securable.web.orgs.models import Organization

from .conftest import actor

QUESTIONS = {
    "questions": [
        {
            "vendor": "Aerolume",
            "kind": "unanswered",
            "group": "IDS",
            "group_title": "Software updates",
            "requirements": ["FPN-1.1"],
            "text": "How are firmware updates signed?",
        },
        {
            "vendor": "Northwind",
            "kind": "unanswered",
            "group": None,
            "group_title": None,
            "requirements": [],
            "text": "When does support end?",
        },
    ]
}


def stored_package(org: Organization, founder: Any, archive: bytes, public_key: bytes) -> VendorPackage:
    """A package row as the agency's upload stores a verified one (the upload is tested there)."""
    package = VendorPackage(
        organization=org,
        name="Aerolume",
        filename="aerolume.zip",
        archive=archive,
        sha256=hashlib.sha256(archive).hexdigest(),
        public_key=public_key.decode("ascii"),
        status=VendorPackage.Status.VERIFIED,
        uploader=person_for(founder),
    )
    package.save(force_insert=True)
    return package


def stored_evaluation(org: Organization, founder: Any, result: dict[str, Any]) -> Evaluation:
    person = person_for(founder)
    item = RequirementSet.objects.for_org(org).create(
        organization=org, slug="s", name="Sensors", latest_number=1
    )
    version = RequirementVersion.objects.for_org(org).create(
        organization=org, requirement_set=item, number=1, export="{}", report="{}", author=person
    )
    return Evaluation.objects.for_org(org).create(
        organization=org, name="Sensors v1: Aerolume", requirements=version, result=result, author=person
    )


def vendor_stock(org: Organization, founder: Any, archive: bytes, public_key: bytes) -> dict[str, int]:
    a = actor(founder)
    document = vs.add_document(
        a, org, vs.AddDocument("Aerolume", "EnviroNode 400", "Service manual", "manual.pdf", b"%PDF-1.4\n")
    )
    package = stored_package(org, founder, archive, public_key)
    evaluation = stored_evaluation(org, founder, QUESTIONS)
    request = vs.make_request(
        a,
        org,
        vs.NewRequest(
            "Aerolume", "EnviroNode 400", "parts", "Spare sensor", "Two spare boards", date.today()
        ),
    )
    provider = vs.add_provider(
        a,
        org,
        vs.NewProvider(
            "FixIt Ltd", "contractor", "repairs", "Wipe data before repair", 12, date.today() - timedelta(400)
        ),
    )
    return {
        "document": document.pk,
        "package": package.pk,
        "evaluation": evaluation.pk,
        "request": request.number,
        "provider": provider.pk,
    }
