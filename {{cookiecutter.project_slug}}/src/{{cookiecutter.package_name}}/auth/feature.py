"""Authentication as a feature: the ``auth`` stage over the enabled schemes (each of which is a
feature of its own, listed before this one in ``features.py``)."""

from collections.abc import Sequence

from ..feature import Feature
from ..pipeline.stage import Stage
from .scheme import Scheme
from .stage import Authenticate


class Authentication(Feature):
    name = "auth"

    def __init__(self, schemes: Sequence[Scheme]) -> None:
        self.stage = Authenticate(schemes)

    def stages(self) -> Sequence[Stage]:
        return [self.stage]
