"""A logging filter that masks ID-card and phone numbers in every record.

Attach it to handlers (not loggers): a logger's filters do not run for records that
propagate up from child loggers, a handler's filters see every record it emits.
"""

import logging

from .privacy import scrub


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            # The handler would print the raw msg and args to stderr on a formatting
            # error: render them here instead, masked.
            message = f"{record.msg} {record.args!r}"
        masked = scrub(message)
        if masked != message or record.args:
            # Replace msg and args together: formatters call getMessage() again.
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Exception messages often quote the bad value: format the traceback now,
            # masked, so that the formatter reuses it instead of the raw one.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
