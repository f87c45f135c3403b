"""Reading a product description's free text and places: what rules share beyond the model.

Patterns are written in lower case and matched against lower-cased text: re's IGNORECASE makes
these alternations about five times slower, and all rules must run in well under a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from securable.product.model import DataType, UseCase

Path = tuple[str | int, ...]

# Data whose disclosure harms people: the categories NISTIR 8259 4.2.3 Q6/Q7 name, plus credentials,
# which unlock everything else (the camera example's "burglar takes the camera" threat).
SENSITIVE = frozenset({"personal", "health", "audio", "video", "location", "credentials"})

# Physical-world interaction that makes availability a safety matter (NISTIR 8259 3.2 Q1, Q2, Q7).
# Read from the research answers only when `research.actuates` or `research.safety_critical` is not
# given (see :func:`actuates`); "no actuation" does not count.
ACTUATION = re.compile(
    r"actuat\w*"
    r"|\b(?:controls?|opens?|closes?|unlocks?|drives?|moves?|heats?|doses?)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:doors?|locks?|gates?|valves?|motors?|heaters?|ovens?|stoves?|pumps?|brakes?|vehicles?|"
    r"machinery|insulin|medication)\b"
)
SAFETY_CRITICAL = re.compile(r"\bsafety[- ]critical|\blife[- ](?:critical|sustaining|support)")
# Every match contains one of its hints; `in` finds them far faster than the regex runs, and most
# texts contain none (a test runs sample phrases with and without the hints).
ACTUATION_HINTS = (
    "actuat", "door", "lock", "gate", "valve", "motor", "heater", "oven", "stove", "pump", "brake",
    "vehicle", "machinery", "insulin", "medication",
)  # fmt: skip
SAFETY_CRITICAL_HINTS = ("safety", "life")

# A negation reaches to the end of its clause: "no actuation", "not in a public place", "non-public".
# Punctuation or a conjunction ends it, so "no screen, but it actuates the lock" and "no Wi-Fi,
# mounted outdoors" still mention what follows.
_NEGATED = re.compile(
    r"\b(?:no|not|non|never|without|nor)\b"
    r"(?:(?!\b(?:but|and|yet|while|whereas|although|though|except)\b)[^,.;:!?]){0,30}$"
)
_NEGATION_REACH = 40  # characters before a match searched for its negation

# An answer that says there is nothing: "none", "no", "n/a", "cannot be disabled", "no rollback".
_NONE = re.compile(
    r"^\W*(?:there\s+(?:is|are)\s+|there's\s+)?"
    r"(?:none\b|nothing\b|never\b|unsupported\b|n/?a\b|no\b(?!\s+\w)|cannot\b|can ?not\b|can't\b"
    r"|not\s+(?:supported|possible|available|provided|planned|verifiable|considered)\b"
    r"|no\s+(?:way|method|means|option|mechanism|support|process|recovery|rollback|removal|"
    r"verification|plan)\b)"
)

# Places off the device, checked first: "Acme Cloud (device history)", "owner phone, stored locally in
# the app" and "hospital server on the local network" are not on the device.
_OFF_DEVICE = re.compile(
    r"\b(?:cloud|apps?|(?:smart)?phones?|tablets?|computers?|laptops?|pcs?|servers?|services?|"
    r"back[- ]?ends?|portals?|hosted|hosting|online|web|hubs?|gateways?|data ?cent(?:er|re)s?)\b"
)
# Where data lives on the device itself; a place that names neither is off the device.
_ON_DEVICE = re.compile(
    r"\b(?:device|on-device|sd[- ]?card|flash|emmc|eeprom|ram|memory|secure element|tpm|local(?:ly)?|"
    r"internal storage|camera|sensor)\b"
)


def blank(text: str | None) -> bool:
    """No answer: missing or only whitespace."""
    return text is None or not text.strip()


def says_none(text: str | None) -> bool:
    """An answer that says there is nothing, e.g. ``none``, ``cannot be disabled``, ``no rollback``."""
    return text is not None and _NONE.match(text.lower()) is not None


def mentions(text: str | None, pattern: re.Pattern[str], hints: tuple[str, ...] = ()) -> bool:
    """Whether ``text`` mentions ``pattern`` (lower case) other than negated in the same clause ("no
    actuation", "not public"; but "no screen, but it actuates" mentions actuation); ``hints``, when
    given, are substrings one of which every match contains."""
    if not text:
        return False
    text = text.lower()
    if hints and not any(hint in text for hint in hints):
        return False
    for match in pattern.finditer(text):
        if not _NEGATED.search(text, max(0, match.start() - _NEGATION_REACH), match.start()):
            return True
    return False


# Where a clause ends, for reading a negation that follows what it negates ("recordings in the cloud
# are not deleted by the reset"): punctuation or a conjunction that starts another statement.
_CLAUSE_END = re.compile(r"[,.;:!?]|\b(?:but|and|yet|while|whereas|although|though|except)\b")
_NEGATION = re.compile(r"\b(?:no|not|non|never|without|nor|cannot|none)\b|n't\b|\bremains?\b|\bstays?\b")


def affirms(text: str | None, pattern: re.Pattern[str]) -> bool:
    """Whether ``text`` mentions ``pattern`` (lower case) in a clause that negates nothing, before or
    after the match: "the reset also deletes cloud recordings" affirms the cloud, "recordings already
    in the cloud are not deleted by the reset" and "cloud copies stay" do not. Stricter than
    :func:`mentions`, for texts that say what an action reaches."""
    if not text:
        return False
    text = text.lower()
    for match in pattern.finditer(text):
        start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, match.start())), default=0)
        after = _CLAUSE_END.search(text, match.end())
        end = after.start() if after else len(text)
        if not _NEGATION.search(text, start, end):
            return True
    return False


def _use_case_texts(case: UseCase) -> list[str | None]:
    texts = [case.how_used, case.other_aspects]
    if case.research is not None:
        texts += [case.research.physical_world, case.research.complexities]
    return texts


def actuates(case: UseCase) -> bool:
    """Whether the use case acts on the physical world: ``research.actuates`` when given, else
    whether its descriptions mention actuation (:data:`ACTUATION`)."""
    stated = case.research.actuates if case.research is not None else None
    if stated is not None:
        return stated
    return any(mentions(text, ACTUATION, ACTUATION_HINTS) for text in _use_case_texts(case))


def safety_critical(case: UseCase) -> bool:
    """Whether failure or misuse in the use case can hurt people: ``research.safety_critical`` when
    given, else whether its descriptions say so (:data:`SAFETY_CRITICAL`)."""
    stated = case.research.safety_critical if case.research is not None else None
    if stated is not None:
        return stated
    return any(mentions(text, SAFETY_CRITICAL, SAFETY_CRITICAL_HINTS) for text in _use_case_texts(case))


def off_device(data: DataType) -> bool | None:
    """Whether the data is kept somewhere other than the device (so it travels); ``None``: not said.
    ``places`` when given, else read from ``stored``."""
    if data.places is not None:
        return any(place != "device" for place in data.places)
    if data.stored is None:
        return None
    return any(off_device_place(place) for place in data.stored)


def off_device_place(place: str) -> bool:
    """Whether a place names somewhere off the device: words for other systems (cloud, app, phone,
    server, ...) win over words for the device ("hospital server on the local network")."""
    place = place.lower()
    return _OFF_DEVICE.search(place) is not None or _ON_DEVICE.search(place) is None


def label(name: str | None, fallback: str) -> str:
    """How a message names a thing: its name, quoted, or what it is when it has none."""
    return f'"{name.strip()}"' if name and name.strip() else fallback


def at(root: object, path: Path) -> Path:
    """The longest start of ``path`` that holds a value: findings point at what the file has, so a
    report can give its line (an unanswered ``updates.recovery`` is reported at ``updates``)."""
    node = root
    for depth, step in enumerate(path):
        if isinstance(step, int):
            node = node[step] if isinstance(node, tuple) and step < len(node) else None
        elif isinstance(node, Mapping):
            node = node.get(step)
        else:
            node = getattr(node, step, None)
        if node is None:
            return path[:depth]
    return path
