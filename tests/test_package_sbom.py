"""SBOM summary: CycloneDX read and validated with its own specVersion's schema; VEX, OpenVEX, CSAF."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from securable.errors import InputError
from securable.package.context import PackageContext
from securable.package.machine.sbom import SBOM_PATH, SUMMARY_PATH, build_sbom, read_sbom, summary_json
from securable.package.machine.sbom_formats import CYCLONEDX_DIR, CYCLONEDX_VERSIONS, VEX_DIR, InvalidDocument
from securable.product import Product, load_product

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
SUMMARY_SCHEMA = ROOT / "src" / "securable" / "data" / "schemas" / "sbom-summary.schema.json"


@pytest.fixture(scope="module")
def camera() -> Product:
    return load_product(CAMERA)


@pytest.fixture(scope="module")
def formats(sources: Path) -> Path:
    return sources / "formats"


def context(product: Product, product_path: Path = CAMERA, vex: Path | None = None) -> PackageContext:
    return PackageContext(
        product=product, product_path=product_path, date=date(2025, 9, 1), documentation_url="", vex_path=vex
    )


def with_sbom(product: Product, sbom: str | None) -> Product:
    data = product.model_dump()
    data["composition"]["software_inventory"]["sbom"] = sbom
    return Product.model_validate(data)


def sbom_context(camera: Product, tmp_path: Path, sbom: Path, vex: Path | None = None) -> PackageContext:
    """A context whose product names ``sbom`` (copied beside a product file in ``tmp_path``)."""
    shutil.copyfile(sbom, tmp_path / sbom.name)
    return context(with_sbom(camera, sbom.name), tmp_path / "securable.yaml", vex)


def write_json(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def assert_valid_summary(doc: object) -> None:
    validator = jsonschema_rs.validator_for(json.loads(SUMMARY_SCHEMA.read_bytes()))
    errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []


# ---- the home camera --------------------------------------------------------------------------------


def test_home_camera_package_files(camera: Product) -> None:
    part = build_sbom(context(camera))
    assert part.gaps == ()
    assert part.files[SBOM_PATH] == (CAMERA.parent / "sbom.cdx.json").read_bytes()  # unchanged
    doc = json.loads(part.files[SUMMARY_PATH])
    assert_valid_summary(doc)
    assert doc["sbom"]["spec_version"] == "1.5"
    assert doc["sbom"]["file"] == "sbom.cdx.json"
    assert doc["subject"]["name"] == "HomeCam 2 firmware"
    assert [(c["name"], c["version"]) for c in doc["components"]] == [
        ("linux", "6.6.44"),
        ("mbedtls", "3.6.2"),
        ("busybox", "1.36.1"),
        ("homecam-app", "2.0.0"),
        ("update-agent", "2.0.0"),
    ]
    assert doc["components"][3]["supplier"] == "Acme Home Devices Inc."
    assert doc["components"][1]["purl"] == "pkg:github/Mbed-TLS/mbedtls@v3.6.2"
    assert doc["vulnerabilities"] == []


def test_same_input_same_bytes(camera: Product) -> None:
    assert build_sbom(context(camera)).files == build_sbom(context(camera)).files


def test_read_sbom_is_the_public_view(camera: Product) -> None:
    summary = read_sbom(context(camera))
    assert summary.sbom is not None
    assert summary.sbom.format == "cyclonedx"
    assert summary.components[0].type == "operating-system"
    assert summary.vex is None


def test_no_sbom_named_is_a_gap(camera: Product) -> None:
    part = build_sbom(context(with_sbom(camera, None)))
    assert part.files == {}
    assert part.gaps[0].questions == ("Q4.2.3-3",)
    assert read_sbom(context(with_sbom(camera, None))).components == ()


# ---- CycloneDX validation by specVersion -----------------------------------------------------------


def test_the_specification_valid_files_read(camera: Product, formats: Path, tmp_path: Path) -> None:
    valid = sorted((formats / "cyclonedx" / "spec-tests-1.6").glob("valid-*.json"))
    assert len(valid) >= 6
    for path in valid:
        summary = read_sbom(sbom_context(camera, tmp_path, path))
        assert summary.sbom is not None
        assert summary.sbom.spec_version == "1.6"
        assert_valid_summary(summary_json(summary))


def test_the_specification_invalid_files_fail_with_json_paths(
    camera: Product, formats: Path, tmp_path: Path
) -> None:
    expected = {
        "invalid-component-type-1.6.json": "$.components[0].type",
        "invalid-license-id-1.6.json": "$.components[0].licenses",
        "invalid-serialnumber-1.6.json": "$.serialNumber",
    }
    for name, where in expected.items():
        with pytest.raises(InvalidDocument) as caught:
            read_sbom(sbom_context(camera, tmp_path, formats / "cyclonedx" / "spec-tests-1.6" / name))
        assert caught.value.message.startswith("not valid CycloneDX 1.6")
        assert caught.value.problems[0].startswith(f"{where}: ")
        assert where in caught.value.render()


def test_each_version_is_checked_with_its_own_schema(camera: Product, tmp_path: Path) -> None:
    for version in CYCLONEDX_VERSIONS:
        minimal = {"bomFormat": "CycloneDX", "specVersion": version, "version": 1}
        path = write_json(tmp_path / f"min-{version}.cdx.json", minimal)
        assert read_sbom(context(with_sbom(camera, path.name), tmp_path / "p.yaml")).components == ()
    # "manufacturer" on a component arrived in 1.6: the 1.5 schema refuses it, the 1.6 one takes it.
    component = {"type": "library", "name": "x", "manufacturer": {"name": "Maker"}}
    for version, ok in (("1.5", False), ("1.6", True)):
        doc = {"bomFormat": "CycloneDX", "specVersion": version, "version": 1, "components": [component]}
        path = write_json(tmp_path / f"m-{version}.cdx.json", doc)
        ctx = context(with_sbom(camera, path.name), tmp_path / "p.yaml")
        if ok:
            assert read_sbom(ctx).components[0].supplier == "Maker"
        else:
            with pytest.raises(InvalidDocument, match=r"CycloneDX 1\.5"):
                read_sbom(ctx)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT"}, "not valid SPDX"),
        ({"bomFormat": "CycloneDX", "specVersion": "1.1", "version": 1}, 'specVersion "1.1"'),
        ({"bomFormat": "SPDX"}, "neither CycloneDX"),
        ("SBOM: yes\n", "not an SBOM Securable can read"),
        ({"bomFormat": "CycloneDX", "version": 1}, "no specVersion"),
        ([1, 2, 3], "not a JSON object"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_sboms_are_refused_clearly(camera: Product, tmp_path: Path, content: object, words: str) -> None:
    path = tmp_path / "bad.json"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        write_json(path, content)
    with pytest.raises(InputError, match=words) as caught:
        build_sbom(context(with_sbom(camera, path.name), tmp_path / "securable.yaml"))
    # The file, and for a JSON syntax error also the line:column in it.
    assert re.fullmatch(re.escape(str(path)) + r"(:\d+:\d+)?", str(caught.value.location))


def test_missing_sbom_file(camera: Product, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="SBOM not found"):
        read_sbom(context(with_sbom(camera, "gone.cdx.json"), tmp_path / "securable.yaml"))


@pytest.mark.parametrize("where", ["absolute", "parent", "link"])
def test_an_sbom_outside_the_product_folder_is_refused(camera: Product, tmp_path: Path, where: str) -> None:
    """The SBOM is copied into the signed package: it must come from the product's own folder."""
    outside = tmp_path / "elsewhere" / "sbom.cdx.json"
    outside.parent.mkdir()
    shutil.copyfile(CAMERA.parent / "sbom.cdx.json", outside)  # a valid SBOM, just in the wrong place
    product_dir = tmp_path / "product"
    product_dir.mkdir()
    value = {"absolute": str(outside), "parent": "../elsewhere/sbom.cdx.json", "link": "sbom.cdx.json"}[where]
    if where == "link":
        (product_dir / "sbom.cdx.json").symlink_to(outside)
    ctx = context(with_sbom(camera, value), product_dir / "securable.yaml")
    with pytest.raises(InputError, match="leads outside the product's folder") as caught:
        build_sbom(ctx)
    assert caught.value.location == str(product_dir / "securable.yaml")


def test_an_sbom_in_a_subfolder_or_named_absolutely_inside_is_read(camera: Product, tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    shutil.copyfile(CAMERA.parent / "sbom.cdx.json", tmp_path / "build" / "sbom.cdx.json")
    for value in (
        "build/sbom.cdx.json",
        "build/../build/sbom.cdx.json",
        str(tmp_path / "build" / "sbom.cdx.json"),
    ):
        part = build_sbom(context(with_sbom(camera, value), tmp_path / "securable.yaml"))
        assert part.files[SBOM_PATH] == (CAMERA.parent / "sbom.cdx.json").read_bytes()


def test_shipped_schemas_are_the_published_ones(formats: Path) -> None:
    for name in [p.name for p in (formats / "cyclonedx" / "schema").glob("*.json")]:
        assert (CYCLONEDX_DIR / name).read_bytes() == (formats / "cyclonedx" / "schema" / name).read_bytes()
    assert (CYCLONEDX_DIR / "LICENSE").read_bytes() == (
        formats / "cyclonedx" / "schema" / "LICENSE.specification.txt"
    ).read_bytes()
    pairs = {
        "openvex_json_schema.json": formats / "openvex" / "openvex_json_schema.json",
        "csaf_json_schema.json": formats / "csaf" / "schema" / "csaf_json_schema.json",
        **{
            f"cvss-v{v}.json": formats / "csaf" / "schema" / "first" / f"cvss-v{v}.json"
            for v in ("2.0", "3.0", "3.1")
        },
    }
    for name, origin in pairs.items():
        assert (VEX_DIR / name).read_bytes() == origin.read_bytes()


# ---- vulnerability status files ---------------------------------------------------------------------


def vulnerabilities(camera: Product, vex: Path) -> list[dict[str, Any]]:
    part = build_sbom(context(camera, vex=vex))
    doc = json.loads(part.files[SUMMARY_PATH])
    assert_valid_summary(doc)
    result: list[dict[str, Any]] = doc["vulnerabilities"]
    return result


def test_cyclonedx_vex_examples(camera: Product, formats: Path, tmp_path: Path) -> None:
    folder = formats / "cyclonedx" / "examples" / "vex"
    expected = {
        "cisa-case1-vex-affected.json": ("affected", "exploitable"),
        "cisa-case1-vex-fixed.json": ("fixed", "resolved"),
        "cisa-case1-vex-not_affected.json": ("not_affected", "not_affected"),
        "cisa-case1-vex-under_investigation.json": ("under_investigation", "in_triage"),
    }
    for name, (status, state) in expected.items():
        # CISA's case 1 speaks of its own products: about the camera it says nothing, and is left out.
        assert vulnerabilities(camera, folder / name) == []
        # Read against an SBOM of that product (the file's own metadata), it applies, in its own words.
        doc = json.loads((folder / name).read_bytes())
        doc.pop("vulnerabilities")
        write_json(tmp_path / "abc.cdx.json", doc)
        ctx = context(with_sbom(camera, "abc.cdx.json"), tmp_path / "securable.yaml", folder / name)
        (found,) = read_sbom(ctx).vulnerabilities
        subject = doc["metadata"]["component"]
        assert (found.id, found.component) == ("CVE-2021-44228", f"{subject['name']} {subject['version']}")
        assert (found.status, found.state, found.source_format) == (status, state, "cyclonedx")
    # vex.json's BOM-Link carries the camera SBOM's serial number, but names no component of it.
    summary = read_sbom(context(camera, vex=folder / "vex.json"))
    assert summary.vulnerabilities == ()
    assert "1 name no component of the SBOM (e.g. pkg:maven/com.fasterxml" in summary.warnings[0]
    # Beside bom.json, which holds jackson-databind, the serial numbers differ: another BOM's statement.
    summary = read_sbom(sbom_context(camera, tmp_path, folder / "bom.json", folder / "vex.json"))
    assert summary.vulnerabilities == ()
    assert "1 point into another BOM" in summary.warnings[0]


def test_openvex_examples_about_other_products_are_left_out(camera: Product, formats: Path) -> None:
    for name in ("demo.vex.json", "document1.vex.json"):
        summary = read_sbom(context(camera, vex=formats / "openvex" / "examples" / name))
        assert summary.vulnerabilities == ()
        assert "name no component of the SBOM" in summary.warnings[0]


def test_csaf_advisories_about_other_products_are_not_the_devices(camera: Product, formats: Path) -> None:
    """The Cisco IOS advisory lists 259 affected Cisco products, none of them in the camera."""
    examples = formats / "csaf" / "examples"
    for name in ("cisco-sa-20180328-smi2.json", "bsi-2022-0001.json", "csaf_vex-2022-evd-uc-01-na-001.json"):
        part = build_sbom(context(camera, vex=examples / name))
        assert json.loads(part.files[SUMMARY_PATH])["vulnerabilities"] == []
        (warning,) = part.warnings
        assert warning.startswith(f"{name}: ")
    cisco = build_sbom(context(camera, vex=examples / "cisco-sa-20180328-smi2.json")).warnings[0]
    assert "259 of 259 vulnerability statements left out" in cisco
    assert "259 name no component of the SBOM (e.g. Cisco IOS" in cisco


def test_csaf_statements_match_by_package_url(camera: Product, formats: Path, tmp_path: Path) -> None:
    doc = json.loads((formats / "csaf" / "examples" / "csaf_vex-2022-evd-uc-01-na-001.json").read_bytes())
    product = doc["product_tree"]["branches"][0]["branches"][0]["branches"][0]["product"]
    product["product_identification_helper"] = {"purl": "pkg:generic/busybox@1.36.1"}
    (vex,) = vulnerabilities(camera, write_json(tmp_path / "csaf.json", doc))
    assert (vex["id"], vex["status"], vex["state"]) == (
        "CVE-2021-44228",
        "not_affected",
        "known_not_affected",
    )
    assert vex["component"] == "busybox 1.36.1"
    assert vex["component_ref"] == "CSAFPID-0001"
    assert vex["detail"] == "Class with vulnerable code was removed before shipping."


def test_csaf_is_checked_against_the_schema_only(camera: Product, formats: Path) -> None:
    # This advisory fails CSAF mandatory test 6.1.1 but is schema-valid: Securable reads it.
    assert build_sbom(
        context(camera, vex=formats / "csaf" / "examples" / "NEGATIVE-mandatory-6-1-01-01.json")
    )


def test_bad_vulnerability_files(camera: Product, formats: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidDocument, match="not valid OpenVEX") as caught:
        build_sbom(context(camera, vex=formats / "openvex" / "examples" / "LEGACY-v0.0.1.vex.json"))
    assert "$.statements[0].vulnerability: " in caught.value.render()
    provider = formats / "csaf" / "examples" / "example-01-provider-metadata.json"
    with pytest.raises(InputError, match="is not a CycloneDX VEX, OpenVEX or CSAF document"):
        build_sbom(context(camera, vex=provider))
    broken = json.loads((formats / "csaf" / "examples" / "csaf_vex-2022-evd-uc-01-na-001.json").read_bytes())
    broken["document"]["tracking"]["status"] = "done"
    with pytest.raises(InvalidDocument, match=r"not valid CSAF 2\.0") as csaf:
        build_sbom(context(camera, vex=write_json(tmp_path / "csaf.json", broken)))
    assert csaf.value.problems[0].startswith("$.document.tracking.status: ")


def test_vex_statements_name_the_sbom_component(camera: Product, tmp_path: Path) -> None:
    openvex = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://acme-home.example.com/vex/2025-001",
        "author": "Acme PSIRT",
        "timestamp": "2025-08-20T00:00:00Z",
        "version": 1,
        "statements": [
            {
                "vulnerability": {"name": "CVE-2025-0001"},
                "products": [
                    {
                        "@id": "pkg:generic/homecam2-firmware@2.0.0",
                        "subcomponents": [{"@id": "pkg:github/Mbed-TLS/mbedtls@v3.6.2?arch=armv7"}],
                    }
                ],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path",
                "impact_statement": "The affected cipher suite is never enabled.",
            }
        ],
    }
    (found,) = vulnerabilities(camera, write_json(tmp_path / "acme.openvex.json", openvex))
    assert found["component"] == "mbedtls 3.6.2"  # matched although the VEX adds a qualifier
    assert found["component_ref"] == "pkg:github/Mbed-TLS/mbedtls@v3.6.2?arch=armv7"
    assert found["detail"] == "The affected cipher suite is never enabled."


def test_the_vex_file_overrides_the_sbom(camera: Product, tmp_path: Path) -> None:
    sbom = json.loads((CAMERA.parent / "sbom.cdx.json").read_bytes())
    sbom["vulnerabilities"] = [
        {"id": "CVE-2025-0002", "affects": [{"ref": "busybox"}]},
        {"id": "CVE-2025-0003", "affects": [{"ref": "linux"}], "analysis": {"state": "exploitable"}},
    ]
    path = write_json(tmp_path / "sbom.cdx.json", sbom)
    vex = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "vulnerabilities": [
            {
                "id": "CVE-2025-0002",
                "affects": [{"ref": f"urn:cdx:{sbom['serialNumber'][9:]}/1#busybox"}],
                "analysis": {"state": "not_affected", "justification": "code_not_present"},
            }
        ],
    }
    ctx = context(
        with_sbom(camera, path.name), tmp_path / "securable.yaml", write_json(tmp_path / "vex.json", vex)
    )
    summary = read_sbom(ctx)
    assert [(v.id, v.component, v.status, v.source_format) for v in summary.vulnerabilities] == [
        ("CVE-2025-0002", "busybox 1.36.1", "not_affected", "cyclonedx"),
        ("CVE-2025-0003", "linux 6.6.44", "affected", "cyclonedx"),
    ]
    counts = summary_json(summary)["vulnerability_counts"]
    assert counts == {"affected": 1, "under_investigation": 0, "fixed": 0, "not_affected": 1}


def test_the_vex_file_overrides_the_sbom_across_naming_schemes(camera: Product, tmp_path: Path) -> None:
    sbom = json.loads((CAMERA.parent / "sbom.cdx.json").read_bytes())
    sbom["vulnerabilities"] = [{"id": "CVE-2025-0005", "affects": [{"ref": "mbedtls"}]}]  # by bom-ref
    path = write_json(tmp_path / "sbom.cdx.json", sbom)
    openvex = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://acme-home.example.com/vex/2025-005",
        "author": "Acme PSIRT",
        "timestamp": "2025-08-20T00:00:00Z",
        "version": 1,
        "statements": [
            {
                "vulnerability": {"name": "CVE-2025-0005"},
                "products": [{"@id": "pkg:github/Mbed-TLS/mbedtls@v3.6.2"}],  # by package URL
                "status": "fixed",
            }
        ],
    }
    vex = write_json(tmp_path / "fix.openvex.json", openvex)
    (found,) = read_sbom(
        context(with_sbom(camera, path.name), tmp_path / "securable.yaml", vex)
    ).vulnerabilities
    assert (found.component, found.status, found.source_format) == ("mbedtls 3.6.2", "fixed", "openvex")


def test_unanalysed_vulnerability_is_under_investigation(camera: Product, tmp_path: Path) -> None:
    sbom = json.loads((CAMERA.parent / "sbom.cdx.json").read_bytes())
    sbom["vulnerabilities"] = [{"id": "CVE-2025-0004", "affects": [{"ref": "mbedtls"}]}]
    path = write_json(tmp_path / "sbom.cdx.json", sbom)
    (found,) = read_sbom(context(with_sbom(camera, path.name), tmp_path / "securable.yaml")).vulnerabilities
    assert (found.status, found.state, found.component) == ("under_investigation", None, "mbedtls 3.6.2")


@pytest.mark.parametrize("path", sorted(ROOT.glob("examples/*/securable.yaml")), ids=lambda p: p.parent.name)
def test_every_example_sbom_reads(path: Path) -> None:
    part = build_sbom(context(load_product(path), path))
    if SUMMARY_PATH in part.files:
        assert_valid_summary(json.loads(part.files[SUMMARY_PATH]))
    else:
        assert part.gaps
