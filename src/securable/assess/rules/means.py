"""Means and the needs they meet (NISTIR 8259 3.3, 4.2.6)."""

from __future__ import annotations

from collections.abc import Iterator

from securable.assess.coverage import LOCKOUT_DENIES
from securable.assess.findings import Severity
from securable.assess.rules.base import Context, Hit, Rule, rule
from securable.assess.rules.reading import label
from securable.product.model import Product


def _addressed(product: Product, ctx: Context) -> Iterator[tuple[int, str, list[int]]]:
    """Each need with the indexes of the means that address it (needs without means are left out:
    that is question Q3.3-1, which QST-001 reports)."""
    for index, need in enumerate(product.needs or ()):
        means = ctx.addressing.get(need.id)
        if means:
            yield index, need.id, means


@rule(
    "MNS-001",
    "Need met only by partial means",
    Severity.MEDIUM,
    section="3.3",
    questions=("Q3.3-1", "Q3.3-2"),
    elements=("nistir-8259b:8259B-DOC", "sp800-213a:DOC-2"),
)
def only_partial(product: Product, ctx: Context) -> Iterator[Hit]:
    """Every means that addresses a need has `status: partial`.

    NISTIR 8259 3.3 asks which means achieve each need or goal; if all of them are only partly in
    place, the need is not met yet and customers should hear so. Silence does not fire: a means
    without a status is not assumed partial.
    """
    means = product.means or ()
    for index, need_id, addressing in _addressed(product, ctx):
        if all(means[i].status == "partial" for i in addressing):
            titles = ", ".join(label(means[i].title, means[i].id) for i in addressing)
            yield Hit(
                f"need '{need_id}' is addressed only by means that are partly in place: {titles}",
                "complete one of the means (status: full), add another, or tell customers which part "
                "of the need is not met",
                ("needs", index),
                tuple(("means", i, "status") for i in addressing),
            )


@rule(
    "MNS-002",
    "Need left entirely to the customer",
    Severity.LOW,
    section="4.2.6",
    questions=("Q4.2.6-3", "Q3.3-1"),
    elements=("sp800-213a:EA-3", "nistir-8259b:8259B-EA"),
)
def customer_only(product: Product, ctx: Context) -> Iterator[Hit]:
    """Every means that addresses a need has `kind: customer`.

    NISTIR 8259 3.2: device cybersecurity capabilities "generally make risk mitigation easier and
    more effective for customers", and its conclusion: "limited customer responsibility for
    cybersecurity may lead to better cybersecurity outcomes". A need met only by the customer should
    at least come with education on their responsibility (SP 800-213A EA-3). Silence does not fire.
    """
    means = product.means or ()
    for index, need_id, addressing in _addressed(product, ctx):
        if all(means[i].kind == "customer" for i in addressing):
            yield Hit(
                f"need '{need_id}' is met only by what customers do themselves",
                "add a device, service or non-technical means that helps (e.g. secure defaults, "
                "guidance, education on their responsibility)",
                ("needs", index),
                tuple(("means", i) for i in addressing),
            )


@rule(
    "MNS-003",
    "Sensitive data said to be protected, but no means protects it",
    Severity.LOW,
    section="3.3",
    questions=("Q3.3-2", "Q4.2.3-7"),
    elements=("nistir-8259a:8259A-DP.1", "sp800-213a:DP-3", "sp800-213a:DP-4"),
)
def protection_without_means(product: Product, ctx: Context) -> Iterator[Hit]:
    """A sensitive data type has `protected_at_rest` or `protected_in_transit` true, and no means
    lists it under `robustness.data_protection[].data`.

    NISTIR 8259 3.3 asks "which data needs to be protected, what types of protection each instance of
    data needs ... and how strong that protection needs to be", for each technical means. A claim of
    protection that no means backs cannot be traced to how strong it is or who provides it. Silence
    does not fire (DAT-003 covers unstated protection).
    """
    for index, data in ctx.sensitive_data:
        claimed = data.protected_at_rest is True or data.protected_in_transit is True
        if claimed and data.id not in ctx.protected_data_ids:
            yield Hit(
                f"{label(data.name, repr(data.id))} is said to be protected, but no means says how",
                f"add '{data.id}' to robustness.data_protection of the means that protects it (with "
                "confidentiality, integrity and strength), or add such a means",
                ("composition", "data_types", index),
            )


@rule(
    "MNS-004",
    "Means cites lock-out elements its lock-out setting contradicts",
    Severity.MEDIUM,
    section="3.3",
    questions=("Q3.3-2",),
    elements=LOCKOUT_DENIES["none"][0],
)
def lockout_contradicts_citation(product: Product, ctx: Context) -> Iterator[Hit]:
    """A means' `robustness.authentication.lockout` is `fixed` but its catalog list cites configurable
    lock-out (8259A-LAI.3, SP 800-213A LAI-2.1 or LAI-2.1.1), or is `none` but it cites any of these
    or locking access after failed attempts (LAI-2.1.2).

    NISTIR 8259 3.3 asks how strong each technical means is; a citation the means' own answers deny
    claims a requirement the device does not meet. Coverage believes the `lockout` answer (the cited
    element counts partly for `fixed`, not at all for `none`); this finding says the file disagrees
    with itself. Silence does not fire: without a `lockout` answer there is nothing to contradict.
    """
    for index, means in enumerate(product.means or ()):
        lockout = means.lockout
        if lockout is None:
            continue
        denied = [ref for ref in means.catalog or () if ref in LOCKOUT_DENIES.get(lockout, ((), 0))[0]]
        if denied:
            setting = "no lock-out" if lockout == "none" else "a fixed lock-out"
            yield Hit(
                f"{label(means.title, f'means {means.id!r}')} has {setting} after failed "
                f"authentication, but cites {', '.join(denied)}",
                "remove the citations the device does not meet, or change "
                "robustness.authentication.lockout to what the device does",
                ("means", index, "catalog"),
                (("means", index, "robustness", "authentication", "lockout"),),
            )


RULES: tuple[Rule, ...] = (
    only_partial,
    customer_only,
    protection_without_means,
    lockout_contradicts_citation,
)
