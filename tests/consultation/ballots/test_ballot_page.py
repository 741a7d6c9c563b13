"""What the ballot page shows a resident, built by `selectors.page` in a fixed
number of queries: the proxy forms come only to a holder (the ballot's query tells
whether they hold any), and go once the principal has voted."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultation.ballots import services
from consultation.ballots.models import RollEntry
from tests.consultation.factories import option_ids

pytestmark = pytest.mark.django_db

PROXY_FORM = "提交委托投票"


def test_only_a_proxy_holder_gets_the_proxy_form(client, open_ballot):
    ballot, people, staff = open_ballot
    principal = RollEntry.objects.get(ballot=ballot, voter=people[1])
    services.proxy_register(
        ballot_id=ballot.pk,
        principal_entry_id=principal.pk,
        holder=people[2],
        authorisation=SimpleUploadedFile(
            "委托书.pdf", b"%PDF-1.4", content_type="application/pdf"
        ),
        actor=staff,
    )
    url = f"/ballots/{ballot.pk}/"
    client.force_login(people[0].user)
    assert PROXY_FORM not in client.get(url).content.decode()
    client.force_login(people[2].user)
    page = client.get(url).content.decode()
    assert PROXY_FORM in page
    assert f'name="principal" value="{principal.pk}"' in page
    services.vote_cast(
        ballot_id=ballot.pk,
        voter=people[1],
        selection={"options": [option_ids(ballot)["yes"]]},
        idempotency_key=uuid.uuid4().hex,
    )
    assert PROXY_FORM not in client.get(url).content.decode()
