"""`securable questions` and `securable init` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from securable.cli import main
from securable.product.template import template_yaml

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_template_writes_the_skeleton_and_refuses_to_overwrite(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "securable.yaml"
    code, out, _ = run(capsys, "init", str(target), "--template")
    assert code == 0
    assert target.read_text("utf-8") == template_yaml()
    assert "securable questions" in out

    target.write_text("my answers\n", "utf-8")
    code, _, err = run(capsys, "init", str(target), "--template")
    assert code == 2
    assert "already exists" in err
    assert "--force" in err
    assert target.read_text("utf-8") == "my answers\n"

    code, _, _ = run(capsys, "init", str(target), "--template", "--force")
    assert code == 0
    assert target.read_text("utf-8") == template_yaml()


def test_questions_on_the_example_are_all_answered(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "questions", str(CAMERA), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"file", "counts", "questions"}
    assert data["counts"]["open"] == 0
    first = data["questions"][0]
    assert set(first) == {"id", "status", "section", "question", "fields", "missing", "reason"}
    assert first["id"] == "Q3.1-1"
    assert first["section"] == "3.1"
    assert first["question"] == "Which types of people are expected customers for this device?"
    assert {q["status"] for q in data["questions"]} <= {"answered", "not-applicable"}


def test_questions_on_the_template_are_all_open_and_say_where(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "securable.yaml"
    target.write_text(template_yaml(), "utf-8")
    code, out, _ = run(capsys, "questions", str(target), "--format", "json")
    assert code == 0  # open questions are information, not failure
    data = json.loads(out)
    assert {q["status"] for q in data["questions"]} == {"open"}
    assert data["counts"]["open"] == len(data["questions"])
    where = next(q for q in data["questions"] if q["id"] == "Q3.1-4")
    assert where["missing"] == ["use_cases[0].where"]

    code, out, _ = run(capsys, "questions", str(target))
    assert code == 0
    assert out.startswith("ID")
    assert "missing: use_cases[0].where" in " ".join(out.split())  # the column wraps
    assert f"{len(data['questions'])} questions: 0 answered" in out


def test_questions_status_filter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "questions", str(CAMERA), "--status", "open", "--format", "json")
    assert code == 0
    assert json.loads(out)["questions"] == []
    code, out, _ = run(capsys, "questions", str(CAMERA), "--status", "open")
    assert "(nothing)" in out


def test_questions_on_a_missing_file_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "questions", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "init --template" in err


def test_init_reads_answers_from_standard_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["Acme Thermo", "Acme Inc."])

    def fake_input(prompt: str) -> str:
        print(prompt, end="")
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    target = tmp_path / "securable.yaml"
    code, out, _ = run(capsys, "init", str(target))
    assert code == 0  # a save-and-stop is not a failure
    assert "Name of the device" in out
    assert "2 answers saved" in out
    assert (tmp_path / ".securable.yaml.init-state.json").is_file()
    assert not target.exists()

    monkeypatch.setattr("builtins.input", lambda prompt: "q")
    code, out, _ = run(capsys, "init", str(target))
    assert code == 0
    assert "Resuming" in out
