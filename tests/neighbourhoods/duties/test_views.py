"""Public pages, JSON, documents and staff pages of community duties."""

import datetime as dt

import pytest
from django.urls import reverse

from neighbourhoods.duties import services
from neighbourhoods.models import IssuedCertificate, TaskRefusal

from .conftest import PDF, TODAY, admit, agreement, apply, publish_lists

pytestmark = pytest.mark.django_db


def _busy_district(world, extra: int):
    """Lists, decided requests, refusals, meetings and certificates: `extra`
    more of each makes no more queries."""
    _version, kind = publish_lists(world)
    for n in range(extra):
        admit(world, apply(world, title=f"任务{n}"))
        services.task_refuse(
            community=world.communities[n % 2],
            department=world.department,
            actor=None,
            title=f"检查{n}",
            received_on=TODAY - dt.timedelta(days=1),
        )
        services.certificate_issue(
            community=world.communities[0],
            kind_id=kind.pk,
            holder="张三",
            facts="居住",
            actor=None,
            approver="李",
        )
        services.certificate_refuse(
            community=world.communities[1], requested="无犯罪记录证明", actor=None
        )
        services.meeting_notice_record(
            community=world.communities[0],
            called_by=world.department,
            actor=None,
            title=f"会{n}",
            held_on=TODAY,
        )


@pytest.mark.parametrize("extra", [1, 4])
def test_public_pages_in_constant_queries(
    world, client, django_assert_max_num_queries, extra
):
    _busy_district(world, extra)
    slug = world.district.slug
    pages = {
        "duties:lists": 6,
        "duties:register": 6,
        "duties:burden": 10,
        "duties:burden_xlsx": 10,
        "duties:assessments": 5,
        "duties:api_lists": 6,
        "duties:api_register": 6,
        "duties:api_burden": 10,
    }
    for name, limit in pages.items():
        with django_assert_max_num_queries(limit):
            response = client.get(reverse(name, args=[slug]))
        assert response.status_code == 200, name
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("duties:community", args=[world.communities[0].slug])
        )
    assert response.status_code == 200


def test_json_shapes(world, client):
    _busy_district(world, 1)
    slug = world.district.slug
    lists = client.get(reverse("duties:api_lists", args=[slug])).json()
    assert lists["version"]["number"] == 1
    assert lists["certificates"][0]["title"] == "居住证明"
    register = client.get(reverse("duties:api_register", args=[slug])).json()
    district_row = next(
        d for d in register["departments"] if d["name"] == "东区应急管理局"
    )
    assert district_row["admitted"][0]["number"].startswith("东区社区准入")
    assert district_row["not_admitted_by_communities"][0]["title"] == "检查0"
    board = client.get(reverse("duties:api_burden", args=[slug])).json()
    assert len(board["months"]) == 6
    assert sum(board["totals"]["certificates_issued"]) == 1
    assert "张三" not in str(board)


def test_burden_board_shows_svg_and_xlsx(world, client):
    _busy_district(world, 1)
    response = client.get(reverse("duties:burden", args=[world.district.slug]))
    content = response.content
    charts = content[content.index(b"<svg") : content.rindex(b"</svg>")]
    assert charts.count(b"<svg") == 6
    assert b"<script" not in charts
    xlsx = client.get(reverse("duties:burden_xlsx", args=[world.district.slug]))
    assert xlsx.content[:2] == b"PK"


def test_certificate_pdf_and_check_page(world, client):
    _busy_district(world, 1)
    certificate = IssuedCertificate.objects.get()
    check = client.get(reverse("duties:check", args=[certificate.token]))
    assert certificate.number in check.content.decode()
    assert "张三" not in check.content.decode()
    assert (
        client.get(reverse("duties:certificate_pdf", args=[certificate.pk])).status_code
        == 302
    )
    client.force_login(world.community_user)
    pdf = client.get(reverse("duties:certificate_pdf", args=[certificate.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_refusal_notices_print(world, client):
    _busy_district(world, 1)
    refusal = TaskRefusal.objects.get()
    pdf = client.get(reverse("duties:task_refusal_pdf", args=[refusal.number]))
    assert pdf.content.startswith(b"%PDF")


def test_a_resident_asks_for_a_certificate_off_the_list(world, client):
    publish_lists(world)
    client.force_login(world.resident)
    url = reverse("duties:ask", args=[world.communities[0].slug])
    response = client.post(url, {"requested": "婚姻状况证明"}, follow=True)
    assert "民政部门婚姻登记机关" in response.content.decode()
    listed = client.post(url, {"requested": "居住证明"})
    assert "在本区证明事项清单内" in listed.content.decode()
    empty = client.post(url, {"requested": " "})
    assert empty.status_code == 422


def test_the_office_approves_through_the_page(world, client):
    request = apply(world)
    services.admission_subdistrict_view(
        request_id=request.pk, actor=world.subdistrict_user, view="同意"
    )
    action = reverse("duties:admission_action", args=[request.pk])
    client.force_login(world.office_user)
    client.post(action, {"action": "consult_close"})
    refused = client.post(action, {"action": "approve"})
    assert refused.status_code == 422
    assert "协议" in refused.content.decode()
    client.post(action, {"action": "approve", "agreement": agreement()})
    request.refresh_from_db()
    assert request.state == "admitted"
    got = client.get(reverse("duties:agreement", args=[request.pk]))
    assert b"".join(got.streaming_content) == PDF


def test_a_department_form_with_bad_input_is_refused(world, client):
    client.force_login(world.officer)
    url = reverse("duties:department")
    base = {
        "department": world.department.pk,
        "title": "入户调查",
        "reason": "需要",
        "legal_basis": "文件",
        "communities": [world.communities[0].pk],
        "starts_on": "2026-03-01",
        "funds_yuan": "100",
        "draft_agreement": "协议",
    }
    for change in (
        {"starts_on": "2026-02-30"},
        {"funds_yuan": "-1"},
        {"funds_yuan": "0", "staff": "0"},
        {"legal_basis": ""},
    ):
        response = client.post(url, {**base, **change})
        assert response.status_code == 422, change
    assert client.post(url, base).status_code == 302
    client.force_login(world.resident)
    assert client.get(url).status_code == 404


def test_a_published_item_is_not_edited(world):
    _version, kind = publish_lists(world)
    with pytest.raises(services.DutyError) as caught:
        services.list_item_update(item_id=kind.pk, actor=None, legal_basis="改")
    assert "新版本" in caught.value.message


def test_json_errors_are_json(world, client):
    for url in (
        "/api/duties/nowhere/lists.json",
        "/api/duties/nowhere/admissions.json",
        "/api/duties/nowhere/burden.json",
        f"/api/duties/{world.district.slug}/lists.json?version=7",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "No such" in response.json()["error"]
    assert (
        client.post(f"/api/duties/{world.district.slug}/lists.json").status_code == 405
    )


def test_a_version_that_is_no_number_is_no_such_version(world, client):
    url = f"/api/duties/{world.district.slug}/lists.json"
    for odd in ("²", "１", "abc"):  # "²".isdigit() is true: int() raised, a 500
        response = client.get(url, {"version": odd})
        assert response.status_code == 404
        assert "No such" in response.json()["error"]
