"""Whether an override may replace its default, and how it reads with sample values (the admin's preview).

One rule set, used by the admin form (a clear error, nothing saved), the service (refuses the same) and the
store (a stored row that no longer passes, e.g. after the default gained a placeholder, is skipped).
"""

from __future__ import annotations

import string

from notifications.copy.catalog import CATALOG, SAMPLE_VALUES, Entry, Form

# Bot API: sendMessage text is 1–4096 characters; answerCallbackQuery text 0–200.
MESSAGE_MAX_CHARS = 4096
TOAST_MAX_CHARS = 200
# The Bot API sets no limit on a button's label (the 64 bytes are its callback_data), but phones cut a long one
# with «…», and the cut part may be the word the button must keep. Ours: a label fits a phone's full-width row.
BUTTON_MAX_CHARS = 60


def _fields(text: str) -> list[tuple[str, str, str | None]]:
    """(field name, format spec, conversion) of every placeholder; ValueError on a broken format string."""
    return [(name, spec or "", conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None]


def _limit(entry: Entry) -> int:
    return {Form.BUTTON: BUTTON_MAX_CHARS, Form.TOAST: TOAST_MAX_CHARS}.get(entry.form, MESSAGE_MAX_CHARS)


def _quoted(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(f"{{{name}}}" for name in names)


def override_errors(key: str, text: str) -> list[str]:
    """Why this text cannot replace the default of key (in Russian), or [] when it can."""
    entry = CATALOG.get(key)
    if entry is None:
        return [f"Нет такого текста: {key}."]
    if not text.strip():
        return ["Текст пустой. Чтобы вернуть текст по умолчанию, снимите галочку «действует»."]
    try:
        fields = _fields(text)
    except ValueError:
        return ["Фигурные скобки не парные. Подстановка пишется так: {when}; сами скобки — {{ и }}."]
    errors: list[str] = []
    names = [name for name, _, _ in fields]
    odd = sorted({name for name, spec, conv in fields if spec or conv or not name.isidentifier()})
    if odd:
        errors.append(f"Подстановки пишутся только как {{имя}}, без двоеточий и точек: {_quoted(odd)}.")
    unknown = sorted({name for name in names if name.isidentifier() and name not in entry.placeholders})
    if unknown:
        allowed = _quoted(entry.placeholders) if entry.placeholders else "никаких"
        errors.append(f"Неизвестные подстановки: {_quoted(unknown)}. В этом тексте можно: {allowed}.")
    missing = [name for name in entry.placeholders if name not in names]
    if missing:
        errors.append(f"Не хватает подстановок: {_quoted(missing)} — без них кандидат не узнает важного.")
    if entry.contract_word and entry.contract_word not in text:
        errors.append(f"На кнопке должно остаться слово «{entry.contract_word}» — по нему её узнают.")
    if entry.form == Form.BUTTON and "\n" in text:
        errors.append("На кнопке текст в одну строку.")
    if errors:
        return errors
    limit = _limit(entry)
    length = len(preview(key, text))
    if length > limit:
        errors.append(f"Слишком длинно: длина с подстановками — {length}, а можно не больше {limit}.")
    return errors


def preview(key: str, text: str) -> str:
    """The text as a candidate would read it, with sample values in the placeholders."""
    values = {name: SAMPLE_VALUES.get(name, name) for name in CATALOG[key].placeholders}
    return text.format(**values)
