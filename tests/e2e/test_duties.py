"""Community duties in the browser (issue 14, acceptance): a department officer
applies for a task; the leadership group's office approves it with the signed
agreement; the community sees it in its list with the agreement; a second task
that came without admission is refused by the community with the printed notice; a
resident asks for a certificate not on the list and gets the notice naming the
department; the burden board changes."""

import datetime as dt
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from neighbourhoods.duties import services
from neighbourhoods.models import AdmissionRequest
from tests.neighbourhoods.duties.conftest import PDF, publish_lists
from tests.neighbourhoods.duties.conftest import world as world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Yishi-2026"  # tests.neighbourhoods.factories.UserFactory


def _signed_in(new_context, user):
    page = new_context().new_page()
    page.goto("/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    return page


def _board_total(page, slug: str, series: str) -> int:
    page.goto(f"/duties/{slug}/burden/")
    row = page.locator("section", has_text=series).first.locator("tr", has_text=series)
    cells = row.first.locator("td")
    return sum(int(cells.nth(i).inner_text()) for i in range(cells.count()))


def _apply(officer, world, title: str) -> int:
    officer.goto("/duties/department/")
    officer.get_by_label("事项", exact=True).fill(title)
    officer.get_by_label("理由").fill("开展辖区燃气安全入户宣传。")
    officer.get_by_label("依据（法律、法规或文件文号）").fill("《城镇燃气管理条例》")
    officer.get_by_label(world.communities[0].name).check()
    start = timezone.localdate() + dt.timedelta(days=10)
    officer.get_by_label("开始日期").fill(start.isoformat())
    officer.get_by_label("随转经费（元）").fill("18000")
    officer.get_by_label("协议草案").fill("甲方拨付经费一万八千元，乙方协助入户宣传。")
    officer.get_by_role("button", name="提交申请").click()
    expect(officer.get_by_text("已申请")).to_be_visible()
    return int(re.search(r"/admissions/(\d+)/", officer.url).group(1))


def test_duties_walk(world, site_home, new_context, tmp_path):
    publish_lists(world)
    slug, community = world.district.slug, world.communities[0]
    public = new_context().new_page()
    refused_before = _board_total(public, slug, "不予准入/不予承接")
    admitted_before = _board_total(public, slug, "准入事项")

    officer = _signed_in(new_context, world.officer)
    request_id = _apply(officer, world, "燃气安全入户宣传")
    services.admission_subdistrict_view(
        request_id=request_id, actor=world.subdistrict_user, view="同意"
    )

    office = _signed_in(new_context, world.office_user)
    office.goto(f"/duties/admissions/{request_id}/")
    office.get_by_role("button", name="结束征求社区意见").click()
    agreement = tmp_path / "agreement.pdf"
    agreement.write_bytes(PDF)
    office.get_by_label("签署的协议（PDF）").set_input_files(str(agreement))
    office.get_by_role("button", name="准入", exact=True).click()
    number = AdmissionRequest.objects.get(pk=request_id).number
    expect(office.locator(".number")).to_have_text(number)

    staff = _signed_in(new_context, world.community_user)
    staff.goto(f"/duties/community/{community.slug}/")
    staff.get_by_role("link", name=number).click()
    expect(staff.locator(".agreement")).to_contain_text("一万八千元")
    expect(staff.get_by_role("link", name="下载签署的协议")).to_be_visible()

    staff.goto(f"/duties/community/{community.slug}/desk/")
    staff.get_by_label("交办部门").select_option(label=world.department.name)
    staff.get_by_label("事项", exact=True).fill("创卫迎检入户问卷")
    staff.get_by_label("收到日期").fill(timezone.localdate().isoformat())
    staff.get_by_role("button", name="不予承接并生成告知书").click()
    notice = staff.get_by_role("link", name="打印告知书").first
    pdf = staff.request.get(notice.get_attribute("href"))
    text = _pdf_text(pdf.body(), tmp_path)
    assert "不予承接工作事项告知书" in text
    assert "创卫迎检入户问卷" in text

    resident = _signed_in(new_context, world.resident)
    resident.goto(f"/duties/community/{community.slug}/certificates/")
    resident.get_by_label("您需要的证明").fill("无犯罪记录证明")
    resident.get_by_role("button", name="查询").click()
    expect(resident.locator(".department")).to_contain_text("公安机关")
    printed = resident.request.get(
        resident.get_by_role("link", name="打印告知书（PDF）").get_attribute("href")
    )
    assert "公安机关" in _pdf_text(printed.body(), tmp_path)

    assert _board_total(public, slug, "准入事项") == admitted_before + 1
    assert _board_total(public, slug, "不予准入/不予承接") == refused_before + 1


def _pdf_text(data: bytes, folder) -> str:
    path = folder / "notice.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace(" ", "")
