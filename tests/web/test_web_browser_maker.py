"""Browser test of the maker side: Playwright drives Debian's Chromium against a live server.
Answer a question in place (htmx under the strict CSP), see the coverage chart, request a release,
approve it as a second member, and download the signed package."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from chromium import ARGS, CHROMIUM
from securable.web import jobs
from securable.web.orgs.models import Organization
from securable.web.products.services import ImportProduct, import_product

from .conftest import CAMERA, PASSWORD, actor
from .test_web_questions import open_product
from .test_web_releases import run_worker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make unit installs it)"),
]


def _sign_in(browser: Any, base: str, email: str, problems: list[str]) -> Any:
    page = browser.new_context(accept_downloads=True).new_page()
    page.set_default_timeout(30_000)
    # A strict CSP reports every inline script or style it blocks (and htmx its errors) on the console.
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_answer_in_place_see_coverage_release_and_download(
    *,
    live_server: Any,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    org: Organization,
    owner: Any,
    member_of: Callable[[Organization, str], Any],
) -> None:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    settings.PACKAGE_PDF = False
    import_product(actor(owner), org, ImportProduct(open_product(), slug="open"))
    import_product(actor(owner), org, ImportProduct(CAMERA.read_bytes(), slug="cam"))
    reviewer = member_of(org, "reviewer")
    base = live_server.url
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=60_000)
        try:
            page = _sign_in(browser, base, owner.email, problems)
            page.goto(f"{base}/o/maker/products/open/questions/")
            assert page.locator("#progress label").inner_text().startswith("0 of ")
            page.evaluate("window.notReloaded = true")
            question = page.locator("#q-Q3-1-4")
            question.locator("textarea[name=text]").first.fill("Europe")
            question.get_by_role("button", name="Save answer").first.click()
            page.wait_for_selector("#q-Q3-1-4 .status-answered")
            assert page.evaluate("window.notReloaded") is True  # swapped in place by htmx
            assert page.locator("#progress label").inner_text().startswith("1 of ")

            page.goto(f"{base}/o/maker/products/cam/coverage")
            chart = page.locator("svg.chart").first
            assert chart.is_visible()
            assert chart.get_attribute("role") == "img"

            page.goto(f"{base}/o/maker/products/cam/")
            page.set_input_files("input[name=sbom]", str(CAMERA.parent / "sbom.cdx.json"))
            page.get_by_role("button", name="Request a release").click()
            page.wait_for_url(f"{base}/o/maker/releases/")
            assert "another member approves it" in page.content()

            second = _sign_in(browser, base, reviewer.email, problems)
            second.goto(f"{base}/o/maker/releases/")
            second.get_by_role("button", name="Approve and sign").click()
            # Approving signs with the organization's key: the password is asked again, and the
            # approval kept meanwhile is carried out once it is given.
            second.wait_for_url(f"{base}/accounts/reauthenticate/**")
            second.fill("input[name=password]", PASSWORD)
            second.locator("main form button[type=submit]").first.click()
            second.wait_for_url(f"{base}/o/maker/releases/")
            if jobs.uses_queue():  # PostgreSQL: the build waits in the queue for a worker
                # In a thread of its own: Playwright's sync API holds this thread's event loop.
                worker = threading.Thread(target=run_worker)
                worker.start()
                worker.join(timeout=120)  # a hang guard only
                second.reload()
            with second.expect_download() as download:
                second.get_by_role("link", name="Download package (zip)").click()
            path = download.value.path()
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
                assert "manifest.json" in archive.namelist()
        finally:
            browser.close()
    assert problems == []
