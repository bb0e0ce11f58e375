"""The example ``items`` resource: create, read, page through, update and delete items.

Every representation carries an ``ETag``: a read with a current ``If-None-Match`` is a 304, a
change with a stale ``If-Match`` a 412 (``api/conditional.py``). Reads go through
``item_cache.py`` (a Redis cache, when the service has one), which the changes invalidate.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status

from ...errors import problem_responses
from ...repositories.items import Item
from ...schemas.items import ItemCreate, ItemPage, ItemRead, ItemUpdate
from ...services.items import ItemService
from ..conditional import NOT_MODIFIED, entity_tag, representation, require_match
from .item_access import WRITE, WRITE_RESPONSES
from .item_cache import INVALIDATES, cached
from .item_store import STORE_ERRORS, get_item_service

router = APIRouter(
    prefix="/items", tags=["items"], responses=problem_responses(404, 409, *STORE_ERRORS)
)

ItemServiceDep = Annotated[ItemService, Depends(get_item_service)]
# Ids are 32-bit in every database: a larger one is a 422, not a driver error.
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]
# Deep offsets make the database skip every row before the page; beyond this, page by id.
MAX_OFFSET = 1_000_000
IfNoneMatch = Annotated[
    str | None, Header(description="An ETag of the copy held: 304 if it is current.")
]
IfMatch = Annotated[
    str | None, Header(description="The ETag of the version changed: 412 if it is not current.")
]
CHANGES = [*WRITE, *INVALIDATES]
CHANGE_RESPONSES = {**WRITE_RESPONSES, **problem_responses(412)}


def item_body(item: object) -> bytes:
    return ItemRead.model_validate(item).model_dump_json().encode()


async def version_named(service: ItemService, item_id: int, if_match: str | None) -> Item | None:
    """The version of the item ``If-Match`` names (412 if it names another): the change is then
    made to that version only. None without the field, or with ``*``: any version."""
    if if_match is None:
        return None
    item = await service.get(item_id)
    return item if require_match(if_match, entity_tag(item_body(item))) else None


@router.get("", response_model=ItemPage, responses=NOT_MODIFIED)
async def list_items(
    service: ItemServiceDep,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    if_none_match: IfNoneMatch = None,
) -> Response:
    async def compute() -> bytes:
        items, total = await service.list(limit, offset)
        listed = [ItemRead.model_validate(item) for item in items]
        page = ItemPage(items=listed, total=total, limit=limit, offset=offset)
        return page.model_dump_json().encode()

    return representation(await cached(request, f"page:{limit}:{offset}", compute), if_none_match)


@router.get("/{item_id}", response_model=ItemRead, responses=NOT_MODIFIED)
async def get_item(
    item_id: ItemId, service: ItemServiceDep, request: Request, if_none_match: IfNoneMatch = None
) -> Response:
    async def item() -> bytes:
        return item_body(await service.get(item_id))

    return representation(await cached(request, f"item:{item_id}", item), if_none_match)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ItemRead,
    dependencies=CHANGES,
    responses=WRITE_RESPONSES,
)
async def create_item(data: ItemCreate, service: ItemServiceDep, request: Request) -> Response:
    item = await service.create(data)
    response = representation(item_body(item), status_code=status.HTTP_201_CREATED)
    # url_for keeps the link right wherever the API is mounted.
    response.headers["Location"] = request.url_for("get_item", item_id=item.id).path
    return response


@router.patch(
    "/{item_id}", response_model=ItemRead, dependencies=CHANGES, responses=CHANGE_RESPONSES
)
async def update_item(
    item_id: ItemId, changes: ItemUpdate, service: ItemServiceDep, if_match: IfMatch = None
) -> Response:
    expected = await version_named(service, item_id, if_match)
    return representation(item_body(await service.update(item_id, changes, expected)))


@router.delete(
    "/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=CHANGES,
    responses=CHANGE_RESPONSES,
)
async def delete_item(item_id: ItemId, service: ItemServiceDep, if_match: IfMatch = None) -> None:
    await service.delete(item_id, await version_named(service, item_id, if_match))
