"""Who hears of the items' changes: nobody.

(Rendered with the events option, this module hands them to ``events/``.)
"""

from fastapi import Request

from ...services.events import NO_EVENTS, Events


def item_events(request: Request, session: object = None) -> Events:
    """The events of one request (``session``: the request's database session, if any)."""
    return NO_EVENTS
