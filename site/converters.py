"""Path converters shared by every URLconf (registered once, in `YishiConfig.ready`).

`<id:name>` is a database id: digits only, at most 2^63−1 (PostgreSQL's bigint and
SQLite's INTEGER). A larger value is no match, so the URL answers 404 instead of
reaching a query that would overflow. Every id route uses it instead of `<int:…>`.
"""

from __future__ import annotations

from django.urls import register_converter

MAX_DATABASE_ID = 2**63 - 1


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


def register() -> None:
    register_converter(DatabaseIdConverter, "id")
