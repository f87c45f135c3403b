"""The customer documents on paper: the PDFs' paper size follows the product's markets (or
``--paper``), no heading is left alone at the foot of a page, and labels never run into their values.

The PDFs are read back with pypdfium2 (already what renders the fact sheet's PNG): the text of each
page with the position of every line.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest

from securable.cli import main
from securable.package.context import Part
from securable.package.documents.audiences import build_documents
from securable.package.documents.factsheet import PDF_NAME, build_factsheet
from securable.package.documents.paper import paper_for
from securable.product import load_product
from test_package_documents import CAMERA, PUMP, SENSOR, context

A4 = (595, 842)  # points, rounded
LETTER = (612, 792)
FOOTER = 18 / 25.4 * 72  # the bottom page margin, where the running footer is


def _size(pdf: bytes, page: int = 0) -> tuple[int, int]:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        width, height = document[page].get_size()
        return round(width), round(height)
    finally:
        document.close()


def _last_lines(pdf: bytes) -> list[tuple[str, ...]]:
    """The lowest line of text above the footer of every page, as the runs of text it is made of
    (a table row gives one run per cell)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    out = []
    try:
        for page in document:
            text = page.get_textpage()
            rects = [text.get_rect(i) for i in range(text.count_rects())]
            body = [r for r in rects if r[1] > FOOTER + 4]  # (left, bottom, right, top)
            lowest = min(r[1] for r in body)
            line = sorted(r for r in body if abs(r[1] - lowest) < 3)
            out.append(tuple(text.get_text_bounded(*r).strip() for r in line))
    finally:
        document.close()
    return out


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _titles(page: str) -> tuple[set[str], list[set[str]]]:
    """What must never end a page: headings and visible table captions; and each table's header
    cells (a header row alone at the foot of a page is as stranded as a heading)."""
    titles = {_text(h) for h in re.findall(r"<h[2-6][^>]*>(.*?)</h[2-6]>", page, re.S)}
    titles |= {_text(c) for c in re.findall(r"<caption>(.*?)</caption>", page, re.S)}
    headers = [
        {_text(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)}
        for head in re.findall(r"<thead>(.*?)</thead>", page, re.S)
    ]
    return titles, headers


def _stranded(line: tuple[str, ...], titles: set[str], headers: list[set[str]]) -> bool:
    return " ".join(line) in titles or any(set(line) <= cells for cells in headers)


@pytest.fixture(scope="module")
def documents() -> dict[str, Part]:
    """The PDFs of three example products: two sold in Europe too (A4), one in the US only (Letter)."""
    return {path.parent.name: build_documents(context(path), pdf=True) for path in (CAMERA, SENSOR, PUMP)}


def test_paper_follows_the_markets_the_product_names() -> None:
    assert paper_for(load_product(SENSOR)) == "letter"  # United States only
    assert paper_for(load_product(CAMERA)) == "a4"  # United States, Canada, UK, EU
    assert paper_for(load_product(PUMP)) == "a4"  # United States, Canada, EU


@pytest.mark.parametrize(
    ("places", "paper"),
    [
        (["United States"], "letter"),
        (["USA", "Canada", "Mexico"], "letter"),
        (["US-CA", "US-NY"], "letter"),
        (["U.S. federal buildings"], "letter"),
        (["United States", "European Union"], "a4"),
        (["United States and the UK"], "a4"),
        (["worldwide"], "a4"),
        (["Germany"], "a4"),
        ([], "a4"),  # no market named: the rest of the world's size
    ],
)
def test_paper_rule(places: list[str], paper: str) -> None:
    product = load_product(SENSOR)
    assert product.use_cases
    case = product.use_cases[0].model_copy(update={"where": tuple(places)})
    changed = product.model_copy(update={"use_cases": (case,)})
    assert paper_for(changed) == paper


def test_pdfs_are_on_the_paper_of_the_market(documents: dict[str, Part]) -> None:
    for product, expected in (("home-camera", A4), ("federal-env-sensor", LETTER), ("infusion-pump", A4)):
        pdfs = [data for name, data in documents[product].files.items() if name.endswith(".pdf")]
        assert pdfs, product
        assert {_size(pdf) for pdf in pdfs} == {expected}, product


def test_the_fact_sheet_is_one_letter_page_for_a_us_product() -> None:
    import pypdfium2

    pdf = build_factsheet(context(SENSOR), pdf=True).files[PDF_NAME]
    assert len(pypdfium2.PdfDocument(pdf)) == 1
    assert _size(pdf) == LETTER
    a4 = build_factsheet(replace(context(SENSOR), paper="a4"), pdf=True).files[PDF_NAME]
    assert _size(a4) == A4


def test_no_page_ends_with_a_heading(documents: dict[str, Part]) -> None:
    checked = 0
    for product, part in documents.items():
        for name, data in part.files.items():
            if not name.endswith(".pdf"):
                continue
            titles, headers = _titles(part.files[name.removesuffix(".pdf") + ".html"].decode("utf-8"))
            lines = _last_lines(data)
            stranded = [
                (page + 1, line) for page, line in enumerate(lines[:-1]) if _stranded(line, titles, headers)
            ]
            assert stranded == [], f"{product} {name}"
            checked += len(lines)
    assert checked > 20  # pages enough to break somewhere awkward


def test_the_documentation_label_keeps_clear_of_the_address(documents: dict[str, Part]) -> None:
    import pypdfium2

    for product, part in documents.items():
        for name, data in part.files.items():
            if not name.endswith(".pdf"):
                continue
            page = pypdfium2.PdfDocument(data)[0].get_textpage()
            text = page.get_text_range()
            end = text.index("Documentation") + len("Documentation")
            value = end
            while text[value].isspace():
                value += 1
            label_right = page.get_charbox(end - 1)[2]
            value_left = page.get_charbox(value)[0]
            assert text[value:].startswith("http"), f"{product} {name}"
            assert value_left - label_right >= 6, f"{product} {name}: {label_right} {value_left}"


def test_paper_option_overrides_the_market(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pkg"
    code = main(["package", str(SENSOR), "-o", str(out), "--paper", "a4", "--no-pdf"])
    assert code == 0, capsys.readouterr().err
    assert "size: A4" in (out / "factsheet.html").read_text(encoding="utf-8")
    assert "size: A4" in (out / "docs" / "aud-agency-security.html").read_text(encoding="utf-8")
    code = main(["package", str(SENSOR), "-o", str(out), "--paper", "legal"])
    assert code == 2
    assert "--paper" in capsys.readouterr().err
