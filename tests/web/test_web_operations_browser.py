"""Browser test of agency operations (Playwright on Debian's Chromium): an editor requests and records
maintenance, a reviewer approves, verifies and closes it; then an offsite repair through the
data-removal attestation, shipping and return."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from chromium import ARGS, CHROMIUM
from securable.operations.register import DeviceRow
from securable.web.operations import services as s
from securable.web.orgs.services import AddMember, CreateOrganization, add_member, create_organization

from .conftest import PASSWORD, actor

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make unit installs it)"),
]


def test_maintenance_and_offsite_repair_in_the_browser(
    live_server: Any, monkeypatch: pytest.MonkeyPatch, make_user: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    owner, editor, reviewer = (make_user(f"{n}@agency.example") for n in ("owner", "editor", "reviewer"))
    org = create_organization(actor(owner), CreateOrganization("agency", "Agency", "agency"))
    add_member(actor(owner), org, AddMember(editor.email, "editor"))
    add_member(actor(owner), org, AddMember(reviewer.email, "reviewer"))
    s.add_device(actor(owner), org, DeviceRow("CAM-7", "SN7", device_type="camera"))
    tech = s.add_technician(actor(owner), org, "Alice", "Agency", "staff")
    s.grant(
        actor(owner),
        org,
        tech.pk,
        expires=timezone.now().date() + timedelta(days=30),
        unescorted=True,
        device_types="",
    )
    tool = s.propose_tool(actor(editor), org, "vendor-diag 2.1", "")
    s.approve_tool(actor(reviewer), org, tool.pk)
    base = live_server.url
    earlier = timezone.localtime() - timedelta(hours=1)
    stamp = earlier.strftime("%Y-%m-%dT%H:%M")
    evidence = tmp_path / "wipe.log"
    evidence.write_text("3 passes, verified\n")
    problems: list[str] = []

    def sign_in(page: Page, email: str) -> None:
        page.set_default_timeout(30_000)
        # CSP violations show as console errors; the one refused step (400) is expected.
        page.on(
            "console",
            lambda m: (
                problems.append(m.text) if m.type == "error" and "status of 400" not in m.text else None
            ),
        )
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/")

    def press(page: Page, name: str) -> None:
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_load_state()

    def request(page: Page, where: str) -> str:
        page.goto(f"{base}/o/agency/devices/CAM-7/")
        page.select_option("select[name=where]", where)
        page.fill("textarea[name=reason]", f"{where} repair")
        press(page, "Request")
        page.wait_for_url(re.compile(r".*/maintenance/\d+/$"))
        return page.url

    def perform(page: Page) -> None:
        page.fill("form[action$='/perform'] input[name=when]", stamp)
        page.fill("textarea[name=what]", "replaced the sensor")
        page.check("input[name=tools][value='vendor-diag 2.1']")
        press(page, "Perform")

    def verify_and_close(page: Page, url: str) -> None:
        page.goto(url)
        for box in page.locator("input[name=check]").all():
            box.check()
        press(page, "Verify")
        assert "verified" in page.locator("h1").inner_text()
        press(page, "Close")
        assert "closed" in page.locator("h1").inner_text()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=60_000)
        try:
            ed = browser.new_context().new_page()
            rv = browser.new_context().new_page()
            sign_in(ed, editor.email)
            sign_in(rv, reviewer.email)

            url = request(ed, "local")
            assert "requested" in ed.locator("h1").inner_text()
            assert "FPN-SEED-1.A1" in ed.content()
            rv.goto(url)
            press(rv, "Approve")
            assert "approved" in rv.locator("h1").inner_text()
            ed.goto(url)
            perform(ed)
            assert "performed" in ed.locator("h1").inner_text()
            verify_and_close(rv, url)
            assert "FPN-SEED-22.A1" in rv.content()

            url = request(ed, "offsite")
            rv.goto(url)
            press(rv, "Approve")
            ed.goto(url)
            press(ed, "Ship")
            assert "without a data-removal attestation" in ed.content()
            ed.goto(url)
            ed.fill("input[name=method]", "factory reset")
            ed.fill("form[action$='/attest'] input[name=by]", "Alice")
            ed.fill("form[action$='/attest'] input[name=when]", stamp)
            ed.set_input_files("input[name=evidence]", str(evidence))
            press(ed, "Attest")
            press(ed, "Ship")
            assert "offsite" in ed.locator("h1").inner_text()
            ed.goto(f"{base}/o/agency/devices/CAM-7/")
            assert "offsite" in ed.content()
            ed.goto(url)
            press(ed, "Receive")
            perform(ed)
            verify_and_close(rv, url)
            assert "wipe.log" in rv.content()
        finally:
            browser.close()
    assert problems == []
