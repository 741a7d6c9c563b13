"""Writing the demo logins: accounts with the printed password, their person and
their register rights.

The accounts are Django's own users, written here directly; the register rows they
touch (a person's login, a staff assignment) go through the register services.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from neighbourhoods import services
from neighbourhoods.models import StaffAssignment

from ..context import DEMO_PASSWORD
from ..plan.records import LoginSpec, Plan
from .people import People
from .places import Places
from .writer import RegisterWriter

# A fixed salt makes the demo password's hash identical on every run, so a second run
# changes nothing. Only for this printed, public demo password.
PASSWORD_SALT = "yishidemo2026"


def _user(writer: RegisterWriter, login: LoginSpec, password: str):
    """The account, created or set back to the printed password and flags."""
    User = get_user_model()
    wanted = {
        "password": password,
        "is_active": True,
        "is_staff": login.superuser,
        "is_superuser": login.superuser,
    }
    user = User.objects.filter(username=login.username).first()
    if user is None:
        user = User(username=login.username, first_name=login.first_name)
        writer.count("登录账号")
    # Demo passwords are set back to the printed one on every run (the command's
    # output says so), so the printed table is always true.
    changed = [k for k, v in wanted.items() if getattr(user, k) != v]
    for name in changed:
        setattr(user, name, wanted[name])
    if user.pk is None:
        user.save()
    elif changed:
        user.save(update_fields=changed)
    return user


def _staff_rights(writer: RegisterWriter, login: LoginSpec, user, places: Places):
    if login.staff_community:
        scope = {"community": places.communities[login.staff_community]}
        role = StaffAssignment.Role.EDITOR
    elif login.staff_subdistrict:
        scope = {"subdistrict": places.subdistrict}
        role = StaffAssignment.Role.VIEWER
    else:
        return
    scope = {"community": None, "subdistrict": None, **scope}
    if not StaffAssignment.objects.filter(user=user, **scope).exists():
        services.staff_assignment_create(actor=None, user=user, role=role, **scope)
        writer.count("工作人员授权")


def write_logins(
    writer: RegisterWriter, plan: Plan, places: Places, people: People
) -> None:
    password = make_password(DEMO_PASSWORD, PASSWORD_SALT)
    for login in plan.logins:
        user = _user(writer, login, password)
        if login.person:
            services.person_link_user(
                actor=None, person=people.by_id_number[login.person], user=user
            )
        _staff_rights(writer, login, user, places)
