"""What ``Client.batch`` yields: one request's outcome."""

from __future__ import annotations

from typing import Any, Optional


class BatchResult:
    """One row's outcome: ``index`` is its position in the input (from 0) and ``row``
    its number (from 1: the first row is row 1, as in the CLI's output, C's batch and
    a spreadsheet); ``data`` is
    what ``Client.call`` returns for it, or None if it failed; ``error`` is the
    exception ``call`` would have raised (an ``AimisError``), or None."""

    __slots__ = ("index", "data", "error")

    def __init__(self, index: int, data: Any, error: Optional[BaseException]) -> None:
        self.index = index
        self.data = data
        self.error = error

    @property
    def row(self) -> int:
        """The row's number, from 1: ``index + 1``."""
        return self.index + 1

    @property
    def ok(self) -> bool:
        """Whether the request succeeded."""
        return self.error is None

    def __repr__(self) -> str:
        # The data holds patient data and report links: only its kind is shown.
        outcome = f"error={type(self.error).__name__}" if self.error is not None else "ok"
        return f"aimis.BatchResult(index={self.index}, row={self.row}, {outcome})"
