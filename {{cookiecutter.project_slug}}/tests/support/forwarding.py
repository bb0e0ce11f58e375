"""A broker that is away, then back: the service pointed at a loopback port that refuses
connections until ``back()``, then forwards them to the real broker (a server on this machine,
which the tests cannot stop)."""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from .events import EventBroker
from .proxy import TcpProxy
from .servers import free_port


def through(url: str, port: int) -> str:
    """``url`` with its host and port made 127.0.0.1:``port`` (credentials and path kept)."""
    parts = urlsplit(url)
    user = parts.netloc.rpartition("@")[0]
    netloc = f"{user}@127.0.0.1:{port}" if user else f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def nowhere(url: str) -> str:
    """``url`` pointed at a loopback port nothing listens on."""
    return through(url, free_port())


class ForwardedBroker:
    """``broker`` (a server at ``url``) away: the service is pointed, by ``variable``, at a proxy
    that starts forwarding to it at ``back()``."""

    def __init__(self, broker: EventBroker, url: str, variable: str) -> None:
        self._broker = broker
        server = urlsplit(url)
        self.proxy = TcpProxy((server.hostname or "127.0.0.1", server.port or 0))
        self.environment = {variable: through(url, self.proxy.port)}

    def back(self) -> EventBroker:
        self.proxy.start()
        return self._broker


@contextmanager
def forwarded(broker: EventBroker, url: str, variable: str) -> Iterator[ForwardedBroker]:
    away = ForwardedBroker(broker, url, variable)
    try:
        yield away
    finally:
        away.proxy.stop()
