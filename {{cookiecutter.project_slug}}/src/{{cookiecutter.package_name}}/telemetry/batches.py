"""Finished spans on their way out: a bounded queue that a background thread empties in batches.

A request appends its span already encoded (a few µs): bytes, which the garbage collector
never scans however long they wait, where objects outliving their request would make its full
collections frequent and long. The thread sends every ``OTEL_BSP_SCHEDULE_DELAY``
milliseconds, or as soon as a batch is full. When the collector
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
            self.wake.wait(self.delay)
            self.wake.clear()
            self._send_all()

    def _send_all(self) -> None:
        while self.queue:
            batch: list[bytes] = []
            while self.queue and len(batch) < self.batch_size:
                batch.append(self.queue.popleft())
            if not self.send(batch):
                EXPORT_FAILED.inc(len(batch))
                if self.stopping:  # one timeout at most on the way out: the rest is lost too
                    EXPORT_FAILED.inc(len(self.queue))
                    self.queue.clear()

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
        self._send_all()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        self.wake.set()
        return True
