"""The product description: one device, described once, in the words of NISTIR 8259's six activities.

Every field that answers a question of NISTIR 8259 (sections 3.1 to 4.2.6) names it in its JSON
Schema metadata (``answers``); fields without that key refine the answer of the nearest enclosing
field that has one (see :mod:`securable.product.questions`).

Conventions the rest of Securable relies on:

* a missing value (``None``) is an *open* answer, never an error, so a half-written file loads;
* an empty list (``[]``) is an explicit "none" (no sensors, no third-party sources, ...);
* only item identifiers (``id``) and the format version (``securable: 1``) are required;
* models are frozen; lists are tuples.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from securable.uris import (
    CONTACT_PATTERN,
    WEB_URL_PATTERN,
    Problem,
    address_problem,
    contact_problem,
    web_url_problem,
)

FORMAT_VERSION = 1

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
CATALOG_REF_PATTERN = r"^[a-z0-9][a-z0-9.-]*:[A-Za-z0-9][A-Za-z0-9._()-]*$"
QUESTION_ID_PATTERN = r"^Q[0-9]+(\.[0-9]+)*-[0-9]+(\.[a-z])?$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
CatalogRef = Annotated[str, StringConstraints(pattern=CATALOG_REF_PATTERN)]


def _uri_check(check: Callable[[str], Problem | None]) -> Callable[[str], str]:
    def validate(value: str) -> str:
        problem = check(value)
        if problem is not None:
            # "invalid_uri": the loader shows ``what`` at the value's place and ``fix`` as the hint.
            raise PydanticCustomError("invalid_uri", "{what}", {"what": problem[0], "fix": problem[1]})
        return value

    return validate


# RFC 3986 URIs, checked by securable.uris; the JSON Schema carries the closest pattern it can state.
Url = Annotated[
    str,
    AfterValidator(_uri_check(web_url_problem)),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": WEB_URL_PATTERN}),
]
Contact = Annotated[
    str,
    AfterValidator(_uri_check(contact_problem)),
    WithJsonSchema({"type": "string", "pattern": CONTACT_PATTERN}),
]
# Free text that may be a URI: when written as one (https://, mailto:, tel:), it must be a valid one.
Address = Annotated[str, AfterValidator(_uri_check(address_problem))]
Text = str | None
TextList = tuple[str, ...] | None
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

Lockout = Literal["none", "fixed", "configurable"]
Credentials = Literal["unique", "shared-must-change", "shared", "none"]
# Where data lives, as the retirement and data rules read it; ``stored`` keeps the words customers read.
DataPlace = Literal["device", "related-device", "manufacturer-cloud", "third-party"]
LogPlace = Literal["device", "related-device", "customer-log-server", "manufacturer"]
MeansKind = Literal["device", "related-device", "service", "non-technical", "customer"]
TECHNICAL_KINDS: tuple[MeansKind, ...] = ("device", "related-device", "service")
NeedTopic = Literal[
    "physical-world",
    "access-management-monitoring",
    "known-requirements",
    "interference",
    "data",
    "trust",
    "complexities",
]


def _known_question(value: str) -> str:
    from securable.product.questions import question_ids  # the registry is derived from this module

    if value not in question_ids():
        raise PydanticCustomError("unknown_question", "unknown question ID {qid}", {"qid": value})
    return value


QuestionKey = Annotated[str, StringConstraints(pattern=QUESTION_ID_PATTERN), AfterValidator(_known_question)]


def _known_element(value: str) -> str:
    """A record of an IoT catalog (``not_applicable_elements`` keys); unchecked while none are built."""
    from securable.catalog import store  # the catalogs load only when the field is used
    from securable.errors import InputError

    catalogs = ("nistir-8259a", "nistir-8259b", "sp800-213a", "federal-profile-2020")
    catalog, _, record = value.partition(":")
    near: list[str] = []
    try:
        if catalog in catalogs:
            if store.find(value):
                return value
            near = store.closest(record, [r.id for r in store.load(catalog)], n=1)
    except InputError:
        return value  # a source checkout before `make catalogs`: nothing to check against
    raise PydanticCustomError(
        "unknown_element",
        "{ref} names no record of {catalogs}{hint}",
        {
            "ref": value,
            "catalogs": ", ".join(catalogs),
            "hint": f"; did you mean '{catalog}:{near[0]}'?" if near else "",
        },
    )


ElementKey = Annotated[str, StringConstraints(pattern=CATALOG_REF_PATTERN), AfterValidator(_known_element)]


def answer(*questions: str, description: str, **extra: Any) -> Any:
    """An optional field that answers ``questions`` (IDs of the ``nistir-8259-questions`` catalog)."""
    for question in questions:
        if not re.match(QUESTION_ID_PATTERN, question):
            raise ValueError(f"malformed question ID {question!r}")
    return Field(
        default=None, description=description, json_schema_extra={"answers": list(questions)}, **extra
    )


def detail(description: str, **extra: Any) -> Any:
    """An optional field that refines the answer of the enclosing field."""
    return Field(default=None, description=description, **extra)


def item_id(description: str, example: str) -> Any:
    return Field(description=description, examples=[example])


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- product header ----------------------------------------------------------------------------


class ProductInfo(_Model):
    """Who makes the device and which release this description is about."""

    name: Text = detail("Marketing name of the device, e.g. 'Acme Indoor Cam 2'.")
    manufacturer: Text = detail("Legal name of the manufacturer.")
    model: Text = detail("Model number as printed on the label.")
    version: Text = detail("Hardware/firmware release this file describes; quote numbers, e.g. '2.1'.")
    release_date: date | None = detail("Date the device is (or will be) first sold, YYYY-MM-DD.")
    documentation_url: Url | None = detail("Where customers find the product documentation (https://...).")
    security_contact: Contact | None = detail(
        "Where security problems are reported: an email address, a mailto:, https:// or tel: URI."
    )


# --- Activity 1: customers and use cases (NISTIR 8259 section 3.1) ----------------------------


class Customers(_Model):
    """Who buys and deploys the device, and who else interacts with it."""

    people: TextList = answer(
        "Q3.1-1",
        description="Types of people expected to be customers, e.g. musicians, small business owners, "
        "cyclists, home builders.",
    )
    organizations: TextList = answer(
        "Q3.1-2",
        description="Types of organizations expected to be customers, e.g. individual home users, small "
        "retail businesses, large hospitals, schools.",
    )
    other_users: TextList = answer(
        "Q3.1-1",
        description="People who use the device without having bought it (household members, guests, "
        "employees); [] when there are none.",
    )


class Threat(_Model):
    """One way attackers might misuse or compromise the device: a threat paired with a weakness."""

    threat: Text = detail(
        "Who or what attacks, and how, e.g. 'botnet operator scanning for default passwords'."
    )
    vulnerability: Text = detail("The weakness it would exploit, e.g. 'exposed telnet service'.")
    consequence: Text = detail("What follows, e.g. 'device joins a DDoS attack against other networks'.")


class KnownRequirement(_Model):
    """A law, regulation, contract, sector guidance or convention the device must meet."""

    def words(self) -> str:
        """How reports name it: ``EU Cyber Resilience Act (law, EU)``."""
        extra = ", ".join(x.strip() for x in (self.kind, self.jurisdiction) if x and x.strip())
        name = " ".join((self.name or "").split())
        return f"{name} ({extra})" if extra else name

    name: Text = detail("Name of the requirement, e.g. 'EU Cyber Resilience Act', 'ETSI EN 303 645'.")
    kind: (
        Literal[
            "law", "regulation", "contract", "sector-guidance", "standard", "customer-expectation", "other"
        ]
        | None
    ) = detail("What sort of requirement it is.")
    jurisdiction: Text = detail("Where it applies, e.g. 'EU', 'US-CA'.")
    reference: Address | None = detail("Citation or URL of the text (a URL must be an RFC 3986 URI).")


class NeedsResearch(_Model):
    """Activity 2 for one use case: the seven questions that reveal customers' needs and goals."""

    physical_world: Text = answer(
        "Q3.2-1",
        description="How the device interacts with the physical world (actuation, measurement) and what "
        "that means for safety, availability and continued operation during an incident.",
    )
    actuates: bool | None = detail(
        "Whether the device acts on the physical world (moves, opens or locks something, heats, doses, "
        "switches power) rather than only measuring it; physical_world says how."
    )
    safety_critical: bool | None = detail(
        "Whether a failure, an outage or misuse of the device can hurt people, e.g. a wrong dose, a "
        "door that stays locked in a fire; physical_world says how."
    )
    access_management_monitoring: Text = answer(
        "Q3.2-2",
        description="How authorized people, processes and devices access, manage and monitor it: "
        "enterprise integration or user-friendly app, configurability, physical/logical exposure, "
        "open APIs, capabilities customers must be able to turn off, lifespan limits.",
    )
    known_requirements: tuple[KnownRequirement, ...] | None = answer(
        "Q3.2-3",
        description="Known cybersecurity requirements: sector regulations, country laws, contractual "
        "obligations, customer expectations and conventions; [] when none are known.",
    )
    interference: Text = answer(
        "Q3.2-4",
        description="How operational or environmental characteristics could get in the way of security "
        "capabilities, e.g. low-bandwidth or unreliable networks and large updates; behaviour in a "
        "degraded state.",
    )
    degraded_behaviour: Text = detail(
        "What the device does in a degraded state, when it loses its network, a service it depends "
        "on, power or a security function, e.g. 'keeps running the current infusion; programming at "
        "the keypad only'; interference says what else gets in the way."
    )
    data_nature: Text = answer(
        "Q3.2-5",
        description="What data the device holds and the harm if it were read or changed by unauthorized "
        "entities.",
    )
    trust: Text = answer(
        "Q3.2-6",
        description="Degree of trust customers need, e.g. assurances beyond protecting data at rest and "
        "in transit such as protecting data in use.",
    )
    complexities: Text = answer(
        "Q3.2-7",
        description="Complexities from interacting with other devices, systems and environments: new "
        "combinations, safety or privacy implications, scale.",
    )


# Longer than any device is used; the bound keeps dates computed from it (release + years) in range.
MAX_YEARS = 100


class YearRange(_Model):
    """How many years customers expect to use the device, from the fewest to the most.

    A range rather than one number: customers of one use case differ (a shop replaces its cameras
    sooner than a household), and the support rules need both ends, the shortest period to find
    support that fails every customer and the longest to find support that fails some of them. A
    single estimate is written with one end, or both ends equal.
    """

    min: float | None = detail(
        "Fewest years customers of this use case keep the device, e.g. 3; when left out, max stands "
        "for both.",
        ge=0,
        le=MAX_YEARS,
        allow_inf_nan=False,
    )
    max: float | None = detail(
        "Most years customers of this use case keep the device, e.g. 6; when left out, min stands for both.",
        ge=0,
        le=MAX_YEARS,
        allow_inf_nan=False,
    )

    def ends(self) -> tuple[float, float] | None:
        """The fewest and most years; one end given stands for both; None when neither is."""
        given = [end for end in (self.min, self.max) if end is not None]
        return (min(given), max(given)) if given else None

    def words(self) -> str:
        """``3 to 6 years``, ``10 years``, ``1 year``; "" when neither end is given."""
        ends = self.ends()
        return years_in_words(*ends) if ends else ""


def years_in_words(low: float, high: float) -> str:
    """``3 to 6 years``; ``10 years`` and ``1 year`` when both ends are the same."""
    if low == high:
        return f"{low:g} year" if low == 1 else f"{low:g} years"
    return f"{low:g} to {high:g} years"


class UseCase(_Model):
    """One expected way the device is deployed and used (Activity 1), researched for needs (Activity 2)."""

    id: Id = item_id("Identifier of the use case, referenced by needs.", "uc-1")
    title: Text = detail("Short name, e.g. 'Home monitoring'.")
    how_used: Text = answer(
        "Q3.1-3",
        description="How the device will be used: single or multiple purposes, embedded or not, single "
        "or multiple users, private or commercial use.",
    )
    where: TextList = answer(
        "Q3.1-4", description="Where geographically it will be used: countries, jurisdictions within them."
    )
    environments: TextList = answer(
        "Q3.1-5",
        description="Physical environments: inside or outside, stationary or moving, public or private, "
        "extreme or specific physical and weather conditions.",
    )
    period_of_use: Text = answer(
        "Q3.1-6", description="How long the device is expected to be used, e.g. a few hours, several years."
    )
    period_of_use_years: YearRange | None = detail(
        "The period of use in years, as numbers the assessment compares with support.support_end, "
        "e.g. {min: 3, max: 6}; period_of_use keeps the words customers read."
    )
    dependencies: TextList = answer(
        "Q3.1-7",
        description="Dependencies on other systems, e.g. a particular IoT hub, third-party cloud services; "
        "[] when there are none.",
    )
    misuse: tuple[Threat, ...] | None = answer(
        "Q3.1-8",
        description="How attackers might misuse and compromise the device: threat and vulnerability "
        "pairs, as in a threat model (including being used to attack other networks).",
    )
    other_aspects: Text = answer(
        "Q3.1-9",
        description="Other aspects relevant to cybersecurity risk, e.g. operational characteristics with "
        "safety or privacy implications for users.",
    )
    audiences: tuple[Id, ...] | None = detail(
        "IDs of the audiences (see `audiences`) the customers of this use case belong to."
    )
    research: NeedsResearch | None = detail(
        "Activity 2: the seven needs-and-goals questions for this use case."
    )


# --- Activity 2: needs and goals (section 3.2) --------------------------------------------------


class Need(_Model):
    """A cybersecurity need or goal of customers, found by researching one or more use cases."""

    id: Id = item_id("Identifier of the need or goal, referenced by means.", "need-1")
    statement: Text = answer(
        "Q3.2-1",
        "Q3.2-2",
        "Q3.2-3",
        "Q3.2-4",
        "Q3.2-5",
        "Q3.2-6",
        "Q3.2-7",
        description="The need or goal in one sentence, e.g. 'Only the owner and people they invite can "
        "view live video.'",
    )
    kind: Literal["need", "goal"] | None = detail("A need (must be met) or a goal (should be met).")
    use_cases: tuple[Id, ...] | None = detail("IDs of the use cases this need comes from.")
    topics: tuple[NeedTopic, ...] | None = detail("Which of the seven research questions revealed it.")
    source: Text = detail("Where it was found, e.g. a regulation, customer interviews, secondary research.")


# --- Activity 3: means (section 3.3) ------------------------------------------------------------


class DataProtection(_Model):
    """Which data a means protects, with which kinds of protection, and how strongly."""

    data: tuple[Id, ...] | None = detail("IDs of data types (see composition.data_types) protected.")
    confidentiality: bool | None = detail("Whether it protects confidentiality.")
    integrity: bool | None = detail("Whether it protects integrity.")
    availability: bool | None = detail("Whether it protects availability.")
    strength: Text = detail("How strong, e.g. 'AES-128-GCM, keys in secure element', 'TLS 1.3 only'.")


class Authentication(_Model):
    """How strongly entities are authenticated before they are granted access."""

    humans: Text = detail("For people, e.g. PIN, password, passphrase, two-factor authentication.")
    systems: Text = detail("For systems and devices, e.g. API keys, X.509 certificates.")
    lockout: Lockout | None = detail(
        "What repeated failed authentication does: none (no lock-out), fixed (a lock-out whose "
        "threshold and duration customers cannot change or turn off), configurable (customers can set "
        "them or turn the lock-out off)."
    )
    shipped_credentials: Credentials | None = detail(
        "The credentials this means relies on as the device ships: unique (a different password, key "
        "or certificate per device), shared-must-change (one default for every device that must be "
        "changed before first use), shared (one default that customers need not change), none (no "
        "credentials; unauthenticated_use says who uses it without them by design)."
    )
    unauthenticated_use: Text = detail(
        "Who uses the device without authenticating, by design, and for what, e.g. 'buyers choose and "
        "pay at the vending machine's keypad'; empty when every use needs authentication."
    )


class Robustness(_Model):
    """How robustly a technical means must be implemented."""

    implementation: Literal["hardware", "software", "both"] | None = detail(
        "Implemented in hardware, software or both (e.g. a crypto chip paired with software)."
    )
    data_protection: tuple[DataProtection, ...] | None = detail(
        "Which data needs which protection (confidentiality, integrity, availability) and how strong."
    )
    authentication: Authentication | None = detail("How strongly identities must be authenticated.")
    input_validation: Text = detail(
        "Whether and how received or entered data is validated, e.g. update legitimacy, malformed input."
    )
    update_reversion: Literal["rollback", "anti-rollback", "both", "none"] | None = detail(
        "How readily software updates can be reverted: rollback, anti-rollback protection, both, none."
    )
    notes: Text = detail("Anything else about robustness.")


class Means(_Model):
    """A way of meeting needs and goals, provided by the device, another party, or the customer."""

    id: Id = item_id("Identifier of the means, referenced elsewhere (e.g. hardware capabilities).", "m-1")
    title: Text = detail("What it is, e.g. 'Signed firmware verified by the bootloader'.")
    kind: MeansKind | None = answer(
        "Q3.3-3",
        "Q4.2.6-1",
        "Q4.2.6-1.a",
        "Q4.2.6-1.b",
        "Q4.2.6-1.c",
        "Q4.2.6-2",
        "Q4.2.6-3",
        description="Who provides it: the device itself (device cybersecurity capability), a related "
        "device such as a hub or gateway, a service (cloud, ISP), non-technical support from the "
        "manufacturer or on its behalf, or the customer.",
    )
    provider: Literal["manufacturer", "third-party"] | None = detail(
        "For related devices, services and non-technical means: the manufacturer or a third party."
    )
    provider_name: Text = detail("Name of the providing organization or product, e.g. 'Acme Cloud'.")
    addresses: tuple[Id, ...] | None = answer(
        "Q3.3-1", description="IDs of the needs and goals this means helps achieve (many-to-many)."
    )
    catalog: tuple[CatalogRef, ...] | None = detail(
        "Catalog elements it realizes, qualified as catalog:ID, e.g. sp800-213a:SU-1.5, "
        "nistir-8259a:8259A-SU.2, nistir-8259b:8259B-DOC."
    )
    status: Literal["full", "partial"] | None = detail(
        "Whether the means is fully or only partly in place; the assessment uses it."
    )
    robustness: Robustness | None = answer(
        "Q3.3-2", description="For technical means: how robustly it must be implemented."
    )
    risk_effect: Text = answer(
        "Q4.2.6-4",
        description="How it is expected to affect cybersecurity risks, including side effects, e.g. "
        "encryption lowers confidentiality risk but may reduce availability.",
    )
    description: Text = detail("Longer description for documentation.")

    @property
    def lockout(self) -> Lockout | None:
        """``robustness.authentication.lockout``; None where any level of it is left open."""
        auth = self.robustness.authentication if self.robustness is not None else None
        return auth.lockout if auth is not None else None

    @property
    def shipped_credentials(self) -> Credentials | None:
        """``robustness.authentication.shipped_credentials``; None where any level of it is left open."""
        auth = self.robustness.authentication if self.robustness is not None else None
        return auth.shipped_credentials if auth is not None else None

    @property
    def update_reversion(self) -> str | None:
        """``robustness.update_reversion``; None when robustness is left open."""
        return self.robustness.update_reversion if self.robustness is not None else None


# --- Activity 4: adequate support (section 3.4) -------------------------------------------------


class Resources(_Model):
    """Hardware and software resources provisioned for the security capabilities over the lifespan."""

    hardware: Text = answer(
        "Q3.4-1", description="Processing, memory, storage, network technology and power set aside for them."
    )
    software: Text = answer("Q3.4-1", description="Operating system, libraries and IP stack they rely on.")
    future_proofing: Text = answer(
        "Q3.4-1",
        description="Future use to allow for over the support term and lifespan, e.g. headroom for new "
        "algorithms or longer keys during a 10-year life.",
    )


class Platform(_Model):
    """Whether an established IoT platform is used instead of integrating parts from scratch."""

    uses_platform: bool | None = answer("Q3.4-2", description="Whether an established IoT platform is used.")
    name: Text = detail("Which platform (hardware module, OS, SDK, cloud services).")
    rationale: Text = detail("Why, e.g. platform is maintained and security-reviewed by its vendor.")


class HardwareCapability(_Model):
    """A hardware-based security capability, e.g. a root of trust."""

    name: Text = answer("Q3.4-3", description="What it is, e.g. 'secure element (root of trust)'.")
    purpose: Text = detail("What it does, e.g. key storage, secure boot, device authenticity.")
    updatable: bool | None = answer(
        "Q3.4-3", description="Whether it can be updated (false for an immutable root of trust)."
    )
    means: tuple[Id, ...] | None = detail("IDs of the means it supports.")


class UnneededCapability(_Model):
    """A capability of the hardware or software that the device does not need and that could be misused."""

    name: Text = answer("Q3.4-4", description="What it is, e.g. 'UART debug header', 'SSH daemon'.")
    kind: Literal["local-interface", "network-interface", "service", "other"] | None = detail(
        "Local interface, network interface, service, or other."
    )
    enabled_by_default: bool | None = detail("Whether it is enabled as shipped.")
    maintenance_only: bool | None = detail(
        "Whether it is kept for maintenance or repair only (a USB service port, a debug UART technicians "
        "use) rather than being of no use at all once the device is installed."
    )
    authenticated: bool | None = detail(
        "Whether using it requires authentication, e.g. a technician credential or a signed service token."
    )
    how_disabled: Text = answer(
        "Q3.4-4",
        description="How it is disabled or protected, e.g. removed in production firmware, "
        "configuration option, tamper-resistant enclosure; 'cannot be disabled' if so.",
    )


class SecureDevelopment(_Model):
    """Secure development practices (cf. the NIST SSDF)."""

    code_protection: TextList = answer(
        "Q3.4-5",
        description="How device code is protected from unauthorized access and tampering, e.g. secured "
        "repository, version control, code signing.",
    )
    integrity_verification: TextList = answer(
        "Q3.4-6",
        description="How customers can verify hardware or software integrity, e.g. hardware root of "
        "trust, code signature validation, hash comparison.",
    )
    third_party_verification: TextList = answer(
        "Q3.4-7",
        description="How the security of third-party software is verified, e.g. checks for unfixed "
        "known vulnerabilities, code review, testing executables.",
    )
    vulnerability_minimization: TextList = answer(
        "Q3.4-8",
        description="How vulnerabilities in released software are minimized, e.g. secure coding, input "
        "validation, code review, testing, secure defaults, checks against vulnerability databases.",
    )
    vulnerability_reports: TextList = answer(
        "Q3.4-9",
        description="How reports of possible vulnerabilities are accepted and answered, e.g. a "
        "vulnerability response program, database monitoring, threat intelligence, updates.",
    )
    remediation_prioritization: TextList = answer(
        "Q3.4-10",
        description="How remediation of vulnerabilities is assessed and prioritized, e.g. effort, impact "
        "of exploitation, attacker resources needed.",
    )


class SupportPlanning(_Model):
    """Activity 4: resources, platform, hardware-based capabilities, unneeded capabilities, development."""

    resources: Resources | None = detail("Resources for the security capabilities over the lifespan.")
    platform: Platform | None = detail("Use of an established IoT platform.")
    hardware_capabilities: tuple[HardwareCapability, ...] | None = answer(
        "Q3.4-3",
        description="Hardware-based security capabilities, e.g. a root of trust for key storage and "
        "secure boot, and whether each is updatable; [] when there are none.",
    )
    unneeded_capabilities: tuple[UnneededCapability, ...] | None = answer(
        "Q3.4-4",
        description="Unneeded capabilities with security implications and how each is disabled; [] when "
        "there are none.",
    )
    secure_development: SecureDevelopment | None = detail("Secure development practices.")


# --- Activity 5: communicating (section 4.1) ----------------------------------------------------


class InfoChannel(_Model):
    """Where an audience finds security information."""

    kind: (
        Literal[
            "user-manual",
            "website",
            "email",
            "mobile-app",
            "device",
            "terms-of-service",
            "packaging",
            "machine-readable",
            "other",
        ]
        | None
    ) = detail("Kind of place.")
    location: Address | None = detail(
        "URL, document name or screen, e.g. 'https://example.com/security' (a URL must be an RFC 3986 URI)."
    )


class ContactChannel(_Model):
    """A way to reach the manufacturer."""

    kind: Literal["email", "web-form", "phone", "in-app", "postal", "other"] | None = detail(
        "Kind of channel."
    )
    address: Address | None = detail(
        "Address, URL or number; a URL (https://, mailto:, tel:) must be an RFC 3986 URI."
    )
    purpose: Text = detail("What it is for, e.g. 'vulnerability reports', 'support'.")
    tested: bool | None = answer(
        "Q4.1-5",
        description="Whether the manufacturer tests that the channel works and is usable (by customers "
        "and security researchers).",
    )
    last_tested: date | None = detail("When it was last tested, YYYY-MM-DD.")


class Audience(_Model):
    """A kind of customer the manufacturer communicates with, e.g. home users or enterprise admins."""

    id: Id = item_id("Identifier of the audience, referenced by use cases.", "aud-1")
    name: Text = detail("Who they are, e.g. 'Home users', 'Enterprise IT administrators'.")
    role: (
        Literal[
            "home", "small-business", "operator", "clinical", "it-admin", "security-officer", "researcher"
        ]
        | None
    ) = detail(
        "What they do with the device, which decides what their document covers: home (household users), "
        "small-business (owners without IT staff), operator (facility managers, installers, biomedical "
        "engineers: setup, hardening, maintenance), clinical (clinicians who use it on patients), it-admin "
        "(enterprise or agency IT), security-officer (security teams assessing it), researcher (security "
        "researchers). Without it, terminology and detail_level choose a plain or a full document."
    )
    terminology: Literal["plain", "technical", "expert"] | None = answer(
        "Q4.1-1",
        description="Terminology they understand: plain (home users), technical, expert (e.g. CVE numbers "
        "for security professionals).",
    )
    detail_level: Literal["essentials", "standard", "comprehensive"] | None = answer(
        "Q4.1-2", description="How much information they need without being overwhelmed."
    )
    channels: tuple[InfoChannel, ...] | None = answer(
        "Q4.1-3",
        description="How and where information is provided: manuals, terms of service, websites, emails, "
        "the device itself, mobile apps.",
    )
    integrity: Text = answer(
        "Q4.1-4",
        description="How they can verify the information is legitimate, e.g. signed documents, HTTPS, "
        "emails that never ask for credentials.",
    )
    contact: tuple[ContactChannel, ...] | None = answer(
        "Q4.1-5", description="How they reach the manufacturer, e.g. for updates or to report problems."
    )


# --- Activity 6: what to communicate (section 4.2) ----------------------------------------------


class SharedResponsibility(_Model):
    """What one party is responsible for."""

    party: Text = detail("manufacturer, customer, or a named third party.")
    responsibilities: TextList = detail(
        "Tasks it owns, e.g. software updates, configuration, data protection and destruction, management."
    )


class Assumptions(_Model):
    """Cybersecurity risk-related assumptions made in design (4.2.1)."""

    expected_customers: Text = answer(
        "Q4.2.1-1", description="Who the expected customers were, e.g. a sector or customer type."
    )
    intended_use: Text = answer(
        "Q4.2.1-2",
        description="How the device was intended to be used, including systems it is assumed to work with.",
    )
    environments: Text = answer(
        "Q4.2.1-3",
        description="Environments assumed, e.g. not securable in public places, bandwidth and latency.",
    )
    shared_responsibilities: tuple[SharedResponsibility, ...] | None = answer(
        "Q4.2.1-4", description="How responsibilities are shared among the manufacturer, customer and others."
    )


class VulnerabilityReporting(_Model):
    """How customers report suspected problems, and for how long reports are taken."""

    channels: tuple[ContactChannel, ...] | None = answer(
        "Q4.2.2-4", description="Reporting methods, e.g. phone numbers, email addresses, web forms."
    )
    policy_url: Url | None = detail("Published disclosure policy.")
    accepted_after_support_end: bool | None = answer(
        "Q4.2.2-4", description="Whether reports are accepted after support ends."
    )
    accepted_after_end_of_life: bool | None = answer(
        "Q4.2.2-4", description="Whether reports are accepted after end of life."
    )
    security_txt: Text = detail(
        "Path (relative to this file) of a copy of the security.txt as published (RFC 9116); "
        "`securable check` warns when its Expires has passed or is less than 30 days away."
    )


class MaintenanceActivity(_Model):
    """One kind of maintenance or diagnostics done on the device after it is installed."""

    kind: Literal["local", "nonlocal"] | None = detail(
        "local (at the device, e.g. through a service port) or nonlocal (remote, over a network)."
    )
    what: Text = detail("What is done, e.g. 'diagnostics and log collection', 'calibration'.")
    frequency: Text = detail("How often, e.g. 'monthly', 'yearly', 'on request'.")
    performed_by: Literal["manufacturer", "third-party", "customer"] | None = detail(
        "Who does it: the manufacturer, a third party (a service contractor), or the customer's staff."
    )
    records: Text = detail(
        "What records of it the customer gets, e.g. 'session log with who, when and what changed, in "
        "the console'; 'none' when there are none."
    )


class Maintenance(_Model):
    """Maintenance and repair after installation (SP 800-213A DOC-4; the Federal Profile's maintenance
    actions)."""

    activities: tuple[MaintenanceActivity, ...] | None = detail(
        "Local and nonlocal maintenance and diagnostics; [] when there are none."
    )
    offsite_repair: bool | None = detail(
        "Whether units leave the customer's premises for repair (returned to the manufacturer or a "
        "repair shop)."
    )
    data_removal_before_repair: Text = detail(
        "How the customer's data is removed before a unit leaves for repair, e.g. 'the service menu "
        "erases patient data and keys; the repair ticket records it'; 'none' when it is not."
    )


class Support(_Model):
    """Support and lifespan expectations (4.2.2)."""

    support_end: date | None = answer(
        "Q4.2.2-1", description="Last day updates and technical support are provided, YYYY-MM-DD."
    )
    support_scope: Text = answer(
        "Q4.2.2-1", description="What support includes, e.g. security updates, technical support."
    )
    end_of_life: date | None = answer("Q4.2.2-2", description="Planned end-of-life date, YYYY-MM-DD.")
    end_of_life_process: Text = answer("Q4.2.2-2", description="What happens at end of life.")
    end_of_life_notice_months: int | None = answer(
        "Q4.2.2-2", description="How many months of notice customers get before end of life, e.g. 6.", ge=0
    )
    after_support_end: Text = answer("Q4.2.2-3", description="What functionality remains after support ends.")
    after_end_of_life: Text = answer(
        "Q4.2.2-3",
        description="What functionality remains at end of life, e.g. local use without cloud services.",
    )
    vulnerability_reporting: VulnerabilityReporting | None = detail("Reporting suspected problems.")
    maintenance: Maintenance | None = detail(
        "Maintenance and repair: local and remote maintenance, offsite repair and data removal first."
    )
    securable_after_support: Text = answer(
        "Q4.2.2-5",
        description="How customers can keep the device securable after support ends, including if the "
        "manufacturer or a third party shuts down.",
    )
    public_release: Text = answer(
        "Q4.2.2-5",
        description="Essential files or data made public for continued support, e.g. open-sourcing the "
        "code base; 'none' if nothing will be released.",
    )


class SecurityGuidance(_Model):
    """General cybersecurity information for customers."""

    installation: Text = answer("Q4.2.3-1", description="How the device securely joins a system or network.")
    configuration: Text = answer(
        "Q4.2.3-1", description="Configuration options that affect security, and how they affect it."
    )
    hardening: Text = answer("Q4.2.3-1", description="How to harden the device beyond the defaults.")
    usage: Text = detail("Ways of using the device known to be insecure, and safe alternatives.")
    maintenance: Text = detail("Security-relevant management and maintenance tasks.")
    documentation_url: Url | None = detail("Where this guidance is published.")


class SoftwareInventory(_Model):
    """What customers can learn about the device's internal software."""

    sbom: Text = answer(
        "Q4.2.3-3",
        description="Path (relative to this file) of the SBOM listing software with versions: CycloneDX "
        "JSON or XML (1.2 to 1.7), or SPDX 2.2/2.3 JSON or tag-value.",
    )
    vulnerability_status: Text = answer(
        "Q4.2.3-3",
        description="How patch status and known vulnerabilities are communicated, e.g. VEX or CSAF feed.",
    )
    on_demand: bool | None = answer(
        "Q4.2.3-3", description="Whether customers can get the current inventory on demand."
    )
    access: Text = detail("How customers get the inventory, e.g. app screen, URL.")


class ComponentSource(_Model):
    """Where one piece of software, hardware or service comes from."""

    name: Text = detail("The component, e.g. 'Linux kernel', 'SoC', 'video relay service'.")
    kind: Literal["software", "hardware", "service"] | None = detail("Software, hardware or service.")
    supplier: Text = detail("Who supplies it, e.g. the developer, chip maker or cloud provider.")
    notes: Text = detail("Anything customers should know, e.g. support terms of the supplier.")


class NetworkFlow(_Model):
    """One expected network communication of the device."""

    host: Text = detail("Remote host or scope, e.g. 'api.example.com', 'local network', 'any'.")
    port: int | None = detail("Port number (omit for ICMP).", ge=0, le=65535)
    protocol: Literal["tcp", "udp", "icmp", "sctp", "other"] | None = detail("Transport protocol.")
    direction: Literal["inbound", "outbound", "both"] | None = detail("Seen from the device.")
    purpose: Text = detail("Why, e.g. 'firmware download', 'live video relay'.")
    application: Text = detail("Application protocol, e.g. 'HTTPS', 'MQTT over TLS', 'NTP'.")


class OperationalCharacteristics(_Model):
    """Operational characteristics customers need to secure the device."""

    network: tuple[NetworkFlow, ...] | None = answer(
        "Q4.2.3-5", description="Expected network behaviour: hosts, ports, protocols, directions, purposes."
    )
    how_provided: TextList = answer(
        "Q4.2.3-5",
        description="How this information is made available, e.g. website, a standard machine-to-machine "
        "protocol, MUD (device intent signalling).",
    )
    mud_url: Url | None = detail("MUD file URL (RFC 8520), if the device emits one.")
    notes: Text = detail("Other characteristics, e.g. bandwidth, power, timing.")


class DeviceFunction(_Model):
    """Something the device can do that has cybersecurity implications."""

    name: Text = detail("The function, e.g. 'records video clips on motion'.")
    description: Text = detail("What it involves, e.g. transmitting data to a remote system.")


class Sensor(_Model):
    """A sensor that captures information about people or places."""

    kind: Literal["camera", "microphone", "location", "other"] | None = detail("Kind of sensor.")
    name: Text = detail("Name or description.")
    disclosed: bool | None = detail("Whether its presence is disclosed to customers.")
    can_be_disabled: bool | None = detail("Whether customers can turn it off.")


class DataType(_Model):
    """A type of data the device collects."""

    id: Id = item_id("Identifier of the data type, referenced by data protections.", "data-1")
    name: Text = detail("What it is, e.g. 'video clips'.")
    category: (
        Literal["personal", "health", "audio", "video", "location", "telemetry", "credentials", "other"]
        | None
    ) = detail("Category of data.")
    stored: TextList = detail("Where it is stored, e.g. device, cloud, mobile app.")
    places: tuple[DataPlace, ...] | None = detail(
        "Where it is kept, as the assessment reads it: device, related-device (hub, gateway, the "
        "customer's phone app), manufacturer-cloud, third-party (a service or party other than the "
        "manufacturer); [] when it is never kept. The customer's own records (an EHR, a SIEM) it is "
        "sent to are not places of the device. stored keeps the words customers read."
    )
    removed_from: tuple[DataPlace, ...] | None = detail(
        "Which of its places the customer's data removal (reset, ownership transfer, retirement) erases "
        "it from; [] when nothing removes it."
    )
    protected_at_rest: bool | None = detail("Whether it is protected where stored.")
    protected_in_transit: bool | None = detail("Whether it is protected in transit.")
    accessible_by: tuple[Id, ...] | None = answer(
        "Q4.2.3-7", description="IDs of the parties (see composition.parties) that can access it."
    )
    purpose: Text = detail("Why it is collected, and any use for other purposes (aggregation, analytics).")
    retention: Text = detail("How long it is kept.")


class EventLogging(_Model):
    """What the device logs, where the logs go, and in which format."""

    events: TextList = detail(
        "Events the device logs, e.g. sign-ins and failures, configuration changes, updates, tamper "
        "alerts; [] when it logs nothing."
    )
    destinations: tuple[LogPlace, ...] | None = detail(
        "Where the logs go: device (kept on it), related-device (hub, gateway), customer-log-server "
        "(the customer's syslog server or SIEM), manufacturer (its cloud or support)."
    )
    format: Text = detail("The format of the logs, e.g. 'syslog (RFC 5424) over TLS', 'CEF', 'JSON lines'.")


class Party(_Model):
    """A party, the manufacturer included, with access to data or control over the device."""

    id: Id = item_id("Identifier of the party, referenced by data types.", "party-1")
    name: Text = detail("Who, e.g. 'Acme Inc.', 'Cloud hosting provider'.")
    role: Text = detail("Its role, e.g. manufacturer, support contractor, cloud provider.")
    access: Text = detail("What it can access.")
    control: Text = detail("What degree of control it has, e.g. remote update of software and configuration.")
    disclosed: bool | None = detail("Whether customers are told about it.")


class Composition(_Model):
    """Device composition and capabilities (4.2.3)."""

    guidance: SecurityGuidance | None = detail(
        "Information on installation, configuration (hardening), usage, management, maintenance."
    )
    stricter_settings: Text = answer(
        "Q4.2.3-2",
        description="Effect on the device of a configuration stricter than the default, e.g. functions lost.",
    )
    software_inventory: SoftwareInventory | None = detail(
        "Internal software: versions, patch status, known vulnerabilities."
    )
    sources: tuple[ComponentSource, ...] | None = answer(
        "Q4.2.3-4",
        description="Sources of the device's software, hardware and services, e.g. the IoT software "
        "developer, processor maker, cloud service provider.",
    )
    operational: OperationalCharacteristics | None = detail("Operational characteristics.")
    functions: tuple[DeviceFunction, ...] | None = answer(
        "Q4.2.3-6",
        description="Functions with cybersecurity implications, e.g. sending data to a remote system.",
    )
    sensors: tuple[Sensor, ...] | None = answer(
        "Q4.2.3-6",
        description="Sensors such as cameras, microphones and location; [] when there are none.",
    )
    data_types: tuple[DataType, ...] | None = answer(
        "Q4.2.3-7",
        description="Data types the device can collect; [] when it collects none.",
    )
    parties: tuple[Party, ...] | None = answer(
        "Q4.2.3-8",
        description="All parties, the manufacturer included, with access to or any control over the device.",
    )
    logging: EventLogging | None = detail("Event logging: what the device logs, where, in which format.")


UpdateDelivery = Literal[
    "over-the-air", "mobile-app", "web-portal", "removable-media", "related-device", "technician", "other"
]
UpdateVerification = Literal["code-signature", "hash-comparison", "automatic", "other"]


class Updates(_Model):
    """Software updates (4.2.4)."""

    available: bool | None = answer("Q4.2.4-1", description="Whether updates will be made available.")
    schedule: Text = answer(
        "Q4.2.4-1", description="When they are released, e.g. a set schedule or as needed."
    )
    circumstances: TextList = answer(
        "Q4.2.4-2",
        description="When updates are issued, e.g. to stop faulty software, to fix a newly found "
        "vulnerability in a standard protocol.",
    )
    delivery: tuple[UpdateDelivery, ...] | None = answer(
        "Q4.2.4-3", description="How updates are made available or delivered."
    )
    notification: Text = answer(
        "Q4.2.4-3",
        description="Notifications when updates are available, must be applied, or have been applied.",
    )
    responsible: Literal["manufacturer", "customer", "third-party", "customer-chooses"] | None = answer(
        "Q4.2.4-4",
        description="Who performs updates, or whether the customer can designate who (customer-chooses).",
    )
    responsibility_notes: Text = detail("Roles, responsibilities and options of customers around updates.")
    verification: tuple[UpdateVerification, ...] | None = answer(
        "Q4.2.4-5",
        description="How customers can verify and authenticate updates: code signature validation, "
        "hash comparison, automatic verification by manufacturer software.",
    )
    authenticated_before_install: bool | None = answer(
        "Q4.2.4-5",
        description="Whether the device verifies and authenticates every update before installing.",
    )
    recovery: Text = detail("Rollback or recovery after a bad update.")
    release_notes: Text = answer(
        "Q4.2.4-6",
        description="What each update says, e.g. its nature (fixes, new capabilities) and effects on "
        "existing configuration settings.",
    )
    low_bandwidth: Text = detail("How updates work on low-bandwidth or unreliable networks.")
    image_size_mb: float | None = detail(
        "Size of a full update image in megabytes, e.g. 8, or 0.35 for 350 KB.",
        ge=0,
        le=1_000_000,
        allow_inf_nan=False,
    )
    poor_network_alternative: bool | None = detail(
        "Whether updates still reach devices on slow, metered or congested networks: smaller (delta) or "
        "resumable downloads, scheduling outside busy hours, or another delivery path; low_bandwidth "
        "says how."
    )


class OwnershipTransfer(_Model):
    supported: bool | None = answer(
        "Q4.2.5-1", description="Whether customers can transfer ownership to another party."
    )
    data_removal: Text = answer(
        "Q4.2.5-1",
        description="What the customer does so user and configuration data on the device and associated "
        "systems (e.g. cloud services) is not accessible to the new owner.",
    )


class RenderInoperable(_Model):
    supported: bool | None = answer(
        "Q4.2.5-2", description="Whether customers can render the device inoperable."
    )
    method: Literal["logical", "physical", "both"] | None = detail(
        "Logical (e.g. through a mobile app) or physical (e.g. a button on the device) means."
    )
    how: Text = answer("Q4.2.5-2", description="How to do it.")


class Retirement(_Model):
    """Device retirement options (4.2.5)."""

    ownership_transfer: OwnershipTransfer | None = detail("Transfer of ownership with data removal.")
    render_inoperable: RenderInoperable | None = detail("Rendering the device inoperable.")


# --- the file -----------------------------------------------------------------------------------


class Product(_Model):
    """A Securable product description (``securable.yaml``), format 1."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        title="Securable product description",
        json_schema_extra={
            "description": "One IoT device described along the six foundational activities of NISTIR 8259; "
            "fields name the question IDs they answer in 'answers'."
        },
    )

    securable: Literal[1] = Field(description="Format version of this file; always 1.")
    product: ProductInfo | None = detail("The device and its release.")
    customers: Customers | None = detail("Activity 1: expected customers and other users.")
    use_cases: tuple[UseCase, ...] | None = detail(
        "Activity 1 and 2: expected use cases, each researched for needs and goals.", min_length=1
    )
    needs: tuple[Need, ...] | None = detail(
        "Activity 2: customers' cybersecurity needs and goals.", min_length=1
    )
    means: tuple[Means, ...] | None = detail(
        "Activity 3 and 4.2.6: the means that address the needs, and who provides them.", min_length=1
    )
    support_planning: SupportPlanning | None = detail("Activity 4: plan for adequate support.")
    audiences: tuple[Audience, ...] | None = detail(
        "Activity 5: who the manufacturer communicates with, and how.", min_length=1
    )
    assumptions: Assumptions | None = detail("Activity 6 (4.2.1): risk-related assumptions.")
    support: Support | None = detail("Activity 6 (4.2.2): support and lifespan.")
    composition: Composition | None = detail("Activity 6 (4.2.3): composition and capabilities.")
    updates: Updates | None = detail("Activity 6 (4.2.4): software updates.")
    retirement: Retirement | None = detail("Activity 6 (4.2.5): retirement options.")
    not_applicable: Mapping[QuestionKey, Reason] = Field(
        default_factory=dict,
        description="Questions that do not apply to this device, each with the reason, e.g. "
        "Q4.2.6-1.b: 'no hub or gateway is involved'.",
    )
    not_applicable_elements: Mapping[ElementKey, Reason] = Field(
        default_factory=dict,
        description="Catalog elements that do not apply to this device, each with the reason, e.g. "
        "nistir-8259a:8259A-DP.3: 'the cryptography is fixed by the certified configuration'. "
        "`securable check` reports them as not applicable; a capability covers the elements inside it.",
    )

    def means_of_kind(self, *kinds: MeansKind) -> tuple[Means, ...]:
        """The means provided by the given kinds of provider, in file order (NISTIR 8259 4.2.6)."""
        return tuple(m for m in self.means or () if m.kind in kinds)

    def means_by_kind(self) -> dict[MeansKind, tuple[Means, ...]]:
        """Which means are provided by the device, a related device, a service, non-technical support
        or the customer; means without a kind are left out."""
        kinds: tuple[MeansKind, ...] = ("device", "related-device", "service", "non-technical", "customer")
        return {kind: self.means_of_kind(kind) for kind in kinds}

    def known_requirements(self) -> tuple[KnownRequirement, ...]:
        """The known requirements of every use case (``research.known_requirements``), in file
        order, each named once (the first entry with a name wins)."""
        found: dict[str, KnownRequirement] = {}
        for case in self.use_cases or ():
            for requirement in (case.research.known_requirements if case.research else None) or ():
                name = " ".join((requirement.name or "").split())
                if name and name.casefold() not in found:
                    found[name.casefold()] = requirement
        return tuple(found.values())

    def means_for(self, need_id: str) -> tuple[Means, ...]:
        """The means that address one need or goal."""
        return tuple(m for m in self.means or () if need_id in (m.addresses or ()))
