"""Request dependencies shared by the routers."""

from typing import Annotated

from fastapi import Depends, Request

from ..config import Settings


async def get_app_settings(request: Request) -> Settings:
    """The settings the running app was built with (tests build apps with their own).

    ``async`` although it does no I/O: FastAPI runs plain ``def`` dependencies in a thread pool,
    which costs more than the lookup itself."""
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(get_app_settings)]
