"""The posture diff between two versions of a product (``securable.assess.diff`` via ``api.diff``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from securable import api
from securable.product.answering import answer
from securable.product.template import template_yaml
from securable.product.yamlsource import read_yaml

CAMERA = Path(__file__).resolve().parents[1] / "examples" / "home-camera" / "securable.yaml"
TODAY = date(2026, 12, 4)


def _diff(old: bytes, new: bytes) -> api.DiffResult:
    return api.diff(api.Document("old.yaml", old), api.Document("new.yaml", new), today=TODAY)


def test_a_version_against_itself_is_unchanged() -> None:
    raw = CAMERA.read_bytes()
    result = _diff(raw, raw)
    assert result.diff.unchanged
    assert all(t.before == t.after for t in result.diff.totals)
    assert [r.name for r in result.reads] == ["old.yaml", "new.yaml"]


def test_a_changed_value_is_one_field_change() -> None:
    raw = CAMERA.read_bytes()
    old_version = read_yaml(raw.decode(), "x").data["product"]["version"]
    result = _diff(raw, answer(raw, "product.version", "9.9")).diff
    assert [(f.place, f.before, f.after) for f in result.fields] == [
        ("product.version", f'"{old_version}"', '"9.9"')
    ]
    assert result.questions == ()
    assert result.coverage == ()


def test_answers_coverage_and_findings_move_together() -> None:
    empty = answer(template_yaml().encode(), "product.name", "Cam")
    full = CAMERA.read_bytes()
    forward = _diff(empty, full).diff
    backward = _diff(full, empty).diff
    # Questions the camera answers were open in the template.
    assert forward.questions
    assert all(q.before == "open" for q in forward.questions)
    assert {q.question for q in forward.questions} == {q.question for q in backward.questions}
    # Coverage changes mirror each other.
    assert {(c.requirement, c.before, c.after) for c in forward.coverage} == {
        (c.requirement, c.after, c.before) for c in backward.coverage
    }
    assert forward.coverage
    # A finding gone one way appeared the other way.
    assert sorted(map(repr, forward.findings_removed)) == sorted(map(repr, backward.findings_added))
    assert sorted(map(repr, forward.findings_added)) == sorted(map(repr, backward.findings_removed))
    assert forward.findings_added or forward.findings_removed
