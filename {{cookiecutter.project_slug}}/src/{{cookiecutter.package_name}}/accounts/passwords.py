"""Passwords: the rule a new one must meet, and hashing with Argon2id (pwdlib).

Hashing is deliberately slow (tens of milliseconds, 64 MiB of memory each) so that a stolen
table is slow to crack; it runs in threads, at most ``ACCOUNTS_HASHING_CONCURRENCY`` at once per
process, so logins never stall the event loop nor exhaust memory. Hashes made with bcrypt (an
import from another system) are verified and replaced by Argon2id on the next login.
"""

import asyncio
import secrets
import unicodedata

from pwdlib import PasswordHash
from pwdlib.exceptions import PwdlibError
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher

from .settings import AccountsSettings

# Argon2id with argon2-cffi's defaults (RFC 9106's second recommended option): t=3, m=64 MiB,
# p=4. The first hasher hashes; the others only verify (and their hashes are upgraded).
HASHERS = (Argon2Hasher(), BcryptHasher())
MIN_DISTINCT_CHARACTERS = 5


class WeakPasswordError(ValueError):
    """A new password that breaks the rule; the message says which part, for the client."""


class PasswordPolicy:
    def __init__(self, settings: AccountsSettings) -> None:
        self.min_length = settings.password_min_length
        self.max_length = settings.password_max_length

    def check(self, password: str, username: str) -> None:
        """NIST SP 800-63B's rule: long enough, not too long to hash, not the username, and
        more than a few distinct characters; no composition rules."""
        if len(password) < self.min_length:
            raise WeakPasswordError(f"must be at least {self.min_length} characters")
        if len(password) > self.max_length:
            raise WeakPasswordError(f"must be at most {self.max_length} characters")
        if len(set(password)) < MIN_DISTINCT_CHARACTERS:
            raise WeakPasswordError(
                f"must hold at least {MIN_DISTINCT_CHARACTERS} distinct characters"
            )
        if username and normalise(username) in normalise(password):
            raise WeakPasswordError("must not contain the username")


def normalise(text: str) -> str:
    """The form names are compared in: compatibility-composed, case-folded, trimmed."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


class Hasher:
    """Hashes and checks passwords off the event loop, a few at a time."""

    def __init__(self, settings: AccountsSettings) -> None:
        self.passwords = PasswordHash(HASHERS)
        self.max_length = settings.password_max_length
        self.slots = asyncio.Semaphore(settings.hashing_concurrency)
        self._dummy: str | None = None

    async def hash(self, password: str) -> str:
        async with self.slots:
            return await asyncio.to_thread(self.passwords.hash, password)

    async def verify(self, password: str, hashed: str | None) -> tuple[bool, str | None]:
        """Whether ``password`` matches ``hashed``, and the hash to store instead when it was
        made by an older method. Without a hash (no such user), a dummy one is checked, so the
        answer takes as long as for a wrong password."""
        if len(password) > self.max_length:
            return False, None  # before hashing: a megabyte of password is not hashed
        if hashed is None:
            hashed = await self.dummy_hash()
            await self._verify(password, hashed)
            return False, None
        return await self._verify(password, hashed)

    async def _verify(self, password: str, hashed: str) -> tuple[bool, str | None]:
        async with self.slots:
            try:
                return await asyncio.to_thread(self.passwords.verify_and_update, password, hashed)
            except (PwdlibError, ValueError):  # a hash of no known method; bcrypt's 72 bytes
                return False, None

    async def dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = await self.hash(secrets.token_urlsafe(24))
        return self._dummy
