"""Reading a product description (``securable.yaml``) with precise, complete error reports.

Reading happens in three steps:

1. **YAML, defensively** (:mod:`securable.product.yamlsource`): at most 1 MiB of UTF-8, no anchors,
   aliases or tags; these and syntax errors raise :class:`~securable.errors.InputError`.
2. **The model.** pydantic validates types, allowed values and unknown fields (with suggestions).
3. **Consistency between fields** (:mod:`securable.product.consistency`): IDs are unique, references
   resolve, catalog references name shipped records, dates come in a possible order.

Every problem found in steps 1 (duplicates) to 3 is reported at once, each as
``file:line:column: where: what is wrong; how to fix it``, in a :class:`~securable.errors.ValidationFailed`.

:func:`load_document` also keeps where every value was written, for reports that point into the
file (SARIF, terminal): ``loaded.position(("means", 2, "robustness"))`` is a 1-based (line, column).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from securable.errors import ValidationFailed
from securable.inputs import check_size, read_product_file
from securable.product.consistency import check_consistency, check_not_applicable, closest, qualify
from securable.product.introspect import field_at, format_loc, model_at, walk
from securable.product.model import FORMAT_VERSION, Product
from securable.product.yamlsource import MAX_BYTES, Loc, SourceDoc, decode, position, read_yaml

__all__ = ["MAX_BYTES", "LoadedProduct", "load_document", "load_product", "parse_document", "parse_product"]


@dataclass(frozen=True, slots=True)
class LoadedProduct:
    """A checked product description and where each of its values is written in ``path``."""

    product: Product
    path: Path
    _values: Mapping[Loc, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)
    _keys: Mapping[Loc, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)
    # Files the description refers to that were read to check it (its SBOM): resolved path ->
    # (SHA-256, size) of the bytes read, so a caller can cite them and a cache tell a change.
    read_files: Mapping[str, tuple[str, int]] = field(default_factory=dict, repr=False, compare=False)

    def position(self, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``loc``, e.g. ``("means", 2, "robustness")``.

        A value that is not written in the file (a field left out, an index past the end) gets the
        place of the nearest enclosing value that is written, and (1, 1) at worst. With ``key=True``,
        the place of the key (``robustness:``) where the value sits under one.
        """
        return position(self._values, self._keys, tuple(loc), key=key)


def load_product(path: Path) -> Product:
    """Read and check ``path``; raises :class:`InputError` or :class:`ValidationFailed`."""
    return load_document(path).product


def load_document(path: Path, raw: bytes | None = None) -> LoadedProduct:
    """Read and check ``path`` like :func:`load_product`, keeping the place of every value.

    ``raw`` is the file's content when the caller has read it already
    (:func:`securable.inputs.read_product_file`): a pipe can be read only once, and ``securable
    check`` hashes the very bytes it checks.
    """
    if raw is None:
        raw = read_product_file(path)
    check_size(len(raw), str(path))
    # A pipe (`check <(cat securable.yaml)`) or a device has no folder of its own: paths in it that
    # are relative to the product's folder (its SBOM) cannot be looked up, so they are not checked.
    base_dir = path.parent if path.is_file() else None
    product, source = _parse(decode(raw, str(path)), filename=str(path), base_dir=base_dir)
    return LoadedProduct(product, path, source.values, source.keys, source.read_files)


def parse_document(text: str, *, filename: str, base_dir: Path | None = None) -> LoadedProduct:
    """Check the text of a product description like :func:`parse_product`, keeping where values are."""
    product, source = _parse(text, filename=filename, base_dir=base_dir)
    return LoadedProduct(product, Path(filename), source.values, source.keys, source.read_files)


def parse_product(text: str, *, filename: str, base_dir: Path | None = None) -> Product:
    """Check the text of a product description; ``filename`` is used in messages.

    ``base_dir`` is where relative paths in the file (the SBOM) are looked up; without it they are
    not checked.
    """
    return _parse(text, filename=filename, base_dir=base_dir)[0]


def _parse(text: str, *, filename: str, base_dir: Path | None) -> tuple[Product, SourceDoc]:
    check_size(len(text.encode("utf-8", "surrogatepass")), filename)
    doc = read_yaml(text.removeprefix("\ufeff"), filename)
    data = doc.data
    if not isinstance(data, dict):
        kind = "an empty document" if data is None else _kind_of(data)
        doc.add(
            doc.at(()),
            "",
            f"the top level must be a mapping of fields (securable: 1, product: ..., ...), not {kind}",
            "start from `securable init --template`",
        )
        raise _failed(doc)
    _check_version(doc, data)
    product = _validate_model(doc, data)
    check_consistency(doc, data, base_dir)
    if product is not None:
        check_not_applicable(doc, product)
    if doc.problems:
        raise _failed(doc)
    assert product is not None  # no problems means the model validated
    return product, doc


def _failed(doc: SourceDoc) -> ValidationFailed:
    problems = sorted(set(doc.problems))
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return ValidationFailed(
        f"{doc.filename}: {count} in the product description",
        [f"{doc.filename}:{p.line}:{p.column}: {p.text}" for p in problems],
    )


# --- the model ----------------------------------------------------------------------------------


def _check_version(doc: SourceDoc, data: dict[str, Any]) -> None:
    if "securable" not in data:
        doc.add(
            (1, 1), "securable", "the format version key is missing", "add `securable: 1` as the first line"
        )
        return
    version = data["securable"]
    if isinstance(version, int) and not isinstance(version, bool) and version != FORMAT_VERSION:
        doc.add(
            doc.at(("securable",)),
            "securable",
            f"format version {version} is not supported (this Securable reads format {FORMAT_VERSION})",
            "upgrade Securable, or write the file in format 1",
        )
        raise _failed(doc)
    if version != FORMAT_VERSION or isinstance(version, bool):
        doc.add(
            doc.at(("securable",)),
            "securable",
            f"expected the number 1, got {version!r}",
            "write `securable: 1`",
        )


def _validate_model(doc: SourceDoc, data: dict[str, Any]) -> Product | None:
    try:
        return Product.model_validate(data)
    except ValidationError as err:
        errors = err.errors(include_url=False)
        failing = [tuple(e["loc"]) for e in errors]
        for error in errors:
            loc: Loc = tuple(error["loc"])
            if loc[:1] == ("securable",):
                continue  # reported by _check_version
            if error["type"] == "too_short" and any(f[: len(loc)] == loc and f != loc for f in failing):
                continue  # pydantic counts only the valid items; the invalid ones are reported already
            _report(doc, error, loc)
        return None


def _data_loc(doc: SourceDoc, loc: Loc) -> tuple[Loc, bool]:
    """The part of a pydantic ``loc`` found in the data, and whether it pointed at a mapping key."""
    path: Loc = ()
    for segment in loc:
        if segment == "[key]":
            return path, True
        if (*path, segment) in doc.values:
            path = (*path, segment)
    return path, False


def _report(doc: SourceDoc, error: Any, loc: Loc) -> None:
    kind: str = error["type"]
    path, at_key = _data_loc(doc, loc)
    shown = format_loc(tuple(s for s in loc if s != "[key]"))
    where = doc.at(path, key=at_key or kind == "extra_forbidden")
    if kind == "missing":
        name = str(loc[-1])
        node = field_at(loc)
        example = f" e.g. `{name}: {node.example}`" if node and node.example else ""
        doc.add(where, format_loc(path), f"required field {name!r} is missing", f"add it{example}")
        return
    what, fix = _explain(kind, error, loc, path, doc)
    doc.add(where, shown, what, fix)


def _explain(kind: str, error: Any, loc: Loc, path: Loc, doc: SourceDoc) -> tuple[str, str]:
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        name = str(loc[-1])
        model = model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        near = closest(name, allowed)
        if not near and model is not None:  # a field given one level too high, e.g. composition.network
            near = [n.path for n in walk(model) if n.name == name and "[]" not in n.path][:1]
        fix = f"did you mean {near[0]!r}?" if near else "remove it; allowed here: " + ", ".join(allowed)
        return f"unknown field {name!r}", fix
    if kind == "unknown_question":
        from securable.product.questions import question_ids

        section = str(value).split("-")[0] + "-"
        same = [q for q in question_ids() if q.startswith(section)]
        near = closest(str(value), list(question_ids()))
        if same:  # the section exists; say which numbers it has
            fix = f"section {section[1:-1]} has {same[0]} to {same[-1]}"
        elif near:
            fix = f"did you mean {near[0]!r}?"
        else:
            fix = "use a question ID such as Q4.2.5-2"
        return f"unknown question ID {value!r}", fix
    if loc[:1] == ("not_applicable",):
        if loc[-1] == "[key]":
            return f"{value!r} is not a question ID", "question IDs look like Q4.2.5-2 or Q4.2.6-1.b"
        return (
            "no reason given",
            'say why the question does not apply, e.g. Q4.2.5-2: "a vehicle part, not sold alone"',
        )
    node = field_at(_strip_index(loc))
    if kind == "literal_error":
        choices = list(node.choices) if node else []
        near = closest(str(value), choices)
        hint = f"did you mean {near[0]!r}? " if near else ""
        return (
            f"{value!r} is not an allowed value",
            f"{hint}use one of: {', '.join(choices) or ctx.get('expected')}",
        )
    if kind == "string_type":
        if isinstance(value, bool | int | float):
            written = doc.texts.get(path, _yaml_text(value))
            return f"expected text, got {_kind_of(value)}", f"put the value in quotes: '{written}'"
        return f"expected text, got {_kind_of(value)}", "write a single line of text (or a quoted string)"
    if kind in ("list_type", "tuple_type"):
        return (
            f"expected a list, got {_kind_of(value)}",
            "write the items as a list, e.g. [a, b] or '- a' lines",
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (
            f"expected a mapping of fields, got {_kind_of(value)}",
            "write the fields indented below the key",
        )
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_kind_of(value)} {value!r}", "write true or false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return (
            f"expected a whole number, got {_kind_of(value)} {value!r}",
            "write a number without quotes, e.g. 6",
        )
    if kind == "finite_number":
        return f"{value!r} is not a finite number", "write an ordinary number, e.g. 6 or 1.5"
    if kind in ("float_type", "float_parsing"):
        return (
            f"expected a number, got {_kind_of(value)} {value!r}",
            "write a number without quotes or units, e.g. 6 or 1.5",
        )
    if kind.startswith("date") or kind.startswith("datetime"):
        return (
            f"{value!r} is not a real date ({error['msg']})",
            "write an existing calendar date as YYYY-MM-DD",
        )
    if kind in ("too_short",) and isinstance(value, list):
        return "the list is empty", "add at least one item, or remove the key to leave it open"
    if kind == "invalid_uri":  # securable.uris said what is wrong and how to fix it
        return str(ctx["what"]), str(ctx["fix"])
    if kind == "string_pattern_mismatch":
        return _pattern_problem(str(value), node.name if node else str(path[-1] if path else ""))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{value!r} is out of range ({error['msg'].lower()})", "use a value in the allowed range"
    return f"{error['msg']} (got {value!r})", "see product.schema.json for what this field takes"


def _strip_index(loc: Loc) -> Loc:
    while loc and isinstance(loc[-1], int):
        loc = loc[:-1]
    return loc


def _pattern_problem(value: str, name: str) -> tuple[str, str]:
    if name == "catalog":
        fix = "write catalog references as catalog:ID, e.g. sp800-213a:SU-1.5 or nistir-8259a:8259A-SU.2"
        qualified = qualify(value)
        if qualified:
            fix = f"did you mean {qualified[0]!r}? " + fix
        return f"{value!r} is not a qualified catalog reference", fix
    return (
        f"{value!r} is not a valid ID",
        "use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. uc-home",
    )


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _yaml_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
