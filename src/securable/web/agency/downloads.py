"""An evaluation as a file: the stored JSON report, or the same evaluation as a CSV spreadsheet or an
XLSX workbook, made by the core from the stored packages (the core reads no clock, so the rerun
says what the stored report says)."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from securable.errors import InputError, NotFoundError
from securable.web.agency import archive, engine
from securable.web.agency.models import Evaluation, VendorPackage
from securable.web.orgs.models import Organization
from securable.web.service import Actor, authorize

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Download:
    data: bytes
    content_type: str
    filename: str


def evaluation_file(actor: Actor, organization: Organization, pk: int, fmt: str) -> Download:
    authorize(actor, organization, "agency.view")
    if fmt not in CONTENT_TYPES:
        raise InputError(f"no download format {fmt[:20]!r}", hint=f"one of {', '.join(CONTENT_TYPES)}")
    found = Evaluation.objects.for_org(organization).select_related("requirements").filter(pk=pk).first()
    if found is None:
        raise NotFoundError("no such evaluation")
    filename = f"evaluation-{found.pk}.{fmt}"
    if fmt == "json":
        text = json.dumps(found.result, ensure_ascii=False, indent=2) + "\n"
        return Download(text.encode("utf-8"), CONTENT_TYPES[fmt], filename)
    packages = {p.name: p for p in found.packages.all()}
    # The report's vendor order is the order they were chosen in; the stored relation has none.
    names = [str(v.get("name")) for v in found.result.get("vendors", ()) if isinstance(v, dict)]
    ordered: list[VendorPackage] = [packages[n] for n in names if n in packages]
    with tempfile.TemporaryDirectory(prefix="securable-export-") as tmp:
        folders = []
        for i, package in enumerate(ordered):
            into = Path(tmp) / str(i)
            into.mkdir()
            folder = archive.unpack(bytes(package.archive), into, label=package.filename)
            key = package.public_key.encode("ascii", "replace")
            folders.append(engine.VendorFolder(package.name, folder, key, package.filename))
        data = engine.export(found.requirements.export, folders, fmt)
    return Download(data, CONTENT_TYPES[fmt], filename)
