"""Version 1 of the API, mounted at ``/api/v1``. Each resource adds its router here."""

from fastapi import APIRouter

from . import items, service

router = APIRouter()
router.include_router(service.router)
router.include_router(items.router)
