"""The coverage and findings pages of a product version, with SVG charts per capability and per
NISTIR 8228 risk area (``charts``) and the same numbers in tables; a thin view over ``api.check``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from securable.errors import SecurableError
from securable.web.orgs.models import Membership, Organization
from securable.web.pages import org_page
from securable.web.products import charts
from securable.web.products.views import version_of

if TYPE_CHECKING:
    from securable.assess.report import Assessment

NO_AREA = "(no risk area)"


def _assess(raw: bytes) -> Assessment:
    from securable import api

    return api.check(api.Document("securable.yaml", raw), today=timezone.now().date()).assessment


def _chart(
    ident: str, title: str, desc: str, rows: list[charts.Row], series: tuple[charts.Series, ...]
) -> dict[str, Any]:
    return {
        "ident": ident,
        "title": title,
        "svg": charts.stacked_bars(ident, title, desc, rows, series),
        "series": series,
        "rows": [(row.label, [row.values.get(s.key, 0) for s in series], row.total) for row in rows],
    }


def _page(request: HttpRequest, org: Organization, product: str, template: str, build: Any) -> HttpResponse:
    item, version = version_of(org, product, request.GET.get("version"))
    context: dict[str, Any] = {"org": org, "product": item, "version": version}
    try:
        assessment = _assess(bytes(version.content))
    except SecurableError as err:  # a version accepted by an older core may not load in a newer one
        return render(request, template, context | {"problem": err.render()})
    return render(request, template, context | build(assessment))


@org_page("product.view")
@require_GET
def coverage(request: HttpRequest, org: Organization, member: Membership, product: str) -> HttpResponse:
    def build(assessment: Assessment) -> dict[str, Any]:
        targets = []
        for index, c in enumerate(assessment.coverage):
            capabilities = [charts.Row(g.title, _counts(g.counts)) for g in c.capabilities]
            areas = [charts.Row(g.title, _counts(g.counts)) for g in c.areas]
            what = f"{c.target.title}: requirements by coverage status"
            targets.append(
                {
                    "title": c.target.title,
                    "totals": _counts(c.totals),
                    "charts": [
                        _chart(
                            f"cap{index}",
                            f"{what}, per capability",
                            _desc(capabilities),
                            capabilities,
                            charts.COVERAGE,
                        ),
                        _chart(
                            f"area{index}",
                            f"{what}, per NISTIR 8228 risk area",
                            _desc(areas),
                            areas,
                            charts.COVERAGE,
                        ),
                    ],
                }
            )
        return {"targets": targets}

    return _page(request, org, product, "products/coverage.html", build)


@org_page("product.view")
@require_GET
def findings(request: HttpRequest, org: Organization, member: Membership, product: str) -> HttpResponse:
    from securable.assess.areas import AREAS, areas_of_element

    def build(assessment: Assessment) -> dict[str, Any]:
        by_area: dict[str, dict[str, int]] = {title: {} for title in AREAS.values()}
        by_section: dict[str, dict[str, int]] = {}
        for located in assessment.findings:
            finding = located.finding
            severity = finding.severity.value
            cited = {a for element in finding.citation.elements for a in areas_of_element(element)}
            for area in sorted(cited, key=list(AREAS).index) or [""]:
                counts = by_area.setdefault(AREAS[area] if area else NO_AREA, {})
                counts[severity] = counts.get(severity, 0) + 1
            section = (
                f"NISTIR 8259 {finding.citation.section}" if finding.citation.section else "(no section)"
            )
            counts = by_section.setdefault(section, {})
            counts[severity] = counts.get(severity, 0) + 1
        areas = [charts.Row(label, values) for label, values in by_area.items()]
        sections = [charts.Row(label, by_section[label]) for label in sorted(by_section, key=_section_key)]
        what = f"{len(assessment.findings)} findings by severity"
        return {
            "findings": assessment.findings,
            "charts": [
                _chart("fa", f"{what}, per NISTIR 8228 risk area", _desc(areas), areas, charts.SEVERITY),
                _chart("fs", f"{what}, per NISTIR 8259 section", _desc(sections), sections, charts.SEVERITY),
            ],
        }

    return _page(request, org, product, "products/findings.html", build)


def _counts(counts: Any) -> dict[str, int]:
    return {k: int(v) for k, v in counts.items() if k != "total"}


def _desc(rows: list[charts.Row]) -> str:
    return "; ".join(f"{row.label}: {row.total}" for row in rows) or "nothing to show"


def _section_key(label: str) -> tuple[int, ...]:
    digits = label.rsplit(" ", 1)[-1]
    return tuple(int(p) for p in digits.split(".") if p.isdigit()) or (999,)
