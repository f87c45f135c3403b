"""Documents tailored to their readers: topics per audience role, home advice, assessment summary."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path
from typing import get_args

import pytest

from securable.assess.report import Assessment
from securable.package.build import make_context
from securable.package.context import PackageContext, Part
from securable.package.documents.audiences import build_documents
from securable.package.documents.profiles import FALLBACK, PROFILES
from securable.package.documents.summary import paragraph
from securable.package.documents.topics import TOPICS
from securable.package.documents.wording import long_date
from securable.product import load_product
from securable.product.model import Audience

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
PUMP = ROOT / "examples" / "infusion-pump" / "securable.yaml"
SENSOR = ROOT / "examples" / "federal-env-sensor" / "securable.yaml"
TODAY = date(2026, 12, 4)  # after the camera's release: a buyer today keeps it past its support end


def documents(path: Path, today: date = TODAY) -> Part:
    return build_documents(make_context(path, today=today), pdf=False)


@pytest.fixture(scope="module")
def camera() -> Part:
    return documents(CAMERA)


@pytest.fixture(scope="module")
def pump() -> Part:
    return documents(PUMP)


@pytest.fixture(scope="module")
def sensor() -> Part:
    return documents(SENSOR)


def page(part: Part, audience: str) -> str:
    return part.files[f"docs/{audience}.html"].decode("utf-8")


def section_ids(text: str) -> set[str]:
    return set(re.findall(r'<section id="([^"]+)"', text))


def text_of(markup: str) -> str:
    """The words of a page as a reader sees them: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


# ---- the table ------------------------------------------------------------------------------------


def test_every_role_has_a_profile_and_every_topic_a_builder() -> None:
    annotation = Audience.model_fields["role"].annotation
    roles = {arg for part in get_args(annotation) for arg in get_args(part)}
    assert roles
    assert roles == set(PROFILES)
    for profile in (*PROFILES.values(), *FALLBACK.values()):
        assert profile.topics, profile.title
        assert set(profile.topics) <= set(TOPICS), profile.title
        assert len(set(profile.topics)) == len(profile.topics)


# What each reader must find and must not find, by section id.
EXPECTED = {
    "home": (
        {"lifespan", "make-it-safer", "updating", "collects", "your-part", "passing-on", "reporting"},
        {"software", "vulnerabilities", "network", "interfaces", "assessment-summary", "means", "guidance"},
    ),
    "researcher": (
        {"reporting", "software", "vulnerabilities", "network", "interfaces", "updates"},
        {"passing-on", "make-it-safer", "guidance", "assessment-summary", "lifespan", "your-part"},
    ),
    "small-business": (
        {"guidance", "support", "updates", "data", "parties", "means", "retirement"},
        {"software", "vulnerabilities", "interfaces", "network", "assessment-summary", "passing-on"},
    ),
    "operator": (
        {"guidance", "maintenance", "network", "updates", "use-cases", "retirement", "means"},
        {"software", "vulnerabilities", "assessment-summary", "passing-on", "make-it-safer"},
    ),
    "clinical": (
        {"when-things-go-wrong", "wrong-passwords", "safe-use", "contact"},
        {"passing-on", "your-part", "lifespan", "means", "guidance", "network", "software"},
    ),
    "security-officer": (
        {"assessment-summary", "reporting", "software", "network", "interfaces", "means", "data"},
        {"passing-on", "make-it-safer", "guidance", "your-part"},
    ),
}
DOCUMENTS = [
    ("camera", "aud-home", "home"),
    ("camera", "aud-researchers", "researcher"),
    ("camera", "aud-small-business", "small-business"),
    ("pump", "aud-biomed", "operator"),
    ("pump", "aud-clinicians", "clinical"),
    ("pump", "aud-security", "security-officer"),
    ("sensor", "aud-facilities", "operator"),
    ("sensor", "aud-agency-security", "security-officer"),
]


@pytest.mark.parametrize(("product", "audience", "role"), DOCUMENTS)
def test_each_audience_gets_the_topics_of_its_role(
    product: str, audience: str, role: str, request: pytest.FixtureRequest
) -> None:
    part: Part = request.getfixturevalue(product)
    ids = section_ids(page(part, audience))
    present, absent = EXPECTED[role]
    assert present <= ids, present - ids
    assert not absent & ids, absent & ids


def test_readers_who_differ_get_different_documents(camera: Part, sensor: Part) -> None:
    business, researchers = page(camera, "aud-small-business"), page(camera, "aud-researchers")
    assert section_ids(business) != section_ids(researchers)
    product = load_product(CAMERA)
    guidance = product.composition.guidance if product.composition else None
    hardening = guidance.hardening if guidance else None
    assert hardening
    assert html.escape(hardening, quote=True) in business
    assert html.escape(hardening, quote=True) not in researchers
    assert "Package URL" in researchers
    assert "Package URL" not in business
    facilities, officers = page(sensor, "aud-facilities"), page(sensor, "aud-agency-security")
    assert section_ids(facilities) != section_ids(officers)
    assert "Summary of the assessment" in officers
    assert "Summary of the assessment" not in facilities


def test_clinical_staff_get_no_resale_and_no_hospital_it_advice(pump: Part) -> None:
    clinicians = text_of(page(pump, "aud-clinicians"))
    product = load_product(PUMP)
    for m in product.means_of_kind("customer"):  # the hospital's own tasks
        assert m.title
        assert m.title not in clinicians
    assert "Before you sell" not in clinicians
    usage = (
        product.composition.guidance.usage if product.composition and product.composition.guidance else None
    )
    assert usage
    assert usage.strip() in clinicians


def test_home_users_are_addressed_in_the_second_person(camera: Part) -> None:
    home = text_of(page(camera, "aud-home"))
    for heading in ("How long you get security updates", "What you can do to stay safe", "Make it safer"):
        assert heading in home, heading
    assert "What you can do after updates stop" in home


# ---- the home document's practical advice ---------------------------------------------------------


def test_home_document_carries_the_practical_advice_of_the_product_file(camera: Part) -> None:
    home = text_of(page(camera, "aud-home"))
    product = load_product(CAMERA)
    assert product.composition
    assert product.composition.guidance
    assert product.support
    assert product.assumptions
    for advice in (
        product.composition.guidance.hardening,  # optional features to turn on
        product.composition.stricter_settings,
        product.assumptions.environments,  # network placement
        product.support.securable_after_support,  # after support ends
    ):
        assert advice
        assert " ".join(advice.split()) in home, advice
    for data in product.composition.data_types or ():
        if data.retention:
            assert f"How long: {data.retention.strip().rstrip('.')}" in home, data.id


def test_home_document_says_plainly_when_updates_stop_before_use_ends(camera: Part) -> None:
    product = load_product(CAMERA)
    assert product.support
    assert product.support.support_end
    assert product.product
    release = product.product.release_date
    assert release is not None
    assert release < TODAY
    home = text_of(page(camera, "aud-home"))
    stop = f"Security updates stop on {long_date(product.support.support_end)}, before the end"
    assert stop in home
    assert f"Bought on {long_date(TODAY)}" in home
    # On release day, 6 years of use end within a month of the support end: nothing to warn about.
    at_release = text_of(page(documents(CAMERA, today=release), "aud-home"))
    assert stop not in at_release


def test_a_period_of_use_given_in_words_is_read_as_a_number(tmp_path: Path) -> None:
    text = CAMERA.read_text(encoding="utf-8")
    first = text.index("    period_of_use_years: {min: 3, max: 6}\n")
    path = tmp_path / "securable.yaml"
    path.write_text(text[:first] + text[first:].replace("    period_of_use_years: {min: 3, max: 6}\n", "", 1))
    (tmp_path / "sbom.cdx.json").write_bytes((CAMERA.parent / "sbom.cdx.json").read_bytes())
    home = text_of(page(documents(path), "aud-home"))
    sentence = home[home.index("Security updates stop on") :].split(" without security updates")[0]
    assert "used for about 6 years, it would go" in sentence  # "3 to 6 years; many owners keep..."
    assert "'" not in sentence


# ---- the assessment summary -----------------------------------------------------------------------


def test_summary_is_made_from_the_assessment(camera: Part) -> None:
    ctx: PackageContext = make_context(CAMERA, today=TODAY)
    assert ctx.assessment is not None
    summary = paragraph(ctx.assessment)
    results = [r for c in ctx.assessment.coverage for r in c.results]
    open_ = [r for r in results if r.status.value in ("partial", "gap")]
    met = [r for r in results if r.status.value in ("met-by-device", "met-by-other-means")]
    applicable = [r for r in results if r.status.value not in ("not-applicable", "customer-action")]
    assert open_, "the camera example has known gaps"
    assert f"meets {len(met)} of {len(applicable)} requirements in full" in summary
    for result in open_:
        assert result.requirement.id.split(":", 1)[1] in summary, result.requirement.id
    product = ctx.product
    for result in open_:  # who covers it: a named service or related device, else the customer
        for use in result.means:
            provider = (product.means or ())[use.index].provider_name
            if use.kind in ("service", "related-device") and provider:
                assert provider in summary
    assert "the customer" in summary
    high = [f for f in ctx.assessment.findings if f.finding.severity.value == "high"]
    titles = {r.id: r.title for r in ctx.assessment.rules}
    for located in high:
        assert titles[located.finding.rule].rstrip(".") in summary
    assert "assessment-summary" not in section_ids(page(camera, "aud-researchers"))


def test_summary_follows_the_coverage(tmp_path: Path) -> None:
    """Without the service that partly covers the account lock-out, the summary stops naming it."""
    text = CAMERA.read_text(encoding="utf-8")
    before = paragraph(_assessed(tmp_path / "a", text))
    assert "Acme Cloud" in before
    cut = text.index("  - id: m-account-security")
    end = text.index("  - id: m-transport-encryption")
    after = paragraph(_assessed(tmp_path / "b", text[:cut] + text[end:]))
    assert "8259A-LAI.3 (Configurable lock-out after failed authentication) is not met" in after
    assert before != after


def _assessed(folder: Path, text: str) -> Assessment:
    folder.mkdir()
    path = folder / "securable.yaml"
    path.write_text(text, encoding="utf-8")
    (folder / "sbom.cdx.json").write_bytes((CAMERA.parent / "sbom.cdx.json").read_bytes())
    assessment = make_context(path, today=TODAY).assessment
    assert assessment is not None
    return assessment
