"""The refusals of account services: each carries an HTTP status and a message in
Chinese then English, which never repeats a phone number or a code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class AccountError(Exception):
    """A refused account action. `status` is the HTTP status a view should answer."""

    status = 422
    code = "invalid"

    def __init__(self, message, *, code: str | None = None, status=None, **extra):
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code
        if status:
            self.status = status
        self.extra = extra


BAD_PHONE = _(
    "请输入正确的手机号：11 位数字，以 13–19 开头（可带 +86）。 "
    "Enter a mainland mobile number: 11 digits starting 13–19 (+86 allowed)."
)
BAD_CODE_FORMAT = _(
    "验证码是 6 位数字，请核对短信。 The code is 6 digits: check the text message."
)
WRONG_CODE = _(
    "验证码不正确，还可以再试 %(left)s 次。 Wrong code: %(left)s tries left."
)
CODE_DEAD = _(
    "验证码已失效（超过 10 分钟、已用过或错误次数过多），请重新获取。 "
    "The code is no longer valid (expired, used or tried too often): ask for a new one."
)
TOO_SOON = _(
    "验证码发送太频繁，请 %(seconds)s 秒后再试。 "
    "Codes are sent at most once a minute: try again in %(seconds)s seconds."
)
DAILY_LIMIT = _(
    "今天向这个号码发送的验证码已达上限，请明天再试，或请社区工作人员帮助。 "
    "Today's limit of codes to this number is reached: try tomorrow or ask staff."
)
BAD_SLIP = _(
    "账号或登录码不正确，还可以再试 %(left)s 次。 "
    "Wrong account or sign-in code: %(left)s tries left."
)
SLIP_DEAD = _(
    "这张登录条已失效（已用过、超过 7 天或错误次数过多），请社区工作人员重新打印。 "
    "This sign-in slip is no longer valid (used, over 7 days old or tried too "
    "often): ask staff to print a new one."
)
PHONE_TAKEN = _("这个手机号已绑定另一个账号。 This number belongs to another account.")
