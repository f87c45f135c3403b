"""What each kind of reader gets: the one table that tailors customer documents to their audience.

An audience's ``role`` (see :class:`~securable.product.model.Audience`) picks a :class:`Profile`:
the topics its document covers, in the order its readers look for them, the level of the page
(``plain``: short sections in the second person; ``full``: reference detail) and the words of its
title and opening line. The topics are the section builders of
:mod:`~securable.package.documents.topics`, named by their ids.

Readers differ in what they act on, so their documents differ too:

* a **home** user reads what to do, in the second person: how long updates last (and plainly
  whether they stop before the device's expected life), which settings to turn on, where to
  connect it, what it collects and keeps for how long, and how to wipe it before passing it on;
* a **clinical** user reads how the device behaves when something fails, how to use it safely and
  whom to call; nothing about resale or the hospital IT's tasks, which are not theirs;
* an **operator** (facility manager, installer, biomedical engineer) reads setup, hardening,
  maintenance, the network flows to allow, updates and retirement;
* a **small-business** owner reads setup and hardening, updates, the data and who sees it, and who
  is responsible for what;
* a **security officer** and an **IT administrator** read a summary of the assessment first, then
  the detail they check (an administrator gets every topic);
* a **researcher** reads where to report, the software inventory and vulnerability status, the
  network protocols and the interfaces.

An audience without a role keeps what its terminology and detail level choose: a plain document
(the home topics) for plain words or essentials, else every topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from securable.product.model import Audience

Level = Literal["plain", "full"]


@dataclass(frozen=True, slots=True)
class Profile:
    level: Level  # the page style and the wording of sections both levels share
    title: str  # follows "<product name>: " in the document's title
    lead: str  # the opening line: what this document is for
    topics: tuple[str, ...]  # section builder ids, in reading order


# Every Activity 6 topic, in NISTIR 8259 order: the reference document.
EVERY_TOPIC = ("contact", "assumptions", "support", "composition", "updates", "retirement", "means")

_HOME_TOPICS = (
    "lifespan",
    "make-it-safer",
    "updating",
    "collects",
    "when-things-go-wrong",
    "your-part",
    "passing-on",
    "reporting-plain",
    "contact",
)

PROFILES: dict[str, Profile] = {
    "home": Profile(
        "plain",
        "security essentials",
        "What you need to know, and what to do, to keep the device and your data safe.",
        _HOME_TOPICS,
    ),
    "clinical": Profile(
        "plain",
        "security essentials for clinical staff",
        "How the device behaves when something fails, how to use it safely, and whom to call.",
        ("when-things-go-wrong", "safe-use", "collects", "contact"),
    ),
    "operator": Profile(
        "full",
        "installation, hardening and maintenance",
        "How to set up, harden, maintain, update and retire the device, and the network access it needs.",
        (
            "contact",
            "guidance",
            "maintenance",
            "network",
            "updates",
            "use-cases",
            "support",
            "means",
            "retirement",
        ),
    ),
    "small-business": Profile(
        "full",
        "security guide",
        "How to set up and harden the device, how it is updated, what it collects and who is "
        "responsible for what.",
        ("contact", "guidance", "support", "updates", "data", "parties", "functions", "means", "retirement"),
    ),
    "it-admin": Profile(
        "full",
        "security and lifecycle information",
        "Every topic of NISTIR 8259 Activity 6, after a summary of the assessment.",
        ("summary", *EVERY_TOPIC),
    ),
    "security-officer": Profile(
        "full",
        "security assessment information",
        "A summary of the assessment, then what a security review checks: vulnerability handling, "
        "software inventory, network behaviour, interfaces, protections and data.",
        (
            "summary",
            "contact",
            "reporting",
            "software",
            "network",
            "interfaces",
            "means",
            "updates",
            "data",
            "parties",
            "sources",
            "support",
            "assumptions",
        ),
    ),
    "researcher": Profile(
        "full",
        "information for security researchers",
        "Where to report a vulnerability, the software inventory and vulnerability status, network "
        "protocols and interfaces.",
        ("reporting", "software", "network", "interfaces", "updates", "sources", "functions", "contact"),
    ),
}

# For audiences without a role, by the level their terminology and detail choose.
FALLBACK: dict[Level, Profile] = {
    "plain": Profile("plain", "security essentials", PROFILES["home"].lead, _HOME_TOPICS),
    "full": Profile(
        "full",
        "security and lifecycle information",
        "Every topic of NISTIR 8259 Activity 6 in detail.",
        ("summary", *EVERY_TOPIC),
    ),
}


def level_for(audience: Audience | None) -> Level:
    """The level an audience's terminology and detail choose: plain for plain words or essentials."""
    if audience is not None and (audience.terminology == "plain" or audience.detail_level == "essentials"):
        return "plain"
    return "full"


def profile_for(audience: Audience | None) -> Profile:
    if audience is not None and audience.role is not None:
        return PROFILES[audience.role]
    return FALLBACK[level_for(audience)]
