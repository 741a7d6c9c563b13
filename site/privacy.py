"""Masking of personal numbers (PIPL Arts. 28–29: ID-card numbers are sensitive).

Every public page, log line and export shows these masked. The full ID-card number is never
stored: only a keyed hash (to detect duplicates) and its last four characters.
"""

import hashlib
import hmac
import re

from django.conf import settings

ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")

# GB 11643-1999 check digit weights and codes.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def normalise_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def id_number_checksum_ok(value: str) -> bool:
    """True when an 18-character resident ID number has a valid GB 11643 check digit."""
    value = normalise_id_number(value)
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == value[17]


def id_number_hash(value: str) -> str:
    key = settings.ID_NUMBER_HASH_KEY.encode()
    return hmac.new(
        key, normalise_id_number(value).encode(), hashlib.sha256
    ).hexdigest()


def mask_id_last4(last4: str) -> str:
    """What every page shows for an ID number: 14 stars and the last four characters."""
    return "*" * 14 + (last4 or "????")


def mask_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def scrub(text: str) -> str:
    """Mask every ID-card and mobile number found in free text (logs, error messages)."""
    text = ID_NUMBER_RE.sub(lambda m: "*" * 14 + m.group(3), text)
    return PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
