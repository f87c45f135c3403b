"""The CLI, called as a function: output, exit codes, and messages for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from golden import assert_golden
from securable import catalog as catalog_api
from securable.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "catalog" in out
    assert "oscal" in out


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    assert out.startswith("usage: securable")


def test_bad_usage_is_exit_2_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog", "frobnicate")
    assert code == 2
    assert "invalid choice" in err
    assert "Traceback" not in err


def test_missing_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog")
    assert code == 2
    assert "choose a subcommand" in err


def test_list_shows_every_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "list", "--format", "json")
    assert code == 0
    data = json.loads(out)
    ids = {c["id"] for c in data["catalogs"]}
    assert ids == {
        "sp800-213a",
        "federal-profile-2020",
        "nistir-8259a",
        "nistir-8259b",
        "sp800-53r5",
        "nistir-8259-questions",
    }
    baselines = {b["id"] for b in data["baselines"]}
    assert {"nistir-8259a", "nistir-8259b", "sp800-53r5:LOW", "sp800-53r5:MODERATE"} <= baselines


def test_list_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "list")
    assert code == 0
    assert "sp800-213a" in out
    assert "BASELINE" in out


def test_show_element_gives_hierarchy_mappings_and_provenance(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", "sp800-213a:DI-1.1", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["ancestors"] == ["sp800-213a:DI", "sp800-213a:DI-1"]
    assert data["mappings"]["sp800-53r5"]
    assert data["provenance"]["repository"] == "usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs"
    assert data["provenance"]["path"].endswith("_Technical/identity.md")
    assert data["provenance"]["commit"]


def test_show_table_lists_provenance(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", "DI-1.1")
    assert code == 0
    assert "origin:" in out
    assert "identity.md:" in out


def test_show_control_lists_elements_mapped_to_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", "IA-3", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["qualified_id"] == "sp800-53r5:ia-3"
    assert "sp800-213a:DI-1.1" in data["mapped_from"]


def test_show_control_enhancement_by_label(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", "AC-2(1)", "--format", "json")
    assert code == 0
    assert json.loads(out)["id"] == "ac-2.1"


def test_show_baseline_element_follows_links_both_ways(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", "8259A-SU", "--format", "json")
    assert code == 0
    related = json.loads(out)["related"]
    assert related
    assert all(r["rel"] == "realized-by" for r in related)
    target = related[0]["target"]
    code, out, _ = run(capsys, "catalog", "show", target, "--format", "json")
    assert {"rel": "realizes", "target": "nistir-8259a:8259A-SU"} in json.loads(out)["related"]


def test_show_names_same_text_twins_without_opening_their_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    from securable.catalog import store

    store.clear_cache()
    code, out, _ = run(capsys, "catalog", "show", "sp800-213a:DI-1.1")
    assert code == 0
    assert "same-as:" in out
    assert "federal-profile-2020:FP-DI-1.2" in out
    assert "federal-profile-2020" not in store._CATALOGS  # start-up: the twin's text is this record's
    code, out, _ = run(capsys, "catalog", "show", "sp800-213a:DI-1.1", "--format", "json")
    assert {"rel": "same-as", "target": "federal-profile-2020:FP-DI-1.2"} in json.loads(out)["related"]
    assert "federal-profile-2020" not in store._CATALOGS


def test_show_question(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", "Q4.2.2-1", "--format", "json")
    assert code == 0
    assert "support" in json.loads(out)["title"].lower()


def test_unknown_id_suggests_closest_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "catalog", "show", "DI-1.99")
    assert code == 2
    assert out == ""
    assert "no record 'DI-1.99'" in err
    assert "did you mean" in err
    assert "DI-1.1" in err


def test_unknown_catalog_suggests_closest(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog", "show", "DI-1", "--catalog", "sp800-213")
    assert code == 2
    assert "unknown catalog 'sp800-213'" in err
    assert "sp800-213a" in err


def test_search_ranks_title_matches_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "catalog", "search", "software update", "--catalog", "sp800-213a", "--format", "json"
    )
    assert code == 0
    hits = json.loads(out)
    assert hits[0]["id"] == "sp800-213a:SU"


def test_search_with_no_hits(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "search", "zzzqqq-nothing")
    assert code == 0
    assert "(nothing)" in out


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "oscal"])
def test_export_writes_file_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    code, out, _ = run(capsys, "catalog", "export", "nistir-8259b", "--format", fmt, "-o", str(target))
    assert code == 0
    assert out == ""
    assert target.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp files left behind


def test_export_into_missing_folder_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "catalog", "export", "sp800-213a", "--format", "csv", "-o", str(tmp_path / "no" / "x")
    )
    assert code == 2
    assert "does not exist" in err


def test_export_mapping_of_catalog_without_mappings(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog", "export", "nistir-8259-questions", "--format", "oscal-mapping")
    assert code == 2
    assert "has no mappings" in err


def test_export_unknown_sp800_53_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "catalog", "export", "sp800-53r5", "--format", "oscal", "--baseline", "MODERAT"
    )
    assert code == 2
    assert "MODERATE" in err


def test_unexpected_error_is_exit_3_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from securable.cli import catalog_cmd

    def boom(_args: object) -> int:
        raise RuntimeError("kaput")

    monkeypatch.setattr(catalog_cmd, "list_catalogs", boom)
    code, _, err = run(capsys, "catalog", "list")
    assert code == 3
    assert "internal error: RuntimeError: kaput" in err
    assert "Traceback" not in err
    with pytest.raises(RuntimeError):
        main(["--debug", "catalog", "list"])


@pytest.mark.parametrize(
    ("catalog", "fmt", "extra", "golden"),
    [
        ("nistir-8259b", "json", (), "catalog/nistir-8259b.json"),
        ("nistir-8259b", "csv", (), "catalog/nistir-8259b.csv"),
        ("nistir-8259b", "markdown", (), "catalog/nistir-8259b.md"),
        ("nistir-8259a", "oscal", (), "catalog/nistir-8259a.profile.json"),
        ("nistir-8259a", "markdown", (), "catalog/nistir-8259a.md"),
        ("sp800-53r5", "oscal", ("--baseline", "LOW"), "catalog/sp800-53r5-low.profile.json"),
    ],
)
def test_exports_match_their_golden_files(
    capsys: pytest.CaptureFixture[str], catalog: str, fmt: str, extra: tuple[str, ...], golden: str
) -> None:
    code, out, _ = run(capsys, "catalog", "export", catalog, "--format", fmt, *extra)
    assert code == 0
    assert_golden(golden, out)


def test_search_limits_and_repeated_catalogs(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog", "search", "update", "--limit", "-1")
    assert code == 2
    assert "--limit -1" in err
    _, once, _ = run(capsys, "catalog", "search", "update", "--catalog", "nistir-8259a", "--format", "json")
    _, twice, _ = run(
        capsys,
        "catalog",
        "search",
        "update",
        "--catalog",
        "nistir-8259a",
        "--catalog",
        "nistir-8259a",
        "--format",
        "json",
    )
    assert once == twice
    assert json.loads(once)[0]["text"]  # JSON gives the full text, not a shortened label


def test_show_accepts_a_qualified_id_with_its_own_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "catalog", "show", "sp800-213a:DI-1.2", "--catalog", "sp800-213a", "--format", "json"
    )
    assert code == 0
    assert json.loads(out)["id"] == "DI-1.2"
    code, _, err = run(capsys, "catalog", "show", "sp800-213a:DI-1.2", "--catalog", "nistir-8259a")
    assert code == 2
    assert "in catalog 'nistir-8259a'" in err


def test_an_unfinished_enhancement_is_not_the_control(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog", "show", "ac-2(")
    assert code == 2
    assert "no record 'ac-2('" in err


def test_relations_stored_both_ways_are_listed_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", "FPN-DS-1", "--format", "json")
    assert code == 0
    related = json.loads(out)["related"]
    assert related
    assert len(related) == len({(r["rel"], r["target"]) for r in related})


def test_markdown_keeps_the_full_text_of_untitled_records(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "export", "sp800-213a", "--format", "markdown")
    assert code == 0
    record = catalog_api.resolve("sp800-213a:DI-1.3")
    assert len(record.text) > 90
    assert record.text in out
