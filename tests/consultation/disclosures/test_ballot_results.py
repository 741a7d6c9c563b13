"""A published ballot's result disclosed in one action, its tally sheet attached by
hash and kept privately; refused before publication, twice, or to strangers."""

import hashlib

import pytest
from django.urls import reverse

from consultation.ballots import services as ballot_services
from consultation.disclosures import services
from consultation.disclosures.models import DisclosureEntry, DisclosureFile
from tests.consultation.factories import option_ids, owners_ballot, owners_compound
from tests.neighbourhoods.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "http://testserver/ballots/1/"


@pytest.fixture
def ballot():
    compound, community, people, staff = owners_compound(3)
    ballot = owners_ballot(compound, community, staff)
    ballot_services.ballot_open(ballot_id=ballot.pk, actor=staff)
    yes = option_ids(ballot)["yes"]
    for person in people:
        ballot_services.vote_cast(
            ballot_id=ballot.pk, voter=person, selection={"options": [yes]}
        )
    ballot_services.ballot_close(ballot_id=ballot.pk, actor=staff)
    return ballot, staff


def test_disclosed_in_one_action_with_the_tally_sheet(ballot, settings, tmp_path):
    settings.YISHI_PRIVATE_ROOT = tmp_path
    ballot, staff = ballot
    with pytest.raises(services.DisclosureStateError):
        services.ballot_result_disclose(
            ballot_id=ballot.pk, actor=staff, ballot_url=URL
        )
    ballot_services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    with pytest.raises(services.DisclosureError) as caught:
        services.ballot_result_disclose(
            ballot_id=ballot.pk, actor=UserFactory(), ballot_url=URL
        )
    assert caught.value.status == 403
    entry = services.ballot_result_disclose(
        ballot_id=ballot.pk, actor=staff, ballot_url=URL
    )
    assert entry.state == "in_review"
    assert entry.kind == "decision"
    assert (entry.source_kind, entry.source_id) == ("ballot", ballot.pk)
    assert entry.compound_id == ballot.compound_id
    assert ballot.published_tally.sha256 in entry.text
    (attachment,) = entry.attachments
    stored = DisclosureFile.objects.get(sha256=attachment["sha256"])
    data = (tmp_path / stored.file.name).read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == stored.sha256
    with pytest.raises(services.DisclosureStateError) as caught:
        services.ballot_result_disclose(
            ballot_id=ballot.pk, actor=staff, ballot_url=URL
        )
    assert caught.value.code == "already_disclosed"


def test_the_manage_page_button(ballot, client, settings, tmp_path):
    settings.YISHI_PRIVATE_ROOT = tmp_path
    ballot, staff = ballot
    ballot_services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    client.force_login(staff)
    page = client.get(
        reverse("ballots:ballot_manage", args=[ballot.pk])
    ).content.decode()
    assert reverse("disclosures:ballot_disclose", args=[ballot.pk]) in page
    response = client.post(reverse("disclosures:ballot_disclose", args=[ballot.pk]))
    entry = DisclosureEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/entry/{entry.pk}/")
    again = client.post(reverse("disclosures:ballot_disclose", args=[ballot.pk]))
    assert again.status_code == 409
