"""What a disclosure service refuses with: the HTTP status a view answers, a code,
and a message in Chinese then English. Nothing is written when one is raised."""

from __future__ import annotations

from django.utils.translation import gettext as _


class DisclosureError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, status=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


class DisclosureForbidden(DisclosureError):
    status = 403
    code = "forbidden"


class DisclosureNotFound(DisclosureError):
    status = 404
    code = "not_found"


class DisclosureStateError(DisclosureError):
    status = 409
    code = "wrong_state"


def forbidden() -> DisclosureForbidden:
    return DisclosureForbidden(
        _("您无权进行这项公开操作。 You may not do this on the disclosure board.")
    )


def not_found() -> DisclosureNotFound:
    return DisclosureNotFound(_("没有这条公开事项。 No such disclosure."))


def invalid(message: str, code: str = "invalid") -> DisclosureError:
    return DisclosureError(message, code=code, status=422)
