"""Users in the database, through a session the caller commits."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import ConflictError
from .passwords import normalise
from .records import UserRecord


class UsernameTakenError(ConflictError):
    def __init__(self) -> None:
        super().__init__("That username cannot be used.")


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    scopes: frozenset[str]
    disabled: bool
    created_at: datetime
    password_hash: str

    @classmethod
    def of(cls, record: UserRecord) -> "User":
        return cls(
            record.id,
            record.username,
            frozenset(record.scopes.split()),
            record.disabled,
            record.created_at,
            record.password_hash,
        )


class Users:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_name(self, username: str) -> User | None:
        record = await self.session.scalar(
            select(UserRecord).where(UserRecord.username == normalise(username))
        )
        return None if record is None else User.of(record)

    async def by_id(self, user_id: int) -> User | None:
        record = await self.session.get(UserRecord, user_id)
        return None if record is None else User.of(record)

    async def add(self, username: str, password_hash: str, scopes: frozenset[str]) -> User:
        record = UserRecord(
            username=normalise(username),
            password_hash=password_hash,
            scopes=" ".join(sorted(scopes)),
            disabled=False,
        )
        self.session.add(record)
        try:
            await self.session.flush()  # the unique index decides, in this statement
        except IntegrityError:
            raise UsernameTakenError from None
        return User.of(record)

    async def page(self, limit: int, offset: int) -> tuple[list[User], int]:
        total = await self.session.scalar(select(func.count()).select_from(UserRecord))
        records = await self.session.scalars(
            select(UserRecord).order_by(UserRecord.id).limit(limit).offset(offset)
        )
        return [User.of(record) for record in records], total or 0

    async def set_password_hash(self, user_id: int, password_hash: str) -> None:
        await self.session.execute(
            update(UserRecord).where(UserRecord.id == user_id).values(password_hash=password_hash)
        )

    async def set_disabled(self, user_id: int, disabled: bool) -> User | None:
        record = await self.session.get(UserRecord, user_id)
        if record is None:
            return None
        record.disabled = disabled
        await self.session.flush()
        return User.of(record)
