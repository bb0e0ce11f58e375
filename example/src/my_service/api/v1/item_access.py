"""Who may change items: anyone (the service has no authentication)."""

from typing import Any

# Dependencies of the routes that change items, and the answers they add.
WRITE: list[Any] = []
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {}
