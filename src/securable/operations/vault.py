"""The vendor documentation vault's rules: who may open a document, and how a file is handed out.

The approved documentation policy names the roles that see vendor documentation (FPN-SEED-16.A1,
FPN-SEED-20.A1); every other member is refused even when their role could otherwise read the
register. A document is the vendor's untrusted bytes: it is only ever handed out as a download,
under a name stripped of anything a browser or a shell could read as more than a name.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from securable.errors import InputError

MAX_DOCUMENT = 10 * 1024 * 1024
MAX_NAME = 120
ACTIONS = ("FPN-SEED-16.A1", "FPN-SEED-18.A1", "FPN-SEED-20.A1")


def may_open(role: str, documentation_roles: Iterable[str]) -> bool:
    return role in set(documentation_roles)


def checked(content: bytes, name: str) -> tuple[str, str]:
    """The stored name and SHA-256 of an upload; refuses an empty or over-size file."""
    if not content:
        raise InputError("the document is empty", hint="choose the file the vendor sent")
    if len(content) > MAX_DOCUMENT:
        raise InputError(f"the document is larger than {MAX_DOCUMENT // 2**20} MiB")
    return safe_name(name), hashlib.sha256(content).hexdigest()


def safe_name(raw: str) -> str:
    """The last path part of ``raw`` with control, format and quoting characters removed.

    Browsers send a client's path in some cases ("C:\\\\Users\\\\..."), and a name is echoed into a
    header and into pages: only the base name survives, and nothing in it can end a header or a quote.
    """
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in base if unicodedata.category(c)[0] not in ("C", "Z") or c == " ").replace(
        '"', ""
    )
    kept = kept.strip(" .")[:MAX_NAME]
    return kept or "document"


def attachment(name: str) -> str:
    """A ``Content-Disposition`` value that always downloads, with an ASCII fallback name."""
    name = safe_name(name)
    fallback = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
