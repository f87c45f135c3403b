"""Reference sections for technical audiences: administrators, operators, security staff.

There is one builder per NISTIR 8259 Activity 6 topic (4.2.1 to 4.2.6) and per part of one, each
section with a stable id, saying in place what the manufacturer has not stated. All wording of
answers comes from the product description; this module only chooses labels and order. Which
sections a document holds is decided by :mod:`~securable.package.documents.profiles`.
"""

from __future__ import annotations

from securable.package.documents.answers import Reader, show
from securable.package.documents.shared_sections import (
    data_access,
    list_or_gap,
    physical_facts,
    reporting,
)
from securable.package.documents.view import Block, Facts, Inline, Link, Para, Section, Table, table
from securable.package.documents.wording import (
    DATA_CATEGORY,
    DELIVERY,
    INOPERABLE_METHOD,
    RESPONSIBLE,
    SENSOR_KIND,
    SOURCE_KIND,
    VERIFICATION,
    capfirst,
    labelled,
)
from securable.package.machine.sbom import SbomSummary

# The Activity 6 topics in NISTIR 8259 order (4.2.1 to 4.2.6): section id and title. Links and
# tests rely on the ids.
TOPICS = (
    ("assumptions", "Design assumptions"),
    ("support", "Support and lifespan"),
    ("composition", "Composition and capabilities"),
    ("updates", "Software updates"),
    ("retirement", "Retirement: passing on or disposing of the device"),
    ("means", "Who provides which protection"),
)
TITLE = dict(TOPICS)


def _table_or_gap(r: Reader, path: str, listing: Table) -> tuple[Block, ...]:
    return (list_or_gap(r, path, listing),)


def assumptions(r: Reader) -> Section:
    a = "assumptions."
    facts = Facts(
        (
            ("Expected customers", r.text(a + "expected_customers")),
            ("Intended use", r.text(a + "intended_use")),
            ("Environments", r.text(a + "environments")),
        )
    )
    shared = r.product.assumptions.shared_responsibilities if r.product.assumptions else None
    rows = tuple((show(s.party or "Unnamed party"), show(s.responsibilities or ())) for s in shared or ())
    listing = table("How security responsibilities are shared", ("Party", "Responsibilities"), rows)
    child = Section(
        "shared-responsibilities",
        "Shared responsibilities",
        _table_or_gap(r, a + "shared_responsibilities", listing),
    )
    cases = use_cases(r)
    return Section("assumptions", TITLE["assumptions"], (facts,), (child, *_known(r), *cases))


def _known(r: Reader) -> tuple[Section, ...]:
    """The laws, regulations, standards and contracts the device was designed to meet: what a
    customer checks first, and what the design assumed."""
    rows = tuple(
        (show(k.name or ""), show(k.kind or ""), show(k.jurisdiction or ""), show(k.reference or ""))
        for k in r.product.known_requirements()
    )
    if not rows:
        return ()
    listing = table(
        "Known requirements the device was designed to meet",
        ("Requirement", "Kind", "Where it applies", "Reference"),
        rows,
        caption_visible=False,
    )
    return (Section("known-requirements", "Known requirements", (listing,)),)


def use_cases(r: Reader) -> tuple[Section, ...]:
    """Per use case, whether it acts on the physical world, whether it is safety-critical and what
    the device does in a degraded state: the design assumptions an operator plans around. Only the
    answers given are shown, so a description without them adds no section."""
    labels = (
        "Acts on the physical world",
        "Safety-critical: failure or misuse can hurt people",
        "When the network, a service, power or a security function is lost",
    )
    children = [
        Section(f"use-case-{case.id}", case.title or case.id, (Facts(items),))
        for case in r.product.use_cases or ()
        if (items := physical_facts(case, labels))
    ]
    if not children:
        return ()
    return (Section("use-cases", "Use cases: physical effects and degraded operation", (), tuple(children)),)


def _period_of_use(r: Reader) -> tuple[Block, ...]:
    """How long each use case keeps the device, beside the support end it is to be compared with."""
    rows: list[tuple[Inline, ...]] = []
    for case in r.product.use_cases or ():
        span = case.period_of_use_years
        in_years = span.words() if span is not None else ""
        words = case.period_of_use.strip() if case.period_of_use else ""
        if words.startswith(in_years):
            in_years = ""  # the manufacturer's words already say it; a repeat reads like an error
        if words or in_years:
            rows.append((case.title or case.id, words, in_years))
    if not rows:
        return ()
    return (table("Expected period of use", ("Use case", "Period of use", "In years"), tuple(rows)),)


def support(r: Reader, *, with_reporting: bool = True) -> Section:
    s = "support."
    facts = Facts(
        (
            ("Security updates and support until", r.text(s + "support_end")),
            ("Support includes", r.text(s + "support_scope")),
            ("End of life", r.text(s + "end_of_life")),
            ("End-of-life process", r.text(s + "end_of_life_process")),
            (
                "Notice before end of life",
                r.text(s + "end_of_life_notice_months", fmt=lambda m: f"{m} months"),
            ),
            ("After support ends", r.text(s + "after_support_end")),
            ("After end of life", r.text(s + "after_end_of_life")),
            ("Keeping the device secure after support ends", r.text(s + "securable_after_support")),
            ("Files or data made public for continued support", r.text(s + "public_release")),
        )
    )
    children = (reporting(r, full=True),) if with_reporting else ()
    return Section("support", TITLE["support"], (facts, *_period_of_use(r)), children)


def guidance(r: Reader) -> Section:
    g = "composition.guidance."
    facts = Facts(
        (
            ("Installation", r.text(g + "installation")),
            ("Configuration", r.text(g + "configuration")),
            ("Hardening", r.text(g + "hardening")),
            ("Insecure ways of use to avoid", r.text(g + "usage")),
            ("Maintenance", r.text(g + "maintenance")),
            ("Effect of stricter settings", r.text("composition.stricter_settings")),
        )
    )
    return Section("guidance", "Installation, configuration and hardening", (facts,))


def maintenance(r: Reader) -> tuple[Section, ...]:
    """Who maintains the device, how often and with what records, and how data is protected when it
    leaves for repair: what an operator schedules. Only the answers given are shown."""
    kept = r.product.support.maintenance if r.product.support else None
    blocks: list[Block] = []
    guidance_ = r.product.composition.guidance if r.product.composition else None
    if guidance_ is not None and guidance_.maintenance:
        blocks.append(Facts((("Security maintenance tasks", guidance_.maintenance),)))
    rows = tuple(
        (
            a.what or "Not stated",
            {"local": "On site", "nonlocal": "Remote"}.get(a.kind or "", ""),
            a.frequency or "",
            {"manufacturer": "The manufacturer", "third-party": "A third party", "customer": "You"}.get(
                a.performed_by or "", ""
            ),
            a.records or "",
        )
        for a in (kept.activities if kept else None) or ()
    )
    if rows:
        columns = ("Activity", "Where", "How often", "Done by", "Records")
        blocks.append(table("Maintenance activities", columns, rows))
    repair: list[tuple[str, Inline]] = []
    if kept is not None and kept.offsite_repair is not None:
        repair.append(("Repaired off site", show(kept.offsite_repair)))
    if kept is not None and kept.data_removal_before_repair:
        repair.append(("Data removed before repair", kept.data_removal_before_repair))
    if repair:
        blocks.append(Facts(tuple(repair)))
    return (Section("maintenance", "Maintenance", tuple(blocks)),) if blocks else ()


def interfaces(r: Reader) -> tuple[Section, ...]:
    """The interfaces and services the device does not need and how each is disabled, and its
    hardware security: where a researcher starts. Only the answers given are shown."""
    planning = r.product.support_planning
    unneeded = tuple(
        (
            c.name or "Unnamed",
            {
                "local-interface": "Local interface",
                "network-interface": "Network interface",
                "service": "Service",
                "other": "Other",
            }.get(c.kind or "", ""),
            "" if c.enabled_by_default is None else show(c.enabled_by_default),
            c.how_disabled or "",
        )
        for c in (planning.unneeded_capabilities if planning else None) or ()
    )
    hardware = tuple(
        (
            c.name or "Unnamed",
            c.purpose or "",
            "" if c.updatable is None else show(c.updatable),
        )
        for c in (planning.hardware_capabilities if planning else None) or ()
    )
    blocks: list[Block] = []
    if unneeded:
        blocks.append(
            table(
                "Interfaces and services the device does not need",
                ("Interface or service", "Kind", "Enabled as shipped", "How it is disabled"),
                unneeded,
            )
        )
    if hardware:
        blocks.append(
            table("Hardware security capabilities", ("Capability", "Purpose", "Can be updated"), hardware)
        )
    return (Section("interfaces", "Interfaces and hardware security", tuple(blocks)),) if blocks else ()


# CycloneDX/OpenVEX/CSAF statuses as normalized by securable.package.machine.sbom, in customers' words.
_VULN_STATUS = {
    "affected": "Affected",
    "under_investigation": "Under investigation",
    "fixed": "Fixed",
    "not_affected": "Not affected",
}


def _vulnerabilities(summary: SbomSummary) -> tuple[Block, ...]:
    if summary.vulnerabilities:
        rows = tuple(
            (
                v.id,
                v.component or "",
                _VULN_STATUS.get(v.status, v.status),
                " ".join(
                    capfirst(x.replace("_", " ")).rstrip(".") + "." for x in (v.justification, v.detail) if x
                ),
            )
            for v in summary.vulnerabilities
        )
        return (table("Known vulnerabilities", ("ID", "Component", "Status", "Detail"), rows),)
    if summary.vex is not None:
        return (
            Para(f"The vulnerability status supplied with this package ({summary.vex.name}) lists none."),
        )
    return (Para("No vulnerability status was supplied with this package; see the patch status above."),)


# How the SBOM copied into the package is named in a document, by its place in the package.
_SBOM_FORMAT = {".cdx.json": "CycloneDX JSON", ".cdx.xml": "CycloneDX XML", ".spdx.json": "SPDX JSON"}


def _sbom(r: Reader, summary: SbomSummary) -> Inline:
    """A link to the package's copy of the SBOM, named for what it is; the product file's answer
    (a file name such as ``sbom.cdx.json``) when there is no copy."""
    answer = r.text("composition.software_inventory.sbom")
    path = summary.sbom.package_path if summary.sbom else None
    if path is None:
        return answer
    kind = next((name for end, name in _SBOM_FORMAT.items() if path.endswith(end)), "SPDX tag-value")
    return Link(f"{kind} file in this package", "../" + path)


def software(r: Reader, summary: SbomSummary) -> Section:
    i = "composition.software_inventory."
    facts = Facts(
        (
            ("Software bill of materials", _sbom(r, summary)),
            ("Patch status and known vulnerabilities", r.text(i + "vulnerability_status")),
            ("Current inventory on demand", r.text(i + "on_demand")),
        )
    )
    blocks: list[Block] = [facts]
    if summary.components:
        rows = tuple(
            (c.name, c.version or "Not stated", c.supplier or "Not stated", c.purl or "")
            for c in summary.components
        )
        columns = ("Component", "Version", "Supplier", "Package URL")
        blocks.append(table("Software components", columns, rows))
    child = Section("vulnerabilities", "Known vulnerabilities", _vulnerabilities(summary))
    return Section("software", "Software inventory", tuple(blocks), (child,))


def sources(r: Reader) -> Section:
    items = r.product.composition.sources if r.product.composition else None
    rows = tuple(
        (
            s.name or "Unnamed",
            SOURCE_KIND.get(s.kind or "", "Not stated"),
            s.supplier or "Not stated",
            s.notes or "",
        )
        for s in items or ()
    )
    listing = table(
        "Sources of software, hardware and services", ("Component", "Kind", "Supplier", "Notes"), rows
    )
    return Section("sources", "Where the parts come from", _table_or_gap(r, "composition.sources", listing))


def network(r: Reader) -> Section:
    o = "composition.operational."
    flows = (
        r.product.composition.operational.network
        if r.product.composition and r.product.composition.operational
        else None
    )
    rows = tuple(
        (
            f.host or "Not stated",
            "" if f.port is None else str(f.port),
            (f.protocol or "").upper(),
            f.direction or "",
            f.application or "",
            f.purpose or "",
        )
        for f in flows or ()
    )
    listing = table(
        "Expected network communication",
        ("Host", "Port", "Transport", "Direction", "Protocol", "Purpose"),
        rows,
    )
    blocks: list[Block] = list(_table_or_gap(r, o + "network", listing))
    op = r.product.composition.operational if r.product.composition else None
    items = [("How this information is made available", r.text(o + "how_provided"))]
    if op is not None and op.mud_url:
        items.append(("MUD file (RFC 8520)", op.mud_url))
    if op is not None and op.notes:
        items.append(("Other characteristics", op.notes))
    blocks.append(Facts(tuple(items)))
    return Section("network", "Network behaviour", tuple(blocks))


def functions(r: Reader) -> Section:
    c = r.product.composition
    listed = tuple(
        (f.name or "Unnamed function", f.description or "") for f in (c.functions if c else None) or ()
    )
    sensors = tuple(
        (
            s.name or "Unnamed sensor",
            SENSOR_KIND.get(s.kind or "", "Not stated"),
            "Not stated" if s.disclosed is None else show(s.disclosed),
            "Not stated" if s.can_be_disabled is None else show(s.can_be_disabled),
        )
        for s in (c.sensors if c else None) or ()
    )
    blocks = (
        *_table_or_gap(
            r, "composition.functions", table("Functions", ("Function", "What it involves"), listed)
        ),
        *_table_or_gap(
            r,
            "composition.sensors",
            table("Sensors", ("Sensor", "Kind", "Disclosed", "Can be turned off"), sensors),
        ),
    )
    return Section("functions", "Functions and sensors", blocks)


def data(r: Reader) -> Section:
    rows = []
    for d, access in data_access(r):
        protection = [
            w for w, on in (("at rest", d.protected_at_rest), ("in transit", d.protected_in_transit)) if on
        ]
        rows.append(
            (
                d.name or d.id,
                DATA_CATEGORY.get(d.category or "", ""),
                show(d.stored) if d.stored else "Not stated",
                ("Protected " + " and ".join(protection)) if protection else "Not stated",
                access,
                "; ".join(x for x in (d.purpose, d.retention and f"kept {d.retention}") if x),
            )
        )
    listing = table(
        "Data the device collects",
        ("Data", "Category", "Stored", "Protection", "Who can access it", "Purpose and retention"),
        tuple(rows),
    )
    return Section(
        "data", "Data collected and who can access it", _table_or_gap(r, "composition.data_types", listing)
    )


def parties(r: Reader) -> Section:
    c = r.product.composition
    rows = tuple(
        (p.name or p.id, p.role or "", p.access or "Not stated", p.control or "Not stated")
        for p in (c.parties if c else None) or ()
    )
    listing = table(
        "Parties with access to or control over the device", ("Party", "Role", "Access", "Control"), rows
    )
    return Section(
        "parties", "Parties with access or control", _table_or_gap(r, "composition.parties", listing)
    )


def composition(r: Reader, summary: SbomSummary) -> Section:
    children = (
        guidance(r),
        software(r, summary),
        sources(r),
        network(r),
        functions(r),
        data(r),
        parties(r),
    )
    return Section("composition", TITLE["composition"], (), children)


def updates(r: Reader) -> Section:
    u = "updates."
    notes = r.product.updates.responsibility_notes if r.product.updates else None
    items = [
        ("Updates available", r.text(u + "available")),
        ("When updates are released", r.text(u + "schedule")),
        ("Why updates are issued", r.text(u + "circumstances")),
        ("How updates are delivered", r.text(u + "delivery", fmt=lambda v: labelled(v, DELIVERY))),
        ("Notifications", r.text(u + "notification")),
        ("Who installs updates", r.text(u + "responsible", fmt=lambda v: RESPONSIBLE[v])),
    ]
    if notes:
        items.append(("Your role and options", notes))
    items += [
        ("How to verify updates", r.text(u + "verification", fmt=lambda v: labelled(v, VERIFICATION))),
        ("Device checks each update before installing", r.text(u + "authenticated_before_install")),
        ("What each update tells you", r.text(u + "release_notes")),
    ]
    extra = r.product.updates
    if extra is not None and extra.recovery:
        items.append(("Recovery from a failed update", extra.recovery))
    if extra is not None and extra.low_bandwidth:
        items.append(("Slow or unreliable networks", extra.low_bandwidth))
    return Section("updates", TITLE["updates"], (Facts(tuple(items)),))


def retirement(r: Reader) -> Section:
    t = "retirement.ownership_transfer."
    i = "retirement.render_inoperable."
    transfer = Facts(
        (
            ("Passing the device on is supported", r.text(t + "supported")),
            ("How to remove your data first", r.text(t + "data_removal")),
        )
    )
    method = (
        r.product.retirement.render_inoperable.method
        if r.product.retirement and r.product.retirement.render_inoperable
        else None
    )
    inoperable = [("Making the device unusable is supported", r.text(i + "supported"))]
    if method:
        inoperable.append(("Method", INOPERABLE_METHOD[method]))
    inoperable.append(("How", r.text(i + "how")))
    return Section(
        "retirement",
        TITLE["retirement"],
        (),
        (
            Section("transfer", "Passing the device on", (transfer,)),
            Section("inoperable", "Making the device permanently unusable", (Facts(tuple(inoperable)),)),
        ),
    )
