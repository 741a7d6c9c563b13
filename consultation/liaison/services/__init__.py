"""The liaison's services: the only code that writes its records."""

from .common import reception_notice_days, stats_changed, stats_version
from .extension import request_extend
from .feedback import request_close, request_rate, request_reopen
from .handling import (
    request_classify,
    request_refer,
    request_register,
    request_reply,
    request_start,
    request_supervise,
)
from .notices import overdue_notify
from .receptions import (
    grid_worker_assign,
    reception_day_announce,
    reception_day_summarise,
    station_create,
)
from .submission import Draft, request_submit

__all__ = [
    "Draft",
    "grid_worker_assign",
    "overdue_notify",
    "reception_day_announce",
    "reception_day_summarise",
    "reception_notice_days",
    "request_classify",
    "request_close",
    "request_extend",
    "request_rate",
    "request_refer",
    "request_register",
    "request_reopen",
    "request_reply",
    "request_start",
    "request_submit",
    "request_supervise",
    "station_create",
    "stats_changed",
    "stats_version",
]
