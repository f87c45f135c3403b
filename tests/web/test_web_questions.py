"""The questionnaire in the browser: questions per activity with progress, answers as new versions
(the YAML loads with the CLI and exports byte for byte), htmx and no-JS saves, comments, assignment
and "my open questions"."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from securable import api
from securable.product.answering import answer
from securable.product.template import template_yaml
from securable.web.audit.models import AuditEvent
from securable.web.orgs.models import Organization
from securable.web.products.models import Product, ProductVersion
from securable.web.products.services import ImportProduct, import_product

from .conftest import CAMERA, actor
from .test_web_pages import assert_csp_clean

pytestmark = pytest.mark.django_db


def open_product() -> bytes:
    """A description with a name and every question open: the template, answered once."""
    return answer(template_yaml().encode(), "product.name", "Open Cam")


@pytest.fixture
def product(org: Organization, owner: Any) -> Product:
    return import_product(actor(owner), org, ImportProduct(open_product(), slug="open")).product


def _url(name: str, org: Organization, **more: str) -> str:
    return reverse(name, kwargs={"org": org.slug, "product": "open", **more})


def _answer(client: Client, org: Organization, base: int, place: str, text: str, **headers: str) -> Any:
    data = {"question": "Q3.1-4", "place": place, "text": text, "base": str(base)}
    return client.post(_url("product_answer", org), data, headers=headers)


def _latest(org: Organization) -> ProductVersion:
    item = Product.objects.for_org(org).get(slug="open")
    return ProductVersion.objects.for_org(org).get(product=item, number=item.latest_number)


def _status(raw: bytes, question: str) -> str:
    states = api.questions(api.Document("securable.yaml", raw)).states
    return next(str(s.status) for s in states if s.question == question)


def test_questions_page_groups_by_activity_with_progress(
    org: Organization, owner: Any, product: Product, client_of: Callable[[Any], Client]
) -> None:
    page = client_of(owner).get(_url("product_questions", org))
    assert page.status_code == 200
    html = page.content.decode()
    assert_csp_clean(html)
    total = len(api.questions(api.Document("x", open_product())).states)
    assert f"0 of {total} questions answered" in html
    assert "Activity 1: identify expected customers" in html
    assert "Activity 6: decide what to communicate" in html
    assert 'id="q-Q3-1-4"' in html
    assert 'name="place" value="use_cases[0].where"' in html
    assert 'hx-post="' in html  # htmx saves, and action= for the no-JS fallback
    assert html.count("<progress") >= 7


def test_an_answer_without_javascript_is_a_new_version_the_cli_loads(
    org: Organization, owner: Any, product: Product, client_of: Callable[[Any], Client]
) -> None:
    client = client_of(owner)
    done = _answer(client, org, 1, "use_cases[0].where", "Europe\nNorth America")
    assert done.status_code == 302
    assert done["Location"].endswith("/questions/#q-Q3-1-4")
    version = _latest(org)
    assert version.number == 2
    stored = bytes(version.content)
    assert _status(stored, "Q3.1-4") == "answered"
    # What export returns is the stored file, byte for byte, and the CLI's check loads it.
    exported = client.get(reverse("product_yaml", kwargs={"org": org.slug, "product": "open"}))
    assert b"".join(exported.streaming_content if exported.streaming else [exported.content]) == stored
    api.check(api.Document("securable.yaml", stored), today=date(2026, 12, 4))
    event = AuditEvent.objects.for_org(org).order_by("-seq").first()
    assert event is not None
    assert '"action":"question.answer"' in event.payload
    assert '"place":"use_cases[0].where"' in event.payload


def test_an_htmx_save_returns_the_question_block_and_the_progress(
    org: Organization, owner: Any, product: Product, client_of: Callable[[Any], Client]
) -> None:
    done = _answer(client_of(owner), org, 1, "use_cases[0].where", "Europe", HX_Request="true")
    assert done.status_code == 200
    html = done.content.decode()
    assert html.lstrip().startswith('<article id="q-Q3-1-4"')
    assert "status-answered" in html
    assert 'id="progress" class="progress" hx-swap-oob="true"' in html
    assert_csp_clean(html)


def test_a_bad_answer_shows_the_core_message_in_place(
    org: Organization, owner: Any, product: Product, client_of: Callable[[Any], Client]
) -> None:
    client = client_of(owner)
    bad = client.post(
        _url("product_answer", org),
        {"question": "Q3.1-6", "place": "use_cases[0].period_of_use_years.min", "text": "ten", "base": "1"},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 400
    assert bad["HX-Retarget"] == "#err-q-Q3-1-6"
    assert _latest(org).number == 1
    plain = _answer(client, org, 1, "use_cases[0].where", "a\x1b[31m")
    assert plain.status_code == 400
    assert b"control characters" in plain.content


def test_stale_saves_merge_unless_the_same_place_was_answered(
    org: Organization, owner: Any, product: Product, client_of: Callable[[Any], Client]
) -> None:
    client = client_of(owner)
    assert _answer(client, org, 1, "use_cases[0].where", "Europe").status_code == 302
    # Typed against version 1, a different place: applies on version 2.
    other = client.post(
        _url("product_answer", org),
        {"question": "Q3.1-2", "place": "customers.organizations", "text": "hospitals", "base": "1"},
    )
    assert other.status_code == 302
    raw = bytes(_latest(org).content)
    assert _status(raw, "Q3.1-4") == "answered"
    assert _status(raw, "Q3.1-2") == "answered"
    # The same place again, typed against version 1: refused, the first answer stays.
    again = _answer(client, org, 1, "use_cases[0].where", "Asia")
    assert again.status_code == 409
    assert _latest(org).number == 3


def test_not_applicable_with_a_reason(
    org: Organization, owner: Any, product: Product, client_of: Callable[[Any], Client]
) -> None:
    done = client_of(owner).post(
        _url("product_answer", org),
        {"question": "Q3.1-2", "action": "not-applicable", "text": "sold to people only", "base": "1"},
    )
    assert done.status_code == 302
    assert _status(bytes(_latest(org).content), "Q3.1-2") == "not-applicable"


def test_comments_and_assignment_and_my_open_questions(
    *,
    org: Organization,
    owner: Any,
    product: Product,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
    django_assert_max_num_queries: Any,
) -> None:
    writer = member_of(org, "editor")
    reviewer = member_of(org, "reviewer")
    lead = client_of(owner)
    said = client_of(reviewer).post(
        _url("product_comment", org), {"question": "Q3.1-4", "text": "Only sold in the EU <b>now</b>"}
    )
    assert said.status_code == 302
    given = lead.post(_url("product_assign", org), {"question": "Q3.1-4", "assignee": writer.email})
    assert given.status_code == 302
    page = lead.get(_url("product_questions", org)).content.decode()
    assert "Only sold in the EU &lt;b&gt;now&lt;/b&gt;" in page
    assert f"Assigned to {writer.email}" in page
    mine = client_of(writer)
    with django_assert_max_num_queries(12):
        listed = mine.get(reverse("my_questions", kwargs={"org": org.slug})).content.decode()
    assert "#q-Q3-1-4" in listed
    assert (
        "#q-Q3-1-4"
        not in client_of(reviewer).get(reverse("my_questions", kwargs={"org": org.slug})).content.decode()
    )
    # Once answered, the question leaves the list.
    assert _answer(mine, org, 1, "use_cases[0].where", "Europe").status_code == 302
    assert "#q-Q3-1-4" not in mine.get(reverse("my_questions", kwargs={"org": org.slug})).content.decode()
    # Only members who may answer can be assigned.
    outsider = lead.post(
        _url("product_assign", org), {"question": "Q3.1-2", "assignee": "nobody@else.example"}
    )
    assert outsider.status_code == 400
    reader = lead.post(_url("product_assign", org), {"question": "Q3.1-2", "assignee": reviewer.email})
    assert reader.status_code == 400
    actions = [json.loads(e.payload)["action"] for e in AuditEvent.objects.for_org(org)]
    assert {"question.comment", "question.assign", "question.answer"} <= set(actions)


def test_questions_page_within_a_query_budget(
    org: Organization,
    owner: Any,
    product: Product,
    client_of: Callable[[Any], Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_of(owner)
    for question in ("Q3.1-2", "Q3.1-4", "Q3.1-5"):
        client.post(_url("product_comment", org), {"question": question, "text": "check this"})
        client.post(_url("product_assign", org), {"question": question, "assignee": owner.email})
    with django_assert_max_num_queries(10):
        page = client.get(_url("product_questions", org))
    assert page.content.decode().count("check this") == 3


def test_an_auditor_reads_but_cannot_answer_or_comment(
    org: Organization,
    product: Product,
    member_of: Callable[[Organization, str], Any],
    client_of: Callable[[Any], Client],
) -> None:
    client = client_of(member_of(org, "auditor"))
    page = client.get(_url("product_questions", org)).content.decode()
    assert "Save answer" not in page
    assert "Add comment" not in page
    assert _answer(client, org, 1, "use_cases[0].where", "Europe").status_code == 403
    assert _latest(org).number == 1


def test_posture_diff_between_two_versions(
    org: Organization,
    owner: Any,
    product: Product,
    client_of: Callable[[Any], Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_of(owner)
    assert _answer(client, org, 1, "use_cases[0].where", "Europe").status_code == 302
    with django_assert_max_num_queries(9):
        page = client.get(_url("product_diff", org))
    assert page.status_code == 200
    html = page.content.decode()
    assert_csp_clean(html)
    assert "<td>Q3.1-4</td><td>open</td><td>answered</td>" in html
    assert "<code>use_cases[0].where</code>" in html
    same = client.get(_url("product_diff", org) + "?from=2&to=2").content.decode()
    assert "No change in answers, coverage or findings" in same
    # The camera against the open template: coverage and findings change too.
    import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), slug="open"))
    full = client.get(_url("product_diff", org) + "?from=1&to=3").content.decode()
    assert "Requirements whose status changed (0)" not in full
    assert re.search(r"Gone since version 1 \([1-9]", full)
    assert client.get(_url("product_diff", org) + "?from=99").status_code == 404
    assert client.get(_url("product_diff", org) + "?from=x").status_code == 404


@pytest.mark.parametrize("page", ["product_coverage", "product_findings"])
def test_coverage_and_findings_charts_are_accessible_svg(
    org: Organization,
    owner: Any,
    client_of: Callable[[Any], Client],
    django_assert_max_num_queries: Any,
    page: str,
) -> None:
    import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), slug="open"))
    client = client_of(owner)
    with django_assert_max_num_queries(10):  # 7 reads, and the session's last-activity update
        got = client.get(_url(page, org))
    assert got.status_code == 200
    html = got.content.decode()
    assert_csp_clean(html)
    charts = re.findall(r"<svg [^>]*>", html)
    assert charts
    for svg in charts:
        assert 'role="img"' in svg
        ident = re.search(r'aria-labelledby="([^ ]+)-t \1-d"', svg)
        assert ident is not None
        assert f'<title id="{ident.group(1)}-t">' in html
        assert f'<desc id="{ident.group(1)}-d">' in html
    assert html.count("The chart's numbers") == len(charts)  # a table beside each chart
    assert "Incident Detection" in html  # a NISTIR 8228 risk area
    if page == "product_coverage":
        assert "Device Identification" in html  # a capability
        assert 'fill="#2a7a2a"' in html  # met by the device
    else:
        total = len(api.check(api.Document("x", CAMERA.read_bytes()), today=date.today()).assessment.findings)
        assert f"Every finding ({total})" in html


def test_chart_text_is_escaped() -> None:
    from securable.web.products.charts import COVERAGE, Row, stacked_bars

    svg = stacked_bars("x", "<b>t</b>", "d&", [Row("</text><script>x</script>", {"gap": 2})], COVERAGE)
    assert "<script>" not in svg
    assert "&lt;/text&gt;&lt;script&gt;" in svg
    assert "&lt;b&gt;t&lt;/b&gt;" in svg
    assert 'width="380.0"' in svg  # the longest bar fills the width
