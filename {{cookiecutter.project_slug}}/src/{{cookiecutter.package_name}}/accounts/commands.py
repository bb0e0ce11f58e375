"""``python -m <package> user create --username NAME --scopes "users:admin items:write"``: the
first administrator, and anyone else; the password is read from a prompt, or from standard
input when it is not a terminal (a pipe, a secret file), never from the command line, which
other users of the machine can read. ``python -m <package> signing-key`` prints a new key for
``ACCOUNTS_SIGNING_KEYS``."""

import argparse
import asyncio
import getpass
import sys
from collections.abc import Sequence

from ..config import load
from ..db.database import Database
from ..db.settings import DatabaseSettings
from ..errors import AppError
from ..feature import Command
from .keys import new_key_pem
from .passwords import Hasher, PasswordPolicy, WeakPasswordError
from .settings import AccountsSettings
from .users import Users


def account_commands(settings: AccountsSettings) -> Sequence[Command]:
    def user(arguments: argparse.Namespace) -> None:
        password = read_password()
        try:
            PasswordPolicy(settings).check(password, arguments.username)
        except WeakPasswordError as weak:
            raise SystemExit(f"The password {weak}.") from None
        scopes = frozenset(arguments.scopes.split())
        user_id = asyncio.run(create_user(settings, arguments.username, password, scopes))
        print(f"user {user_id} created: {arguments.username} ({' '.join(sorted(scopes))})")

    return [
        Command(
            "user", "create a user (the password from a prompt or stdin)", user, user_arguments
        ),
        Command("signing-key", "print a new key for ACCOUNTS_SIGNING_KEYS", print_signing_key),
    ]


def user_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a user")
    create.add_argument("--username", required=True)
    create.add_argument("--scopes", default="", help='space-separated, e.g. "users:admin"')


def read_password() -> str:
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise SystemExit("The passwords differ.")
        return password
    return sys.stdin.readline().rstrip("\r\n")


async def create_user(
    settings: AccountsSettings, username: str, password: str, scopes: frozenset[str]
) -> int:
    database = Database(load(DatabaseSettings))
    try:
        password_hash = await Hasher(settings).hash(password)
        async with database.sessions() as session:
            try:
                with database.unavailable_on_fault():
                    user = await Users(session).add(username, password_hash, scopes)
                    await session.commit()
            except AppError as error:
                raise SystemExit(f"Cannot create the user: {error.detail}") from None
        return user.id
    finally:
        await database.close()


def print_signing_key(arguments: argparse.Namespace) -> None:
    print(new_key_pem(), end="")
