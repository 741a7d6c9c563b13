"""Residents' accounts: a phone-verified login, its one-time codes, the printed
sign-in slips staff make, and the requests that link a login to the register.

The link itself is the register's own: `Person.user` (one login per person), which
every roll and vote already reads (`request.user.person`). A login without it is an
unverified account: it signs in, but is on no roll and cannot vote. Codes are never
stored in clear: a keyed hash (`services.codes.code_hash`) only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yishi.privacy import mask_phone

# The defining modules, not the `models` package, which imports this module.
from ..models.people import Person
from ..models.places import Community


class ResidentAccount(models.Model):
    """A resident's login: its verified mobile number, and who made it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resident_account",
        verbose_name=_("登录账号"),
    )
    # 11 digits; empty (NULL) for an account staff made for someone without one.
    phone = models.CharField(
        _("手机号"), max_length=11, unique=True, null=True, blank=True
    )
    phone_verified_at = models.DateTimeField(_("手机号验证时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代为开通的工作人员"),
    )
    # Made by staff for a resident (signs in with printed slips), not by themself.
    staff_made = models.BooleanField(_("工作人员代为开通"), default=False)
    created_at = models.DateTimeField(_("开通时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("居民账号")
        verbose_name_plural = _("居民账号")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.user.get_username()

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone or "")


class PhoneCode(models.Model):
    """The latest one-time code sent to a mobile number (one row per number).

    A new code replaces the previous one; the row also counts the sends of the
    current 24-hour window, so the limits hold across processes and restarts.
    """

    class Purpose(models.TextChoices):
        SIGNIN = "signin", _("登录或注册")
        RESET = "reset", _("重设密码")
        BIND = "bind", _("绑定手机号")

    phone = models.CharField(_("手机号"), max_length=11, unique=True)
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64, editable=False)
    sent_at = models.DateTimeField(_("发送时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    window_start = models.DateTimeField(_("计数起点"))
    sends_in_window = models.PositiveSmallIntegerField(_("24 小时内发送次数"))

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")

    def __str__(self) -> str:
        return mask_phone(self.phone)


class SignInSlip(models.Model):
    """A printed one-time sign-in code for an account staff made (one per account)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signin_slip",
    )
    code_hash = models.CharField(max_length=64, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("打印时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录条")
        verbose_name_plural = _("登录条")

    def __str__(self) -> str:
        return self.user.get_username()


class AccountLinkRequest(models.Model):
    """A resident's claim "I am 张三 of 3-2-501", verified or rejected by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待核实")
        VERIFIED = "verified", _("已核实")
        REJECTED = "rejected", _("未通过")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="link_requests",
        verbose_name=_("登录账号"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="link_requests",
        verbose_name=_("社区"),
    )
    claimed_name = models.CharField(_("姓名"), max_length=50)
    claimed_unit = models.CharField(_("住址（楼栋-单元-房号）"), max_length=50)
    note = models.CharField(_("补充说明"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="link_requests",
        verbose_name=_("名册中的居民"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核实人"),
    )
    reviewed_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    reason = models.CharField(_("未通过的原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("账号关联申请")
        verbose_name_plural = _("账号关联申请")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="one_pending_link_request_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.claimed_name} {self.claimed_unit}"
