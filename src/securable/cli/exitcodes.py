"""The process exit codes, and which one an error stands for: decided here, never in the core.

Plain int constants rather than an IntEnum: importing ``enum`` is a measurable share of the CLI's
start-up time.
"""

from __future__ import annotations

from securable.errors import SecurableError, ValidationFailed


class ExitCode:
    """Documented process exit codes (see README, "Exit codes")."""

    OK = 0
    FINDINGS = 1  # validation failures or findings at or above the chosen severity
    BAD_INPUT = 2  # bad usage, unknown IDs, unreadable or malformed input


def exit_code(error: SecurableError) -> int:
    """1 for a document that was read but fails its checks, 2 for everything the user got wrong."""
    return ExitCode.FINDINGS if isinstance(error, ValidationFailed) else ExitCode.BAD_INPUT
