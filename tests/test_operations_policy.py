"""Policies drafted from the seed page's Agency actions: coverage, parameters and the three exports."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime

import pytest

from securable.errors import InputError
from securable.operations import policy
from securable.operations.actions import seed_actions
from securable.oscal.validate import validate_document

PARAMS = policy.Parameters("Dept. of <Things> & Co", removal_days=5, review_months=6)
DRAFTED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
DRAFT = policy.Issue("Dept. of <Things> & Co", 3, "Ann", "", None, DRAFTED)
APPROVED = dataclasses.replace(DRAFT, approver="Ben", approved=datetime(2026, 6, 2, 9, 0, tzinfo=UTC))


def test_every_seed_action_is_in_exactly_one_document() -> None:
    documents = policy.generate(PARAMS)
    cited = [a for d in documents for s in d.statements for a in s.actions]
    assert sorted(cited) == sorted(a.id for a in seed_actions())
    assert len(cited) == len(set(cited))


def test_the_parameters_are_written_in() -> None:
    text = " ".join(s.text for d in policy.generate(PARAMS) for s in d.statements)
    assert "at most 5 days before it leaves" in text
    assert "every 6 months" in text
    assert "with the reviewer role" in text
    assert "one of these roles: owner, reviewer" in text
    one = " ".join(
        s.text for d in policy.generate(dataclasses.replace(PARAMS, removal_days=1)) for s in d.statements
    )
    assert "at most 1 day before" in one


@pytest.mark.parametrize(
    "change",
    [
        {"agency": " "},
        {"removal_days": 0},
        {"removal_days": 31},
        {"review_months": 37},
        {"approver_role": "janitor"},
        {"documentation_roles": ()},
        {"documentation_roles": ("owner", "everyone")},
    ],
)
def test_unusable_parameters_are_refused(change: dict[str, object]) -> None:
    with pytest.raises(InputError, match="not usable"):
        policy.generate(dataclasses.replace(PARAMS, **change))  # type: ignore[arg-type]


def test_storage_round_trip() -> None:
    documents = policy.generate(PARAMS)
    assert policy.from_json(policy.to_json(documents)) == documents


def test_html_escapes_the_agency_and_names_the_actions() -> None:
    html = policy.to_html(policy.generate(PARAMS), APPROVED)
    assert "<Things>" not in html
    assert "Dept. of &lt;Things&gt; &amp; Co" in html
    assert "<code>FPN-SEED-2.A1</code>" in html
    assert "approved by Ben on 2026-06-02" in html
    assert "not approved" in policy.to_html(policy.generate(PARAMS), DRAFT)


def test_docx_holds_every_statement() -> None:
    import docx

    documents = policy.generate(dataclasses.replace(PARAMS, agency="Agency\x07 X"))
    opened = docx.Document(io.BytesIO(policy.to_docx(documents, APPROVED)))
    text = "\n".join(p.text for p in opened.paragraphs)
    for d in documents:
        assert d.title in text
        for s in d.statements:
            for a in s.actions:
                assert a in text


@pytest.mark.parametrize("issue", [DRAFT, APPROVED])
def test_oscal_component_definition_is_valid(issue: policy.Issue) -> None:
    doc = policy.to_oscal(policy.generate(PARAMS), issue)
    report = validate_document(doc, name="policies.json", model="component-definition")
    assert report.ok, report.problems
    component = doc["component-definition"]["components"][0]
    assert component["type"] == "policy"
    ids = [r["control-id"] for r in component["control-implementations"][0]["implemented-requirements"]]
    assert "fpn-seed-2.a1" in ids
    assert len(ids) == len(seed_actions())
