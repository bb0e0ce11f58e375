"""Who may register and deregister: anyone (the service has no authentication). Put it behind a
network boundary only its services reach."""

from typing import Any

# Dependencies of the routes that change the registry, and the answers they add.
WRITE: list[Any] = []
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {}
