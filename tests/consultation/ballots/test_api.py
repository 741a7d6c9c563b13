"""The published-tally JSON API: published ballots only, frozen results, sha256."""

import json

import pytest

from consultation.ballots import api, services
from consultation.ballots.models import PublishedTally
from tests.consultation.factories import option_ids, owners_ballot, owners_compound

pytestmark = pytest.mark.django_db


def _ballot(register, state: str, **kwargs):
    compound, community, people, staff = register
    ballot = owners_ballot(compound, community, staff, **kwargs)
    if state == "draft":
        return ballot
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = option_ids(ballot)
    for person, choice in zip(people, ["yes", "yes", "no"], strict=True):
        services.vote_cast(ballot_id=ballot.pk, voter=person, selection=[ids[choice]])
    if state == "open":
        return ballot
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    if state == "published":
        services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    return ballot


@pytest.fixture
def ballots():
    here = owners_compound(3)
    there = owners_compound(3)
    return {
        "published": [
            _ballot(here, "published", title=f"本社区议题{i}") for i in range(3)
        ],
        "elsewhere": _ballot(there, "published", title="外社区议题"),
        "closed": _ballot(here, "closed", title="已截止未公布"),
        "open": _ballot(here, "open", title="进行中"),
        "draft": _ballot(here, "draft", title="草稿"),
        "here": here[1],
        "there": there[1],
    }


def test_list_shows_published_ballots_only(client, ballots):
    response = client.get("/api/ballots/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    ids = [item["id"] for item in body["results"]]
    published = [b.pk for b in ballots["published"]] + [ballots["elsewhere"].pk]
    assert sorted(ids) == sorted(published)
    assert body["count"] == 4
    titles = {item["title"] for item in body["results"]}
    assert not titles & {"已截止未公布", "进行中", "草稿"}
    item = next(i for i in body["results"] if i["id"] == ballots["published"][0].pk)
    stored = PublishedTally.objects.get(ballot_id=item["id"])
    assert item["sha256"] == stored.sha256
    assert item["passed"] is True
    assert item["community"]["code"] == ballots["here"].code
    assert item["links"]["tally"] == (
        f"http://testserver/api/ballots/{item['id']}/tally.json"
    )
    assert item["links"]["pdf"].endswith(f"/ballots/{item['id']}/tally.pdf")
    assert "result" not in item  # the list never carries the tallies themselves


def test_list_filters_by_community_code(client, ballots):
    body = client.get("/api/ballots/", {"community": ballots["there"].code}).json()
    assert [item["id"] for item in body["results"]] == [ballots["elsewhere"].pk]
    none = client.get("/api/ballots/", {"community": "000000000000"}).json()
    assert none["count"] == 0
    assert none["results"] == []


def test_list_is_paginated(client, ballots):
    first = client.get("/api/ballots/", {"page_size": 3}).json()
    assert (first["count"], first["pages"], first["page"]) == (4, 2, 1)
    assert len(first["results"]) == 3
    assert first["previous"] is None
    second = client.get(first["next"].removeprefix("http://testserver")).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert "page=1" in second["previous"]
    seen = [i["id"] for i in first["results"]] + [i["id"] for i in second["results"]]
    assert len(set(seen)) == 4
    capped = client.get("/api/ballots/", {"page_size": 5000}).json()
    assert capped["page_size"] == 100


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page": "abc"}, 400),
        ({"page": "0"}, 400),
        ({"page": "²"}, 400),
        ({"page_size": "-1"}, 400),
        ({"page": "99"}, 404),
    ],
)
def test_list_refuses_bad_pages(client, ballots, params, status):
    response = client.get("/api/ballots/", params)
    assert response.status_code == status
    error = response.json()["error"]
    assert error[0] > "\u4e00"  # Chinese first, English after
    assert any(c.isascii() and c.isalpha() for c in error)


def test_list_costs_a_fixed_number_of_queries(
    client, ballots, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # count + one page
        assert client.get("/api/ballots/").status_code == 200


def test_tally_json_is_the_frozen_result_with_its_sha256(client, ballots):
    ballot = ballots["published"][1]
    response = client.get(f"/api/ballots/{ballot.pk}/tally.json")
    assert response.status_code == 200
    body = json.loads(response.content.decode("utf-8"))
    stored = PublishedTally.objects.get(ballot=ballot)
    assert body["ballot"] == ballot.pk
    assert body["sha256"] == stored.sha256
    assert body["result"] == stored.result
    # Anybody can check the digest from the response alone.
    assert api.tally_sha256(body["result"]) == stored.sha256
    assert body["published_at"] == stored.published_at.isoformat()
    assert body["result"]["decision"]["conditions"][-1]["actual"] == "2/3"
    assert "同意" in response.content.decode("utf-8")  # UTF-8, not \\u escapes


def test_tally_json_never_leaks_an_unpublished_tally(client, ballots):
    bodies = set()
    for key in ("closed", "open", "draft"):
        response = client.get(f"/api/ballots/{ballots[key].pk}/tally.json")
        assert response.status_code == 404
        assert "options" not in response.content.decode()
        bodies.add(response.content)
    missing = client.get("/api/ballots/999999/tally.json")
    assert missing.status_code == 404
    bodies.add(missing.content)
    assert len(bodies) == 1  # a hidden ballot looks exactly like a missing one


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_api_is_read_only(client, ballots, method):
    ballot = ballots["published"][0]
    for url in ("/api/ballots/", f"/api/ballots/{ballot.pk}/tally.json"):
        assert getattr(client, method)(url).status_code == 405
    assert PublishedTally.objects.filter(ballot=ballot).exists()
