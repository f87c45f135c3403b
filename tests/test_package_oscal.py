"""OSCAL component definition of the device: NIST's schema, compliance-trestle, and references that resolve.

compliance-trestle pins its own dependencies (exact versions of jinja2 and paramiko, among others),
so it is not part of the project's environment: the trestle test runs it in the bench venv
``.bench/trestle-venv`` (made by ``bench/oscal_validate.py`` on first use, and here if missing) in a
subprocess. When trestle is importable in-process, that is used instead.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from securable.oscal.validate import validate_document
from securable.package.context import PackageContext
from securable.package.machine.oscal_component import FOLDER, PATH, build_oscal_component
from securable.product import Product, load_product

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
DOCS = "https://acme-home.example.com/homecam2/docs"
NS = "https://securable.dev/ns/oscal"


@pytest.fixture(scope="module")
def camera() -> Product:
    return load_product(CAMERA)


@pytest.fixture(scope="module")
def files(camera: Product) -> dict[str, bytes]:
    part = build_oscal_component(context(camera))
    assert part.gaps == ()
    return part.files


def context(product: Product) -> PackageContext:
    return PackageContext(product=product, product_path=CAMERA, date=date(2025, 9, 1), documentation_url=DOCS)


def definition(files: dict[str, bytes]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(files[PATH])["component-definition"]
    return result


def components(files: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    return {c["title"]: c for c in definition(files)["components"]}


def props(item: dict[str, Any], name: str) -> list[str]:
    return [p["value"] for p in item.get("props", ()) if p["name"] == name and p.get("ns") == NS]


def changed_means(product: Product, means_id: str, **values: Any) -> Product:
    data = product.model_dump()
    for means in data["means"]:
        if means["id"] == means_id:
            means.update(values)
    return Product.model_validate(data)


def test_every_file_validates_against_nists_schema(files: dict[str, bytes]) -> None:
    assert set(files) == {
        PATH,
        f"{FOLDER}/sp800-213a.oscal.json",
        f"{FOLDER}/nistir-8259a.oscal.json",
        f"{FOLDER}/nistir-8259b.oscal.json",
    }
    for name, content in files.items():
        report = validate_document(json.loads(content), name=name)
        assert report.problems == (), name
    assert (
        validate_document(json.loads(files[PATH]), name=PATH, model="component").model
        == "component-definition"
    )


def _hrefs(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [
            *([value["href"]] if isinstance(value.get("href"), str) else []),
            *_hrefs(list(value.values())),
        ]
    if isinstance(value, list):
        return [href for item in value for href in _hrefs(item)]
    return []


def test_every_reference_resolves_inside_the_package(files: dict[str, bytes]) -> None:
    # SP 800-213A records link to their Federal Profile twins, which the package does not ship.
    documents = {name: json.loads(content) for name, content in files.items()}
    ids: dict[str, set[str]] = {}
    for name, document in documents.items():
        found: set[str] = set()
        stack: list[Any] = [document]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                found.update(str(item[key]) for key in ("id", "uuid") if key in item)
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        ids[name] = found
    checked = 0
    for name, document in documents.items():
        for href in _hrefs(document):
            if "://" in href or href.startswith("urn:"):
                continue
            file, _, fragment = href.partition("#")
            target = f"{FOLDER}/{file}" if file else name
            assert target in documents, f"{name} refers to {href}, which the package does not ship"
            assert not fragment or fragment in ids[target], f"{name} refers to {href}, which names nothing"
            checked += 1
    assert checked > 500


def test_same_input_same_bytes(camera: Product, files: dict[str, bytes]) -> None:
    assert build_oscal_component(context(camera)).files == files


def test_components_and_their_types(files: dict[str, bytes]) -> None:
    found = {title: c["type"] for title, c in components(files).items()}
    assert found == {
        "Acme HomeCam 2": "hardware",
        "Acme Cloud": "service",
        "Acme Home app on the owner's phone": "software",  # a related device whose means are software
        "Non-technical support by Acme Home Devices Inc.": "process-procedure",
    }
    meta = definition(files)["metadata"]
    assert meta["last-modified"] == "2025-09-01T00:00:00Z"
    assert meta["version"] == "2.0"
    (maker,) = meta["parties"]
    device = components(files)["Acme HomeCam 2"]
    assert device["responsible-roles"] == [{"role-id": "provider", "party-uuids": [maker["uuid"]]}]


def test_every_control_id_exists_in_its_source(files: dict[str, bytes]) -> None:
    """Each implementation's source is shipped beside it, and each control-id is a control there."""
    for component in components(files).values():
        for implementation in component.get("control-implementations", ()):
            source = json.loads(files[f"{FOLDER}/{implementation['source']}"])
            known = _control_ids(source)
            for requirement in implementation["implemented-requirements"]:
                assert requirement["control-id"] in known, (
                    implementation["source"],
                    requirement["control-id"],
                )


def _control_ids(document: dict[str, Any]) -> set[str]:
    if "profile" in document:
        return {
            i
            for imp in document["profile"]["imports"]
            for sel in imp["include-controls"]
            for i in sel["with-ids"]
        }
    # Groups are not controls: start below them.
    pending = [c for group in document["catalog"].get("groups", ()) for c in group.get("controls", ())]
    ids: set[str] = set()
    while pending:
        control = pending.pop()
        ids.add(control["id"])
        pending += control.get("controls", [])
    return ids


def test_how_and_by_which_means(files: dict[str, bytes]) -> None:
    device = components(files)["Acme HomeCam 2"]
    by_source = {ci["source"]: ci for ci in device["control-implementations"]}
    assert list(by_source) == ["sp800-213a.oscal.json", "nistir-8259a.oscal.json"]
    direct = {r["control-id"]: r for r in by_source["sp800-213a.oscal.json"]["implemented-requirements"]}
    lai = direct["lai-1"]
    assert props(lai, "means") == ["m-unique-credentials"]
    assert props(lai, "means-status") == ["full"]
    assert lai["description"].startswith("**No default passwords")
    assert "provided by the device" in lai["description"]
    # A baseline element is listed under every SP 800-213A element that realizes it, but as partial
    # for each: NIST names four realizations and the citation does not say which one the means meets
    # (`securable check` counts it so too).
    realized = {r["control-id"]: r for r in by_source["nistir-8259a.oscal.json"]["implemented-requirements"]}
    assert {"lai-1.1", "lai-1.2.1", "lai-4", "lai-9.7"} <= set(realized)
    for control in ("lai-1.1", "lai-1.2.1", "lai-4", "lai-9.7"):
        assert props(realized[control], "realizes") == ["8259A-LAI.2"], control
        assert props(realized[control], "means-status") == ["partial"], control
        assert props(realized[control], "claim-scope") == ["shared"], control
    assert "Restrict interface access to authorized entities" in realized["lai-4"]["description"]
    assert "counts as partly met for each" in realized["lai-4"]["description"]
    assert props(lai, "claim-scope") == []  # cited by name


def test_a_capability_cited_whole_is_listed_by_sub_capability(camera: Product) -> None:
    product = changed_means(camera, "m-security-documentation", catalog=["sp800-213a:DOC"])
    part = build_oscal_component(context(product))
    support = components(part.files)["Non-technical support by Acme Home Devices Inc."]
    (direct,) = [ci for ci in support["control-implementations"] if ci["source"] == "sp800-213a.oscal.json"]
    ids = [r["control-id"] for r in direct["implemented-requirements"]]
    assert {"doc-1", "doc-2", "doc-3", "doc-4"} <= set(ids)
    assert "doc" not in ids  # an OSCAL group, not a control
    # ... but never as a full claim on each sub-capability: the citation names none of them.
    for requirement in direct["implemented-requirements"]:
        if requirement["control-id"] in ("doc-1", "doc-2", "doc-3", "doc-4") and props(
            requirement, "means"
        ) == ["m-security-documentation"]:
            assert props(requirement, "means-status") == ["partial"]
            assert props(requirement, "claim-scope") == ["capability"]


def baseline_listing(product: Product, means_id: str, citation: str) -> dict[str, dict[str, Any]]:
    """Control-id -> implemented requirement of the baseline implementation ``means_id`` is in, when
    it cites only ``citation``."""
    changed = changed_means(product, means_id, catalog=[citation], status="full")
    part = build_oscal_component(context(changed))
    validate_document(json.loads(part.files[PATH]), name=PATH).raise_for_problems()
    source = f"{citation.partition(':')[0]}.oscal.json"
    return {
        r["control-id"]: r
        for c in definition(part.files)["components"]
        for ci in c.get("control-implementations", ())
        if ci["source"] == source
        for r in ci["implemented-requirements"]
        if means_id in props(r, "means")
    }


def test_a_baseline_element_realized_by_a_whole_capability_is_shared(camera: Product) -> None:
    # 8259A-SU.3 (roll back) is realized by the whole Software Update capability: its sub-capabilities
    # together. The old component definition claimed each of them in full.
    listed = baseline_listing(camera, "m-secure-update", "nistir-8259a:8259A-SU.3")
    assert set(listed) == {"su-1", "su-2"}
    for requirement in listed.values():
        assert props(requirement, "realizes") == ["8259A-SU.3"]
        assert props(requirement, "means-status") == ["partial"]
        assert props(requirement, "claim-scope") == ["shared"]


def test_a_baseline_element_with_one_realization_is_claimed_in_full(camera: Product) -> None:
    # 8259A-DI.2 is realized by DI-4 alone: the same requirement, so the means' own status stands.
    listed = baseline_listing(camera, "m-secure-update", "nistir-8259a:8259A-DI.2")
    assert set(listed) == {"di-4"}
    assert props(listed["di-4"], "means-status") == ["full"]
    assert props(listed["di-4"], "claim-scope") == []


def test_a_lock_out_answer_limits_the_lock_out_claims(camera: Product) -> None:
    # m-account-security has a fixed lock-out: configurable lock-out is claimed only partly, as
    # `securable check` credits it; with no lock-out at all it is not claimed.
    listed = baseline_listing(camera, "m-account-security", "nistir-8259a:8259A-LAI.3")
    assert listed
    assert all(props(r, "means-status") == ["partial"] for r in listed.values())
    data = camera.model_dump()
    for means in data["means"]:
        if means["id"] == "m-account-security":
            means["robustness"]["authentication"]["lockout"] = "none"
    assert (
        baseline_listing(Product.model_validate(data), "m-account-security", "nistir-8259a:8259A-LAI.3") == {}
    )


def test_partial_means_and_customer_responsibility(camera: Product) -> None:
    product = changed_means(camera, "m-end-to-end-video", catalog=["sp800-213a:DP-4"])
    product = changed_means(product, "m-customer-practices", catalog=["sp800-213a:DP-4"])
    part = build_oscal_component(context(product))
    validate_document(json.loads(part.files[PATH]), name=PATH).raise_for_problems()
    device = components(part.files)["Acme HomeCam 2"]
    (direct,) = [ci for ci in device["control-implementations"] if ci["source"] == "sp800-213a.oscal.json"]
    dp4 = next(r for r in direct["implemented-requirements"] if r["control-id"] == "dp-4")
    assert props(dp4, "means") == ["m-transport-encryption", "m-end-to-end-video", "m-customer-practices"]
    assert props(dp4, "means-status") == ["full"]  # one means fully in place is enough
    assert "partly in place" in dp4["description"]
    assert [r["role-id"] for r in dp4["responsible-roles"]] == ["provider", "customer"]


def test_means_without_a_kind_is_a_gap(camera: Product) -> None:
    part = build_oscal_component(context(changed_means(camera, "m-update-service", kind=None)))
    (gap,) = part.gaps
    assert "m-update-service" in gap.message
    assert gap.questions == ("Q3.3-3",)
    assert "Acme Cloud" in components(part.files)  # still there for its other means


def test_loads_with_compliance_trestle(files: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "component-definition.json"
    path.write_bytes(files[PATH])
    script = (
        "import sys, pathlib\n"
        "from trestle.oscal.component import ComponentDefinition\n"
        "cd = ComponentDefinition.oscal_read(pathlib.Path(sys.argv[1]))\n"
        "impls = [ci for c in cd.components for ci in c.control_implementations or []]\n"
        "reqs = sum(len(ci.implemented_requirements) for ci in impls)\n"
        "print(len(cd.components), reqs)\n"
    )
    done = subprocess.run(
        [str(_trestle_python()), "-c", script, str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    doc = definition(files)
    expected = sum(
        len(ci["implemented-requirements"])
        for c in doc["components"]
        for ci in c.get("control-implementations", ())
    )
    assert done.stdout.split() == [str(len(doc["components"])), str(expected)]


def _trestle_python() -> Path:
    """A Python that can import trestle: this one if it can, else the bench venv's (made if missing)."""
    if importlib.util.find_spec("trestle") is not None:
        return Path(sys.executable)
    # Loaded by path: bench/ is a folder of scripts, not a package the tests import by name.
    spec = importlib.util.spec_from_file_location(
        "_bench_oscal_validate", ROOT / "bench" / "oscal_validate.py"
    )
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    try:
        bench.trestle()  # creates .bench/trestle-venv with compliance-trestle on first use
    except (subprocess.CalledProcessError, OSError) as err:
        pytest.skip(f"compliance-trestle could not be installed into .bench/trestle-venv: {err}")
    return Path(bench.TRESTLE_VENV) / "bin" / "python"


@pytest.mark.parametrize("path", sorted(ROOT.glob("examples/*/securable.yaml")), ids=lambda p: p.parent.name)
def test_every_example_validates(path: Path) -> None:
    product = load_product(path)
    part = build_oscal_component(
        PackageContext(product=product, product_path=path, date=date(2025, 9, 1), documentation_url="")
    )
    for name, content in part.files.items():
        assert validate_document(json.loads(content), name=name).problems == ()
