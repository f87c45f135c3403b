"""Validate OSCAL 1.2.1 JSON documents against NIST's JSON schemas and report every problem found.

The model is taken from the document's one top-level key (``catalog``, ``profile``, ...), its schema is
compiled once per process, and all schema violations are collected, each with a JSON path such as
``$.catalog.groups[3].controls[0].id``. Anything that stops us from getting that far (a missing file,
bytes that are not JSON, a document that is not an OSCAL model) raises :class:`InputError` instead.

The 1.2.1 schemas use ``\\p{L}``/``\\p{N}`` classes in their patterns, which Python's ``re`` rejects.
``jsonschema_rs`` compiles patterns with Rust regex engines that support them; we pick the plain
``regex`` engine (linear time) because no OSCAL pattern needs look-around or back-references, so a
hostile document cannot make validation backtrack for ever.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from securable.errors import InputError, UsageError, ValidationFailed

if TYPE_CHECKING:  # imported lazily at run time: it costs ~40 ms of start-up
    from jsonschema_rs import ValidationError, Validator

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "oscal-schemas"
MAX_BYTES = (
    64 * 1024 * 1024
)  # NIST's full SP 800-53 catalog is ~3 MiB; 64 MiB leaves room without risking memory

# Top-level key of each OSCAL model, and the NIST schema file that defines it.
MODELS: dict[str, str] = {
    "catalog": "oscal_catalog_schema.json",
    "profile": "oscal_profile_schema.json",
    "component-definition": "oscal_component_schema.json",
    "mapping-collection": "oscal_mapping_schema.json",
    "system-security-plan": "oscal_ssp_schema.json",
    "assessment-plan": "oscal_assessment-plan_schema.json",
    "assessment-results": "oscal_assessment-results_schema.json",
    "plan-of-action-and-milestones": "oscal_poam_schema.json",
}
# Short names as used in NIST's schema file names, accepted wherever a model is named by the user.
ALIASES: dict[str, str] = {
    "component": "component-definition",
    "mapping": "mapping-collection",
    "ssp": "system-security-plan",
    "poam": "plan-of-action-and-milestones",
}
_KNOWN = ", ".join(MODELS)
_MAX_SHOWN = 80  # characters of an offending value quoted in a message


@dataclass(frozen=True, slots=True)
class Problem:
    """One schema violation: where in the document (JSON path) and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    model: str
    path: str  # the file name, or the name given to validate_document
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> None:
        """Raise :class:`ValidationFailed` (exit code 1) listing every problem, if there are any."""
        if self.problems:
            count = len(self.problems)
            raise ValidationFailed(
                f"{self.path}: not a valid OSCAL 1.2.1 {self.model} "
                f"({count} problem{'s' if count != 1 else ''})",
                [str(p) for p in self.problems],
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "model": self.model,
            "ok": self.ok,
            "problems": [{"path": p.path, "message": p.message} for p in self.problems],
        }


def resolve_model(name: str) -> str:
    """The model key for a name the user typed (``catalog``, ``ssp``, ``system-security-plan``...)."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in MODELS:
        raise UsageError(f"unknown OSCAL model {name!r}", hint=f"use one of: {_KNOWN}")
    return key


def validate_file(path: Path, model: str | None = None, *, max_bytes: int = MAX_BYTES) -> ValidationReport:
    """Validate one OSCAL JSON file; ``model`` forces the expected model instead of detecting it."""
    doc = parse_json(read_bytes(path, max_bytes), str(path))
    return validate_document(doc, name=str(path), model=model)


def validate_document(doc: object, *, name: str, model: str | None = None) -> ValidationReport:
    """Validate an already parsed document (e.g. one we just exported); ``name`` is used in messages."""
    found = detect_model(doc, location=name)
    if model is not None:
        wanted = resolve_model(model)
        if wanted != found:
            raise InputError(
                f"wrong model type: expected an OSCAL {wanted}, but the document is a {found}",
                hint=f"leave out the model to detect it from the document, or ask for {found!r}",
                location=name,
            )
    try:
        problems = _problems(_validator(found).iter_errors(doc))
    except (ValueError, UnicodeError) as err:  # nesting past the validator's limit, lone surrogates
        raise InputError(
            f"cannot be validated: {err}", hint="is this a real OSCAL document?", location=name
        ) from err
    return ValidationReport(found, name, problems)


def detect_model(doc: object, *, location: str) -> str:
    """The model key of a parsed document: its one top-level key besides ``$schema``."""
    if not isinstance(doc, dict):
        raise InputError(
            f"expected a JSON object with one OSCAL model key, found a JSON {_json_type(doc)}",
            hint=f'an OSCAL document looks like {{"catalog": {{...}}}}; model keys: {_KNOWN}',
            location=location,
        )
    keys = [k for k in doc if k != "$schema"]
    models: list[str] = [k for k in keys if k in MODELS]
    if len(models) > 1:
        raise InputError(
            f"more than one OSCAL model key: {', '.join(models)}",
            hint="an OSCAL document holds exactly one model; split it into one file per model",
            location=location,
        )
    if not models:
        found = ", ".join(repr(k) for k in keys[:10]) or "none"
        raise InputError(
            f"no OSCAL model key at the top level (found: {found})",
            hint=f"expected one of: {_KNOWN}",
            location=location,
        )
    return models[0]


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """An OSCAL JSON file's bytes; InputError when missing, a folder, empty or larger than max_bytes."""
    from securable.jsonread import read

    data = read(path, max_bytes)
    if not data.strip():
        raise InputError(
            "file is empty",
            hint=f"an OSCAL JSON document is an object with one model key: {_KNOWN}",
            location=str(path),
        )
    return data


def parse_json(data: bytes, location: str) -> object:
    """Parse OSCAL JSON bytes with the one strict reader (:mod:`securable.jsonread`)."""
    from securable.jsonread import parse

    hint = (
        "this looks like XML; only OSCAL JSON is supported"
        if data.lstrip()[:1] == b"<"
        else "OSCAL YAML and XML are not supported; give the JSON form"
    )
    return parse(data, location, hint=hint)


@cache
def _validator(model: str) -> Validator:
    import jsonschema_rs

    schema = json.loads((SCHEMA_DIR / MODELS[model]).read_bytes())
    # offline: the schemas are self-contained; a $ref must never trigger a network fetch.
    return jsonschema_rs.Draft7Validator(schema, pattern_options=jsonschema_rs.RegexOptions(), offline=True)


# ---- turning jsonschema_rs errors into problems -------------------------------------------------


def _problems(errors: Iterable[ValidationError]) -> tuple[Problem, ...]:
    leaves = [leaf for error in errors for leaf in _leaves(error)]
    leaves = _without_redundant_formats(leaves)
    leaves.sort(key=lambda e: _sort_key(e.instance_path))
    seen: dict[Problem, None] = {}  # an ordered set: alternatives can report the same leaf twice
    for error in leaves:
        seen.setdefault(Problem(json_path(error.instance_path), _message(error)), None)
    return tuple(seen)


def _leaves(error: ValidationError) -> list[ValidationError]:
    """Replace an anyOf/oneOf failure by the errors of the alternative the author most likely meant.

    OSCAL wraps groups, imports and merges in anyOf; without this, a bad control id deep inside a
    group is reported as "the whole group matches no alternative" with a dump of the group. When no
    alternative stands out, the anyOf error itself is kept and ``_message`` lists the alternatives.
    """
    branches = _branches(error)
    if not branches:
        return [error]
    scores = [_score(branch) for branch in branches]
    best = max(scores)
    return branches[scores.index(best)] if scores.count(best) == 1 else [error]


def _branches(error: ValidationError) -> list[list[ValidationError]]:
    """For an anyOf/oneOf failure, the leaf errors of each alternative; otherwise nothing."""
    import jsonschema_rs

    kinds = jsonschema_rs.ValidationErrorKind
    kind = error.kind
    if not isinstance(kind, kinds.AnyOf | kinds.OneOfNotValid):
        return []
    return [[leaf for sub in branch for leaf in _leaves(sub)] for branch in kind.context if branch]


def _score(branch: list[ValidationError]) -> tuple[int, int]:
    # The alternative that got furthest into the document is the one that was meant; among equals,
    # the one with the fewest complaints.
    return max(len(e.instance_path) for e in branch), -len(branch)


def _without_redundant_formats(errors: list[ValidationError]) -> list[ValidationError]:
    # OSCAL datatypes such as date-time carry both a pattern and a format; one bad value would be
    # reported twice. Keep the pattern error (it has the precise rule) and drop the format twin.
    patterned = {
        (_sort_key(e.instance_path), tuple(map(str, e.schema_path[:-1])))
        for e in errors
        if e.kind.name == "pattern"
    }
    return [
        e
        for e in errors
        if not (
            e.kind.name == "format"
            and (_sort_key(e.instance_path), tuple(map(str, e.schema_path[:-1]))) in patterned
        )
    ]


def _sort_key(path: list[str | int]) -> tuple[tuple[int, int, str], ...]:
    # Array indexes sort numerically (groups[2] before groups[10]); keys sort by name.
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in path)


def json_path(path: Iterable[str | int]) -> str:
    """``$.catalog.groups[3].id``; keys that are not plain words are quoted: ``$['a b']``.

    Hyphens are allowed in the dotted form (``$.catalog.back-matter``) because nearly every OSCAL key
    has one and bracket-quoting them all would make the paths hard to read.
    """
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part and (part[0].isalpha() or part[0] == "_") and all(c.isalnum() or c in "-_" for c in part):
            out.append(f".{part}")
        else:
            out.append("[" + json.dumps(part, ensure_ascii=False).replace("'", "\\'").replace('"', "'") + "]")
    return "".join(out)


# What each OSCAL datatype pattern means, so a message can say it in words instead of quoting a
# 600-character regular expression.
_DATATYPES = {
    "TokenDatatype": "a token: a letter or '_' first, then only letters, digits, '.', '-' or '_'",
    "UUIDDatatype": "a version 4 or 5 UUID",
    "DateTimeWithTimezoneDatatype": "a date and time with a time zone, e.g. 2024-01-31T12:00:00Z",
    "DateDatatype": "a date, e.g. 2024-01-31",
    "StringDatatype": "a non-empty string without leading or trailing whitespace",
    "MarkupLineDatatype": "a single, non-empty line of text",
    "URIDatatype": "an absolute URI with a scheme, e.g. https://example.org/",
    "EmailAddressDatatype": "an email address",
    "Base64Datatype": "base64 text",
    "DecimalDatatype": "a decimal number",
}


def _message(error: ValidationError) -> str:
    import jsonschema_rs

    kinds = jsonschema_rs.ValidationErrorKind
    kind = error.kind
    shown = _show(error.instance)
    if isinstance(kind, kinds.Pattern):
        datatype = next((str(p) for p in reversed(error.schema_path) if str(p).endswith("Datatype")), "")
        if datatype in _DATATYPES:
            return f"{shown} is not {_DATATYPES[datatype]}"
        return f"{shown} does not match the pattern {_clip(kind.pattern, _MAX_SHOWN)}"
    if isinstance(kind, kinds.Required):
        return f"required property {kind.property!r} is missing"
    if isinstance(kind, kinds.Type):
        return f"{shown} is not of type {' or '.join(kind.types)}"
    if isinstance(kind, kinds.Enum):
        return f"{shown} is not one of: {_clip(', '.join(_show(o) for o in kind.options), 200)}"
    if isinstance(kind, kinds.Format):
        return f"{shown} is not a valid {kind.format}"
    if isinstance(kind, kinds.MinItems) and kind.limit == 1:
        return "empty list; OSCAL requires at least one item (leave the property out instead)"
    if isinstance(kind, kinds.AnyOf | kinds.OneOfNotValid):
        firsts = [_message(branch[0]) for branch in _branches(error)]
        listed = "; ".join(f"({n}) {m}" for n, m in enumerate(firsts, 1))
        return _clip(f"fits none of the {len(firsts)} allowed forms: {listed}", 300)
    # The remaining messages are short, but some quote the instance: keep them bounded.
    return _clip(error.message, 300)


def _show(value: object) -> str:
    return _clip(json.dumps(value, ensure_ascii=False), _MAX_SHOWN)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "null" if value is None else type(value).__name__
