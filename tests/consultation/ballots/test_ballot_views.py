"""Ballot pages through HTTP: statuses, messages in Chinese then English, no 500."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultation.ballots import services
from consultation.ballots.models import Ballot, Participation, Proxy
from tests.consultation.factories import option_ids, owners_ballot, owners_compound
from tests.neighbourhoods.factories import StaffAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_ballot():
    compound, community, people, staff = owners_compound(4)
    ballot = owners_ballot(compound, community, staff)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    return ballot, people, staff


def _vote(client, ballot, option, key="k-1"):
    return client.post(
        f"/ballots/{ballot.pk}/vote/", {"option": [option], "idempotency_key": key}
    )


def test_voter_sees_the_form_and_votes_without_javascript(client, open_ballot):
    ballot, people, _ = open_ballot
    client.force_login(people[0].user)
    page = client.get(f"/ballots/{ballot.pk}/")
    assert page.status_code == 200
    assert 'name="idempotency_key"' in page.content.decode()
    ids = option_ids(ballot)
    response = _vote(client, ballot, ids["yes"])
    assert response.status_code == 201
    assert "投票已记录" in response.content.decode()
    again = _vote(client, ballot, ids["no"], key="k-2")
    assert again.status_code == 409
    assert "已经投过票" in again.content.decode()
    assert "already voted" in again.content.decode()
    replay = _vote(client, ballot, ids["yes"], key="k-1")
    assert replay.status_code == 200
    mismatch = _vote(client, ballot, ids["no"], key="k-1")
    assert mismatch.status_code == 422


def test_json_vote_and_its_refusals(client, open_ballot):
    ballot, people, staff = open_ballot
    client.force_login(people[1].user)
    ids = option_ids(ballot)
    url = f"/ballots/{ballot.pk}/vote/"

    def post(body):
        return client.post(url, body, content_type="application/json")

    assert post("{not json").status_code == 400
    assert post(json.dumps([1, 2])).status_code == 400
    other = owners_ballot(ballot.compound, ballot.community, staff)
    assert post({"selection": [option_ids(other)["yes"]]}).status_code == 400
    assert post({"selection": [ids["yes"], ids["no"]]}).status_code == 422
    ok = post({"selection": {"options": [ids["yes"]]}, "idempotency_key": "a1"})
    assert ok.status_code == 201
    assert ok.json()["ok"] is True
    assert Participation.objects.filter(ballot=ballot).count() == 1


def test_refusals_for_outsiders_and_closed_ballots(client, open_ballot):
    ballot, people, staff = open_ballot
    ids = option_ids(ballot)
    assert _vote(client, ballot, ids["yes"]).status_code == 302  # to the login page
    outsider = StaffAssignmentFactory().user  # staff elsewhere, no person record
    client.force_login(outsider)
    assert _vote(client, ballot, ids["yes"]).status_code == 403
    assert client.get(f"/ballots/{ballot.pk}/manage/").status_code == 403
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    client.force_login(people[2].user)
    closed = _vote(client, ballot, ids["yes"])
    assert closed.status_code == 409
    assert "not open" in closed.content.decode()
    assert client.get("/ballots/999999/").status_code == 404


def test_staff_enter_paper_and_proxy_votes_then_publish(client, open_ballot):
    ballot, people, staff = open_ballot
    client.force_login(staff)
    ids = option_ids(ballot)
    entries = {e.voter_id: e.pk for e in ballot.roll.all()}
    manage = client.get(f"/ballots/{ballot.pk}/manage/")
    assert manage.status_code == 200
    paper = client.post(
        f"/ballots/{ballot.pk}/paper/",
        {
            "entry": entries[people[0].pk],
            "option": ids["yes"],
            "sheet_number": "P-0001",
            "witness": "张监票",
        },
    )
    assert paper.status_code == 302
    no_witness = client.post(
        f"/ballots/{ballot.pk}/paper/",
        {"entry": entries[people[1].pk], "option": ids["yes"], "sheet_number": "P-2"},
    )
    assert no_witness.status_code == 422
    proxy = client.post(
        f"/ballots/{ballot.pk}/proxies/",
        {
            "principal": entries[people[1].pk],
            "holder": people[2].pk,
            "authorisation": SimpleUploadedFile(
                "委托书.pdf", b"%PDF-1.4", content_type="application/pdf"
            ),
        },
    )
    assert proxy.status_code == 302
    assert Proxy.objects.filter(ballot=ballot).count() == 1
    client.force_login(people[2].user)
    voted = client.post(
        f"/ballots/{ballot.pk}/proxy-vote/",
        {"principal": entries[people[1].pk], "option": ids["no"]},
    )
    assert voted.status_code == 201
    refused = client.post(
        f"/ballots/{ballot.pk}/proxy-vote/",
        {"principal": entries[people[3].pk], "option": ids["no"]},
    )
    assert refused.status_code == 403
    client.force_login(staff)
    for action in ("close", "publish"):
        response = client.post(f"/ballots/{ballot.pk}/state/", {"action": action})
        assert response.status_code == 302
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.PUBLISHED
    public = client.get(f"/ballots/{ballot.pk}/")
    assert "计票结果" in public.content.decode()
    again = client.post(f"/ballots/{ballot.pk}/state/", {"action": "publish"})
    assert again.status_code == 409
    assert (
        client.post(f"/ballots/{ballot.pk}/state/", {"action": "x"}).status_code == 400
    )


def test_hidden_tally_is_not_shown_while_open(client, open_ballot):
    ballot, people, _ = open_ballot
    client.force_login(people[0].user)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert "计票结果" not in page
    assert "截止后公布" in page


def test_decision_calculator(client, open_ballot):
    _, _, staff = open_ballot
    client.force_login(staff)
    assert client.get("/decide/").status_code == 200
    response = client.post(
        "/decide/",
        {
            "rule": "civil-code-278-major",
            "total_area": "10000.00",
            "total_owners": "90",
            "participating_area": "6666.67",
            "participating_owners": "60",
            "yes_area": "5000.01",
            "yes_owners": "45",
        },
    )
    assert response.status_code == 200
    assert "<strong>通过</strong>" in response.content.decode()
    one_short = client.post(
        "/decide/",
        {
            "rule": "civil-code-278-major",
            "total_area": "10000.00",
            "total_owners": "90",
            "participating_area": "6666.67",
            "participating_owners": "60",
            "yes_area": "5000.01",
            "yes_owners": "44",
        },
    )
    assert "<strong>未通过</strong>" in one_short.content.decode()
    bad = client.post(
        "/decide/", {"rule": "civil-code-278-major", "total_area": "1.234"}
    )
    assert bad.status_code == 422


def test_staff_create_a_ballot_and_bad_forms_are_422(client, open_ballot):
    ballot, people, staff = open_ballot
    community = ballot.community
    url = f"/ballots/new/{community.slug}/"
    client.force_login(staff)
    form = client.get(url)
    assert form.status_code == 200
    good = {
        "title": "小区停车位划线方案",
        "kind": "single",
        "options": "方案一\n方案二\n方案三",
        "basis": "owners",
        "scope": f"compound:{ballot.compound_id}",
        "rule_id": "",
        "secrecy": "secret",
        "results_visibility": "after_close",
        "min_choices": "1",
        "max_choices": "1",
        "seats": "1",
    }
    created = client.post(url, good)
    assert created.status_code == 302
    new = Ballot.objects.get(title="小区停车位划线方案")
    assert [o.label for o in new.options.all()] == ["方案一", "方案二", "方案三"]
    assert (new.status, new.secrecy) == ("draft", "secret")
    bad = client.post(url, {**good, "options": "只有一个", "min_choices": "3"})
    assert bad.status_code == 422
    assert "至少需要两个选项" in bad.content.decode()
    assert Ballot.objects.filter(title="小区停车位划线方案").count() == 1
    client.force_login(people[0].user)
    assert client.get(url).status_code == 403
    listing = client.get("/ballots/")
    assert listing.status_code == 200
    assert ballot.title in listing.content.decode()


def test_official_result_form(client, open_ballot):
    ballot, _people, staff = open_ballot
    Ballot.objects.filter(pk=ballot.pk).update(consultative=True)
    client.force_login(staff)
    client.post(f"/ballots/{ballot.pk}/state/", {"action": "close"})
    ids = option_ids(ballot)
    data = {
        "roll_heads": "4",
        "roll_area": "360.06",
        f"heads_{ids['yes']}": "3",
        f"area_{ids['yes']}": "270.03",
        "source_document": SimpleUploadedFile("结果.pdf", b"%PDF-1.4"),
    }
    bad = client.post(f"/ballots/{ballot.pk}/official/", {**data, "roll_area": "1.234"})
    assert bad.status_code == 422
    # A fresh file: the first post read the one above to its end.
    data["source_document"] = SimpleUploadedFile("结果.pdf", b"%PDF-1.4")
    response = client.post(f"/ballots/{ballot.pk}/official/", data)
    assert response.status_code == 302
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.PUBLISHED
    assert ballot.published_tally.official
