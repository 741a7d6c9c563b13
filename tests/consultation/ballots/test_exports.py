"""Tally sheets (PDF, XLSX) and who-voted lists: content, privacy, permissions."""

import csv
import io
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultation.ballots import exports, services
from consultation.ballots.models import Ballot, PublishedTally
from neighbourhoods.models import Person
from tests.consultation.factories import option_ids, owners_ballot, owners_compound
from tests.neighbourhoods.factories import UserFactory

pytestmark = pytest.mark.django_db

BANNER = "本结果为征询性质，不作为正式表决"


def _vote_all(ballot, people, staff, choices):
    """people[0..] vote `choices`: online, except the 4th on paper, the 5th by proxy."""
    ids = option_ids(ballot)
    for index, (person, choice) in enumerate(zip(people, choices, strict=False)):
        if index == 3:
            entry = ballot.roll.get(voter=person)
            services.paper_vote_enter(
                ballot_id=ballot.pk,
                entry_id=entry.pk,
                selection=[ids[choice]],
                sheet_number=f"P-{index}",
                witness="王监票",
                actor=staff,
            )
        elif index == 4:
            holder = people[0]
            services.proxy_register(
                ballot_id=ballot.pk,
                principal_entry_id=ballot.roll.get(voter=person).pk,
                holder=holder,
                authorisation=SimpleUploadedFile("proxy.pdf", b"%PDF-1.4 scan"),
                actor=staff,
            )
            services.proxy_vote_cast(
                ballot_id=ballot.pk,
                holder=holder,
                principal_entry_id=ballot.roll.get(voter=person).pk,
                selection=[ids[choice]],
            )
        else:
            services.vote_cast(
                ballot_id=ballot.pk, voter=person, selection=[ids[choice]]
            )


@pytest.fixture
def register():
    compound, community, people, staff = owners_compound(5)
    Person.objects.filter(pk=people[0].pk).update(phone="13912345678")
    return compound, community, people, staff


def _ballot(register, *, publish=True, vote=True, **kwargs):
    compound, community, people, staff = register
    ballot = owners_ballot(compound, community, staff, **kwargs)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ballot.refresh_from_db()
    if vote:
        _vote_all(ballot, people, staff, ["yes", "yes", "yes", "no", "abstain"])
    if publish:
        services.ballot_close(ballot_id=ballot.pk, actor=staff)
        services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    return Ballot.objects.get(pk=ballot.pk)


@pytest.fixture
def published(register):
    return _ballot(register, consultative=True)


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _pdf_fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout


def _squeezed(text: str) -> str:
    """pdftotext drops the spaces between CJK characters; compare without any."""
    return "".join(text.split())


def _rows(xlsx: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    return list(workbook.active.iter_rows())


def _row(rows, label):
    for row in rows:
        if row[0].value == label:
            return row
    raise AssertionError(f"no row {label!r}")


# --- PDF ------------------------------------------------------------------------------


def test_pdf_of_a_published_consultative_ballot(client, published, tmp_path):
    response = client.get(f"/ballots/{published.pk}/tally.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 1
    assert "计票表" in text
    assert "关于加装电梯的业主表决" in text
    assert published.community.name in text
    for page in pages:  # the banner is in every page's header, and the page number
        assert BANNER in page
    assert f"第1页共{len(pages)}页" in _squeezed(text)
    # The decision in plain Chinese: cut percentages beside the exact amounts, the
    # threshold as the law words it, the law and the outcome; no bare fraction.
    assert "60.00%" in text  # yes owners / participating owners: 3/5
    assert "59.99%" in text  # yes area / participating area: 27003/45010, cut
    assert "270.03㎡÷450.10㎡" in _squeezed(text)
    assert "须过半数" in text
    assert "27003/45010" not in text
    assert "3/5" not in text
    assert "《民法典》第二百七十八条第二款" in text
    assert "通过" in text
    assert "450.10" in text  # roll area in ㎡ with two decimals
    for channel in ("网上投票", "纸质选票", "入户书面征求意见", "委托投票"):
        assert channel in text
    stored = PublishedTally.objects.get(ballot=published)
    assert stored.sha256 in _squeezed(text)
    for signer in ("计票人", "监票人", "记录人"):
        assert signer in text
    fonts = _pdf_fonts(pdf, tmp_path)
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-SC" in line]
    assert cjk, fonts
    # Columns: name type encoding emb sub uni: every CJK face embedded (as a subset).
    assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in cjk), fonts
    # The digest's monospace face comes only from our static stylesheet: it loaded.
    assert "DejaVu-Sans-Mono" in fonts


def test_pdf_without_banner_and_spread_over_pages(client, register, tmp_path):
    compound, community, people, staff = register
    labels = [f"候选方案第{i}号（含较长的说明文字以占满一行）" for i in range(70)]
    ballot = owners_ballot(
        compound, community, staff, kind="single", options=labels, rule_id=""
    )
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    services.vote_cast(
        ballot_id=ballot.pk,
        voter=people[0],
        selection=[option_ids(ballot)[labels[5]]],
    )
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    client.force_login(staff)
    pdf = client.get(f"/ballots/{ballot.pk}/tally.pdf").content
    text = _pdf_text(pdf, tmp_path)
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 2
    assert BANNER not in text
    assert "尚未公布" in text  # a closed ballot's sheet is marked as not the record
    assert f"第2页共{len(pages)}页" in _squeezed(text)
    assert "得票最多" in text


def test_pdf_uses_the_frozen_result_not_a_recount(client, published, tmp_path):
    stored = PublishedTally.objects.get(ballot=published)
    result = stored.result
    result["title"] = "冻结的标题"
    PublishedTally.objects.filter(pk=stored.pk).update(result=result)
    Ballot.objects.filter(pk=published.pk).update(title="改过的标题")
    text = _pdf_text(client.get(f"/ballots/{published.pk}/tally.pdf").content, tmp_path)
    assert "冻结的标题" in text
    assert "改过的标题" not in text


def test_pdf_fetcher_refuses_everything_but_data_and_our_static():
    fetcher = exports.pdf._fetcher()
    for url in (
        "http://example.com/logo.png",
        "https://yishi.invalid/media/secret.pdf",
        "http://yishi.invalid/static/../settings.py",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError, match=r"refused|disallowed"):
            fetcher.fetch(url)
    css = fetcher.fetch(
        "http://yishi.invalid/static/consultation/tally_sheet_print.css"
    )
    assert b"Noto Sans CJK SC" in css.read()
    data = fetcher.fetch("data:text/plain;charset=utf-8,%E8%AE%AE")
    assert data.read().decode() == "议"


def test_pdf_html_escapes_titles_and_embeds_the_qr_inline(published):
    Ballot.objects.filter(pk=published.pk).update(title="x")
    sheet = exports.tally_sheet(published)
    sheet["title"] = '<img src="http://evil.example/x.png">'
    html = exports.tally_sheet_html(sheet, ballot_url="http://testserver/ballots/1/")
    assert "evil.example" not in html.replace("&lt;img src=&quot;http://evil", "")
    assert 'lang="zh-Hans"' in html
    assert 'src="data:image/svg+xml' in html
    assert "http://testserver/ballots/1/" in html


# --- XLSX -----------------------------------------------------------------------------


def test_xlsx_tally_sheet_has_numbers_and_fractions(client, published):
    response = client.get(f"/ballots/{published.pk}/tally.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response.content)
    assert _row(rows, "计票表")[1].value == "关于加装电梯的业主表决"
    assert _row(rows, "征询性质")[1].value == BANNER
    area = _row(rows, "名册专有部分面积(㎡)")[1]
    assert area.data_type == "n"
    assert area.number_format == "0.00"
    assert Decimal(str(area.value)) == Decimal("450.10")
    assert _row(rows, "名册人数")[1].value == 5
    assert _row(rows, "参加人数占比")[1].value == "100.00%"
    yes = _row(rows, "同意")
    assert yes[1].value == 3
    assert Decimal(str(yes[2].value)).quantize(Decimal("0.01")) == Decimal("270.03")
    assert yes[2].number_format == "0.00"
    assert _row(rows, "反对")[1].value == 1
    channels = {
        row[0].value: row[1].value
        for row in rows
        if row[0].value in ("网上投票", "纸质选票", "入户书面征求意见", "委托投票")
    }
    assert channels == {
        "网上投票": 3,
        "纸质选票": 1,
        "入户书面征求意见": 0,
        "委托投票": 1,
    }
    shares = [row[4] for row in rows if len(row) > 6 and row[6].value in ("满足",)]
    assert {cell.value for cell in shares} >= {"100.00%", "60.00%", "59.99%"}
    assert all(cell.data_type == "s" for cell in shares)
    assert _row(rows, "表决结果")[1].value == "通过"
    stored = PublishedTally.objects.get(ballot=published)
    assert _row(rows, "公布结果 SHA-256")[1].value == stored.sha256
    assert _row(rows, "法律依据")[1].value == "《民法典》第二百七十八条第二款"
    assert [_row(rows, r)[0].value for r in ("计票人", "监票人", "记录人")]


def test_xlsx_uses_the_frozen_result(client, published):
    stored = PublishedTally.objects.get(ballot=published)
    result = stored.result
    result["options"][0]["heads"] = 4242
    PublishedTally.objects.filter(pk=stored.pk).update(result=result)
    rows = _rows(client.get(f"/ballots/{published.pk}/tally.xlsx").content)
    assert _row(rows, "同意")[1].value == 4242


def test_xlsx_of_a_closed_ballot_is_marked_unpublished(client, register):
    ballot = _ballot(register, publish=False)
    services.ballot_close(ballot_id=ballot.pk, actor=register[3])
    client.force_login(register[3])
    rows = _rows(client.get(f"/ballots/{ballot.pk}/tally.xlsx").content)
    assert _row(rows, "公布状态")[1].value.startswith("尚未公布")
    assert not any(row[0].value == "征询性质" for row in rows)


# --- who voted ------------------------------------------------------------------------


def test_named_voters_list_has_every_member_and_choices(client, register):
    _compound, _community, people, staff = register
    Person.objects.filter(pk=people[2].pk).update(full_name="=HYPERLINK(1)")
    ballot = _ballot(register, publish=False, vote=False)
    _vote_all(ballot, people, staff, ["yes", "no", "yes"])  # 2 members do not vote
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    client.force_login(staff)
    response = client.get(f"/ballots/{ballot.pk}/voters.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["姓名", "名册编号", "投票方式", "选择"]
    assert len(rows) == 1 + 5
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[people[0].full_name][2:] == ["网上投票", "同意"]
    assert by_name[people[1].full_name][2:] == ["网上投票", "反对"]
    assert by_name["'=HYPERLINK(1)"][3] == "同意"  # never a formula
    assert by_name[people[4].full_name][2:] == ["未投票", ""]
    assert "13912345678" not in body
    assert "5678" not in body

    xlsx = client.get(f"/ballots/{ballot.pk}/voters.xlsx")
    rows = _rows(xlsx.content)
    assert [c.value for c in rows[0]] == ["姓名", "名册编号", "投票方式", "选择"]
    formula_like = [row for row in rows if row[0].value == "=HYPERLINK(1)"]
    assert formula_like
    assert formula_like[0][0].data_type == "s"


def test_secret_voters_list_never_has_a_choice(client, register):
    ballot = _ballot(register, publish=False, secrecy="secret")
    services.ballot_close(ballot_id=ballot.pk, actor=register[3])
    client.force_login(register[3])
    body = client.get(f"/ballots/{ballot.pk}/voters.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["姓名", "名册编号", "投票方式"]
    assert len(rows) == 1 + 5
    for word in ("同意", "反对", "弃权", "选择"):
        assert word not in body
    channels = sorted(row[2] for row in rows[1:])
    assert channels == sorted(["网上投票"] * 3 + ["纸质选票", "委托投票"])
    rows = _rows(client.get(f"/ballots/{ballot.pk}/voters.xlsx").content)
    assert [c.value for c in rows[0]] == ["姓名", "名册编号", "投票方式"]
    assert all(len([c for c in row if c.value is not None]) == 3 for row in rows)


def test_voters_list_of_a_hidden_tally_shows_no_choices_even_to_staff(client, register):
    ballot = _ballot(register, publish=False, vote=False)
    _compound, _community, people, staff = register
    _vote_all(ballot, people, staff, ["yes", "no"])
    client.force_login(staff)
    body = client.get(f"/ballots/{ballot.pk}/voters.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["姓名", "名册编号", "投票方式"]
    assert len(rows) == 1 + 2  # only who took part
    assert "同意" not in body
    assert "反对" not in body


# --- permissions ----------------------------------------------------------------------


@pytest.fixture
def matrix(register):
    """One ballot per state, and who asks: nobody, a resident on the roll, staff."""
    compound, community, people, staff = register
    hidden = _ballot(register, publish=False, vote=False)
    closed = _ballot(register, publish=False, vote=False)
    services.ballot_close(ballot_id=closed.pk, actor=staff)
    published = _ballot(register, vote=False)
    draft = owners_ballot(compound, community, staff)
    ballots = {
        "hidden": hidden,
        "closed": closed,
        "published": published,
        "draft": draft,
    }
    users = {"anonymous": None, "resident": people[1].user, "staff": staff}
    return ballots, users


TALLY_SHEET = {
    ("anonymous", "hidden"): 403,
    ("resident", "hidden"): 403,
    ("staff", "hidden"): 403,
    ("anonymous", "closed"): 403,
    ("resident", "closed"): 200,
    ("staff", "closed"): 200,
    ("anonymous", "published"): 200,
    ("resident", "published"): 200,
    ("staff", "published"): 200,
    ("staff", "draft"): 403,
    ("resident", "draft"): 403,
}

VOTERS = {
    ("anonymous", "hidden"): 302,
    ("resident", "hidden"): 403,
    ("staff", "hidden"): 200,
    ("anonymous", "closed"): 302,
    ("resident", "closed"): 403,
    ("staff", "closed"): 200,
    ("anonymous", "published"): 302,
    ("resident", "published"): 403,
    ("staff", "published"): 200,
}


def test_permission_matrix(client, matrix):
    ballots, users = matrix
    outsider = UserFactory()  # logged in, neither staff nor on any roll
    seen = {}
    for (who, state), _status in {**TALLY_SHEET, **VOTERS}.items():
        client.logout()
        if users[who]:
            client.force_login(users[who])
        ballot = ballots[state]
        if (who, state) in TALLY_SHEET:
            seen[("xlsx", who, state)] = client.get(
                f"/ballots/{ballot.pk}/tally.xlsx"
            ).status_code
        if (who, state) in VOTERS:
            for fmt in ("csv", "xlsx"):
                seen[(fmt + "-voters", who, state)] = client.get(
                    f"/ballots/{ballot.pk}/voters.{fmt}"
                ).status_code
    expected = {("xlsx", *key): status for key, status in TALLY_SHEET.items()}
    for key, status in VOTERS.items():
        expected[("csv-voters", *key)] = status
        expected[("xlsx-voters", *key)] = status
    assert seen == expected
    client.force_login(outsider)
    assert client.get(f"/ballots/{ballots['closed'].pk}/tally.xlsx").status_code == 403
    assert client.get(f"/ballots/{ballots['closed'].pk}/voters.csv").status_code == 403


def test_pdf_follows_the_same_permission(client, matrix):
    ballots, users = matrix
    client.force_login(users["staff"])
    assert client.get(f"/ballots/{ballots['hidden'].pk}/tally.pdf").status_code == 403
    client.logout()
    assert client.get(f"/ballots/{ballots['closed'].pk}/tally.pdf").status_code == 403


@pytest.mark.parametrize(
    "suffix", ["tally.pdf", "tally.xlsx", "voters.csv", "voters.xlsx"]
)
def test_bad_ids_and_wrong_methods(client, published, suffix):
    client.force_login(Ballot.objects.get(pk=published.pk).created_by)
    assert client.get(f"/ballots/999999/{suffix}").status_code == 404
    assert client.post(f"/ballots/{published.pk}/{suffix}").status_code == 405
    assert client.put(f"/ballots/{published.pk}/{suffix}").status_code == 405
    assert client.head(f"/ballots/{published.pk}/{suffix}").status_code == 200


def test_live_tally_sheet_while_open(client, register):
    ballot = _ballot(register, publish=False, results_visibility="live")
    assert client.get(f"/ballots/{ballot.pk}/tally.xlsx").status_code == 403
    client.force_login(register[2][1].user)
    rows = _rows(client.get(f"/ballots/{ballot.pk}/tally.xlsx").content)
    assert _row(rows, "同意")[1].value == 3
    assert _row(rows, "状态")[1].value == "投票中"


@pytest.mark.parametrize(
    "decision",
    [
        {"rule": "withdrawn-rule", "law": "《某条例》第一条", "passed": False},
        {"error": "规则错误。 Rule error."},
    ],
)
def test_a_frozen_record_with_an_unknown_rule_still_prints(client, published, decision):
    stored = PublishedTally.objects.get(ballot=published)
    result = stored.result
    result["decision"] = {**result["decision"], **decision}
    if "error" in decision:
        result["decision"] = decision
    PublishedTally.objects.filter(pk=stored.pk).update(result=result)
    response = client.get(f"/ballots/{published.pk}/tally.xlsx")
    assert response.status_code == 200
    rows = _rows(response.content)
    if "error" in decision:
        assert _row(rows, "表决规则")[1].value == decision["error"]
    else:
        assert _row(rows, "法律依据")[1].value == "《某条例》第一条"
        assert _row(rows, "表决结果")[1].value.endswith("未通过")
