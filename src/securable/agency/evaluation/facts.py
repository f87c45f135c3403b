"""What a vendor's package says about the product beyond its claims: the facts an officer decides on.

A component definition lists which SP 800-213A elements each means meets; it says nothing about how
long the product is supported, whether it comes with an SBOM, how vulnerabilities are reported or how
updates arrive. A package made by ``securable package`` carries those answers in
``machine/product.json`` (the vendor's product description), ``machine/sbom-summary.json`` and the
signed ``manifest.json``, so they are read here for the one-page summary that leads the report.

Everything read here is the vendor's untrusted text: a missing or unreadable file leaves the facts
unknown and adds a warning, it never stops the evaluation. A single component definition file has
none of these files, and the summary says so instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from securable.oscal.blocks import one_line

JSON = dict[str, Any]
PRODUCT = "machine/product.json"
SBOM_SUMMARY = "machine/sbom-summary.json"
MANIFEST = "manifest.json"
SECURITY_TXT = ".well-known/security.txt"
_MAX_BYTES = 16 * 1024 * 1024  # a product description is tens of KiB; this bounds a hostile one
_MAX_TEXT = 200  # characters of one prose answer kept for the summary


@dataclass(frozen=True, slots=True)
class Topic:
    """A subject an officer expects the vendor to state, where the product description answers it,
    and the SP 800-213A capabilities whose requirements it explains."""

    key: str
    title: str
    paths: tuple[tuple[str, ...], ...]  # answered when any of these holds a value
    capabilities: tuple[str, ...]


TOPICS = (
    Topic("support-period", "support period", (("support", "support_end"),), ("IDS",)),
    Topic("end-of-life", "end of life", (("support", "end_of_life"),), ("IDS",)),
    Topic("sbom", "software bill of materials", (("composition", "software_inventory", "sbom"),), ("DOC",)),
    Topic(
        "vulnerability-reporting",
        "vulnerability reporting",
        (
            ("support", "vulnerability_reporting", "channels"),
            ("support", "vulnerability_reporting", "policy_url"),
        ),
        ("IQR",),
    ),
    Topic("updates", "software updates", (("updates", "schedule"), ("updates", "delivery")), ("SU", "IDS")),
    Topic("network", "network use", (("composition", "operational", "network"),), ("LAI", "DOC")),
    Topic("sensors", "sensors", (("composition", "sensors"),), ("DOC",)),
    Topic("data", "data collected and where it is kept", (("composition", "data_types"),), ("DP",)),
    Topic("logging", "event logging", (("composition", "logging", "events"),), ("CSA",)),
    Topic(
        "retirement",
        "data removal and retirement",
        (("retirement", "ownership_transfer"), ("retirement", "render_inoperable")),
        ("DP",),
    ),
    Topic(
        "maintenance",
        "maintenance and repair",
        (("support", "maintenance", "activities"), ("support", "maintenance", "data_removal_before_repair")),
        ("DOC",),
    ),
    Topic(
        "guidance",
        "secure installation and configuration guidance",
        (("composition", "guidance", "installation"), ("composition", "guidance", "configuration")),
        ("DOC", "DC", "EA"),
    ),
)


@dataclass(frozen=True, slots=True)
class Facts:
    """The vendor's statements that lead the report; "" where the vendor states nothing."""

    read: bool = False  # a product description was found and read
    version: str = ""
    package_date: str = ""  # the date the package was built, from its manifest
    support_end: str = ""
    end_of_life: str = ""
    sbom: str = ""  # what the SBOM is ("CycloneDX 1.6, 12 components"), "" when there is none
    sbom_signed: bool = False  # listed in a manifest whose signature was verified
    sbom_listed: bool = False  # listed in the package's manifest, verified or not
    vulnerability_reporting: str = ""
    update_policy: str = ""
    fingerprint: str = ""  # of the key the package verified against, else the manifest's own claim
    answered: tuple[str, ...] = ()  # TOPICS keys the product description answers
    manifest_lists: frozenset[str] = frozenset()  # paths the signed manifest covers
    means: tuple[tuple[str, str], ...] = ()  # the product description's means: ID and title

    def means_title(self, means_id: str) -> str:
        return next((title for key, title in self.means if key == means_id), "")

    def unstated(self) -> tuple[Topic, ...]:
        return tuple(t for t in TOPICS if t.key not in self.answered) if self.read else ()

    def in_prose(self, capability: str) -> tuple[Topic, ...]:
        """The topics of ``capability`` the vendor's documents answer in prose."""
        return tuple(t for t in TOPICS if t.key in self.answered and capability in t.capabilities)


NO_FACTS = Facts()


def read_facts(folder: Path, *, verified_with: str = "") -> tuple[Facts, tuple[str, ...]]:
    """The facts in the package at ``folder`` and warnings for files that could not be read;
    ``verified_with`` is the fingerprint of the key the package verified against ("" if unchecked)."""
    warnings: list[str] = []
    product = _read(folder / PRODUCT, warnings)
    manifest = _read(folder / MANIFEST, warnings)
    sbom = _read(folder / SBOM_SUMMARY, warnings) if (folder / SBOM_SUMMARY).is_file() else {}
    listed = frozenset(
        str(f.get("path")) for f in _list(manifest.get("files")) if isinstance(f, dict) and f.get("path")
    )
    claimed = manifest.get("key_fingerprint")
    manifest_product = _dict(manifest.get("product"))
    if not product:
        return Facts(
            version=_text(manifest_product.get("version")),
            package_date=_text(manifest.get("date")),
            fingerprint=verified_with or _text(claimed),
            manifest_lists=listed,
        ), tuple(warnings)
    body = _dict(product.get("product"))
    sbom_file = _text(_at(body, ("composition", "software_inventory", "sbom")))
    sbom_path = f"machine/{sbom_file}" if sbom_file else ""
    return Facts(
        read=True,
        version=_text(_at(body, ("product", "version"))) or _text(manifest_product.get("version")),
        package_date=_text(manifest.get("date")),
        support_end=_text(_at(body, ("support", "support_end"))),
        end_of_life=_text(_at(body, ("support", "end_of_life"))),
        sbom=_sbom(sbom, sbom_file) if sbom_file and (folder / sbom_path).is_file() else "",
        sbom_signed=bool(verified_with) and sbom_path in listed,
        sbom_listed=bool(sbom_path) and sbom_path in listed,
        vulnerability_reporting=_reporting(
            _dict(_at(body, ("support", "vulnerability_reporting"))), (folder / SECURITY_TXT).is_file()
        ),
        update_policy=_updates(_dict(body.get("updates"))),
        fingerprint=verified_with or _text(claimed),
        answered=tuple(t.key for t in TOPICS if any(_given(_at(body, p)) for p in t.paths)),
        manifest_lists=listed,
        means=tuple(
            (_text(m.get("id")), _text(m.get("title")))
            for m in _list(body.get("means"))
            if isinstance(m, dict) and m.get("id") and m.get("title")
        ),
    ), tuple(warnings)


def _read(path: Path, warnings: list[str]) -> JSON:
    from securable.errors import InputError
    from securable.jsonread import parse, read

    try:
        data = parse(read(path, _MAX_BYTES), str(path))
    except (InputError, OSError) as err:  # JSONProblem is an InputError
        message = err.message if isinstance(err, InputError) else str(err)
        warnings.append(
            f"{path.name} could not be read ({one_line(message)}), so the summary leaves its facts out"
        )
        return {}
    return data if isinstance(data, dict) else {}


def _sbom(summary: JSON, file_name: str) -> str:
    about = _dict(summary.get("sbom"))
    kind = {"cyclonedx": "CycloneDX", "spdx": "SPDX"}.get(_text(about.get("format")), "")
    version = _text(about.get("spec_version"))
    components = _list(summary.get("components"))
    what = " ".join(w for w in (kind, version) if w) or file_name
    return f"{what}, {len(components)} component{'s' if len(components) != 1 else ''}" if summary else what


def _reporting(reporting: JSON, security_txt: bool) -> str:
    channels = [
        _text(c.get("address") or c.get("url") or c.get("kind"))
        for c in _list(reporting.get("channels"))
        if isinstance(c, dict)
    ]
    policy = _text(reporting.get("policy_url"))
    channels = [c for c in dict.fromkeys(channels) if c and c != policy]
    parts = [", ".join(channels)] if channels else []
    parts += [f"policy {policy}"] if policy else []
    parts += ["security.txt in the package"] if security_txt else []
    return "; ".join(parts)


def _updates(updates: JSON) -> str:
    if not updates:
        return ""
    if updates.get("available") is False:
        return "no software updates"
    parts = [_text(updates.get("schedule")).rstrip(".")]
    delivery = [_DELIVERY.get(_text(d), _text(d)) for d in _list(updates.get("delivery"))]
    parts.append(f"delivered {', '.join(d for d in delivery if d)}" if any(delivery) else "")
    who = {
        "manufacturer": "installed by the manufacturer",
        "customer": "installed by the customer",
        "third-party": "installed by a third party",
        "customer-chooses": "the customer chooses who installs",
    }.get(_text(updates.get("responsible")), "")
    parts.append(who)
    if updates.get("authenticated_before_install") is True:
        parts.append("authenticated before installing")
    return "; ".join(p for p in parts if p)


_DELIVERY = {
    "over-the-air": "over the air",
    "mobile-app": "through a phone app",
    "web-portal": "from a web portal",
    "removable-media": "on removable media",
    "related-device": "through a related device",
    "technician": "by a technician",
}


def _at(data: object, path: tuple[str, ...]) -> object:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _given(value: object) -> bool:
    if isinstance(value, dict):
        return any(_given(v) for v in value.values())
    if isinstance(value, (list, str)):
        return bool(value) and (not isinstance(value, str) or bool(value.strip()))
    return value is not None


def _dict(value: object) -> JSON:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    text = one_line(str(value))
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"
