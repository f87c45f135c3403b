"""Run a command with one of its output streams on a pseudo-terminal, as a person at a terminal
would see it (tests of colour and progress lines)."""

from __future__ import annotations

import os
import subprocess
import threading


def run_on_terminal(
    command: list[str], env: dict[str, str], *, stream: str = "stdout"
) -> tuple[int, str, str]:
    """Exit code, what reached the terminal (``stream``), and the other stream (piped)."""
    import pty

    leader, follower = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        # Read while the command runs: a terminal's buffer is small, and a command that fills it
        # waits for a reader.
        try:
            while chunk := os.read(leader, 65536):
                chunks.append(chunk)
        except OSError:  # EIO on Linux once the command has exited and the buffer is drained
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    on_stdout = stream == "stdout"
    try:
        proc = subprocess.Popen(
            command,
            env=env,
            stdout=follower if on_stdout else subprocess.PIPE,
            stderr=subprocess.PIPE if on_stdout else follower,
        )
    finally:
        os.close(follower)
    try:
        out, err = proc.communicate(timeout=300)  # a hang guard only, on a machine that may be busy
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(timeout=60)
    os.close(leader)
    other = err if on_stdout else out
    return proc.returncode, b"".join(chunks).decode(), other.decode()
