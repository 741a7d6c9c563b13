"""Account pages through HTTP, with the locmem SMS backend: statuses, messages in
Chinese then English, the staff queue's 403, the printed slip, and the vote an
unverified account cannot cast until staff link it."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from consultation.ballots import services as ballot_services
from neighbourhoods.accounts import services
from neighbourhoods.accounts.models import (
    AccountLinkRequest,
    PhoneCode,
    ResidentAccount,
    SignInSlip,
)
from neighbourhoods.models import StaffAssignment
from tests.consultation.factories import option_ids, owners_ballot, owners_compound
from tests.neighbourhoods.factories import (
    CommunityFactory,
    PersonFactory,
    StaffAssignmentFactory,
    UserFactory,
)

from .conftest import last_code

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _code_signin(client, phone=PHONE, outbox=None, code=None):
    sent = client.post("/account/code/", {"phone": phone, "action": "send"})
    assert sent.status_code == 200
    assert "验证码已发送到 139****5678" in sent.content.decode()
    return client.post(
        "/account/code/",
        {"phone": phone, "action": "signin", "code": code or last_code(outbox, PHONE)},
    )


def test_sign_up_by_code_then_claim(client, outbox):
    page = client.get("/account/code/")
    assert page.status_code == 200
    assert "获取验证码" in page.content.decode()
    response = _code_signin(client, "+86 139 1234 5678", outbox)
    assert response.status_code == 302
    assert response.url == "/account/link/"
    community = CommunityFactory(name="阳光社区")
    link = client.get("/account/link/")
    assert "阳光社区" in link.content.decode()
    bad = client.post("/account/link/", {"community": "abc", "name": "张三"})
    assert bad.status_code == 422
    assert "请选择您所在的社区" in bad.content.decode()
    ok = client.post(
        "/account/link/",
        {"community": community.pk, "name": "张三", "unit": "3-2-501"},
    )
    assert ok.status_code == 302
    page = client.get("/account/link/").content.decode()
    assert "正在等待社区工作人员核实" in page
    again = client.post(
        "/account/link/", {"community": community.pk, "name": "张三", "unit": "1"}
    )
    assert again.status_code == 409
    assert "already have a request" in again.content.decode()


@pytest.mark.parametrize("phone", ["", "12345", "1" * 5000, "\x00", "１３９"])
def test_hostile_numbers_answer_422(client, phone, outbox):
    response = client.post("/account/code/", {"phone": phone, "action": "send"})
    assert response.status_code == 422
    assert "Enter a mainland mobile number" in response.content.decode()
    assert not outbox


def test_wrong_code_and_throttle_statuses(client, outbox):
    client.post("/account/code/", {"phone": PHONE, "action": "send"})
    wrong = client.post(
        "/account/code/", {"phone": PHONE, "action": "signin", "code": "abc"}
    )
    assert wrong.status_code == 422
    assert "6 位数字" in wrong.content.decode()
    again = client.post("/account/code/", {"phone": PHONE, "action": "send"})
    assert again.status_code == 429
    assert "秒后再试" in again.content.decode()
    assert SESSION_KEY not in client.session


def test_password_sign_in_by_phone_in_any_form(client, outbox):
    _code_signin(client, PHONE, outbox)
    account = ResidentAccount.objects.get(phone=PHONE)
    account.user.set_password("Lift-2026-yangguang")
    account.user.save()
    client.logout()
    response = client.post(
        "/login/", {"username": "+86 139-1234-5678", "password": "Lift-2026-yangguang"}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(account.user.pk)


def test_password_sign_in_by_phone_is_throttled_per_account(client, outbox, settings):
    settings.AXES_ENABLED = True
    _code_signin(client, PHONE, outbox)
    user = ResidentAccount.objects.get(phone=PHONE).user
    user.set_password("Lift-2026-yangguang")
    user.save()
    client.logout()
    typed = ["13912345678", "+8613912345678", "139 1234 5678", "86 139 1234 5678"]
    for n in range(6):
        client.post("/login/", {"username": typed[n % 4], "password": "wrong"})
    locked = client.post(
        "/login/", {"username": "139-1234-5678", "password": "Lift-2026-yangguang"}
    )
    assert locked.status_code == 429
    assert SESSION_KEY not in client.session


def test_reset_page(client, outbox):
    _code_signin(client, PHONE, outbox)
    client.logout()
    outbox.clear()
    PhoneCode.objects.update(sent_at=timezone.now() - timezone.timedelta(minutes=2))
    sent = client.post("/account/password/reset/", {"phone": PHONE, "action": "send"})
    assert sent.status_code == 200
    mismatch = client.post(
        "/account/password/reset/",
        {
            "phone": PHONE,
            "action": "reset",
            "code": last_code(outbox, PHONE),
            "password": "Lift-2026-a",
            "password2": "Lift-2026-b",
        },
    )
    assert mismatch.status_code == 422
    assert "两次输入的密码不一致" in mismatch.content.decode()
    done = client.post(
        "/account/password/reset/",
        {
            "phone": PHONE,
            "action": "reset",
            "code": last_code(outbox, PHONE),
            "password": "Lift-2026-yangguang",
            "password2": "Lift-2026-yangguang",
        },
    )
    assert done.status_code == 302
    assert done.url == "/login/"


@pytest.fixture
def queue():
    community = CommunityFactory()
    staff = StaffAssignmentFactory(community=community).user
    person = PersonFactory(home_community=community, full_name="张三")
    applicant = UserFactory()
    request = services.link_request_create(
        actor=applicant,
        community=community,
        claimed_name="张三",
        claimed_unit="3-2-501",
    )
    return community, staff, person, applicant, request


def test_staff_queue_verify(client, queue):
    _community, staff, person, applicant, request = queue
    client.force_login(staff)
    page = client.get("/account/links/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "张三 · 3-2-501" in body
    assert "核实通过并关联" in body
    missing = client.post(f"/account/links/{request.pk}/verify/", {"person": "x"})
    assert missing.status_code == 422
    done = client.post(f"/account/links/{request.pk}/verify/", {"person": person.pk})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.user == applicant
    twice = client.post(f"/account/links/{request.pk}/verify/", {"person": person.pk})
    assert twice.status_code == 409


def test_staff_of_another_community_get_403(client, queue):
    _community, _staff, person, _applicant, request = queue
    other = StaffAssignmentFactory().user
    client.force_login(other)
    assert client.get("/account/links/").status_code == 200  # their own, empty queue
    assert "张三" not in client.get("/account/links/").content.decode()
    verify = client.post(f"/account/links/{request.pk}/verify/", {"person": person.pk})
    reject = client.post(f"/account/links/{request.pk}/reject/", {"reason": "x"})
    assert verify.status_code == 403
    assert reject.status_code == 403
    client.force_login(UserFactory())
    assert client.get("/account/links/").status_code == 403
    assert client.post("/account/links/999999/verify/").status_code == 404
    assert AccountLinkRequest.objects.get().status == "pending"


def test_staff_print_a_slip_and_the_resident_signs_in_once(client):
    community = CommunityFactory()
    staff = StaffAssignmentFactory(community=community).user
    person = PersonFactory(home_community=community, full_name="王奶奶")
    client.force_login(staff)
    page = client.get(f"/register/people/{person.pk}/").content.decode()
    assert "开通账号并打印登录条" in page
    printed = client.post(f"/account/slips/{person.pk}/")
    assert printed.status_code == 200
    assert "no-store" in printed["Cache-Control"]
    person.refresh_from_db()
    username = person.user.username
    body = printed.content.decode()
    assert username in body
    assert "登录条" in body
    code = body.split('class="slip-code">')[2].split("<")[0].replace(" ", "")
    assert len(code) == 8
    assert code.isdigit()
    assert SignInSlip.objects.get().code_hash != code
    client.logout()
    signed = client.post("/account/slip/", {"username": username, "code": code})
    assert signed.status_code == 302
    assert signed.url == "/account/welcome/"
    welcome = client.get("/account/welcome/").content.decode()
    assert "王奶奶" in welcome
    assert "添加手机号（可不填）" in welcome
    client.logout()
    again = client.post("/account/slip/", {"username": username, "code": code})
    assert again.status_code == 422
    assert "重新打印" in again.content.decode()
    client.force_login(StaffAssignmentFactory().user)
    assert client.post(f"/account/slips/{person.pk}/").status_code == 403
    viewer = StaffAssignmentFactory(
        community=community, role=StaffAssignment.Role.VIEWER
    ).user
    client.force_login(viewer)
    assert client.post(f"/account/slips/{person.pk}/").status_code == 403


def test_an_unverified_account_cannot_vote_until_staff_link_it(client, outbox):
    compound, community, people, staff = owners_compound(3)
    owner = people[0]
    owner.user = None
    owner.save(update_fields=["user"])
    ballot = owners_ballot(compound, community, staff)
    ballot_services.ballot_open(ballot_id=ballot.pk, actor=staff)
    _code_signin(client, PHONE, outbox)
    yes = option_ids(ballot)["yes"]
    vote = {"option": [yes], "idempotency_key": "k-1"}
    refused = client.post(f"/ballots/{ballot.pk}/vote/", vote)
    assert refused.status_code == 403
    client.post(
        "/account/link/",
        {"community": owner.home_community_id, "name": owner.full_name, "unit": "1-1"},
    )
    request = AccountLinkRequest.objects.get()
    services.link_request_verify(actor=staff, link_request=request, person=owner)
    assert client.post(f"/ballots/{ballot.pk}/vote/", vote).status_code == 201
