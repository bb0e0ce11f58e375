"""What handlers read from the running app (each test builds an app with its own settings).

Plain functions rather than FastAPI dependencies: ``Depends`` costs more per request than these
lookups, and tests swap settings by building the app with other ones, not by overriding them.
Keep ``Depends`` for what tests replace, like the item service.
"""

from fastapi import Request

from ..config import Settings


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings
