"""Helpers shared by the tests (importable: `tests` is on the test path)."""

import json
from io import StringIO
from typing import Any

from my_service.logging import access_log


class LogCapture:
    """Log records written as JSON lines, as in production."""

    def __init__(self) -> None:
        self.stream = StringIO()

    @property
    def records(self) -> list[dict[str, Any]]:
        access_log.flush()  # buffered lines are written every few hundred milliseconds
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def by_logger(self, name: str) -> list[dict[str, Any]]:
        return [record for record in self.records if record["logger"] == name]
