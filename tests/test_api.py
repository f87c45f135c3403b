"""The Python API called directly: every workflow, from paths and from bytes in memory, with what it
read and the digests of those bytes, and the same reports the CLI writes."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from securable import api
from securable.cli import main
from securable.errors import InputError, UsageError, ValidationFailed
from securable.package.keys import keygen

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
PROFILE = ROOT / "examples" / "profiles" / "medical-device.yaml"
REQUIREMENTS = ROOT / "examples" / "agency" / "moderate-requirements.json"
DAY = date(2025, 10, 1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # reports name files as given
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("SECURABLE_NO_CACHE", "1")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[api.BuildResult, Path]:
    """The camera's package, signed, and the public key."""
    folder = tmp_path_factory.mktemp("pkg")
    keygen(folder / "private.pem", folder / "public.pem")
    built = api.package(CAMERA, folder / "pkg", key=folder / "private.pem", pdf=False, today=DAY)
    return built, folder / "public.pem"


# ---- check ----------------------------------------------------------------------------------------


def test_check_reads_the_product_its_sbom_and_the_profiles_with_digests() -> None:
    product = CAMERA.relative_to(ROOT)
    result = api.check(product, today=DAY, profiles=[PROFILE.relative_to(ROOT)])
    names = [r.name for r in result.reads]
    assert names == [str(product), str(PROFILE.relative_to(ROOT)), str(product.parent / "sbom.cdx.json")]
    for read in result.reads:
        assert read.sha256 == sha256(ROOT / read.name)
        assert read.size == (ROOT / read.name).stat().st_size
    assert [c.target.id for c in result.assessment.coverage] == ["medical-device"]  # no defaults then


def test_check_from_bytes_gives_the_report_the_cli_gives(capsys: pytest.CaptureFixture[str]) -> None:
    product = CAMERA.relative_to(ROOT)
    document = api.Document(str(product), CAMERA.read_bytes(), base_dir=product.parent)
    result = api.check(document, today=DAY)
    assert result.reads[0] == api.Read(str(product), sha256(CAMERA), CAMERA.stat().st_size)
    assert [c.target.id for c in result.assessment.coverage] == list(api.DEFAULT_BASELINES)
    for fmt in ("table", "json", "sarif"):
        code = main(["check", str(product), "--format", fmt, "--date", DAY.isoformat(), "--fail-on", "none"])
        assert code == 0
        assert result.report(fmt, api.RenderOptions(width=100)) == capsys.readouterr().out


def test_the_width_is_an_option_not_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    result = api.check(CAMERA.relative_to(ROOT), today=DAY)
    monkeypatch.setenv("COLUMNS", "60")  # the core never looks
    wide = result.report("table", api.RenderOptions(width=160))
    assert wide == result.report("table", api.RenderOptions(width=160))
    assert max(len(line) for line in wide.splitlines()) > 100
    narrow = result.report("table", api.RenderOptions(width=60))
    assert max(len(line) for line in narrow.splitlines() if " " in line.strip()) <= 100 < len(wide)


def test_an_unknown_format_is_an_error_not_the_table() -> None:
    result = api.check(CAMERA.relative_to(ROOT), today=DAY)
    with pytest.raises(UsageError, match="unknown format 'yaml'"):
        result.report("yaml")
    with pytest.raises(UsageError) as caught:
        api.requirements(baseline="low").report("csv")
    assert caught.value.hint == "choose one of table, markdown, html, json, oscal"


def test_an_invalid_product_in_memory_names_the_document() -> None:
    with pytest.raises(ValidationFailed) as caught:
        api.check(api.Document("upload.yaml", b"securable: 1\nproduct: 3\n"), today=DAY)
    assert any(p.startswith("upload.yaml:2:") for p in caught.value.problems)
    with pytest.raises(InputError, match="not UTF-8"):
        api.check(api.Document("upload.yaml", b"securable: 1\nname: Caf\xe9\n"), today=DAY)


def test_findings_are_a_result_not_an_exit_code() -> None:
    result = api.check(api.Document("tiny.yaml", b"securable: 1\nproduct:\n  name: Tiny\n"), today=DAY)
    assert result.fails("info")
    assert not result.fails("none")


# ---- OSCAL ----------------------------------------------------------------------------------------


def test_validate_a_document_in_memory(signed: tuple[api.BuildResult, Path]) -> None:
    built, _ = signed
    data = (built.package.directory / "machine" / "oscal" / "component-definition.json").read_bytes()
    good = api.validate(api.Document("cd.json", data))
    assert good.report.ok
    assert good.report.model == "component-definition"
    assert good.reads == (api.Read("cd.json", hashlib.sha256(data).hexdigest(), len(data)),)
    doc = json.loads(data)
    del doc["component-definition"]["metadata"]
    bad = api.validate(api.Document("cd.json", json.dumps(doc).encode()))
    assert not bad.report.ok


def test_resolve_and_requirements_read_every_file_of_the_resolution(sources: Path) -> None:
    nist = sources / "nist-sp800-53-rev5-oscal" / "5.0.1_a849dbc"
    profile = nist / "NIST_SP-800-53_rev5_LOW-baseline_profile.json"
    catalog = nist / "NIST_SP-800-53_rev5_catalog.json"
    from_path = api.resolve(profile, catalog=catalog)
    assert from_path.reads[0] == api.Read(str(profile), sha256(profile), profile.stat().st_size)
    assert str(catalog) in {r.name for r in from_path.reads}
    in_memory = api.resolve(api.Document("low.json", profile.read_bytes(), base_dir=nist), catalog=catalog)
    assert in_memory.resolved.selected == from_path.resolved.selected
    assert in_memory.reads[0].name == "low.json"
    assert in_memory.reads[0].sha256 == from_path.reads[0].sha256
    derived = api.requirements(profile=profile, catalog=catalog)
    assert (
        derived.requirements.controls.controls
        == api.requirements(baseline="low").requirements.controls.controls
    )
    assert [r.name for r in derived.reads] == [r.name for r in from_path.reads]
    assert api.requirements(baseline="low").reads == ()  # a shipped baseline reads no file


# ---- package and verify ---------------------------------------------------------------------------


def test_package_reads_the_product_and_its_sbom(signed: tuple[api.BuildResult, Path]) -> None:
    built, _ = signed
    assert [r.name for r in built.reads] == [str(CAMERA), str(CAMERA.parent / "sbom.cdx.json")]
    assert built.reads[0].sha256 == sha256(CAMERA)
    assert built.package.date == DAY  # the build day, never the release date (a security.txt must not expire)


def test_verify_with_a_key_in_memory(signed: tuple[api.BuildResult, Path]) -> None:
    built, public = signed
    result = api.verify(built.package.directory, api.Document("vendor.pem", public.read_bytes()))
    assert result.report.ok
    manifest = built.package.directory / "manifest.json"
    assert result.reads[0] == api.Read(str(manifest), sha256(manifest), manifest.stat().st_size)
    assert result.reads[-1].name == "vendor.pem"
    with pytest.raises(InputError, match="not a PEM public key"):
        api.verify(built.package.directory, api.Document("junk.pem", b"hello"))


# ---- requirements and evaluate ----------------------------------------------------------------------


def test_requirements_match_the_cli_and_tailoring_is_typed(capsys: pytest.CaptureFixture[str]) -> None:
    reason = "the device sits on an isolated network"
    result = api.requirements(baseline="moderate", tailoring=[api.Tailoring("drop", "DI-1.1", reason)])
    assert (
        main(["requirements", "--baseline", "moderate", "--drop", f"DI-1.1={reason}", "--format", "json"])
        == 0
    )
    assert result.report("json") == capsys.readouterr().out
    with pytest.raises(UsageError):
        api.requirements()


def test_evaluate_from_bytes_and_folders(signed: tuple[api.BuildResult, Path]) -> None:
    built, public = signed
    folder = built.package.directory
    component = (folder / "machine" / "oscal" / "component-definition.json").read_bytes()
    requirements = api.Document("req.json", REQUIREMENTS.read_bytes())
    result = api.evaluate(
        requirements,
        [
            api.VendorInput("camera", folder, key=public),
            api.VendorInput("upload", api.Document("upload.json", component)),
            api.VendorInput("broken", api.Document("broken.json", b"{}")),
        ],
    )
    evaluation = result.evaluation
    assert [v.name for v in evaluation.vendors] == ["camera", "upload", "broken"]
    assert [v.signature for v in evaluation.vendors] == ["verified", "not-a-package", "not-a-package"]
    assert [v.name for v in evaluation.failed] == ["broken"]
    names = [r.name for r in result.reads]
    assert names == [
        "req.json",
        str(public),
        str(folder / "machine/oscal/component-definition.json"),
        "upload.json",
        "broken.json",
    ]
    assert json.loads(result.report("json"))["vendors"][1]["evaluated"] is True
    with pytest.raises(InputError, match=r"expected an OSCAL profile|wrong model type"):
        api.evaluate(api.Document("cd.json", component), [])
