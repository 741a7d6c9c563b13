"""The board's pages, the JSON API and its offline verifier, the notice PDF, the
verify command: public reads, staff-only writes, refusals with their status."""

import datetime as dt
import importlib.util
import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from consultation.disclosures import services
from consultation.disclosures.chain_guard import flush_allowed
from consultation.disclosures.models import DisclosureEntry
from tests.consultation.disclosures.factories import (
    at,
    board_setup,
    publish_entry,
    publish_quick,
)

pytestmark = pytest.mark.django_db
VERIFIER = Path(__file__).resolve().parents[3] / "docs" / "verify_chain.py"


def load_verifier():
    spec = importlib.util.spec_from_file_location("verify_chain", VERIFIER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_board_is_public_and_paginated_in_constant_queries(
    client, django_assert_max_num_queries
):
    board = board_setup()
    publish_quick(board.community, 25)
    url = reverse("disclosures:board", args=[board.community.slug])
    with django_assert_max_num_queries(8):
        first = client.get(url)
    assert first.status_code == 200
    assert "公开24" in first.content.decode()
    with django_assert_max_num_queries(8):
        second = client.get(url, {"page": "2"})
    assert "公开0" in second.content.decode()
    assert client.get(url, {"page": "x"}).status_code == 200


def test_entry_page_objection_and_reply(client):
    board = board_setup()
    entry = publish_entry(board)
    url = reverse("disclosures:entry", args=[entry.pk])
    page = client.get(url).content.decode()
    assert "公示中" in page
    assert "登录后可提出异议" in page
    client.force_login(board.resident)
    response = client.post(
        reverse("disclosures:object", args=[entry.pk]), {"text": "支出不清"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "居民甲" in page
    assert board.resident_person.full_name not in page
    refused = client.post(
        reverse("disclosures:reply", args=[entry.objections.get().pk]), {"text": "x"}
    )
    assert refused.status_code == 403
    client.force_login(board.staff)
    staff_page = client.get(url).content.decode()
    assert board.resident_person.full_name in staff_page
    client.post(
        reverse("disclosures:reply", args=[entry.objections.get().pk]),
        {"text": "已张贴明细"},
    )
    assert entry.objections.get().reply == "已张贴明细"


def test_refusals_have_their_status(client):
    board = board_setup()
    entry = publish_entry(board, now=at(dt.date(2026, 1, 5)))
    client.force_login(board.resident)
    late = client.post(reverse("disclosures:object", args=[entry.pk]), {"text": "晚了"})
    assert late.status_code == 409
    assert "公示期已结束" in late.content.decode()
    client.force_login(board.staff)
    bad = client.post(
        reverse("disclosures:action", args=[entry.pk]), {"action": "nope"}
    )
    assert bad.status_code == 400
    again = client.post(
        reverse("disclosures:action", args=[entry.pk]), {"action": "publish"}
    )
    assert again.status_code == 409
    new = reverse("disclosures:draft_new", args=[board.community.slug])
    form = client.post(
        new, {"kind": "finance", "title": "财务", "text": "x", "period": "10月"}
    )
    assert form.status_code == 422
    assert "2026-10" in form.content.decode()
    client.force_login(board.resident)
    assert client.get(new).status_code == 403
    draft = services.disclosure_draft(
        community=board.community, actor=None, kind="major", title="未公开", text="x"
    )
    client.logout()
    assert client.get(reverse("disclosures:entry", args=[draft.pk])).status_code == 404


def test_staff_walk_a_draft_to_publication(client):
    board = board_setup()
    client.force_login(board.staff)
    response = client.post(
        reverse("disclosures:draft_new", args=[board.community.slug]),
        {
            "kind": "finance",
            "title": "2026年10月财务收支",
            "text": "收入 100 元。",
            "period": "2026-10",
        },
    )
    entry = DisclosureEntry.objects.get()
    assert response.status_code == 302
    client.post(reverse("disclosures:action", args=[entry.pk]), {"action": "submit"})
    client.force_login(board.supervisor)
    client.post(reverse("disclosures:action", args=[entry.pk]), {"action": "approve"})
    client.force_login(board.staff)
    client.post(reverse("disclosures:action", args=[entry.pk]), {"action": "publish"})
    entry.refresh_from_db()
    assert entry.state == "published"
    assert entry.seq == 1
    schedule = client.get(reverse("disclosures:schedule", args=[board.community.slug]))
    assert schedule.status_code == 200


def test_json_chain_verifies_offline_and_a_tampered_copy_does_not(client, tmp_path):
    board = board_setup()
    publish_quick(board.community, 5)
    entry = DisclosureEntry.objects.get(community=board.community, seq=3)
    services.disclosure_redact(
        entry_id=entry.pk, actor=board.staff, reason="含住户姓名"
    )
    url = reverse("disclosures:api_chain", args=[board.community.slug])
    first = client.get(url, {"limit": "4"}).json()
    second = client.get(url, {"after": first["next_after"], "limit": "4"}).json()
    assert first["entries"][2]["content"] is None
    assert first["entries"][2]["withheld"] == "redacted"
    assert second["next_after"] is None
    assert second["head"]["seq"] == 6
    verifier = load_verifier()
    entries = first["entries"] + second["entries"]
    assert verifier.check(entries, second["head"]) == (6, None)
    entries[1]["content"]["title"] = "篡改"
    assert verifier.check(entries, second["head"]) == (2, "content changed")
    path = tmp_path / "chain.json"
    fresh = client.get(url, {"limit": "4"}).json()  # an intact first page only
    path.write_text(json.dumps(fresh), encoding="utf-8")
    ran = subprocess.run(
        ["python3", str(VERIFIER), str(path)], capture_output=True, text=True
    )
    assert ran.returncode == 1
    assert "entry 5" in ran.stdout
    one = client.get(reverse("disclosures:api_entry", args=[entry.pk])).json()
    assert one["seq"] == 3
    assert one["content"] is None
    assert client.get(url, {"after": "x"}).status_code == 400


def _tamper_text(community, *, seq):
    """An edit by raw SQL with the database guard off, as an intruder would."""
    table = DisclosureEntry._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET LOCAL session_replication_role = replica")
            c.execute(f"UPDATE {table} SET text = 'x' WHERE seq = %s", [seq])
    else:
        with flush_allowed(connection):
            DisclosureEntry.objects.filter(community=community, seq=seq).update(
                text="x"
            )


def test_verify_page_and_command(client, capsys):
    board = board_setup()
    publish_quick(board.community, 3)
    page = client.get(reverse("disclosures:verify", args=[board.community.slug]))
    assert "公开链完整" in page.content.decode()
    call_command("verify_disclosures", "--community", board.community.code)
    assert "3" in capsys.readouterr().out
    _tamper_text(board.community, seq=2)
    with pytest.raises(SystemExit) as exited:
        call_command("verify_disclosures")
    assert exited.value.code == 1
    assert "第 2 条" in capsys.readouterr().err


def test_notice_pdf_text(client, tmp_path):
    board = board_setup()
    entry = publish_entry(
        board, title="2026年10月财务收支公开", now=at(dt.date(2026, 11, 2))
    )
    response = client.get(reverse("disclosures:notice", args=[entry.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "notice.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "2026年10月财务收支公开" in text
    assert "公示期：2026年11月2日 至 2026年11月9日（7 日）" in text
    assert "第1页共1页" in text.replace(" ", "")
    assert "盖章" in text
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True
    ).stdout
    assert "Noto-Sans-CJK-SC" in fonts, fonts


def test_manage_page_shows_escalations_to_the_committee_not_to_residents(client):
    board = board_setup()
    entry = publish_entry(board, now=at(dt.date(2026, 11, 2)))
    services.objection_file(
        entry_id=entry.pk,
        actor=board.resident,
        text="支出不清",
        now=at(dt.date(2026, 11, 2)),
    )
    url = reverse("disclosures:manage", args=[board.community.slug])
    client.force_login(board.supervisor)
    page = client.get(url).content.decode()
    assert "逾期未答复" in page
    assert board.resident_person.full_name in page
    client.force_login(board.resident)
    assert client.get(url).status_code == 403
    public = client.get(reverse("disclosures:entry", args=[entry.pk])).content.decode()
    assert "逾期未答复" in public
    assert board.resident_person.full_name not in public


def test_a_redacted_entry_shows_neither_its_title_nor_its_objections(client, tmp_path):
    """The title itself may hold the personal data withdrawn: board, entry page,
    notice PDF, the community page's hook and the JSON show only the number."""
    from consultation.disclosures.wagtail_hooks import community_disclosures

    board = board_setup()
    entry = publish_entry(board, title="张三家低保申请公示", text="张三，身份证…")
    client.force_login(board.resident)
    client.post(
        reverse("disclosures:object", args=[entry.pk]), {"text": "李四说不属实"}
    )
    services.disclosure_redact(
        entry_id=entry.pk, actor=board.staff, reason="含个人信息"
    )
    client.logout()
    pages = [
        client.get(reverse("disclosures:board", args=[board.community.slug])),
        client.get(reverse("disclosures:entry", args=[entry.pk])),
        client.get(reverse("disclosures:api_entry", args=[entry.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode()
        assert "张三" not in text
        assert "李四" not in text
    assert f"第 {entry.seq} 条（个人信息已撤下）" in pages[0].content.decode()
    notice = client.get(reverse("disclosures:notice", args=[entry.pk]))
    path = tmp_path / "notice.pdf"
    path.write_bytes(notice.content)
    pdf_text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "个人信息" in pdf_text
    assert "张三" not in pdf_text
    titles = [row["title"] for row in community_disclosures(board.community.pk)]
    assert not any("张三" in title for title in titles)
    assert f"第 {entry.seq} 条（个人信息已撤下）" in titles
