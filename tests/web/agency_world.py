"""Shared inputs of the agency tests: signed vendor packages zipped as a vendor would upload them
(built once per session by the core), hostile zips made in code, and a helper that sets up an
approved requirement set through the services."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from securable import api
from securable.package.keys import keygen
from securable.web.agency.models import RequirementVersion
from securable.web.agency.services import (
    ApproveRequirements,
    CreateRequirementSet,
    approve_requirement_set,
    create_requirement_set,
)
from securable.web.orgs.models import Organization

from .conftest import ROOT, actor

SENSOR = ROOT / "examples" / "federal-env-sensor" / "securable.yaml"
VENDOR_B = ROOT / "examples" / "agency" / "vendor-b" / "securable.yaml"


def zip_folder(folder: Path, top: str = "package") -> bytes:
    """The folder zipped with one top folder, as ``zip -r`` makes it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return out.getvalue()


@dataclass(frozen=True)
class Packages:
    sensor: bytes  # Aerolume's package, zipped
    vendor_b: bytes  # Northwind's package, zipped
    tampered: bytes  # Aerolume's with one file changed after signing
    public_key: bytes
    other_key: bytes  # a key that signed nothing here
    fingerprint: str


@pytest.fixture(scope="session", name="packages")
def packages_fixture(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    work = tmp_path_factory.mktemp("agency-packages")
    fingerprint = keygen(work / "private.pem", work / "public.pem")
    keygen(work / "other-private.pem", work / "other-public.pem")
    day = date(2026, 12, 4)
    for name, product in (("sensor", SENSOR), ("vendor-b", VENDOR_B)):
        api.package(product, work / name, today=day, key=work / "private.pem", pdf=False)
    sensor = zip_folder(work / "sensor")
    changed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sensor)) as src, zipfile.ZipFile(changed, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("security.txt"):
                data += b"# added after signing\n"
            dst.writestr(info, data)
    return Packages(
        sensor=sensor,
        vendor_b=zip_folder(work / "vendor-b"),
        tampered=changed.getvalue(),
        public_key=(work / "public.pem").read_bytes(),
        other_key=(work / "other-public.pem").read_bytes(),
        fingerprint=fingerprint,
    )


def approved_set(org: Organization, author: Any, approver: Any, name: str = "Sensors") -> RequirementVersion:
    """A requirement set from the LOW baseline, drafted by ``author`` and approved by ``approver``."""
    version = create_requirement_set(actor(author), org, CreateRequirementSet(name, baseline="low"))
    slug = version.requirement_set.slug
    return approve_requirement_set(actor(approver), org, ApproveRequirements(slug, version.number))
