"""``machine/oscal/component-definition.json``: the device as an OSCAL 1.2.1 component definition.

For every catalog element the product's means cite, it says how (the means, in the manufacturer's
words), by which means, who provides them and whether they are fully or partly in place: what an
agency needs to reuse the device's capabilities in its system security plan (SP 800-213).

Components, with their OSCAL types: the device itself (``hardware``; OSCAL's ``this-system`` exists
only in system security plans, for the system being authorized), then one component per related
device (``hardware``, or ``software`` when its means are software only, e.g. a phone app), per
service (``service``) and per provider of non-technical means (``process-procedure``). Means the
customer must carry out stay with the device's implemented requirements, under the ``customer``
role: that is the device's customer responsibility.

Control implementations, one per cited source: SP 800-213A elements against the catalog
(``sp800-213a.oscal.json``); NISTIR 8259A/8259B elements against those profiles, whose controls are
the SP 800-213A elements NIST names as realizing them, so a cited baseline element is listed under
each realizing element with a ``realizes`` property (as the profile itself does). A capability
cited as a whole (an OSCAL group, not a control) is listed under its sub-capabilities. The catalog
and profiles referred to are written beside the component definition, so every ``source`` resolves
inside the package.

A listing claims no more than ``securable check`` credits the citation with (docs/profiles.md, "How
citations count"), so ``means-status`` is ``partial`` for a listing the means did not name itself:

* a baseline element that several SP 800-213A records realize together (``8259A-DP.1``), or a whole
  capability (``8259A-SU.3``, realized by Software Update: its sub-capabilities together), is listed
  under each of them with ``claim-scope: shared``: the citation does not say which one the means
  meets, so it is partial for each, and says nothing about the elements inside them;
* an SP 800-213A capability cited as a whole is listed under each sub-capability with
  ``claim-scope: capability``: it claims the area without naming its elements, so it is partial for
  each sub-capability and for what they contain.

``means-status`` is ``full`` when one means fully in place names the control itself (or the one
baseline element it alone realizes), ``partial`` otherwise; it is left out when no means states its
status and none of its listings is partial.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from securable.assess.coverage import FULL, NONE, lockout_limit
from securable.catalog import Catalog, load
from securable.oscal import OSCAL_VERSION
from securable.oscal.blocks import JSON, NS, one_line, oscal_id, prop, stable_uuid
from securable.oscal.export import baseline_to_profile, catalog_href, catalog_to_oscal, dumps
from securable.package.context import Gap, PackageContext, Part
from securable.product.model import Means, Product

FOLDER = "machine/oscal"
PATH = f"{FOLDER}/component-definition.json"
TOPIC = "OSCAL component definition"

PROVIDER, CUSTOMER = "provider", "customer"
_ROLES = (
    (PROVIDER, "Provider", "The organization that provides the component or the means."),
    (CUSTOMER, "Customer", "The device's owner or operator, who carries out the means."),
)
_KIND_WORDS = {
    "device": "the device",
    "related-device": "a related device",
    "service": "a service",
    "non-technical": "non-technical support",
    "customer": "the customer",
}
_STATUS_WORDS = {"full": "fully in place", "partial": "partly in place"}
SHARED, CAPABILITY = "shared", "capability"  # values of the claim-scope property


@dataclass(frozen=True, slots=True)
class _Listing:
    """One means listed under one control, and how its citation got it there."""

    means: Means
    realizes: str | None  # the cited baseline element, when the source is a baseline
    scope: str | None = None  # SHARED or CAPABILITY when the means did not name this control itself
    limited: bool = False  # the means' own answers meet the citation only partly (its lock-out)

    @property
    def status(self) -> str | None:
        """What the listing claims: partial when expanded or limited, else the means' own status."""
        return "partial" if self.scope or self.limited else self.means.status


@dataclass
class _Requirement:
    """One control of one source, with the means that implement it and how each cited it."""

    control_id: str
    means: list[_Listing] = field(default_factory=list)


@dataclass
class _Component:
    key: str
    type: str
    title: str
    description: str
    provider: str | None  # party key; None when the description does not say who provides it
    means: list[Means] = field(default_factory=list)


def build_oscal_component(ctx: PackageContext) -> Part:
    doc, sources, gaps = component_definition(ctx)
    files = {PATH: dumps(doc).encode("utf-8")}
    referenced = _referenced(sources)
    shipped = frozenset(catalog_id for _, catalog_id in referenced)
    for href, catalog_id in referenced:
        files[f"{FOLDER}/{href}"] = _export_bytes(catalog_id, shipped)
    return Part(files, tuple(gaps))


@cache
def _export_bytes(catalog_id: str, shipped: frozenset[str]) -> bytes:
    """A shipped catalog or baseline as OSCAL, once per process and set of shipped catalogs.

    Links into catalogs the package does not ship (the Federal Profile's same-as twins of SP 800-213A
    elements) are left out, so every reference in the signed package resolves inside it.

    It depends on the shipped data alone, and it is large (1.7 MB for sp800-213a), so it is
    written compact: an indented dump runs json's pure-Python encoder and cost most of the
    package's time.
    """
    catalog = load(catalog_id)
    if catalog.kind == "baseline":
        document = baseline_to_profile(catalog, catalog_href(_profile_target(catalog)))
    else:
        document = catalog_to_oscal(catalog, link_into=shipped)
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _profile_target(catalog: Catalog) -> str:
    """The catalog a baseline's profile imports: the one its realized-by links point into."""
    targets = sorted(
        {link.target.partition(":")[0] for r in catalog for link in r.links if link.rel == "realized-by"}
    )
    return targets[0] if targets else "sp800-213a"


def component_definition(ctx: PackageContext) -> tuple[JSON, list[str], list[Gap]]:
    """The document, the catalogs (IDs) its control implementations refer to, and the gaps met."""
    product = ctx.product
    key = _product_key(product)
    parties = _parties(product)
    components = _components(product)
    gaps = [
        Gap(
            TOPIC,
            f"Means {m.id!r} cites catalog elements but does not say who provides it (kind), so it is "
            "not in the component definition.",
            ("Q3.3-3",),
            ("means", i, "kind"),
        )
        for i, m in enumerate(product.means or ())
        if m.kind is None and m.catalog
    ]
    cited: set[str] = set()
    out = [_component_json(key, c, parties, cited) for c in components]
    body: JSON = {
        "uuid": stable_uuid("component-definition", key),
        "metadata": _metadata(ctx, parties),
        "components": out,
    }
    return {"component-definition": body}, sorted(cited), gaps


def _product_key(product: Product) -> str:
    info = product.product
    fields = (info.manufacturer, info.model or info.name, info.version) if info else ()
    return "|".join(f or "" for f in fields) or "device"


# ---- parties and metadata ---------------------------------------------------------------------


def _parties(product: Product) -> dict[str, JSON]:
    """Party key -> OSCAL party: the manufacturer, and each third party named by a means."""
    parties: dict[str, JSON] = {}
    info = product.product
    maker = (info.manufacturer if info else None) or "The manufacturer"
    parties["manufacturer"] = _party(maker)
    for m in product.means or ():
        if m.provider == "third-party" and m.provider_name:
            parties.setdefault(f"third-party:{m.provider_name}", _party(m.provider_name))
    return parties


def _party(name: str) -> JSON:
    return {"uuid": stable_uuid("party", name), "type": "organization", "name": one_line(name)}


def _metadata(ctx: PackageContext, parties: dict[str, JSON]) -> JSON:
    info = ctx.product.product
    name = (info.name if info else None) or "The device"
    meta: JSON = {
        "title": one_line(f"{name}: cybersecurity capabilities and supporting means"),
        # The package date, never the clock: the same input gives the same document.
        "last-modified": f"{ctx.date.isoformat()}T00:00:00Z",
        "version": one_line((info.version if info else None) or "unversioned"),
        "oscal-version": OSCAL_VERSION,
    }
    if ctx.documentation_url:
        meta["links"] = [{"href": ctx.documentation_url, "rel": "reference", "text": "Product documentation"}]
    meta["roles"] = [{"id": rid, "title": title, "description": text} for rid, title, text in _ROLES]
    # A third party may carry the manufacturer's name: one party per UUID, as OSCAL requires.
    meta["parties"] = list({p["uuid"]: p for p in parties.values()}.values())
    meta["remarks"] = (
        "Made by Securable from the manufacturer's product description (NISTIR 8259 activity 3 and "
        "section 4.2.6). Each implemented requirement names the means behind it (`means` property, "
        f"namespace {NS}) and whether it is fully or partly in place (`means-status`). `claim-scope` "
        "marks requirements listed only because a means cites a whole capability (`capability`) or a "
        "baseline element several records realize together (`shared`): both are partly in place at "
        "most, and a `shared` one says nothing about the elements inside it."
    )
    return meta


# ---- components ---------------------------------------------------------------------------------


def _components(product: Product) -> list[_Component]:
    info = product.product
    name = (info.name if info else None) or "The device"
    details = [
        f"{label}: {value}"
        for label, value in (
            ("Manufacturer", info.manufacturer if info else None),
            ("Model", info.model if info else None),
            ("Version", info.version if info else None),
        )
        if value
    ]
    device = _Component(
        "device",
        "hardware",
        one_line(name),
        f"The IoT device {name}." + (f" {'; '.join(details)}." if details else ""),
        "manufacturer",
    )
    others: dict[tuple[str, str], _Component] = {}
    for m in product.means or ():
        if m.kind in ("device", "customer"):
            device.means.append(m)
        elif m.kind is not None:
            group = _group_of(m, product)
            others.setdefault((m.kind, group.title), group).means.append(m)
    for component in others.values():
        if component.type == "hardware" and all(_software_only(m) for m in component.means):
            component.type = "software"
    return [device, *others.values()]


def _group_of(m: Means, product: Product) -> _Component:
    """A fresh component for the provider of a related-device, service or non-technical means."""
    provider = "manufacturer" if m.provider == "manufacturer" else None
    if m.provider == "third-party" and m.provider_name:
        provider = f"third-party:{m.provider_name}"
    if m.kind == "non-technical":
        info = product.product
        maker = (info.manufacturer if info else None) or "the manufacturer"
        who = m.provider_name or (maker if m.provider != "third-party" else "a third party")
        title = f"Non-technical support by {who}"
        return _Component(f"non-technical:{who}", "process-procedure", one_line(title), f"{title}.", provider)
    title = m.provider_name or m.title or m.id
    kind = "hardware" if m.kind == "related-device" else "service"
    what = "A related device" if m.kind == "related-device" else "A service"
    return _Component(
        f"{m.kind}:{title}", kind, one_line(title), f"{what} the device relies on: {title}.", provider
    )


def _software_only(m: Means) -> bool:
    return m.robustness is not None and m.robustness.implementation == "software"


def _component_json(key: str, component: _Component, parties: dict[str, JSON], cited: set[str]) -> JSON:
    out: JSON = {
        "uuid": stable_uuid("component", key, component.key),
        "type": component.type,
        "title": component.title,
        "description": component.description,
    }
    if component.provider is not None:
        out["responsible-roles"] = [
            {"role-id": PROVIDER, "party-uuids": [parties[component.provider]["uuid"]]}
        ]
    implementations = []
    for catalog_id, requirements in _requirements(component.means).items():
        cited.add(catalog_id)
        implementations.append(
            _implementation(key, component, catalog_id, requirements, parties),
        )
    if implementations:
        out["control-implementations"] = implementations
    return out


def _requirements(means: list[Means]) -> dict[str, dict[str, _Requirement]]:
    """Source catalog ID -> control id -> requirement, in the order the means cite them."""
    found: dict[str, dict[str, _Requirement]] = {}
    # One means reaches a control by several citations; comparing whole models against every listing
    # was quadratic, so each listing is remembered by the identity of its means and how it got there.
    listed: set[tuple[str, str, int, str | None, str | None, bool]] = set()
    for m in means:
        for ref in m.catalog or ():
            limit = lockout_limit(m, ref)
            if limit == NONE:
                continue
            catalog_id, _, record_id = ref.partition(":")
            for source, control, realizes, scope in _controls(catalog_id, record_id):
                key = (source, control, id(m), realizes, scope, limit < FULL)
                if key in listed:
                    continue
                listed.add(key)
                requirement = found.setdefault(source, {}).setdefault(control, _Requirement(control))
                requirement.means.append(_Listing(m, realizes, scope, limited=limit < FULL))
    return found


def _controls(catalog_id: str, record_id: str) -> Iterator[tuple[str, str, str | None, str | None]]:
    """(source catalog ID, OSCAL control id, cited baseline element, claim scope) for one cited record.

    The scope is None when the control is what the means cited (or the one record that realizes the
    cited baseline element), else :data:`SHARED` or :data:`CAPABILITY` (see the module docstring).
    """
    catalog = load(catalog_id)
    record = catalog.get(record_id)
    if record is None:  # the loader checks references; an unknown one names no control
        return
    if catalog.kind != "baseline":
        for control, whole in _as_controls(catalog, record_id, ()):
            yield catalog_id, control, None, CAPABILITY if whole else None
        return
    targets: dict[str, list[str]] = {}
    for link in record.links:
        target_catalog, sep, target_id = link.target.partition(":")
        if link.rel == "realized-by" and sep:
            targets.setdefault(target_catalog, []).append(target_id)
    # Several realizing records, or a whole capability (its sub-capabilities together): the citation
    # does not say which of them the means meets.
    several = sum(len(ids) for ids in targets.values()) > 1
    for target_catalog, ids in targets.items():
        target = load(target_catalog)
        for target_id in ids:
            for control, whole in _as_controls(target, target_id, ids):
                yield catalog_id, control, record_id, SHARED if several or whole else None


def _as_controls(catalog: Catalog, record_id: str, siblings: list[str] | tuple[()]) -> list[tuple[str, bool]]:
    """(OSCAL control id, listed for a whole capability) for a record: itself, or for a top-level
    record (an OSCAL group) its children, unless the children are listed anyway (``siblings``), as
    NIST's realized-by lists often do."""
    record = catalog.get(record_id)
    if record is None:
        return []
    if record.parent is not None:
        return [(oscal_id(record_id), False)]
    children = [c.id for c in catalog.children(record_id)]
    if any(child in siblings for child in children):
        return []
    return [(oscal_id(child), True) for child in children]


def _implementation(
    key: str,
    component: _Component,
    catalog_id: str,
    requirements: dict[str, _Requirement],
    parties: dict[str, JSON],
) -> JSON:
    catalog = load(catalog_id)
    href = catalog_href(catalog_id)
    if catalog.kind == "baseline":
        description = (
            f"How {component.title} meets the {catalog.title} elements its means are cited for. The "
            f"profile's controls are the SP 800-213A elements NIST names as realizing those elements; "
            "each requirement's `realizes` property names the baseline element cited."
        )
    else:
        description = f"How {component.title} meets the {catalog.title} elements its means are cited for."
    return {
        "uuid": stable_uuid("control-implementation", key, component.key, catalog_id),
        "source": href,
        "description": one_line(description),
        "implemented-requirements": [
            _implemented(key, component, catalog_id, r, parties) for r in requirements.values()
        ],
    }


def _implemented(
    key: str, component: _Component, catalog_id: str, requirement: _Requirement, parties: dict[str, JSON]
) -> JSON:
    props: list[JSON] = []
    for listing in requirement.means:
        props.append(prop("means", listing.means.id))
        if listing.realizes:
            props.append(prop("realizes", listing.realizes))
    statuses = {listing.status for listing in requirement.means}
    # One means fully in place is enough for the requirement; otherwise partly, if any says so.
    status = "full" if "full" in statuses else ("partial" if "partial" in statuses else None)
    if status:
        props.append(prop("means-status", status))
    scopes = {listing.scope for listing in requirement.means}
    if len(scopes) == 1 and None not in scopes:
        # Every listing is an expansion: say which kind, so a reader can tell it from a claim made
        # for this control by name (a shared one says nothing about the records inside it).
        props.append(prop("claim-scope", str(next(iter(scopes)))))
    out: JSON = {
        "uuid": stable_uuid(
            "implemented-requirement", key, component.key, catalog_id, requirement.control_id
        ),
        "control-id": requirement.control_id,
        "description": "\n\n".join(_how(listing, catalog_id) for listing in requirement.means),
        "props": _unique(props),
    }
    roles = _roles(requirement, parties)
    if roles:
        out["responsible-roles"] = roles
    return out


def _how(listing: _Listing, catalog_id: str) -> str:
    """How one means meets the requirement, as a Markdown paragraph."""
    m, realizes = listing.means, listing.realizes
    who = _KIND_WORDS.get(m.kind or "", "an unstated provider")
    if m.provider_name and m.kind != "customer":
        who = f"{who} ({one_line(m.provider_name)})"
    status = _STATUS_WORDS.get(m.status or "", "status not stated")
    lines = [f"**{one_line(m.title or m.id)}** (means `{m.id}`, provided by {who}; {status})."]
    lines += [one_line(text) for text in (m.description, m.risk_effect) if text and text.strip()]
    if realizes:
        record = load(catalog_id).get(realizes)
        title = f" ({one_line(record.label)})" if record is not None and record.label.strip() else ""
        lines.append(f"Cited for baseline element {realizes}{title}.")
    if listing.scope == SHARED:
        lines.append(
            "NIST names several SP 800-213A records, or a whole capability, as realizing that element, "
            "and the citation does not say which of them the means meets, so it counts as partly met "
            "for each, and not for the elements inside them."
        )
    elif listing.scope == CAPABILITY:
        lines.append(
            "The citation names the whole capability, not this part of it, so it counts as partly met "
            "for each of its parts."
        )
    return " ".join(lines)


def _roles(requirement: _Requirement, parties: dict[str, JSON]) -> list[JSON]:
    providers: list[str] = []
    customer = False
    for m in (listing.means for listing in requirement.means):
        if m.kind == "customer":
            customer = True
        elif m.provider == "third-party" and m.provider_name:
            providers.append(parties[f"third-party:{m.provider_name}"]["uuid"])
        elif m.kind in ("device", "non-technical") or m.provider == "manufacturer":
            providers.append(parties["manufacturer"]["uuid"])
    roles: list[JSON] = []
    if providers:
        roles.append({"role-id": PROVIDER, "party-uuids": list(dict.fromkeys(providers))})
    if customer:
        roles.append({"role-id": CUSTOMER})
    return roles


def _unique(props: list[JSON]) -> list[JSON]:
    seen: dict[tuple[str, str], JSON] = {}
    for p in props:
        seen.setdefault((p["name"], p["value"]), p)
    return list(seen.values())


# ---- the documents the control implementations refer to ----------------------------------------


def _referenced(catalog_ids: list[str]) -> list[tuple[str, str]]:
    """(href, catalog ID) for every catalog or profile cited, and the catalogs profiles import."""
    found: dict[str, str] = {}
    pending = list(catalog_ids)
    while pending:
        catalog_id = pending.pop(0)
        href = catalog_href(catalog_id)
        if href in found:
            continue
        found[href] = catalog_id
        catalog = load(catalog_id)
        if catalog.kind == "baseline":
            pending.append(_profile_target(catalog))
    return sorted(found.items())
