"""One SBOM reader for `check` and `package`: CycloneDX JSON 1.2-1.7 and XML, SPDX 2.3 JSON and
tag-value; the same files pass both, the same files fail both.

The files are in ``tests/data/sbom`` (see ``tests/data/README.md``); the CycloneDX spec's own 1.6
test files and the CISA VEX example BOM (1.3) come from ``upstream/sources``.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from securable.errors import InputError, ValidationFailed
from securable.package.context import PackageContext
from securable.package.machine.sbom import SUMMARY_PATH, build_sbom, read_sbom
from securable.product import load_product

DATA = Path(__file__).resolve().parent / "data" / "sbom"
ROOT = Path(__file__).resolve().parents[1]
CAMERA_SBOM = ROOT / "examples" / "home-camera" / "sbom.cdx.json"
PRODUCT = "securable: 1\ncomposition:\n  software_inventory:\n    sbom: {name}\n"


def both(tmp_path: Path, source: Path | bytes, name: str) -> PackageContext:
    """Load a product naming the SBOM (what `check` does), then give the context `package` uses."""
    target = tmp_path / name
    if isinstance(source, Path):
        shutil.copyfile(source, target)
    else:
        target.write_bytes(source)
    product = tmp_path / "securable.yaml"
    product.write_text(PRODUCT.format(name=name), encoding="utf-8")
    return PackageContext(
        product=load_product(product), product_path=product, date=date(2025, 9, 1), documentation_url=""
    )


@pytest.mark.parametrize(
    ("name", "kind", "version", "packaged"),
    [
        ("homecam-1.2.cdx.json", "cyclonedx", "1.2", "machine/sbom.cdx.json"),
        ("homecam.cdx.xml", "cyclonedx", "1.5", "machine/sbom.cdx.xml"),
        ("homecam.spdx.json", "spdx", "SPDX-2.3", "machine/sbom.spdx.json"),
        ("homecam.spdx", "spdx", "SPDX-2.3", "machine/sbom.spdx"),
    ],
)
def test_every_format_passes_check_and_package_alike(
    tmp_path: Path, name: str, kind: str, version: str, packaged: str
) -> None:
    ctx = both(tmp_path, DATA / name, name)
    summary = read_sbom(ctx)
    assert summary.sbom is not None
    assert (summary.sbom.format, summary.sbom.spec_version) == (kind, version)
    assert summary.subject is not None
    assert (summary.subject.name, summary.subject.version) == ("HomeCam 2 firmware", "2.0.0")
    busybox = [c for c in summary.components if c.name == "busybox"]
    assert [(c.version, c.purl) for c in busybox] == [("1.36.1", "pkg:generic/busybox@1.36.1")]
    part = build_sbom(ctx)
    assert part.files[packaged] == (DATA / name).read_bytes()  # byte for byte
    doc = json.loads(part.files[SUMMARY_PATH])
    assert doc["sbom"]["format"] == kind


def test_vex_statements_match_components_of_any_format(tmp_path: Path) -> None:
    vex = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.com/vex/1",
        "author": "Acme PSIRT",
        "timestamp": "2025-08-20T00:00:00Z",
        "version": 1,
        "statements": [
            {
                "vulnerability": {"name": "CVE-2025-0001"},
                "products": [{"@id": "pkg:generic/busybox@1.36.1"}],
                "status": "fixed",
            }
        ],
    }
    path = tmp_path / "vex.json"
    path.write_text(json.dumps(vex), encoding="utf-8")
    for name in ("homecam.spdx.json", "homecam.cdx.xml"):
        folder = tmp_path / name
        folder.mkdir()
        ctx = both(folder, DATA / name, name)
        summary = read_sbom(PackageContext(ctx.product, ctx.product_path, ctx.date, "", vex_path=path))
        assert [(v.component, v.status) for v in summary.vulnerabilities] == [("busybox 1.36.1", "fixed")]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("a.spdx.json", b'{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT"}', "not valid SPDX"),
        ("a.spdx", b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n", "not valid SPDX"),
        ("a.cdx.json", b'{"bomFormat": "CycloneDX", "specVersion": "1.1", "version": 1}', '"1.1"'),
        (
            "a.cdx.xml",
            b'<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><nope/></bom>',
            "not valid CycloneDX 1.4",
        ),
        ("a.txt", b"just words\n", "not an SBOM Securable can read"),
    ],
)
def test_a_bad_sbom_fails_check_and_package_alike(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    (tmp_path / name).write_bytes(content)
    product = tmp_path / "securable.yaml"
    product.write_text(PRODUCT.format(name=name), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_product(product)
    assert words in caught.value.problems[0]
    from securable.package.machine.sbom_read import read_sbom_file

    with pytest.raises(InputError, match=words.replace("(", r"\(")):
        read_sbom_file(tmp_path / name)


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "upstream/sources/formats/cyclonedx/examples/vex/bom.json",  # 1.3
        ROOT / "upstream/sources/formats/cyclonedx/spec-tests-1.6/valid-vulnerability-1.6.json",
        CAMERA_SBOM,  # 1.5
    ],
    ids=lambda p: p.name,
)
def test_real_cyclonedx_files_pass_both(tmp_path: Path, path: Path) -> None:
    assert read_sbom(both(tmp_path, path, path.name)).sbom is not None
