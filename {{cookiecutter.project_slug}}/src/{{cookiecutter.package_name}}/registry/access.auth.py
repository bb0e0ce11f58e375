"""Who may register and deregister: callers with the ``registry:write`` scope. Listing stays
open."""

from ..auth.scopes import AUTH_RESPONSES, require_scopes

# Dependencies of the routes that change the registry, and the answers they add.
WRITE = require_scopes("registry:write")
WRITE_RESPONSES = AUTH_RESPONSES
