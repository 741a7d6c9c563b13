"""Live ballot updates over a websocket: access, snapshot, hidden and live tallies."""

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.urls import path

from consultation.ballots import services
from consultation.ballots.consumers import BallotConsumer
from consultation.ballots.models import Ballot
from tests.consultation.factories import option_ids, owners_ballot, owners_compound
from tests.neighbourhoods.factories import UserFactory
from yishi.websocket_auth import SessionAuthMiddleware

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

application = SessionAuthMiddleware(
    URLRouter([path("ws/ballots/<int:ballot_id>/", BallotConsumer.as_asgi())])
)


def _cookie_for(user) -> bytes:
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


async def _connect(user, ballot_id):
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(_cookie_for)(user)))
    communicator = WebsocketCommunicator(
        application, f"/ws/ballots/{ballot_id}/", headers=headers
    )
    connected, code = await communicator.connect()
    return communicator, connected, code


@sync_to_async
def _ballot(visibility):
    compound, community, people, staff = owners_compound(3)
    ballot = owners_ballot(compound, community, staff, results_visibility=visibility)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    return ballot, people, staff


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    """Queries ran in asgiref's worker thread: close its connection, or PostgreSQL
    refuses to drop the test database at the end of the run."""
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def inline_broadcasts(settings):
    settings.YISHI_BROADCAST = "inline"


async def test_outsiders_are_refused():
    ballot, _, _ = await _ballot(Ballot.ResultsVisibility.LIVE)
    _, connected, code = await _connect(None, ballot.pk)
    assert not connected
    assert code == 4403
    stranger = await sync_to_async(UserFactory)()
    _, connected, code = await _connect(stranger, ballot.pk)
    assert not connected
    _, connected, _ = await _connect(stranger, 999999)
    assert not connected


async def test_live_tally_reaches_the_room(inline_broadcasts):
    ballot, people, _ = await _ballot(Ballot.ResultsVisibility.LIVE)
    communicator, connected, _ = await _connect(people[0].user, ballot.pk)
    assert connected
    snapshot = await communicator.receive_json_from(timeout=5)
    assert snapshot["type"] == "snapshot"
    assert snapshot["tally"]["participation"]["heads"] == 0
    yes = (await sync_to_async(option_ids)(ballot))["yes"]
    await sync_to_async(services.vote_cast)(
        ballot_id=ballot.pk, voter=people[1], selection=[yes]
    )
    message = await communicator.receive_json_from(timeout=5)
    assert message["type"] == "tally"
    assert message["tally"]["participation"]["heads"] == 1
    assert message["tally"]["options"][0]["heads"] == 1
    await communicator.disconnect()


async def test_hidden_tally_sends_participation_only(inline_broadcasts):
    ballot, people, staff = await _ballot(Ballot.ResultsVisibility.AFTER_CLOSE)
    communicator, connected, _ = await _connect(staff, ballot.pk)
    assert connected
    snapshot = await communicator.receive_json_from(timeout=5)
    assert snapshot["tally"] is None
    yes = (await sync_to_async(option_ids)(ballot))["yes"]
    await sync_to_async(services.vote_cast)(
        ballot_id=ballot.pk, voter=people[0], selection=[yes]
    )
    message = await communicator.receive_json_from(timeout=5)
    assert message["tally"] is None
    assert message["participation"]["heads"] == 1
    assert "options" not in message
    await sync_to_async(services.ballot_close)(ballot_id=ballot.pk, actor=staff)
    closed = await communicator.receive_json_from(timeout=5)
    assert closed["tally"]["options"][0]["heads"] == 1
    await communicator.disconnect()
