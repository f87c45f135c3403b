"""PDF renderings are made once per distinct HTML and kept from the previous package when unchanged."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from securable.package.build import build_package
from securable.package.documents import pdfrender
from securable.package.documents.renderings import Renderings

TODAY = date(2025, 10, 1)  # the build day the CLI would pass; fixed so outputs are stable

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
DAY = date(2025, 9, 1)


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every HTML laid out as PDF; the fake PDF holds the HTML's hash, so reuse is visible in it."""
    made: list[str] = []

    def fake_pdf(html: str, day: date) -> bytes:
        made.append(html)
        return b"%PDF-fake " + hashlib.sha256(html.encode()).hexdigest().encode()

    monkeypatch.setattr(pdfrender, "html_to_pdf", fake_pdf)
    monkeypatch.setattr(pdfrender, "page_count", lambda pdf: 1)
    monkeypatch.setattr(pdfrender, "pdf_page_to_png", lambda pdf, **_: b"\x89PNG fake")
    return made


def test_a_rebuild_reuses_every_pdf_whose_html_is_unchanged(tmp_path: Path, layouts: list[str]) -> None:
    out = tmp_path / "pkg"
    build_package(CAMERA, out, date=DAY, today=TODAY)
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert len(layouts) == len(pdfs) >= 2
    before = {p: (out / p).read_bytes() for p in pdfs}
    layouts.clear()
    build_package(CAMERA, out, date=DAY, today=TODAY)
    assert layouts == []
    assert {p: (out / p).read_bytes() for p in pdfs} == before


def test_a_changed_document_or_a_damaged_pdf_is_rendered_again(tmp_path: Path, layouts: list[str]) -> None:
    out = tmp_path / "pkg"
    build_package(CAMERA, out, date=DAY, today=TODAY)
    (out / "factsheet.pdf").write_bytes(b"%PDF-edited")
    layouts.clear()
    build_package(CAMERA, out, date=date(2026, 1, 2), today=TODAY)  # a new date changes every document
    rendered = len(layouts)
    assert rendered == len(list(out.rglob("*.pdf")))
    layouts.clear()
    (out / "factsheet.pdf").write_bytes(b"%PDF-edited")  # no longer the manifest's bytes
    build_package(CAMERA, out, date=date(2026, 1, 2), today=TODAY)
    assert len(layouts) == 1
    assert (out / "factsheet.pdf").read_bytes().startswith(b"%PDF-fake ")


def test_html_only_builds_and_new_folders_render_everything(tmp_path: Path, layouts: list[str]) -> None:
    out = tmp_path / "pkg"
    build_package(CAMERA, out, date=DAY, pdf=False, today=TODAY)
    build_package(CAMERA, out, date=DAY, today=TODAY)  # the previous package has no PDFs to give
    assert len(layouts) == len(list(out.rglob("*.pdf")))


def test_identical_html_is_laid_out_once_within_a_build() -> None:
    renderings = Renderings()
    made: list[str] = []

    def make() -> bytes:
        made.append("x")
        return b"%PDF"

    first = renderings.pdf("docs/a.pdf", "<p>same</p>", make)
    second = renderings.pdf("docs/b.pdf", "<p>same</p>", make)
    renderings.pdf("docs/c.pdf", "<p>other</p>", make)
    assert first == second == b"%PDF"
    assert len(made) == renderings.rendered == 2


def test_a_missing_or_broken_previous_manifest_means_no_reuse(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    (tmp_path / "a.html").write_text("<p>x</p>")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-old")
    renderings = Renderings(tmp_path)
    assert renderings.pdf("a.pdf", "<p>x</p>", lambda: b"%PDF-new") == b"%PDF-new"
    assert Renderings(tmp_path / "absent").pdf("a.pdf", "<p>x</p>", lambda: b"%PDF-new") == b"%PDF-new"
