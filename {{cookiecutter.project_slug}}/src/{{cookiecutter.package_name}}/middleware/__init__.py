"""Pure ASGI middleware: each class wraps the app, passes non-HTTP scopes straight through, and
keeps per-request state in locals or context variables, never on ``self``."""
