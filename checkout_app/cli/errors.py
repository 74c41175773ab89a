"""Expected failures of ``checkout-app`` commands and their exit codes.

A module of its own so that ``main.py`` and the command modules it assembles share them without
importing each other.
"""

from __future__ import annotations

EXIT_BAD_INPUT = 2
EXIT_SOURCE_FAILED = 3
EXIT_MODEL_FAILED = 4


class CliError(Exception):
    """An expected failure: printed as one line, exit code attached."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code
