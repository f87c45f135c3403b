"""Accessibility: axe-core (vendored, see vendor/axe-core/PROVENANCE.md) checks each main page in
Debian's Chromium; no serious or critical violation is allowed.

axe runs through Playwright's evaluate, which the page's Content-Security-Policy does not govern,
so the pages are checked with their real policy in force.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.products.services import ImportProduct, import_product

from .conftest import CAMERA, PASSWORD, actor
from .test_web_browser import ARGS, CHROMIUM

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


def test_main_pages_have_no_serious_accessibility_violations(
    live_server: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # Playwright's loop runs in this thread
    owner = make_user("lead@maker.example")
    org = create_organization(actor(owner), CreateOrganization("maker", "Maker Inc.", "maker"))
    import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), slug="homecam"))
    base = live_server.url
    pages = {
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
        "home": "/",
        "products": "/o/maker/products/",
        "product": "/o/maker/products/homecam/",
        "members": "/o/maker/members/",
        "audit": "/o/maker/audit/",
        "tokens": "/o/maker/tokens/",
        "second factor": "/accounts/2fa/",
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
                    page.fill("input[name=login]", owner.email)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("form button[type=submit]")
                    page.wait_for_url(f"{base}/")
                page.goto(base + path)
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
