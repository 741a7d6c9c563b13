"""What a duties service refuses with: the HTTP status a view answers, a code, and
a message in Chinese then English. Nothing is written when one is raised."""

from __future__ import annotations

from django.utils.translation import gettext as _


class DutyError(Exception):
    status = 422
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, status=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


def forbidden() -> DutyError:
    return DutyError(
        _("您无权进行这项操作。 You may not do this."), code="forbidden", status=403
    )


def not_found() -> DutyError:
    return DutyError(_("没有这条记录。 No such record."), code="not_found", status=404)


def conflict(message: str, code: str = "wrong_state") -> DutyError:
    return DutyError(message, code=code, status=409)


def invalid(message: str, code: str = "invalid") -> DutyError:
    return DutyError(message, code=code, status=422)


def admission_message(code: str) -> str:
    """The words for a domain refusal code of an admission request."""
    messages = {
        "no_legal_basis": _(
            "须写明法律、法规或文件依据。 A legal basis (law, regulation or "
            "document number) is required."
        ),
        "no_funds": _(
            "进入社区的工作须随转经费、人员或购买服务（费随事转）。 Work entering a "
            "community must bring funds, staff or a purchased service."
        ),
        "negative": _("经费和人员不能为负数。 Funds and staff cannot be negative."),
        "ends_before_start": _(
            "结束日期早于开始日期。 The end date is before the start date."
        ),
        "no_community": _("须选择至少一个社区。 Name at least one community."),
        "out_of_order": _(
            "准入申请当前所处的环节不能进行这一步。 This step is not possible at "
            "the request's present stage."
        ),
        "no_reasons": _("不予准入须写明理由。 A refusal must give its reasons."),
        "no_agreement": _(
            "准入须附签署的协议（PDF）。 Admission needs the signed agreement (PDF)."
        ),
    }
    return messages.get(code, code)
