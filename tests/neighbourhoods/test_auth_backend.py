"""A signed-in user comes with their resident record; sessions are read from Redis."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neighbourhoods.backends import PersonModelBackend
from tests.neighbourhoods.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_resident_record_comes_in_the_same_query(django_assert_num_queries):
    person = PersonFactory(user=UserFactory())
    with django_assert_num_queries(1):
        user = PersonModelBackend().get_user(person.user.pk)
        assert user.person == person


def test_users_without_a_record_and_inactive_users(django_assert_num_queries):
    staff = UserFactory()
    with django_assert_num_queries(1):
        user = PersonModelBackend().get_user(staff.pk)
        assert getattr(user, "person", None) is None
    staff.is_active = False
    staff.save()
    assert PersonModelBackend().get_user(staff.pk) is None
    assert PersonModelBackend().get_user(10**9) is None


def test_loaded_user_saves_in_place():
    from django.contrib.auth import get_user_model

    person = PersonFactory(user=UserFactory())
    user = PersonModelBackend().get_user(person.user.pk)
    assert user.person.user is user
    user.first_name = "改"
    user.save()
    assert get_user_model().objects.count() == 1
    assert get_user_model().objects.get().first_name == "改"


def test_a_user_without_a_record_raises_as_django_does():
    from neighbourhoods.models import Person

    staff = PersonModelBackend().get_user(UserFactory().pk)
    with pytest.raises(Person.DoesNotExist):
        staff.person  # noqa: B018
    assert not hasattr(staff, "person")


def test_it_signs_in_and_is_what_requests_use(client, rf):
    person = PersonFactory(user=UserFactory(username="resident-a"))
    assert client.login(username="resident-a", password="pass-Yishi-2026")
    # Signed in by ours (first in AUTHENTICATION_BACKENDS), so requests use ours.
    assert client.session[BACKEND_SESSION_KEY] == (
        "neighbourhoods.backends.PersonModelBackend"
    )
    request = rf.get("/")
    request.session = client.session
    with CaptureQueriesContext(connection) as queries:
        user = get_user(request)
        assert user.person == person
    assert len([q for q in queries if "auth_user" in q["sql"]]) == 1


@pytest.mark.redis
def test_a_signed_in_request_reads_its_session_from_the_cache(client, settings):
    assert settings.SESSION_ENGINE == "yishi.sessions"
    PersonFactory(user=UserFactory(username="resident-b"))
    assert client.login(username="resident-b", password="pass-Yishi-2026")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/register/me/")
    assert page.status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]]


def test_sessions_signed_in_by_djangos_own_backend_stay_valid(client):
    """Sessions from before the backend changed name Django's ModelBackend."""
    person = PersonFactory(user=UserFactory(username="resident-c"))
    client.force_login(person.user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/register/me/")
    assert page.status_code == 200
    assert page.wsgi_request.user == person.user


@pytest.mark.parametrize(
    ("grant", "admin", "staff"),
    [
        ("nothing", False, False),
        ("superuser", True, False),
        ("is_staff", True, False),
        ("group", True, False),
        ("permission", True, False),
        ("assignment", False, True),
    ],
)
def test_the_flags_come_in_the_same_query(
    grant, admin, staff, django_assert_num_queries
):
    from django.contrib.auth.models import Group, Permission

    from neighbourhoods import permissions
    from tests.neighbourhoods.factories import StaffAssignmentFactory

    other = StaffAssignmentFactory().user  # someone else's grants count for nothing
    other.groups.add(Group.objects.create(name="其他"))
    user = UserFactory()
    if grant in ("superuser", "is_staff"):
        setattr(user, "is_superuser" if grant == "superuser" else grant, True)
        user.save()
    elif grant == "group":
        user.groups.add(Group.objects.create(name="编辑"))
    elif grant == "permission":
        user.user_permissions.add(Permission.objects.first())
    elif grant == "assignment":
        StaffAssignmentFactory(user=user)
    with django_assert_num_queries(1):
        loaded = PersonModelBackend().get_user(user.pk)
        assert (loaded.may_use_admin, loaded.has_staff_assignment) == (admin, staff)
    # Without an assignment the register's permissions answer without a query.
    if grant in ("nothing", "group", "permission", "is_staff"):
        with django_assert_num_queries(0):
            assert permissions.known_staff(loaded) is False
            assert not permissions.staff_grants(loaded)[0]
        assert not permissions.is_register_staff(loaded)
    elif grant == "superuser":
        assert permissions.known_staff(loaded) is True
    else:
        assert permissions.known_staff(loaded) is None  # the database tells
        assert permissions.is_register_staff(loaded)


def test_the_shared_queryset_is_never_evaluated_itself():
    """get_user clones one queryset built once: each user comes from the database,
    never from a result kept by the shared one."""
    from django.contrib.auth import get_user_model

    from neighbourhoods.backends import _users

    first = PersonFactory(user=UserFactory())
    second = UserFactory()
    backend = PersonModelBackend()
    assert backend.get_user(first.user.pk).person == first
    assert backend.get_user(second.pk).pk == second.pk
    second.first_name = "新"
    second.save()
    assert backend.get_user(second.pk).first_name == "新"
    assert _users(get_user_model())._result_cache is None
