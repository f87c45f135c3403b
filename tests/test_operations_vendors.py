"""The core rules of the vendor documentation vault, requests to manufacturers and oversight."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from securable import api
from securable.errors import InputError
from securable.operations import oversight, requests, vault

REPORT = {
    "questions": [
        {
            "vendor": "A",
            "kind": "unanswered",
            "group_title": "Updates",
            "requirements": ["R-1", "R-2"],
            "text": "How are\n updates signed?",
        },
        {"vendor": "B", "kind": "unstated", "requirements": [], "text": "When does support end?"},
        {"vendor": "A", "kind": "unstated", "text": "Who may open the device?"},
        "not a question",
    ]
}


def test_a_role_opens_documents_only_when_the_policy_names_it() -> None:
    assert vault.may_open("reviewer", ("owner", "reviewer"))
    assert not vault.may_open("editor", ("owner", "reviewer"))
    assert not vault.may_open("editor", ())


@given(st.text(max_size=300))
def test_a_stored_name_is_a_plain_base_name(raw: str) -> None:
    name = vault.safe_name(raw)
    assert name
    assert len(name) <= vault.MAX_NAME
    assert not set(name) & set('/\\"\r\n\x00\t')
    header = vault.attachment(raw)
    assert header.startswith("attachment; ")
    assert header.isascii()
    assert "\r" not in header
    assert "\n" not in header
    assert header.count('"') == 2  # the fallback name's own quotes and no others


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("C:\\Users\\me\\manual.pdf", "manual.pdf"),
        ("../../etc/passwd", "passwd"),
        ('evil".html\r\nSet-Cookie: x=1', "evil.htmlSet-Cookie: x=1"),
        ("..", "document"),
        ("\u202egnp.exe", "gnp.exe"),  # the right-to-left override is a format character
    ],
)
def test_names_from_hostile_clients(raw: str, kept: str) -> None:
    assert vault.safe_name(raw) == kept


def test_uploads_are_refused_empty_or_over_the_cap() -> None:
    with pytest.raises(InputError, match="empty"):
        vault.checked(b"", "a.pdf")
    with pytest.raises(InputError, match="larger than"):
        vault.checked(b"\0" * (vault.MAX_DOCUMENT + 1), "a.pdf")
    name, digest = vault.checked(b"manual", "dir/a.pdf")
    assert name == "a.pdf"
    assert len(digest) == 64


def test_a_request_moves_open_answered_closed_and_stays_closed() -> None:
    assert requests.after("open", "follow-up") == "open"
    assert requests.after("open", "answer") == "answered"
    assert requests.after("answered", "follow-up") == "answered"
    assert requests.after("answered", "close") == "closed"
    for event in requests.EVENTS:
        with pytest.raises(requests.Refused, match="closed request"):
            requests.after("closed", event)
    with pytest.raises(InputError, match="unknown event"):
        requests.after("open", "delete")


def test_a_request_is_drafted_from_that_vendors_questions_only() -> None:
    assert requests.vendors(REPORT) == ["A", "B"]
    text = requests.draft(REPORT, "A")
    assert "(2 items)" in text
    assert "1. [Updates] How are updates signed?" in text
    assert "Requirements: R-1, R-2" in text
    assert "2. [unstated] Who may open the device?" in text
    assert "support end" not in text
    with pytest.raises(InputError, match="no questions"):
        requests.draft(REPORT, "C")
    with pytest.raises(InputError, match="no questions"):
        requests.draft({"questions": "none"}, "A")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 60))
def test_months_are_added_on_the_calendar(day: date, months: int) -> None:
    later = oversight.add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day == day.day or later.day < day.day  # clamped to a shorter month's end
    assert later > day


def test_an_audit_is_due_after_the_last_one_or_after_taking_the_provider_on() -> None:
    since = date(2025, 1, 31)
    first = oversight.next_audit(since, None, 1, date(2025, 2, 28))
    assert first.day == date(2025, 2, 28)
    assert not first.overdue
    late = oversight.next_audit(since, None, 12, date(2026, 2, 10))
    assert late.day == date(2026, 1, 31)
    assert late.overdue_days == 10
    audited = oversight.next_audit(since, date(2026, 2, 1), 12, date(2026, 2, 10))
    assert audited.day == date(2027, 2, 1)
    assert not audited.overdue
    assert oversight.next_audit(since, None, 6, since + timedelta(days=1)).day == date(2025, 7, 31)
    with pytest.raises(InputError):
        oversight.check_interval(0)
    with pytest.raises(InputError):
        oversight.check_interval(61)


def test_a_packages_product_facts_are_the_descriptions_own(tmp_path: Path) -> None:
    from securable.package.keys import keygen
    from securable.product import load_product

    example = Path(__file__).resolve().parents[1] / "examples" / "federal-env-sensor" / "securable.yaml"
    keygen(tmp_path / "key.pem", tmp_path / "key.pub")
    api.package(example, tmp_path / "pkg", today=date(2026, 12, 4), key=tmp_path / "key.pem", pdf=False)
    described = load_product(example)
    found = api.package_product(tmp_path / "pkg")
    assert described.product is not None
    assert described.support is not None
    assert (found.name, found.manufacturer, found.version) == (
        described.product.name,
        described.product.manufacturer,
        described.product.version,
    )
    assert (found.support_end, found.end_of_life) == (
        described.support.support_end,
        described.support.end_of_life,
    )
    assert found.reads[0].sha256

    product_json = tmp_path / "pkg" / "machine" / "product.json"
    doc = json.loads(product_json.read_text(encoding="utf-8"))
    doc["product"]["support"]["end_of_life"] = "soon"
    product_json.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match="not a date"):
        api.package_product(tmp_path / "pkg")
    product_json.unlink()
    with pytest.raises(InputError, match="no product description"):
        api.package_product(tmp_path / "pkg")
