"""What a pact service refuses with: an HTTP status and a message in Chinese then
English."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..domain.lifecycle import TransitionRefused


class PactError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, status=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


def forbidden() -> PactError:
    return PactError(
        _("您无权进行这项操作。 You may not do this."), code="forbidden", status=403
    )


def not_found() -> PactError:
    return PactError(_("没有这份公约。 No such pact."), code="not_found", status=404)


def invalid(message: str, code: str = "invalid") -> PactError:
    return PactError(message, code=code, status=422)


def refused(error: TransitionRefused) -> PactError:
    """A refused lifecycle move, said in words (409)."""
    messages = {
        "review_first": _(
            "合法性审查完成前不能付诸表决。"
            " No adoption vote before the legality review is signed off."
        ),
        "not_filed": _(
            "没有备案记录，公约不能施行。 Not in force without a filing record."
        ),
        "not_adopted": _(
            "没有通过表决的记录，公约不能施行。"
            " Not in force without the passing vote's record."
        ),
        "period_running": _(
            "征求意见期尚未结束。 The comment period has not ended yet."
        ),
        "no_period": _("请设定征求意见期。 Give the comment period."),
        "checklist_incomplete": _(
            "合法性审查清单尚未逐项通过。 Every check of the review must pass."
        ),
        "no_result": _("表决结果尚未公布。 The vote's result has not been published."),
    }
    message = messages.get(
        error.code,
        _("当前状态下不能进行这项操作。 Not allowed in this state."),
    )
    return PactError(message, code=error.code, status=409)


def kept_text(value, field: str, limit: int) -> str:
    """`value` stripped and cut to `limit` characters; refused (422) if it holds a
    NUL, which PostgreSQL keeps in no text (nor in the audit log's JSON)."""
    text = (value or "").strip()[:limit] if isinstance(value, str) else ""
    if "\x00" in text:
        raise invalid(_("含有无法保存的字符。 A character that cannot be kept."), field)
    return text
