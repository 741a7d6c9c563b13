import re

import pytest

from yishi import sms


@pytest.fixture(autouse=True)
def outbox():
    """The locmem SMS backend's outbox (the only mock: delivery), emptied per test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def last_code(outbox, phone: str) -> str:
    message = [m for m in outbox if m.phone == phone][-1]
    return re.search(r"验证码是 (\d{6})", message.text).group(1)
