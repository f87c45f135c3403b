"""Hostile inputs for ``tests/test_hostile_corpus.py``, made at test time from a good input.

Every kind is a function ``make(where, name, good, cap) -> str``: it puts a hostile version of the
file ``name`` (whose well-formed content is ``good``) in the folder ``where`` and returns the path to
give on the command line, relative to ``where`` (the test runs the CLI there). ``cap`` is the size
limit the command documents for that input; the "huge" kind is one byte over it, written sparse so
that nothing big is ever stored.

Three groups: *content* kinds change the bytes (empty, garbage, bad encodings, deep nesting,
duplicate keys, numbers no float holds, escape sequences and markup in text fields, hostile URLs);
*path* kinds change what the path is (a symlink loop, a FIFO, a device, a folder, a name too long
for the file system, a name that starts with ``-`` or is not UTF-8); *output* kinds are for the
paths a command writes to (keygen): what already stands there.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

Make = Callable[[Path, str, bytes, int], str]

# Terminal control (clear screen, set window title, carriage return, backspaces) and markup that a
# Markdown or HTML report would render if it were written raw. A run of text, no newline, so it
# stays valid in single-line fields (OSCAL titles, YAML plain scalars once quoted).
PAYLOAD = (
    "\x1b[2J\x1b]0;pwned\x07 \r\x08\x08 <script>alert(1)</script> <img src=x onerror=alert(1)> "
    "[click](javascript:alert(1)) **bold** | cell | `code`"
)
HOSTILE_URLS = {
    "url-ipv6": "https://[::1",
    "url-c0": "https://a\x1cb",
    "url-javascript": "javascript:alert(1)",
}
DEEP = 300_000  # levels: far past Python's recursion limit and any parser's stack
SHALLOW_DEEP = 100  # levels: past the YAML reader's documented depth limit (64), not past Python's


# --- helpers --------------------------------------------------------------------------------------


def _put(where: Path, name: str, data: bytes) -> str:
    (where / name).write_bytes(data)
    return name


def _after_first_line(good: bytes, insert: bytes) -> bytes:
    """``good`` with ``insert`` placed where its second line starts (mid-document, not at byte 0)."""
    cut = good.find(b"\n") + 1 or min(len(good), 16)
    return good[:cut] + insert + good[cut:]


def _is_json(good: bytes) -> bool:
    return good.lstrip()[:1] in (b"{", b"[")


def _first_string(doc: Any, keys: tuple[str, ...]) -> tuple[Any, str] | None:
    """The (container, key) of the first string value under one of ``keys``, depth first."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key in keys and isinstance(value, str):
                return doc, key
        children = list(doc.values())
    elif isinstance(doc, list):
        children = doc
    else:
        return None
    for child in children:
        found = _first_string(child, keys)
        if found:
            return found
    return None


# Keys whose values are free text in the JSON formats read (OSCAL markup, VEX details, SBOM
# descriptions, saved answers): the payload is appended there, so the file stays schema-valid. An
# OSCAL "name" is a token, so names are free text only in SBOM components (they have a bom-ref).
TEXT_KEYS = ("title", "description", "prose", "remarks", "detail", "product.name")


def _inject_json(doc: Any) -> Any:
    if isinstance(doc, dict):
        keys = (*TEXT_KEYS, "name") if "bom-ref" in doc else TEXT_KEYS
        return {
            k: (f"{v} {PAYLOAD}" if k in keys and isinstance(v, str) and v else _inject_json(v))
            for k, v in doc.items()
        }
    if isinstance(doc, list):
        return [_inject_json(v) for v in doc]
    return doc


# Where a product description names a place or a document (plain text or a URI): the schema
# refuses control characters there, so the payload would make the file invalid, not hostile.
ADDRESS_KEYS = frozenset({"location", "address", "reference"})


def _inject_yaml(doc: Any, key: str = "") -> Any:
    # Free text in a product description or profile has spaces; IDs, enum values, URLs and e-mail
    # addresses do not, so they stay valid. Names are free text even when they are one word.
    if isinstance(doc, dict):
        return {k: v if k in ADDRESS_KEYS else _inject_yaml(v, str(k)) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_inject_yaml(v, key) for v in doc]
    if isinstance(doc, str) and (" " in doc or key in ("name", "title", "manufacturer", "model")):
        return f"{doc} {PAYLOAD}"
    return doc


def _yaml_replace_value(good: bytes, key: str, value: str) -> bytes:
    """``good`` YAML with the first ``key:`` line's value replaced by a double-quoted ``value``."""
    text = good.decode("utf-8")
    pattern = re.compile(rf"^(\s*){re.escape(key)}:[^\n]*$", re.MULTILINE)
    match = pattern.search(text)
    assert match, f"no {key}: line to replace"
    line = f"{match.group(1)}{key}: {value}"
    return (text[: match.start()] + line + text[match.end() :]).encode("utf-8")


def _yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar that spells control characters as escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# --- content kinds ----------------------------------------------------------------------------


def valid(where: Path, name: str, good: bytes, cap: int) -> str:
    """The good input itself: the control case, so a broken harness cannot pass as refusals."""
    return _put(where, name, good)


def empty(where: Path, name: str, good: bytes, cap: int) -> str:
    return _put(where, name, b"")


def binary(where: Path, name: str, good: bytes, cap: int) -> str:
    return _put(where, name, random.Random(8259).randbytes(4096))


def nul(where: Path, name: str, good: bytes, cap: int) -> str:
    return _put(where, name, _after_first_line(good, b"\x00\x00\x00"))


def invalid_utf8(where: Path, name: str, good: bytes, cap: int) -> str:
    return _put(where, name, _after_first_line(good, b"\xff\xfe\xc3\x28"))


def utf16_bom(where: Path, name: str, good: bytes, cap: int) -> str:
    return _put(where, name, good.decode("utf-8").encode("utf-16"))  # BOM first, as Windows saves


def huge(where: Path, name: str, good: bytes, cap: int) -> str:
    """One byte over the documented cap: the good start, then a sparse hole (reads as NUL bytes)."""
    with (where / name).open("wb") as handle:
        handle.write(good[: min(len(good), 4096)])
        handle.truncate(cap + 1)
    return name


def surrogate(where: Path, name: str, good: bytes, cap: int) -> str:
    """A lone UTF-16 surrogate, written as an escape (the only way it fits in UTF-8 text)."""
    if _is_json(good):
        doc = json.loads(good)
        found = _first_string(doc, TEXT_KEYS)
        assert found, f"{name}: no text field to put a surrogate in"
        container, key = found
        container[key] = "SURROGATE-HERE"
        text = json.dumps(doc, indent=1).replace("SURROGATE-HERE", "bad \\ud800 text")
        return _put(where, name, text.encode("utf-8"))
    key = "name" if re.search(rb"^\s+name:", good, re.MULTILINE) else "title"
    return _put(where, name, _yaml_replace_value(good, key, '"bad \\ud800 text"'))


def json_deep_array(where: Path, name: str, good: bytes, cap: int) -> str:
    return _put(where, name, b"[" * DEEP + b"]" * DEEP)


def json_deep_object(where: Path, name: str, good: bytes, cap: int) -> str:
    return _put(where, name, b'{"a":' * DEEP + b"1" + b"}" * DEEP)


def yaml_flow_100(where: Path, name: str, good: bytes, cap: int) -> str:
    return _put(where, name, b"securable: " + b"[" * SHALLOW_DEEP + b"]" * SHALLOW_DEEP + b"\n")


def yaml_flow_300k(where: Path, name: str, good: bytes, cap: int) -> str:
    return _put(where, name, b"[" * DEEP + b"]" * DEEP + b"\n")


def yaml_block_300k(where: Path, name: str, good: bytes, cap: int) -> str:
    # "- - - x" nests block sequences on one line: two bytes a level, no indentation to pay for.
    return _put(where, name, b"- " * DEEP + b"x\n")


def dup_keys(where: Path, name: str, good: bytes, cap: int) -> str:
    """The first top-level member twice (the JSON and YAML readers must not silently keep one)."""
    if _is_json(good):
        doc = json.loads(good)
        first = next(iter(doc))
        head = json.dumps({first: doc[first]})[:-1]  # '{"key": value' without the closing brace
        rest = good.lstrip()[1:]
        return _put(where, name, head.encode("utf-8") + b", " + rest)
    match = re.search(rb"^[A-Za-z_-]+:[ \t]*\S[^\n]*\n", good, re.MULTILINE)
    assert match, f"{name}: no top-level scalar to duplicate"
    return _put(where, name, good[: match.end()] + match.group(0) + good[match.end() :])


def _json_number(literal: str) -> Make:
    def make(where: Path, name: str, good: bytes, cap: int) -> str:
        # A member added to the top-level object: every reader parses the whole document first.
        body = good.rstrip()
        assert body.endswith(b"}"), f"{name}: not a JSON object"
        return _put(where, name, body[:-1] + b', "x-number": ' + literal.encode() + b"}\n")

    return make


def _yaml_number(literal: str) -> Make:
    def make(where: Path, name: str, good: bytes, cap: int) -> str:
        # Product files have whole-number fields (years); profiles only the format version.
        key = "min" if re.search(rb"\{min: \d+", good) else "securable-profile"
        if key == "min":
            text = re.sub(rb"\{min: \d+", b"{min: " + literal.encode(), good, count=1)
            return _put(where, name, text)
        return _put(where, name, _yaml_replace_value(good, key, literal))

    return make


def injection(where: Path, name: str, good: bytes, cap: int) -> str:
    """Terminal escapes and Markdown/HTML in every free-text field; the file stays valid."""
    if _is_json(good):
        text = json.dumps(_inject_json(json.loads(good)), indent=1)  # control characters escaped
        return _put(where, name, text.encode("utf-8"))
    import yaml

    doc = yaml.safe_load(good)
    out = yaml.safe_dump(_inject_yaml(doc), sort_keys=False, allow_unicode=False, width=10_000)
    return _put(where, name, out.encode("utf-8"))


def _url(url: str) -> Make:
    def make(where: Path, name: str, good: bytes, cap: int) -> str:
        return _put(where, name, _yaml_replace_value(good, "documentation_url", _yaml_quote(url)))

    return make


def pem_swapped(where: Path, name: str, good: bytes, cap: int) -> str:
    """The other half of the key pair: a private key where a public one belongs, and back."""
    other = "public.pem" if b"PRIVATE" in good else "private.pem"
    return _put(where, name, (where / other).read_bytes())


# --- path kinds -------------------------------------------------------------------------------


def symlink_loop(where: Path, name: str, good: bytes, cap: int) -> str:
    base = Path(name).name  # link targets are relative to the link's own folder
    (where / name).symlink_to(f"{base}.loop")
    (where / f"{name}.loop").symlink_to(base)
    return name


def dangling(where: Path, name: str, good: bytes, cap: int) -> str:
    (where / name).symlink_to("no-such-target")
    return name


def fifo(where: Path, name: str, good: bytes, cap: int) -> str:
    os.mkfifo(where / name)  # nobody ever writes: a reader that opens it blocks forever
    return name


def dev_zero(where: Path, name: str, good: bytes, cap: int) -> str:
    return "/dev/zero"


def dev_null(where: Path, name: str, good: bytes, cap: int) -> str:
    return "/dev/null"


def folder(where: Path, name: str, good: bytes, cap: int) -> str:
    (where / name).mkdir()
    return name


def long_component(where: Path, name: str, good: bytes, cap: int) -> str:
    return "L" * 300 + name  # one component over NAME_MAX (255 bytes): ENAMETOOLONG


def long_path(where: Path, name: str, good: bytes, cap: int) -> str:
    return ("d" * 200 + "/") * 25 + name  # 5,000 bytes, over PATH_MAX (4,096): ENAMETOOLONG


def unreadable(where: Path, name: str, good: bytes, cap: int) -> str:
    (where / name).write_bytes(good)
    (where / name).chmod(0)
    return name


def dash(where: Path, name: str, good: bytes, cap: int) -> str:
    """A good file whose name starts with ``-`` (given after ``--`` or as an option's value)."""
    return _put(where, "-" + name, good)


def name_not_utf8(where: Path, name: str, good: bytes, cap: int) -> str:
    """A good file whose name is not UTF-8 (legal on Linux; Python spells it with surrogates)."""
    return _put(where, os.fsdecode(b"bad\xff-" + name.encode()), good)


# --- output kinds (a path a command writes to) ------------------------------------------------


def fresh(where: Path, name: str, good: bytes, cap: int) -> str:
    """Nothing there yet: the control case for outputs."""
    return name


def existing(where: Path, name: str, good: bytes, cap: int) -> str:
    return _put(where, name, b"precious\n")


def symlink_to_input(where: Path, name: str, good: bytes, cap: int) -> str:
    """A symlink to another file of the user's: writing through it would destroy that file."""
    (where / "precious.txt").write_bytes(b"precious\n")
    (where / name).symlink_to("precious.txt")
    return name


def dash_output(where: Path, name: str, good: bytes, cap: int) -> str:
    return "-" + name


def output_not_utf8(where: Path, name: str, good: bytes, cap: int) -> str:
    return os.fsdecode(b"bad\xff-" + name.encode())


CONTENT: dict[str, Make] = {
    "valid": valid,
    "empty": empty,
    "binary": binary,
    "nul": nul,
    "invalid-utf8": invalid_utf8,
    "utf16-bom": utf16_bom,
    "surrogate": surrogate,
    "huge": huge,
    "json-deep-array": json_deep_array,
    "json-deep-object": json_deep_object,
    "yaml-flow-100": yaml_flow_100,
    "yaml-flow-300k": yaml_flow_300k,
    "yaml-block-300k": yaml_block_300k,
    "dup-keys": dup_keys,
    "num-1e309": _json_number("1e309"),
    "num-400-digits": _json_number("1" * 400),
    "num-5000-digits": _json_number("1" * 5000),  # past Python's int-from-string limit (4,300)
    "num-nan": _json_number("NaN"),
    "yaml-1e309": _yaml_number("1.0e309"),
    "yaml-400-digits": _yaml_number("1" * 400),
    "yaml-nan": _yaml_number(".nan"),
    "injection": injection,
    **{kind: _url(url) for kind, url in HOSTILE_URLS.items()},
    "pem-swapped": pem_swapped,
}
PATHS: dict[str, Make] = {
    "symlink-loop": symlink_loop,
    "dangling-symlink": dangling,
    "fifo": fifo,
    "dev-zero": dev_zero,
    "dev-null": dev_null,
    "folder": folder,
    "long-component": long_component,
    "long-path": long_path,
    "unreadable": unreadable,
    "dash-name": dash,
    "name-not-utf8": name_not_utf8,
}
OUTPUTS: dict[str, Make] = {
    "fresh": fresh,
    "existing": existing,
    "symlink-to-input": symlink_to_input,
    "symlink-loop": symlink_loop,
    "dangling-symlink": dangling,
    "fifo": fifo,
    "dev-null": dev_null,
    "folder": folder,
    "long-component": long_component,
    "long-path": long_path,
    "dash-name": dash_output,
    "name-not-utf8": output_not_utf8,
}

# Kinds whose file is well-formed: the command must accept it (and keep it from the terminal raw).
ACCEPTED = frozenset({"valid", "injection", "dash-name", "name-not-utf8", "fresh"})
# Kinds that change the path rather than the bytes; a file named inside another input (an SBOM, a
# package's manifest) gets them by being put in place, not by a different name.
RENAMING = frozenset({"dev-zero", "dev-null", "long-component", "long-path", "dash-name", "name-not-utf8"})

JSON_KINDS = (
    "valid",
    "empty",
    "binary",
    "nul",
    "invalid-utf8",
    "utf16-bom",
    "surrogate",
    "huge",
    "json-deep-array",
    "json-deep-object",
    "dup-keys",
    "num-1e309",
    "num-400-digits",
    "num-5000-digits",
    "num-nan",
    "injection",
)
# The OSCAL inputs all go through one reader and parser (securable.oscal.validate); the commands that
# differ only after parsing get the kinds that reach that point, and the parser's own cases once each.
JSON_PARSED_KINDS = ("valid", "empty", "surrogate", "json-deep-array", "dup-keys", "num-1e309", "injection")
YAML_KINDS = (
    "valid",
    "empty",
    "binary",
    "nul",
    "invalid-utf8",
    "utf16-bom",
    "surrogate",
    "huge",
    "yaml-flow-100",
    "yaml-flow-300k",
    "yaml-block-300k",
    "dup-keys",
    "yaml-1e309",
    "yaml-400-digits",
    "yaml-nan",
    "injection",
)
URL_KINDS = tuple(HOSTILE_URLS)
PEM_KINDS = ("valid", "empty", "binary", "nul", "invalid-utf8", "utf16-bom", "huge", "pem-swapped")
PATH_KINDS = tuple(PATHS)
OUTPUT_KINDS = tuple(OUTPUTS)


def make(kind: str, where: Path, name: str, good: bytes, cap: int, *, output: bool = False) -> str:
    """Put the ``kind`` version of ``name`` in ``where``; the path to give, relative to ``where``.

    ``output``: ``name`` is a path the command writes, so ``kind`` is one of :data:`OUTPUTS`.
    """
    table = OUTPUTS if output else (CONTENT if kind in CONTENT else PATHS)
    return table[kind](where, name, good, cap)
