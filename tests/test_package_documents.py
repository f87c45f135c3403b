"""Customer documents: one per audience, plain or full, HTML and PDF, deterministic and accessible."""

from __future__ import annotations

import html
import re
import sys
from datetime import date
from pathlib import Path

import pytest

from golden import assert_golden
from htmlcheck import accessibility_problems
from securable.errors import InputError
from securable.package.context import PackageContext, Part
from securable.package.documents import pdfrender
from securable.package.documents.audiences import build_documents, level_for
from securable.package.documents.full import TOPICS
from securable.package.documents.templating import linkify
from securable.product import load_product
from securable.product.model import Audience, YearRange

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
PUMP = ROOT / "examples" / "infusion-pump" / "securable.yaml"
SENSOR = ROOT / "examples" / "federal-env-sensor" / "securable.yaml"
DOCS_URL = "https://acme-home.example.com/homecam2/docs"
PACKAGE_DATE = date(2025, 9, 1)

# A product that answers almost nothing: three audiences, one sensor list, one data type.
SPARSE = """\
securable: 1
product:
  name: Bare Sensor
audiences:
  - id: home
    name: Home users
    terminology: plain
  - id: admins
    name: Administrators
    terminology: technical
  - id: unstated
composition:
  sensors: []
  data_types:
    - id: d1
      name: temperature readings
not_applicable:
  Q4.2.6-1.b: no hub, gateway or app is involved
"""

VEX = """\
{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
 "vulnerabilities": [
  {"id": "CVE-2024-49195",
   "analysis": {"state": "not_affected", "justification": "code_not_reachable",
                "detail": "The affected parser is not built."},
   "affects": [{"ref": "mbedtls"}]},
  {"id": "CVE-2025-0001", "analysis": {"state": "exploitable", "detail": "Fixed in 2.0.1."},
   "affects": [{"ref": "busybox"}]}]}
"""


def context(path: Path, vex: Path | None = None) -> PackageContext:
    return PackageContext(
        product=load_product(path),
        product_path=path,
        date=PACKAGE_DATE,
        documentation_url=DOCS_URL,
        vex_path=vex,
    )


def html_of(part: Part, name: str) -> str:
    return part.files[f"docs/{name}.html"].decode("utf-8")


@pytest.fixture(scope="module")
def camera() -> Part:
    return build_documents(context(CAMERA), pdf=False)


@pytest.fixture(scope="module")
def camera_pdf() -> Part:
    return build_documents(context(CAMERA), pdf=True)


@pytest.fixture(scope="module")
def unroled(tmp_path_factory: pytest.TempPathFactory) -> Part:
    """The camera's documents when its audiences declare no role: terminology and detail choose."""
    path = tmp_path_factory.mktemp("unroled") / "securable.yaml"
    lines = CAMERA.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("    role: ")), encoding="utf-8")
    (path.parent / "sbom.cdx.json").write_bytes((CAMERA.parent / "sbom.cdx.json").read_bytes())
    return build_documents(context(path), pdf=False)


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> Part:
    path = tmp_path_factory.mktemp("sparse") / "securable.yaml"
    path.write_text(SPARSE, encoding="utf-8")
    return build_documents(context(path), pdf=False)


# ---- which document each audience gets ------------------------------------------------------


@pytest.mark.parametrize(
    ("terminology", "detail", "level"),
    [
        ("plain", "essentials", "plain"),
        ("plain", "comprehensive", "plain"),
        ("technical", "essentials", "plain"),
        ("technical", "standard", "full"),
        ("expert", "comprehensive", "full"),
        (None, None, "full"),
    ],
)
def test_level_follows_terminology_and_detail(
    terminology: str | None, detail: str | None, level: str
) -> None:
    audience = Audience.model_validate({"id": "a", "terminology": terminology, "detail_level": detail})
    assert level_for(audience) == level
    assert level_for(None) == "full"


def test_one_html_document_per_audience_and_no_pdf_when_not_asked(camera: Part) -> None:
    assert sorted(camera.files) == [
        "docs/aud-home.html",
        "docs/aud-researchers.html",
        "docs/aud-small-business.html",
    ]
    assert camera.gaps == ()  # the example answers every customer topic


@pytest.mark.parametrize("audience", ["aud-home", "aud-small-business", "aud-researchers"])
def test_html_matches_golden(camera: Part, audience: str) -> None:
    assert_golden(f"package/docs-{audience}.html", html_of(camera, audience))


# ---- content ----------------------------------------------------------------------------------


def test_full_document_has_every_activity6_topic(unroled: Part) -> None:
    html = html_of(unroled, "aud-small-business")
    for section_id, title in TOPICS:
        assert f'<section id="{section_id}"' in html, section_id
        assert f">{title}</h2>" in html, title
    for detail in (
        "Hardening",
        "Effect of stricter settings",
        "mbedtls",  # software inventory from the SBOM, with versions
        "3.6.2",
        "relay.acme-home.example.com",  # network behaviour
        "Acme&#39;s contracted support centre",  # parties with access
        "How to verify updates",
        "How security responsibilities are shared",
        "Provided by you, the customer",
    ):
        assert detail in html, detail


@pytest.mark.parametrize("documents", ["camera", "unroled"])
def test_plain_document_keeps_the_essentials_and_leaves_out_admin_detail(
    documents: str, request: pytest.FixtureRequest
) -> None:
    html = html_of(request.getfixturevalue(documents), "aud-home")
    for essential in (
        "How long you get security updates",
        "31 August 2031",
        "Keeping it up to date",
        "What it collects, where it is kept and who can see it",
        "Before you sell, give away or throw it away",
        "hold the reset button for 10 seconds",
        "Reporting a security problem",
    ):
        assert essential in html, essential
    for admin_only in (
        'id="assumptions"',
        'id="composition"',
        'id="means"',
        "Software components",
        "Package URL",
        "relay.acme-home.example.com",
        "CVE",
    ):
        assert admin_only not in html, admin_only


def test_vulnerabilities_by_cve_reach_the_full_document_only(tmp_path: Path) -> None:
    vex = tmp_path / "vex.cdx.json"
    vex.write_text(VEX, encoding="utf-8")
    part = build_documents(context(CAMERA, vex), pdf=False)
    full = html_of(part, "aud-researchers")
    assert "CVE-2024-49195" in full
    assert "Not affected" in full
    assert "CVE-2025-0001" in full
    assert "mbedtls 3.6.2" in full
    assert "CVE-" not in html_of(part, "aud-home")


def test_missing_answers_are_stated_plainly_and_returned_as_gaps(sparse: Part) -> None:
    assert sorted(sparse.files) == ["docs/admins.html", "docs/home.html", "docs/unstated.html"]
    full = html_of(sparse, "admins")
    assert "The manufacturer has not stated how long the device gets security updates and support." in full
    assert 'id="not-stated"' in full
    assert "Does not apply: no hub, gateway or app is involved" in full
    assert "who can access this data: temperature readings" in full
    plain = html_of(sparse, "home")
    assert "The manufacturer has not stated how to remove your data before passing the device on." in plain
    assert "<li>None</li>" not in plain  # an explicit empty sensor list is "None", not a gap
    questions = {q for gap in sparse.gaps for q in gap.questions}
    for question in ("Q4.2.1-1", "Q4.2.2-1", "Q4.2.2-4", "Q4.2.3-3", "Q4.2.3-7", "Q4.2.4-4", "Q4.2.5-1"):
        assert question in questions, question
    assert "Q4.2.6-1.b" not in questions  # marked not applicable
    assert all(gap.message.startswith("The manufacturer has not") for gap in sparse.gaps)
    sensors_gaps = [g for g in sparse.gaps if g.path == ("composition", "sensors")]
    assert sensors_gaps == []  # [] is an explicit "none"


# ---- use cases: physical effects, degraded state, period of use; lock-out ----------------------


@pytest.fixture(scope="module")
def pump() -> Part:
    return build_documents(context(PUMP), pdf=False)


def test_full_document_shows_safety_degraded_state_period_and_lockout(pump: Part) -> None:
    html = html_of(pump, "aud-biomed")  # an operator: use cases have a section of their own
    cases = html[html.index('<section id="use-cases"') : html.index('<section id="support"')]
    for shown in (
        '<section id="use-case-uc-bedside"',
        ">Bedside infusion in wards, ICUs and operating rooms</h3>",
        "<dt>Acts on the physical world</dt><dd>Yes</dd>",
        "<dt>Safety-critical: failure or misuse can hurt people</dt><dd>Yes</dd>",
        "<dt>When the network, a service, power or a security function is lost</dt>"
        "<dd>The safety processor keeps the running infusion at its programmed rate",
    ):
        assert shown in cases, shown
    support = html[html.index('<section id="support"') : html.index('<section id="reporting"')]
    assert "<caption>Expected period of use</caption>" in support
    assert "<td>10 to 12 years; hospitals replace pump fleets about once a decade</td>" in support
    assert "In years" not in support  # the words already say 10 to 12 years
    means = html[html.index('<section id="means"') :]
    assert '<th scope="col">After repeated failed authentication</th>' in means
    assert (
        "<td>Fixed lock-out: customers cannot change its threshold or duration, or turn it off</td>" in means
    )


def test_plain_document_says_what_happens_when_things_fail_and_after_wrong_pins(pump: Part) -> None:
    html = html_of(pump, "aud-clinicians")
    section = html[html.index('<section id="when-things-go-wrong"') : html.index('<section id="safe-use"')]
    for shown in (
        ">When something goes wrong</h2>",
        "<dt>Controls something physical</dt><dd>Yes</dd>",
        "<dt>Could hurt someone if it fails or is misused</dt><dd>Yes</dd>",
        "<dt>If the network, a service or the power fails</dt><dd>The safety processor keeps the running",
        ">Wrong PINs and passwords</h3>",
        "<li>Clinician PIN or badge tap for programming, with a keypad lock-out after failed PINs: locks "
        "after too many wrong attempts; the manufacturer has set how many and for how long, and nobody can "
        "change that or turn it off.</li>",
    ):
        assert shown in section, shown
    for full_only in ('id="use-cases"', "Safety-critical", "After repeated failed authentication"):
        assert full_only not in html, full_only


def test_devices_that_do_not_actuate_say_so(camera: Part, unroled: Part) -> None:
    full = html_of(unroled, "aud-small-business")
    assert "<dt>Acts on the physical world</dt><dd>No</dd>" in full
    assert "<dt>Safety-critical: failure or misuse can hurt people</dt><dd>No</dd>" in full
    assert '<section id="use-case-uc-home"' in full  # the full document leaves no use case out
    assert '<section id="use-case-uc-small-business"' in full
    plain = html_of(camera, "aud-home")
    assert "<dt>Controls something physical</dt><dd>No</dd>" in plain
    assert "keeps recording motion clips to the SD card" in plain
    # A household reads about its own use case, not the shop's.
    assert "<dt>How long it is expected to be used</dt><dd>3 to 6 years; many owners" in plain
    assert "Small shop and office monitoring" not in plain
    assert "As at home: recording to the SD card" not in plain
    sensor = build_documents(context(SENSOR), pdf=False)
    facilities = html_of(sensor, "aud-facilities")
    assert "<dt>Acts on the physical world</dt><dd>No</dd>" in facilities
    assert "<td>No lock-out</td>" in facilities


# Use cases and means that leave the structured answers open, beside some that give only part.
PARTLY = """\
securable: 1
product:
  name: Partly Plug
audiences:
  - id: home
    name: Households
    terminology: plain
  - id: admins
    name: Administrators
    terminology: technical
use_cases:
  - id: uc-open
    title: Nothing structured
    period_of_use: ""
    research:
      physical_world: Switches a lamp.
  - id: uc-lamp
    title: Lamp switching
    audiences: [home]
    period_of_use_years: {min: 2}
    research:
      actuates: true
  - id: uc-heater
    title: Heater switching
    audiences: [home]
    period_of_use: a few winters
    period_of_use_years: {min: 1, max: 1}
    research:
      degraded_behaviour: Switches off when it loses Wi-Fi.
means:
  - id: m-pin
    title: PIN on the app
    kind: device
    robustness:
      authentication:
        humans: four-digit PIN
"""


@pytest.fixture(scope="module")
def partly(tmp_path_factory: pytest.TempPathFactory) -> Part:
    path = tmp_path_factory.mktemp("partly") / "securable.yaml"
    path.write_text(PARTLY, encoding="utf-8")
    return build_documents(context(path), pdf=False)


def test_open_structured_answers_render_nothing(sparse: Part, partly: Part) -> None:
    for name in ("home", "admins", "unstated"):
        html = html_of(sparse, name)  # no use cases and no means at all
        for absent in (
            'id="use-cases"',
            'id="when-things-go-wrong"',
            "Expected period of use",
            "How long it is expected to be used",
            "After repeated failed authentication",
        ):
            assert absent not in html, (name, absent)
    full = html_of(partly, "admins")
    assert 'id="use-case-uc-open"' not in full  # research without the structured answers
    lamp = full[full.index('<section id="use-case-uc-lamp"') : full.index('<section id="use-case-uc-heater"')]
    assert "<dt>Acts on the physical world</dt><dd>Yes</dd>" in lamp
    assert "Safety-critical" not in lamp
    assert "security function is lost" not in lamp
    assert '<th scope="row">Lamp switching</th><td></td><td>2 years</td>' in full
    assert '<th scope="row">Heater switching</th><td>a few winters</td><td>1 year</td>' in full
    assert "Nothing structured</th>" not in full  # no period given: no row
    assert "After repeated failed authentication" not in full  # no means answers it: no column
    plain = html_of(partly, "home")
    assert (
        "<dt>How long it is expected to be used</dt>"
        "<dd>Lamp switching: 2 years; Heater switching: a few winters</dd>" in plain
    )
    # Two use cases of the audience fail differently, so each has its own heading.
    assert '<h3 id="use-case-uc-lamp-title">Lamp switching</h3>' in plain
    assert '<h3 id="use-case-uc-heater-title">Heater switching</h3>' in plain
    assert "Wrong PINs and passwords" not in plain
    for html in (full, plain):
        assert ">None<" not in html
        assert "<dd></dd>" not in html
        assert accessibility_problems(html) == []
    # Details that refine answers: leaving them open is no gap of its own.
    details = {"research", "period_of_use", "period_of_use_years", "authentication"}
    assert [g for g in partly.gaps if details & {str(step) for step in g.path}] == []


def test_years_read_as_words() -> None:
    assert YearRange(min=3, max=6).words() == "3 to 6 years"
    assert YearRange(min=10).words() == "10 years"
    assert YearRange(max=1).words() == "1 year"
    assert YearRange(min=2.5, max=2.5).words() == "2.5 years"
    assert YearRange().words() == ""


def test_an_audience_without_stated_needs_gets_the_full_document(sparse: Part) -> None:
    assert 'id="means"' in html_of(sparse, "unstated")


def test_no_audiences_gives_one_full_document(tmp_path: Path) -> None:
    path = tmp_path / "securable.yaml"
    path.write_text("securable: 1\n", encoding="utf-8")
    part = build_documents(context(path), pdf=False)
    assert list(part.files) == ["docs/customers.html"]
    assert "has not said which audiences it writes for" in html_of(part, "customers")


def test_product_text_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "securable.yaml"
    path.write_text(
        'securable: 1\nproduct:\n  name: "<script>alert(1)</script>"\nassumptions:\n'
        '  intended_use: "<b>bold</b> & co"\n',
        encoding="utf-8",
    )
    html = html_of(build_documents(context(path), pdf=False), "customers")
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html


def test_linkify_links_addresses_but_not_package_versions() -> None:
    # The shown address may wrap at its boundaries (<wbr>); the link target is the address itself.
    assert str(linkify("mail security@acme.example.com.")) == (
        'mail <a href="mailto:security@acme.example.com">security@acme<wbr>.example<wbr>.com</a>.'
    )
    assert str(linkify("see https://x.example/a?b=1&c=2, then")) == (
        'see <a href="https://x.example/a?b=1&amp;c=2">https://<wbr>x<wbr>.example/<wbr>a<wbr>?b=1<wbr>&amp;c=2</a>,'
        " then"
    )
    assert "<a" not in str(linkify("pkg:generic/linux@6.6.44"))
    assert (
        str(linkify("call tel:+1-800-555-0134")) == 'call <a href="tel:+1-800-555-0134">+1-800-555-0134</a>'
    )


# ---- accessibility ----------------------------------------------------------------------------


def test_documents_are_accessible(camera: Part, sparse: Part) -> None:
    for part in (camera, sparse):
        for name, data in part.files.items():
            assert accessibility_problems(data.decode("utf-8")) == [], name


# ---- PDF, determinism, speed ------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_pdfs_hold_every_section_title(camera_pdf: Part) -> None:
    for name in ("aud-home", "aud-small-business", "aud-researchers"):
        titles = re.findall(r"<h2 id=\"[^\"]+-title\">([^<]+)</h2>", html_of(camera_pdf, name))
        assert len(titles) >= 5, name
        text = " ".join(pdf_text(camera_pdf.files[f"docs/{name}.pdf"]).split())
        for title in titles:
            assert html.unescape(title) in text, (name, title)


def test_rendering_twice_gives_identical_bytes(camera_pdf: Part) -> None:
    again = build_documents(context(CAMERA), pdf=True)
    assert again.files.keys() == camera_pdf.files.keys()
    for name, data in camera_pdf.files.items():
        assert again.files[name] == data, name


def test_pdf_metadata_comes_from_the_product_and_the_package_date(camera_pdf: Part) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(camera_pdf.files["docs/aud-home.pdf"])
    try:
        metadata = document.get_metadata_dict()
    finally:
        document.close()
    assert metadata["CreationDate"].startswith("D:20250901")
    assert metadata["ModDate"].startswith("D:20250901")
    assert metadata["Title"] == "Acme HomeCam 2: security essentials"
    assert metadata["Author"] == "Acme Home Devices Inc."


def test_missing_weasyprint_is_a_clear_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # makes `import weasyprint` raise ImportError
    with pytest.raises(InputError) as caught:
        pdfrender.html_to_pdf("<html></html>", date(2025, 1, 1))
    assert "WeasyPrint" in caught.value.message
    assert caught.value.hint is not None
    assert "--no-pdf" in caught.value.hint
    assert "libpango" in caught.value.hint


def test_addresses_wrap_only_at_their_boundaries_and_long_parts_in_pieces() -> None:
    address = "https://downloads.example.org/firmware/" + "a1b2" * 10 + ".bin"
    shown = str(linkify(address)).split(">", 1)[1].removesuffix("</a>")
    parts = shown.split("<wbr>")
    assert "".join(parts) == address  # <wbr> adds no character: a copied address is unchanged
    assert parts[:5] == ["https://", "downloads", ".example", ".org/", "firmware/"]
    assert all(len(part) <= 24 for part in parts)  # the 40-character name is cut in pieces
    assert parts[-1] == ".bin"


def test_the_full_document_links_the_package_copy_of_the_sbom_by_what_it_is(camera: Part) -> None:
    from securable.package.machine.sbom import SBOM_PATH

    page = html_of(camera, "aud-researchers")
    link = f'<a href="../{SBOM_PATH}">CycloneDX JSON file in this package</a>'
    assert f"<dt>Software bill of materials</dt><dd>{link}</dd>" in page
    assert "Sbom.cdx.json" not in page
