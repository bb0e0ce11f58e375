"""Request dependencies shared by the routers."""

from typing import Annotated

from fastapi import Depends, Request

from ..config import Settings


def get_app_settings(request: Request) -> Settings:
    """The settings the running app was built with (tests build apps with their own)."""
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(get_app_settings)]
