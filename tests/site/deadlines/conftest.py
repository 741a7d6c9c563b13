"""Fixtures of the holiday calendar's Django side: a small fake package schedule,
users who may and may not edit the calendar."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Permission

from tests.neighbourhoods.factories import UserFactory
from yishi.deadlines import services
from yishi.deadlines.package import HOLIDAY, WORKDAY, PublishedDay

# 2026's National Day as the package carries it, trimmed.
SMALL = [
    PublishedDay(date(2026, 9, 20), WORKDAY, "国庆节"),
    *(PublishedDay(date(2026, 10, d), HOLIDAY, "国庆节") for d in range(1, 8)),
    PublishedDay(date(2026, 10, 10), WORKDAY, "国庆节"),
]


@pytest.fixture
def small_package(monkeypatch):
    days = list(SMALL)
    monkeypatch.setattr(services, "package_days", lambda: list(days))
    return days


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def calendar_editor():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="change_holidaycalendarday")
    )
    return user


@pytest.fixture
def plain_staff():
    return UserFactory(is_staff=True)
