"""The baseline for starting with a database: the bare FastAPI app of ``baseline.py`` (the same
handlers) plus what a user writing the service by hand would add for the default answers:
SQLAlchemy's asyncio engine on aiosqlite, connecting at startup and creating its table if it is
missing (``DATABASE_URL``, a SQLite file in the working folder by default), and a route reading
an item by its id (a route with a parameter costs FastAPI more to set up than one without)."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import baseline
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

engine = create_async_engine(os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///baseline.sqlite3"))
CREATE_ITEMS = """
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL UNIQUE,
    description VARCHAR(1000),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as connection:
        await connection.execute(text(CREATE_ITEMS))
    yield
    await engine.dispose()


class Item(BaseModel):
    id: int
    name: str
    description: str | None


async def read_item(item_id: int) -> Item:
    async with engine.connect() as connection:
        result = await connection.execute(
            text("SELECT id, name, description FROM items WHERE id = :id"), {"id": item_id}
        )
        row = result.first()
    if row is None:
        raise HTTPException(404)
    return Item(id=row.id, name=row.name, description=row.description)


app = baseline.build(FastAPI(lifespan=lifespan))
app.add_api_route("/api/v1/items/{item_id}", read_item)
