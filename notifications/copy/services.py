"""Changing a bot text: every change, reset and revert is a new row (who and when), never an edit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from notifications.copy import store
from notifications.copy.validation import override_errors
from notifications.models import TextOverride
from scheduling.errors import InvalidInput


def _forget_at_commit() -> None:
    transaction.on_commit(store.forget)


@transaction.atomic
def text_override_save(
    *, key: str, vacancy_id: int | None, city_id: int | None, text: str, is_active: bool, user: Any
) -> TextOverride:
    """A new current version of key for this vacancy and city; inactive means "back to the default"."""
    if is_active:
        errors = override_errors(key, text)
        if errors:
            raise InvalidInput(" ".join(errors))
    row = TextOverride.objects.create(
        key=key, vacancy_id=vacancy_id, city_id=city_id, text=text, is_active=is_active, created_by=user
    )
    _forget_at_commit()
    return row


@transaction.atomic
def text_override_revert(*, override_id: int, user: Any) -> TextOverride:
    """Make an older version current again: a new row with its text, pointing back at it."""
    old = TextOverride.objects.get(pk=override_id)
    if old.is_active:
        errors = override_errors(old.key, old.text)
        if errors:
            raise InvalidInput("Эту версию нельзя вернуть: " + " ".join(errors))
    row = TextOverride.objects.create(
        key=old.key,
        vacancy_id=old.vacancy_id,
        city_id=old.city_id,
        text=old.text,
        is_active=old.is_active,
        reverted_from=old,
        created_by=user,
    )
    _forget_at_commit()
    return row


def text_override_current_id(*, key: str, vacancy_id: int | None, city_id: int | None) -> int | None:
    """The id of the version in force for this scope (the latest row), or None when it never changed."""
    return (
        TextOverride.objects.filter(key=key, vacancy_id=vacancy_id, city_id=city_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
