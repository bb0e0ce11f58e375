"""Who hears of the items' changes: the broker, through ``events/``.

(Rendered without the events option, nobody.)
"""

from ...events.feature import events_for as item_events

__all__ = ["item_events"]
