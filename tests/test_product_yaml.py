"""The YAML layer on its own: hostile input is refused early, plain scalars follow YAML 1.2 core.

Every test runs with libyaml (PyYAML's C parser, the one used where PyYAML ships it) and with
PyYAML's Python parser (the fallback where it does not), which must behave the same.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml

from hostile import SHAPES, SIZES, finishes
from securable.errors import InputError
from securable.product.yamlsource import MAX_BYTES, MAX_DEPTH, SourceDoc, read_yaml

FILE = "securable.yaml"


@pytest.fixture(autouse=True, params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "libyaml" and not yaml.__with_libyaml__:
        pytest.skip("PyYAML was built without libyaml here")
    if request.param == "python":
        monkeypatch.setattr(yaml, "__with_libyaml__", False)
    return str(request.param)


def read(text: str) -> SourceDoc:
    return read_yaml(text, FILE)


def refused(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        read(text)
    return caught.value


def value(scalar: str) -> Any:
    return read(f"x: {scalar}\n").data["x"]


# --- hostile input ------------------------------------------------------------------------------------


def billion_laughs(levels: int = 10) -> str:
    """Ten aliases of ten aliases ... of "lol": 10**levels strings once expanded."""
    lines = ['lol0: &lol0 "lol"']
    lines += [f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_at_the_first_anchor_without_expanding_anything() -> None:
    # Refused at the first anchor (1:7), so nothing was expanded: expanding would take gigabytes.
    err = refused(billion_laughs())
    assert err.location == f"{FILE}:1:7"
    assert "anchors and aliases" in err.message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: &x 1\n", "1:4"),  # an anchor that is never used
        ("a: *x\n", "1:4"),  # an alias of nothing
        ("a: [1, &x {b: 1}]\n", "1:8"),
        ("&x a: 1\n", "1:1"),  # on a key
        ("a:\n  b: 1\n  b: &x [1]\n", "3:6"),  # in the value of a duplicate key, which is otherwise skipped
        ("? [a, &x b]\n: 1\n", "1:7"),  # inside a key that is not text
    ],
)
def test_anchors_and_aliases_are_refused_wherever_they_are(text: str, where: str) -> None:
    err = refused(text)
    assert err.location == f"{FILE}:{where}"
    assert err.message == "YAML anchors and aliases (&name, *name) are not allowed"
    assert err.hint == "write the values out in full"


@pytest.mark.parametrize(
    ("scalar", "shown"),
    [
        ("!!python/object/apply:os.system ['echo owned']", "!!python/object/apply:os.system"),
        ("!!python/object:collections.OrderedDict {}", "!!python/object:collections.OrderedDict"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!custom {a: 1}", "!custom"),
        ("!!binary aGk=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!<tag:example.com,2025:thing> x", "tag:example.com,2025:thing"),
        ("!!value =", "!!value"),
    ],
)
def test_tags_other_than_the_core_ones_are_refused(scalar: str, shown: str) -> None:
    err = refused(f"securable: 1\nx: {scalar}\n")
    assert err.location == f"{FILE}:2:4"
    assert err.message == f"the YAML tag {shown} is not allowed"


def test_core_tags_written_out_are_allowed() -> None:
    data = read(
        "a: !!str 12\nb: !!int '12'\nc: !!float 1\nd: !!bool yes\ne: !!null x\nf: !!map {k: v}\n"
    ).data
    assert data == {"a": "12", "b": 12, "c": 1.0, "d": True, "e": None, "f": {"k": "v"}}
    assert read("g: !!timestamp 2025-01-01\n").data == {"g": "2025-01-01"}


@pytest.mark.parametrize("scalar", ["!!int x", "!!bool maybe", "!!float x", "!!map x", "9" * 5000])
def test_values_that_cannot_be_built_are_refused(scalar: str) -> None:
    err = refused(f"x: {scalar}\n")
    assert err.message.startswith("cannot read the value")
    assert err.hint == "quote it"
    assert err.location == f"{FILE}:1:4"


@pytest.mark.parametrize("text", ["<<: {a: 1}\n", "x:\n  <<: {a: 1}\n", "x: {<<: [a]}\n", "x: !!merge <<\n"])
def test_merge_keys_are_refused(text: str) -> None:
    assert refused(text).message == "YAML merge keys (<<) are not allowed"


def test_a_quoted_merge_key_is_plain_text() -> None:
    assert read("'<<': 1\n").data == {"<<": 1}


def test_nesting_up_to_the_limit_is_read_and_deeper_is_refused() -> None:
    nested = read("x: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n").data["x"]
    for _ in range(MAX_DEPTH - 1):
        nested = nested[0]
    assert nested == []
    err = refused("x: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n")
    assert err.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert err.location == f"{FILE}:1:{3 + MAX_DEPTH + 1}"
    block = "".join("  " * depth + f"k{depth}:\n" for depth in range(MAX_DEPTH + 5))
    assert refused(block).location == f"{FILE}:{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}"


def test_very_deep_nesting_is_refused_quickly() -> None:
    # libyaml refuses 1,000 levels itself before our reader sees level 65: that must not lead to a
    # second, slow, parse; reading stops at level 65 of 500,000 whatever the parser.
    err = finishes(lambda: refused("x: " + "[" * 500_000 + "]" * 500_000 + "\n"))
    assert err.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert err.location == f"{FILE}:1:{3 + MAX_DEPTH + 1}"  # the same place as at 65 levels


@pytest.mark.parametrize("shape", list(SHAPES))
def test_deep_nesting_of_any_shape_and_size_is_refused_at_our_limit(shape: str) -> None:
    places: set[str] = set()
    for size in SIZES:
        text = SHAPES[shape](size)
        assert size - 4096 < len(text.encode()) <= MAX_BYTES  # as big as asked, within the cap
        err = finishes(lambda text=text: refused(text))  # type: ignore[misc]
        assert err.message == f"nesting deeper than {MAX_DEPTH} levels"
        assert err.hint == "flatten the structure"
        assert err.location is not None
        places.add(err.location)
    assert len(places) == 1, places  # the place depends on the first levels, not on the size
    line, column = map(int, places.pop().removeprefix(f"{FILE}:").split(":"))
    lines = SHAPES[shape](SIZES[0]).split("\n")
    assert line <= MAX_DEPTH + 2
    assert column <= len(lines[line - 1]) + 1


def test_the_place_of_deep_nesting_skips_quotes_and_comments() -> None:
    head = "a: \"[[[[ not ]] nesting\"  # [[[[\nb: [it's, '[', \"]\", '['']', "
    shallow = refused(head + "[" * 100)  # our reader finds the place, whatever the parser
    deep = finishes(lambda: refused(head + "[" * 5000))  # here libyaml stops first, at 1,000
    assert deep.message == shallow.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert deep.location == shallow.location


def test_a_syntax_error_at_the_end_of_a_big_file_is_reported_at_once() -> None:
    # An eighth of the cap: PyYAML's Python parser reads tens of KB a second, libyaml far more.
    text = "items:\n" + "  - [a, 'b', {c: d}]\n" * (MAX_BYTES // 8 // 21) + "\tbad: tab\n"
    err = finishes(lambda: refused(text))
    assert err.message.startswith("malformed YAML: ")
    assert err.location == f"{FILE}:{text.count(chr(10))}:1"
    assert err.hint == "indent with spaces, not tabs"


def test_one_document_only() -> None:
    err = refused("securable: 1\n---\nsecurable: 1\n")
    assert (err.message, err.location) == ("more than one YAML document", f"{FILE}:2:1")
    assert refused("a: 1\n---\n").message == "more than one YAML document"
    assert read("---\na: 1\n...\n").data == {"a": 1}
    assert refused("# nothing\n").message == "the file holds no YAML document"


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        ("securable: 1\nproduct:\n  name: Cam: 2\n", "3:12", "quote text that contains"),
        ("securable: 1\nproduct:\n\tname: x\n", "3:1", "indent with spaces, not tabs"),
        ("securable: 1\nproduct:\n  name: Café\x00\n", "3:13", "remove the control character"),
        ("name: \ud800\n", "1:7", "remove the control character"),
        ("a: [1, 2\n", "2:1", "check the indentation"),
    ],
)
def test_syntax_errors_point_at_the_place(text: str, where: str, hint: str) -> None:
    err = refused(text)
    assert err.message.startswith("malformed YAML: ")
    assert err.location == f"{FILE}:{where}"
    assert err.hint is not None
    assert hint in err.hint


def test_control_character_in_a_later_line_after_non_ascii_text() -> None:
    err = refused("name: Caméra für Zuhause\nmodel: x\x07y\n")
    assert err.location == f"{FILE}:2:9"


# --- YAML 1.2 core schema -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scalar", "expected"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("NO", "NO"),  # Norway stays Norway
        ("on", "on"),
        ("Off", "Off"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("tRue", "tRue"),
        ("null", None),
        ("~", None),
        ("", None),
        ("'null'", "null"),
        ("12", 12),
        ("-12", -12),
        ("0755", 755),  # not octal in YAML 1.2
        ("0o17", 15),
        ("0x1F", 31),
        ("0b101", 5),
        ("1_000", 1000),
        ("'12'", "12"),
        ("1:30", "1:30"),  # not sexagesimal in YAML 1.2
        ("12:30:00", "12:30:00"),
        ("2.10", 2.1),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("-.inf", -math.inf),
        ("2025-01-31", "2025-01-31"),  # dates stay text
        ("2025-01-31T10:00:00Z", "2025-01-31T10:00:00Z"),
        ("1.2.3", "1.2.3"),
        ("=", "="),
        ("Caméra", "Caméra"),
    ],
)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(scalar: str, expected: object) -> None:
    assert type(value(scalar)) is type(expected)
    assert value(scalar) == expected


def test_nan_is_a_float() -> None:
    assert math.isnan(value(".nan"))


def test_scalars_are_kept_as_written() -> None:
    doc = read("product:\n  version: 2.10\n  tags: [1.10, '007', yes]\n")
    assert doc.data["product"]["version"] == 2.1
    assert doc.texts[("product", "version")] == "2.10"
    assert doc.texts[("product", "tags", 0)] == "1.10"
    assert doc.texts[("product", "tags", 1)] == "007"


# --- places and problems ----------------------------------------------------------------------------------


def test_every_value_and_key_has_its_place() -> None:
    doc = read("a:\n  b: x\n  c:\n    - 1\n    - {d: é}\nnote:\n")
    assert doc.values[()] == (1, 1)
    assert doc.values[("a",)] == (2, 3)
    assert doc.values[("a", "b")] == (2, 6)
    assert doc.keys[("a", "b")] == (2, 3)
    assert doc.values[("a", "c", 0)] == (4, 7)
    assert doc.values[("a", "c", 1, "d")] == (5, 11)
    assert doc.values[("note",)] == (6, 1)  # an empty value: the place of its key
    assert doc.at(("a", "c", 7, "missing")) == (4, 5)  # the nearest enclosing value: the list
    assert doc.at(("a", "b"), key=True) == (2, 3)


def test_columns_count_characters_not_bytes() -> None:
    doc = read("ünïcödé: [ä, ß]\n")
    assert doc.values[("ünïcödé", 1)] == (1, 14)


def test_duplicate_and_non_text_keys_are_problems_with_places() -> None:
    doc = read("a: 1\n1: x\na: 2\nb:\n  c: 1\n  c: {c: 1, c: 2}\n")
    assert doc.data == {"a": 1, "b": {"c": 1}}
    assert [(p.line, p.column, p.text) for p in doc.problems] == [
        (2, 1, "keys must be plain text; write the key as a word, e.g. name"),
        (3, 1, "a: duplicate key 'a' (first given at line 1); keep only one of them"),
        (6, 3, "b.c: duplicate key 'c' (first given at line 5); keep only one of them"),
    ]
    assert ("b", "c", "c") not in doc.values  # nothing of a skipped value is kept
