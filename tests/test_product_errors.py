"""Product descriptions that are wrong: every problem at its file:line:column, all at once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from securable.catalog import store
from securable.cli.exitcodes import ExitCode, exit_code
from securable.errors import InputError, ValidationFailed
from securable.product import MAX_BYTES, load_product, parse_product

FILE = "securable.yaml"


def problems(text: str) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_product(text, filename=FILE)
    assert exit_code(caught.value) == ExitCode.FINDINGS
    assert caught.value.message.startswith(f"{FILE}: {len(caught.value.problems)} problem")
    return caught.value.problems


def refused(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_product(text, filename=FILE)
    assert exit_code(caught.value) == ExitCode.BAD_INPUT
    return caught.value


def _clear_catalog_caches() -> None:
    store.clear_cache()


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A tiny shipped-catalog folder: sp800-213a with SU, SU-1, SU-1.2 and nistir-8259a with 8259A-SU.2."""
    folder = tmp_path / "catalogs"
    folder.mkdir()
    source = {
        "publication": "test",
        "version": "1",
        "date": "2021-01-01",
        "repository": "example/test",
        "commit": "0" * 40,
    }
    content = {"sp800-213a": ["SU", "SU-1", "SU-1.2"], "nistir-8259a": ["8259A-SU", "8259A-SU.2"]}
    ids: dict[str, list[str]] = {}
    for catalog, records in content.items():
        doc = {
            "format": 1,
            "id": catalog,
            "title": catalog,
            "kind": "capability-catalog",
            "publication": "test",
            "version": "1",
            "sources": {"s": source},
            "records": [
                {"id": r, "kind": "element", "title": r, "text": "", "source": "s", "path": "x.md", "line": 1}
                for r in records
            ],
        }
        (folder / f"{catalog}.json").write_text(json.dumps(doc), encoding="utf-8")
        for record in records:
            ids.setdefault(record.lower(), []).append(catalog)
    index = {
        "format": 1,
        "catalogs": [
            {"id": c, "title": c, "kind": "capability-catalog", "version": "1", "records": len(r)}
            for c, r in content.items()
        ],
        "ids": ids,
        "links_in": {},
        "mapped_from": {},
    }
    (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    monkeypatch.setattr(store, "DATA_DIR", folder)
    _clear_catalog_caches()
    yield folder
    _clear_catalog_caches()


# --- one class of error at a time ---------------------------------------------------------------


def test_malformed_yaml_points_at_the_place() -> None:
    err = refused("securable: 1\nproduct:\n  name: Cam: 2\n")
    assert err.location == f"{FILE}:3:12"
    assert "malformed YAML: mapping values are not allowed" in err.message  # libyaml adds "in this context"
    assert err.hint is not None
    assert "quote" in err.hint


def test_unclosed_list_and_tabs_are_malformed() -> None:
    assert refused("securable: 1\nproduct: [a, b\n").location == f"{FILE}:3:1"
    err = refused("securable: 1\nproduct:\n\tname: x\n")
    assert err.location == f"{FILE}:3:1"
    assert err.hint == "indent with spaces, not tabs"


def test_wrong_type_says_what_was_expected() -> None:
    text = "securable: 1\nproduct:\n  version: 2.10\ncustomers:\n  people: parents\n"
    assert problems(text) == [
        f"{FILE}:3:12: product.version: expected text, got a number; put the value in quotes: '2.10'",
        f"{FILE}:5:11: customers.people: expected a list, got text; "
        "write the items as a list, e.g. [a, b] or '- a' lines",
    ]


def test_unknown_field_suggests_the_closest_name() -> None:
    text = "securable: 1\nuse_cases:\n  - id: uc-1\n    misuse:\n      - threat: t\n        vulnerabilty: v\n"
    assert problems(text) == [
        f"{FILE}:6:9: use_cases[0].misuse[0].vulnerabilty: unknown field 'vulnerabilty'; "
        "did you mean 'vulnerability'?"
    ]


def test_unknown_field_one_level_too_high_suggests_where_it_belongs() -> None:
    (problem,) = problems("securable: 1\ncomposition:\n  network: []\n")
    assert (
        problem
        == f"{FILE}:3:3: composition.network: unknown field 'network'; did you mean 'operational.network'?"
    )


def test_unknown_field_without_a_near_name_lists_the_allowed_ones() -> None:
    (problem,) = problems("securable: 1\nretirement:\n  xyzzy: 1\n")
    assert problem.startswith(
        f"{FILE}:3:3: retirement.xyzzy: unknown field 'xyzzy'; remove it; allowed here: "
    )
    assert "ownership_transfer, render_inoperable" in problem


def test_value_not_among_the_allowed_ones() -> None:
    text = "securable: 1\nmeans:\n  - id: m-1\n    kind: devise\nupdates:\n  delivery: [ota]\n"
    assert problems(text) == [
        f"{FILE}:4:11: means[0].kind: 'devise' is not an allowed value; did you mean 'device'? "
        "use one of: device, related-device, service, non-technical, customer",
        f"{FILE}:6:14: updates.delivery[0]: 'ota' is not an allowed value; use one of: over-the-air, "
        "mobile-app, web-portal, removable-media, related-device, technician, other",
    ]


def test_unknown_catalog_id_suggests_a_known_one(catalogs: Path) -> None:
    text = (
        "securable: 1\nmeans:\n  - id: m-1\n    catalog:\n"
        "      - sp800-213a:SU-1.2\n"  # fine
        "      - sp800-213a:SU-1.3\n"  # no such record
        "      - sp800-213b:SU-1.2\n"  # no such catalog
        "      - SU-1.2\n"  # not qualified
    )
    assert problems(text) == [
        f"{FILE}:6:9: means[0].catalog[1]: no record 'SU-1.3' in catalog 'sp800-213a'; "
        "did you mean 'sp800-213a:SU-1.2'?",
        f"{FILE}:7:9: means[0].catalog[2]: unknown catalog 'sp800-213b' in 'sp800-213b:SU-1.2'; "
        "did you mean 'sp800-213a:SU-1.2'?",
        f"{FILE}:8:9: means[0].catalog[3]: 'SU-1.2' is not a qualified catalog reference; "
        "did you mean 'sp800-213a:SU-1.2'? write catalog references as catalog:ID, "
        "e.g. sp800-213a:SU-1.5 or nistir-8259a:8259A-SU.2",
    ]


def test_catalog_ids_are_matched_without_regard_to_case(catalogs: Path) -> None:
    product = parse_product(
        "securable: 1\nmeans:\n  - id: m-1\n    catalog: [nistir-8259a:8259a-su.2]\n", filename=FILE
    )
    assert product.means is not None


def test_catalog_check_is_skipped_while_no_catalogs_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "DATA_DIR", tmp_path)
    _clear_catalog_caches()
    try:
        product = parse_product(
            "securable: 1\nmeans:\n  - id: m-1\n    catalog: [sp800-213a:NOPE-9]\n", filename=FILE
        )
    finally:
        _clear_catalog_caches()
    assert product.means is not None


def test_dangling_references_name_what_is_missing() -> None:
    text = """\
securable: 1
use_cases:
  - id: uc-home
    audiences: [aud-home]
needs:
  - id: need-a
    use_cases: [uc-hom]
means:
  - id: m-1
    addresses: [need-a, need-b]
support_planning:
  hardware_capabilities:
    - name: root of trust
      means: [m-2]
"""
    assert problems(text) == [
        f"{FILE}:4:17: use_cases[0].audiences[0]: unknown audience 'aud-home'; "
        "no audience is defined yet; add one under `audiences`",
        f"{FILE}:7:17: needs[0].use_cases[0]: unknown use case 'uc-hom'; did you mean 'uc-home'?",
        f"{FILE}:10:25: means[0].addresses[1]: unknown need 'need-b'; did you mean 'need-a'?",
        f"{FILE}:14:15: support_planning.hardware_capabilities[0].means[0]: unknown means 'm-2'; "
        "did you mean 'm-1'?",
    ]


def test_data_and_party_references_resolve() -> None:
    text = """\
securable: 1
means:
  - id: m-1
    robustness:
      data_protection:
        - data: [data-vidoe]
composition:
  data_types:
    - id: data-video
      accessible_by: [owner, xyz]
  parties:
    - id: party-owner
"""
    assert problems(text) == [
        f"{FILE}:6:18: means[0].robustness.data_protection[0].data[0]: unknown data type 'data-vidoe'; "
        "did you mean 'data-video'?",
        f"{FILE}:10:23: composition.data_types[0].accessible_by[0]: unknown party 'owner'; "
        "did you mean 'party-owner'?",
        f"{FILE}:10:30: composition.data_types[0].accessible_by[1]: unknown party 'xyz'; "
        "use the id of a party defined under `composition.parties` (party-owner)",
    ]


def test_duplicate_ids() -> None:
    (problem,) = problems("securable: 1\nneeds:\n  - id: need-a\n  - id: need-a\n")
    assert problem == (
        f"{FILE}:4:9: needs[1].id: duplicate need id 'need-a' (first used at line 3); "
        "give each need its own id"
    )


def test_missing_id_asks_for_one() -> None:
    (problem,) = problems("securable: 1\nuse_cases:\n  - title: Home\n")
    assert problem == f"{FILE}:3:5: use_cases[0]: required field 'id' is missing; add it e.g. `id: uc-1`"


def test_support_ending_before_release_and_end_of_life_before_support_end() -> None:
    text = """\
securable: 1
product:
  release_date: 2025-09-01
support:
  support_end: 2025-08-31
  end_of_life: 2025-01-01
"""
    assert problems(text) == [
        f"{FILE}:5:16: support.support_end: support ends (2025-08-31) before the product is released "
        "(2025-09-01); set support_end on or after product.release_date",
        f"{FILE}:6:16: support.end_of_life: end of life (2025-01-01) comes before support ends (2025-08-31); "
        "set end_of_life on or after support_end",
    ]


def test_end_of_life_before_release_without_support_end() -> None:
    text = "securable: 1\nproduct:\n  release_date: 2025-09-01\nsupport:\n  end_of_life: 2024-09-01\n"
    (problem,) = problems(text)
    assert problem.startswith(
        f"{FILE}:5:16: support.end_of_life: end of life (2024-09-01) comes before the product"
    )


def test_period_of_use_in_years_is_a_range_of_numbers() -> None:
    text = """\
securable: 1
use_cases:
  - id: uc-1
    period_of_use_years: {min: 7, max: 5}
  - id: uc-2
    period_of_use_years:
      min: 5 years
      max: -1
  - id: uc-3
    period_of_use_years: {min: .nan, max: 1000}
"""
    assert problems(text) == [
        f"{FILE}:4:26: use_cases[0].period_of_use_years: the period of use runs from 7 to 5 years: min is "
        "more than max; swap min and max",
        f"{FILE}:7:12: use_cases[1].period_of_use_years.min: expected a number, got text '5 years'; write a "
        "number without quotes or units, e.g. 6 or 1.5",
        f"{FILE}:8:12: use_cases[1].period_of_use_years.max: -1 is out of range (input should be greater "
        "than or equal to 0); use a value in the allowed range",
        f"{FILE}:10:32: use_cases[2].period_of_use_years.min: nan is not a finite number; write an "
        "ordinary number, e.g. 6 or 1.5",
        f"{FILE}:10:43: use_cases[2].period_of_use_years.max: 1000 is out of range (input should be less "
        "than or equal to 100); use a value in the allowed range",
    ]


def test_structured_answers_take_their_own_kinds_of_value() -> None:
    text = """\
securable: 1
use_cases:
  - id: uc-1
    research:
      actuates: sometimes
means:
  - id: m-1
    kind: device
    robustness:
      authentication:
        lockout: permanent
"""
    first, second = problems(text)
    assert first.startswith(f"{FILE}:5:17: use_cases[0].research.actuates: expected true or false")
    assert second.startswith(f"{FILE}:11:18: means[0].robustness.authentication.lockout: 'permanent' is not")
    assert second.endswith("use one of: none, fixed, configurable")


def test_impossible_calendar_date() -> None:
    (problem,) = problems("securable: 1\nsupport:\n  support_end: 2030-02-30\n")
    assert problem.startswith(f"{FILE}:3:16: support.support_end: '2030-02-30' is not a real date")
    assert problem.endswith("; write an existing calendar date as YYYY-MM-DD")


def test_not_applicable_needs_a_reason() -> None:
    text = "securable: 1\nnot_applicable:\n  Q4.2.5-2:\n  Q4.2.5-1: '  '\n"
    assert problems(text) == [
        f"{FILE}:3:3: not_applicable.Q4.2.5-2: no reason given; "
        'say why the question does not apply, e.g. Q4.2.5-2: "a vehicle part, not sold alone"',
        f"{FILE}:4:13: not_applicable.Q4.2.5-1: no reason given; "
        'say why the question does not apply, e.g. Q4.2.5-2: "a vehicle part, not sold alone"',
    ]


def test_not_applicable_with_an_unknown_question_id() -> None:
    text = (
        "securable: 1\nnot_applicable:\n  Q4.2.7-1: no such section\n  Q4.2.5-3: no such question\n  q1: x\n"
    )
    assert problems(text) == [
        f"{FILE}:3:3: not_applicable.Q4.2.7-1: unknown question ID 'Q4.2.7-1'; did you mean 'Q4.2.6-1'?",
        f"{FILE}:4:3: not_applicable.Q4.2.5-3: unknown question ID 'Q4.2.5-3'; "
        "section 4.2.5 has Q4.2.5-1 to Q4.2.5-2",
        f"{FILE}:5:3: not_applicable.q1: 'q1' is not a question ID; "
        "question IDs look like Q4.2.5-2 or Q4.2.6-1.b",
    ]


def test_not_applicable_but_answered_anyway() -> None:
    text = """\
securable: 1
retirement:
  render_inoperable:
    supported: true
    how: hold the button for 30 seconds
not_applicable:
  Q4.2.5-2: cannot be made inoperable
"""
    (problem,) = problems(text)
    assert problem.startswith(
        f"{FILE}:7:3: not_applicable.Q4.2.5-2: marked not applicable, but it is answered"
    )


def test_robustness_belongs_to_technical_means() -> None:
    text = "securable: 1\nmeans:\n  - id: m-1\n    kind: non-technical\n    robustness:\n      notes: x\n"
    (problem,) = problems(text)
    assert problem.startswith(f"{FILE}:5:5: means[0].robustness: robustness applies to technical means")


def test_format_version() -> None:
    assert problems("product:\n  name: x\n") == [
        f"{FILE}:1:1: securable: the format version key is missing; add `securable: 1` as the first line"
    ]
    assert problems("securable: 2\nproduct: 5\n") == [
        f"{FILE}:1:12: securable: format version 2 is not supported (this Securable reads format 1); "
        "upgrade Securable, or write the file in format 1"
    ]


def test_duplicate_keys_are_errors() -> None:
    assert problems("securable: 1\nproduct:\n  name: a\n  name: b\n") == [
        f"{FILE}:4:3: product.name: duplicate key 'name' (first given at line 3); keep only one of them"
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- a\n- b\n", "a list"), ("just text\n", "text"), ("~\n", "an empty document")],
)
def test_top_level_must_be_a_mapping(text: str, kind: str) -> None:
    (problem,) = problems(text)
    assert problem.startswith(f"{FILE}:1:1: the top level must be a mapping of fields")
    assert f"not {kind};" in problem


def test_empty_file_is_refused() -> None:
    assert "holds no YAML document" in refused("# only a comment\n").message


# --- all at once ----------------------------------------------------------------------------------


def test_all_problems_are_reported_at_once_in_file_order() -> None:
    text = """\
securable: 1
product:
  name: Cam
  documentaton_url: https://example.com
  release_date: 2025-09-01
use_cases:
  - id: uc-1
    where: US
needs:
  - id: need-1
    use_cases: [uc-2]
means:
  - id: m-1
    kind: hub
support:
  support_end: 2025-01-01
not_applicable:
  Q9.9-9: nope
"""
    found = problems(text)
    assert [p.split(": ", 1)[0] for p in found] == [
        f"{FILE}:4:3",
        f"{FILE}:8:12",
        f"{FILE}:11:17",
        f"{FILE}:14:11",
        f"{FILE}:16:16",
        f"{FILE}:18:3",
    ]


# --- hostile input ----------------------------------------------------------------------------------


def test_alias_bomb_is_refused_before_expansion() -> None:
    lines = ["securable: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    err = refused("\n".join(lines) + "\n")
    assert err.location == f"{FILE}:2:5"
    assert "anchors and aliases" in err.message


def test_custom_and_python_tags_are_refused() -> None:
    err = refused("securable: 1\nproduct: !!python/object/apply:os.system ['echo owned']\n")
    assert err.location == f"{FILE}:2:10"
    assert "the YAML tag !!python/object/apply:os.system is not allowed" in err.message
    assert "!thing" in refused("securable: 1\nproduct: !thing {name: x}\n").message
    assert "!!binary" in refused("securable: 1\nproduct: !!binary aGk=\n").message
    assert "merge keys" in refused("securable: 1\n<<: {name: x}\n").message


def test_deep_nesting_and_several_documents_are_refused() -> None:
    assert "nesting deeper" in refused("securable: 1\nx: " + "[" * 100 + "]" * 100 + "\n").message
    assert "nesting deeper" in refused("securable: 1\nx: " + "[" * 300_000 + "]" * 300_000 + "\n").message
    err = refused("securable: 1\n---\nsecurable: 1\n")
    assert err.message == "more than one YAML document"
    assert err.location == f"{FILE}:2:1"


def test_oversize_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / FILE
    path.write_bytes(b"securable: 1\n" + b"# padding\n" * (MAX_BYTES // 10 + 1))
    with pytest.raises(InputError, match="larger than 1 MiB"):
        load_product(path)
    with pytest.raises(InputError, match="larger than 1 MiB"):
        parse_product("x" * (MAX_BYTES + 1), filename=FILE)


def test_non_utf8_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / FILE
    path.write_bytes("securable: 1\nproduct:\n  name: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_product(path)
    assert caught.value.location == f"{path}:3:12"
    assert caught.value.message == "not UTF-8 text (byte 0xe9)"
    path.write_bytes("securable: 1\n".encode("utf-16"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_product(path)


def test_control_characters_are_refused() -> None:
    err = refused("securable: 1\nproduct:\n  name: a\x00b\n")
    assert err.location == f"{FILE}:3:10"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_product(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="is a folder"):
        load_product(tmp_path)


def _sbom_problems(tmp_path: Path, content: bytes) -> list[str]:
    path = tmp_path / FILE
    path.write_text("securable: 1\ncomposition:\n  software_inventory:\n    sbom: bom.json\n", "utf-8")
    (tmp_path / "bom.json").write_bytes(content)
    with pytest.raises(ValidationFailed) as caught:
        load_product(path)
    assert exit_code(caught.value) == ExitCode.FINDINGS
    return caught.value.problems


def test_deeply_nested_sbom_is_a_positioned_problem_not_a_crash(tmp_path: Path) -> None:
    found = _sbom_problems(tmp_path, b"[" * 100_000 + b"]" * 100_000)
    assert found == [
        f"{tmp_path / FILE}:4:11: composition.software_inventory.sbom: "
        "SBOM 'bom.json': line 1, column 201: nested more than 200 levels deep; fix or regenerate the SBOM"
    ]


def test_sbom_that_is_not_json_is_a_positioned_problem(tmp_path: Path) -> None:
    for content in (b"{not json", b'{"bomFormat": "Cyclone\xff"}'):
        [problem] = _sbom_problems(tmp_path, content)
        assert problem.startswith(f"{tmp_path / FILE}:4:11: composition.software_inventory.sbom: ")
        assert "SBOM 'bom.json': " in problem
        assert "line 1, column " in problem


def test_oversize_sbom_is_refused(tmp_path: Path) -> None:
    from securable.package.machine.sbom_formats import MAX_BYTES

    head = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5"}).encode()
    big = head + b" " * (MAX_BYTES + 1 - len(head))  # valid JSON, one byte over the cap
    [problem] = _sbom_problems(tmp_path, big)
    assert problem == (
        f"{tmp_path / FILE}:4:11: composition.software_inventory.sbom: "
        f"SBOM 'bom.json': is larger than the {MAX_BYTES // 2**20} MiB limit; far larger than any real "
        "one; check that it is the right file"
    )


def _sbom_path_problems(tmp_path: Path, value: str) -> list[str]:
    folder = tmp_path / "product"
    folder.mkdir(exist_ok=True)
    path = folder / FILE
    path.write_text(
        f"securable: 1\ncomposition:\n  software_inventory:\n    sbom: {json.dumps(value)}\n", "utf-8"
    )
    with pytest.raises(ValidationFailed) as caught:
        load_product(path)
    return caught.value.problems


@pytest.mark.parametrize("where", ["absolute", "parent", "link"])
def test_sbom_outside_the_product_folder_is_a_positioned_problem(tmp_path: Path, where: str) -> None:
    outside = tmp_path / "secret.cdx.json"
    outside.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5"}), "utf-8")
    value = {"absolute": str(outside), "parent": "../secret.cdx.json", "link": "sbom.cdx.json"}[where]
    if where == "link":
        (tmp_path / "product").mkdir()
        (tmp_path / "product" / "sbom.cdx.json").symlink_to(outside)
    [problem] = _sbom_path_problems(tmp_path, value)
    folder = tmp_path / "product"
    assert problem.startswith(f"{folder / FILE}:4:11: composition.software_inventory.sbom: ")
    assert f"SBOM path {value!r} leads outside the product's folder {folder}" in problem
    assert "copied into the signed package" in problem


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        (
            "sbom.cdx.xml",
            b'<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5"><x/></bom>',
            "not valid CycloneDX 1.5 XML",
        ),
        ("bom.json", b'\n  <bom xmlns="http://cyclonedx.org/schema/bom/1.1"/>', "namespace version 1.1"),
        ("bom.xml", b"<spdx/>", "no CycloneDX namespace"),
    ],
)
def test_a_bad_xml_sbom_is_refused_as_package_refuses_it(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    (tmp_path / "product").mkdir()
    (tmp_path / "product" / name).write_bytes(content)
    [problem] = _sbom_path_problems(tmp_path, name)
    assert f"SBOM {name!r}: " in problem
    assert words in problem


def test_a_json_sbom_without_a_json_suffix_is_still_checked(tmp_path: Path) -> None:
    """Content decides the format, not the name: this is a (broken) SPDX document called .cdx."""
    (tmp_path / "product").mkdir()
    (tmp_path / "product" / "sbom.cdx").write_text('{"spdxVersion": "SPDX-2.3"}', "utf-8")
    [problem] = _sbom_path_problems(tmp_path, "sbom.cdx")
    assert "SBOM 'sbom.cdx': not valid SPDX" in problem
    assert "CreationInfo does not exist" in problem
    assert "XML" not in problem


def test_data_removal_reaches_only_places_the_data_is_kept() -> None:
    text = """securable: 1
composition:
  data_types:
    - id: data-1
      places: [device]
      removed_from: [device, manufacturer-cloud]
    - id: data-2
      places: [device, third-party]
      removed_from: [third-party]
"""
    assert problems(text) == [
        f"{FILE}:6:30: composition.data_types[0].removed_from[1]: data removal reaches "
        "'manufacturer-cloud', which is not among the data type's places; add 'manufacturer-cloud' to "
        "places, or remove it from removed_from"
    ]
