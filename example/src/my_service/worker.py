"""The gunicorn worker class: uvicorn with the service's options (``gunicorn_conf.py`` names it).

A module of its own, so that a single-process server never imports gunicorn.
"""

from typing import Any, ClassVar

from uvicorn_worker import UvicornWorker

from .config import get_settings
from .server import uvicorn_options


class Worker(UvicornWorker):  # type: ignore[misc]  # an untyped base class
    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        **UvicornWorker.CONFIG_KWARGS,
        **uvicorn_options(get_settings()),
    }
