"""A matter walked through 四议两公开 in the browser (issue 10, acceptance): staff
record every meeting step through the pages, disclose the resolution and the result
through the disclosure board (the supervisory committee approves each entry), the
result notice's A4 PDF carries the right text, and a resident's objection gets a
reply from staff."""

import datetime as dt
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultation.ballots.services import voting_settings_update
from consultation.disclosures.models import DisclosureEntry
from tests.consultation.records.conftest import build_place, linked_user, open_matter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "matter-walk-2026"
TITLE = "社区健身广场改造"
MEETINGS = (
    "记录社区党组织委员会会议",
    "记录“两委”联席会议",
    "记录党员大会",
    "记录居民代表会议",
)


def _login_user(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def walk(site_home):
    place = build_place()
    voting_settings_update(community=place.community, actor=None, siyi_enabled=True)
    matter = open_matter(place, title=TITLE)
    users = {
        "staff": _login_user(place.staff),
        "supervisor": _login_user(linked_user(place.supervisor)),
        "resident": _login_user(linked_user(place.residents[0])),
    }
    return place, matter, users


def _signed_in(new_context, user):
    page = new_context().new_page()
    page.goto("/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    return page


def _hold_meeting(staff, matter, link: str) -> None:
    staff.goto(f"/matters/{matter.pk}/")
    staff.get_by_role("link", name=link, exact=True).click()
    held = timezone.localtime() - dt.timedelta(days=1)
    staff.get_by_label("会议时间").fill(held.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_label("地点").fill("社区会议室")
    staff.get_by_label("审议内容").fill("审议健身广场改造方案。")
    staff.get_by_label("表决方式").select_option("show_of_hands")
    boxes = staff.locator("input[name=present]")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    staff.locator("input[name=yes]").fill(str(boxes.count()))
    staff.get_by_role("button", name="保存会议记录").click()
    expect(staff).to_have_url(re.compile(rf"/matters/{matter.pk}/$"))


def _disclose(staff, supervisor, matter, step_label: str) -> DisclosureEntry:
    staff.goto(f"/matters/{matter.pk}/")
    staff.get_by_role("button", name=f"起草并提交审核：{step_label}").click()
    expect(staff.get_by_text("监督委员会审核中")).to_be_visible()
    entry = DisclosureEntry.objects.order_by("-pk").first()
    supervisor.goto(f"/disclosures/entry/{entry.pk}/")
    supervisor.get_by_role("button", name="审核通过").click()
    expect(supervisor.get_by_text("审核通过，待公开")).to_be_visible()
    staff.goto(f"/disclosures/entry/{entry.pk}/")
    staff.get_by_role("button", name="公开（写入公开链）").click()
    expect(staff.get_by_text("公示中")).to_be_visible()
    return entry


def _notice_text(page, entry, tmp_path) -> str:
    response = page.request.get(f"/disclosures/entry/{entry.pk}/notice.pdf")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    path = tmp_path / "notice.pdf"
    path.write_bytes(response.body())
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_matter_walks_to_its_result_disclosure(new_context, walk, tmp_path):
    _place, matter, users = walk
    staff = _signed_in(new_context, users["staff"])
    supervisor = _signed_in(new_context, users["supervisor"])
    for link in MEETINGS:
        _hold_meeting(staff, matter, link)
    matter.refresh_from_db()
    assert matter.awaiting_step == "resolution_disclosed"

    _disclose(staff, supervisor, matter, "决议公开")
    staff.goto(f"/matters/{matter.pk}/")
    staff.get_by_label("组织实施").fill("已按决议施工，监督委员会全程监督。")
    staff.get_by_role("button", name="记录", exact=True).click()
    result = _disclose(staff, supervisor, matter, "实施结果公开")
    matter.refresh_from_db()
    assert matter.status == "completed"

    staff.goto(f"/matters/{matter.pk}/")
    disclosures = staff.locator("ul.matter-disclosures")
    expect(disclosures.locator("li").filter(has_text="实施结果公开")).to_have_count(1)
    expect(disclosures).to_contain_text("公示期")

    text = _notice_text(staff, result, tmp_path)
    assert f"实施结果公开：{TITLE}" in text
    assert "公示期" in text
    assert "盖章" in text
    assert "组织实施" in text

    resident = _signed_in(new_context, users["resident"])
    resident.goto(f"/disclosures/entry/{result.pk}/")
    resident.get_by_label("提出异议").fill("请公开材料费用明细。")
    resident.get_by_role("button", name="提交异议").click()
    expect(resident.get_by_text("异议已提交")).to_be_visible()

    staff.goto(f"/disclosures/entry/{result.pk}/")
    staff.get_by_label("答复", exact=True).fill("费用明细已附在公示单后，欢迎查阅。")
    staff.get_by_role("button", name="提交答复").click()
    resident.goto(f"/disclosures/entry/{result.pk}/")
    expect(resident.get_by_text("费用明细已附在公示单后")).to_be_visible()
    staff.goto(f"/matters/{matter.pk}/")
    expect(staff.locator("ul.matter-disclosures")).to_contain_text("已答复")
