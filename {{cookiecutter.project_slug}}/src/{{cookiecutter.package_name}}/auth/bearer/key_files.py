"""Private keys kept in files: written once, readable by their owner only."""

import os
from contextlib import suppress
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes


def private_pem(key: PrivateKeyTypes) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def write_once(path: Path, pem: bytes) -> None:
    """Write a new key, unless another process got there first (then its key is used)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f"{path.name}.{os.getpid()}")
    draft.write_bytes(pem)
    draft.chmod(0o600)
    try:
        with suppress(FileExistsError):
            path.hardlink_to(draft)  # atomic: fails if the key exists
    finally:
        draft.unlink()
