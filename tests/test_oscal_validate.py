"""OSCAL validation: NIST's own documents pass, and every kind of bad input gets a clear answer."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from securable.cli.exitcodes import ExitCode, exit_code
from securable.errors import InputError, UsageError, ValidationFailed
from securable.oscal.validate import json_path, resolve_model, validate_document, validate_file

NIST_53 = "nist-sp800-53-rev5-oscal"
NIST_DOCUMENTS = [
    f"{NIST_53}/{release}/NIST_SP-800-53_rev5_{name}.json"
    for release, names in {
        "5.0.1_a849dbc": ["catalog", "HIGH-baseline-resolved-profile_catalog-min"],
        "5.1.1_88bb8de": [
            f"{b}-baseline-resolved-profile_catalog-min" for b in ("LOW", "MODERATE", "HIGH", "PRIVACY")
        ],
    }.items()
    for name in names
] + [
    f"{NIST_53}/{release}/NIST_SP-800-53_rev5_{b}-baseline_profile.json"
    for release in ("5.0.1_a849dbc", "5.1.1_88bb8de")
    for b in ("LOW", "MODERATE", "HIGH", "PRIVACY")
]

MINIMAL_CATALOG: dict[str, Any] = {
    "catalog": {
        "uuid": "6b9a2b4e-1d2c-4c3e-9f00-0123456789ab",
        "metadata": {
            "title": "Tiny",
            "last-modified": "2024-01-31T00:00:00Z",
            "version": "1",
            "oscal-version": "1.2.1",
        },
        "groups": [
            {
                "id": "g",
                "title": "Group",
                "controls": [{"id": "c-1", "title": "One"}, {"id": "c-2", "title": "Two"}],
            }
        ],
    }
}


def write(tmp_path: Path, content: str | bytes, name: str = "doc.json") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def catalog(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(MINIMAL_CATALOG)
    doc["catalog"].update(changes)
    return doc


# ---- NIST's documents -----------------------------------------------------------------------------


@pytest.mark.parametrize("relative", NIST_DOCUMENTS, ids=lambda r: r.split("/", 1)[1])
def test_nist_documents_are_valid(sources: Path, relative: str) -> None:
    report = validate_file(sources / relative)
    assert report.ok, "\n".join(map(str, report.problems[:20]))
    assert report.model == ("profile" if relative.endswith("_profile.json") else "catalog")


def test_minimal_catalog_is_valid() -> None:
    assert validate_document(MINIMAL_CATALOG, name="tiny").ok


def test_unicode_letter_classes_in_schema_patterns_are_enforced() -> None:
    # TokenDatatype is ^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$ : any letter may start it, a digit may not.
    doc = catalog()
    doc["catalog"]["groups"][0]["id"] = "ä-1"
    assert validate_document(doc, name="unicode").ok
    doc["catalog"]["groups"][0]["id"] = "1-a"
    assert [p.path for p in validate_document(doc, name="digit").problems] == ["$.catalog.groups[0].id"]


# ---- schema problems --------------------------------------------------------------------------------


def test_broken_control_id_and_missing_title_are_located() -> None:
    doc = catalog()
    doc["catalog"]["groups"][0]["controls"][1]["id"] = "c 2"
    del doc["catalog"]["metadata"]["title"]
    report = validate_document(doc, name="broken")
    assert not report.ok
    assert [p.path for p in report.problems] == ["$.catalog.groups[0].controls[1].id", "$.catalog.metadata"]
    assert "'c 2'" in report.problems[0].message or '"c 2"' in report.problems[0].message
    assert "is not a token" in report.problems[0].message
    assert report.problems[1].message == "required property 'title' is missing"


def test_broken_id_in_nist_catalog_is_found_inside_its_group(sources: Path) -> None:
    doc = json.loads((sources / NIST_DOCUMENTS[0]).read_bytes())
    doc["catalog"]["groups"][3]["controls"][0]["id"] = "ca 1"
    report = validate_document(doc, name="53")
    assert [p.path for p in report.problems] == ["$.catalog.groups[3].controls[0].id"]


def test_every_problem_is_collected() -> None:
    doc = catalog(uuid="not-a-uuid")
    doc["catalog"]["metadata"]["last-modified"] = "yesterday"
    doc["catalog"]["groups"][0]["props"] = []
    doc["catalog"]["extra"] = 1
    paths = [p.path for p in validate_document(doc, name="many").problems]
    assert paths == [
        "$.catalog",
        "$.catalog.groups[0].props",
        "$.catalog.metadata.last-modified",
        "$.catalog.uuid",
    ]


def test_alternatives_are_listed_when_none_fits_better() -> None:
    metadata = MINIMAL_CATALOG["catalog"]["metadata"]
    profile = {
        "profile": {
            "uuid": MINIMAL_CATALOG["catalog"]["uuid"],
            "metadata": metadata,
            "imports": [{"href": "c.json"}],
        }
    }
    (problem,) = validate_document(profile, name="profile").problems
    assert problem.path == "$.profile.imports[0]"
    assert problem.message == (
        "fits none of the 2 allowed forms: (1) required property 'include-all' is missing; "
        "(2) required property 'include-controls' is missing"
    )


def test_importing_the_validator_does_not_load_jsonschema_rs() -> None:
    # CLI start-up time: the Rust extension must load only when something is validated.
    code = (
        "import sys, securable.oscal.validate, securable.oscal.export; "
        "sys.exit('jsonschema_rs' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_bad_date_is_reported_once_not_as_pattern_and_format() -> None:
    doc = catalog()
    doc["catalog"]["metadata"]["last-modified"] = "2024-13-01"
    problems = validate_document(doc, name="date").problems
    assert len(problems) == 1
    assert "date and time with a time zone" in problems[0].message


def test_huge_values_are_not_dumped_into_messages() -> None:
    doc = catalog(metadata=["x" * 10_000])
    (problem,) = validate_document(doc, name="huge").problems
    assert problem.path == "$.catalog.metadata"
    assert len(problem.message) < 200


def test_report_raises_validation_failed_with_every_problem() -> None:
    doc = catalog(uuid="nope")
    report = validate_document(doc, name="doc.json")
    with pytest.raises(ValidationFailed) as caught:
        report.raise_for_problems()
    assert exit_code(caught.value) == ExitCode.FINDINGS
    assert caught.value.problems == [str(p) for p in report.problems]
    assert report.to_dict()["ok"] is False
    validate_document(MINIMAL_CATALOG, name="ok").raise_for_problems()  # no problems: no exception


def test_json_path_quotes_unusual_keys() -> None:
    assert json_path(["catalog", "back-matter", "resources", 0]) == "$.catalog.back-matter.resources[0]"
    assert json_path(["a b", "it's", "1x"]) == "$['a b']['it\\'s']['1x']"


# ---- bad input ------------------------------------------------------------------------------------


def input_error(path: Path, model: str | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        validate_file(path, model)
    assert exit_code(caught.value) == ExitCode.BAD_INPUT
    # The file, or the file and the line:column of the problem in it.
    assert caught.value.location is not None
    assert re.fullmatch(re.escape(str(path)) + r"(:\d+:\d+)?", caught.value.location)
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    assert input_error(tmp_path / "nope.json").message == "file not found"


def test_folder_instead_of_file(tmp_path: Path) -> None:
    assert "folder" in input_error(tmp_path).message


@pytest.mark.parametrize("content", ["", "  \n\t"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    error = input_error(write(tmp_path, content))
    assert error.message == "file is empty"
    assert error.hint is not None
    assert "catalog" in error.hint


def test_not_json_gives_line_and_column(tmp_path: Path) -> None:
    error = input_error(write(tmp_path, '{\n  "catalog": {\n    "uuid": oops\n}'))
    assert error.message.startswith("not valid JSON")
    assert str(error.location).endswith("doc.json:3:13")


def test_xml_is_recognised(tmp_path: Path) -> None:
    error = input_error(write(tmp_path, "<catalog/>"))
    assert error.hint is not None
    assert "XML" in error.hint


def test_nan_is_not_json(tmp_path: Path) -> None:
    assert "NaN" in input_error(write(tmp_path, '{"catalog": NaN}')).message


def test_not_utf8(tmp_path: Path) -> None:
    assert "UTF-8" in input_error(write(tmp_path, b'{"catalog": "\xff"}')).message


def test_json_array(tmp_path: Path) -> None:
    assert "found a JSON array" in input_error(write(tmp_path, "[]")).message


def test_unknown_model_key_lists_the_known_ones(tmp_path: Path) -> None:
    error = input_error(write(tmp_path, '{"$schema": "x", "catalogue": {}}'))
    assert "'catalogue'" in error.message
    assert error.hint is not None
    assert "plan-of-action-and-milestones" in error.hint


def test_two_model_keys(tmp_path: Path) -> None:
    assert "more than one" in input_error(write(tmp_path, '{"catalog": {}, "profile": {}}')).message


def test_wrong_model_type_with_explicit_model(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps(MINIMAL_CATALOG))
    error = input_error(path, "profile")
    assert "wrong model type" in error.message
    assert "catalog" in error.message
    assert validate_file(path, "catalog").ok


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps(MINIMAL_CATALOG))
    with pytest.raises(InputError, match="larger than"):
        validate_file(path, max_bytes=100)


def test_model_names_and_aliases() -> None:
    assert resolve_model("SSP") == "system-security-plan"
    assert resolve_model("mapping-collection") == "mapping-collection"
    with pytest.raises(UsageError) as caught:
        resolve_model("catalogue")
    assert caught.value.hint is not None
    assert "assessment-results" in caught.value.hint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"catalog": ' + "[" * 300 + "]" * 300 + "}", "nested more than 200 levels deep"),
        ('{"catalog": {"uuid": "\\ud800"}}', "cannot be validated"),
    ],
)
def test_hostile_documents_are_refused_cleanly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError, match=message):
        validate_file(path)


def test_the_size_limit_holds_for_what_is_read_not_what_stat_says(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"catalog": {"uuid": "' + "a" * 2000 + '"}}', "utf-8")
    with pytest.raises(InputError, match="larger than"):
        validate_file(path, max_bytes=1000)
