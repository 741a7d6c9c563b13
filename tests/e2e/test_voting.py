"""A ballot in the browser: an owner votes and keeps a receipt; staff enter a paper
ballot and a proxy holder's ballot, close, publish, and the tally sheet prints."""

import pytest
from playwright.sync_api import expect

from consultation.ballots import services
from consultation.ballots.models import Ballot, Participation
from tests.consultation.factories import owners_ballot, owners_compound
from tests.e2e.test_presence import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCRUTINEER = "张监票"


@pytest.fixture
def secret_ballot(site_home):
    """An open secret owners' ballot of three owners: (ballot, people, staff)."""
    compound, community, people, staff = owners_compound(3)
    ballot = owners_ballot(
        compound,
        community,
        staff,
        title="关于加装电梯的业主表决",
        secrecy=Ballot.Secrecy.SECRET,
    )
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    return ballot, people, staff


def _logged_in_page(new_context, username: str):
    page = new_context().new_page()
    log_in(page, username)
    return page


def _vote_online_and_check_receipt(owner, ballot) -> None:
    """The owner votes 同意 online, then checks the receipt code on the ballot."""
    owner.goto(f"/ballots/{ballot.pk}/")
    owner.get_by_label("同意").check()
    owner.get_by_role("button", name="提交投票").click()
    expect(owner.get_by_role("heading", name="投票已记录")).to_be_visible()
    receipt = owner.locator("#receipt-code").inner_text().strip()
    assert len(receipt) == 14
    owner.goto(f"/ballots/{ballot.pk}/receipt/")
    owner.get_by_label("回执码").fill(receipt)
    owner.get_by_role("button", name="核对").click()
    expect(owner.get_by_text("该回执码对应的选票已计入")).to_be_visible()


def _enter_secret_paper(
    clerk, voter, entry_id: str, number: str, choice: str, channel: str | None = None
) -> None:
    """A secret ballot's paper: first who handed it in (found by name), then its
    content, apart."""
    clerk.get_by_label("查找表决人").fill(voter.full_name)
    clerk.get_by_role("button", name="查找", exact=True).click()
    paper = clerk.locator("form[action$='/paper/']")
    paper.locator(f"input[name=entry][value='{entry_id}']").check()
    if channel is not None:
        paper.get_by_label("渠道").select_option(channel)
    paper.get_by_label("选票编号").fill(number)
    paper.get_by_label("监票人").fill(SCRUTINEER)
    paper.get_by_role("button", name="登记已投票").click()
    expect(clerk.get_by_text("纸质选票已录入")).to_be_visible()
    box = clerk.locator("form[action$='/secret-paper/']")
    box.get_by_label(choice).check()
    box.get_by_role("button", name="计入").click()
    expect(clerk.get_by_text("选票内容已计入")).to_be_visible()


def _register_proxy(clerk, principal_entry_id: str, holder_id: int) -> None:
    """A written proxy: the principal's roll entry, the holder's resident number."""
    proxy = clerk.locator("form[action$='/proxies/']")
    proxy.get_by_label("委托人").select_option(principal_entry_id)
    proxy.get_by_label("受托人（居民编号）").fill(str(holder_id))
    proxy.get_by_label("书面委托书扫描件").set_input_files(
        files=[
            {"name": "委托书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}
        ]
    )
    proxy.get_by_role("button", name="登记").click()
    expect(clerk.get_by_text("委托已登记")).to_be_visible()


def _close_publish_and_print(clerk, ballot) -> None:
    """Close, publish: the result shows on both pages and the tally sheet is a PDF."""
    clerk.get_by_role("button", name="截止投票").click()
    clerk.get_by_role("button", name="公布结果").click()
    expect(clerk.get_by_role("heading", name="计票结果")).to_be_visible()
    clerk.goto(f"/ballots/{ballot.pk}/")
    expect(clerk.get_by_role("heading", name="计票结果")).to_be_visible()
    pdf = clerk.request.get(f"/ballots/{ballot.pk}/tally.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_owner_votes_staff_enter_paper_and_proxy_then_publish(
    new_context, base_url, site_home, secret_ballot
):
    ballot, people, staff = secret_ballot
    owner = _logged_in_page(new_context, people[0].user.username)
    _vote_online_and_check_receipt(owner, ballot)

    clerk = _logged_in_page(new_context, staff.username)
    clerk.goto(f"/ballots/{ballot.pk}/manage/")
    entries = {e.voter_id: str(e.pk) for e in ballot.roll.all()}
    _enter_secret_paper(clerk, people[1], entries[people[1].pk], "P-0001", "反对")
    _register_proxy(clerk, entries[people[2].pk], people[0].pk)
    _enter_secret_paper(
        clerk, people[2], entries[people[2].pk], "P-0002", "同意", "proxy"
    )
    assert sorted(
        Participation.objects.filter(ballot=ballot).values_list("channel", flat=True)
    ) == ["online", "paper", "proxy"]

    _close_publish_and_print(clerk, ballot)
    ballot.refresh_from_db()
    result = ballot.published_tally.result
    counts = {o["label"]: o["heads"] for o in result["options"]}
    assert counts == {"同意": 2, "反对": 1, "弃权": 0}
