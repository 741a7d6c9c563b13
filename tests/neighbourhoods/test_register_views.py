"""The register's own views: masking on every page, paging, query counts, the staff
form for a mobile number and the service behind it."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from neighbourhoods import services, views
from neighbourhoods.models import StaffAssignment
from tests.neighbourhoods.factories import (
    CommunityFactory,
    PersonFactory,
    ResidencyFactory,
    StaffAssignmentFactory,
    UserFactory,
    make_id_number,
)
from yishi.privacy import id_number_hash

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID_NUMBER = make_id_number(42, dt.date(1956, 7, 1))


def _id(number: str) -> dict[str, str]:
    """Person fields for an ID number, as the register keeps it (hash + last four).

    Spelled out here because PersonFactory's `id_number` is declared under `Params`,
    which factory_boy strips before `_create` sees it: the number is silently dropped.
    """
    return {"id_number_hash": id_number_hash(number), "id_number_last4": number[-4:]}


def _people(community, count, *, start=0):
    """`count` people with a household each, full phone and ID number recorded."""
    people = []
    for n in range(start, start + count):
        person = PersonFactory(
            full_name=f"居民{n:03d}",
            home_community=community,
            phone=f"138{n:08d}",
            **_id(make_id_number(n, dt.date(1950 + n % 50, 1 + n % 12, 1))),
        )
        ResidencyFactory(person=person, is_representative=True)
        people.append(person)
    return people


def _full_numbers(people):
    """Every full phone and ID number of `people`, as a page must never show them."""
    numbers = []
    for n, person in enumerate(people):
        numbers.append(person.phone)
        numbers.append(make_id_number(n, dt.date(1950 + n % 50, 1 + n % 12, 1)))
        numbers.append(person.id_number_hash)
    return numbers


def _assert_nothing_in_full(html, numbers):
    for number in numbers:
        assert number not in html


@pytest.fixture
def community():
    return CommunityFactory(name="和平社区", slug="heping")


@pytest.fixture
def editor(community):
    return StaffAssignmentFactory(
        community=community, role=StaffAssignment.Role.EDITOR
    ).user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def resident(community):
    user = UserFactory(username="laozhang")
    person = PersonFactory(
        full_name="张大爷",
        user=user,
        home_community=community,
        phone=PHONE,
        **_id(ID_NUMBER),
    )
    ResidencyFactory(person=person, is_representative=True)
    return person


def _register_url(community, **query):
    url = reverse("neighbourhoods:register_community", args=[community.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- the community register ---------------------------------------------------------


def test_register_pages_through_sixty_people_masked(editor_client, community):
    people = _people(community, 60)
    first = editor_client.get(_register_url(community)).content.decode()
    second = editor_client.get(_register_url(community, page=2)).content.decode()

    rows = re.compile(r"<tr><td><a href=")
    assert len(rows.findall(first)) == views.PAGE_SIZE == 50
    assert len(rows.findall(second)) == 10
    assert "1 / 2" in first
    assert "居民 60 人" in first
    # Names are ordered; the masked numbers of a row are shown, the full ones never.
    assert "居民000" in first
    assert "居民059" in second
    assert "138****0000" in first
    assert "**************" + people[0].id_number_last4 in first
    _assert_nothing_in_full(first + second, _full_numbers(people))


def test_register_search_by_name(editor_client, community):
    _people(community, 3)
    html = editor_client.get(_register_url(community, q="居民001")).content.decode()
    assert "居民001" in html
    assert "居民000" not in html


def test_register_page_queries_do_not_grow_with_people(editor_client, community):
    _people(community, 5)
    with CaptureQueriesContext(connection) as few:
        assert editor_client.get(_register_url(community)).status_code == 200
    _people(community, 55, start=5)
    with CaptureQueriesContext(connection) as many:
        assert editor_client.get(_register_url(community)).status_code == 200
    assert len(many) == len(few)


def test_register_page_query_budget(
    editor_client, community, django_assert_max_num_queries
):
    _people(community, 60)
    with django_assert_max_num_queries(15):
        assert editor_client.get(_register_url(community)).status_code == 200


def test_register_index_query_budget(client, community, django_assert_max_num_queries):
    user = UserFactory(is_superuser=True, is_staff=True)
    for _ in range(20):
        CommunityFactory()
    client.force_login(user)
    url = reverse("neighbourhoods:register_index")
    client.get(url)  # Wagtail creates the user's profile on the first page
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 21


@pytest.mark.parametrize(
    "query",
    [
        {"page": "xyz"},
        {"page": "-1"},
        {"page": "99999"},
        {"q": "%00"},
        {"q": "a" * 5000},
    ],
)
def test_register_page_takes_malformed_query_strings(editor_client, community, query):
    _people(community, 2)
    response = editor_client.get(_register_url(community, **query))
    assert response.status_code == 200


# --- a person's page and "my data" ----------------------------------------------------


def test_person_page_shows_masked_numbers_only(editor_client, resident):
    url = reverse("neighbourhoods:person", args=[resident.pk])
    html = editor_client.get(url).content.decode()
    assert "张大爷" in html
    assert "139****5678" in html
    assert "**************" + ID_NUMBER[-4:] in html
    _assert_nothing_in_full(html, [PHONE, ID_NUMBER, resident.id_number_hash])
    # The staff form is there, and starts empty.
    assert 'name="phone"' in html
    assert not re.search(r'name="phone"[^>]*value=', html)


def test_resident_sees_own_data_masked(client, resident):
    client.force_login(resident.user)
    response = client.get(reverse("neighbourhoods:my_data"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "张大爷" in html
    assert "和平社区" in html
    assert "139****5678" in html
    assert "**************" + ID_NUMBER[-4:] in html
    assert "户代表" in html
    _assert_nothing_in_full(html, [PHONE, ID_NUMBER, resident.id_number_hash])


def test_resident_own_person_page_has_no_staff_links(client, resident):
    client.force_login(resident.user)
    html = client.get(
        reverse("neighbourhoods:person", args=[resident.pk])
    ).content.decode()
    assert "张大爷" in html
    assert reverse("neighbourhoods:register_community", args=["heping"]) not in html
    assert 'name="phone"' not in html


def test_user_without_a_linked_person_is_told_why(client):
    client.force_login(UserFactory())
    response = client.get(reverse("neighbourhoods:my_data"))
    assert response.status_code == 200
    assert "尚未与社区名册中的居民关联" in response.content.decode()


@pytest.mark.parametrize("path", ["/register/people/abc/", "/register/people/0/"])
def test_unknown_person_is_404(editor_client, path):
    assert editor_client.get(path).status_code == 404


def test_huge_person_id_is_404_not_500(editor_client):
    response = editor_client.get("/register/people/99999999999999999999999/")
    assert response.status_code == 404


def test_huge_person_id_on_the_write_path_is_404_not_500(editor_client):
    response = editor_client.post(
        "/register/people/99999999999999999999999/contact/", {"phone": PHONE}
    )
    assert response.status_code == 404


# --- the staff form for a mobile number ---------------------------------------------


def _contact_url(person):
    return reverse("neighbourhoods:person_contact", args=[person.pk])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13700007777", "13700007777"),
        (" 137 0000 7777 ", "13700007777"),
        ("+86 137-0000-7777", "13700007777"),
        ("8613700007777", "13700007777"),
    ],
)
def test_editor_changes_a_phone(editor_client, resident, typed, stored):
    response = editor_client.post(_contact_url(resident), {"phone": typed})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.phone == stored
    page = editor_client.get(response["Location"]).content.decode()
    assert "手机号已更新" in page
    assert "137****7777" in page
    assert stored not in page


@pytest.mark.parametrize(
    "typed", ["", "1370000777", "137000077770", "23700007777", "1370000777a", "１３７"]
)
def test_bad_phone_is_refused_with_422_and_nothing_written(
    editor_client, resident, typed
):
    response = editor_client.post(_contact_url(resident), {"phone": typed})
    html = response.content.decode()
    assert response.status_code == 422
    assert "手机号应为 11 位数字" in html
    assert "The mobile number must be 11 digits" in html
    assert html.index("手机号应为") < html.index("The mobile number")
    assert 'aria-invalid="true"' in html
    # What was typed is not echoed back (it may be someone's real number).
    if typed:
        assert f'value="{typed}"' not in html
    resident.refresh_from_db()
    assert resident.phone == PHONE
    assert PHONE not in html


def test_contact_form_needs_post(editor_client, resident):
    assert editor_client.get(_contact_url(resident)).status_code == 405


def test_contact_form_needs_csrf_token(editor, resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(_contact_url(resident), {"phone": "13700007777"})
    assert response.status_code == 403
    resident.refresh_from_db()
    assert resident.phone == PHONE


def test_contact_form_with_csrf_token(editor, resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = client.get(reverse("neighbourhoods:person", args=[resident.pk]))
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()
    )
    response = client.post(
        _contact_url(resident),
        {"phone": "13700007777", "csrfmiddlewaretoken": token[1]},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "13700007777"


# --- the service ------------------------------------------------------------------


def test_service_checks_permission_itself(resident):
    viewer = StaffAssignmentFactory(
        community=resident.home_community, role=StaffAssignment.Role.VIEWER
    ).user
    with pytest.raises(PermissionDenied):
        services.person_update_contact(
            actor=viewer, person=resident, phone="13700007777"
        )
    resident.refresh_from_db()
    assert resident.phone == PHONE


def test_service_refuses_a_bad_number_without_writing(editor, resident):
    with pytest.raises(ValidationError) as error:
        services.person_update_contact(actor=editor, person=resident, phone="12345")
    assert error.value.code == "invalid_phone"
    assert "12345" not in " ".join(error.value.messages)
    resident.refresh_from_db()
    assert resident.phone == PHONE


def test_service_returns_the_saved_person_and_logs_no_number(editor, resident, caplog):
    caplog.set_level("INFO", logger="neighbourhoods.services")
    person = services.person_update_contact(
        actor=editor, person=resident, phone="137 0000 7777"
    )
    assert person.pk == resident.pk
    assert person.phone == "13700007777"
    resident.refresh_from_db()
    assert resident.phone == "13700007777"
    assert f"person {resident.pk}" in caplog.text
    assert "7777" not in caplog.text


def test_service_asks_permission_of_the_fresh_row(editor, resident):
    """A person moved to another community meanwhile is out of the editor's reach."""
    stale = resident.__class__.objects.get(pk=resident.pk)
    resident.home_community = CommunityFactory()
    resident.save()
    with pytest.raises(PermissionDenied):
        services.person_update_contact(actor=editor, person=stale, phone="13700007777")
    resident.refresh_from_db()
    assert resident.phone == PHONE
