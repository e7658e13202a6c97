"""The one error type the pipeline raises for bad input, printed as ``path:line: message``."""

from __future__ import annotations


class NewsgenError(Exception):
    """A problem with one input, located as precisely as we know.

    The CLI prints it as one line and carries on with the other inputs, so the message must
    make sense on its own: name what is wrong, not how the code noticed.
    """

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def located(self, path: str) -> NewsgenError:
        """The same error, attributed to ``path`` if it does not name a file yet."""
        if self.path is not None:
            return self
        return NewsgenError(self.message, path, self.line, self.column)

    def __str__(self) -> str:
        where = [str(part) for part in (self.path, self.line, self.column) if part is not None]
        return ":".join([*where, " " + self.message]) if where else self.message
