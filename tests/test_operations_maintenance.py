"""The maintenance state machine, exhaustively: every step from every state by every role, and each
rule on its own (separation of duties, the data-removal gate, authorizations, tools, sessions)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from securable.errors import UsageError
from securable.operations import codec
from securable.operations import maintenance as m
from securable.web.orgs.roles import ROLES

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
POLICY = m.Policy(removal_days=3)
TOOLS = frozenset({"vendor-diag 2.1", "ssh"})
FULL = frozenset(ROLES["owner"])


def who(name: str, permissions: frozenset[str] = FULL) -> m.Who:
    return m.Who(name, permissions)


NEXT_YEAR = date(2027, 6, 1)
ALICE = m.Technician("t-alice", "Alice", "Agency", (m.Authorization(NEXT_YEAR, True, frozenset()),))
BOB = m.Technician("t-bob", "Bob", "Acme", (m.Authorization(NEXT_YEAR, False, frozenset({"camera"})),))
CAROL = m.Technician("t-carol", "Carol", "Acme", (m.Authorization(date(2026, 5, 31), True, frozenset()),))
PEOPLE = {p.id: p for p in (ALICE, BOB, CAROL)}
ALL_PASS = dict.fromkeys(POLICY.checklist, True)
SESSION = m.RemoteSession(
    "ssh", NOW - timedelta(hours=2), NOW - timedelta(hours=1), "vpn-gw1, account acme-7"
)
ATTEST = m.Attestation("factory reset + overwrite", "Alice", NOW - timedelta(days=1), "wipe.log", "ab" * 32)


def work(where: m.Where, **changes: object) -> m.Performed:
    base = m.Performed(
        "t-alice",
        "",
        NOW,
        "replaced the lens module",
        ("vendor-diag 2.1",),
        SESSION if where is m.Where.NONLOCAL else None,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def new(where: m.Where, requester: str = "req") -> m.Record:
    return m.request(
        who(requester),
        device_type="camera",
        where=where,
        by=m.By.STAFF,
        reason="lens fogged",
        technician=ALICE,
        now=NOW,
    )


def reach(where: m.Where, state: m.State, *, attested: bool = False) -> m.Record:
    """A record of ``where`` in ``state`` by the normal path (requester, approver, worker differ)."""
    record = new(where)
    if state is m.State.REQUESTED:
        return record
    if state is m.State.REJECTED:
        return m.reject(record, who("boss"), now=NOW, note="not now")
    record = m.approve(record, who("boss"), now=NOW)
    if where is m.Where.OFFSITE and (attested or state is not m.State.APPROVED):
        record = m.attest(record, who("tech"), ATTEST, now=NOW)
    if state is m.State.APPROVED:
        return record
    if where is m.Where.OFFSITE:
        record = m.ship(record, who("tech"), POLICY, now=NOW)
        if state is m.State.OFFSITE:
            return record
        record = m.receive(record, who("tech"), now=NOW)
        if state is m.State.RETURNED:
            return record
    record = m.perform(record, who("tech"), work(where), people=PEOPLE, approved_tools=TOOLS, now=LATER)
    if state is m.State.PERFORMED:
        return record
    failing = {**ALL_PASS, POLICY.checklist[0]: False}
    record = m.verify(
        record, who("boss"), failing if state is m.State.FAILED else ALL_PASS, POLICY, now=LATER
    )
    if state in (m.State.FAILED, m.State.VERIFIED):
        return record
    return m.close(record, who("boss"), now=LATER)


STEPS: dict[str, Callable[[m.Record, m.Who], m.Record]] = {
    "approve": lambda r, w: m.approve(r, w, now=LATER),
    "reject": lambda r, w: m.reject(r, w, now=LATER, note="no budget"),
    "attest": lambda r, w: m.attest(r, w, ATTEST, now=LATER),
    "ship": lambda r, w: m.ship(r, w, POLICY, now=LATER),
    "receive": lambda r, w: m.receive(r, w, now=LATER),
    "perform": lambda r, w: m.perform(r, w, work(r.where), people=PEOPLE, approved_tools=TOOLS, now=LATER),
    "verify": lambda r, w: m.verify(r, w, ALL_PASS, POLICY, now=LATER),
    "close": lambda r, w: m.close(r, w, now=LATER),
}

# Written out independently of the module's own table: (step) -> states it may start from.
FROM = {
    "approve": {"requested"},
    "reject": {"requested"},
    "attest": {"approved"},
    "ship": {"approved"},
    "receive": {"offsite"},
    "perform": {"approved", "returned", "failed"},
    "verify": {"performed"},
    "close": {"verified"},
}
NEEDS = {
    "approve": "maintenance.approve",
    "reject": "maintenance.approve",
    "attest": "maintenance.perform",
    "ship": "maintenance.perform",
    "receive": "maintenance.perform",
    "perform": "maintenance.perform",
    "verify": "maintenance.approve",
    "close": "maintenance.approve",
}
REACHABLE: dict[m.Where, list[m.State]] = {
    m.Where.LOCAL: [s for s in m.State if s not in (m.State.OFFSITE, m.State.RETURNED)],
    m.Where.NONLOCAL: [s for s in m.State if s not in (m.State.OFFSITE, m.State.RETURNED)],
    m.Where.OFFSITE: list(m.State),
}
CASES = [
    (where, state, attested)
    for where in m.Where
    for state in REACHABLE[where]
    for attested in ((False, True) if where is m.Where.OFFSITE and state is m.State.APPROVED else (False,))
]


def expected(step: str, where: m.Where, state: m.State, attested: bool, role: str) -> bool:
    if NEEDS[step] not in ROLES[role] or state.value not in FROM[step]:
        return False
    if step in ("attest", "ship") and where is not m.Where.OFFSITE:
        return False
    if step == "ship" and not attested:
        return False
    return not (step == "perform" and where is m.Where.OFFSITE and state is m.State.APPROVED)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize(("where", "state", "attested"), CASES, ids=str)
def test_every_step_from_every_state_by_every_role(
    step: str, where: m.Where, state: m.State, attested: bool, role: str
) -> None:
    record = reach(where, state, attested=attested)
    assert record.state is state
    actor = who("someone-else", ROLES[role])
    if expected(step, where, state, attested, role):
        after = STEPS[step](record, actor)
        assert after.history[-1].name == step
        assert after.history[-1].by == "someone-else"
        assert after.history[:-1] == record.history  # history only grows
        assert record.state is state  # the old value is untouched
    else:
        with pytest.raises(m.Refused) as refused:
            STEPS[step](record, actor)
        assert refused.value.message
        assert isinstance(refused.value, UsageError)


def test_the_module_table_agrees_with_the_independent_one() -> None:
    assert {k: {s.value for s in v} for k, v in m.ALLOWED.items()} == FROM
    assert {k: v for k, v in m.PERMISSION.items() if k != "request"} == NEEDS


@pytest.mark.parametrize("role", list(ROLES))
def test_request_needs_the_permission(role: str) -> None:
    def make() -> m.Record:
        return m.request(
            who("x", ROLES[role]),
            device_type="camera",
            where=m.Where.LOCAL,
            by=m.By.STAFF,
            reason="r",
            technician=ALICE,
            now=NOW,
        )

    if "maintenance.request" in ROLES[role]:
        assert make().state is m.State.REQUESTED
    else:
        with pytest.raises(m.Refused, match=r"maintenance\.request"):
            make()


def test_no_one_approves_or_rejects_their_own_request() -> None:
    record = new(m.Where.LOCAL, requester="owner-1")
    with pytest.raises(m.Refused, match="separation of duties"):
        m.approve(record, who("owner-1"), now=LATER)
    with pytest.raises(m.Refused, match="separation of duties"):
        m.reject(record, who("owner-1"), now=LATER, note="x")
    assert m.approve(record, who("owner-2"), now=LATER).approver == "owner-2"


def test_who_recorded_the_work_cannot_verify_it() -> None:
    record = reach(m.Where.LOCAL, m.State.PERFORMED)
    with pytest.raises(m.Refused, match="separation of duties"):
        m.verify(record, who("tech"), ALL_PASS, POLICY, now=LATER)
    assert m.verify(record, who("boss"), ALL_PASS, POLICY, now=LATER).state is m.State.VERIFIED


def test_offsite_repair_cannot_ship_without_an_attestation() -> None:
    record = reach(m.Where.OFFSITE, m.State.APPROVED)
    assert record.attestation is None
    with pytest.raises(m.Refused, match="data-removal attestation"):
        m.ship(record, who("tech"), POLICY, now=LATER)
    with pytest.raises(m.Refused, match="ship the device first"):
        m.perform(record, who("tech"), work(m.Where.OFFSITE), people=PEOPLE, approved_tools=TOOLS, now=LATER)


@pytest.mark.parametrize("age_hours", [0, 24, 72, 73, 24 * 10])
def test_the_policy_time_limit_on_data_removal(age_hours: int) -> None:
    record = reach(m.Where.OFFSITE, m.State.APPROVED)
    attestation = dataclasses.replace(ATTEST, when=NOW - timedelta(hours=age_hours))
    record = m.attest(record, who("tech"), attestation, now=NOW)
    if age_hours <= POLICY.removal_days * 24:
        assert m.ship(record, who("tech"), POLICY, now=NOW).state is m.State.OFFSITE
    else:
        with pytest.raises(m.Refused, match=f"the policy allows {POLICY.removal_days}"):
            m.ship(record, who("tech"), POLICY, now=NOW)


@pytest.mark.parametrize("blank", ["method", "by", "evidence_sha256"])
def test_an_attestation_lacking_a_part_is_refused(blank: str) -> None:
    record = reach(m.Where.OFFSITE, m.State.APPROVED)
    lacking = dataclasses.replace(ATTEST, **{blank: " "})  # type: ignore[arg-type]
    with pytest.raises(m.Refused, match="lacks"):
        m.attest(record, who("tech"), lacking, now=NOW)


def test_a_future_attestation_is_refused() -> None:
    record = reach(m.Where.OFFSITE, m.State.APPROVED)
    with pytest.raises(m.Refused, match="future"):
        m.attest(record, who("tech"), dataclasses.replace(ATTEST, when=NOW + timedelta(days=1)), now=NOW)


def test_a_request_for_someone_whose_authorization_lapsed_is_refused_with_the_reason() -> None:
    with pytest.raises(m.Refused, match="Carol's authorization for camera lapsed on 2026-05-31"):
        m.request(
            who("req"),
            device_type="camera",
            where=m.Where.LOCAL,
            by=m.By.CONTRACTOR,
            reason="r",
            technician=CAROL,
            now=NOW,
        )
    day_before = NOW - timedelta(days=1)
    made = m.request(
        who("req"),
        device_type="camera",
        where=m.Where.LOCAL,
        by=m.By.CONTRACTOR,
        reason="r",
        technician=CAROL,
        now=day_before,
    )
    assert made.technician == "t-carol"


def test_authorization_scope_by_device_type() -> None:
    with pytest.raises(m.Refused, match="not authorized for device type 'thermostat'"):
        m.request(
            who("req"),
            device_type="thermostat",
            where=m.Where.LOCAL,
            by=m.By.MANUFACTURER,
            reason="r",
            technician=BOB,
            now=NOW,
        )
    nobody = m.Technician("t-n", "Nobody", "X")
    with pytest.raises(m.Refused, match="no maintenance authorization"):
        m.request(
            who("req"),
            device_type="camera",
            where=m.Where.LOCAL,
            by=m.By.STAFF,
            reason="r",
            technician=nobody,
            now=NOW,
        )


def test_an_escorted_person_needs_a_named_escort_with_unescorted_authorization() -> None:
    record = reach(m.Where.LOCAL, m.State.APPROVED)

    def go(w: m.Performed) -> m.Record:
        return m.perform(record, who("tech"), w, people=PEOPLE, approved_tools=TOOLS, now=LATER)

    with pytest.raises(m.Refused, match="only escorted"):
        go(work(m.Where.LOCAL, technician="t-bob"))
    with pytest.raises(m.Refused, match="cannot escort"):
        go(work(m.Where.LOCAL, technician="t-bob", escort="t-bob"))
    with pytest.raises(m.Refused, match="lapsed"):  # Carol's authorization ended yesterday
        go(work(m.Where.LOCAL, technician="t-bob", escort="t-carol"))
    done = go(work(m.Where.LOCAL, technician="t-bob", escort="t-alice"))
    assert done.performed[-1].escort == "t-alice"
    with pytest.raises(m.Refused, match="lapsed"):
        go(work(m.Where.LOCAL, technician="t-carol"))
    with pytest.raises(m.Refused, match="unknown technician"):
        go(work(m.Where.LOCAL, technician="t-zed"))


@pytest.mark.parametrize("where", [m.Where.LOCAL, m.Where.NONLOCAL])
def test_only_approved_diagnostic_tools(where: m.Where) -> None:
    record = reach(where, m.State.APPROVED)
    with pytest.raises(m.Refused, match="not on the approved diagnostic tools list: usb-sniffer"):
        m.perform(
            record,
            who("t"),
            work(where, tools=("ssh", "usb-sniffer")),
            people=PEOPLE,
            approved_tools=TOOLS,
            now=LATER,
        )
    ok = m.perform(record, who("t"), work(where, tools=()), people=PEOPLE, approved_tools=TOOLS, now=LATER)
    assert ok.state is m.State.PERFORMED


def test_nonlocal_work_records_its_remote_session_and_local_work_has_none() -> None:
    nonlocal_ = reach(m.Where.NONLOCAL, m.State.APPROVED)
    with pytest.raises(m.Refused, match="remote session"):
        m.perform(nonlocal_, who("t"), work(m.Where.LOCAL), people=PEOPLE, approved_tools=TOOLS, now=LATER)
    backwards = dataclasses.replace(SESSION, ended=SESSION.started - timedelta(minutes=1))
    with pytest.raises(m.Refused, match="ends before"):
        m.perform(
            nonlocal_,
            who("t"),
            work(m.Where.NONLOCAL, session=backwards),
            people=PEOPLE,
            approved_tools=TOOLS,
            now=LATER,
        )
    rogue = dataclasses.replace(SESSION, tool="teamviewer")
    with pytest.raises(m.Refused, match="teamviewer"):
        m.perform(
            nonlocal_,
            who("t"),
            work(m.Where.NONLOCAL, session=rogue),
            people=PEOPLE,
            approved_tools=TOOLS,
            now=LATER,
        )
    local = reach(m.Where.LOCAL, m.State.APPROVED)
    with pytest.raises(m.Refused, match="nonlocal maintenance only"):
        m.perform(local, who("t"), work(m.Where.NONLOCAL), people=PEOPLE, approved_tools=TOOLS, now=LATER)
    assert "FPN-SEED-3.A1" in nonlocal_.actions
    assert "FPN-SEED-3.A1" not in local.actions


def test_failed_verification_restricts_the_device_until_a_new_attempt_passes() -> None:
    failed = reach(m.Where.LOCAL, m.State.FAILED)
    assert m.device_status(failed) == "restricted"
    assert not failed.verifications[-1].passed
    with pytest.raises(m.Refused):
        m.close(failed, who("boss"), now=LATER)
    again = m.perform(
        failed, who("tech"), work(m.Where.LOCAL), people=PEOPLE, approved_tools=TOOLS, now=LATER
    )
    assert m.device_status(again) == "under maintenance"
    passed = m.verify(again, who("boss"), ALL_PASS, POLICY, now=LATER)
    assert m.device_status(passed) == "in service"
    assert len(passed.performed) == 2
    assert len(passed.verifications) == 2
    closed = m.close(passed, who("boss"), now=LATER)
    assert {"FPN-SEED-22.A1", "FPN-SEED-22.A2", "FPN-SEED-1.A1"} <= set(closed.actions)


def test_the_checklist_must_be_answered_exactly() -> None:
    record = reach(m.Where.LOCAL, m.State.PERFORMED)
    partial = dict(list(ALL_PASS.items())[1:])
    with pytest.raises(m.Refused, match="checklist"):
        m.verify(record, who("boss"), partial, POLICY, now=LATER)
    with pytest.raises(m.Refused, match="checklist"):
        m.verify(record, who("boss"), {**ALL_PASS, "made up": True}, POLICY, now=LATER)


@pytest.mark.parametrize("state", [m.State.CLOSED, m.State.REJECTED])
def test_final_records_have_no_transition_left(state: m.State) -> None:
    record = reach(m.Where.LOCAL, state)
    for step in STEPS.values():
        with pytest.raises(m.Refused, match="cannot change") as refused:
            step(record, who("anyone"))
        assert refused.value.hint is not None
        assert "correction" in refused.value.hint


def test_tool_approval_needs_a_second_person() -> None:
    with pytest.raises(m.Refused, match="separation of duties"):
        m.approve_tool("p1", who("p1"))
    with pytest.raises(m.Refused, match=r"tools\.approve"):
        m.approve_tool("p1", who("p2", ROLES["editor"]))
    m.approve_tool("p1", who("p2", ROLES["reviewer"]))


@pytest.mark.parametrize("where", list(m.Where))
@pytest.mark.parametrize("state", list(m.State))
def test_records_survive_storage(where: m.Where, state: m.State) -> None:
    if state not in REACHABLE[where]:
        return
    record = reach(where, state)
    assert codec.from_json(codec.to_json(record)) == record


class Walk(RuleBasedStateMachine):
    """Random steps by random people on one record: the invariants hold whatever happens."""

    def __init__(self) -> None:
        super().__init__()
        self.record = new(m.Where.OFFSITE, requester="p0")
        self.clock = NOW

    @rule(
        # Rejection ends a walk: drawn less often, so walks also get through to close.
        step=st.sampled_from([name for name in STEPS if name != "reject"] * 4 + ["reject"]),
        person=st.sampled_from(["p0", "p1", "p2"]),
        role=st.sampled_from(list(ROLES)),
        hours=st.integers(0, 40),
    )
    def act(self, step: str, person: str, role: str, hours: int) -> None:
        self.clock += timedelta(hours=hours)
        before = self.record
        try:
            if step == "attest":
                when = self.clock - timedelta(hours=hours)
                self.record = m.attest(
                    before, who(person, ROLES[role]), dataclasses.replace(ATTEST, when=when), now=self.clock
                )
            elif step == "ship":
                self.record = m.ship(before, who(person, ROLES[role]), POLICY, now=self.clock)
            else:
                self.record = STEPS[step](before, who(person, ROLES[role]))
        except m.Refused:
            assert self.record is before

    @invariant()
    def rules_hold(self) -> None:
        r = self.record
        if r.approver:
            assert r.approver != r.requester
        if r.shipped is not None:
            assert r.attestation is not None
            assert r.shipped - r.attestation.when <= timedelta(days=POLICY.removal_days)
        for step in r.history[1:]:
            assert m.PERMISSION[step.name]
        names = [s.name for s in r.history]
        if "close" in names:
            assert names[-1] == "close"
            assert r.verifications[-1].passed


TestWalk = Walk.TestCase
TestWalk.settings = settings(
    max_examples=100,
    stateful_step_count=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
