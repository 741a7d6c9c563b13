"""The pact services: the road to force, refusals with nothing written, amendments."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from consultation.disclosures.models import DisclosureEntry
from residents_pact import services
from residents_pact.models import PactComment, PactVersion, Pledge
from residents_pact.services import PactError
from yishi.audit import AuditEntry

from .factories import (
    BODY,
    adopt_by_vote,
    article,
    bring_into_force,
    pact_create,
    place_setup,
    receipt,
    sign_off,
    to_review,
)

pytestmark = pytest.mark.django_db


def first_version(page) -> PactVersion:
    return PactVersion.objects.get(page=page, number=1)


def test_a_pact_goes_from_draft_to_force_with_its_records(home_page):
    place = place_setup()
    page = pact_create(place)
    version = first_version(page)
    assert [a["key"] for a in version.articles] == ["a1", "a2", "a3", "a4"]
    assert version.articles[3]["chapter"] == "第二章 附则"
    version = bring_into_force(place, version)
    assert version.state == "in_force"
    assert version.filing.authority == "某某街道办事处"
    entries = DisclosureEntry.objects.filter(community=place.community)
    assert entries.count() == 2
    assert {e.state for e in entries} == {"in_review"}
    assert AuditEntry.objects.filter(action="pact_force_enter").count() == 1


def test_comments_only_in_the_period_and_nothing_written_outside(home_page):
    place = place_setup()
    version = first_version(pact_create(place))
    resident = place.residents[0]
    with pytest.raises(PactError) as info:
        services.comment_post(
            version_id=version.pk, article_key="a3", text="好", actor=resident
        )
    assert info.value.status == 409
    assert "征求意见期" in info.value.message
    today = timezone.localdate()
    services.comment_period_open(
        version_id=version.pk, actor=place.staff, days=10, today=today
    )
    comment = services.comment_post(
        version_id=version.pk,
        article_key="a3",
        text="建议增加禁止高空抛物。",
        actor=resident,
    )
    assert comment.pseudonym == 1
    reply = services.comment_post(
        version_id=version.pk,
        article_key="a3",
        text="同意",
        actor=place.residents[1],
        parent_id=comment.pk,
    )
    assert reply.pseudonym == 2
    services.comment_agree(comment_id=comment.pk, actor=place.residents[1])
    with pytest.raises(PactError):
        services.comment_agree(comment_id=comment.pk, actor=place.residents[1])
    comment.refresh_from_db()
    assert comment.agree_count == 1
    later = timezone.now() + dt.timedelta(days=60)
    with pytest.raises(PactError):
        services.comment_post(
            version_id=version.pk,
            article_key="a3",
            text="晚了",
            actor=resident,
            now=later,
        )
    assert PactComment.objects.count() == 2


def test_no_vote_before_the_review_and_unhandled_comments_block_sign_off(home_page):
    place = place_setup()
    version = first_version(pact_create(place))
    with pytest.raises(PactError) as info:
        services.vote_open(
            version_id=version.pk, basis="household_representatives", actor=place.staff
        )
    assert info.value.status == 409
    assert "合法性审查" in info.value.message
    version.refresh_from_db()
    assert version.ballot_id is None
    services.comment_period_open(
        version_id=version.pk, actor=place.staff, days=7, today=timezone.localdate()
    )
    comment = services.comment_post(
        version_id=version.pk, article_key="a2", text="意见", actor=place.residents[0]
    )
    version.refresh_from_db()
    services.comment_period_end(
        version_id=version.pk,
        actor=place.staff,
        today=version.comment_last_day + dt.timedelta(days=1),
    )
    with pytest.raises(PactError) as info:
        sign_off(place, version)
    assert info.value.code == "comments_open"
    services.comment_handle(
        comment_id=comment.pk,
        handling="partly",
        reason="部分采纳，已修改第二条。",
        actor=place.staff,
    )
    assert sign_off(place, version).reviewer_name


def test_not_in_force_without_filing_and_no_pledge_to_a_repealed_version(home_page):
    place = place_setup()
    version = first_version(pact_create(place))
    to_review(place, version)
    sign_off(place, version)
    adopt_by_vote(place, version)
    with pytest.raises(PactError) as info:
        services.force_enter(version_id=version.pk, actor=place.staff)
    assert info.value.message.startswith("没有备案记录")
    services.filing_record(
        version_id=version.pk,
        authority="街道办事处",
        filed_on=timezone.localdate(),
        receipt=receipt(),
        actor=place.staff,
    )
    services.force_enter(version_id=version.pk, actor=place.staff)
    pledge = services.pledge_make(version_id=version.pk, actor=place.residents[0])
    assert pledge.person_id
    services.pledge_make(
        version_id=version.pk, actor=place.residents[0], for_household=True
    )
    with pytest.raises(PactError):
        services.pledge_make(version_id=version.pk, actor=place.residents[0])
    services.pact_repeal(page_id=version.page_id, actor=place.staff)
    with pytest.raises(PactError) as info:
        services.pledge_make(version_id=version.pk, actor=place.residents[1])
    assert "废止" in info.value.message
    assert Pledge.objects.count() == 2


def test_a_receipt_that_is_not_a_document_is_refused(home_page):
    place = place_setup()
    version = first_version(pact_create(place))
    to_review(place, version)
    sign_off(place, version)
    adopt_by_vote(place, version)
    with pytest.raises(PactError) as info:
        services.filing_record(
            version_id=version.pk,
            authority="街道",
            filed_on=timezone.localdate(),
            receipt=ContentFile(b"MZ not a pdf", name="x.pdf"),
            actor=place.staff,
        )
    assert info.value.status in (413, 422)
    version.refresh_from_db()
    assert version.state == "adopted"


def test_an_amendment_keeps_article_identity_and_supersedes(home_page):
    place = place_setup()
    page = pact_create(place)
    bring_into_force(place, first_version(page))
    body = [
        *BODY[:3],
        article("a3", "居民应当共同爱护公共绿地。"),
        article("new", "新增一条。"),
        *BODY[4:],
    ]
    body = [b for b in body if b.get("id") != "a2"] + [
        article("a2", "居民应当遵守法律法规。")
    ]
    v2 = services.pact_amend(page_id=page.pk, actor=place.staff, body=body)
    assert v2.based_on.number == 1
    assert [a["key"] for a in v2.articles][-1] == "a2"
    with pytest.raises(PactError):
        services.pact_amend(page_id=page.pk, actor=place.staff)
    bring_into_force(place, v2)
    states = dict(PactVersion.objects.filter(page=page).values_list("number", "state"))
    assert states == {1: "amended", 2: "in_force"}


def test_only_the_drafting_group_handles_and_opens(home_page):
    place = place_setup()
    version = first_version(pact_create(place))
    with pytest.raises(PactError) as info:
        services.comment_period_open(
            version_id=version.pk, actor=place.residents[0], days=7
        )
    assert info.value.status == 403


def test_a_paper_adoption_goes_through_the_official_result_path(home_page):
    place = place_setup()
    version = first_version(pact_create(place))
    to_review(place, version)
    sign_off(place, version)
    version = services.paper_adoption_record(
        version_id=version.pk,
        basis="household_representatives",
        yes=30,
        no=2,
        abstain=1,
        roll_heads=50,
        source_document=receipt(),
        adopted_on=dt.date(2019, 4, 20),
        notice_on=dt.date(2019, 4, 5),
        actor=place.staff,
    )
    assert version.state == "adopted"
    assert version.adopted_on == dt.date(2019, 4, 20)
    published = version.ballot.published_tally
    assert published.official
    assert published.passed


def test_the_wrong_voters_or_scope_are_refused(home_page):
    place = place_setup()
    version = first_version(pact_create(place))
    to_review(place, version)
    sign_off(place, version)
    with pytest.raises(PactError) as info:
        services.vote_open(version_id=version.pk, basis="owners", actor=place.staff)
    assert info.value.status == 422
    version.refresh_from_db()
    assert (version.state, version.ballot_id) == ("reviewed", None)
    with pytest.raises(PactError) as info:
        services.pact_create(
            parent=place.page,
            kind="compound_convention",
            title="小区公约",
            community=place.community,
            actor=place.staff,
            body=BODY,
        )
    assert info.value.code == "scope"


def test_the_draft_follows_the_page_body(home_page):
    place = place_setup()
    page = pact_create(place)
    page.body = [*BODY, article("a5", "新增条文。")]
    page.save_revision().publish()
    version = services.draft_update(page_id=page.pk, actor=place.staff)
    assert [a["key"] for a in version.articles][-1] == "a5"
    services.comment_period_open(version_id=version.pk, actor=place.staff, days=5)
    with pytest.raises(PactError) as info:
        services.draft_update(page_id=page.pk, actor=place.staff)
    assert info.value.code == "no_draft"


def test_a_page_made_in_the_editor_gets_its_first_draft(home_page):
    from residents_pact.models import PactPage

    place = place_setup()
    page = PactPage(
        title="编辑器里写的公约",
        kind="residents_pact",
        community=place.community,
        body=BODY,
    )
    place.page.add_child(instance=page)
    version = services.draft_update(page_id=page.pk, actor=place.staff)
    assert (version.number, version.state) == (1, "draft")
    assert len(version.articles) == 4
