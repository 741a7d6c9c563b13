"""Touch targets for elderly residents: every radio, checkbox and button is at least
44×44 CSS px, a radio's or checkbox's label beside it and part of the target, at all
three text sizes and at 200 % zoom (a viewport half as wide at twice the density)."""

from pathlib import Path

import pytest

from consultation.ballots import services
from tests.consultation.factories import owners_ballot, owners_compound
from tests.e2e.test_presence import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MIN_PX = 44
SIZES = ("small", "medium", "large")
ZOOMS = {"100%": {"width": 1280, "height": 900}, "200%": {"width": 640, "height": 450}}

MEASURE = (Path(__file__).parent / "measure_targets.js").read_text()


@pytest.fixture
def ballot_pages(site_home):
    compound, community, people, staff = owners_compound(2)
    ballot = owners_ballot(compound, community, staff)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    choice = owners_ballot(
        compound,
        community,
        staff,
        kind="multiple",
        options=["修缮屋顶", "更换门禁", "增设充电桩"],
        max_choices=2,
        rule_id="",
    )
    services.ballot_open(ballot_id=choice.pk, actor=staff)
    resident_pages = [
        "/",
        "/ballots/",
        f"/ballots/{ballot.pk}/",
        f"/ballots/{choice.pk}/",
    ]
    staff_pages = [
        f"/ballots/{ballot.pk}/manage/",
        f"/ballots/new/{community.slug}/",
        "/decide/",
    ]
    return people[0].user.username, staff.username, resident_pages, staff_pages


def _too_small(page, path: str) -> list[str]:
    page.goto(path)
    problems = []
    for control in page.evaluate(MEASURE):
        if control["width"] < MIN_PX or control["height"] < MIN_PX:
            problems.append(
                f"{path} {control['name']!r}: "
                f"{control['width']:.0f}×{control['height']:.0f} px"
            )
        if not control["beside"]:
            problems.append(f"{path} {control['name']!r}: no label beside it")
    return problems


def _problems_of(new_context, base_url, zoom, size, who, paths) -> list[str]:
    context = new_context(viewport=ZOOMS[zoom], device_scale_factor=2)
    context.add_cookies([{"name": "yishi_text_size", "value": size, "url": base_url}])
    page = context.new_page()
    if who is not None:
        log_in(page, who)
    found = [f"[{zoom}, {size}] {p}" for path in paths for p in _too_small(page, path)]
    context.close()
    return found


@pytest.mark.parametrize("zoom", ZOOMS)
def test_every_control_is_a_large_target(new_context, base_url, ballot_pages, zoom):
    resident, staff, resident_pages, staff_pages = ballot_pages
    visitor_pages = ["/", "/login/", "/search/?q=电梯"]
    problems = []
    for who, paths in (
        (None, visitor_pages),
        (resident, resident_pages),
        (staff, staff_pages),
    ):
        for size in SIZES:
            problems += _problems_of(new_context, base_url, zoom, size, who, paths)
    assert not problems, "\n".join(problems)
