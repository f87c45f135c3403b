"""Which requirements weigh most in choosing a device: the few an officer reads first.

A MODERATE system calls for hundreds of SP 800-213A requirements, nearly all of them through at least
one control of the LOW baseline too, so the baselines alone do not set them apart. Two facts together
do: NIST's IoT core baseline (NISTIR 8259A for the device, 8259B for the manufacturer) names the
capabilities it expects of *every* IoT device, and the LOW baseline the controls *every* federal
system needs. A requirement that realizes a core baseline element and that a LOW-baseline control
calls for is one to decide on; so is one the agency added by tailoring, having said why.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from securable import catalog as api
from securable.agency.requirements.links import CAPABILITIES, CONTROLS

BASELINES = ("nistir-8259a", "nistir-8259b")
PRIORITIES = {
    1: "decides: a NISTIR 8259A/8259B core baseline element that even the LOW baseline calls for, "
    "or one the agency added",
    2: "high: called for by a control of the LOW baseline, so needed at every impact level",
    3: "normal: called for only by controls above the LOW baseline",
}
WORDS = {n: text.split(":", 1)[0] for n, text in PRIORITIES.items()}


def priority(record_id: str, controls: Iterable[str], *, added: bool = False) -> int:
    """1 (decides), 2 (high) or 3 (normal) for an SP 800-213A requirement called for by ``controls``
    (SP 800-53 IDs; none known means the profile did not say, which does not lower it)."""
    if added:
        return 1
    calls = set(controls)
    every_level = not calls or bool(calls & _low_baseline())
    if record_id in core_elements() and every_level:
        return 1
    return 2 if calls and every_level else 3


@cache
def _low_baseline() -> frozenset[str]:
    return frozenset(api.load(CONTROLS).baselines.get("LOW", ()))


@cache
def core_elements() -> frozenset[str]:
    """The SP 800-213A records NIST names as realizing an element of the IoT core baseline."""
    prefix = f"{CAPABILITIES}:"
    return frozenset(
        link.target.removeprefix(prefix)
        for baseline in BASELINES
        for record in api.load(baseline)
        for link in record.links
        if link.rel == "realized-by" and link.target.startswith(prefix)
    )
