"""The pre-market part of ``securable init``'s walk (NISTIR 8259 section 3): the device, then
Activities 1 to 4. Each function adds its steps to a :class:`~securable.product.interview.Plan`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, get_args

from securable.product.model import Credentials, MeansKind, NeedTopic

if TYPE_CHECKING:  # interview imports this module; the plan is only passed in
    from securable.product.interview import Kind, Loc, Plan


# --- the device ------------------------------------------------------------------------------------


def device(p: Plan) -> None:
    p.section = "product"
    base: Loc = ("product",)
    p.add((*base, "name"), "text", "Name of the device", hint="e.g. Acme Indoor Cam 2")
    p.add((*base, "manufacturer"), "text", "Legal name of the manufacturer")
    p.add((*base, "model"), "text", "Model number, as printed on the label")
    p.add((*base, "version"), "text", "Hardware/firmware release this file describes", hint="e.g. 2.1")
    p.add((*base, "release_date"), "date", "Date the device is (or will be) first sold")
    p.add((*base, "documentation_url"), "url", "Where customers find the product documentation")
    p.add(
        (*base, "security_contact"),
        "contact",
        "Where security problems are reported",
    )


# --- Activity 1 ------------------------------------------------------------------------------------


def activity1(p: Plan) -> list[tuple[str, str]]:
    """Customers and use cases; returns the (id, title) of each use case."""
    p.section = "3.1"
    p.ask(("customers", "people"), "list", "Q3.1-1")
    p.ask(("customers", "organizations"), "list", "Q3.1-2")
    p.add(
        ("customers", "other_users"),
        "list",
        "Who uses the device without having bought it?",
        "Q3.1-1",
        hint="e.g. household members, guests, employees; 'none' if nobody else",
        none_ok=True,
    )

    def use_case(loc: Loc, index: int) -> None:
        p.context = f"use case uc-{index + 1}: {p.label((*loc, 'title'))}"
        p.ask((*loc, "how_used"), "text", "Q3.1-3")
        p.ask((*loc, "where"), "list", "Q3.1-4")
        p.ask((*loc, "environments"), "list", "Q3.1-5")
        p.ask((*loc, "period_of_use"), "text", "Q3.1-6")
        p.add(
            (*loc, "period_of_use_years"),
            "years",
            "How many years, as a number or a range?",
            "Q3.1-6",
            hint="e.g. 5, or 3 to 6; the assessment compares it with the support end date",
            convert=year_range_data,
        )
        p.ask((*loc, "dependencies"), "list", "Q3.1-7", none_ok=True)
        p.items(
            (*loc, "misuse"),
            (
                "threat",
                "text",
                "How might attackers misuse or compromise the device? Threat {n}: who attacks, how",
            ),
            ("Q3.1-8",),
            _threat(p),
            noun="threats",
            none_ok=True,
            hint="e.g. botnet operator scanning for default passwords",
        )
        p.ask((*loc, "other_aspects"), "text", "Q3.1-9")

    found = p.items(
        ("use_cases",),
        ("title", "text", "Use case {n}: a short name"),
        (),
        use_case,
        noun="use cases",
        id_prefix="uc",
        hint="e.g. Home monitoring; each use case gets the questions of 3.1 and 3.2",
    )
    return [(f"uc-{i + 1}", p.label(("use_cases", i, "title"))) for i in found]


def _threat(p: Plan) -> Callable[[Loc, int], None]:
    def body(loc: Loc, _index: int) -> None:
        p.add(
            (*loc, "vulnerability"),
            "text",
            "The weakness it would exploit",
            "Q3.1-8",
            hint="e.g. exposed telnet service",
        )
        p.add(
            (*loc, "consequence"),
            "text",
            "What follows",
            "Q3.1-8",
            hint="e.g. the device joins a DDoS attack against other networks",
        )

    return body


# --- Activity 2 ------------------------------------------------------------------------------------

_RESEARCH: tuple[tuple[str, str, Kind], ...] = (
    ("physical_world", "Q3.2-1", "text"),
    ("access_management_monitoring", "Q3.2-2", "text"),
    ("known_requirements", "Q3.2-3", "list"),
    ("interference", "Q3.2-4", "text"),
    ("data_nature", "Q3.2-5", "text"),
    ("trust", "Q3.2-6", "text"),
    ("complexities", "Q3.2-7", "text"),
)
_RESEARCH_HINTS = {
    "Q3.2-1": "actuation or measurement; what must keep working during an incident or outage",
    "Q3.2-2": "enterprise integration or a friendly app; configurability; physical or logical exposure; "
    "open APIs; capabilities customers must be able to turn off (e.g. lock-out); lifespan",
    "Q3.2-3": "laws, sector regulations, contracts, customer expectations, e.g. FDA premarket "
    "cybersecurity guidance, HIPAA, ETSI EN 303 645; 'none' if none are known",
    "Q3.2-4": "e.g. low-bandwidth or unreliable networks and large updates; behaviour in a degraded state",
    "Q3.2-5": "what data it holds, and the harm if it were read or changed",
    "Q3.2-6": "e.g. assurances beyond protecting data at rest and in transit, such as data in use",
    "Q3.2-7": "e.g. new combinations of devices, safety or privacy implications, scale",
}


# The yes-or-no and the degraded state behind two research answers: the assessment reads these
# rather than guessing from the answers' wording.
_RESEARCH_DETAILS: dict[str, tuple[tuple[str, Kind, str, str], ...]] = {
    "physical_world": (
        (
            "actuates",
            "yesno",
            "Does the device act on the physical world?",
            "moves, opens or locks something, heats, doses, switches power; no if it only measures",
        ),
        (
            "safety_critical",
            "yesno",
            "Can a failure, an outage or misuse of the device hurt people?",
            "e.g. a wrong dose, a door that stays locked in a fire",
        ),
    ),
    "interference": (
        (
            "degraded_behaviour",
            "text",
            "What does the device do when it loses its network, a service, power or a security function?",
            "e.g. keeps the current infusion running, programming at the keypad only; keeps recording "
            "locally; fails closed",
        ),
    ),
}


def safety_relevant(p: Plan, use_cases: int) -> bool:
    """Whether some use case was said to act on the physical world or to be safety-critical."""
    return any(
        p.get(("use_cases", index, "research", field)) is True
        for index in range(use_cases)
        for field in ("actuates", "safety_critical")
    )


def activity2(p: Plan, use_cases: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Research for each use case, then needs and goals; returns the (id, statement) of each need."""
    p.section = "3.2"
    for index, (uc_id, title) in enumerate(use_cases):
        p.context = f"use case {uc_id}: {title}"
        research: Loc = ("use_cases", index, "research")
        for field, question, kind in _RESEARCH:
            p.ask(
                (*research, field),
                kind,
                question,
                hint=_RESEARCH_HINTS[question],
                none_ok=kind == "list",
                convert=_requirements if kind == "list" else None,
            )
            for detail, detail_kind, prompt, hint in _RESEARCH_DETAILS.get(field, ()):
                p.add((*research, detail), detail_kind, prompt, question, hint=hint)
    p.context = ""

    def need(loc: Loc, _index: int) -> None:
        p.add(
            (*loc, "kind"),
            "choice",
            "A need (must be met) or a goal (should be met)?",
            choices=("need", "goal"),
        )
        if use_cases:
            p.add(
                (*loc, "use_cases"),
                "refs",
                "Which use cases does it come from?",
                choices=tuple(u for u, _ in use_cases),
                labels=tuple(t for _, t in use_cases),
            )
        p.add(
            (*loc, "topics"),
            "choices",
            "Which of the research questions revealed it?",
            choices=get_args(NeedTopic),
        )

    found = p.items(
        ("needs",),
        ("statement", "text", "Need or goal {n}, in one sentence"),
        tuple(q for _, q, _ in _RESEARCH),
        need,
        noun="needs",
        id_prefix="need",
        hint="e.g. Only the owner and people they invite can view live video.",
    )
    return [(f"need-{i + 1}", p.label(("needs", i, "statement"))) for i in found]


def _requirements(names: list[str]) -> list[dict[str, str]]:
    return [{"name": name} for name in names]


# --- Activity 3 ------------------------------------------------------------------------------------

_TECHNICAL = ("device", "related-device", "service")


def activity3(p: Plan, needs: list[tuple[str, str]], *, safety: bool = False) -> None:
    """Means; ``safety``: some use case acts on the physical world or is safety-critical, so how
    each technical means locks out after failed authentication matters (NISTIR 8259 3.2 Q2)."""
    p.section = "3.3"

    def means(loc: Loc, index: int) -> None:
        p.context = f"means m-{index + 1}: {p.label((*loc, 'title'))}"
        p.add(
            (*loc, "kind"),
            "choice",
            "Who provides it?",
            "Q3.3-3",
            "Q4.2.6-1",
            hint="device: the device itself; related-device: a hub, gateway or phone; service: a cloud or "
            "other system; non-technical: the manufacturer's documentation, programs, support; "
            "customer: the customer",
            choices=get_args(MeansKind),
        )
        kind = p.get((*loc, "kind"))
        if kind in ("related-device", "service", "non-technical"):
            p.add((*loc, "provider"), "choice", "Provided by", choices=("manufacturer", "third-party"))
            p.add((*loc, "provider_name"), "text", "Name of the provider or product", hint="e.g. Acme Cloud")
        if needs:
            p.add(
                (*loc, "addresses"),
                "refs",
                "Which needs and goals does it help achieve?",
                "Q3.3-1",
                choices=tuple(n for n, _ in needs),
                labels=tuple(s for _, s in needs),
            )
        if kind != "customer":
            p.add(
                (*loc, "catalog"),
                "catalog",
                "Which catalog elements does it realize?",
                hint="e.g. SU-1.5, 8259A-SU.2, 8259B-DOC; '/words' searches the catalogs",
            )
        p.add((*loc, "status"), "choice", "Is it fully or only partly in place?", choices=("full", "partial"))
        if kind in _TECHNICAL:
            robustness = (*loc, "robustness")
            p.add(
                (*robustness, "implementation"),
                "choice",
                "How robust must it be? Implemented in hardware, software or both",
                "Q3.3-2",
                choices=("hardware", "software", "both"),
            )
            p.add(
                (*robustness, "notes"),
                "text",
                "How strong: data protected and how, authentication, input validation, update rollback",
                "Q3.3-2",
                hint="e.g. AES-128-GCM with keys in a secure element; signed images, anti-rollback counter",
            )
            if safety:
                p.add(
                    (*robustness, "authentication", "lockout"),
                    "choice",
                    "What does repeated failed authentication do?",
                    "Q3.3-2",
                    hint="none: no lock-out; fixed: a lock-out customers cannot change or turn off; "
                    "configurable: customers set the threshold and duration or turn it off",
                    choices=("none", "fixed", "configurable"),
                )
            credentials = (*robustness, "authentication", "shipped_credentials")
            p.add(
                credentials,
                "choice",
                "What credentials does it rely on as the device ships?",
                "Q3.3-2",
                hint="unique: a different password, key or certificate per device; shared-must-change: one "
                "default that must be changed before first use; shared: one default customers need not "
                "change; none: no credentials",
                choices=get_args(Credentials),
            )
            if p.get(credentials) == "none":
                p.add(
                    (*robustness, "authentication", "unauthenticated_use"),
                    "text",
                    "Who uses the device without authenticating, by design, and for what?",
                    "Q3.3-2",
                    hint="e.g. buyers choose and pay at the vending machine's keypad; empty if nobody should",
                )
        p.ask(
            (*loc, "risk_effect"),
            "text",
            "Q4.2.6-4",
            hint="e.g. protects confidentiality but may reduce availability",
        )

    p.items(
        ("means",),
        ("title", "text", "Means {n}: what is it?"),
        ("Q3.3-1",),
        means,
        noun="means",
        id_prefix="m",
        hint="e.g. Signed firmware verified by the bootloader",
    )


# --- Activity 4 ------------------------------------------------------------------------------------


def activity4(p: Plan) -> None:
    p.section = "3.4"
    base: Loc = ("support_planning",)

    def hardware(loc: Loc, _index: int) -> None:
        p.add(
            (*loc, "updatable"),
            "yesno",
            "Can it be updated?",
            "Q3.4-3",
            hint="no for an immutable root of trust",
        )

    p.items(
        (*base, "hardware_capabilities"),
        ("name", "text", "Hardware-based security capability {n}"),
        ("Q3.4-3",),
        hardware,
        noun="hardware-based capabilities",
        none_ok=True,
        hint="e.g. secure element (root of trust), secure boot ROM",
    )

    def unneeded(loc: Loc, _index: int) -> None:
        p.add(
            (*loc, "kind"),
            "choice",
            "What kind of capability is it?",
            choices=("local-interface", "network-interface", "service", "other"),
        )
        p.add((*loc, "enabled_by_default"), "yesno", "Is it enabled as shipped?")
        p.add(
            (*loc, "maintenance_only"),
            "yesno",
            "Is it kept for maintenance or repair only?",
            hint="yes for a USB service port or debug UART technicians use; no if nobody needs it",
        )
        if p.get((*loc, "maintenance_only")) is True:
            p.add((*loc, "authenticated"), "yesno", "Does using it require authentication?")
        p.add(
            (*loc, "how_disabled"),
            "text",
            "How is it disabled or protected?",
            "Q3.4-4",
            hint="e.g. removed from production firmware, configuration option, tamper-resistant enclosure; "
            "'cannot be disabled' if so",
        )

    p.items(
        (*base, "unneeded_capabilities"),
        ("name", "text", "Unneeded capability {n} with security implications"),
        ("Q3.4-4",),
        unneeded,
        noun="unneeded capabilities",
        none_ok=True,
        hint="e.g. UART debug header, USB service port, SSH daemon",
    )


# --- numbers of years -----------------------------------------------------------------------------

# A number of years or a range of them, as typed: "5", "1.5", "3 to 6", "3-6 years".
_NUMBER = r"(\d{1,3}(?:\.\d{1,2})?)"
_YEARS = re.compile(rf"{_NUMBER}(?:\s*(?:to|-|–)\s*{_NUMBER})?(?:\s*years?)?", re.IGNORECASE)


def year_range(text: str) -> tuple[float, float] | None:
    """The fewest and most years of an answer such as "5", "1.5" or "3 to 6"; None when it is
    not one (the questionnaire checks min <= max)."""
    match = _YEARS.fullmatch(text.strip())
    if match is None:
        return None
    low = float(match[1])
    return low, float(match[2]) if match[2] else low


def years_text(low: float, high: float) -> str:
    """How a year range is saved, the way :func:`year_range` reads it back: "3 to 6", "1.5"."""
    return f"{low:g}" if low == high else f"{low:g} to {high:g}"


def year_range_data(text: str) -> dict[str, int | float]:
    """A saved year range as the ``{min, max}`` mapping written to the file; whole numbers stay
    whole so the file says ``min: 3``, not ``min: 3.0``."""
    span = year_range(text)
    if span is None:
        return {}
    return {
        name: int(value) if value.is_integer() else value
        for name, value in zip(("min", "max"), span, strict=True)
    }
