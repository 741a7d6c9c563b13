"""Account pages: sign in or up by code, reset a password, printed slips, and the
link to the register (the resident's claim, the staff's queue).

Every form works without JavaScript: the code pages hold one form with two
buttons (获取验证码 / 登录), so the number typed stays in the field. Refusals
answer with the page again, the reason in Chinese and English, and the service's
status (422, 429, 409); PermissionDenied becomes the site's 403 page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yishi.privacy import mask_phone

from . import permissions, selectors, services
from .models import PhoneCode
from .services import AccountError

BACKEND = "neighbourhoods.backends.PersonModelBackend"
TEMPLATES = "neighbourhoods/accounts/"


def _next_url(request, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and allowed else default


def _typed_phone(request) -> str:
    return str(request.POST.get("phone", ""))[:20]


def _code_page(request, template: str, purpose: str, finish, extra=None):
    """The shared flow of a code page: send a code, or finish with it."""
    context = {
        "phone": _typed_phone(request),
        "next": _next_url(request, ""),
        **(extra or {}),
    }
    if request.method == "GET":
        return render(request, TEMPLATES + template, context)
    try:
        if request.POST.get("action") == "send":
            phone = services.phone_code_send(phone=context["phone"], purpose=purpose)
            context.update(phone=phone, sent_to=mask_phone(phone))
            return render(request, TEMPLATES + template, context)
        return finish(context)
    except AccountError as error:
        context["error"] = error.message
        return render(request, TEMPLATES + template, context, status=error.status)


@never_cache
@require_http_methods(["GET", "POST"])
def code_signin(request):
    """手机验证码登录/注册: a number without an account gets one."""

    def finish(context):
        user, created = services.phone_signin(
            phone=context["phone"], code=request.POST.get("code", "")
        )
        login(request, user, backend=BACKEND)
        if created or not permissions.is_linked(user):
            messages.info(
                request, _("已登录。请申请关联居民信息，核实后才能参加投票。")
            )
            return redirect("accounts:link")
        return redirect(_next_url(request, reverse("my_matters")))

    return _code_page(request, "code_signin.html", PhoneCode.Purpose.SIGNIN, finish)


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    """忘记密码: a new password with a code sent to the account's number."""

    def finish(context):
        services.password_reset_by_code(
            phone=context["phone"],
            code=request.POST.get("code", ""),
            password=request.POST.get("password", ""),
            password2=request.POST.get("password2", ""),
        )
        messages.success(request, _("密码已重设，请用新密码登录。"))
        return redirect("login")

    return _code_page(request, "password_reset.html", PhoneCode.Purpose.RESET, finish)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def phone_bind(request):
    """添加手机号 (optional): to sign in by code later."""

    def finish(context):
        services.account_phone_bind(
            actor=request.user,
            phone=context["phone"],
            code=request.POST.get("code", ""),
        )
        messages.success(request, _("手机号已添加，以后可以用验证码登录。"))
        return redirect("my_matters")

    account = selectors.account_of(request.user)
    current = account.masked_phone if account and account.phone else ""
    return _code_page(
        request, "phone_bind.html", PhoneCode.Purpose.BIND, finish, {"current": current}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def slip_signin(request):
    """登录条登录: the account name and the 8-digit code printed by staff."""
    username = str(request.POST.get("username", ""))[:150]
    context = {"username": username}
    if request.method == "GET":
        return render(request, TEMPLATES + "slip_signin.html", context)
    try:
        user = services.signin_slip_redeem(
            username=username, code=request.POST.get("code", "")
        )
    except AccountError as error:
        context["error"] = error.message
        return render(
            request, TEMPLATES + "slip_signin.html", context, status=error.status
        )
    login(request, user, backend=BACKEND)
    return redirect("accounts:welcome")


@login_required
def welcome(request):
    """After a slip: signed in; nothing more is required (a phone is optional)."""
    status = selectors.link_status(request.user)
    account = selectors.account_of(request.user)
    context = {"person": status.person, "has_phone": bool(account and account.phone)}
    return render(request, TEMPLATES + "welcome.html", context)


def _link_page(request, *, error="", status=200, values=None):
    context = {
        "status": selectors.link_status(request.user),
        "communities": selectors.claim_communities(),
        "error": error,
        "values": values or {},
    }
    return render(request, TEMPLATES + "link.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def link(request):
    """申请关联居民信息: "I am 张三 of 3-2-501", for staff to verify."""
    if request.method == "GET":
        return _link_page(request)
    values = {k: str(request.POST.get(k, ""))[:200] for k in ("name", "unit", "note")}
    values["community"] = str(request.POST.get("community", ""))[:20]
    community = selectors.community_by_id(values["community"])
    try:
        if community is None:
            raise AccountError(_("请选择您所在的社区。 Choose your community."))
        services.link_request_create(
            actor=request.user,
            community=community,
            claimed_name=values["name"],
            claimed_unit=values["unit"],
            note=values["note"],
        )
    except AccountError as error:
        return _link_page(
            request, error=error.message, status=error.status, values=values
        )
    messages.success(request, _("申请已提交，社区工作人员核实后即可参加投票。"))
    return redirect("accounts:link")
