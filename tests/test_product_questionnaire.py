"""The interactive questionnaire of `securable init`, driven by scripts instead of a terminal."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hostile import finishes
from securable.assess.rules import run_rules
from securable.cli import main
from securable.cli.exitcodes import ExitCode, exit_code
from securable.errors import InputError
from securable.product import Status, load_product, parse_product, question_status
from securable.product.draft import build_data, render_body
from securable.product.interview import Step, plan
from securable.product.interview_premarket import year_range_data
from securable.product.model import YearRange
from securable.product.questionnaire import load_state, next_step, read_answer, run, state_path, walk

# One pass through every step, in the order they are asked; "" skips a step or ends a list.
DEVICE = [
    "Acme Thermo",  # name
    "Acme Inc.",  # manufacturer
    "T-100",  # model
    "1.0",  # version (a number, kept as text)
    "2026-03-01",  # release date
    "https://acme.example.com/docs",
    "security@acme.example.com",
]
ACTIVITY_1 = [
    "homeowners, renters",  # Q3.1-1: comma-separated
    "individual home users",  # Q3.1-2: one per line ...
    "landlords",
    "",  # ... until an empty line
    "none",  # other users: an explicit empty list
    "Home heating",  # use case 1
    "Controls the heating of one home: one household, private use",
    "United States, Canada",
    "indoors, on a wall, mains powered",
    "10 to 15 years",
    "10 to 15",  # the same in numbers
    "- home Wi-Fi, with internet access",  # '- ' keeps the comma inside the item
    "Acme Cloud",
    "",
    "botnet operator scanning the internet",  # threat 1
    "default password",
    "the thermostat joins a DDoS attack",
    "",  # no more threats
    "Heating left off in winter can harm vulnerable people.",
    "",  # no more use cases
]
ACTIVITY_2 = [
    "Actuation: switches the boiler; keeps heating on its schedule when the network fails.",
    "yes",  # it acts on the physical world ...
    "no",  # ... but is not safety-critical
    "App only; no enterprise integration.",
    "EU RED delegated act, ETSI EN 303 645",
    "Home Wi-Fi drops out; the schedule keeps running locally.",
    "Keeps heating on its local schedule; the app shows it offline.",  # degraded behaviour
    "Schedules and presence data.",
    "Owners need assurance that nobody else can switch the heating.",
    "Works with boilers from many makers.",
    "Nobody else can change the heating.",  # need 1
    "need",
    "1",  # use cases, by number
    "data, trust",
    "The heating keeps working when the internet is down.",  # need 2
    "goal",
    "all",
    "physical-world",
    "",  # no more needs
]
ACTIVITY_3 = [
    "Signed firmware with anti-rollback",  # means 1
    "device",
    "1",
    "SU-1.5, nistir-8259a:8259A-SU.2",  # bare and qualified catalog IDs
    "full",
    "both",
    "signed images, anti-rollback counter in the secure element",
    "none",  # lock-out: asked because the thermostat acts on the physical world
    "unique",  # credentials as shipped
    "Stops malicious firmware and downgrades.",
    "Vulnerability disclosure program",  # means 2: non-technical, so no robustness
    "non-technical",
    "manufacturer",
    "Acme Inc.",
    "need-1, 2",
    "DOC-1",
    "partial",
    "Problems found by others get fixed.",
    "",  # no more means
]
ACTIVITY_4 = [
    "secure element",
    "no",
    "",
    "UART header",
    "local-interface",
    "no",
    "yes",  # kept for maintenance
    "no",  # ... and usable without authentication
    "pads not populated in production",
    "",
]
ACTIVITY_6 = [
    "Households without IT staff.",
    "A wall thermostat controlled from the Acme app.",
    "Indoors, private homes, home Wi-Fi.",
    "2036-03-01",  # support end
    "security updates, technical support",
    "2037-03-01",  # end of life
    "The cloud service is switched off.",
    "12",
    "Everything keeps working; no more updates.",
    "Local heating control keeps working.",
    "security@acme.example.com",  # reporting channel 1
    "yes",
    "https://acme.example.com/security/report",  # channel 2
    "yes",
    "",
    "yes",
    "no",
    "https://acme.example.com/security/policy",
    "remote diagnostics",  # maintenance activity 1
    "nonlocal",
    "on request",
    "manufacturer",
    "none",  # no records for the customer
    "",
    "yes",  # offsite repair
    "",  # data removal before repair left open
    "Block internet access at the router.",
    "none",
    "heating control",  # function 1
    "switches the boiler on and off",
    "",
    "none",  # sensors
    "the owner",  # party 1
    "customer",
    "all settings",
    "full control",
    "yes",
    "Acme Inc.",  # party 2
    "manufacturer",
    "telemetry",
    "software updates",
    "yes",
    "",
    "sign-ins, setting changes",  # events logged
    "device, manufacturer",
    "",  # format left open
    "heating schedules",  # data type 1
    "personal",
    "device, Acme Cloud",
    "device, manufacturer-cloud",  # places
    "device",  # removal reaches only the device
    "yes",
    "yes",
    "1,2",
    "",
    "yes",  # updates available
    "monthly",
    "vulnerabilities, faulty software",
    "over-the-air",
    "notified in the app",
    "manufacturer",
    "code-signature, automatic",
    "yes",
    "A/B partitions",
    "fixes with CVE IDs",
    "small images, resumable downloads",
    "yes",  # poor-network alternative
    "9",  # image size in MB
    "yes",  # ownership transfer
    "Remove the device in the app, then factory reset.",
    "yes",
    "logical",
    "Choose Remove and disable in the app.",
]
FULL = DEVICE + ACTIVITY_1 + ACTIVITY_2 + ACTIVITY_3 + ACTIVITY_4 + ACTIVITY_6


class Script:
    """Plays the user: answers in order, then Ctrl-D; keeps what was asked and said."""

    def __init__(self, answers: list[str], *, interrupt: bool = False) -> None:
        self.answers = list(answers)
        self.interrupt = interrupt
        self.prompts: list[str] = []
        self.output: list[str] = []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.answers:
            raise KeyboardInterrupt if self.interrupt else EOFError
        return self.answers.pop(0)

    def say(self, text: str) -> None:
        self.output.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.output)


def step_at(key: str, answers: dict[str, Any] | None = None) -> Step:
    return next(step for step in plan(answers or {}) if step.key == key)


def test_full_walk_writes_a_commented_file_that_loads(tmp_path: Path) -> None:
    target = tmp_path / "securable.yaml"
    script = Script(FULL)
    assert run(target, ask=script.ask, say=script.say) is True  # written
    assert not script.answers, "the walk ended before the script did"
    assert "  ! " not in script.text  # every scripted answer fitted
    assert not state_path(target).exists()
    product = load_product(target)
    assert product.product is not None
    assert product.product.version == "1.0"
    cases = product.use_cases or ()
    assert cases[0].id == "uc-1"
    assert cases[0].period_of_use_years == YearRange(min=10, max=15)
    research = cases[0].research
    assert research is not None
    assert (research.actuates, research.safety_critical) == (True, False)
    assert research.degraded_behaviour == "Keeps heating on its local schedule; the app shows it offline."
    assert cases[0].dependencies == ("home Wi-Fi, with internet access", "Acme Cloud")
    assert product.customers is not None
    assert product.customers.other_users == ()
    assert product.customers.organizations == ("individual home users", "landlords")
    means = product.means or ()
    assert means[0].catalog == ("sp800-213a:SU-1.5", "nistir-8259a:8259A-SU.2")
    assert means[1].robustness is None  # non-technical
    assert means[0].robustness is not None
    assert means[0].robustness.authentication is not None
    assert means[0].robustness.authentication.lockout == "none"
    assert means[1].addresses == ("need-1", "need-2")
    assert product.composition is not None
    assert product.composition.sensors == ()
    assert (product.composition.data_types or ())[0].accessible_by == ("party-1", "party-2")
    assert product.support is not None
    channels = (
        product.support.vulnerability_reporting and product.support.vulnerability_reporting.channels
    ) or ()
    assert [c.kind for c in channels] == ["email", "web-form"]
    # the structured answers the rules read instead of guessing from the text
    assert means[0].shipped_credentials == "unique"
    unneeded = (product.support_planning and product.support_planning.unneeded_capabilities) or ()
    assert (unneeded[0].maintenance_only, unneeded[0].authenticated) == (True, False)
    maintenance = product.support.maintenance
    assert maintenance is not None
    assert maintenance.offsite_repair is True
    assert [(a.kind, a.performed_by, a.records) for a in maintenance.activities or ()] == [
        ("nonlocal", "manufacturer", "none")
    ]
    data = (product.composition.data_types or ())[0]
    assert (data.places, data.removed_from) == (("device", "manufacturer-cloud"), ("device",))
    assert product.composition.logging is not None
    assert product.composition.logging.destinations == ("device", "manufacturer")
    assert product.updates is not None
    assert (product.updates.poor_network_alternative, product.updates.image_size_mb) == (True, 9)
    fired = {f.rule for f in run_rules(product, today=date(2026, 3, 1))}
    # remote diagnostics without records, repair without data removal, a cloud copy no reset reaches
    assert {"MNT-001", "MNT-002", "RET-003"} <= fired
    states = {s.question: s.status for s in question_status(product)}
    for answered in ("Q3.1-4", "Q3.2-3", "Q3.3-1", "Q3.4-4", "Q4.2.2-4", "Q4.2.3-7", "Q4.2.5-2"):
        assert states[answered] is Status.ANSWERED, answered
    still_open = [q for q, s in states.items() if s is Status.OPEN]
    assert "Q4.1-1" in still_open  # audiences are not asked: the file says so
    text = target.read_text("utf-8")
    assert f"Still open ({len(still_open)})" in text
    assert "# Q3.1-4: Where geographically it will be used" in text
    assert "    period_of_use_years:\n" in text
    assert "      min: 10\n" in text
    assert "Wrote" in script.text


def test_stop_midway_then_resume_keeps_the_answers(tmp_path: Path) -> None:
    target = tmp_path / "securable.yaml"
    first = Script([*DEVICE, *ACTIVITY_1[:8], "q"])
    assert run(target, ask=first.ask, say=first.say) is False  # stopped, answers kept
    assert "Stopped" in first.text
    assert not target.exists()
    saved = json.loads(state_path(target).read_text("utf-8"))["answers"]
    assert saved["product.name"] == "Acme Thermo"
    assert saved["use_cases[0].title"] == "Home heating"

    rest = Script(FULL[len(DEVICE) + 8 :])
    assert run(target, ask=rest.ask, say=rest.say) is True  # written
    assert "Resuming" in rest.text
    assert not rest.answers
    product = load_product(target)
    assert product.product is not None
    assert product.product.name == "Acme Thermo"  # from the first session
    assert product.retirement is not None  # from the second


@pytest.mark.parametrize("interrupt", [False, True])
def test_ctrl_d_and_ctrl_c_save_and_stop(tmp_path: Path, interrupt: bool) -> None:
    target = tmp_path / "securable.yaml"
    script = Script(DEVICE[:3], interrupt=interrupt)
    assert run(target, ask=script.ask, say=script.say) is False  # stopped, answers kept
    assert "3 answers saved" in script.text
    assert json.loads(state_path(target).read_text("utf-8"))["answers"]["product.model"] == "T-100"


def test_an_existing_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "securable.yaml"
    target.write_text("keep me", "utf-8")
    with pytest.raises(InputError, match="already exists") as raised:
        run(target, ask=Script([]).ask, say=Script([]).say)
    assert raised.value.hint is not None
    assert "--force" in raised.value.hint
    script = Script(["q"])
    assert run(target, ask=script.ask, say=script.say, force=True) is False  # stopped, answers kept
    assert target.read_text("utf-8") == "keep me"  # stopped before anything was written


def test_a_damaged_state_file_says_how_to_start_over(tmp_path: Path) -> None:
    target = tmp_path / "securable.yaml"
    state_path(target).write_text('{"securable-init": 1, "answers": {"x": {"y": 1}}}', "utf-8")
    with pytest.raises(InputError, match="never writes") as raised:
        run(target, ask=Script([]).ask, say=Script([]).say)
    assert "delete" in (raised.value.hint or "")


RELEASE = {"product.release_date": "2026-03-01", "support.support_end": "2031-03-01"}


@pytest.mark.parametrize(
    ("key", "bad", "message", "good", "value"),
    [
        ("product.release_date", "2026-02-30", "not a real date", "2026-02-28", "2026-02-28"),
        ("product.release_date", "next spring", "YYYY-MM-DD", "2026-03-01", "2026-03-01"),
        ("product.documentation_url", "www.acme.com", "https://", "https://acme.com", "https://acme.com"),
        ("updates.available", "perhaps", "yes or no", "Y", True),
        ("updates.responsible", "manufactrer", "did you mean 'manufacturer'", "manu", "manufacturer"),
        (
            "updates.delivery",
            "over-the-air, pigeon",
            "not one of",
            "1, technician",
            ["over-the-air", "technician"],
        ),
        (
            "support.support_end",
            "2025-12-31",
            "before the release date (2026-03-01)",
            "2031-03-01",
            "2031-03-01",
        ),
        ("support.end_of_life_notice_months", "six", "whole number", "6", 6),
        ("support.end_of_life_notice_months", "²", "whole number", "6", 6),  # a digit int() refuses
        ("support.end_of_life_notice_months", "1²", "whole number", "12", 12),
        ("updates.responsible", "²", "not one of", "1", "manufacturer"),
        ("updates.delivery", "1, ³", "not one of", "1", ["over-the-air"]),
        (
            "support.end_of_life",
            "2030-12-31",
            "before the end of support (2031-03-01)",
            "2032-03-01",
            "2032-03-01",
        ),
    ],
)
def test_invalid_answers_are_asked_again_with_a_reason(
    key: str, bad: str, message: str, good: str, value: Any
) -> None:
    script = Script([bad, good])
    assert read_answer(step_at(key, RELEASE), script.ask, script.say) == value
    assert message in script.text


@pytest.mark.parametrize(
    ("bad", "message", "good", "value"),
    [
        ("ten years", "not a number of years", "10", "10"),
        ("6 to 3", "write the fewer first: 3 to 6", "3 to 6 years", "3 to 6"),
        ("a while", "e.g. 5, 1.5 or 3 to 6", "1.50", "1.5"),
    ],
)
def test_years_are_a_number_or_a_range(bad: str, message: str, good: str, value: str) -> None:
    script = Script([bad, good])
    step = step_at("use_cases[0].period_of_use_years", {"use_cases[0].title": "Home"})
    assert read_answer(step, script.ask, script.say) == value
    assert message in script.text


def test_years_are_written_as_a_range_of_numbers() -> None:
    assert year_range_data("3 to 6") == {"min": 3, "max": 6}
    assert year_range_data("1.5") == {"min": 1.5, "max": 1.5}
    assert year_range_data("2-2.5 years") == {"min": 2, "max": 2.5}


def _research(actuates: bool, safety_critical: bool) -> dict[str, Any]:
    return {
        "use_cases[0].title": "Home",
        "use_cases[0].research.actuates": actuates,
        "use_cases[0].research.safety_critical": safety_critical,
        "means[0].title": "PIN sign-in",
        "means[0].kind": "device",
    }


@pytest.mark.parametrize(
    ("actuates", "safety_critical", "asked"),
    [(False, False, False), (True, False, True), (False, True, True)],
)
def test_lockout_is_asked_where_a_use_case_matters_for_safety(
    actuates: bool, safety_critical: bool, asked: bool
) -> None:
    keys = {step.key for step in plan(_research(actuates, safety_critical))}
    assert ("means[0].robustness.authentication.lockout" in keys) is asked


def test_unknown_catalog_ids_get_suggestions_and_search_helps() -> None:
    step = Step(("means", 0, "catalog"), "catalog", "Which catalog elements?", "3.3")
    script = Script(["SU-1.55", "/render data inaccessible", "8259A-DP.2"])
    assert read_answer(step, script.ask, script.say) == ["nistir-8259a:8259A-DP.2"]
    assert "no catalog record 'SU-1.55'" in script.text
    assert "did you mean" in script.text
    assert "found:" in script.text


def test_references_to_earlier_items_are_checked() -> None:
    step = step_at("means[0].addresses", _one_means_answers())
    script = Script(["need-9", "need-1"])
    assert read_answer(step, script.ask, script.say) == ["need-1"]
    assert "did you mean 'need-1'" in script.text


def _one_means_answers() -> dict[str, Any]:
    return {
        "needs[0].statement": "Only the owner can change settings.",
        "means[0].title": "PIN",
        "means[0].kind": "device",
    }


def test_question_mark_shows_the_seed_text_and_asks_again() -> None:
    script = Script(["?", "homeowners, renters"])
    assert read_answer(step_at("customers.people"), script.ask, script.say) == ["homeowners", "renters"]
    assert "musicians" in script.text
    assert "customers.people" in script.text


def test_each_prompt_shows_the_question_id_and_the_seed_examples(tmp_path: Path) -> None:
    script = Script([*DEVICE, "q"])
    run(tmp_path / "securable.yaml", ask=script.ask, say=script.say)
    assert "Q3.1-1 · Which types of people are expected customers for this device?" in script.text
    assert "e.g. musicians, small business owners" in script.text
    assert "Activity 1 (3.1)" in script.text


def test_tricky_text_survives_the_round_trip() -> None:
    tricky = [
        "yes",
        "2.10",
        "#hashtag",
        "key: value",
        "ends with a colon:",
        'quotes " and \\ backslash',
        "tab\there",
        "ünïcödé — dashes",
        "- a dash first",
        "word " * 60,  # long, with a trailing blank: quoted, not folded
        " ".join(["long", "text"] * 80),  # long: folded
        "double  space " * 10,
    ]
    answers: dict[str, Any] = {
        "customers.people": tricky,
        "product.name": tricky[3],
        "product.model": tricky[1],
    }
    product = parse_product(render_body(build_data(answers)), filename="draft.yaml")
    assert product.customers is not None
    assert product.customers.people == tuple(tricky)
    assert product.product is not None
    assert (product.product.name, product.product.model) == ("key: value", "2.10")


@pytest.mark.parametrize("bad", ["foo:DI-1.1", ":", "sp800-213:SU-1.5", "SU-1.5, :SU-1.5"])
def test_an_unknown_catalog_name_is_asked_again_not_a_crash(bad: str) -> None:
    step = Step(("means", 0, "catalog"), "catalog", "Which catalog elements?", "3.3")
    script = Script([bad, "SU-1.5"])
    assert read_answer(step, script.ask, script.say) == ["sp800-213a:SU-1.5"]
    assert "  ! " in script.text
    assert "unknown catalog" in script.text
    assert "did you mean: sp800-213a" in script.text


def test_an_unknown_catalog_name_in_a_whole_session_is_asked_again(tmp_path: Path) -> None:
    target = tmp_path / "securable.yaml"
    before_catalog = FULL[: FULL.index("SU-1.5, nistir-8259a:8259A-SU.2")]
    script = Script([*before_catalog, "foo:DI-1.1", "q"])
    assert run(target, ask=script.ask, say=script.say) is False  # stopped, answers kept
    assert "unknown catalog 'foo'" in script.text
    assert "means[0].catalog" not in json.loads(state_path(target).read_text("utf-8"))["answers"]


def _every_step_skipped() -> dict[str, Any]:
    answers: dict[str, Any] = {}
    while (step := next_step(answers)) is not None:
        answers[step.key] = None
    return answers


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("customers.people", 5, "the answer to customers.people is 5; it should be a list"),
        ("customers.people", "homeowners", "it should be a list"),
        ("customers.people", ["homeowners", ""], "not empty"),
        ("product.name", ["Acme"], "it should be text"),
        ("product.name", True, "it should be text"),
        ("product.release_date", "next spring", "not a date"),
        ("product.release_date", "2026-02-30", "not a real date"),
        ("product.documentation_url", "www.acme.com", "a web address"),
        ("support.end_of_life_notice_months", True, "a whole number"),
        ("support.end_of_life_notice_months", "12", "a whole number"),
        ("support.end_of_life_notice_months", -1, "a whole number"),
        ("updates.available", "yes", "yes or no"),
        ("updates.responsible", "robot", "not one of the choices"),
        ("updates.delivery", ["pigeon"], "one or more, comma-separated, of"),
    ],
)
def test_a_state_file_with_wrong_typed_answers_says_how_to_start_over(
    tmp_path: Path, key: str, value: Any, message: str
) -> None:
    target = tmp_path / "securable.yaml"
    for answers in ({key: value}, {**_every_step_skipped(), key: value}):  # asked next, or finished at once
        state_path(target).write_text(json.dumps({"securable-init": 1, "answers": answers}), "utf-8")
        script = Script([])
        with pytest.raises(InputError, match="is damaged") as raised:
            run(target, ask=script.ask, say=script.say)
        assert exit_code(raised.value) == ExitCode.BAD_INPUT
        assert message in raised.value.message
        assert raised.value.hint == f"delete {state_path(target)} to start over"
        assert not target.exists()


def test_a_date_out_of_order_in_the_state_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    answers = {"product.release_date": "2026-03-01", "support.support_end": "2025-01-01"}
    path.write_text(json.dumps({"securable-init": 1, "answers": answers}), "utf-8")
    with pytest.raises(InputError, match="before the release date"):
        load_state(path)


def test_every_state_a_session_saves_loads_again(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    script = Script(FULL)
    saved: list[int] = []

    def save(answers: dict[str, Any]) -> None:
        path.write_text(json.dumps({"securable-init": 1, "answers": answers}), "utf-8")
        assert load_state(path) == answers
        saved.append(len(answers))

    assert walk({}, script.ask, script.say, save)
    assert len(saved) > 100


def test_stopping_at_the_first_prompt_says_nothing_was_saved(tmp_path: Path) -> None:
    target = tmp_path / "securable.yaml"
    script = Script(["q"])
    assert run(target, ask=script.ask, say=script.say) is False  # stopped, answers kept
    assert not state_path(target).exists()
    assert "nothing was saved" in script.text
    assert "saved in" not in script.text.splitlines()[-1]
    skipped = Script(["", "q"])  # a skipped step is an answer too: it is saved
    assert run(target, ask=skipped.ask, say=skipped.say) is False  # stopped, answers kept
    assert state_path(target).exists()
    assert f"0 answers saved in {state_path(target)}" in skipped.text


@pytest.mark.parametrize("kind", ["nested", "fifo", "/dev/zero", "folder"])
def test_a_hostile_state_file_is_a_clear_error_not_a_crash_or_a_hang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    target = tmp_path / "securable.yaml"
    state = state_path(target)
    if kind == "nested":  # json.loads recurses once per level
        state.write_text('{"securable-init": 1, "answers": {"a": ' + "[" * 500_000 + "]" * 500_000 + "}}")
    elif kind == "fifo":
        os.mkfifo(state)
    elif kind == "folder":
        state.mkdir()
    else:
        state.symlink_to(kind)
    code = finishes(lambda: main(["init", str(target)]))
    err = capsys.readouterr().err
    assert code == ExitCode.BAD_INPUT
    assert str(state) in err
    assert f"delete {state} to start over" in err
    assert "Traceback" not in err
    assert not target.exists()
