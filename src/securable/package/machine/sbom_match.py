"""Which SBOM component a vulnerability statement speaks of, and whether it covers its version.

A statement applies to a component of the SBOM when all of these hold:

* **the component**: its reference is the component's ``bom-ref``, or names the same package URL
  (qualifiers such as ``?arch=`` and the subpath aside; a package URL without a version covers every
  version of the package);
* **the BOM**: a CycloneDX BOM-Link (``urn:cdx:<serial>/<version>#<bom-ref>``) points into the BOM
  with that serial number, so it applies only when it is the SBOM's own ``serialNumber``;
* **the version**: a CycloneDX statement that lists ``affects[].versions`` covers only the versions
  listed there, single ones or ``vers:`` ranges (``vers:semver/>=2.9|<=4.1``); the component's own
  version must be one of them. The entry's status refines the statement's: ``unaffected`` is not
  affected, ``unknown`` is under investigation.

Anything else is about another product, or another version of this one; the builder reports those
statements to the manufacturer and leaves them out of what customers read.
"""

from __future__ import annotations

import re
from itertools import pairwise
from urllib.parse import unquote

from securable.package.machine.sbom_vex import Statement, VersionScope

_COMPARATORS = ("<=", ">=", "!=", "<", ">", "=")
_TOKEN = re.compile(r"\d+|[A-Za-z]+")


def purl_key(purl: str | None) -> tuple[str, str | None] | None:
    """(type/namespace/name, version) of a package URL, decoded; None when it is not one."""
    if not purl or not purl.startswith("pkg:"):
        return None
    body = purl.split("#", 1)[0].split("?", 1)[0].removeprefix("pkg:").lstrip("/")
    name, at, version = body.rpartition("@")
    if not at or "/" in version:  # no "@", or the "@" sits in the namespace
        name, version = body, ""
    kind, _, rest = name.partition("/")
    return f"{kind.lower()}/{unquote(rest)}", unquote(version) or None


def same_package(stated: str | None, purl: str | None) -> bool:
    """Whether the stated package URL names the component's (any version, if it gives none)."""
    a, b = purl_key(stated), purl_key(purl)
    return a is not None and b is not None and a[0] == b[0] and (a[1] is None or a[1] == b[1])


def status_for(statement: Statement, version: str | None) -> str | None:
    """The statement's status for a component at ``version``; None when it does not cover it."""
    if not statement.versions:
        return statement.status
    if version is None:
        return None  # a statement scoped to versions says nothing about a component of unknown version
    for scope in statement.versions:
        if _covers(scope, version):
            if scope.status == "unaffected":
                return "not_affected"
            if scope.status == "unknown":
                return "under_investigation"
            return statement.status
    return None


def _covers(scope: VersionScope, version: str) -> bool:
    if scope.version is not None:
        return compare(scope.version, version) == 0
    return scope.range is not None and in_range(version, scope.range)


def in_range(version: str, vers: str) -> bool:
    """Whether ``version`` lies in a ``vers:<scheme>/<constraints>`` range (the package-url vers
    specification's algorithm: points, exclusions, then intervals between sorted bounds)."""
    _, slash, constraints = vers.partition("/")
    if not vers.startswith("vers:") or not slash:
        return False
    if constraints.strip() == "*":
        return True
    bounds: list[tuple[str, str]] = []
    for raw in constraints.split("|"):
        part = raw.strip()
        op = next((c for c in _COMPARATORS if part.startswith(c)), "=")
        value = unquote(part.removeprefix(op).strip()) if part.startswith(op) else unquote(part)
        if not value:
            continue
        if op == "=":
            if compare(version, value) == 0:
                return True
        elif op == "!=":
            if compare(version, value) == 0:
                return False
        else:
            bounds.append((op, value))
    bounds.sort(key=lambda b: _Key(b[1]))
    if not bounds:
        return False
    first_op, first = bounds[0]
    if first_op in ("<", "<=") and _holds(version, first_op, first):
        return True
    last_op, last = bounds[-1]
    if last_op in (">", ">=") and _holds(version, last_op, last):
        return True
    return any(
        lo_op in (">", ">=")
        and hi_op in ("<", "<=")
        and _holds(version, lo_op, lo)
        and _holds(version, hi_op, hi)
        for (lo_op, lo), (hi_op, hi) in pairwise(bounds)
    )


def _holds(version: str, op: str, bound: str) -> bool:
    order = compare(version, bound)
    return {"<": order < 0, "<=": order <= 0, ">": order > 0, ">=": order >= 0}[op]


def compare(a: str, b: str) -> int:
    """-1, 0 or 1: versions compared piece by piece, numbers as numbers (2.10 after 2.9); a trailing
    letter part marks a pre-release (2.0rc1 before 2.0); build metadata after ``+`` is ignored; a
    leading ``v`` is not part of the version."""
    ka, kb = _Key(a), _Key(b)
    return 0 if ka == kb else (-1 if ka < kb else 1)


class _Key:
    """A version's sort key (see :func:`compare`)."""

    __slots__ = ("parts",)

    def __init__(self, version: str) -> None:
        text = version.strip().split("+", 1)[0]
        text = text[1:] if text[:1] in ("v", "V") and text[1:2].isdigit() else text
        self.parts: list[int | str] = [int(t) if t.isdigit() else t.lower() for t in _TOKEN.findall(text)]

    def _cmp(self, other: _Key) -> int:
        for i in range(max(len(self.parts), len(other.parts))):
            x = self.parts[i] if i < len(self.parts) else None
            y = other.parts[i] if i < len(other.parts) else None
            # A missing part is 0 against a number (2.4 is 2.4.0) and sorts after a letter part:
            # 2.0rc1 comes before 2.0.
            if x is None:
                x = 0 if isinstance(y, int) else "\uffff"
            if y is None:
                y = 0 if isinstance(x, int) else "\uffff"
            if x == y:
                continue
            if isinstance(x, int) and isinstance(y, int):
                return -1 if x < y else 1
            if isinstance(x, str) and isinstance(y, str):
                return -1 if x < y else 1
            return -1 if isinstance(x, str) else 1  # a letter part (rc, beta) sorts before a number
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self._cmp(other) == 0

    def __lt__(self, other: _Key) -> bool:
        return self._cmp(other) < 0

    __hash__ = None  # type: ignore[assignment]  # equal keys may differ in parts (2.4, 2.4.0)
