"""Where a community follows 四议两公开, a residents' pact goes to the vote only
through a matter of the procedure that has reached the residents' resolution."""

import pytest

from consultation.ballots.services import voting_settings_update
from consultation.records import services as records
from neighbourhoods.pages import CommunityPage
from neighbourhoods.services import register_pages_sync
from residents_pact import services
from residents_pact.models import PactVersion
from residents_pact.services import PactError
from tests.consultation.records.conftest import build_place, open_matter, show_of_hands

from .factories import BODY, sign_off, to_review

pytestmark = pytest.mark.django_db


def _three_meetings(place, matter) -> None:
    """Steps 1–3: proposal, the two committees, the party members' review."""
    meetings = [
        (
            "party_proposal",
            "party_committee",
            place.party,
            None,
            place.committee_ids[:4],
        ),
        (
            "two_committees",
            "two_committees",
            place.party,
            place.committee,
            [*place.committee_ids, place.committee.memberships.last().person_id],
        ),
        ("party_members_review", "party_members", place.party, None, place.party_ids),
    ]
    for step, kind, body, co_body, people in meetings:
        records.meeting_record(
            matter_id=matter.pk,
            actor=place.staff,
            data=show_of_hands(
                step, kind, body=body, co_body=co_body, present=people, yes=len(people)
            ),
        )


def test_the_vote_waits_for_the_procedure(home_page):
    place = build_place()
    voting_settings_update(community=place.community, actor=None, siyi_enabled=True)
    register_pages_sync(actor=None)
    page = services.pact_create(
        parent=CommunityPage.objects.get(community=place.community),
        kind="residents_pact",
        title="居民公约",
        community=place.community,
        actor=place.staff,
        body=BODY,
    )
    version = PactVersion.objects.get(page=page)
    to_review(place, version)
    sign_off(place, version)
    matter = open_matter(place, title="修订居民公约", category="charter_pact")
    with pytest.raises(PactError) as info:
        services.vote_open(
            version_id=version.pk,
            basis="household_representatives",
            actor=place.staff,
            matter_id=matter.pk,
        )
    assert info.value.code == "procedure_required"
    version.refresh_from_db()
    assert (version.state, version.ballot_id) == ("reviewed", None)
    _three_meetings(place, matter)
    services.vote_open(
        version_id=version.pk,
        basis="household_representatives",
        actor=place.staff,
        matter_id=matter.pk,
    )
    version.refresh_from_db()
    assert version.state == "voting"
    assert version.matter_id == matter.pk
