"""A broker that is away, then back: a loopback port that refuses connections until
``start()``, then forwards them to the real broker (a service on this machine, which the tests
cannot stop), until ``stop()`` cuts them."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from urllib.parse import urlsplit, urlunsplit

from .events import EventBroker
from .servers import free_port


class Forwarder:
    def __init__(self, target_url: str) -> None:
        target = urlsplit(target_url)
        self.target = (target.hostname or "127.0.0.1", target.port or 0)
        self.port = free_port()
        # The target's URL with this port instead (its credentials and path kept).
        user = target.netloc.rpartition("@")[0]
        netloc = f"{user}@127.0.0.1:{self.port}" if user else f"127.0.0.1:{self.port}"
        self.url = urlunsplit(target._replace(netloc=netloc))
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []

    def start(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def stop(self) -> None:
        if self._listener is not None:
            with suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            self._listener.close()
            self._listener = None
        for connection in self._sockets:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed by stop()
                return
            upstream = socket.create_connection(self.target)
            self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    with suppress(OSError):
        sink.shutdown(socket.SHUT_WR)


class ForwardedBroker:
    """``broker`` (a server at ``url``) away: the service is pointed, by ``variable``, at a
    forwarder that starts forwarding to it at ``back()``."""

    def __init__(self, broker: EventBroker, url: str, variable: str) -> None:
        self._broker = broker
        self.forwarder = Forwarder(url)
        self.environment = {variable: self.forwarder.url}

    def back(self) -> EventBroker:
        self.forwarder.start()
        return self._broker


@contextmanager
def forwarded(broker: EventBroker, url: str, variable: str) -> Iterator[ForwardedBroker]:
    away = ForwardedBroker(broker, url, variable)
    try:
        yield away
    finally:
        away.forwarder.stop()
