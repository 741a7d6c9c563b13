"""What a liaison service refuses with: the HTTP status a view answers, a code, and a
message in Chinese then English. Nothing is written when one is raised."""

from __future__ import annotations


class LiaisonError(Exception):
    def __init__(self, message: str, *, status: int = 422, code: str = "invalid"):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code


def forbidden(message: str = "") -> LiaisonError:
    return LiaisonError(
        message or "您无权进行这项操作。 You may not do this.",
        status=403,
        code="forbidden",
    )


def not_found() -> LiaisonError:
    return LiaisonError("没有这条诉求。 No such request.", status=404, code="not_found")


def invalid(message: str, code: str = "invalid") -> LiaisonError:
    return LiaisonError(message, status=422, code=code)
