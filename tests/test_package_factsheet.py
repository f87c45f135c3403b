"""The one-page fact sheet: HTML, PDF (exactly one page) and PNG, deterministic and accessible."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from golden import assert_golden
from htmlcheck import accessibility_problems
from securable.package.context import Part
from securable.package.documents.factsheet import HTML_NAME, PDF_NAME, PNG_NAME, build_factsheet
from securable.package.documents.pdfrender import page_count
from test_package_documents import CAMERA, DOCS_URL, SPARSE, context

A4_AT_150_DPI = (1241, 1754)  # 595.3 x 841.9 pt; PDFium rounds the width up

# Answers far longer than a fact sheet has room for, to push the layout to its fallbacks.
_LONG = "word " * 120


def _verbose() -> str:
    channels = "".join(
        f"      - kind: email\n        address: report{i}@verbose.example.com\n" for i in range(9)
    )
    sensors = "".join(f"    - kind: other\n      name: sensor {i} {_LONG[:200]}\n" for i in range(9))
    data = "".join(
        f"    - id: d{i}\n      name: data kind {i} {_LONG[:200]}\n      accessible_by: []\n"
        for i in range(9)
    )
    return (
        "securable: 1\nproduct:\n  name: Verbose Gadget\n"
        f"support:\n  support_end: 2030-01-31\n  end_of_life: 2031-01-31\n  after_support_end: {_LONG}\n"
        f"  vulnerability_reporting:\n    channels:\n{channels}"
        f"updates:\n  schedule: {_LONG}\n  responsible: customer\n"
        "  delivery: [mobile-app, web-portal, removable-media]\n"
        f"composition:\n  sensors:\n{sensors}  data_types:\n{data}"
    )


@pytest.fixture(scope="module")
def camera() -> Part:
    return build_factsheet(context(CAMERA), pdf=True)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "securable.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_files(camera: Part) -> None:
    assert sorted(camera.files) == [HTML_NAME, PDF_NAME, PNG_NAME]
    assert camera.gaps == ()
    assert sorted(build_factsheet(context(CAMERA), pdf=False).files) == [HTML_NAME]


def test_html_matches_golden(camera: Part) -> None:
    assert_golden("package/factsheet.html", camera.files[HTML_NAME].decode("utf-8"))


def test_content(camera: Part) -> None:
    html = camera.files[HTML_NAME].decode("utf-8")
    for expected in (
        "Until 31 August 2031",  # support period
        "31 August 2032 (12 months&#39; notice)",  # end of life
        "Updates install automatically",  # update policy
        "security@acme-home.example.com",  # reporting a vulnerability
        "2K colour camera with infrared night vision",  # sensors
        "Live video and recorded clips: seen by the camera&#39;s owner",  # data and access
        f'aria-label="QR code linking to the full documentation at {DOCS_URL}"',
    ):
        assert expected in html, expected


def test_pdf_is_one_page_and_png_is_that_page(camera: Part) -> None:
    from PIL import Image

    assert page_count(camera.files[PDF_NAME]) == 1
    image = Image.open(io.BytesIO(camera.files[PNG_NAME]))
    assert image.format == "PNG"
    assert image.size == A4_AT_150_DPI


def test_long_answers_still_fit_one_page(tmp_path: Path) -> None:
    part = build_factsheet(context(write(tmp_path, _verbose())), pdf=True)
    assert page_count(part.files[PDF_NAME]) == 1
    html = part.files[HTML_NAME].decode("utf-8")
    assert "more in the full documentation" in html
    assert "…" in html


def test_rendering_twice_gives_identical_bytes(camera: Part) -> None:
    again = build_factsheet(context(CAMERA), pdf=True)
    for name, data in camera.files.items():
        assert again.files[name] == data, name


def test_missing_answers_are_stated_and_returned_as_gaps(tmp_path: Path) -> None:
    part = build_factsheet(context(write(tmp_path, SPARSE)), pdf=True)
    assert page_count(part.files[PDF_NAME]) == 1
    html = part.files[HTML_NAME].decode("utf-8")
    assert "The manufacturer has not stated how long the device gets security updates and support." in html
    assert "The manufacturer has not stated how to report a security problem." in html
    questions = {q for gap in part.gaps for q in gap.questions}
    assert {"Q4.2.2-1", "Q4.2.2-2", "Q4.2.2-4", "Q4.2.4-4", "Q4.2.3-7"} <= questions


def test_factsheet_is_accessible(camera: Part, tmp_path: Path) -> None:
    sparse = build_factsheet(context(write(tmp_path, SPARSE)), pdf=False)
    for part in (camera, sparse):
        assert accessibility_problems(part.files[HTML_NAME].decode("utf-8")) == []
