"""Path converters shared by every URLconf (registered once, in `YishiConfig.ready`).

`<id:name>` is a database id: digits only, at most 2^63−1 (PostgreSQL's bigint and
SQLite's INTEGER). A larger value is no match, so the URL answers 404 instead of
reaching a query that would overflow. Every id route uses it instead of `<int:…>`.

`<text:name>` is a printed number or token (a certificate's number, a check token):
one path segment of at most 100 characters with no control character, so a NUL byte,
which PostgreSQL refuses in a text value, is no match (404) instead of a 500.
"""

from __future__ import annotations

from django.urls import register_converter

MAX_DATABASE_ID = 2**63 - 1


def ascii_digits(text: str) -> bool:
    """True for a non-empty run of 0–9 and nothing else: what a form's id or count
    is checked with. `str.isdigit()` is also true for "²" (which `int()` refuses: a
    500) and for "１２" or "١٢" (which it reads)."""
    return text.isascii() and text.isdigit()


class DatabaseIdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DATABASE_ID:
            raise ValueError("beyond a database id")  # Django answers: no match
        return number

    def to_url(self, value) -> str:
        number = int(value)
        if not 0 <= number <= MAX_DATABASE_ID:
            raise ValueError("not a database id")
        return str(number)


class PrintedTextConverter:
    regex = r"[^/\x00-\x1f\x7f]{1,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


def register() -> None:
    register_converter(DatabaseIdConverter, "id")
    register_converter(PrintedTextConverter, "text")
