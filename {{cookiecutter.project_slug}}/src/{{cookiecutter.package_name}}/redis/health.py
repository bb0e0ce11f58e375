"""Whether Redis answers, and one log line per outage: at its start and at its end."""

from loguru import logger

from . import metrics


class Health:
    """The state of Redis as one use of it (``rate_limits``, ``cache``) sees it."""

    def __init__(self, use: str, consequence: str) -> None:
        self.use = use
        self.consequence = consequence  # what happens meanwhile, for the log line
        self.down = False

    def failed(self, error: BaseException) -> None:
        metrics.FAILURES.labels(self.use).inc()
        if not self.down:
            self.down = True
            metrics.OUTAGES.labels(self.use).inc()
            logger.warning("Redis unreachable ({!r}): {}", error, self.consequence)

    def answered(self) -> None:
        if self.down:
            self.down = False
            logger.info("Redis answers again: {} as before", self.use)
