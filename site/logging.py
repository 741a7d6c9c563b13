"""A logging filter that masks ID-card and phone numbers in every record."""

import logging

from .privacy import scrub


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        masked = scrub(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
