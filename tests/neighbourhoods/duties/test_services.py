"""Services of community duties: permissions, refusals, the audit line."""

import datetime as dt

import pytest

from neighbourhoods.duties import services
from neighbourhoods.duties.services import DutyError
from neighbourhoods.models import AdmissionRequest, SealUse
from yishi.audit import AuditEntry

from .conftest import TODAY, admit, agreement, apply, publish_lists

pytestmark = pytest.mark.django_db


def test_the_admission_path(world):
    request = apply(world)
    services.admission_subdistrict_view(
        request_id=request.pk, actor=world.subdistrict_user, view="同意"
    )
    services.admission_community_view(
        request_id=request.pk,
        community=world.communities[0],
        actor=world.community_user,
        agrees=True,
        view="人员经费到位可以承接",
    )
    services.admission_consult_close(request_id=request.pk, actor=world.office_user)
    request = services.admission_decide(
        request_id=request.pk,
        actor=world.office_user,
        approve=True,
        agreement=agreement(),
    )
    assert request.state == "admitted"
    assert request.number.startswith("东区社区准入〔")
    request = services.admission_enter(request_id=request.pk, actor=world.officer)
    assert request.state == "in_force"
    assert AuditEntry.objects.filter(action="admission_decide").count() == 1


def test_a_task_without_basis_or_funds_is_refused(world):
    with pytest.raises(DutyError) as caught:
        apply(world, legal_basis="", funds_fen=0)
    assert caught.value.status == 422
    assert "依据" in caught.value.message
    assert "费随事转" in caught.value.message
    assert not AdmissionRequest.objects.exists()


def test_only_the_right_office_decides(world):
    city_request = apply(
        world, department=world.city_department, actor=None, title="统计调查"
    )
    services.admission_subdistrict_view(
        request_id=city_request.pk, actor=world.subdistrict_user, view="同意"
    )
    with pytest.raises(DutyError) as caught:
        services.admission_consult_close(
            request_id=city_request.pk, actor=world.office_user
        )
    assert caught.value.status == 403
    services.admission_consult_close(
        request_id=city_request.pk, actor=world.city_office_user
    )


def test_out_of_order_is_409_and_refusal_needs_reasons(world):
    request = apply(world)
    with pytest.raises(DutyError) as caught:
        services.admission_decide(
            request_id=request.pk,
            actor=world.office_user,
            approve=False,
            reasons="x",
        )
    assert caught.value.status == 409
    services.admission_subdistrict_view(
        request_id=request.pk, actor=world.subdistrict_user, view="不同意"
    )
    services.admission_consult_close(request_id=request.pk, actor=world.office_user)
    with pytest.raises(DutyError) as caught:
        services.admission_decide(
            request_id=request.pk, actor=world.office_user, approve=False
        )
    assert caught.value.code == "no_reasons"


def test_an_officer_cannot_apply_for_another_department(world):
    with pytest.raises(DutyError) as caught:
        apply(world, department=world.city_department)
    assert caught.value.status == 403


def test_published_list_items_are_never_edited(world):
    _version, kind = publish_lists(world)
    with pytest.raises(DutyError) as caught:
        services.list_item_update(item_id=kind.pk, actor=None, title="改")
    assert caught.value.status == 409
    follower = services.list_version_create(
        district=world.district, effective_from=dt.date(2027, 1, 1), actor=None
    )
    assert follower.number == 2
    assert follower.items.count() == 3
    copied = follower.items.get(title="居住证明")
    services.list_item_update(item_id=copied.pk, actor=None, title="居住情况证明")


def test_certificates_and_the_seal(world):
    _version, kind = publish_lists(world)
    community = world.communities[0]
    certificate = services.certificate_issue(
        community=community,
        kind_id=kind.pk,
        holder="张三",
        facts="在本社区居住",
        actor=world.community_user,
        approver="李主任",
        now=dt.datetime(2026, 3, 10, 2, tzinfo=dt.UTC),
    )
    assert certificate.number.endswith("-ZM-2026-0001")
    assert certificate.valid_until >= TODAY + dt.timedelta(days=90)
    assert SealUse.objects.get().certificate == certificate
    other_duty = world.district.list_versions.get().items.get(kind="duty")
    with pytest.raises(DutyError) as caught:
        services.certificate_issue(
            community=community,
            kind_id=other_duty.pk,
            holder="张三",
            facts="x",
            actor=world.community_user,
            approver="李主任",
        )
    assert caught.value.code == "kind_not_listed"
    with pytest.raises(DutyError) as caught:
        services.seal_use_record(
            community=community,
            actor=world.community_user,
            reason="",
            requester="某部门",
            approver="李主任",
        )
    assert caught.value.code == "no_reason"


def test_seal_for_an_admitted_agreement_only(world):
    request = apply(world)
    community = world.communities[0]
    with pytest.raises(DutyError) as caught:
        services.seal_use_record(
            community=community,
            actor=world.community_user,
            reason="approved_document",
            admission_id=request.pk,
            requester="应急局",
            approver="李主任",
        )
    assert caught.value.code == "document_not_approved"
    admit(world, request)
    use = services.seal_use_record(
        community=community,
        actor=world.community_user,
        reason="approved_document",
        admission_id=request.pk,
        requester="应急局",
        approver="李主任",
        document=b"agreement",
    )
    assert use.admission == request


def test_a_certificate_off_the_list_names_the_department(world):
    publish_lists(world)
    refusal = services.certificate_refuse(
        community=world.communities[0],
        requested="无犯罪记录证明",
        actor=world.resident,
    )
    assert refusal.department == "公安机关"
    with pytest.raises(DutyError) as caught:
        services.certificate_refuse(
            community=world.communities[0],
            requested="居住证明",
            actor=world.resident,
        )
    assert caught.value.code == "listed"


def test_community_marks_a_task_not_admitted(world):
    refusal = services.task_refuse(
        community=world.communities[0],
        department=world.department,
        actor=world.community_user,
        title="创建文明城市入户调查",
        received_on=TODAY,
        now=dt.datetime(2026, 3, 10, 2, tzinfo=dt.UTC),
    )
    assert "-BZR-2026-0001" in refusal.number
    with pytest.raises(DutyError) as caught:
        services.task_refuse(
            community=world.communities[1],
            department=world.department,
            actor=world.community_user,
            title="x",
            received_on=TODAY,
        )
    assert caught.value.status == 403


def test_meetings_ledgers_cancellations(world):
    community = world.communities[0]
    with pytest.raises(DutyError):
        services.meeting_notice_record(
            community=community,
            called_by=world.department,
            actor=world.officer,
            title="会",
            held_on=TODAY,
            consent_by="王主任",
        )
    services.meeting_notice_record(
        community=community,
        called_by=world.department,
        actor=world.officer,
        title="安全工作会",
        held_on=TODAY,
        consent_by="王主任",
        consent_on=TODAY,
    )
    template = services.ledger_template_register(
        district=world.district,
        department=world.department,
        actor=world.office_user,
        title="安全台账",
        register_fields=["households"],
        other_fields=["隐患数"],
    )
    with pytest.raises(DutyError):
        services.ledger_file(
            template=template,
            community=community,
            actor=world.community_user,
            period="2026-03",
        )
    filing = services.ledger_file(
        template=template,
        community=community,
        actor=world.community_user,
        period="2026-03",
        values={"隐患数": "2"},
    )
    assert filing.values == {"隐患数": "2", "households": 0}
    item = services.cancellation_record(
        district=world.district,
        actor=world.office_user,
        category="appraisal",
        title="取消社区创卫达标评比",
        cancelled_on=TODAY,
    )
    assert item.pk


def test_the_system_admits_while_no_office_is_set_up(world):
    request = apply(world)
    world.office.delete()
    for step in (
        lambda: services.admission_subdistrict_view(
            request_id=request.pk, actor=None, view="同意"
        ),
        lambda: services.admission_consult_close(request_id=request.pk, actor=None),
    ):
        step()
    decided = services.admission_decide(
        request_id=request.pk, actor=None, approve=True, agreement=agreement()
    )
    assert decided.number.endswith("0001")


def test_a_certificate_is_valid_for_at_most_ten_years(world):
    version = services.list_version_create(
        district=world.district, effective_from=dt.date(2027, 1, 1), actor=None
    )
    fields = {
        "version_id": version.pk,
        "actor": None,
        "kind": "certificate",
        "title": "居住证明",
        "legal_basis": "《居住证暂行条例》第九条",
        "verifiable_facts": "申请人在本社区居住",
    }
    # Issuing under a longer validity failed at the desk (a 500) until the next
    # list: the deadlines allow at most 3,650 days.
    for days in (0, 3651, 999_999_999):
        with pytest.raises(DutyError) as refused:
            services.list_item_add(**fields, validity_days=days)
        assert refused.value.status == 422
    item = services.list_item_add(**fields, validity_days=3650)
    with pytest.raises(DutyError):
        services.list_item_update(item_id=item.pk, actor=None, validity_days=4000)
    item.refresh_from_db()
    assert item.validity_days == 3650


def test_list_item_add_is_one_transaction():
    from neighbourhoods.duties.services import lists

    # A helper inserted above it once took its decorator (CI's browser walk saw
    # select_for_update refused outside a transaction).
    assert lists.list_item_add.__wrapped__.__name__ == "list_item_add"
