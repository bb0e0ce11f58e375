"""The transactional outbox: each event is a row written in the same transaction as the change
that caused it, so both are kept or neither is; the relay publishes the rows in order.

A relay claims a batch of pending rows for ``CLAIM_SECONDS`` with one UPDATE (PostgreSQL locks
them with ``FOR UPDATE SKIP LOCKED``, so relays in other workers or replicas take other rows;
SQLite runs one writer at a time), hands them to the producer in order, and marks sent those the
broker acknowledged before any failure; the others wait for the next round. A relay that dies
mid-batch leaves its claim to expire, and the rows are published again: at least once.
"""

import asyncio
import time
from collections.abc import Coroutine
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any

from loguru import logger
from pydantic import Field
from pydantic_settings import BaseSettings
from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    delete,
    func,
    or_,
    select,
    update,
)

from ..config import feature_settings
from ..db.base import Base, UtcDateTime, utcnow
from ..db.database import Database
from ..errors import UnavailableError
from . import metrics
from .envelope import Message
from .publisher import Publisher, PublishError
from .sending import send

CLAIM_SECONDS = 60.0  # longer than a batch takes to publish, so claims do not expire in flight
FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0
PRUNE_EVERY_SECONDS = 60.0
MEASURE_EVERY_SECONDS = 0.5
LINGER_SECONDS = 0.05  # how long a woken relay waits for more commits (Kafka's linger.ms)


class RelaySettings(BaseSettings):
    model_config = feature_settings("EVENTS_")

    relay_interval: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="Seconds between looks at the outbox when no commit woke the relay (events "
        "written by other processes, say).",
    )
    relay_batch: int = Field(
        default=100, ge=1, le=10_000, description="Outbox rows published per round at most."
    )
    sent_retention: float = Field(
        default=86_400.0,
        ge=0,
        description="Seconds a sent event stays in the outbox (to look into) before deletion.",
    )


# A queue read and written by statements only, never loaded as objects: a Core table, which
# spares each statement the ORM's bookkeeping (a quarter of the CPU of a relay's round).
OUTBOX = Table(
    "event_outbox",
    Base.metadata,
    # The order events were written in (SQLite only auto-increments an INTEGER key).
    Column(
        "seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("id", Uuid(), nullable=False, unique=True),
    Column("type", String(200), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("payload", Text(), nullable=False),  # the envelope, as published
    Column("created_at", UtcDateTime(), nullable=False, server_default=utcnow()),
    Column("attempts", Integer(), nullable=False, default=0),
    Column("claimed_until", UtcDateTime()),
    Column("sent_at", UtcDateTime()),
    Index("ix_event_outbox_pending", "sent_at", "seq"),
)


class Relay:
    def __init__(self, publisher: Publisher[Any], topic: str, settings: RelaySettings) -> None:
        self.publisher = publisher
        self.topic = topic
        self.settings = settings
        self._database: Database | None = None
        self._woken = asyncio.Event()
        self._stopping = asyncio.Event()
        self._pruned_at = 0.0
        self._measured_at = 0.0

    @property
    def database(self) -> Database:
        if self._database is None:
            raise RuntimeError("the relay's database is set by run()")
        return self._database

    def wake(self) -> None:
        """Look at the outbox now: events were committed."""
        self._woken.set()

    def stop(self) -> None:
        """Stop after the current round (its claims settled, so no connection is left mid-way)."""
        self._stopping.set()
        self._woken.set()

    async def run(self, database: Database) -> None:
        """Publish what the outbox holds, until stopped."""
        self._database = database
        self._stopping.clear()
        backoff = FIRST_BACKOFF_SECONDS
        while not self._stopping.is_set():
            self._woken.clear()
            try:
                published, complete = await self.round()
                await self.measure(idle=published == 0)
                await self.prune()
            except UnavailableError as error:  # away, missing or not migrated: retried
                logger.warning("Outbox relay: {}", error.detail)
                complete = False
            except Exception:  # a bug: said, and tried again later
                logger.exception("Outbox relay failed")
                complete = False
            if not complete:  # the broker or the database failed: wait longer each time
                await _within(self._stopping.wait(), backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            backoff = FIRST_BACKOFF_SECONDS
            if published < self.settings.relay_batch:  # nothing more waiting: until woken
                await _within(self._woken.wait(), self.settings.relay_interval)
                # Let the commits of a busy moment gather: one round publishes them together.
                await _within(self._stopping.wait(), LINGER_SECONDS)

    async def round(self) -> tuple[int, bool]:
        """Claim a batch and publish it in order: how many were published, and whether all."""
        claimed = await self._claim()
        if not claimed:
            return 0, True
        seqs = [seq for seq, _ in claimed]
        try:
            await send(self.publisher, self.topic, [message for _, message in claimed])
        except PublishError as error:
            done = error.acknowledged
            logger.warning("Outbox relay: {} ({} events wait)", error, len(claimed) - done)
            await self._settle(seqs[:done], seqs[done:])
            return done, False
        await self._settle(seqs, [])
        return len(seqs), True

    async def measure(self, idle: bool) -> None:
        """Bring the depth gauge up to date: when idle, and every ``MEASURE_EVERY_SECONDS``."""
        if not idle and time.monotonic() - self._measured_at < MEASURE_EVERY_SECONDS:
            return
        self._measured_at = time.monotonic()
        with self.database.unavailable_on_fault():
            async with self.database.engine.connect() as connection:
                depth = await connection.scalar(
                    select(func.count()).where(OUTBOX.c.sent_at.is_(None))
                )
        metrics.OUTBOX_DEPTH.set(depth or 0)

    async def prune(self) -> None:
        """Delete the sent events older than ``EVENTS_SENT_RETENTION``, once a minute."""
        if time.monotonic() - self._pruned_at < PRUNE_EVERY_SECONDS:
            return
        before = datetime.now(UTC) - timedelta(seconds=self.settings.sent_retention)
        with self.database.unavailable_on_fault():
            async with self.database.engine.begin() as connection:
                await connection.execute(delete(OUTBOX).where(OUTBOX.c.sent_at < before))
        self._pruned_at = time.monotonic()

    async def _claim(self) -> list[tuple[int, Message]]:
        now = datetime.now(UTC)
        pending = (
            select(OUTBOX.c.seq)
            .where(
                OUTBOX.c.sent_at.is_(None),
                or_(OUTBOX.c.claimed_until.is_(None), OUTBOX.c.claimed_until < now),
            )
            .order_by(OUTBOX.c.seq)
            .limit(self.settings.relay_batch)
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(OUTBOX)
            .where(OUTBOX.c.seq.in_(pending.scalar_subquery()))
            .values(
                claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
                attempts=OUTBOX.c.attempts + 1,
            )
            .returning(
                OUTBOX.c.seq,
                OUTBOX.c.id,
                OUTBOX.c.type,
                OUTBOX.c.subject,
                OUTBOX.c.payload,
            )
        )
        with self.database.unavailable_on_fault():
            async with self.database.engine.begin() as connection:
                rows = (await connection.execute(claim)).all()
        return sorted(
            (row.seq, Message(str(row.id), row.type, row.subject, row.payload.encode()))
            for row in rows
        )

    async def _settle(self, sent: list[int], unsent: list[int]) -> None:
        """Mark the published rows sent, and give back the claim on the others."""
        with self.database.unavailable_on_fault():
            async with self.database.engine.begin() as connection:
                if sent:
                    await connection.execute(
                        update(OUTBOX)
                        .where(OUTBOX.c.seq.in_(sent))
                        .values(sent_at=datetime.now(UTC), claimed_until=None)
                    )
                if unsent:
                    await connection.execute(
                        update(OUTBOX).where(OUTBOX.c.seq.in_(unsent)).values(claimed_until=None)
                    )


async def _within(waiting: Coroutine[Any, Any, object], seconds: float) -> None:
    """Wait for ``waiting``, at most ``seconds``."""
    with suppress(TimeoutError):
        await asyncio.wait_for(waiting, seconds)
