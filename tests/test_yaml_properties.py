"""Properties of the YAML reader over generated input: it returns, or refuses with a SecurableError.

Never anything else (no RecursionError, no MemoryError, no error of PyYAML's escaping, no hang), with
libyaml and with PyYAML's Python parser. `make test` runs a fixed, bounded set of examples; `make
fuzz` runs many fresh ones (profiles in tests/conftest.py).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from securable.assess.profiles import load_profile
from securable.errors import SecurableError
from securable.product import load_document
from securable.product.yamlsource import MAX_DEPTH, SourceDoc, read_yaml

FILE = "fuzz.yaml"
PARSERS = ("libyaml", "python") if yaml.__with_libyaml__ else ("python",)

# Pieces of YAML syntax, so that generated text reaches the parser's corners more often than
# random characters do.
TOKENS = [
    *"[]{},:-?#&*!|>'\"%@`\t\n ",
    "\n  ",
    "a",
    "key: ",
    "- ",
    "? ",
    "x",
    "1",
    "0x1F",
    "1.5e3",
    "true",
    "null",
    "~",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "!!str ",
    "!!python/object ",
    "!tag ",
    "<<: ",
    "|\n  ",
    ">-\n ",
    "'it''s'",
    '"\\u00e9\\n"',
    "# comment\n",
    "\ufeff",
    "\x00",
    "\x85",
    "\ud800",
    "é",
]


@contextmanager
def parser(name: str) -> Iterator[None]:
    """PyYAML's Python parser for ``python``, libyaml for ``libyaml`` (see tests/test_product_yaml.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml, "__with_libyaml__", name == "libyaml")
        yield


def returns_or_refuses(read: Callable[[], object]) -> SecurableError | None:
    """None if ``read()`` returned; the SecurableError it raised otherwise (anything else fails)."""
    try:
        read()
    except SecurableError as err:
        refusal = err
    else:
        return None
    assert refusal.message  # a refusal says what is wrong
    return refusal


def read_with_every_parser(text: str) -> None:
    for name in PARSERS:
        with parser(name):
            err = returns_or_refuses(lambda: read_yaml(text, FILE))
        if err is not None and err.location is not None:
            assert err.location.startswith(FILE)


@given(st.text())
def test_any_text(text: str) -> None:
    read_with_every_parser(text)


@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
def test_text_made_of_yaml_syntax(text: str) -> None:
    read_with_every_parser(text)


@given(
    st.lists(st.sampled_from(TOKENS), max_size=30).map("".join),
    st.sampled_from(["[", "{", "{a: ", "[{", "- ", "[\n"]),
    st.integers(0, 3000),
    st.lists(st.sampled_from(TOKENS), max_size=30).map("".join),
)
def test_deep_nesting_after_any_prefix(head: str, unit: str, depth: int, tail: str) -> None:
    read_with_every_parser(head + unit * depth + tail)


@given(st.binary(max_size=2000))
def test_any_bytes_as_a_product_or_a_profile(raw: bytes) -> None:
    # Paths that do not exist: the bytes are given, so nothing is read from disk (and no SBOM looked up).
    returns_or_refuses(lambda: load_document(Path("fuzz-product.yaml"), raw))
    returns_or_refuses(lambda: load_profile(Path("fuzz-profile.yaml"), raw))


# Values whose YAML 1.1 form (what PyYAML writes) reads back the same under YAML 1.2's core schema
# (what Securable reads): words of letters and spaces are quoted by the writer when they could be
# taken for anything else; floats are left out because NaN is not equal to itself.
WORDS = st.text(alphabet=string.ascii_letters + " ", max_size=12)
KEYS = st.text(alphabet=string.ascii_letters, min_size=1, max_size=8)
SCALARS = st.none() | st.booleans() | st.integers() | WORDS
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=30,
)


def wrapped(value: Any, wrappers: list[str]) -> Any:
    for kind in wrappers:
        value = [value] if kind == "list" else {"k": value}
    return value


def deepest(value: Any, depth: int = 0) -> int:
    """The depth of the deepest node, the root's being 0 (a mapping's keys are one below it)."""
    children = list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else []
    return max((deepest(child, depth + 1) for child in children), default=depth)


@given(
    VALUES,
    st.lists(st.sampled_from(["list", "mapping"]), max_size=MAX_DEPTH + 10),
    st.sampled_from([True, False, None]),
)
def test_nested_structures_read_back_or_are_refused_as_too_deep(
    value: Any, wrappers: list[str], flow: bool | None
) -> None:
    data = wrapped(value, wrappers)
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    for name in PARSERS:
        with parser(name):
            if deepest(data) <= MAX_DEPTH:
                doc: SourceDoc = read_yaml(text, FILE)
                assert doc.data == data
            else:
                err = returns_or_refuses(lambda: read_yaml(text, FILE))
                assert err is not None
                assert err.message == f"nesting deeper than {MAX_DEPTH} levels"
