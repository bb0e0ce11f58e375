"""Who may change items: callers with the ``items:write`` scope. Reading stays open."""

from ...auth.scopes import AUTH_RESPONSES, require_scopes

# Dependencies of the routes that change items, and the answers they add.
WRITE = require_scopes("items:write")
WRITE_RESPONSES = AUTH_RESPONSES
