"""Who may change the holiday calendar: superusers, and staff granted the model's
change permission (`yishi.change_holidaycalendarday`, given in the admin's groups or
users) — a calendar decides every deadline of every community, so no community staff
role implies it."""

from __future__ import annotations


def can_edit_calendar(user) -> bool:
    if user is None or not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (
        user.is_staff and user.has_perm("yishi.change_holidaycalendarday")
    )
