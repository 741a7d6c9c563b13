"""The register in the Django admin: scoping per community, masking, import pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from neighbourhoods import models
from tests.neighbourhoods.factories import (
    PersonFactory,
    StaffAssignmentFactory,
    UserFactory,
)
from tests.neighbourhoods.roll_helpers import (
    csv_bytes,
    id_number,
    person_row,
    person_with_id,
    register_counts,
    roll_register,
)
from yishi.privacy import id_number_hash

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parent / "data" / "roll_example.csv"
IMPORT_URL = "/django-admin/neighbourhoods/importbatch/import/"
EXPORT_URL = "/django-admin/neighbourhoods/importbatch/export/"


def changelist(model) -> str:
    return reverse(f"admin:neighbourhoods_{model._meta.model_name}_changelist")


def change(obj) -> str:
    return reverse(f"admin:neighbourhoods_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def reg():
    register = roll_register()
    register.alice = person_with_id(
        id_number(1), home_community=register.a, full_name="甲居民", phone="13911112222"
    )
    register.bob = person_with_id(
        id_number(2), home_community=register.b, full_name="乙居民", phone="13933334444"
    )
    return register


def staff(community, role=models.StaffAssignment.Role.EDITOR, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    StaffAssignmentFactory(user=user, community=community, role=role)
    return user


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def upload(data: bytes, name="roll.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "no confirm form"
    return match.group(1)


# -- lists and masking ----------------------------------------------------------------


def test_the_person_list_shows_masked_numbers_only(client, reg, superuser):
    client.force_login(superuser)
    html = client.get(changelist(models.Person)).content.decode()
    assert "甲居民" in html
    assert "乙居民" in html
    assert "**************" + id_number(1)[-4:] in html
    assert "139****2222" in html
    for secret in (id_number(1), reg.alice.id_number_hash, "13911112222"):
        assert secret not in html
    page = client.get(change(reg.alice)).content.decode()
    for secret in (id_number(1), reg.alice.id_number_hash):
        assert secret not in page


def test_community_staff_see_only_their_community(client, reg):
    client.force_login(staff(reg.a))
    html = client.get(changelist(models.Person)).content.decode()
    assert "甲居民" in html
    assert "乙居民" not in html
    assert "和平社区" not in html  # not even in the filter
    response = client.get(change(reg.bob))
    assert response.status_code == 302  # "does not exist" for this user
    assert "乙居民" not in client.get(response.url).content.decode()
    response = client.post(
        change(reg.bob), {"full_name": "改名", "home_community": reg.b.pk}
    )
    reg.bob.refresh_from_db()
    assert reg.bob.full_name == "乙居民"


def test_subdistrict_staff_see_every_community_of_it(client, reg):
    user = UserFactory(is_staff=True)
    StaffAssignmentFactory(
        user=user, community=None, subdistrict=reg.a.subdistrict, role="viewer"
    )
    client.force_login(user)
    html = client.get(changelist(models.Person)).content.decode()
    assert "甲居民" in html
    assert "乙居民" in html


def test_autocomplete_offers_only_people_in_scope(client, reg):
    client.force_login(staff(reg.a))
    response = client.get(
        "/django-admin/autocomplete/",
        {
            "app_label": "neighbourhoods",
            "model_name": "residency",
            "field_name": "person",
            "term": "居民",
        },
    )
    assert response.status_code == 200
    names = [item["text"] for item in response.json()["results"]]
    assert names == ["甲居民"]


def test_staff_cannot_move_a_person_into_another_community(client, reg):
    client.force_login(staff(reg.a))
    response = client.post(
        change(reg.alice),
        {"full_name": "甲居民", "home_community": reg.b.pk, "phone": "13911112222"},
    )
    assert response.status_code == 200  # the form again, with its error
    reg.alice.refresh_from_db()
    assert reg.alice.home_community == reg.a


def test_a_viewer_may_look_but_not_change(client, reg):
    client.force_login(staff(reg.a, role=models.StaffAssignment.Role.VIEWER))
    assert client.get(change(reg.alice)).status_code == 200
    response = client.post(
        change(reg.alice), {"full_name": "改名", "home_community": reg.a.pk}
    )
    assert response.status_code == 403
    reg.alice.refresh_from_db()
    assert reg.alice.full_name == "甲居民"
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 200


def test_staff_without_a_register_assignment_see_no_register(client, reg):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(changelist(models.Person)).status_code == 403
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403


# The register's models; the Wagtail page models of the app live in the Wagtail admin.
REGISTER_MODELS = [
    m
    for m in apps.get_app_config("neighbourhoods").get_models()
    if m.__module__.startswith("neighbourhoods.models.")
]


@pytest.mark.parametrize("model", REGISTER_MODELS, ids=lambda m: m.__name__)
def test_every_register_model_has_an_admin_list(client, reg, superuser, model):
    client.force_login(superuser)
    assert client.get(changelist(model)).status_code == 200
    add_url = reverse(f"admin:neighbourhoods_{model._meta.model_name}_add")
    add_status = client.get(add_url).status_code
    assert add_status == (403 if model is models.ImportBatch else 200)


@pytest.mark.parametrize("model", REGISTER_MODELS, ids=lambda m: m.__name__)
def test_every_register_list_is_scoped_for_community_staff(client, reg, model):
    client.force_login(staff(reg.a))
    response = client.get(changelist(model))
    if model is models.StaffAssignment:
        assert response.status_code == 403  # granting rights: superusers only
    else:
        assert response.status_code == 200
        assert "和平" not in response.content.decode()


def test_codes_are_changed_by_superusers_only(client, reg):
    client.force_login(staff(reg.a))
    response = client.post(
        change(reg.a),
        {
            "name": "改",
            "code": reg.a.code,
            "slug": "x",
            "subdistrict": reg.a.subdistrict_id,
        },
    )
    assert response.status_code == 403
    reg.a.refresh_from_db()
    assert reg.a.name == "幸福社区"


# -- the write-only ID number field ---------------------------------------------------


def person_form(community, **overrides):
    data = {"full_name": "新居民", "home_community": community.pk, "phone": ""}
    data.update(overrides)
    return data


def test_an_id_number_entered_in_the_admin_is_stored_as_hash_and_tail(
    client, reg, superuser
):
    client.force_login(superuser)
    number = id_number(7)
    response = client.post(
        reverse("admin:neighbourhoods_person_add"),
        person_form(reg.a, id_number=number),
    )
    assert response.status_code == 302
    person = models.Person.objects.get(full_name="新居民")
    assert person.id_number_hash == id_number_hash(number)
    assert person.id_number_last4 == number[-4:]
    page = client.get(change(person)).content.decode()
    assert number not in page
    assert person.masked_id_number in page


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (id_number(7)[:-1] + ("1" if id_number(7)[-1] != "1" else "2"), "校验位"),
        (id_number(2), "另一位居民"),  # bob's
    ],
    ids=["checksum", "taken"],
)
def test_a_bad_id_number_is_refused_without_echoing_it(
    client, reg, superuser, value, fragment
):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:neighbourhoods_person_add"), person_form(reg.a, id_number=value)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert fragment in html
    assert value not in html
    assert not models.Person.objects.filter(full_name="新居民").exists()


def test_a_blank_id_number_keeps_the_stored_one(client, reg, superuser):
    client.force_login(superuser)
    response = client.post(
        change(reg.alice),
        person_form(reg.a, full_name="甲居民", phone="13911112222", id_number=""),
    )
    assert response.status_code == 302
    reg.alice.refresh_from_db()
    assert reg.alice.id_number_hash == id_number_hash(id_number(1))


def test_only_superusers_link_login_accounts(client, reg):
    client.force_login(staff(reg.a))
    other = UserFactory()
    client.post(
        change(reg.alice),
        person_form(reg.a, full_name="甲居民", phone="13911112222", user=other.pk),
    )
    reg.alice.refresh_from_db()
    assert reg.alice.user is None


# -- the import pages -----------------------------------------------------------------


def test_the_import_is_checked_first_then_confirmed(client, reg, superuser):
    client.force_login(superuser)
    assert client.get(IMPORT_URL).status_code == 200
    before = register_counts()
    response = client.post(
        IMPORT_URL, {"community": reg.a.pk, "file": upload(EXAMPLE.read_bytes())}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="roll-counts"' in html
    assert "确认导入" in html
    assert register_counts() == before  # the check wrote nothing
    response = client.post(IMPORT_URL, {"token": token_of(response)})
    batch = models.ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == change(batch)
    assert batch.imported_by.username == "root"
    assert batch.filename == "roll.csv"
    assert models.Person.objects.filter(home_community=reg.a).count() == 7
    record = client.get(response.url).content.decode()
    assert "居民：新增 6，更新 0，不变 0" in record
    assert batch.sha256 in record


def response_for_token(client, reg):
    data = csv_bytes([person_row(30, 户号="H030", 房号="130")])
    return client.post(IMPORT_URL, {"community": reg.a.pk, "file": upload(data)})


def test_a_spent_or_unknown_token_asks_for_a_new_upload(client, reg, superuser):
    client.force_login(superuser)
    response = response_for_token(client, reg)
    token = token_of(response)
    assert client.post(IMPORT_URL, {"token": token}).status_code == 302
    count = models.Person.objects.count()
    for bad in (token, "x", "a" * 500, "../../etc"):
        response = client.post(IMPORT_URL, {"token": bad}, follow=True)
        assert response.status_code == 200
        assert "上传已过期" in response.content.decode()
    assert models.Person.objects.count() == count


def test_a_file_with_errors_shows_them_and_offers_no_confirm(client, reg, superuser):
    client.force_login(superuser)
    data = csv_bytes([person_row(3), person_row(4, 楼栋="9", 身份证号=id_number(1))])
    before = register_counts()
    response = client.post(IMPORT_URL, {"community": reg.a.pk, "file": upload(data)})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="roll-errors"' in html
    assert "楼栋“9”不存在" in html
    assert 'name="token"' not in html
    for n in (1, 3, 4):
        assert id_number(n) not in html
    assert register_counts() == before


def test_the_confirm_validates_again(client, reg, superuser):
    client.force_login(superuser)
    response = client.post(
        IMPORT_URL, {"community": reg.a.pk, "file": upload(EXAMPLE.read_bytes())}
    )
    token = token_of(response)
    # Meanwhile the building is moved to community B: the rows now point elsewhere.
    models.Building.objects.filter(pk=reg.building2.pk).update(community=reg.b)
    before = register_counts()
    response = client.post(IMPORT_URL, {"token": token})
    assert response.status_code == 200
    assert "属于其他社区" in response.content.decode()
    assert register_counts() == before


def test_community_staff_import_into_their_community_only(client, reg):
    clerk = staff(reg.a)
    client.force_login(clerk)
    page = client.get(IMPORT_URL).content.decode()
    assert f'<option value="{reg.a.pk}"' in page
    assert f'<option value="{reg.b.pk}"' not in page
    data = EXAMPLE.read_bytes()
    response = client.post(IMPORT_URL, {"community": reg.b.pk, "file": upload(data)})
    assert response.status_code == 403
    response = client.post(IMPORT_URL, {"community": reg.a.pk, "file": upload(data)})
    token = token_of(response)
    # Another user cannot use the clerk's token.
    client.force_login(staff(reg.a))
    client.post(IMPORT_URL, {"token": token})
    assert models.ImportBatch.objects.count() == 0
    client.force_login(clerk)
    assert client.post(IMPORT_URL, {"token": token}).status_code == 302
    assert models.ImportBatch.objects.get().community == reg.a


def test_a_token_for_a_community_the_user_lost_is_refused(client, reg):
    clerk = staff(reg.a)
    client.force_login(clerk)
    response = client.post(
        IMPORT_URL, {"community": reg.a.pk, "file": upload(EXAMPLE.read_bytes())}
    )
    token = token_of(response)
    models.StaffAssignment.objects.filter(user=clerk).update(
        role=models.StaffAssignment.Role.VIEWER
    )
    assert client.post(IMPORT_URL, {"token": token}).status_code == 403
    assert models.ImportBatch.objects.count() == 0


@pytest.mark.parametrize(
    "post",
    [
        {},
        {"community": "abc"},
        {"community": "999999"},
        {"community": ""},
    ],
    ids=["nothing", "not-a-number", "no-such", "blank"],
)
def test_malformed_import_posts_get_the_form_back(client, reg, superuser, post):
    client.force_login(superuser)
    response = client.post(IMPORT_URL, post)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_an_unreadable_upload_gets_a_clear_message(client, reg, superuser):
    client.force_login(superuser)
    response = client.post(
        IMPORT_URL,
        {"community": reg.a.pk, "file": upload(b"PK\x03\x04junk", "r.xlsx")},
    )
    assert response.status_code == 200
    assert "无法读取该 XLSX 文件" in response.content.decode()


# -- the export page -------------------------------------------------------------------


def test_the_export_page_downloads_a_masked_roll(client, reg):
    client.force_login(staff(reg.a, role=models.StaffAssignment.Role.VIEWER))
    page = client.get(EXPORT_URL).content.decode()
    assert f'<option value="{reg.b.pk}"' not in page
    response = client.get(EXPORT_URL, {"community": reg.a.pk, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode("utf-8-sig")
    assert "甲居民" in body
    assert id_number(1) not in body
    assert "13911112222" not in body
    response = client.get(EXPORT_URL, {"community": reg.a.pk, "format": "xlsx"})
    assert response.content.startswith(b"PK")


def test_another_communitys_export_is_refused(client, reg):
    client.force_login(staff(reg.a))
    response = client.get(EXPORT_URL, {"community": reg.b.pk, "format": "csv"})
    assert response.status_code == 403
    for bad in ({"community": "abc"}, {"community": reg.a.pk, "format": "pdf"}):
        response = client.get(EXPORT_URL, bad)
        assert response.status_code == 200
        assert 'class="errorlist' in response.content.decode()


def test_the_import_links_are_on_the_lists(client, reg, superuser):
    client.force_login(superuser)
    for model in (models.ImportBatch, models.Person):
        html = client.get(changelist(model)).content.decode()
        assert IMPORT_URL in html
        assert EXPORT_URL in html


def test_people_added_in_the_admin_stay_in_scope(client, reg):
    client.force_login(staff(reg.a))
    response = client.post(
        reverse("admin:neighbourhoods_person_add"), person_form(reg.b)
    )
    assert response.status_code == 200
    assert not models.Person.objects.filter(full_name="新居民").exists()
    response = client.post(
        reverse("admin:neighbourhoods_person_add"), person_form(reg.a)
    )
    assert response.status_code == 302
    assert (
        PersonFactory._meta.model.objects.get(full_name="新居民").home_community
        == reg.a
    )
