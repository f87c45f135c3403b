"""Which NISTIR 8228 risk mitigation areas each capability supports, for the per-area summaries.

NISTIR 8259 (section 2) names the five areas of NISTIR 8228 and says what serves each; NISTIR
8259A gives, per core-baseline capability, the rationale that ties it to those areas. The table
below follows them, one row per capability code. Codes are shared across catalogs: ``8259A-SU``,
``sp800-213a:SU``, ``FP-SU`` and ``FPN-SU`` are all ``SU``; the 2020 name *Cybersecurity Event
Awareness* (``CEA``) is the later *Cybersecurity State Awareness* (``CSA``).

Why each row (quotes from NISTIR 8259 section 2 unless marked):

* ``DI`` asset management: "Being able to distinguish each IoT device from all others" is what
  asset management needs. 8259 adds that the other four areas depend on it too; we still count it
  under asset management only, so that one identifier does not appear in every area's sums.
* ``DC`` vulnerability management ("vulnerabilities can be eliminated by ... changing configuration
  settings") and access management (8259A: configuration is changed by authorized entities only).
* ``DP`` data protection: "prevent access to and tampering with data at rest or in transit".
* ``LAI`` access management: "limiting access to interfaces reduces the attack surface".
* ``SU`` vulnerability management: "vulnerabilities can be eliminated by installing updates".
* ``CSA`` incident detection: "monitor and analyze IoT device activity for signs of incidents".

Capabilities outside NISTIR 8259A are placed by what their elements do (our reading, not NIST's):

* ``DS`` (SP 800-213A Device Security: secure execution, resource usage, integrity, secure
  communication): vulnerability management and data protection.
* ``MA`` (Federal Profile, Device Acquisition and Maintenance): asset and vulnerability management.
* NISTIR 8259B capabilities support the technical ones: ``DOC`` (composition, maintenance) asset and
  vulnerability management; ``IQR`` and ``IDS`` (receiving and sending vulnerability and incident
  information) vulnerability management and incident detection; ``EA`` (use of the capabilities,
  secure disposal and back-up, vulnerability management options) vulnerability management, access
  management and data protection.

An SP 800-213A non-technical action labelled with a technical capability ("Data Protection:
Establish communications ...") takes that capability's areas instead of its own capability's.
"""

from __future__ import annotations

AREAS: dict[str, str] = {
    "asset-management": "Asset Management",
    "vulnerability-management": "Vulnerability Management",
    "access-management": "Access Management",
    "data-protection": "Data Protection",
    "incident-detection": "Incident Detection",
}

_AM, _VM, _ACM, _DP, _ID = AREAS

CAPABILITY_AREAS: dict[str, tuple[str, ...]] = {
    "DI": (_AM,),
    "DC": (_VM, _ACM),
    "DP": (_DP,),
    "LAI": (_ACM,),
    "SU": (_VM,),
    "CSA": (_ID,),
    "DS": (_VM, _DP),
    "MA": (_AM, _VM),
    "DOC": (_AM, _VM),
    "IQR": (_VM, _ID),
    "IDS": (_VM, _ID),
    "EA": (_VM, _ACM, _DP),
}

# Labels NIST put before SP 800-213A non-technical actions, as capability codes.
_TOPIC_LABELS = {
    "device identity": "DI",
    "device identification": "DI",
    "device configuration": "DC",
    "data protection": "DP",
    "logical access to interfaces": "LAI",
    "software update": "SU",
    "unsupported iot device": "SU",
    "cybersecurity state awareness": "CSA",
    "cybersecurity event awareness": "CSA",
    "device security": "DS",
    "device acquisition and maintenance": "MA",
}
_PREFIXES = ("8259A-", "8259B-", "FPN-", "FP-")
_RENAMED = {"CEA": "CSA"}


def capability_code(record_id: str) -> str:
    """``8259A-SU`` -> ``SU``, ``FP-CEA`` -> ``CSA``, ``DOC`` -> ``DOC``; the ID of a capability record."""
    for prefix in _PREFIXES:
        if record_id.startswith(prefix):
            record_id = record_id[len(prefix) :]
            break
    return _RENAMED.get(record_id, record_id)


def areas_for(capability_id: str, topic_label: str | None = None) -> tuple[str, ...]:
    """The areas of a requirement under the capability ``capability_id`` (a record ID)."""
    if topic_label:
        code = _TOPIC_LABELS.get(topic_label.strip().lower())
        if code:
            return CAPABILITY_AREAS[code]
    return CAPABILITY_AREAS.get(capability_code(capability_id), ())


def areas_of_element(qualified_id: str) -> tuple[str, ...]:
    """The areas of a catalog element cited by a finding: those of its capability (``8259A-CSA`` for
    ``nistir-8259a:8259A-CSA.2``, ``DOC`` for ``sp800-213a:DOC-1``); none for an unknown one."""
    code = capability_code(qualified_id.rsplit(":", 1)[-1].split(".", 1)[0])
    if code not in CAPABILITY_AREAS:
        code = code.split("-", 1)[0]  # SP 800-213A numbers its elements under the code: DP-3
    return CAPABILITY_AREAS.get(code, ())
