"""Finished spans on their way out: a bounded queue that a background thread empties in batches.

A request appends its span already encoded (a few µs): bytes, which the garbage collector
never scans however long they wait, where objects outliving their request would make its full
collections frequent and long. The thread sends a batch as soon as one is full, and what is
left every ``OTEL_BSP_SCHEDULE_DELAY`` milliseconds: never a small batch between, because
each export costs the request's interpreter lock a whole HTTP exchange whatever its size, and
a thread that sent whatever had arrived meanwhile would, under load, send a few spans at a time
without pause. When the collector
falls behind and the queue is full, the oldest span is dropped; what is dropped and what the
collector did not take are counted in ``tracing_spans_dropped_total``. ``shutdown`` sends what
is left, within the export timeout, so the last requests' spans arrive too.

It is also the SDK's span processor: the spans the SDK records (the calls a request makes)
join the same queue.
"""

import threading
from collections import deque
from collections.abc import Callable

from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor
from prometheus_client import Counter

from . import encoding
from .spans import Finished

MAX_BATCH = 512

DROPPED = Counter(
    "tracing_spans_dropped_total",
    "Spans the collector did not receive, by reason: queue_full (the export fell behind) or "
    "export_failed (the collector refused them or could not be reached).",
    ["reason"],
)
QUEUE_FULL = DROPPED.labels("queue_full")
EXPORT_FAILED = DROPPED.labels("export_failed")


class Batches(SpanProcessor):
    def __init__(
        self, send: Callable[[list[bytes]], bool], max_queue_size: int, delay_ms: int
    ) -> None:
        self.send = send
        self.queue: deque[bytes] = deque(maxlen=max_queue_size)
        self.batch_size = min(MAX_BATCH, max_queue_size)
        self.delay = delay_ms / 1000
        self.wake = threading.Event()
        self.stopping = False
        self.flushing = False  # send all at the next wake, not only full batches
        self.thread = threading.Thread(target=self._run, name="span-export", daemon=True)
        self.thread.start()

    def add(self, span: Finished) -> None:
        """From any thread; never blocks."""
        if self.stopping:
            return
        queue = self.queue
        if len(queue) == queue.maxlen:
            QUEUE_FULL.inc()  # the append below pushes the oldest out
        queue.append(encoding.span(span))
        if len(queue) >= self.batch_size and not self.wake.is_set():
            self.wake.set()

    def _run(self) -> None:
        while not self.stopping:
            delay_over = not self.wake.wait(self.delay)
            self.wake.clear()
            everything, self.flushing = delay_over or self.flushing, False
            self._send(everything)

    def _send(self, everything: bool) -> None:
        """The full batches; with ``everything``, all that was queued when it began as well
        (not what arrives meanwhile, or under load it would never stop sending)."""
        queue = self.queue
        owed = len(queue) if everything else 0
        while queue and (len(queue) >= self.batch_size or owed > 0):
            batch = [queue.popleft() for _ in range(min(len(queue), self.batch_size))]
            owed -= len(batch)
            if not self.send(batch):
                EXPORT_FAILED.inc(len(batch))
                if self.stopping:  # one timeout at most on the way out: the rest is lost too
                    EXPORT_FAILED.inc(len(queue))
                    queue.clear()

    # The SDK's span processor interface.
    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        """Nothing to do before a span ends."""

    def on_end(self, span: ReadableSpan) -> None:
        context = span.context
        if context is not None and context.trace_flags.sampled:
            self.add(Finished.of(span, context))

    def shutdown(self) -> None:
        """Sends what is queued and stops the thread (the SDK's provider calls this too)."""
        if self.stopping:
            return
        self.stopping = True
        self.wake.set()
        self.thread.join()
        self._send(everything=True)

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        self.flushing = True
        self.wake.set()
        return True
