"""Accounts' part of `manage.py seed_demo`: one pending link request, and the
official numbers of 阳光社区 shown in full.

- `newcomer`: a resident who signed up (a phone-verified account with the demo
  password) and asked to be linked to their register record; `staff_yangguang`
  sees the request at /account/links/ and can verify it. Until then `newcomer`
  is on no roll and cannot vote.
- 阳光社区's office number and its first grid's work phone are flagged public
  (shown in full on the community page); the other grids' stay masked.

Deterministic and idempotent: nothing is written once the request exists (in any
state) and the flags are set.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from neighbourhoods import services as register_services
from neighbourhoods.demo.context import DEMO_PASSWORD, DemoContext, DemoLogin
from neighbourhoods.demo.data.places import YG
from neighbourhoods.demo.write.logins import PASSWORD_SALT

from ..models.people import Person, Residency
from ..models.places import Community, Grid
from . import services
from .models import AccountLinkRequest, ResidentAccount
from .selectors import part_label

USERNAME = "newcomer"
PHONE = "13800138000"  # a made-up number; pages and logs show it masked
OFFICE_PHONE = "0812-3330000"  # made up, like every number of the demo


def _newcomer():
    user = get_user_model().objects.filter(username=USERNAME).first()
    password = make_password(DEMO_PASSWORD, PASSWORD_SALT)
    if user is None:
        user = get_user_model().objects.create(username=USERNAME, password=password)
        ResidentAccount.objects.create(
            user=user, phone=PHONE, phone_verified_at=timezone.now()
        )
    elif user.password != password:
        user.password = password
        user.save(update_fields=["password"])
    return user


def _claimed(community: Community) -> tuple[Person, str] | None:
    """An adult of 阳光社区 without a login, with the flat they live in."""
    residency = (
        Residency.objects.filter(
            household__community=community,
            household__dwelling__isnull=False,
            person__user__isnull=True,
            person__birth_date__year__lte=1990,
            end_date__isnull=True,
        )
        .select_related(
            "person", "household__dwelling__building", "household__dwelling__entrance"
        )
        .order_by("person__pk")
        .first()
    )
    if residency is None:
        return None
    dwelling = residency.household.dwelling
    return residency.person, part_label(dwelling)


def _official_numbers(community: Community) -> None:
    if not community.office_phone_public:
        community.office_phone = OFFICE_PHONE
        community.office_phone_public = True
        register_services.register_record_save(
            actor=None,
            record=community,
            fields=["office_phone", "office_phone_public"],
        )
    grid = Grid.objects.filter(community=community).order_by("name", "pk").first()
    if grid is not None and not grid.worker_phone_public:
        grid.worker_phone_public = True
        register_services.register_record_save(
            actor=None, record=grid, fields=["worker_phone_public"]
        )


def seed(*, context: DemoContext) -> list[str]:
    community = Community.objects.get(code=YG)
    _official_numbers(community)
    user = _newcomer()
    context.logins.append(
        DemoLogin(
            USERNAME,
            "新注册的居民（手机号已验证），已申请关联名册，等待阳光社区工作人员核实",
            "Newly signed-up resident, waiting for staff to verify the link",
        )
    )
    request = AccountLinkRequest.objects.filter(user=user).order_by("-pk").first()
    if request is None and not Person.objects.filter(user=user).exists():
        claimed = _claimed(community)
        if claimed is not None:
            person, unit = claimed
            request = services.link_request_create(
                actor=user,
                community=community,
                claimed_name=person.full_name,
                claimed_unit=unit,
                note="刚搬来不久，户口在本社区。",
            )
    return _report(request)


def _report(request: AccountLinkRequest | None) -> list[str]:
    lines = ["账号 Accounts:"]
    if request is not None and request.status == AccountLinkRequest.Status.PENDING:
        lines.append(
            f"  待核实的账号关联 1 份：newcomer 申请关联 {request.community.name}"
            f" {request.claimed_unit} {request.claimed_name}；staff_yangguang 登录后在"
            " /account/links/ 核实。 One pending link request for staff_yangguang"
            " at /account/links/."
        )
    elif request is not None:
        lines.append(
            f"  newcomer 的关联申请已处理（{request.get_status_display()}）。 "
            "newcomer's link request has been decided."
        )
    lines.append(
        "  手机验证码登录 /account/code/：验证码写在运行日志里（控制台短信）。 "
        "Sign in by SMS code at /account/code/: the console SMS backend logs the code."
    )
    lines.append(
        "  阳光社区办公电话和第一网格的工作电话已设为公开，社区页面完整显示。 "
        "阳光社区's office number and first grid's work phone are public."
    )
    return lines
