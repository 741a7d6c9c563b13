"""Account services with the locmem SMS backend: codes, limits, sign-up and in,
password reset, slips, and the staff's verification of a link request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from consultation.ballots.selectors import ballots_waiting_for
from neighbourhoods.accounts import services
from neighbourhoods.accounts.models import (
    AccountLinkRequest,
    PhoneCode,
    ResidentAccount,
    SignInSlip,
)
from neighbourhoods.accounts.services import AccountError
from neighbourhoods.models import Person, StaffAssignment
from tests.neighbourhoods.factories import (
    CommunityFactory,
    PersonFactory,
    StaffAssignmentFactory,
    UserFactory,
)
from yishi.audit import AuditEntry

from .conftest import last_code

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _send(phone=PHONE, purpose="signin", now=None):
    return services.phone_code_send(phone=phone, purpose=purpose, now=now)


def test_number_normalised_and_code_hashed_at_rest(outbox):
    assert _send("+86 139 1234 5678") == PHONE
    code = last_code(outbox, PHONE)
    row = PhoneCode.objects.get(phone=PHONE)
    # Only a keyed hash is kept: the clear code is in no column.
    assert len(row.code_hash) == 64
    assert row.code_hash != code
    assert code not in {str(v) for v in PhoneCode.objects.values().get().values()}
    assert "【议事】" in outbox[-1].text


@pytest.mark.parametrize("bad", ["", "12345678901", "1391234567", "abc", "1" * 400])
def test_bad_numbers_refused_422_nothing_written(bad, outbox):
    with pytest.raises(AccountError) as error:
        _send(bad)
    assert error.value.status == 422
    assert "手机号" in error.value.message
    assert not PhoneCode.objects.exists()
    assert not outbox


def test_signup_then_signin_with_codes(outbox):
    _send()
    user, created = services.phone_signin(phone=PHONE, code=last_code(outbox, PHONE))
    assert created
    assert user.resident_account.phone == PHONE
    assert not user.has_usable_password()
    assert AuditEntry.objects.filter(action="account_signup").count() == 1
    now = timezone.now() + dt.timedelta(minutes=2)
    _send(now=now)
    again, created = services.phone_signin(
        phone="139-1234-5678", code=last_code(outbox, PHONE), now=now
    )
    assert again == user
    assert not created


def test_a_code_signs_in_once(outbox):
    _send()
    code = last_code(outbox, PHONE)
    services.phone_signin(phone=PHONE, code=code)
    with pytest.raises(AccountError) as error:
        services.phone_signin(phone=PHONE, code=code)
    assert error.value.code == "code_dead"


def test_expired_code_refused(outbox):
    sent = timezone.now()
    _send(now=sent)
    with pytest.raises(AccountError) as error:
        services.phone_signin(
            phone=PHONE,
            code=last_code(outbox, PHONE),
            now=sent + dt.timedelta(minutes=10),
        )
    assert error.value.code == "code_dead"
    assert error.value.status == 422
    assert not ResidentAccount.objects.exists()


def test_five_wrong_tries_kill_the_code_and_are_counted(outbox):
    _send()
    code = last_code(outbox, PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    messages = []
    for _ in range(5):
        with pytest.raises(AccountError) as error:
            services.phone_signin(phone=PHONE, code=wrong)
        messages.append(error.value.message)
    assert "还可以再试 4 次" in messages[0]
    assert "1 次" in messages[3]
    assert "已失效" in messages[4]
    with pytest.raises(AccountError):  # even the right one now
        services.phone_signin(phone=PHONE, code=code)
    assert PhoneCode.objects.get(phone=PHONE).attempts == 5
    assert not ResidentAccount.objects.exists()


def test_code_of_another_purpose_does_not_sign_in(outbox):
    _send(purpose="bind")
    with pytest.raises(AccountError):
        services.phone_signin(phone=PHONE, code=last_code(outbox, PHONE))


def test_resend_throttled_per_number(outbox):
    now = timezone.now()
    _send(now=now)
    with pytest.raises(AccountError) as error:
        _send(now=now + dt.timedelta(seconds=30))
    assert error.value.status == 429
    assert "30 秒" in error.value.message
    _send("13800000000", now=now)  # another number is not held up
    for minute in range(1, 10):
        _send(now=now + dt.timedelta(minutes=minute))
    with pytest.raises(AccountError) as error:
        _send(now=now + dt.timedelta(minutes=11))
    assert error.value.code == "daily_limit"
    assert error.value.status == 429
    assert len([m for m in outbox if m.phone == PHONE]) == 10


def _account(outbox, phone=PHONE):
    _send(phone)
    user, _ = services.phone_signin(phone=phone, code=last_code(outbox, phone))
    return user


def test_password_reset_by_code(outbox, client):
    user = _account(outbox)
    later = timezone.now() + dt.timedelta(minutes=1)
    _send(purpose="reset", now=later)
    with pytest.raises(AccountError) as error:  # weak password: no try spent
        services.password_reset_by_code(
            phone=PHONE,
            code=last_code(outbox, PHONE),
            password="123",
            password2="123",
            now=later,
        )
    assert error.value.code == "weak_password"
    assert PhoneCode.objects.get(phone=PHONE).attempts == 0
    services.password_reset_by_code(
        phone=PHONE,
        code=last_code(outbox, PHONE),
        password="Lift-2026-yangguang",
        password2="Lift-2026-yangguang",
        now=later,
    )
    user.refresh_from_db()
    assert user.check_password("Lift-2026-yangguang")


def test_reset_code_not_sent_to_a_number_without_account(outbox):
    assert _send(purpose="reset") == PHONE  # the same answer
    assert not outbox


# ---- link requests ----


@pytest.fixture
def community():
    return CommunityFactory()


def _claim(user, community, name="张三", unit="3-2-501"):
    return services.link_request_create(
        actor=user, community=community, claimed_name=name, claimed_unit=unit
    )


def test_unverified_account_cannot_vote_until_staff_verify(outbox, community):
    user = _account(outbox)
    person = PersonFactory(full_name="张三", home_community=community)
    request = _claim(user, community)
    assert not Person.objects.filter(user=user).exists()
    staff = StaffAssignmentFactory(community=community).user
    services.link_request_verify(actor=staff, link_request=request, person=person)
    person.refresh_from_db()
    request.refresh_from_db()
    assert person.user == user
    assert request.status == "verified"
    assert request.reviewed_by == staff
    line = AuditEntry.objects.get(action="account_link_verify")
    assert line.community_id == community.pk
    assert line.actor == staff
    assert ballots_waiting_for(user.person) == {
        "to_vote": [],
        "proxies": [],
        "voted": [],
    }


def test_staff_of_another_community_refused(outbox, community):
    user = _account(outbox)
    person = PersonFactory(full_name="张三", home_community=community)
    request = _claim(user, community)
    other = StaffAssignmentFactory().user  # editor of another community
    viewer = StaffAssignmentFactory(
        community=community, role=StaffAssignment.Role.VIEWER
    ).user
    for actor in (other, viewer, user):
        with pytest.raises(PermissionDenied):
            services.link_request_verify(
                actor=actor, link_request=request, person=person
            )
    person.refresh_from_db()
    assert person.user is None
    assert AccountLinkRequest.objects.get().status == "pending"


def test_verify_refusals(outbox, community):
    user = _account(outbox)
    staff = StaffAssignmentFactory(community=community).user
    request = _claim(user, community)
    elsewhere = PersonFactory(full_name="张三")
    with pytest.raises(AccountError) as error:
        services.link_request_verify(
            actor=staff, link_request=request, person=elsewhere
        )
    assert error.value.status == 422
    taken = PersonFactory(home_community=community, user=UserFactory())
    with pytest.raises(AccountError) as error:
        services.link_request_verify(actor=staff, link_request=request, person=taken)
    assert error.value.status == 409
    with pytest.raises(AccountError) as error:
        _claim(user, community)
    assert error.value.code == "already_pending"
    assert error.value.status == 409


def test_reject_needs_a_reason_and_then_a_new_claim_is_allowed(outbox, community):
    user = _account(outbox)
    staff = StaffAssignmentFactory(community=community).user
    request = _claim(user, community)
    with pytest.raises(AccountError):
        services.link_request_reject(actor=staff, link_request=request, reason=" ")
    services.link_request_reject(
        actor=staff, link_request=request, reason="名册中 3-2-501 没有此人"
    )
    with pytest.raises(AccountError) as error:
        services.link_request_reject(actor=staff, link_request=request, reason="x")
    assert error.value.status == 409
    assert _claim(user, community, unit="3-2-502").status == "pending"


def test_claim_fields_checked(outbox, community):
    user = _account(outbox)
    with pytest.raises(AccountError) as error:
        _claim(user, community, name="")
    assert error.value.status == 422
    with pytest.raises(AccountError):
        _claim(user, community, unit="x" * 51)
    assert not AccountLinkRequest.objects.exists()


# ---- printed slips ----


def test_staff_open_an_account_and_print_a_slip(community):
    staff = StaffAssignmentFactory(community=community).user
    person = PersonFactory(home_community=community, full_name="王奶奶")
    slip = services.signin_slip_issue(actor=staff, person=person)
    person.refresh_from_db()
    assert slip.account_created
    assert person.user.username == slip.username
    assert len(slip.code) == 8
    stored = SignInSlip.objects.get(user=person.user)
    assert len(stored.code_hash) == 64
    assert stored.code_hash != slip.code
    assert slip.expires_at - stored.issued_at == dt.timedelta(days=7)
    user = services.signin_slip_redeem(username=slip.username, code=slip.code)
    assert user == person.user
    with pytest.raises(AccountError) as error:  # once only
        services.signin_slip_redeem(username=slip.username, code=slip.code)
    assert "已失效" in error.value.message


def test_slip_expires_after_seven_days_and_a_reprint_replaces_it(community):
    person = PersonFactory(home_community=community)
    issued = timezone.now()
    first = services.signin_slip_issue(actor=None, person=person, now=issued)
    with pytest.raises(AccountError):
        services.signin_slip_redeem(
            username=first.username,
            code=first.code,
            now=issued + dt.timedelta(days=7),
        )
    second = services.signin_slip_issue(actor=None, person=person)
    assert not second.account_created
    assert second.username == first.username
    if first.code != second.code:
        with pytest.raises(AccountError):
            services.signin_slip_redeem(username=first.username, code=first.code)
    assert services.signin_slip_redeem(username=second.username, code=second.code)


def test_slip_tries_limited(community):
    slip = services.signin_slip_issue(
        actor=None, person=PersonFactory(home_community=community)
    )
    wrong = f"{(int(slip.code) + 1) % 10**8:08d}"
    for _ in range(5):
        with pytest.raises(AccountError):
            services.signin_slip_redeem(username=slip.username, code=wrong)
    with pytest.raises(AccountError) as error:
        services.signin_slip_redeem(username=slip.username, code=slip.code)
    assert error.value.code == "code_dead"


def test_no_slip_for_a_self_made_account_or_from_other_staff(outbox, community):
    user = _account(outbox)
    person = PersonFactory(home_community=community, user=user)
    staff = StaffAssignmentFactory(community=community).user
    with pytest.raises(AccountError) as error:
        services.signin_slip_issue(actor=staff, person=person)
    assert error.value.status == 409
    other = StaffAssignmentFactory().user
    with pytest.raises(PermissionDenied):
        services.signin_slip_issue(
            actor=other, person=PersonFactory(home_community=community)
        )
    assert not SignInSlip.objects.exists()


def test_bind_a_phone_to_a_slip_account(outbox, community):
    slip = services.signin_slip_issue(
        actor=None, person=PersonFactory(home_community=community)
    )
    user = services.signin_slip_redeem(username=slip.username, code=slip.code)
    _send(purpose="bind")
    services.account_phone_bind(actor=user, phone=PHONE, code=last_code(outbox, PHONE))
    assert ResidentAccount.objects.get(user=user).phone == PHONE
    other = _account(outbox, "13700000000")
    with pytest.raises(AccountError) as error:
        services.account_phone_bind(actor=other, phone=PHONE, code="123456")
    assert error.value.status == 409
