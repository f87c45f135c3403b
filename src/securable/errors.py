"""The one error base of Securable and its kinds.

Every error a user can cause derives from :class:`SecurableError`; the CLI turns it into a message
and an exit code in one place (``main`` of the command-line shell); the core never decides one.
"""

from __future__ import annotations


class SecurableError(Exception):
    """An error with a message meant for the user, and optionally a hint on how to fix it."""

    def __init__(self, message: str, *, hint: str | None = None, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.location = location

    def render(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        return f"{head}\n  hint: {self.hint}" if self.hint else head


class UsageError(SecurableError):
    """The command line itself is wrong."""


class InputError(SecurableError):
    """A file or value given by the user cannot be read or understood."""


class NotFoundError(SecurableError):
    """An identifier names nothing Securable knows."""

    def __init__(
        self, message: str, *, suggestions: list[str] | None = None, hint: str | None = None
    ) -> None:
        self.suggestions = suggestions or []
        if self.suggestions and hint is None:
            hint = "did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message, hint=hint)


class ValidationFailed(SecurableError):
    """A document was read fine but does not meet its schema or rules; details are in ``problems``.

    The CLI reports these as findings (exit code 1), every other error as bad input (2).
    """

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems

    def render(self) -> str:
        return "\n".join([self.message, *(f"  - {p}" for p in self.problems)])
