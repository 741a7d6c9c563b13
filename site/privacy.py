"""Masking of personal numbers (PIPL Arts. 28–29: ID-card numbers are sensitive).

Every public page, log line and export shows these masked. The full ID-card number is
never stored: only a keyed hash (to detect duplicates) and its last four characters.
"""

import hashlib
import hmac
import re

from django.conf import settings

# An 18-character resident ID number (GB 11643) in free text, also when typed in the
# 6-8-4 groups that forms print ("510402 19800101 0012"). Any such run is masked, valid
# check digit or not: a mistyped ID number is still personal data (the price is that a
# 14-digit number followed by a 4-digit one is masked too). Only digits bound it, so
# "身份证510402…" and "id=510402…" are caught, while longer runs (order numbers,
# 20-digit grid codes) and shorter codes (12-digit community codes) are not.
ID_NUMBER_RE = re.compile(
    r"(?<!\d)(\d{6})[ -]?(\d{8})[ -]?(\d{3}[\dXxＸｘ])(?![\dXxＸｘ])"
)
# A mainland mobile number, with an optional +86 / 86 prefix and the 3-4-4 grouping
# people type ("139 1234 5678", "139-1234-5678"). Digit boundaries keep it from
# matching inside longer numbers such as a 12-digit community code.
PHONE_RE = re.compile(
    r"(?<![\d+])(?P<prefix>(?:\+?86[ -]?)?)(?P<head>1[3-9]\d)(?P<sep1>[ -]?)"
    r"(?P<middle>\d{4})(?P<sep2>[ -]?)(?P<tail>\d{4})(?!\d)"
)
# A mobile number as a person record stores it: 11 ASCII digits, 1[3-9] first.
MOBILE_RE = re.compile(r"1[3-9]\d{9}", flags=re.ASCII)

# GB 11643-1999 check digit weights and codes.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def normalise_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def id_number_check_digit(body: str) -> str:
    """The GB 11643 check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def id_number_checksum_ok(value: str) -> bool:
    """True when an 18-character resident ID number has a valid GB 11643 check digit."""
    value = normalise_id_number(value)
    if not re.fullmatch(r"\d{17}[\dX]", value, flags=re.ASCII):
        return False
    return id_number_check_digit(value[:17]) == value[17]


def id_number_hash(value: str) -> str:
    key = settings.ID_NUMBER_HASH_KEY.encode()
    return hmac.new(
        key, normalise_id_number(value).encode(), hashlib.sha256
    ).hexdigest()


def mask_id_last4(last4: str) -> str:
    """What every page shows for an ID number: 14 stars and the last four characters."""
    return "*" * 14 + (last4 or "????")


def normalise_mobile(value: str) -> str | None:
    """The 11-digit form of a mainland mobile number, or None when it is not one.

    Spaces, hyphens and a +86 / 86 prefix are dropped, as people type them.
    """
    digits = re.sub(r"[\s-]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if MOBILE_RE.fullmatch(digits) else None


def mask_phone(phone: str) -> str:
    """First three and last four of a mobile; shorter numbers show the last four."""
    phone = (phone or "").strip()
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) >= 8:
        return "*" * (len(phone) - 4) + phone[-4:]
    return "*" * len(phone)


def official_phone(phone: str, *, public: bool) -> str:
    """An office's, a station's or a grid worker's work number as a public page
    shows it: in full when staff flagged it public (an official number, public by
    choice), else masked like any private number."""
    phone = (phone or "").strip()
    return phone if public else mask_phone(phone)


def scrub(text: str) -> str:
    """Mask every ID-card and mobile number in free text (logs, error messages)."""
    text = ID_NUMBER_RE.sub(lambda m: "*" * 14 + m.group(3), text)
    return PHONE_RE.sub(
        lambda m: m["prefix"] + m["head"] + m["sep1"] + "****" + m["sep2"] + m["tail"],
        text,
    )
