"""VEX statements apply by vulnerability, component, BOM (serial number) and version; the rest is
left out of the package and reported to the manufacturer.

``tests/data/vex`` holds a small SBOM of product ABC and a VEX with version-scoped statements in the
shape of CISA's VEX use cases 6 and 8 (see ``tests/data/README.md``).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from securable.package.context import PackageContext
from securable.package.machine.sbom import read_sbom
from securable.package.machine.sbom_match import compare, in_range, same_package
from securable.product import Product, load_product

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "vex"
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"


@pytest.fixture(scope="module")
def camera() -> Product:
    return load_product(CAMERA)


def abc_context(
    camera: Product, folder: Path, version: str, vex: Path, serial: bool = True
) -> PackageContext:
    """The camera's description, but naming an SBOM of product ABC at ``version``."""
    sbom = json.loads((DATA / "abc.cdx.json").read_bytes())
    sbom["metadata"]["component"]["version"] = version
    if not serial:
        del sbom["serialNumber"]
    (folder / "abc.cdx.json").write_text(json.dumps(sbom), encoding="utf-8")
    data = camera.model_dump()
    data["composition"]["software_inventory"]["sbom"] = "abc.cdx.json"
    return PackageContext(
        product=Product.model_validate(data),
        product_path=folder / "securable.yaml",
        date=date(2025, 9, 1),
        documentation_url="",
        vex_path=vex,
    )


@pytest.mark.parametrize(
    ("version", "status"),
    [
        ("2.4", "affected"),
        ("2.6", "affected"),
        ("3.0", "affected"),  # inside vers:semver/>=2.9|<=4.1: it was once told "not affected"
        ("4.1", "affected"),
        ("1.0", "not_affected"),
        ("2.5", "not_affected"),
        ("2.8", "not_affected"),
        ("4.2", "not_affected"),
    ],
)
def test_version_ranges_decide_which_statement_applies(
    camera: Product, tmp_path: Path, version: str, status: str
) -> None:
    summary = read_sbom(abc_context(camera, tmp_path, version, DATA / "abc-ranges.vex.cdx.json"))
    rows = [(v.id, v.component, v.status) for v in summary.vulnerabilities]
    assert rows == [("CVE-2021-44228", f"ABC {version}", status)]
    # Every left-out statement is counted: JKL's (another BOM), log4j's fix (other versions) and
    # ABC's statement for the versions this one is not.
    (warning,) = summary.warnings
    assert warning.startswith("abc-ranges.vex.cdx.json: 3 of 4 vulnerability statements left out")
    assert "1 point into another BOM" in warning
    assert "2 cover other versions than the SBOM's" in warning


def test_a_version_no_statement_covers_gets_no_row(camera: Product, tmp_path: Path) -> None:
    summary = read_sbom(abc_context(camera, tmp_path, "5.0", DATA / "abc-ranges.vex.cdx.json"))
    assert summary.vulnerabilities == ()
    assert "3 cover other versions" in summary.warnings[0]


def test_every_applying_statement_is_kept(camera: Product, tmp_path: Path) -> None:
    vex = json.loads((DATA / "abc-ranges.vex.cdx.json").read_bytes())
    # The fix statement now covers the SBOM's log4j-core 2.14.1: both CVEs are listed for 3.0.
    vex["vulnerabilities"][2]["affects"][0]["versions"] = [{"range": "vers:maven/>=2.14.0|<2.17.0"}]
    path = tmp_path / "vex.json"
    path.write_text(json.dumps(vex), encoding="utf-8")
    summary = read_sbom(abc_context(camera, tmp_path, "3.0", path))
    assert [(v.id, v.component, v.status) for v in summary.vulnerabilities] == [
        ("CVE-2021-44228", "ABC 3.0", "affected"),
        ("CVE-2021-45105", "log4j-core 2.14.1", "fixed"),
    ]


def test_bom_links_need_the_sboms_serial_number(camera: Product, tmp_path: Path) -> None:
    summary = read_sbom(abc_context(camera, tmp_path, "3.0", DATA / "abc-ranges.vex.cdx.json", serial=False))
    assert summary.vulnerabilities == ()
    assert "4 point into another BOM" in summary.warnings[0]


def test_plain_references_name_this_sbom(camera: Product, tmp_path: Path) -> None:
    """CISA case 6: the same statements with bare bom-refs instead of BOM-Links."""
    vex = json.loads((DATA / "abc-ranges.vex.cdx.json").read_bytes())
    for vulnerability in vex["vulnerabilities"]:
        for affects in vulnerability["affects"]:
            affects["ref"] = affects["ref"].partition("#")[2]
    path = tmp_path / "case6.json"
    path.write_text(json.dumps(vex), encoding="utf-8")
    summary = read_sbom(abc_context(camera, tmp_path, "3.0", path))
    assert [(v.component, v.status) for v in summary.vulnerabilities] == [("ABC 3.0", "affected")]
    assert "1 name no component of the SBOM (e.g. product-JKL)" in summary.warnings[0]


def test_vexctl_merge_output_is_read(camera: Product) -> None:
    """``vexctl merge`` writes a non-IRI ``@id``; OpenVEX's schema treats ``format`` as annotation."""
    ctx = PackageContext(
        product=camera,
        product_path=CAMERA,
        date=date(2025, 9, 1),
        documentation_url="",
        vex_path=DATA / "merged.openvex.json",
    )
    summary = read_sbom(ctx)
    assert [(v.id, v.component, v.status) for v in summary.vulnerabilities] == [
        ("CVE-2024-11111", "busybox 1.36.1", "not_affected"),
        ("CVE-2024-22222", "mbedtls 3.6.2", "under_investigation"),  # a versionless purl: every version
    ]
    assert summary.warnings == ()


@pytest.mark.parametrize(
    ("a", "b", "order"),
    [
        ("2.10", "2.9", 1),
        ("2.4", "2.4.0", 0),
        ("2.0rc1", "2.0", -1),
        ("1.0.0-alpha", "1.0.0-beta", -1),
        ("v3.6.2", "3.6.2", 0),
        ("1.2.3+build7", "1.2.3", 0),
    ],
)
def test_version_order(a: str, b: str, order: int) -> None:
    assert compare(a, b) == order
    assert compare(b, a) == -order


@pytest.mark.parametrize(
    ("vers", "inside", "outside"),
    [
        ("vers:semver/>=2.9|<=4.1", ["2.9", "3.0", "4.1"], ["2.8", "4.1.1"]),
        ("vers:generic/>=1.0|<=2.3|>=2.7|<=2.8", ["1.0", "2.3", "2.7"], ["2.5", "2.9", "0.9"]),
        ("vers:generic/<1.5|!=1.2", ["1.0", "1.4"], ["1.2", "1.5"]),
        ("vers:generic/>=3", ["3", "10.1"], ["2.99"]),
        ("vers:generic/1.1|1.3", ["1.1", "1.3"], ["1.2"]),
        ("vers:generic/*", ["0", "99"], []),
        ("not-a-range", [], ["1.0"]),
    ],
)
def test_vers_ranges(vers: str, inside: list[str], outside: list[str]) -> None:
    assert all(in_range(v, vers) for v in inside)
    assert not any(in_range(v, vers) for v in outside)


def test_package_urls_compare_without_qualifiers() -> None:
    assert same_package("pkg:github/Mbed-TLS/mbedtls@v3.6.2?arch=armv7", "pkg:github/Mbed-TLS/mbedtls@v3.6.2")
    assert same_package("pkg:generic/busybox", "pkg:generic/busybox@1.36.1")
    assert not same_package("pkg:generic/busybox@1.36.0", "pkg:generic/busybox@1.36.1")
    assert not same_package("pkg:generic/busybox@1.36.1", None)
    assert not same_package("busybox", "pkg:generic/busybox@1.36.1")
