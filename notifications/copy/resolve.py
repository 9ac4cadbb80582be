"""The texts one candidate reads: the defaults of texts.py with the overrides of their vacancy and city.

Order: vacancy + city → vacancy → city → every vacancy and city → the default in code.
"""

from __future__ import annotations

import logging
from typing import Any

from notifications.conversation import texts
from notifications.copy import store
from notifications.copy.catalog import CATALOG, CONFIRMED_KIND_KEYS, KIND_KEYS, default_of

logger = logging.getLogger(__name__)


class OverrideText(str):
    """An override: formats like the default, and falls back to the default rather than send a broken text."""

    default: str
    key: str

    def __new__(cls, text: str, *, key: str, default: str) -> OverrideText:
        obj = super().__new__(cls, text)
        obj.key, obj.default = key, default
        return obj

    def format(self, *args: Any, **kwargs: Any) -> str:
        try:
            return str.format(self, *args, **kwargs)
        except (KeyError, IndexError, ValueError, AttributeError):
            # Validation refuses such a text; this is for a row written behind its back or a changed default.
            logger.exception("text override of %s failed to format: the default is sent", self.key)
            return self.default.format(*args, **kwargs)


class Wording:
    """Attribute access like the texts module (`words.APPROVED`), overrides applied for one vacancy and city."""

    def __init__(self, *, vacancy_id: int | None, city_id: int | None) -> None:
        self._scopes = [(vacancy_id, city_id), (vacancy_id, None), (None, city_id), (None, None)]
        self._current = store.current()

    def __getattr__(self, name: str) -> Any:
        default = getattr(texts, name) if name not in CATALOG else default_of(name)
        if name not in CATALOG or not self._current:
            return default
        for vacancy_id, city_id in self._scopes:
            text = self._current.get((name, vacancy_id, city_id))
            if text is not None:
                return OverrideText(text, key=name, default=default)
        return default

    def kind_template(self, kind: str, default: str, *, confirmed: bool = False) -> str:
        """The template of an outbox kind (its confirmed variant when asked), overridden where the catalog has it."""
        key = (CONFIRMED_KIND_KEYS if confirmed else KIND_KEYS).get(kind)
        return getattr(self, key) if key else default


def wording(*, vacancy_id: int | None = None, city_id: int | None = None) -> Wording:
    """The texts for this vacancy and city (either may be None)."""
    return Wording(vacancy_id=vacancy_id, city_id=city_id)


def wording_for(candidate: Any, *, city_id: int | None = None) -> Wording:
    """The texts this candidate reads: their vacancy, and the city given (a slot's) or their own.

    candidate may be None or a plain label (an erased candidate's rows are re-rendered with one).
    """
    vacancy_id = getattr(candidate, "vacancy_id", None)
    return Wording(vacancy_id=vacancy_id, city_id=city_id or getattr(candidate, "city_id", None))
