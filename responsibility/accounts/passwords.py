"""Password hashing and the password policy.

Hashes are argon2id (RFC 9106) through argon2-cffi's :class:`~argon2.PasswordHasher` with the
RFC 9106 "low memory" profile spelled out below, so a library upgrade that changes its defaults
cannot silently change ours. :func:`needs_rehash` tells a caller (``authenticate``) when a stored
hash uses older parameters, so hashes migrate on the next successful login.

Nothing here touches the database: ``set_password`` only changes attributes of a ``User``; the
service that calls it writes the audit event and the web view or command commits.
"""

from __future__ import annotations

import contextlib
import functools
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import Argon2Error, InvalidHashError

from ..errors import BadInput
from ..messages import N_
from ..models import User

__all__ = [
    "ARGON2_HASH_LEN",
    "ARGON2_MEMORY_COST_KIB",
    "ARGON2_PARALLELISM",
    "ARGON2_SALT_LEN",
    "ARGON2_TIME_COST",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "check_policy",
    "hash_password",
    "needs_rehash",
    "set_password",
    "verify_password",
]

ARGON2_TIME_COST = 3
"""Passes over memory (RFC 9106 second recommended option)."""
ARGON2_MEMORY_COST_KIB = 64 * 1024
"""64 MiB per hash: costly for GPU guessing, affordable for a login or two per second per core."""
ARGON2_PARALLELISM = 4
"""Lanes; argon2-cffi computes them with threads."""
ARGON2_HASH_LEN = 32
ARGON2_SALT_LEN = 16

MIN_LENGTH = 10
"""Default minimum number of characters (Chinese characters count one each)."""
MAX_LENGTH = 256
"""Upper bound so that a megabyte "password" cannot be used to burn CPU."""

_hasher = PasswordHasher(
    time_cost=ARGON2_TIME_COST,
    memory_cost=ARGON2_MEMORY_COST_KIB,
    parallelism=ARGON2_PARALLELISM,
    hash_len=ARGON2_HASH_LEN,
    salt_len=ARGON2_SALT_LEN,
    type=Type.ID,
)


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` in PHC string form (``$argon2id$v=19$m=…``)."""
    return _hasher.hash(password)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; never raises.

    ``None`` (an account without a usable password) and malformed hashes give False. For ``None``
    a dummy hash is still verified, so an unknown or unactivated account costs the same time as a
    wrong password and response times do not reveal which accounts exist.
    """
    if password_hash is None:
        with contextlib.suppress(Argon2Error):
            _hasher.verify(_dummy_hash(), password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (Argon2Error, ValueError, TypeError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when ``password_hash`` was made with parameters other than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


def check_policy(password: str, min_length: int = MIN_LENGTH, *, username: str | None = None) -> None:
    """Raise :class:`BadInput` (a catalogue msgid) unless ``password`` is acceptable.

    Rules: at least ``min_length`` characters, at most :data:`MAX_LENGTH`, not only digits (a
    phone or ID-card number is the first thing an attacker tries), not only spaces, and not the
    username itself.
    """
    if not isinstance(password, str) or len(password) < min_length:
        raise BadInput(
            N_("The password must have at least %(count)s characters and not be all digits."), count=min_length
        )
    if len(password) > MAX_LENGTH:
        raise BadInput(N_("The password must not exceed %(count)s characters."), count=MAX_LENGTH)
    if password.isdigit():
        raise BadInput(N_("The password must not be all digits: add letters or symbols."))
    if not password.strip():
        raise BadInput(N_("The password must not be only spaces."))
    if username is not None and password.strip().casefold() == username.strip().casefold():
        raise BadInput(N_("The password must not be the username."))


def set_password(user: User, password: str, *, must_change: bool, min_length: int = MIN_LENGTH) -> None:
    """Check the policy, store the new hash, and cancel any pending activation link.

    ``must_change=True`` is for passwords chosen by someone else (an admin's initial password):
    the owner must replace it at the next login.
    """
    check_policy(password, min_length, username=user.username)
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    user.activation_token_hash = None
    user.activation_expires_at = None
