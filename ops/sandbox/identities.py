"""Who the sandbox can play: a fixed set of Telegram user ids, only ever used against the fake Bot API."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    """A candidate the sandbox plays: Telegram user id, first name and username."""

    user_id: int
    first_name: str
    username: str


IDENTITIES: tuple[Identity, ...] = (
    Identity(900001, "Иван", "sandbox_ivan"),
    Identity(900002, "Мария", "sandbox_maria"),
    Identity(900003, "Алексей", "sandbox_alexey"),
    Identity(900004, "Ольга", "sandbox_olga"),
    Identity(900005, "Дмитрий", "sandbox_dmitry"),
)
SANDBOX_USER_IDS: frozenset[int] = frozenset(identity.user_id for identity in IDENTITIES)


def identity_get(user_id: int) -> Identity | None:
    """The sandbox identity with this Telegram id, or None."""
    return next((identity for identity in IDENTITIES if identity.user_id == user_id), None)
