"""Browser test of the agency's side: Playwright drives Debian's Chromium (/usr/bin/chromium) against
a live server: derive and tailor requirements, add a second person who approves them, upload a vendor's
package, see it verified, evaluate it and see the verdicts, questions and clauses.

Playwright's own browser downloads are never used (`playwright install` is not run anywhere).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from chromium import ARGS, CHROMIUM

from .agency_world import Packages, packages_fixture  # noqa: F401  (the packages fixture)
from .conftest import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make unit installs it)"),
]


def test_requirements_upload_verify_and_evaluate(
    live_server: Any, monkeypatch: pytest.MonkeyPatch, packages: Packages, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # the ORM runs here and in the server thread
    base = live_server.url
    (tmp_path / "aerolume.zip").write_bytes(packages.sensor)
    (tmp_path / "aerolume.pem").write_bytes(packages.public_key)
    # Accounts are made before the browser starts: ORM calls made while Playwright's event loop runs
    # would use a connection of their own, left open at the end.
    get_user_model().objects.create_user(
        username="ciso@agency.example", email="ciso@agency.example", password=PASSWORD
    )
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=60_000)
        try:
            lead = browser.new_context().new_page()
            lead.set_default_timeout(30_000)
            lead.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            lead.goto(f"{base}/accounts/signup/")
            lead.fill("input[name=email]", "officer@agency.example")
            lead.fill("input[name=password1]", PASSWORD)
            lead.fill("input[name=password2]", PASSWORD)
            lead.click("form button[type=submit]")
            lead.wait_for_url(f"{base}/")
            lead.fill("input[name=name]", "Agency")
            lead.fill("input[name=slug]", "agency")
            lead.select_option("select[name=kind]", "agency")
            lead.get_by_role("button", name="Create").click()
            lead.wait_for_url(f"{base}/o/agency/products/")

            lead.get_by_role("link", name="Requirements").click()
            lead.fill("input[name=name]", "Building sensors")
            lead.select_option("select[name=baseline]", "low")
            lead.get_by_role("button", name="Create").click()
            lead.wait_for_url(f"{base}/o/agency/agency/requirements/building-sensors/")
            assert "draft" in lead.locator("main p").first.inner_text()
            lead.select_option("select[name=action]", "drop")
            lead.fill("input[name=ref]", "DI-1")
            lead.fill("form.stack input[name=reason]", "the sensors sit on an isolated network")
            lead.get_by_role("button", name="Tailor").click()
            assert "Version 2: draft" in lead.locator("main p").first.inner_text()
            assert "isolated network" in lead.locator("main").inner_text()

            # The owner adds a second person, who approves.
            lead.get_by_role("link", name="Members").click()
            lead.fill("input[name=email]", "ciso@agency.example")
            lead.select_option("form.stack select[name=role]", "reviewer")
            lead.get_by_role("button", name="Add").click()
            assert "ciso@agency.example" in lead.locator("main").inner_text()
            second = browser.new_context().new_page()
            second.set_default_timeout(30_000)
            second.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            second.goto(f"{base}/accounts/login/")
            second.fill("input[name=login]", "ciso@agency.example")
            second.fill("input[name=password]", PASSWORD)
            second.click("form button[type=submit]")
            second.wait_for_url(f"{base}/")
            second.goto(f"{base}/o/agency/agency/requirements/building-sensors/")
            second.get_by_role("button", name="Approve version 2").click()
            assert "Version 2: approved" in second.locator("main p").first.inner_text()

            lead.get_by_role("link", name="Vendors").click()
            lead.fill("input[name=name]", "Aerolume")
            lead.set_input_files("input[name=package]", str(tmp_path / "aerolume.zip"))
            lead.set_input_files("input[name=key]", str(tmp_path / "aerolume.pem"))
            lead.get_by_role("button", name="Upload and verify").click()
            verification = lead.locator("section.verification").inner_text()
            assert "verified" in verification
            assert packages.fingerprint in verification

            lead.get_by_role("link", name="Evaluations").click()
            lead.check("input[name=packages]")
            lead.get_by_role("button", name="Evaluate").click()
            lead.wait_for_url(f"{base}/o/agency/agency/evaluations/*/")
            text = lead.locator("main").inner_text()
            for heading in (
                "The bottom line",
                "Requirements that decide",
                "Side by side",
                "Questions to send",
                "Contract clauses",
            ):
                assert heading in text
            assert lead.locator("table.verdicts tbody tr").count() > 100
            assert "Aerolume" in lead.locator("table.verdicts thead").inner_text()
            assert lead.locator("table.deciding tbody tr").count() > 0
        finally:
            browser.close()
    assert problems == []
    assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "1"
