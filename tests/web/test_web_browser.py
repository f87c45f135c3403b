"""Browser test: Playwright drives Debian's Chromium (/usr/bin/chromium, installed by `make unit`)
against a live server: sign up, found an organization, import a product, see its assessment.

Playwright's own browser downloads are never used (`playwright install` is not run anywhere).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from chromium import ARGS, CHROMIUM

from .conftest import CAMERA, PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make unit installs it)"),
]


def test_sign_up_import_a_product_and_see_its_assessment(
    live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM runs in the server's thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    base = live_server.url
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=60_000)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            # A strict CSP reports every inline script or style it blocks on the console.
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

            page.goto(f"{base}/accounts/signup/")
            page.fill("input[name=email]", "lead@maker.example")
            page.fill("input[name=password1]", PASSWORD)
            page.fill("input[name=password2]", PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{base}/")

            page.fill("input[name=name]", "Maker Inc.")
            page.fill("input[name=slug]", "maker")
            page.get_by_role("button", name="Create").click()
            page.wait_for_url(f"{base}/o/maker/products/")
            assert page.locator("h1").inner_text() == "Products of Maker Inc."
            # The style sheet is our own file, applied (not blocked by the CSP).
            assert page.evaluate("getComputedStyle(document.querySelector('header')).display") == "flex"

            page.set_input_files("input[name=file]", str(CAMERA))
            page.fill("input[name=why]", "first release")
            page.get_by_role("button", name="Import").click()
            page.wait_for_url(f"{base}/o/maker/products/acme-homecam-2/")
            assert page.locator("h1").inner_text() == "Acme HomeCam 2"
            summary = page.locator("section.assessment").inner_text()
            assert "NISTIR 8259 questions" in summary
            assert "Findings (" in summary

            page.click("summary")  # the organization switcher opens without script
            assert page.locator(".switcher a", has_text="Maker Inc.").is_visible()
        finally:
            browser.close()
    assert problems == []
    assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "1"
