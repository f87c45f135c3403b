"""The interactive questionnaire of ``securable init``: ask, check, save, resume, write.

What is asked comes from :mod:`securable.product.interview`; how the answers become a commented
file from :mod:`securable.product.draft`. This module holds the conversation: reading one answer
per step (with ``?`` for help, an empty answer to skip, ``q`` to save and stop), checking it and
asking again with a reason when it does not fit, saving every answer at once to a state file
beside the target file, and picking up from that state file on the next run.

Input and output go through two functions, ``ask(prompt) -> str`` and ``say(text)``, so tests
drive the conversation without a terminal. ``ask`` may raise ``EOFError`` or
``KeyboardInterrupt``: both save and stop, like ``q``.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from securable.errors import InputError, SecurableError
from securable.inputs import read_capped
from securable.product.interview import SECTIONS, Step, plan, question_record
from securable.product.interview_premarket import year_range, years_text
from securable.product.model import CATALOG_REF_PATTERN
from securable.product.questions import cite
from securable.uris import Problem, contact_problem, web_url_problem

Ask = Callable[[str], str]
Say = Callable[[str], None]
Answers = dict[str, Any]

STATE_FORMAT = 1
MAX_ANSWER = 4000  # characters; longer texts belong in linked documents, and the file stays small
MAX_STATE_BYTES = 1024 * 1024
MAX_INT_DIGITS = 6
WIDTH = 100
# Control characters (escape sequences of arrow keys), lone surrogates (undecodable terminal bytes)
# and non-characters: none can be written to YAML or UTF-8, so answers never hold them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_YES = ("y", "yes", "true")
_NO = ("n", "no", "false")
_CATALOGS_FOR_MEANS = ("sp800-213a", "nistir-8259a", "nistir-8259b", "federal-profile-2020", "sp800-53r5")

KEYS = "Enter skips (the question stays open) · ? more help · q saves and stops (so does Ctrl-D)"


class Stop(Exception):
    """The user asked to save and stop."""


class Retry(Exception):
    """The answer does not fit the step; the message says why and what would."""


def next_step(answers: Answers) -> Step | None:
    return next((step for step in plan(answers) if step.key not in answers), None)


# --- the conversation ---------------------------------------------------------------------------


def walk(answers: Answers, ask: Ask, say: Say, save: Callable[[Answers], None]) -> bool:
    """Ask until every step has an answer (True) or the user stops (False); ``save`` gets the
    answers after each one. ``EOFError`` and ``KeyboardInterrupt`` from ``ask`` propagate."""
    section = context = ""
    while (step := next_step(answers)) is not None:
        if step.section != section:
            section, context = step.section, ""
            say(f"\n== {SECTIONS.get(step.section, step.section)} ==")
        if step.context != context:
            context = step.context
            if context:
                say(f"\n-- {context} --")
        say(describe(step))
        try:
            answers[step.key] = read_answer(step, ask, say)
        except Stop:
            return False
        save(answers)
    return True


def read_answer(step: Step, ask: Ask, say: Say) -> Any:
    """One answer, asked again with a reason until it fits; ``?`` prints help and asks again."""
    while True:
        text = clean(ask("> "))
        if text == "q":
            raise Stop
        if text == "?":
            say(help_text(step))
            continue
        try:
            return interpret(step, text, ask)
        except Retry as problem:
            say(f"  ! {problem}")


def describe(step: Step) -> str:
    """The prompt: the question IDs and question, the hint, what kind of answer it takes."""
    head = f"{cite(step.questions)} · {step.prompt}" if step.questions else step.prompt
    lines = _wrap(head, "\n", "    ")
    if step.hint:
        lines += _wrap(step.hint, "  ", "    ")
    if step.kind == "refs":
        lines += [f"  {n}. {choice}  {label}" for n, (choice, label) in enumerate(_labelled(step), 1)]
    # Plain text needs no format note, and "Enter skips" is said once at the start: only what
    # differs from that is repeated here.
    notes = [_format_hint(step)] if step.kind != "text" else []
    notes += [f"Enter: {step.empty}"] if step.empty else []
    if notes:
        lines += _wrap(f"({'; '.join(notes)})", "  ", "   ")
    return "\n".join(lines)


def _labelled(step: Step) -> list[tuple[str, str]]:
    labels = list(step.labels) + [""] * (len(step.choices) - len(step.labels))
    return [(c, _shorten(label, 70)) for c, label in zip(step.choices, labels, strict=True)]


def _format_hint(step: Step) -> str:
    none = ", or 'none'" if step.none_ok else ""
    return {
        "text": "text",
        "list": f"a list: comma-separated, or one per line and an empty line to end{none}",
        "date": "a date, YYYY-MM-DD",
        "yesno": "yes or no",
        "choice": "one of: " + ", ".join(step.choices),
        "choices": "one or more, comma-separated, of: " + ", ".join(step.choices),
        "int": "a whole number",
        "years": "a number of years, or a range such as 3 to 6",
        "refs": f"numbers or IDs, comma-separated, or 'all'{none}",
        "catalog": "catalog IDs, comma-separated, bare or as catalog:ID",
        "url": "a web address, https://...",
        "contact": "an email address, or a mailto:, https:// or tel: address",
    }[step.kind]


def help_text(step: Step) -> str:
    """``?``: the seed's full question and text, what the field holds, how to answer."""
    from securable.product.introspect import field_at

    lines: list[str] = []
    for question in step.questions:
        title, text, _ = question_record(question)
        lines += _wrap(f"{question}: {title}", "  ", "    ")
        if text and text != title:
            lines += _wrap(text, "    ", "    ")
    node = field_at(step.loc)
    if node is not None and node.description:
        lines += _wrap(f"In the file: {step.key}: {node.description}", "  ", "    ")
    lines += _wrap(f"Answer with {_format_hint(step)}.", "  ", "    ")
    lines += _wrap(KEYS + ".", "  ", "    ")
    return "\n".join(lines)


def _wrap(text: str, first: str, rest: str) -> list[str]:
    lead = first.lstrip("\n")
    lines = textwrap.wrap(text, WIDTH, initial_indent=lead, subsequent_indent=rest, break_on_hyphens=False)
    if first.startswith("\n") and lines:
        lines[0] = "\n" + lines[0]
    return lines


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def clean(text: str) -> str:
    """Drop control characters (terminal escape sequences) and surrounding blanks."""
    return _CONTROL.sub("", text).strip()


# --- answers ------------------------------------------------------------------------------------


def interpret(step: Step, text: str, ask: Ask) -> Any:
    """The value an answer stands for; raises :class:`Retry` when it does not fit."""
    if not text:
        return None
    if len(text) > MAX_ANSWER:
        raise Retry(f"that is {len(text)} characters; keep answers under {MAX_ANSWER} and link longer texts")
    if step.none_ok and text.lower() == "none":
        return []
    value = _PARSERS[step.kind](step, text, ask)
    problem = step.check(value) if step.check else None
    if problem:
        raise Retry(problem)
    return value


def _text(_step: Step, text: str, _ask: Ask) -> str:
    return text


def _list(_step: Step, text: str, ask: Ask) -> list[str]:
    """Comma-separated on one line; or, when the first line has no comma (or starts with '- ',
    which keeps commas inside items), one item per line until an empty line."""
    if "," in text and not text.startswith("- "):
        return list(dict.fromkeys(item.strip() for item in text.split(",") if item.strip()))
    items = [text.removeprefix("- ").strip()]
    while line := clean(ask("+ ")):
        if line == "q":
            raise Stop
        items.append(line.removeprefix("- ").strip())
    return list(dict.fromkeys(item for item in items if item))


def _date(_step: Step, text: str, _ask: Ask) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise Retry(f"{text} is not a real date; write an existing date as YYYY-MM-DD") from None
    raise Retry(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2031-12-31")


def _yesno(_step: Step, text: str, _ask: Ask) -> bool:
    if text.lower() in _YES:
        return True
    if text.lower() in _NO:
        return False
    raise Retry(f"{text!r}: answer yes or no")


def _int(_step: Step, text: str, _ask: Ask) -> int:
    number = _whole_number(text)
    if number is None:
        raise Retry(f"{text!r} is not a whole number of at most six digits; write e.g. 12")
    return number


def _years(_step: Step, text: str, _ask: Ask) -> str:
    """Saved as the text it is read back from ("3 to 6", "1.5"); the file gets ``{min, max}``."""
    span = year_range(text)
    if span is None:
        raise Retry(f"{text!r} is not a number of years; write e.g. 5, 1.5 or 3 to 6")
    low, high = span
    if low > high:
        raise Retry(f"{text!r} goes from more years to fewer; write the fewer first: {years_text(high, low)}")
    return years_text(low, high)


def _whole_number(text: str) -> int | None:
    """The number a string of decimal digits stands for; None for anything else.

    ``isdecimal`` rather than ``isdigit``: superscripts such as "²" are digits that ``int`` refuses.
    """
    if not text.isdecimal() or len(text) > MAX_INT_DIGITS:
        return None
    try:
        return int(text)
    except ValueError:  # isdecimal and int agree today; a refusal is still no number, not a crash
        return None


def _one_choice(step: Step, word: str) -> str:
    """A choice by name, number or unambiguous beginning."""
    lowered = word.lower()
    if lowered in step.choices:
        return lowered
    number = _whole_number(word)
    if number is not None and 1 <= number <= len(step.choices):
        return step.choices[number - 1]
    starting = [c for c in step.choices if c.startswith(lowered)]
    if len(starting) == 1:
        return starting[0]
    import difflib

    near = difflib.get_close_matches(lowered, step.choices, n=1, cutoff=0.6)
    hint = f"did you mean {near[0]!r}? " if near else ""
    raise Retry(f"{word!r} is not one of the choices; {hint}choose one of: {', '.join(step.choices)}")


def _choice(step: Step, text: str, _ask: Ask) -> str:
    return _one_choice(step, text)


def _choices(step: Step, text: str, _ask: Ask) -> list[str]:
    if text.lower() == "all" and step.kind == "refs":
        return list(step.choices)
    words = [w.strip() for w in text.split(",") if w.strip()]
    return list(dict.fromkeys(_one_choice(step, word) for word in words))


def _uri(check: Callable[[str], Problem | None]) -> Callable[[Step, str, Ask], str]:
    def parse(_step: Step, text: str, _ask: Ask) -> str:
        problem = check(text)
        if problem is not None:
            raise Retry(f"{problem[0]}; {problem[1]}")
        return text

    return parse


def _catalog(_step: Step, text: str, _ask: Ask) -> list[str]:
    """Catalog references, qualified and checked against the shipped catalogs; ``/words`` searches."""
    from securable import catalog

    if text.startswith("/"):  # a search is no answer: show the hits the way a problem is, ask again
        try:
            hits = catalog.search(text[1:], catalogs=list(_CATALOGS_FOR_MEANS), limit=8)
        except SecurableError as err:
            raise Retry(f"cannot search the catalogs: {_explain(err)}") from None
        if not hits:
            raise Retry(f"nothing found for {text[1:]!r}; try other words")
        found = "\n".join(f"    {h.record.qualified_id}  {_shorten(h.record.label, 70)}" for h in hits)
        raise Retry(f"found:\n{found}\n  type the IDs you want")
    refs: list[str] = []
    for ref in (r.strip() for r in text.split(",")):
        if not ref:
            continue
        try:  # an unknown catalog name ("foo:DI-1.1", ":") is refused here, with suggestions
            records = [r for r in catalog.find(ref) if r.catalog in _CATALOGS_FOR_MEANS]
        except SecurableError as err:
            raise Retry(f"{ref!r}: {_explain(err)}; write a bare ID or catalog:ID") from None
        if len(records) > 1:
            names = ", ".join(r.qualified_id for r in records)
            raise Retry(f"{ref!r} is in more than one catalog; write one of: {names}")
        if not records:
            try:
                catalog.resolve(ref)
            except SecurableError as err:
                raise Retry(f"no catalog record {ref!r}" + (f"; {err.hint}" if err.hint else "")) from None
            raise Retry(f"{ref!r} is not a capability or control; use an element of {_CATALOGS_FOR_MEANS[0]}")
        refs.append(records[0].qualified_id)
    return list(dict.fromkeys(refs))


def _explain(err: SecurableError) -> str:
    return err.message + (f"; {err.hint}" if err.hint else "")


_PARSERS: dict[str, Callable[[Step, str, Ask], Any]] = {
    "text": _text,
    "list": _list,
    "date": _date,
    "yesno": _yesno,
    "choice": _choice,
    "choices": _choices,
    "int": _int,
    "years": _years,
    "refs": _choices,
    "catalog": _catalog,
    "url": _uri(web_url_problem),
    "contact": _uri(contact_problem),
}


# --- the state file -----------------------------------------------------------------------------


def state_path(path: Path) -> Path:
    """Where the answers of an unfinished session for ``path`` are kept: a hidden file beside it."""
    return path.with_name(f".{path.name}.init-state.json")


def load_state(path: Path) -> Answers:
    """The saved answers, or none; a damaged state file is an error that says how to start over."""
    fix = f"delete {path} to start over"
    try:  # a regular file only: a pipe or a device put in its place is not a state file
        raw = read_capped(path, MAX_STATE_BYTES, regular_only=True)
    except FileNotFoundError:
        return {}
    except OSError as err:
        from securable.inputfile import refusal

        raise (refusal(err, path) or InputError(f"cannot read {path}: {err.strerror}", hint=fix)) from err
    if len(raw) > MAX_STATE_BYTES:
        raise InputError(f"{path} is larger than 1 MiB; it is not a Securable state file", hint=fix)
    from securable.jsonread import JSONProblem, parse

    try:
        data = parse(raw, str(path))
    except JSONProblem as err:
        raise InputError(f"state file is damaged: {err.message}", hint=fix, location=err.location) from err
    answers = data.get("answers") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("securable-init") != STATE_FORMAT
        or not isinstance(answers, dict)
    ):
        raise InputError(f"{path} is not a Securable state file (format {STATE_FORMAT})", hint=fix)
    if not all(_plain(v) for v in answers.values()):
        raise InputError(f"{path} holds answers Securable never writes", hint=fix)
    for step in plan(answers):
        value = answers.get(step.key)
        problem = None if value is None else _misfit(step, value)
        if problem:
            shown = _shorten(json.dumps(value, ensure_ascii=False), 60)
            raise InputError(f"{path} is damaged: the answer to {step.key} is {shown}; {problem}", hint=fix)
    return answers


def _misfit(step: Step, value: Any) -> str | None:
    """Why a saved answer is not one the step lets through when it is asked; None if it is."""
    wanted = f"it should be {_format_hint(step)}"
    if step.none_ok and value == []:
        return None  # 'none': an explicit empty list
    if step.kind in ("list", "choices", "refs", "catalog"):
        if not isinstance(value, list):
            return wanted
        if any(not item or _CONTROL.search(item) for item in value):
            return wanted + ", each item a text that is not empty and has no control characters"
        if step.kind in ("choices", "refs") and not set(value) <= set(step.choices):
            return wanted
        if step.kind == "catalog" and not all(re.match(CATALOG_REF_PATTERN, ref) for ref in value):
            return wanted + " (saved as catalog:ID)"
    elif step.kind == "yesno":
        if not isinstance(value, bool):
            return wanted
    elif step.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**MAX_INT_DIGITS:
            return wanted + " of at most six digits"
    elif not isinstance(value, str) or clean(value) != value or not 0 < len(value) <= MAX_ANSWER:
        return wanted
    else:
        try:  # one-line answers are saved as read: reading them again gives them back unchanged
            if _PARSERS[step.kind](step, value, _nothing_more) != value:
                return wanted
        except Retry as problem:
            return str(problem)
    return step.check(value) if step.check else None


def _nothing_more(_prompt: str) -> str:
    return ""


def _plain(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | str):
        return True
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def save_state(path: Path, target: Path, answers: Answers) -> None:
    from securable.fileio import write_text_atomic

    data = {"securable-init": STATE_FORMAT, "file": target.name, "answers": answers}
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


# --- a whole session ----------------------------------------------------------------------------


def run(target: Path, *, ask: Ask, say: Say, force: bool = False) -> bool:
    """Ask (or resume), then write ``target``; False when the user stopped early (answers saved)."""
    from securable.inputfile import usable

    usable(target, "file to write")
    usable(state_path(target), "file to write")
    if target.is_dir():
        raise InputError(
            f"{target} is a folder", hint="give the path of the file to write, e.g. securable.yaml"
        )
    if target.exists() and not force:
        raise InputError(f"{target} already exists", hint="add --force to overwrite it, or give another FILE")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {target}: folder {folder} does not exist", hint="create it first")
    state = state_path(target)
    answers = load_state(state)
    if answers:
        say(f"Resuming {target}: {_count(answers)} saved in {state} (delete it to start over).")
    else:
        say(_introduction(target, state))
    try:
        finished = walk(answers, ask, say, lambda a: save_state(state, target, a))
    except (EOFError, KeyboardInterrupt):
        finished = False
        say("")
    if not finished:
        if not answers and not state.exists():  # stopped at the first prompt: save() never ran
            say(
                f"Stopped before the first answer; nothing was saved. Run `securable init {target}` to start."
            )
        else:
            say(f"Stopped. {_count(answers)} saved in {state}; run `securable init {target}` again to go on.")
        return False
    finish(target, answers, say)
    return True


def finish(target: Path, answers: Answers, say: Say) -> None:
    """Write the commented file, check that it loads, remove the state file."""
    from securable.fileio import write_text_atomic
    from securable.product.draft import render_draft

    text, states = render_draft(answers, filename=str(target), base_dir=target.parent)
    write_text_atomic(target, text)
    state_path(target).unlink(missing_ok=True)
    answered = sum(1 for s in states if s.status == "answered")
    still_open = [s.question for s in states if s.status == "open"]
    say(f"\nWrote {target}: {answered} of {len(states)} questions answered, {len(still_open)} open.")
    if still_open:
        say(
            "Fill in the empty fields (each cites its question), or mark questions not_applicable with a "
            f"reason; `securable questions {target} --status open` lists what is left."
        )


def _count(answers: Answers) -> str:
    given = sum(1 for v in answers.values() if v is not None)
    return f"{given} answer{'s' if given != 1 else ''}"


def _introduction(target: Path, state: Path) -> str:
    return "\n".join(
        [
            f"Writing {target}: a description of your device, question by question, in the order of",
            "NISTIR 8259's activities. Each prompt names the question it answers (e.g. Q3.1-4) and shows",
            "the publication's examples. What is not asked here stays open in the file, for you to edit.",
            KEYS + ".",
            f"Every answer is saved in {state} at once; run the same command again to resume.",
        ]
    )
