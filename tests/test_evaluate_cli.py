"""``securable evaluate`` from the command line: vendor naming and key pairing, exit codes, output files,
and the shipped agency example (two competing sensors against the MODERATE requirements)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from evaluation_builders import component, component_definition, requirement, requirements_profile, write
from securable.cli import main
from securable.cli.arguments import EvaluateArgs
from securable.cli.evaluate_cmd import evaluate, vendor_sources
from securable.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2025, 10, 1)  # the build day, used only where a product states no release date
AGENCY = ROOT / "examples" / "agency"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def handler(
    requirements: Path,
    *vendors: str,
    keys: tuple[str, ...] = (),
    fmt: str = "json",
    output: str | None = None,
) -> int:
    """The command's handler with several vendors, whatever the parser of the day does with positionals."""
    values = {"requirements": str(requirements), "vendor": list(vendors), "key": list(keys)}
    return evaluate(EvaluateArgs({**values, "format": fmt, "output": output, "date": "2026-12-01"}))


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "requirements.json", requirements_profile(["di-1.1", "di-1.2"], ["fpn-lai-1.a5"]))
    good = component_definition("Good", component("hardware", "Good Sensor", requirement("di-1.1")))
    write(tmp_path / "good.json", good)
    bad = component_definition("Bad", component("hardware", "Bad Sensor", requirement("di-1.1")))
    bad["component-definition"]["metadata"]["last-modified"] = "yesterday"
    write(tmp_path / "bad.json", bad)
    return tmp_path


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two vendors of the agency example, as signed packages, with their public keys."""
    from securable.package.build import build_package
    from securable.package.keys import keygen

    folder = tmp_path_factory.mktemp("vendors")
    for name, product in (
        ("aerolume", ROOT / "examples" / "federal-env-sensor" / "securable.yaml"),
        ("northwind", AGENCY / "vendor-b" / "securable.yaml"),
    ):
        keygen(folder / f"{name}.key", folder / f"{name}.pem")
        build_package(
            product, folder / name, key=folder / f"{name}.key", vex=None, pdf=False, strict=False, today=TODAY
        )
    return folder


def test_one_vendor_through_the_parser(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    code, out, err = run(
        capsys, "evaluate", "--requirements", "requirements.json", "good.json", "--format", "json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [v["name"] for v in data["vendors"]] == ["good"]
    assert data["evaluation"][0]["verdicts"]["good"]["status"] == "met-by-device"


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_formats_and_named_vendor(capsys: pytest.CaptureFixture[str], files: Path, fmt: str) -> None:
    code, out, _ = run(
        capsys, "evaluate", "--requirements", "requirements.json", "acme=good.json", "--format", fmt
    )
    assert code == 0
    assert "acme" in out
    assert "Right to audit" in out


def test_a_failed_vendor_gives_exit_1_and_the_other_is_evaluated(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    code = handler(files / "requirements.json", "good.json", "bad.json", fmt="markdown", output="report.md")
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "securable: vendor bad was not evaluated: not a valid OSCAL 1.2.1 component definition" in err
    report = (files / "report.md").read_text(encoding="utf-8")
    assert "| good | Good Sensor |" in report
    assert '$.component-definition.metadata.last-modified: "yesterday" is not a date and time' in report


def test_several_vendors_through_the_parser(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    code, out, _ = run(capsys, "evaluate", "--requirements", "requirements.json", "good.json", "bad.json")
    assert code == 1
    assert "not evaluated: invalid OSCAL" in out
    assert (
        "usage: securable evaluate --requirements PROFILE [options] VENDOR..."
        in run(capsys, "evaluate", "--help")[1]
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--requirements", "missing.json", "good.json"], "missing.json: file not found"),
        (["--requirements", "good.json", "good.json"], "wrong model type: expected an OSCAL profile"),
        (
            ["--requirements", "requirements.json", "good.json", "--key", "nobody=k.pem"],
            "no vendor is called",
        ),
        (["--requirements", "requirements.json", "good.json", "--key", "k.pem"], "expected NAME=PUBLIC.pem"),
        (["--requirements", "requirements.json", "good.json", "--key", "good=k.pem"], "is a single file"),
        (["--requirements", "requirements.json", "=good.json"], "expected NAME=PATH or PATH"),
        (["--requirements", "requirements.json"], "missing VENDOR"),
    ],
)
def test_bad_agency_input_gives_exit_2(
    capsys: pytest.CaptureFixture[str], files: Path, argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "evaluate", *argv)
    assert code == 2
    assert out == ""
    assert message in err


def test_default_vendor_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    inside = tmp_path / "acme-pkg" / "machine" / "oscal" / "component-definition.json"
    inside.parent.mkdir(parents=True)
    inside.write_text("{}", encoding="utf-8")
    (tmp_path / "odd=name.json").write_text("{}", encoding="utf-8")
    sources = vendor_sources(
        ["acme-pkg", "offer.JSON", "b=a=c.json", "odd=name.json", "./"], ["acme-pkg=acme.pem"]
    )
    assert [(s.name, str(s.path), s.key) for s in sources] == [
        ("acme-pkg", "acme-pkg", Path("acme.pem")),
        ("offer", "offer.JSON", None),
        ("b", "a=c.json", None),  # NAME=PATH splits at the first '='
        ("odd=name", "odd=name.json", None),  # an existing path is never split
        (tmp_path.name, ".", None),
    ]
    (only,) = vendor_sources([str(inside)], [])
    assert only.name == "acme-pkg"  # a package's component definition is named after the package
    with pytest.raises(UsageError, match="two vendors are called 'acme-pkg'"):
        vendor_sources(["acme-pkg", str(inside)], [])
    with pytest.raises(UsageError, match="two keys for vendor 'acme-pkg'"):
        vendor_sources(["acme-pkg"], ["acme-pkg=a.pem", "acme-pkg=b.pem"])


def test_signed_packages_are_verified(capsys: pytest.CaptureFixture[str], packages: Path) -> None:
    pkg, key, other = packages / "aerolume", packages / "aerolume.pem", packages / "northwind.pem"
    code, out, _ = run(
        capsys, "evaluate", "--requirements", str(AGENCY / "moderate-requirements.json"), str(pkg),
        "--key", f"aerolume={key}", "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["vendors"][0]["signature"] == "verified"
    code, out, err = run(
        capsys, "evaluate", "--requirements", str(AGENCY / "moderate-requirements.json"), str(pkg),
        "--key", f"aerolume={other}",
    )  # fmt: skip
    assert code == 1
    assert "FAILED" in out
    assert "does not verify against the key given (signature: wrong-key)" in err
    code, _, err = run(
        capsys, "evaluate", "--requirements", str(AGENCY / "moderate-requirements.json"), str(pkg),
        "--key", f"aerolume={pkg / 'index.html'}",
    )  # fmt: skip
    assert code == 2
    assert "is not a PEM public key" in err


def test_the_agency_example(capsys: pytest.CaptureFixture[str], packages: Path) -> None:
    """What `make demo` runs: two signed vendor packages against the MODERATE requirements."""
    keys = (f"aerolume={packages / 'aerolume.pem'}", f"northwind={packages / 'northwind.pem'}")
    vendors = (str(packages / "aerolume"), str(packages / "northwind"))
    code = handler(AGENCY / "moderate-requirements.json", *vendors, keys=keys)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [(v["name"], v["signature"]) for v in data["vendors"]] == [
        ("aerolume", "verified"),
        ("northwind", "verified"),
    ]
    totals = {v["name"]: v["totals"] for v in data["vendors"]}
    # The example is written so that each vendor shows its own kind of gap.
    assert totals["aerolume"]["met-by-service"] > 0  # its FedRAMP cloud
    assert totals["northwind"]["met-by-service"] == 0  # no cloud: an on-premises appliance
    assert totals["northwind"]["customer-burden"] > 0  # logging and accounts left to the agency
    assert totals["northwind"]["partial"] > 0  # storage encryption, training
    assert all(c["on_checklist"] for c in data["clauses"])
    assert len(data["evaluation"]) == 369


def test_a_bad_signature_is_reported_and_the_other_vendor_completes(
    capsys: pytest.CaptureFixture[str], packages: Path
) -> None:
    keys = (f"aerolume={packages / 'aerolume.pem'}", f"northwind={packages / 'aerolume.pem'}")
    vendors = (str(packages / "aerolume"), str(packages / "northwind"))
    code = handler(AGENCY / "moderate-requirements.json", *vendors, keys=keys)
    out, err = capsys.readouterr()
    assert code == 1
    assert "securable: vendor northwind was not evaluated: the package does not verify" in err
    data = json.loads(out)
    assert [(v["name"], v["signature"], v["evaluated"]) for v in data["vendors"]] == [
        ("aerolume", "verified", True),
        ("northwind", "failed", False),
    ]
    assert data["vendors"][1]["error"]["problems"][0]["message"].startswith("wrong-key:")
    assert set(data["evaluation"][0]["verdicts"]) == {"aerolume"}
    assert data["questions"][0] == {
        "vendor": "northwind",
        "kind": "error",
        "group": None,
        "group_title": None,
        "requirements": [],
        "text": "Your package does not verify against the public key we hold. Send the package again as "
        "published, and confirm the key's fingerprint with us by a separate channel.",
    }
