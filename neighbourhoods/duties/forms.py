"""Parsing the duties forms: dates, whole numbers and money, with zh/en messages
(a bad value is a 422 from the view, nothing written)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from yishi.converters import ascii_digits

from .services.errors import invalid

MONEY = re.compile(r"^\d{1,12}(\.\d{1,2})?$")


def day(raw: str, field: str, *, required: bool = True) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw and not required:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError as error:
        raise invalid(
            _("%(field)s不是有效日期（年-月-日）。 %(field)s: not a date.")
            % {"field": field}
        ) from error


def whole(raw: str, field: str) -> int:
    raw = (raw or "0").strip() or "0"
    if not ascii_digits(raw) or len(raw) > 9:
        raise invalid(
            _("%(field)s须为不小于 0 的整数。 %(field)s: a whole number ≥ 0.")
            % {"field": field}
        )
    return int(raw)


def fen(raw: str) -> int:
    """Yuan as typed ("12000", "12000.5") to fen, exactly."""
    raw = (raw or "0").strip() or "0"
    if not MONEY.match(raw):
        raise invalid(_("经费金额格式有误（元）。 Funds: an amount in yuan."))
    yuan, _dot, cents = raw.partition(".")
    return int(yuan) * 100 + int((cents + "00")[:2])
