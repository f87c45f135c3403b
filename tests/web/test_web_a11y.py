"""Accessibility: axe-core (vendored, see vendor/axe-core/PROVENANCE.md) checks each main page of both
sides of the demo workspace in Debian's Chromium; no serious or critical violation is allowed.

axe runs through Playwright's evaluate, which the page's Content-Security-Policy does not govern,
so the pages are checked with their real policy in force.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chromium import ARGS, CHROMIUM
from securable.web.agency.models import Evaluation, RequirementSet, VendorPackage
from securable.web.operations.models import Maintenance
from securable.web.orgs.demo import AGENCY, ANSWERED, MAKER, RELEASED, load
from securable.web.orgs.models import Organization

from .conftest import ROOT

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make unit installs it)"),
]


def _demo_pages() -> dict[str, str]:
    """The main pages of both sides, on the demo workspace (loaded through the services as `make demo`
    loads it), so each page is checked with real content: charts, tables, records in every state."""
    maker, agency = f"/o/{MAKER[0]}", f"/o/{AGENCY[0]}"
    org = Organization.objects.get(slug=AGENCY[0])
    requirements = RequirementSet.objects.for_org(org).get()
    package = VendorPackage.objects.for_org(org).order_by("pk").first()
    evaluation = Evaluation.objects.for_org(org).get()
    failed = Maintenance.objects.for_org(org).filter(state="failed").get()
    assert package is not None
    return {
        "questions": f"{maker}/products/{ANSWERED[0]}/questions/",
        "coverage": f"{maker}/products/{RELEASED}/coverage",
        "diff": f"{maker}/products/{ANSWERED[0]}/diff",
        "releases": f"{maker}/releases/",
        "requirement set": f"{agency}/agency/requirements/{requirements.slug}/",
        "vendor package": f"{agency}/agency/vendors/{package.pk}/",
        "evaluation": f"{agency}/agency/evaluations/{evaluation.pk}/",
        "devices": f"{agency}/devices/",
        "maintenance record": f"{agency}/maintenance/{failed.number}/",
        "policies": f"{agency}/policies/",
    }


def test_main_pages_have_no_serious_accessibility_violations(
    live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # Playwright's loop runs in this thread
    demo = load(ROOT / "examples")
    base = live_server.url
    maker = f"/o/{MAKER[0]}"
    pages = {
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
        "home": "/",
        "products": f"{maker}/products/",
        "product": f"{maker}/products/home-camera/",
        "members": f"{maker}/members/",
        "audit": f"{maker}/audit/",
        "tokens": f"{maker}/tokens/",
        "second factor": "/accounts/2fa/",
        **_demo_pages(),
    }
    axe = AXE.read_text(encoding="utf-8")
    found: dict[str, list[dict[str, Any]]] = {}
    checked: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=60_000)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            for name, path in pages.items():
                if name == "home":  # the pages after it need a signed-in member
                    page.goto(f"{base}/accounts/login/")
                    page.fill("input[name=login]", demo.email)
                    page.fill("input[name=password]", demo.password)
                    page.click("form button[type=submit]")
                    page.wait_for_url(f"{base}/")
                response = page.goto(base + path)
                assert response is not None
                assert response.status == 200, (name, response.status)
                assert page.url == base + path, name  # really that page, not a redirect to sign-in
                page.evaluate(axe)
                violations = page.evaluate(RUN_AXE)
                checked.append(name)
                blocking = [v for v in violations if v["impact"] in BLOCKING]
                if blocking:
                    found[name] = blocking
            # The check can fail: a page with an unlabelled button and an image without text fails it.
            page.set_content(
                '<html lang="en"><title>t</title><main><img src="data:,"><button></button></main>'
            )
            page.evaluate(axe)
            control = {v["id"] for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING}
            assert {"button-name", "image-alt"} <= control
        finally:
            browser.close()
    assert checked == list(pages)
    assert found == {}
