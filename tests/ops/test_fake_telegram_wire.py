"""The fake's form decoding reads a body exactly as parse_qs does, the odd bodies included."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from ops.fake_telegram.wire import copy_json, form_fields

_KEYBOARD = {
    "inline_keyboard": [[{"text": "« Назад", "callback_data": "b:1"}, {"text": "10:00", "callback_data": "s:7"}]]
}

BODIES = [
    urllib.parse.urlencode(
        {"chat_id": "5000001", "text": "Свободное время\nрекрутёр", "reply_markup": json.dumps(_KEYBOARD)}
    ),
    urllib.parse.urlencode({"text": json.dumps('кавычки " и \\ обратная черта', ensure_ascii=False)}),
    "text=a+b%2Bc&empty=&bare&name=first&name=last",  # +, an empty value, no '=', a repeated name
    "text=100%&other=%zz%4&tail=%",  # a % without two hex digits stays as it is
    "text=%D0%B0%D0",  # a UTF-8 sequence cut short
    "text=back\\slash\\x41%41&%74ext2=%5Cx41",  # the body's own backslashes, an encoded name
    "",
    "&&text=x&&",
]


@pytest.mark.parametrize("body", BODIES)
def test_a_form_body_decodes_as_parse_qs_decodes_it(body: str) -> None:
    expected = {k: v[-1] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}

    assert form_fields(body.encode()) == expected


def test_a_copy_of_json_data_is_equal_and_shares_nothing() -> None:
    original = {"message": {"reply_markup": _KEYBOARD, "text": "Тест", "date": 1, "ok": True, "none": None}}

    copied = copy_json(original)
    copied["message"]["reply_markup"]["inline_keyboard"][0].pop()

    assert copied != original
    assert original["message"]["reply_markup"] == _KEYBOARD
    assert len(_KEYBOARD["inline_keyboard"][0]) == 2
