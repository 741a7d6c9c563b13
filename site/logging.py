"""Logging filters: ID-card and phone numbers masked in every record; websocket
connection lines kept out unless access logs are on.

Attach the mask to handlers (not loggers): a logger's filters do not run for records
that propagate up from child loggers, a handler's filters see every record it emits.
"""

import logging
import re

from .privacy import scrub

# A room page's socket ticket (yishi.websocket_auth) in a logged URL: worth nothing
# without its session cookie, but it names the login; not written to logs.
TICKET_RE = re.compile(r"ticket=[^&\s\"']+")


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            # The handler would print the raw msg and args to stderr on a formatting
            # error: render them here instead, masked.
            message = f"{record.msg} {record.args!r}"
        masked = TICKET_RE.sub("ticket=[hidden]", scrub(message))
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


# uvicorn's line for each websocket handshake (accepted, refused, answered), logged on
# "uvicorn.error" at INFO: '%s - "WebSocket %s" [accepted]' and the like.
WEBSOCKET_LINE = '%s - "WebSocket %s"'


class WebsocketAccessFilter(logging.Filter):
    """Drops uvicorn's per-connection websocket lines: an access log by another
    name (the path with its query, one line per socket), kept only where access
    logs are on (YISHI_ACCESS_LOG). Writing and masking them cost a tenth of the
    CPU of connecting 2,000 room members (docs/benchmarks.md, "Live rooms").
    Attached to the "uvicorn.error" logger, where uvicorn logs them."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.msg
        return not (isinstance(msg, str) and msg.startswith(WEBSOCKET_LINE))
