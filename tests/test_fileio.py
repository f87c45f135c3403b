"""Output files: replaced in one step, links followed, devices and pipes written in place."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from securable.errors import InputError
from securable.fileio import write_text_atomic


def test_replaces_a_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", "utf-8")
    target.chmod(0o600)
    write_text_atomic(target, "new")
    assert target.read_text("utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_lone_surrogate_is_written_as_its_json_escape(tmp_path: Path) -> None:
    # What os.fsdecode makes of a file name that is not UTF-8, reaching a report through its name.
    name = os.fsdecode(b"bad\xff.json")
    target = tmp_path / "out.json"
    write_text_atomic(target, json.dumps({"file": name}, ensure_ascii=False))
    raw = target.read_bytes()
    assert raw.decode("utf-8") == '{"file": "bad\\udcff.json"}'
    assert json.loads(raw) == {"file": name}  # still valid JSON, with the same content


def test_follows_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old", "utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text("utf-8") == "new"


def test_writes_into_a_pipe_instead_of_replacing_it(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text("utf-8")))
    reader.start()
    write_text_atomic(pipe, "through the pipe")
    reader.join(timeout=10)
    assert received == ["through the pipe"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "it is a folder"), ("missing/out.txt", "does not exist"), ("x" * 300, "cannot write")],
)
def test_bad_targets_are_input_errors(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        write_text_atomic(tmp_path / name if name else tmp_path, "text")
