"""Version 1 of the API, mounted at ``/api/v1``. Each resource adds its router to ``routers``.

The routers are included into the app one by one rather than through a v1 router of routers:
every level of nesting costs route matching on every request.
"""

from fastapi import APIRouter

from . import items, service_info

routers: list[APIRouter] = [service_info.router, items.router]
