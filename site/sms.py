"""Text messages (短信), through a pluggable backend, as Django sends e-mail.

`YISHI_SMS_BACKEND` names a class by dotted path, as EMAIL_BACKEND does:

- `yishi.sms.ConsoleBackend` (the default): writes each message to the `yishi.sms`
  log, the number masked (138****5678): development and the demo read the code
  there. Nothing leaves the machine.
- `yishi.sms.LocmemBackend` (the test settings): keeps each message in
  `yishi.sms.outbox`, as Django's locmem e-mail backend keeps `mail.outbox`.

A production backend (a provider's API: Aliyun, Tencent Cloud) is a class with a
`send(phone, text)` method; providers require an approved signature and template,
which the class maps the text to. Callers send after their transaction commits, so a
rolled-back change never sends a message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from yishi.privacy import mask_phone

logger = logging.getLogger("yishi.sms")

DEFAULT_BACKEND = "yishi.sms.ConsoleBackend"


@dataclass(frozen=True)
class TextMessage:
    phone: str  # the 11-digit mobile number
    text: str


# Messages sent through LocmemBackend, oldest first (tests empty it).
outbox: list[TextMessage] = []


class BaseBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Logs the message; the number is masked, the text (with its code) is not."""

    def send(self, phone: str, text: str) -> None:
        logger.info("短信 SMS to %s: %s", mask_phone(phone), text)


class LocmemBackend(BaseBackend):
    def send(self, phone: str, text: str) -> None:
        outbox.append(TextMessage(phone=phone, text=text))


def get_backend() -> BaseBackend:
    path = getattr(settings, "YISHI_SMS_BACKEND", "") or DEFAULT_BACKEND
    return import_string(path)()


def send_sms(phone: str, text: str) -> None:
    """Send one text message to a mainland mobile number (11 digits)."""
    get_backend().send(phone, text)
