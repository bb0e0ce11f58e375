"""The example ``items`` resource: create, read, page through, update and delete items."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from ...errors import problem_responses
from ...schemas.items import ItemCreate, ItemPage, ItemRead, ItemUpdate
from ...services.items import ItemService
from .item_access import WRITE, WRITE_RESPONSES
from .item_store import STORE_ERRORS, get_item_service

router = APIRouter(
    prefix="/items", tags=["items"], responses=problem_responses(404, 409, *STORE_ERRORS)
)

ItemServiceDep = Annotated[ItemService, Depends(get_item_service)]
# Ids are 32-bit in every database: a larger one is a 422, not a driver error.
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]
# Deep offsets make the database skip every row before the page; beyond this, page by id.
MAX_OFFSET = 1_000_000


@router.get("")
async def list_items(
    service: ItemServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ItemPage:
    items, total = await service.list(limit, offset)
    return ItemPage(
        items=[ItemRead.model_validate(item) for item in items],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/{item_id}")
async def get_item(item_id: ItemId, service: ItemServiceDep) -> ItemRead:
    return ItemRead.model_validate(await service.get(item_id))


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE, responses=WRITE_RESPONSES)
async def create_item(
    data: ItemCreate, service: ItemServiceDep, request: Request, response: Response
) -> ItemRead:
    item = await service.create(data)
    # url_for keeps the link right wherever the API is mounted.
    response.headers["Location"] = request.url_for("get_item", item_id=item.id).path
    return ItemRead.model_validate(item)


@router.patch("/{item_id}", dependencies=WRITE, responses=WRITE_RESPONSES)
async def update_item(item_id: ItemId, changes: ItemUpdate, service: ItemServiceDep) -> ItemRead:
    return ItemRead.model_validate(await service.update(item_id, changes))


@router.delete(
    "/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WRITE,
    responses=WRITE_RESPONSES,
)
async def delete_item(item_id: ItemId, service: ItemServiceDep) -> None:
    await service.delete(item_id)
