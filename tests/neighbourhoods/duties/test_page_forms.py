"""The duties' staff pages sent as a browser sends them: every field of the form in
the page's order, hidden ones included. A form that names two fields alike loses
one of them (Django reads the last value of a name), so none may."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.models import ListItem, ListVersion

pytestmark = pytest.mark.django_db


class _Forms(HTMLParser):
    """Each <form>'s fields as a browser would send them: (name, value) pairs."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[list]] = []
        self._select: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append([])
        elif not self.forms or "name" not in attrs:
            if tag == "option" and self._select is not None and not self._select[1]:
                self._select[1] = attrs.get("value", "")
            return
        elif tag == "input" and attrs.get("type") not in ("checkbox", "radio", "file"):
            self.forms[-1].append([attrs["name"], attrs.get("value", "")])
        elif tag in ("textarea", "select"):
            self._select = [attrs["name"], ""]
            self.forms[-1].append(self._select)

    def handle_endtag(self, tag):
        if tag in ("textarea", "select"):
            self._select = None


def _forms_of(html: str) -> list[list[list]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _pages(world) -> list[tuple[object, str]]:
    return [
        (world.office_user, reverse("duties:office", args=[world.district.slug])),
        (world.officer, reverse("duties:department")),
        (
            world.community_user,
            reverse("duties:desk", args=[world.communities[0].slug]),
        ),
    ]


def test_no_staff_form_names_two_fields_alike(world, client):
    ListVersion.objects.create(
        district=world.district,
        number=1,
        effective_from=timezone.localdate() + dt.timedelta(days=30),
    )
    for user, url in _pages(world):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        for fields in _forms_of(response.content.decode()):
            names = [name for name, _value in fields]
            doubled = {name for name in names if names.count(name) > 1}
            assert not doubled, (url, doubled)


def test_the_office_adds_a_list_item_as_a_browser_sends_it(world, client):
    client.force_login(world.office_user)
    url = reverse("duties:office", args=[world.district.slug])
    start = timezone.localdate() + dt.timedelta(days=30)
    client.post(url, {"form": "version", "effective_from": start.isoformat()})
    page = client.get(url).content.decode()
    item_form = next(
        f for f in _forms_of(page) if ["form", "item"] in f and ["version", "1"] in f
    )
    typed = {
        "kind": "duty",
        "title": "召集居民会议",
        "legal_basis": "《城市居民委员会组织法》",
        "work_form": "入户走访",
    }
    data: dict[str, list[str]] = {}
    for name, value in item_form:
        data.setdefault(name, []).append(typed.get(name, value))
    response = client.post(url, data)
    assert response.status_code == 302
    item = ListItem.objects.get()
    assert item.title == "召集居民会议"
    assert item.form == "入户走访"


def test_a_refused_application_comes_back_as_typed(world, client):
    from neighbourhoods.models import AdmissionRequest

    client.force_login(world.officer)
    reason = "汛期前需逐户排查独居老人住房安全隐患，" * 20
    community = world.communities[1]
    response = client.post(
        reverse("duties:department"),
        {
            "department": str(world.department.pk),
            "title": "汛期安全排查",
            "reason": reason,
            "legal_basis": "",
            "communities": [str(community.pk)],
            "starts_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "funds_yuan": "0",
            "staff": "0",
            "draft_agreement": "协议草案全文" + "。" * 14_000 + "完",
        },
    )
    assert response.status_code == 422  # no basis and nothing follows the work
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'value="汛期安全排查"' in html
    assert f">\n{reason}</textarea>" in html
    # a long draft (the service takes 20,000 characters) comes back whole
    assert ">\n协议草案全文" + "。" * 14_000 + "完</textarea>" in html
    assert f'value="{community.pk}" checked' in html
    assert f'value="{world.department.pk}" selected' in html
    assert not AdmissionRequest.objects.exists()


def test_a_refused_desk_form_comes_back_as_typed_and_the_others_empty(world, client):
    from neighbourhoods.models import TaskRefusal

    client.force_login(world.community_user)
    url = reverse("duties:desk", args=[world.communities[0].slug])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    note = "该项工作不在本社区工作事项清单内，未经准入。" * 5
    response = client.post(
        url,
        {
            "form": "task_refusal",
            "department": str(world.department.pk),
            "title": "代收医保费",
            "received_on": tomorrow,
            "note": note,
        },
    )
    assert response.status_code == 422  # received tomorrow
    html = response.content.decode()
    assert "收到日期不能晚于今天" in html
    assert 'href="#task-refusal"' in html
    assert 'value="代收医保费"' in html
    assert f'value="{tomorrow}"' in html
    assert f">\n{note}</textarea>" in html
    meeting_form = html.split('id="meeting"', 1)[1].split("</form>", 1)[0]
    assert "代收医保费" not in meeting_form  # the other forms stay empty
    assert not TaskRefusal.objects.exists()


def test_a_refused_office_form_comes_back_as_typed(world, client):
    client.force_login(world.office_user)
    url = reverse("duties:office", args=[world.district.slug])
    start = timezone.localdate() + dt.timedelta(days=30)
    client.post(url, {"form": "version", "effective_from": start.isoformat()})
    response = client.post(
        url,
        {
            "form": "item",
            "version": "1",
            "kind": "certificate",
            "title": "居住证明",
            "legal_basis": "《居住证暂行条例》",
            "work_form": "窗口办理",
        },
    )
    assert response.status_code == 422  # a certificate needs its verifiable facts
    html = response.content.decode()
    item = html.split('id="item-1"', 1)[1].split("</form>", 1)[0]
    assert 'value="居住证明"' in item
    assert 'value="《居住证暂行条例》"' in item
    assert 'value="窗口办理"' in item
    assert 'value="certificate" selected' in item
    assert 'href="#item-1"' in html
    system = client.post(
        url,
        {
            "form": "system",
            "name": "东区社区工作考核",
            "adopted_on": timezone.localdate().isoformat(),
            "name-0": "居民满意度",
            "weight-0": "30",
            "source-0": "satisfaction_ballot",
        },
    )
    assert system.status_code == 422  # the weights do not make 100 %
    html = system.content.decode()
    assert 'value="东区社区工作考核"' in html
    assert 'id="s-name-0" name="name-0" maxlength="200" value="居民满意度"' in html
    assert 'value="30"' in html
    assert 'value="satisfaction_ballot" selected' in html


def test_an_approval_without_its_agreement_keeps_the_opinion(world, client):
    from neighbourhoods.duties import services

    from .conftest import apply

    found = apply(world)
    services.admission_subdistrict_view(
        request_id=found.pk, actor=world.subdistrict_user, view="同意"
    )
    services.admission_consult_close(request_id=found.pk, actor=world.office_user)
    client.force_login(world.office_user)
    opinion = "经审查，该事项依据充分，经费随转到位，同意准入。" * 4
    response = client.post(
        reverse("duties:admission_action", args=[found.pk]),
        {"action": "approve", "text": opinion},
    )
    assert response.status_code == 422  # the signed agreement is missing
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'href="#ap"' in html
    assert f">\n{opinion}</textarea>" in html
    found.refresh_from_db()
    assert found.state == "communities_consulted"
