"""What a records service refuses with: each error carries the HTTP status a view
answers and a message in Chinese then English; nothing is written."""

from __future__ import annotations

from django.utils.translation import gettext as _


class RecordsError(Exception):
    """A refused action. `status` is the HTTP status a view should answer."""

    status = 422
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, status=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


class RecordsForbidden(RecordsError):
    status = 403
    code = "forbidden"


class RecordsNotFound(RecordsError):
    status = 404
    code = "not_found"


class RecordsConflict(RecordsError):
    status = 409
    code = "conflict"


def forbidden(message: str = "") -> RecordsForbidden:
    return RecordsForbidden(
        message or _("您无权进行这项操作。 You may not do this."), code="forbidden"
    )


def not_found() -> RecordsNotFound:
    return RecordsNotFound(_("没有这项记录。 No such record."))
