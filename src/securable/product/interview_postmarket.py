"""The post-market part of ``securable init``'s walk (NISTIR 8259 section 4.2, Activity 6):
assumptions, support, composition, updates, retirement. Activity 5 (audiences) is left to the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # interview imports this module; the plan is only passed in
    from securable.product.interview import Loc, Plan


# --- Activity 6 ------------------------------------------------------------------------------------


def assumptions(p: Plan) -> None:
    p.section = "4.2.1"
    p.ask(("assumptions", "expected_customers"), "text", "Q4.2.1-1", hint="e.g. a sector or customer type")
    p.ask(
        ("assumptions", "intended_use"),
        "text",
        "Q4.2.1-2",
        hint="including systems it is assumed to work with",
    )
    p.ask(
        ("assumptions", "environments"),
        "text",
        "Q4.2.1-3",
        hint="e.g. not securable in public places; network bandwidth and latency",
    )


def support(p: Plan) -> None:
    p.section = "4.2.2"
    base: Loc = ("support",)
    release = p.get(("product", "release_date"))
    p.add(
        (*base, "support_end"),
        "date",
        "How long do you intend to support the device? Last day of updates and support",
        "Q4.2.2-1",
        check=_not_before(release, "the release date"),
    )
    p.add(
        (*base, "support_scope"),
        "text",
        "What does support include?",
        "Q4.2.2-1",
        hint="e.g. security updates, technical support",
    )
    support_end = p.get((*base, "support_end"))
    p.add(
        (*base, "end_of_life"),
        "date",
        "When do you intend end of life to occur?",
        "Q4.2.2-2",
        check=_not_before(support_end, "the end of support")
        if isinstance(support_end, str)
        else _not_before(release, "the release date"),
    )
    p.add((*base, "end_of_life_process"), "text", "What will the process for end of life be?", "Q4.2.2-2")
    p.add(
        (*base, "end_of_life_notice_months"),
        "int",
        "How many months of notice before end of life?",
        "Q4.2.2-2",
    )
    p.add((*base, "after_support_end"), "text", "What functionality remains after support ends?", "Q4.2.2-3")
    p.add(
        (*base, "after_end_of_life"),
        "text",
        "What functionality remains at end of life?",
        "Q4.2.2-3",
        hint="e.g. local use without cloud services",
    )
    reporting: Loc = (*base, "vulnerability_reporting")

    def channel(loc: Loc, _index: int) -> None:
        p.add(
            (*loc, "tested"),
            "yesno",
            "Do you test that this channel works for customers and researchers?",
            "Q4.1-5",
        )

    p.items(
        (*reporting, "channels"),
        ("address", "contact", "How can customers report suspected problems? Channel {n}"),
        ("Q4.2.2-4",),
        channel,
        noun="reporting channels",
        hint="an email address, an https:// web form or a tel: number",
        extra=_channel,
    )
    p.add(
        (*reporting, "accepted_after_support_end"),
        "yesno",
        "Will reports be accepted after support ends?",
        "Q4.2.2-4",
    )
    p.add(
        (*reporting, "accepted_after_end_of_life"),
        "yesno",
        "Will reports be accepted after end of life?",
        "Q4.2.2-4",
    )
    p.add((*reporting, "policy_url"), "url", "Web address of the vulnerability disclosure policy")
    _maintenance(p, (*base, "maintenance"))
    p.add(
        (*base, "securable_after_support"),
        "text",
        "How can customers keep the device securable after support ends?",
        "Q4.2.2-5",
        hint="including if the manufacturer or a third party shuts down",
    )
    p.add(
        (*base, "public_release"),
        "text",
        "Will essential files or data be made public for continued support?",
        "Q4.2.2-5",
        hint="e.g. open-sourcing the code base; 'none' if nothing will be released",
    )


def _maintenance(p: Plan, base: Loc) -> None:
    """Maintenance and repair: what the assessment needs to find remote maintenance without records
    and units that leave for repair with the customer's data on them."""

    def activity(loc: Loc, _index: int) -> None:
        p.add(
            (*loc, "kind"),
            "choice",
            "Local (at the device) or nonlocal (remote, over a network)?",
            choices=("local", "nonlocal"),
        )
        p.add((*loc, "frequency"), "text", "How often?", hint="e.g. monthly, yearly, on request")
        p.add(
            (*loc, "performed_by"),
            "choice",
            "Who does it?",
            choices=("manufacturer", "third-party", "customer"),
        )
        p.add(
            (*loc, "records"),
            "text",
            "What records of it does the customer get?",
            hint="e.g. a session log with who, when and what changed, in the console; 'none' if none",
        )

    p.items(
        (*base, "activities"),
        ("what", "text", "Maintenance or diagnostics done after installation: activity {n}"),
        (),
        activity,
        noun="maintenance activities",
        none_ok=True,
        hint="e.g. remote diagnostics, on-site calibration, preventive maintenance",
    )
    p.add(
        (*base, "offsite_repair"),
        "yesno",
        "Do units leave the customer's premises for repair?",
        hint="returned to you or a repair shop",
    )
    if p.get((*base, "offsite_repair")) is True:
        p.add(
            (*base, "data_removal_before_repair"),
            "text",
            "How is the customer's data removed before a unit leaves for repair?",
            hint="e.g. the service menu erases data and keys; 'none' if it is not",
        )


def _channel(address: Any) -> dict[str, Any]:
    text = str(address)
    if text.startswith("tel:"):
        kind = "phone"
    elif text.startswith(("http://", "https://")):
        kind = "web-form"
    else:
        kind = "email"
    return {"kind": kind, "purpose": "vulnerability reports"}


def _not_before(earlier: Any, what: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(earlier, str) and isinstance(value, str) and value < earlier:
            return f"{value} is before {what} ({earlier}); give a later date"
        return None

    return check


def composition(p: Plan) -> None:
    p.section = "4.2.3"
    base: Loc = ("composition",)

    def function(loc: Loc, _index: int) -> None:
        p.add(
            (*loc, "description"),
            "text",
            "What it involves",
            "Q4.2.3-6",
            hint="e.g. sends data to a remote system",
        )

    p.items(
        (*base, "functions"),
        ("name", "text", "What functions can the device perform? Function {n}"),
        ("Q4.2.3-6",),
        function,
        noun="functions",
        hint="e.g. records video clips on motion; reports readings to the cloud",
    )

    def sensor(loc: Loc, _index: int) -> None:
        p.add(
            (*loc, "kind"), "choice", "Kind of sensor", choices=("camera", "microphone", "location", "other")
        )
        p.add((*loc, "disclosed"), "yesno", "Is its presence disclosed to customers?")
        p.add((*loc, "can_be_disabled"), "yesno", "Can customers turn it off?")

    p.items(
        (*base, "sensors"),
        ("name", "text", "Sensor {n} that captures information about people or places"),
        ("Q4.2.3-6",),
        sensor,
        noun="sensors",
        none_ok=True,
        hint="e.g. 2K colour camera, microphone, GPS receiver, occupancy sensor",
    )

    def party(loc: Loc, _index: int) -> None:
        p.add(
            (*loc, "role"), "text", "Its role", hint="e.g. manufacturer, support contractor, cloud provider"
        )
        p.add((*loc, "access"), "text", "What it can access")
        p.add(
            (*loc, "control"),
            "text",
            "What control it has over the device",
            hint="e.g. remote software updates",
        )
        p.add((*loc, "disclosed"), "yesno", "Are customers told about it?")

    parties = p.items(
        (*base, "parties"),
        (
            "name",
            "text",
            "Party {n} with access to data or control over the device, the manufacturer included",
        ),
        ("Q4.2.3-8",),
        party,
        noun="parties",
        id_prefix="party",
        hint="e.g. the owner, Acme Inc., the contracted support centre, the cloud hosting provider",
    )
    party_ids = tuple(f"party-{i + 1}" for i in parties)
    party_names = tuple(p.label((*base, "parties", i, "name")) for i in parties)

    def data_type(loc: Loc, _index: int) -> None:
        p.add(
            (*loc, "category"),
            "choice",
            "Category",
            choices=("personal", "health", "audio", "video", "location", "telemetry", "credentials", "other"),
        )
        p.add((*loc, "stored"), "list", "Where is it stored?", hint="e.g. device, cloud, mobile app")
        p.add(
            (*loc, "places"),
            "choices",
            "Which of these places keep it?",
            "Q4.2.3-7",
            hint="related-device: a hub, gateway or the customer's phone app; third-party: a service "
            "other than yours",
            choices=_PLACES,
            none_ok=True,
        )
        places = p.get((*loc, "places"))
        if isinstance(places, list) and places:
            p.add(
                (*loc, "removed_from"),
                "choices",
                "From which of them does the customer's data removal (reset, retirement) erase it?",
                "Q4.2.5-1",
                choices=tuple(places),
                none_ok=True,
            )
        p.add((*loc, "protected_at_rest"), "yesno", "Is it protected where it is stored?")
        p.add((*loc, "protected_in_transit"), "yesno", "Is it protected in transit?")
        if party_ids:
            p.add(
                (*loc, "accessible_by"),
                "refs",
                "Which parties can access it?",
                "Q4.2.3-7",
                choices=party_ids,
                labels=party_names,
                none_ok=True,
            )

    _logging(p, (*base, "logging"))
    p.items(
        (*base, "data_types"),
        ("name", "text", "What data types can the device collect? Data type {n}"),
        ("Q4.2.3-7",),
        data_type,
        noun="data types",
        id_prefix="data",
        none_ok=True,
        hint="e.g. video clips, account details, device telemetry",
    )


_PLACES = ("device", "related-device", "manufacturer-cloud", "third-party")


def _logging(p: Plan, base: Loc) -> None:
    p.add(
        (*base, "events"),
        "list",
        "Which events does the device log?",
        hint="e.g. sign-ins and failures, configuration changes, updates, tamper alerts",
        none_ok=True,
    )
    if p.get((*base, "events")) in ([], None):
        return
    p.add(
        (*base, "destinations"),
        "choices",
        "Where do the logs go?",
        hint="customer-log-server: the customer's syslog server or SIEM",
        choices=("device", "related-device", "customer-log-server", "manufacturer"),
    )
    p.add((*base, "format"), "text", "In which format?", hint="e.g. syslog (RFC 5424) over TLS, CEF, JSON")


_DELIVERY = (
    "over-the-air",
    "mobile-app",
    "web-portal",
    "removable-media",
    "related-device",
    "technician",
    "other",
)


def updates(p: Plan) -> None:
    p.section = "4.2.4"
    base: Loc = ("updates",)
    p.add((*base, "available"), "yesno", "Will updates be made available?", "Q4.2.4-1")
    if p.get((*base, "available")) is False:
        return  # the rest of 4.2.4 stays open: the file says which questions still need a word
    p.add(
        (*base, "schedule"), "text", "When will they be released?", "Q4.2.4-1", hint="e.g. monthly; as needed"
    )
    p.ask((*base, "circumstances"), "list", "Q4.2.4-2")
    p.add((*base, "delivery"), "choices", "How will updates be delivered?", "Q4.2.4-3", choices=_DELIVERY)
    p.add(
        (*base, "notification"),
        "text",
        "Will there be notifications when updates are available or applied?",
        "Q4.2.4-3",
    )
    p.add(
        (*base, "responsible"),
        "choice",
        "Which entity is responsible for performing updates?",
        "Q4.2.4-4",
        choices=("manufacturer", "customer", "third-party", "customer-chooses"),
    )
    p.add(
        (*base, "verification"),
        "choices",
        "How can customers verify and authenticate updates?",
        "Q4.2.4-5",
        choices=("code-signature", "hash-comparison", "automatic", "other"),
    )
    p.add(
        (*base, "authenticated_before_install"),
        "yesno",
        "Does the device verify and authenticate every update before installing it?",
        "Q4.2.4-5",
    )
    p.add((*base, "recovery"), "text", "How is a bad update rolled back or recovered from?")
    p.ask(
        (*base, "release_notes"),
        "text",
        "Q4.2.4-6",
        hint="e.g. the nature of the update (fixes, new capabilities) and effects on configuration settings",
    )
    p.add(
        (*base, "low_bandwidth"),
        "text",
        "How do updates work on low-bandwidth or unreliable networks?",
        hint="e.g. small or delta images, resumable downloads, local transfer",
    )
    p.add(
        (*base, "poor_network_alternative"),
        "yesno",
        "Do updates still reach devices on slow, metered or congested networks?",
        hint="yes with delta or resumable downloads, scheduling, or another delivery path",
    )
    p.add(
        (*base, "image_size_mb"),
        "int",
        "How large is a full update image, in megabytes (rounded up)?",
        hint="e.g. 8",
    )


def retirement(p: Plan) -> None:
    p.section = "4.2.5"
    transfer: Loc = ("retirement", "ownership_transfer")
    p.add(
        (*transfer, "supported"),
        "yesno",
        "Will customers want to transfer ownership of the device?",
        "Q4.2.5-1",
    )
    p.add(
        (*transfer, "data_removal"),
        "text",
        "What must customers do so the new owner cannot access their data?",
        "Q4.2.5-1",
        hint="on the device and in associated systems such as cloud services",
    )
    inoperable: Loc = ("retirement", "render_inoperable")
    p.add(
        (*inoperable, "supported"),
        "yesno",
        "Will customers want to render the device inoperable?",
        "Q4.2.5-2",
    )
    p.add(
        (*inoperable, "method"),
        "choice",
        "By logical or physical means?",
        choices=("logical", "physical", "both"),
    )
    p.add((*inoperable, "how"), "text", "How can customers do that?", "Q4.2.5-2")
