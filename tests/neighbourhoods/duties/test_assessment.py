"""The assessment: an indicator system without veto, weights summing to 100, and
an exact total from a published satisfaction rating ballot and other inputs."""

import datetime as dt
from fractions import Fraction

import pytest
from django.urls import reverse

from consultation.ballots import services as ballots
from neighbourhoods.duties import services
from neighbourhoods.duties.services import DutyError
from neighbourhoods.rolls.domain.snapshot import RollBasis
from neighbourhoods.rolls.scopes import RollScope, ScopeKind
from tests.neighbourhoods.factories import (
    PersonFactory,
    ResidencyFactory,
    StaffAssignmentFactory,
)

pytestmark = pytest.mark.django_db

SYSTEM = [
    {
        "key": "satisfaction",
        "name": "居民满意度",
        "weight": 60,
        "source": "satisfaction_ballot",
    },
    {
        "key": "requests",
        "name": "诉求办理评价",
        "weight": 20,
        "source": "request_ratings",
    },
    {
        "key": "lists",
        "name": "两项清单完成情况",
        "weight": 20,
        "source": "list_completion",
    },
]


def _rating_ballot(world, scores, basis=RollBasis.RESIDENTS_ADULT):
    community = world.communities[1]
    people = [
        PersonFactory(home_community=community, birth_date=dt.date(1970, 1, 1))
        for _ in scores
    ]
    for person in people:
        ResidencyFactory(person=person, is_representative=True)
    staff = StaffAssignmentFactory(community=community).user
    ballot = ballots.ballot_create(
        community=community,
        title="2026年上半年满意度测评",
        kind="rating",
        options=["社区工作总体满意度"],
        basis=basis,
        scope=RollScope(ScopeKind.COMMUNITY, community.pk),
        actor=staff,
    )
    ballots.ballot_open(ballot_id=ballot.pk, actor=staff)
    option = str(ballot.options.get().pk)
    for person, score in zip(people, scores, strict=True):
        ballots.vote_cast(
            ballot_id=ballot.pk, voter=person, selection={"ratings": {option: score}}
        )
    ballots.ballot_close(ballot_id=ballot.pk, actor=staff)
    ballots.ballot_publish(ballot_id=ballot.pk, actor=staff)
    return community, ballot


def test_veto_and_weights_are_refused(world):
    with pytest.raises(DutyError) as caught:
        services.indicator_system_adopt(
            district=world.district,
            actor=None,
            name="x",
            adopted_on=dt.date.today(),
            indicators=[{**SYSTEM[0], "veto": True}, *SYSTEM[1:]],
        )
    assert "一票否决" in caught.value.message
    with pytest.raises(DutyError) as caught:
        services.indicator_system_adopt(
            district=world.district,
            actor=None,
            name="x",
            adopted_on=dt.date.today(),
            indicators=[{**SYSTEM[0], "weight": 59}, *SYSTEM[1:]],
        )
    assert "100%" in caught.value.message
    with pytest.raises(DutyError) as caught:
        services.indicator_system_adopt(
            district=world.district,
            actor=world.officer,
            name="x",
            adopted_on=dt.date.today(),
            indicators=SYSTEM,
        )
    assert caught.value.status == 403


def test_the_assessment_is_exact_and_published_with_inputs(world, client):
    community, ballot = _rating_ballot(world, [5, 4, 4])
    system = services.indicator_system_adopt(
        district=world.district,
        actor=world.office_user,
        name="东区社区考核指标",
        adopted_on=dt.date(2026, 1, 1),
        indicators=SYSTEM,
    )
    assessment = services.assessment_publish(
        system=system,
        community=community,
        actor=world.office_user,
        period="2026年上半年",
        ballot=ballot,
        other_inputs={
            "requests": {"score": "9/10", "source": "诉求评价：满意 9 件，共 10 件"},
            "lists": {"score": "1", "source": "清单事项均已完成"},
        },
    )
    # mean 13/3 on 1..5 → (13/3 − 1)/4 = 5/6; 60·5/6 + 20·9/10 + 20 = 88
    assert Fraction(assessment.total) == 88
    assert assessment.inputs["satisfaction"]["score"] == "5/6"
    page = client.get(reverse("duties:assessments", args=[world.district.slug]))
    text = page.content.decode()
    assert "88.00" in text
    assert "83.33" in text
    assert "5/6" not in text
    with pytest.raises(DutyError) as caught:
        services.assessment_publish(
            system=system,
            community=community,
            actor=None,
            period="2026年上半年",
            ballot=ballot,
            other_inputs={
                "requests": {"score": "1", "source": "x"},
                "lists": {"score": "1", "source": "x"},
            },
        )
    assert caught.value.status == 409


def test_inputs_out_of_range_are_refused(world):
    community, ballot = _rating_ballot(world, [3])
    system = services.indicator_system_adopt(
        district=world.district,
        actor=None,
        name="x",
        adopted_on=dt.date(2026, 1, 1),
        indicators=SYSTEM,
    )
    for bad in ("3/2", "x", "", "1/0"):
        with pytest.raises(DutyError):
            services.assessment_publish(
                system=system,
                community=community,
                actor=None,
                period="p",
                ballot=ballot,
                other_inputs={
                    "requests": {"score": bad, "source": "x"},
                    "lists": {"score": "1", "source": "x"},
                },
            )


def test_the_office_adopts_and_publishes_through_its_desk(world, client):
    community, ballot = _rating_ballot(world, [5, 3])
    url = reverse("duties:office", args=[world.district.slug])
    client.force_login(world.office_user)
    rows = {
        "form": "system",
        "name": "东区考核",
        "adopted_on": "2026-01-01",
        "name-0": "居民满意度",
        "weight-0": "70",
        "source-0": "satisfaction_ballot",
        "name-1": "清单完成",
        "weight-1": "30",
        "source-1": "list_completion",
    }
    vetoed = client.post(url, {**rows, "veto-1": "1"})
    assert vetoed.status_code == 422
    assert "一票否决" in vetoed.content.decode()
    short = client.post(url, {**rows, "weight-1": "20"})
    assert "100%" in short.content.decode()
    assert client.post(url, rows).status_code == 302
    published = client.post(
        url,
        {
            "form": "assessment",
            "community": community.pk,
            "period": "2026年",
            "ballot": ballot.pk,
            "score-i1": "0.9",
            "source-i1": "清单事项完成九成",
        },
    )
    assert published.status_code == 302
    # mean 4 on 1..5 → 3/4; 70·3/4 + 30·9/10 = 79.5
    page = client.get(reverse("duties:assessments", args=[world.district.slug]))
    assert "79.50" in page.content.decode()


def test_the_residents_ratings_of_answers_come_from_the_liaison(db):
    """Issue 13 item 6 → issue 14 item 7: left empty, the requests' indicator is
    the exact mean of the residents' ratings (1–5) mapped to [0, 1]."""
    from consultation.liaison import services as liaison_services
    from neighbourhoods.duties.services.assessment import _given_score
    from tests.consultation.liaison.factories import liaison_setup, referred

    liaison = liaison_setup()
    indicator = type("Indicator", (), {"source": "request_ratings"})()
    with pytest.raises(DutyError) as caught:
        _given_score(indicator, {}, liaison.community)
    assert caught.value.status == 422
    for score in (5, 2, 4):
        request = referred(liaison, dt.date(2026, 11, 2))
        liaison_services.request_reply(
            request_id=request.pk, actor=liaison.staff, text="已办"
        )
        liaison_services.request_rate(
            request_id=request.pk, actor=liaison.resident, score=score
        )
    score, detail = _given_score(indicator, {"score": ""}, liaison.community)
    assert score == Fraction(2, 3)  # mean 11/3: (11/3 − 1) / 4
    assert "3 件" in detail
    assert "3.66" in detail  # cut, never rounded up
    given, _ = _given_score(indicator, {"score": "9/10", "source": "x"}, None)
    assert given == Fraction(9, 10)  # the office may still enter it


@pytest.mark.parametrize(
    ("typed", "score"),
    [("0.5", Fraction(1, 2)), ("1", Fraction(1)), ("9/10", Fraction(9, 10))],
)
def test_a_score_is_a_plain_decimal_or_fraction(typed, score):
    from neighbourhoods.duties.services.assessment import _score

    assert _score(typed) == score


@pytest.mark.parametrize(
    "typed", ["1e-5000", "1e-999999999", "０.5", "1/0", "-0.5", ""]
)
def test_any_other_score_is_refused(typed):
    from neighbourhoods.duties.services.assessment import _score

    with pytest.raises(DutyError) as refused:
        _score(typed)
    assert refused.value.status == 422
