"""An event's row in the outbox, written in the request's transaction by the shortest path.

On SQLite the row goes to aiosqlite's connection directly. Through SQLAlchemy, one INSERT there
is three trips to aiosqlite's thread (open a cursor, execute, close it) where one does, each
taken while the request's transaction holds SQLite's only write lock, so every other writer
waits longer too. On PostgreSQL it goes through SQLAlchemy as the driver's own SQL, which skips
the statement's compiled form, its parameters' processing and the RETURNING of its key.
"""

import sqlite3
import uuid

from sqlalchemy import exc, insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from .envelope import Message
from .outbox import OUTBOX

INSERT = insert(OUTBOX)
# The row INSERT writes, in each driver's terms (SQLAlchemy keeps a UUID on SQLite as 32 hex
# digits).
SQLITE_INSERT = (
    "INSERT INTO event_outbox (id, type, subject, payload, attempts) VALUES (?, ?, ?, ?, 0)"
)
POSTGRES_INSERT = (
    "INSERT INTO event_outbox (id, type, subject, payload, attempts) VALUES ($1, $2, $3, $4, 0)"
)


async def write_row(session: AsyncSession, event_id: uuid.UUID, message: Message) -> None:
    """Add ``message`` to the outbox in ``session``'s transaction."""
    connection = await session.connection()
    driver = connection.dialect.driver
    if driver == "aiosqlite" and await _on_aiosqlite(connection, event_id, message):
        return
    payload = message.payload.decode()
    if driver == "asyncpg":
        row = (event_id, message.type, message.subject, payload)
        await connection.exec_driver_sql(POSTGRES_INSERT, row)
        return
    # Another driver, or SQLite's transaction not open yet: SQLAlchemy opens it.
    values = {"id": event_id, "type": message.type, "subject": message.subject, "payload": payload}
    await connection.execute(INSERT, values)


async def _on_aiosqlite(connection: AsyncConnection, event_id: uuid.UUID, message: Message) -> bool:
    """Write the row on aiosqlite's own connection if the transaction is open there (the
    request's change came first); whether it was written."""
    driver = (await connection.get_raw_connection()).driver_connection
    if driver is None or not driver.in_transaction:
        return False
    parameters = (event_id.hex, message.type, message.subject, message.payload.decode())
    try:
        await driver.execute(SQLITE_INSERT, parameters)
    except sqlite3.Error as error:  # raised as SQLAlchemy would: a lost file is still a 503
        if isinstance(error, sqlite3.OperationalError):
            raise exc.OperationalError(SQLITE_INSERT, parameters, error) from error
        raise exc.DBAPIError(SQLITE_INSERT, parameters, error) from error
    return True
