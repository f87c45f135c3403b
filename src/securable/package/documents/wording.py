"""How values of the product description read in customer documents: dates, yes/no, and the
customer-facing words for the model's fixed choices (delivery methods, sensor kinds, ...).

Dates are spelled out with our own month names rather than ``strftime("%B")``, which follows the
process locale and would make the same input give different files on different machines.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

DELIVERY = {
    "over-the-air": "over the air (downloaded by the device itself)",
    "mobile-app": "through the mobile app",
    "web-portal": "from a web portal",
    "removable-media": "on removable media (e.g. a USB stick)",
    "related-device": "through a related device such as a hub or gateway",
    "technician": "by a technician",
    "other": "by other means",
}

VERIFICATION = {
    "code-signature": "code signature validation",
    "hash-comparison": "cryptographic hash comparison",
    "automatic": "automatic verification by the manufacturer's software",
    "other": "other means",
}

RESPONSIBLE = {
    "manufacturer": "The manufacturer installs updates.",
    "customer": "You (the customer) install updates.",
    "third-party": "A third party installs updates.",
    "customer-chooses": "You choose who installs updates.",
}

# The plain document speaks to the reader directly; these say the same as RESPONSIBLE.
RESPONSIBLE_PLAIN = {
    "manufacturer": "Updates install automatically; you do not need to do anything.",
    "customer": "You need to install updates yourself.",
    "third-party": "Another company installs updates for you.",
    "customer-chooses": "You choose who installs updates.",
}

SENSOR_KIND = {
    "camera": "Camera",
    "microphone": "Microphone",
    "location": "Location",
    "other": "Other sensor",
}

DATA_CATEGORY = {
    "personal": "personal",
    "health": "health",
    "audio": "audio",
    "video": "video",
    "location": "location",
    "telemetry": "telemetry",
    "credentials": "credentials",
    "other": "other",
}

SOURCE_KIND = {"software": "Software", "hardware": "Hardware", "service": "Service"}

CHANNEL_KIND = {
    "email": "Email",
    "web-form": "Web form",
    "phone": "Phone",
    "in-app": "In the app",
    "postal": "Post",
    "other": "Other",
}

INFO_KIND = {
    "user-manual": "User manual",
    "website": "Website",
    "email": "Email",
    "mobile-app": "Mobile app",
    "device": "On the device",
    "terms-of-service": "Terms of service",
    "packaging": "Packaging",
    "machine-readable": "Machine-readable",
    "other": "Other",
}

INOPERABLE_METHOD = {
    "logical": "logically (e.g. through an app)",
    "physical": "physically (e.g. a button on the device)",
    "both": "logically (e.g. through an app) or physically",
}

MEANS_KIND_TITLE = {
    "device": "Provided by the device itself",
    "related-device": "Provided by a related device",
    "service": "Provided by a service",
    "non-technical": "Provided by the manufacturer's support (non-technical)",
    "customer": "Provided by you, the customer",
}

# What repeated failed authentication does (means[].robustness.authentication.lockout). Table cells
# in the full document are read beside the means' title, so they name the setting first.
LOCKOUT = {
    "none": "No lock-out",
    "fixed": "Fixed lock-out: customers cannot change its threshold or duration, or turn it off",
    "configurable": "Configurable lock-out: customers set its threshold and duration, or turn it off",
}

# The plain document says the same as LOCKOUT to someone who only knows that they typed a PIN.
LOCKOUT_PLAIN = {
    "none": "does not lock, however many wrong attempts are made",
    "fixed": "locks after too many wrong attempts; the manufacturer has set how many and for how long, "
    "and nobody can change that or turn it off",
    "configurable": "locks after too many wrong attempts; you can set how many and for how long, or turn "
    "the lock-out off",
}


def long_date(value: date) -> str:
    """``2031-08-31`` as ``31 August 2031``: unambiguous for readers on both sides of the Atlantic."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def labelled(values: Iterable[str], labels: dict[str, str]) -> str:
    """Join the customer-facing words for a list of choices: ``over-the-air, mobile-app`` → ``..., ...``."""
    return join([labels.get(v, v) for v in values])


def join(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = [i for i in items if i]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def capfirst(text: str) -> str:
    """Start a value that stands on its own (a fact, a list item) with a capital letter, as the
    product file's authors often write fragments; addresses and key fingerprints are left as written."""
    if not text or not text[0].islower() or text.startswith(("http://", "https://", "mailto:", "sha256:")):
        return text
    return text[0].upper() + text[1:]


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary so that it fits a fixed space (the one-page fact sheet)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"
