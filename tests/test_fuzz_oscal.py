"""Property tests: the OSCAL validator, the JSON reader and the profile resolver on generated input.

Whatever they are given, they give a value or a SecurableError, never another exception. The
examples are derandomised (the same on every run) and bounded; ``SECURABLE_FUZZ_EXAMPLES`` raises
the bound for a longer run (e.g. ``SECURABLE_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_oscal.py``).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from securable.errors import SecurableError
from securable.jsonread import JSONProblem, parse
from securable.oscal.resolution import resolve as resolve_mod
from securable.oscal.resolution.resolve import Resolved, resolve_file
from securable.oscal.validate import ValidationReport, validate_document, validate_file

EXAMPLES = int(os.environ.get("SECURABLE_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
META = {"title": "t", "last-modified": "2024-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.2"}
KEYS = (
    "catalog", "profile", "uuid", "metadata", "title", "controls", "groups", "id", "imports", "href",
    "include-all", "include-controls", "with-ids", "merge", "as-is", "flat", "combine", "method",
    "modify", "alters", "params", "parts", "props", "name", "value", "back-matter", "resources",
)  # fmt: skip


# ---- JSON-ish documents, with duplicate keys possible ----------------------------------------------------


@dataclass(frozen=True)
class Pairs:
    """A JSON object as written: its members in order, a key possibly more than once."""

    members: tuple[tuple[str, Any], ...]


def dump(value: Any) -> str:
    if isinstance(value, Pairs):
        return "{" + ", ".join(f"{json.dumps(k)}: {dump(v)}" for k, v in value.members) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dump(v) for v in value) + "]"
    return json.dumps(value)  # NaN and Infinity come out as the non-JSON literals, on purpose


def plain(value: Any) -> Any:
    """What a lenient parser makes of ``value``: the last of repeated keys wins."""
    if isinstance(value, Pairs):
        return {k: plain(v) for k, v in value.members}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.sampled_from(["1e309", "-1e400"]).map(float)
    | st.text(max_size=12)
    | st.sampled_from(
        ["c-1", "c-2", "#00000000-0000-4000-8000-000000000000", "p.json", "2024-01-01T00:00:00Z"]
    )
)
keys = st.sampled_from(KEYS) | st.text(max_size=6)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(st.tuples(keys, inner), max_size=5).map(lambda m: Pairs(tuple(m)))
    ),
    max_leaves=40,
)
documents = values | st.tuples(st.sampled_from(["catalog", "profile", "component-definition"]), values).map(
    lambda kv: Pairs(((kv[0], kv[1]),))
)


def texts() -> st.SearchStrategy[bytes]:
    written = documents.map(lambda d: dump(d).encode())
    cut = st.tuples(written, st.integers(min_value=0, max_value=400)).map(lambda t: t[0][: t[1]])
    return written | cut | st.binary(max_size=60)


@FUZZ
@given(texts())
def test_the_reader_gives_a_value_or_a_placed_refusal(data: bytes) -> None:
    try:
        value = parse(data, "doc.json")
    except JSONProblem as err:
        refused = err
    else:
        # What is accepted is exactly what a lenient parser reads, and nothing it would read wrongly.
        assert value == json.loads(data)
        return
    assert str(refused.location).startswith("doc.json")


@FUZZ
@given(documents)
def test_duplicates_and_non_numbers_are_always_refused(doc: Any) -> None:
    text = dump(doc)
    try:
        parse(text.encode(), "doc.json")
    except JSONProblem:
        return
    assert not _has_duplicates(doc)
    assert "NaN" not in text
    assert "Infinity" not in text


def _has_duplicates(value: Any) -> bool:
    if isinstance(value, Pairs):
        names = [k for k, _ in value.members]
        return len(set(names)) != len(names) or any(_has_duplicates(v) for _, v in value.members)
    if isinstance(value, list):
        return any(_has_duplicates(v) for v in value)
    return isinstance(value, float) and not math.isfinite(value)


@FUZZ
@given(texts())
def test_the_validator_gives_a_report_or_an_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.json"
        path.write_bytes(data)
        try:
            report = validate_file(path)
        except SecurableError:
            return
        assert isinstance(report, ValidationReport)


@FUZZ
@given(documents)
def test_validating_a_parsed_document_gives_a_report_or_an_error(doc: Any) -> None:
    try:
        report = validate_document(plain(doc), name="doc.json")
    except SecurableError:
        return
    assert isinstance(report, ValidationReport)


# ---- random import graphs --------------------------------------------------------------------------------

CATALOG = {
    "catalog": {
        "uuid": "00000000-0000-4000-8000-000000000000",
        "metadata": META,
        "controls": [
            {"id": "c-1", "title": "C1", "controls": [{"id": "c-1.1", "title": "C1.1"}]},
            {"id": "c-2", "title": "C2"},
        ],
    }
}

targets = st.one_of(
    st.just("cat.json"),
    st.integers(min_value=0, max_value=5).map(lambda n: f"p{n}.json"),  # self, cycles, diamonds
    st.sampled_from(["missing.json", "#00000000-0000-4000-8000-0000000000ff", "", None, "cat.xml"]),
)
selections = st.sampled_from(
    [
        {"include-all": {}},
        {"include-controls": [{"with-ids": ["c-1"]}]},
        {"include-controls": [{"with-ids": ["c-1"], "with-child-controls": "yes"}]},
        {"include-controls": [{"matching": [{"pattern": "c-*"}]}]},
        {"include-controls": [{"with-ids": ["zz-9"]}]},
        {"include-all": {}, "exclude-controls": [{"with-ids": ["c-2"]}]},
    ]
)
merges: st.SearchStrategy[dict[str, Any] | None] = st.sampled_from(
    [
        None,
        {"flat": {}},
        {"as-is": True},
        {"as-is": True, "combine": {"method": "merge"}},
        {"flat": {}, "combine": {"method": "use-first"}},
        {"flat": {}, "combine": {"method": "bogus"}},
    ]
)
imports = st.lists(st.tuples(targets, selections), min_size=0, max_size=3)
graphs = st.lists(st.tuples(imports, merges), min_size=1, max_size=6)


def _profile(n: int, wanted: list[tuple[str | None, dict[str, Any]]], merge: dict[str, Any] | None) -> Any:
    body: dict[str, Any] = {"uuid": f"00000000-0000-4000-8000-{n + 1:012d}", "metadata": META}
    body["imports"] = [({"href": href} if href is not None else {}) | chosen for href, chosen in wanted]
    if merge is not None:
        body["merge"] = merge
    return {"profile": body}


def _resolve(folder: Path, top: Path) -> Resolved | None:
    try:
        result = resolve_file(top)
    except SecurableError:
        return None
    assert isinstance(result, Resolved)
    assert set(result.selected) <= {"c-1", "c-1.1", "c-2"}
    assert all(Path(s).resolve().parent == folder.resolve() for s in result.sources)
    return result


@FUZZ
@given(graphs)
def test_any_import_graph_resolves_or_is_refused(graph: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "cat.json").write_text(json.dumps(CATALOG), "utf-8")
        for n, (wanted, merge) in enumerate(graph):
            (folder / f"p{n}.json").write_text(json.dumps(_profile(n, wanted, merge)), "utf-8")
        _resolve(folder, folder / "p0.json")


@FUZZ
@given(st.integers(min_value=1, max_value=40), st.integers(min_value=1, max_value=3), st.booleans())
def test_long_chains_and_wide_diamonds_stay_bounded(length: int, width: int, loop: bool) -> None:
    # Profile i imports profile i+1 `width` times; the last imports the catalog, or the first (a loop).
    with tempfile.TemporaryDirectory() as name, mock.patch.object(resolve_mod, "MAX_IMPORT_DEPTH", 25):
        folder = Path(name)
        (folder / "cat.json").write_text(json.dumps(CATALOG), "utf-8")
        for n in range(length):
            nxt = f"p{n + 1}.json" if n + 1 < length else ("p0.json" if loop else "cat.json")
            wanted: list[tuple[str | None, dict[str, Any]]] = [(nxt, {"include-all": {}})] * width
            merge = {"flat": {}, "combine": {"method": "use-first"}}
            (folder / f"p{n}.json").write_text(json.dumps(_profile(n, wanted, merge)), "utf-8")
        result = _resolve(folder, folder / "p0.json")
        if loop or length > 25:
            assert result is None
        else:
            assert result is not None
            assert len(result.sources) == length + 1
