"""The agency pages' calls into the core (``securable.api``): derive requirements, verify a vendor's
package, evaluate vendors. Nothing here touches the database; services store what these return.

An uploaded OSCAL profile is resolved in an empty temporary folder, its import hrefs cut down to bare
file names first, with the server's SP 800-53 Rev. 5 catalog standing in for whatever it imports:
an upload never makes the server read a file it names.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from securable.errors import InputError

MAX_PROFILE = 4 * 1024 * 1024  # SP 800-53B's profiles are under 100 KiB; a profile selects, it holds no text
SECTIONS = ("technical", "support", "agency")


@dataclass(frozen=True)
class Derived:
    export: str  # the OSCAL profile `securable evaluate --requirements` reads
    report: str  # the core's JSON report
    counts: dict[str, int]


# NIST's catalog as a source checkout holds it (``make demo`` runs from one); installs configure theirs.
_CHECKOUT_CATALOG = (
    Path(__file__).resolve().parents[4]
    / "upstream/sources/nist-sp800-53-rev5-oscal/5.0.1_a849dbc/NIST_SP-800-53_rev5_catalog.json"
)


def catalog_path() -> Path | None:
    from django.conf import settings

    configured = getattr(settings, "SECURABLE_SP800_53_CATALOG", "")
    if configured:
        return Path(configured)
    return _CHECKOUT_CATALOG if _CHECKOUT_CATALOG.is_file() else None


def derive(
    *, baseline: str, profile: bytes | None, profile_name: str, tailoring: Sequence[Mapping[str, str]]
) -> Derived:
    """The requirements of a baseline or an uploaded profile, with the tailoring applied in order."""
    from securable import api

    steps = [api.Tailoring(t["action"], t["ref"], t["reason"]) for t in tailoring]
    if profile is None:
        result = api.requirements(baseline=baseline, tailoring=steps)
        hide = ""
    else:
        contained, catalog = _contained(profile, profile_name)
        with tempfile.TemporaryDirectory(prefix="securable-profile-") as empty:
            document = api.Document(profile_name, contained, base_dir=Path(empty))
            result = api.requirements(profile=document, catalog=catalog, tailoring=steps)
        hide = str(catalog)
    report = result.report("json")
    export = result.report("oscal")
    if hide:  # warnings name the stand-in catalog: its name is enough, not where the server keeps it
        report = report.replace(hide, Path(hide).name)
        export = export.replace(hide, Path(hide).name)
    data = json.loads(report)
    return Derived(export, report, {s: len(data.get(s, ())) for s in (*SECTIONS, "dropped")})


def _contained(profile: bytes, name: str) -> tuple[bytes, Path]:
    """The profile with every import href that could name a server file cut down to its file name.

    NIST's own profiles name their catalog by a relative path (``../../../../nist.gov/...``); in an
    empty folder a bare file name finds nothing, so the workspace's catalog stands in, while a path
    such as ``/etc/...`` or ``file:///...`` or ``../`` never reaches the server's disk.
    """
    from securable.oscal.validate import parse_json

    catalog = catalog_path()
    if catalog is None or not catalog.is_file():
        raise InputError(
            "this workspace resolves no OSCAL profiles: it has no SP 800-53 Rev. 5 catalog",
            hint="the administrator sets SECURABLE_WEB_SP800_53_CATALOG to NIST's catalog JSON; "
            "or start from a baseline",
        )
    if len(profile) > MAX_PROFILE:
        raise InputError(f"{name}: the profile is larger than {MAX_PROFILE // 2**20} MiB")
    doc = parse_json(profile, name)  # the core's strict JSON reader
    changed = False
    for holder in _href_holders(doc):
        href = holder["href"]
        if href.startswith("#") or urlsplit(href).scheme in ("http", "https"):
            continue  # a back-matter reference (checked in turn) or a URL, which the core never fetches
        bare = PurePosixPath(unquote(urlsplit(href).path).replace("\\", "/")).name or "catalog.json"
        if bare != href:
            holder["href"] = bare
            changed = True
    return (json.dumps(doc, ensure_ascii=False).encode("utf-8") if changed else profile), catalog


def _href_holders(doc: object) -> list[dict[str, Any]]:
    """The objects whose href an import may follow: the imports and the back-matter links."""
    profile = doc.get("profile") if isinstance(doc, dict) else None
    if not isinstance(profile, dict):
        return []  # not a profile: the core says so in its own words
    imports = profile.get("imports")
    found: list[Any] = list(imports) if isinstance(imports, list) else []
    matter = profile.get("back-matter")
    resources = matter.get("resources") if isinstance(matter, dict) else None
    for resource in resources if isinstance(resources, list) else ():
        links = resource.get("rlinks") if isinstance(resource, dict) else None
        found += links if isinstance(links, list) else []
    return [h for h in found if isinstance(h, dict) and isinstance(h.get("href"), str)]


@dataclass(frozen=True)
class Verified:
    ok: bool
    key_fingerprint: str
    report: dict[str, Any]  # the core's verification report, without the server's folder


def verify(folder: Path, public_key: bytes) -> Verified:
    """Check an unpacked package against its signed manifest with the vendor's key."""
    from securable import api

    report = api.verify(folder, api.Document("public key", public_key)).report
    data = report.to_json()
    data.pop("package", None)  # a temporary folder of the server: meaningless to the reader
    return Verified(report.ok, report.key_fingerprint, data)


@dataclass(frozen=True)
class VendorFolder:
    name: str
    folder: Path
    public_key: bytes
    label: str  # what the report calls it instead of the server's temporary folder


def _run(requirements: str, vendors: Sequence[VendorFolder]):  # type: ignore[no-untyped-def]  # EvaluationResult, imported lazily
    from securable import api

    return api.evaluate(
        api.Document("requirements.json", requirements.encode("utf-8")),
        [
            api.VendorInput(v.name, v.folder, api.Document(f"{v.name} public key", v.public_key))
            for v in vendors
        ],
    )


def _named(text: str, vendors: Sequence[VendorFolder]) -> str:
    """Paths and messages name the server's temporary folders: name the upload instead."""
    for vendor in vendors:
        text = text.replace(str(vendor.folder), json.dumps(vendor.label)[1:-1])
    return text


def evaluate(requirements: str, vendors: Sequence[VendorFolder]) -> dict[str, Any]:
    """The core's JSON evaluation of vendors' unpacked packages against a requirements profile."""
    data: dict[str, Any] = json.loads(_named(_run(requirements, vendors).report("json"), vendors))
    return data


EXPORTS = ("csv", "xlsx")


def export(requirements: str, vendors: Sequence[VendorFolder], fmt: str) -> bytes:
    """The same evaluation as a spreadsheet (``csv``) or workbook (``xlsx``), as the CLI writes them.

    The core reads no clock, so running it again on the stored packages gives the evaluation that
    was stored, in another format.
    """
    if fmt not in EXPORTS:
        raise InputError(f"no export format {fmt[:20]!r}", hint=f"one of {', '.join(EXPORTS)}")
    result = _run(requirements, vendors)
    if fmt == "xlsx":
        from securable.agency.evaluation.report import render_bytes

        return render_bytes(result.evaluation, "xlsx")
    return _named(result.report("csv"), vendors).encode("utf-8")
