"""What customers are told about sensors and parties (NISTIR 8259 4.2.3 Q4, Q6, Q7, Q8)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import at, blank, label, says_none
from securable.product.model import Party, Product

PRIVATE_SENSORS = frozenset({"camera", "microphone", "location"})
# Which sensor a data category implies: video needs a camera, audio a microphone.
SENSOR_FOR = {"video": "camera", "audio": "microphone", "location": "location"}
SENSOR_NAMES = {"camera": "camera", "microphone": "microphone", "location": "location sensor"}


@rule(
    "DIS-001",
    "Camera, microphone or location sensor not disclosed",
    Severity.HIGH,
    section="4.2.3",
    questions=("Q4.2.3-6",),
    elements=("sp800-213a:DOC-1.d", "sp800-213a:LAI-9.2", "sp800-213a:CSA-3.6"),
)
def sensor_not_disclosed(product: Product, ctx: Context) -> Iterator[Hit]:
    """A sensor of kind camera, microphone or location has `disclosed: false`, or does not say.

    NISTIR 8259 4.2.3 Q6 names "using a microphone and camera to capture audio and video" as a
    function customers must know about; a hidden one records people who never agreed to it. Silence
    fires: `disclosed` is a detail no question tracks, and for these sensors not saying is as bad as
    not disclosing.
    """
    composition = product.composition
    for index, sensor in enumerate((composition.sensors if composition else None) or ()):
        if sensor.kind in PRIVATE_SENSORS and sensor.disclosed is not True:
            what = label(sensor.name, f"the {sensor.kind}")
            said = "is not disclosed to customers" if sensor.disclosed is False else "may be undisclosed"
            yield Hit(
                f"{what} ({sensor.kind}) {said}",
                "tell customers about it (packaging, manual, app) and set disclosed to true; consider "
                "letting them turn it off (can_be_disabled) and showing when it is in use",
                at(product, ("composition", "sensors", index, "disclosed")),
            )


@rule(
    "DIS-002",
    "Data implies a sensor that is not listed",
    Severity.MEDIUM,
    section="4.2.3",
    questions=("Q4.2.3-6", "Q4.2.3-7"),
    elements=("sp800-213a:DOC-1.d",),
)
def sensor_missing(product: Product, ctx: Context) -> Iterator[Hit]:
    """A data type of category video, audio or location exists, and `composition.sensors` (when
    given, [] included) has no camera, microphone or location sensor for it.

    The sensor list is what customers read to learn what the device can capture (4.2.3 Q6); data
    that needs a sensor the list omits means the list is wrong. Silence does not fire: without a
    sensor list the open question is QST-001's.
    """
    composition = product.composition
    if composition is None or composition.sensors is None:
        return
    kinds = {sensor.kind for sensor in composition.sensors}
    for index, data in ctx.data_types:
        needed = SENSOR_FOR.get(data.category or "")
        if needed is not None and needed not in kinds:
            sensor = SENSOR_NAMES[needed]
            yield Hit(
                f"{label(data.name, f'data type {data.id!r}')} is {data.category} data, but no {sensor} "
                "is listed among the sensors",
                f"add the {sensor} (kind: {needed}), or whatever captures the {data.category}, to "
                "composition.sensors",
                ("composition", "data_types", index, "category"),
                (("composition", "sensors"),),
            )


def _has_reach(party: Party, referenced: set[str]) -> bool:
    """Whether the party can access data or control the device."""
    said = [t for t in (party.access, party.control) if not blank(t) and not says_none(t)]
    return bool(said) or party.id in referenced


@rule(
    "DIS-003",
    "Party with access or control not disclosed",
    Severity.HIGH,
    section="4.2.3",
    questions=("Q4.2.3-8", "Q4.2.3-7"),
    elements=("sp800-213a:DOC-1.h", "sp800-213a:DOC-4.b", "nistir-8259b:8259B-DOC"),
)
def party_not_disclosed(product: Product, ctx: Context) -> Iterator[Hit]:
    """A party that has access or control (its `access` or `control` says so, or a data type lists it
    in `accessible_by`) has `disclosed: false`, or does not say.

    NISTIR 8259 4.2.3 Q8 asks for "the identities of all parties (including the manufacturer) who
    have access to or any degree of control over the device", e.g. a support contractor who can
    update it remotely. Silence fires: `disclosed` is a detail no question tracks.
    """
    composition = product.composition
    if composition is None:
        return
    referenced = {ref for _, data in ctx.data_types for ref in data.accessible_by or ()}
    for index, party in enumerate(composition.parties or ()):
        if party.disclosed is True or not _has_reach(party, referenced):
            continue
        reach = "; ".join(
            f"{what}: {text.strip()}"
            for what, text in (("access", party.access), ("control", party.control))
            if text is not None and text.strip()
        )
        said = "is not disclosed to customers" if party.disclosed is False else "may be undisclosed"
        yield Hit(
            f"{label(party.name, f'party {party.id!r}')} ({reach or 'can access data'}) {said}",
            "name the party and what it can access or control in customer documentation (privacy "
            "notice, terms) and set disclosed to true",
            at(product, ("composition", "parties", index, "disclosed")),
        )


_WORD = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile(r"['’]s\b")
# Company forms dropped from the end of a name: "Updatr Ltd" is "Updatr".
_COMPANY_FORMS = frozenset(
    {"inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "gmbh", "ag", "sa", "sas", "bv", "nv",
     "co", "corp", "corporation", "company", "kg", "srl", "spa", "pty", "oy", "ab"}
)  # fmt: skip
# Words that say what a party does, not who it is: a name made only of them must match in full.
_GENERIC = frozenset(
    {"the", "a", "an", "of", "for", "and", "service", "services", "cloud", "provider", "providers",
     "hosting", "host", "app", "isp", "vendor", "partner", "supplier", "support", "third", "party",
     "contractor", "operator", "company", "platform", "network", "infrastructure"}
)  # fmt: skip


def _normal(text: str | None) -> str:
    """A name as lower-case words without punctuation, a leading "the" or a trailing company form."""
    words = _WORD.findall(_POSSESSIVE.sub("", (text or "").casefold()))
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _COMPANY_FORMS:
        words = words[:-1]
    return " ".join(words)


def _names_same_party(provider: str, name: str) -> bool:
    """Whether two normalised names name the same party: equal, or one is whole words of the other
    ("Updatr" and "Updatr update service") that say who, not only what ("cloud service")."""
    if not provider or not name:
        return False
    if provider == name:
        return True
    shorter, longer = sorted((provider, name), key=len)
    return f" {shorter} " in f" {longer} " and not set(shorter.split()) <= _GENERIC


def _listed(provider_name: str, parties: tuple[Party, ...]) -> bool:
    """Whether a party is the provider: by its name (whole words, see :func:`_names_same_party`), or,
    only in full, by its role ("ISP" is the party whose role is "ISP", not "Crispin Hosting")."""
    wanted = _normal(provider_name)
    if any(_names_same_party(wanted, _normal(party.name)) for party in parties):
        return True
    return bool(wanted) and any(wanted == _normal(party.role) for party in parties)


@rule(
    "DIS-004",
    "Third-party provider of a means not listed among the parties",
    Severity.MEDIUM,
    section="4.2.3",
    questions=("Q4.2.3-8", "Q4.2.3-4", "Q4.2.6-1.c"),
    elements=("sp800-213a:DOC-1.h", "nistir-8259b:8259B-DOC"),
)
def provider_not_listed(product: Product, ctx: Context) -> Iterator[Hit]:
    """A means with `provider: third-party` names a `provider_name` that matches no party of
    `composition.parties` (by name, in whole words, ignoring case and company forms such as Ltd; or
    by a role that is the whole provider name), or names no provider at all.

    A third party that runs a service or hub for the device has access to it or its data, which
    4.2.3 Q8 asks to disclose; and customers need the sources of services (Q4). A role names what a
    party does, so it matches only as a whole: a provider called "Acme Cloud Service" is not the
    party whose role is "service". Silence does not fire: without a parties list, QST-001 reports
    Q4.2.3-8.
    """
    parties = product.composition.parties if product.composition else None
    if parties is None:
        return
    for index, means in enumerate(product.means or ()):
        if means.provider != "third-party":
            continue
        if blank(means.provider_name):
            yield Hit(
                f"{label(means.title, f'means {means.id!r}')} is provided by a third party that is not named",
                "set provider_name and add the provider to composition.parties",
                ("means", index, "provider"),
            )
        elif not _listed(means.provider_name or "", parties):
            yield Hit(
                f"{means.provider_name!r} provides {label(means.title, f'means {means.id!r}')}, but is not "
                "among the parties with access to or control over the device",
                f"add {means.provider_name!r} to composition.parties with its access, control and "
                "whether it is disclosed",
                ("means", index, "provider_name"),
                (("composition", "parties"),),
            )


RULES: tuple[Rule, ...] = (sensor_not_disclosed, sensor_missing, party_not_disclosed, provider_not_listed)
