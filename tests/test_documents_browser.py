"""The customer documents in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium,
installed by `make chromium`; never a browser downloaded by Playwright) over pages of a package built
from an example product, on a phone (390 px) and a desktop (1280 px).

Nothing may stick out sideways: the page must not scroll horizontally, and no element may reach past
the right edge of the viewport, except inside a box meant to scroll (a wide table's wrapper). Links
wrap only where an address has a boundary (after "/", before "." and the like), never inside a name.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from chromium import ARGS, CHROMIUM
from securable.agency.requirements import report
from securable.agency.requirements.derive import derive, from_baseline
from securable.package.build import build_package

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
SENSOR = ROOT / "examples" / "federal-env-sensor" / "securable.yaml"
WIDTHS = (390, 1280)
PAGES = (
    "camera/factsheet.html",
    "camera/docs/aud-home.html",
    "camera/docs/aud-researchers.html",  # wide tables: they scroll in their wrapper
    "camera/index.html",
    "sensor/factsheet.html",  # a US product: US Letter, longer addresses
    "sensor/docs/aud-agency-security.html",
    "requirements.html",
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (`make chromium`)"
)

# Every element whose right edge passes the viewport, unless an ancestor scrolls sideways on purpose.
_OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === "auto" || x === "scroll") return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 0.5 && !scrolls(el)) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(box.right)} px: `
        + (el.textContent || "").trim().slice(0, 60));
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, overflowing: out};
}
"""

# Every line break inside a link's text that does not fall at a <wbr> (which separates text nodes)
# or after a hyphen: a break in the middle of a name.
_MID_WORD = """
() => {
  const out = [];
  for (const a of document.querySelectorAll("main a, footer a, header a")) {
    const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      let top = null;
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rects = range.getClientRects();
        if (!rects.length) continue;
        const y = rects[0].top;
        if (top !== null && y > top + 2 && !/[-\\s]/.test(text[i - 1])) {
          out.push(`${a.textContent}: breaks between ${JSON.stringify(text.slice(0, i))} and `
            + JSON.stringify(text.slice(i)));
        }
        top = y;
      }
    }
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two packages built from example products (HTML only) and the agency's requirements page."""
    root = tmp_path_factory.mktemp("site")
    for name, product in (("camera", CAMERA), ("sensor", SENSOR)):
        build_package(product, root / name, pdf=False, today=date(2026, 1, 15))
    page = report.render(derive(from_baseline("moderate"), ()), "html")
    (root / "requirements.html").write_text(page, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=60_000)
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser: Any, url: str, width: int, scheme: str = "light") -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.set_default_timeout(30_000)
    page.goto(url)
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_nothing_overflows_sideways(site: Path, browser: Any, name: str, width: int) -> None:
    page = _open(browser, (site / name).as_uri(), width)
    try:
        found = page.evaluate(_OVERFLOW)
        breaks = page.evaluate(_MID_WORD)
    finally:
        page.close()
    assert found["width"] == width
    assert found["overflowing"] == []
    assert found["scrollWidth"] <= width
    assert breaks == []


def test_the_fact_sheet_stacks_its_cards_on_a_phone_and_not_on_a_desktop(site: Path, browser: Any) -> None:
    lefts = {}
    for width in WIDTHS:
        page = _open(browser, (site / "camera" / "factsheet.html").as_uri(), width)
        try:
            lefts[width] = page.evaluate(
                "[...document.querySelectorAll('.card')].map(c => Math.round(c.getBoundingClientRect().left))"
            )
        finally:
            page.close()
    assert len(set(lefts[390])) == 1  # one column
    assert len(set(lefts[1280])) == 2  # two columns


@pytest.mark.parametrize("name", ["camera/factsheet.html", "camera/index.html", "requirements.html"])
def test_dark_mode_follows_the_reader_s_setting(site: Path, browser: Any, name: str) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page = _open(browser, (site / name).as_uri(), 1280, scheme)
        try:
            colours[scheme] = page.evaluate(
                "[getComputedStyle(document.documentElement).backgroundColor,"
                " getComputedStyle(document.body).color]"
            )
        finally:
            page.close()
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(27, 31, 36)"]
    assert colours["dark"] == ["rgb(21, 25, 30)", "rgb(230, 233, 238)"]
