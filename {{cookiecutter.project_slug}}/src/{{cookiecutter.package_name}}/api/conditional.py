"""HTTP conditional requests (RFC 9110): an ``ETag`` on each representation, ``If-None-Match``
answered 304 when the client's copy is current, ``If-Match`` refused with 412 when the client
would change a version it has not seen (a lost update). The repository makes a change to the
version named only, in one conditional write, so of two changes of one version sent at once, one
succeeds and the other is a 412 too.

The tag is a hash of the representation's bytes, so it changes exactly when they do, whichever
process (or cache) produced them.
"""

from hashlib import blake2b
from http import HTTPStatus
from typing import Any

from starlette.responses import Response

from ..errors import PreconditionFailedError

JSON = "application/json"
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified: the tag in If-None-Match is the current one."}
}


def entity_tag(body: bytes) -> str:
    return f'"{blake2b(body, digest_size=12).hexdigest()}"'


def tags(header: str) -> list[str]:
    """The entity tags of an ``If-Match`` or ``If-None-Match`` field (``*`` included)."""
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def none_match(header: str | None, tag: str) -> bool:
    """Whether ``If-None-Match`` lets the request go on (weak comparison: ``W/`` ignored)."""
    if header is None:
        return True
    presented = [t.removeprefix("W/") for t in tags(header)]
    return "*" not in presented and tag not in presented


STALE = "The item changed since the version in If-Match."


def require_match(header: str | None, tag: str) -> bool:
    """Refuse a change of a version other than the one ``If-Match`` names (strong
    comparison); without the field, any version may be changed. Whether the field named this
    version (not ``*``, nor nothing): the change must then be made to this version only, in the
    same write, or two changes sent at once with the same tag could both pass this check."""
    if header is None:
        return False
    presented = tags(header)
    if "*" in presented:
        return False
    if tag not in presented:
        raise PreconditionFailedError(STALE)
    return True


def representation(
    body: bytes, if_none_match: str | None = None, status_code: int = 200
) -> Response:
    """``body`` (JSON) with its tag, or a 304 when the client holds the same."""
    tag = entity_tag(body)
    if not none_match(if_none_match, tag):
        return Response(status_code=HTTPStatus.NOT_MODIFIED, headers={"ETag": tag})
    return Response(body, status_code=status_code, media_type=JSON, headers={"ETag": tag})
