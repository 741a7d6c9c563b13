"""The public pages: version in force, history, diff with highlighted characters,
comment form, handling report, pledge counts without names; constant queries;
bad input answered with a zh/en message and a 4xx."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from residents_pact import services
from residents_pact.models import PactComment, PactVersion

from .factories import BODY, article, bring_into_force, pact_create, place_setup

pytestmark = pytest.mark.django_db


def amended_pact(place):
    page = pact_create(place)
    bring_into_force(place, PactVersion.objects.get(page=page, number=1))
    body = [
        *BODY[:3],
        article("a3", "居民应当共同爱护公共绿地和设施。", "不得毁坏绿地"),
        *BODY[4:],
    ]
    services.pact_amend(page_id=page.pk, actor=place.staff, body=body)
    return page


def test_the_pact_page_shows_force_history_and_the_open_draft(
    client, home_page, django_assert_max_num_queries
):
    place = place_setup()
    page = amended_pact(place)
    v2 = PactVersion.objects.get(page=page, number=2)
    services.comment_period_open(version_id=v2.pk, actor=place.staff, days=10)
    services.comment_post(
        version_id=v2.pk,
        article_key="a3",
        text="建议写明设施范围。",
        actor=place.residents[0],
    )
    services.pledge_make(
        version_id=PactVersion.objects.get(page=page, number=1).pk,
        actor=place.residents[1],
    )
    client.force_login(place.residents[0])
    client.get(page.url)
    with django_assert_max_num_queries(30):
        html = client.get(page.url).content.decode()
    assert "现行有效版本（第 1 版）" in html
    assert "征求意见中" in html
    assert "建议写明设施范围。" in html
    assert "居民 1" in html
    assert place.residents[0].person.full_name not in html
    assert "对第三条提意见" in html
    assert "历次版本" in html


def test_page_queries_do_not_grow_with_comments(
    client, home_page, django_assert_max_num_queries
):
    place = place_setup(residents=6)
    page = amended_pact(place)
    v2 = PactVersion.objects.get(page=page, number=2)
    services.comment_period_open(version_id=v2.pk, actor=place.staff, days=10)
    client.get(page.url)
    for user in place.residents:
        c = services.comment_post(
            version_id=v2.pk, article_key="a1", text="意见", actor=user
        )
        services.comment_post(
            version_id=v2.pk,
            article_key="a1",
            text="回复",
            actor=place.staff,
            parent_id=c.pk,
        )
    with django_assert_max_num_queries(30):
        assert client.get(page.url).status_code == 200


def test_the_diff_highlights_characters(client, home_page):
    place = place_setup()
    page = amended_pact(place)
    html = client.get(
        reverse("pacts:diff", args=[page.pk]) + "?from=1&to=2"
    ).content.decode()
    assert "<ins>共同</ins>" in html
    assert "<del>" in html  # the item removed
    response = client.get(reverse("pacts:diff", args=[page.pk]) + "?from=1&to=9")
    assert response.status_code == 404
    assert "No such version" in response.content.decode()


def test_a_comment_outside_the_period_is_refused_with_a_message(client, home_page):
    place = place_setup()
    page = pact_create(place)
    v1 = PactVersion.objects.get(page=page, number=1)
    client.force_login(place.residents[0])
    response = client.post(
        reverse("pacts:comment", args=[v1.pk]), {"article": "a3", "text": "意见"}
    )
    assert response.status_code == 409
    assert "不在征求意见期内" in response.content.decode()
    assert PactComment.objects.count() == 0


def test_a_comment_refused_for_its_text_is_shown_again_at_its_article(
    client, home_page
):
    """A comment with a mobile number (or a reply too long) is refused (422) and
    not written; the pact's page comes back with the message and the text in
    that article's (or that reply's) box, opened."""
    place = place_setup()
    page = pact_create(place)
    v1 = PactVersion.objects.get(page=page, number=1)
    services.comment_period_open(version_id=v1.pk, actor=place.staff, days=10)
    first = services.comment_post(
        version_id=v1.pk, article_key="a3", text="赞成", actor=place.residents[1]
    )
    client.force_login(place.residents[0])
    url = reverse("pacts:comment", args=[v1.pk])
    typed = "绿地边上的路灯坏了很久，请联系我 13812345678 一起看看。"
    response = client.post(url, {"article": "a3", "text": typed})
    assert response.status_code == 422
    html = response.content.decode()
    assert "不得含有身份证号或手机号" in html
    box = 'id="comment-a3" name="text" rows="3" maxlength="2000" required>'
    assert f"{box}{typed}</textarea>" in html
    assert html.count(typed) == 1  # in that article's box, nowhere else
    assert 'href="#comment-a3"' in html
    long_reply = "长" * 2001
    response = client.post(
        url, {"article": "a3", "parent": first.pk, "text": long_reply}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f"required>{long_reply}</textarea>" in html
    assert f'href="#reply-{first.pk}"' in html
    assert PactComment.objects.count() == 1
    # A page Wagtail restricts to a group the resident is not in: the refusal
    # page, not the pact's page around it.
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    response = client.post(url, {"article": "a3", "text": typed})
    assert response.status_code == 422
    assert typed not in response.content.decode()
    assert "不得含有身份证号或手机号" in response.content.decode()


def test_report_and_staff_handling_through_the_manage_page(client, home_page):
    place = place_setup()
    page = pact_create(place)
    v1 = PactVersion.objects.get(page=page, number=1)
    services.comment_period_open(version_id=v1.pk, actor=place.staff, days=10)
    c = services.comment_post(
        version_id=v1.pk,
        article_key="a3",
        text="增加禁止高空抛物",
        actor=place.residents[0],
    )
    client.force_login(place.residents[0])
    assert client.get(reverse("pacts:manage", args=[page.pk])).status_code == 404
    client.force_login(place.staff)
    url = reverse("pacts:manage", args=[page.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"action": "handle", "comment": c.pk, "handling": "accepted", "reason": ""}
    )
    assert response.status_code == 422
    client.post(
        url,
        {
            "action": "handle",
            "comment": c.pk,
            "handling": "accepted",
            "reason": "已增加第五条。",
        },
    )
    html = client.get(reverse("pacts:report", args=[v1.pk])).content.decode()
    assert "已增加第五条。" in html
    assert "采纳 1 条" in html
    response = client.post(
        url, {"action": "vote", "version": v1.pk, "basis": "household_representatives"}
    )
    assert response.status_code == 409
    assert "合法性审查" in response.content.decode()


def test_pdfs_of_the_pact_in_force(client, home_page):
    place = place_setup()
    page = pact_create(place)
    assert client.get(reverse("pacts:booklet", args=[page.pk])).status_code == 404
    bring_into_force(place, PactVersion.objects.get(page=page, number=1))
    for name in ("pacts:booklet", "pacts:poster"):
        response = client.get(reverse(name, args=[page.pk]))
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


def test_pledge_counts_show_no_names(client, home_page):
    place = place_setup()
    page = pact_create(place)
    v1 = bring_into_force(place, PactVersion.objects.get(page=page, number=1))
    client.force_login(place.residents[0])
    response = client.post(reverse("pacts:pledge", args=[v1.pk]))
    assert response.status_code == 302
    again = client.post(reverse("pacts:pledge", args=[v1.pk]))
    assert again.status_code == 409
    assert "Already pledged" in again.content.decode()
    assert timezone.localdate()


def test_diff_and_report_pages_in_bounded_queries(
    client, home_page, django_assert_max_num_queries
):
    place = place_setup(residents=4)
    page = amended_pact(place)
    v2 = PactVersion.objects.get(page=page, number=2)
    services.comment_period_open(version_id=v2.pk, actor=place.staff, days=10)
    for user in place.residents:
        services.comment_post(
            version_id=v2.pk, article_key="a2", text="意见", actor=user
        )
    diff_url = reverse("pacts:diff", args=[page.pk]) + "?from=1&to=2"
    report_url = reverse("pacts:report", args=[v2.pk])
    client.get(diff_url)
    with django_assert_max_num_queries(12):
        assert client.get(diff_url).status_code == 200
    with django_assert_max_num_queries(12):
        html = client.get(report_url).content.decode()
    assert "尚未处理 4 条" in html


def test_a_withdrawn_pacts_report_is_no_longer_public(client, home_page):
    place = place_setup()
    page = pact_create(place)
    version = PactVersion.objects.get(page=page, number=1)
    assert client.get(reverse("pacts:report", args=[version.pk])).status_code == 200
    page.unpublish()
    assert client.get(reverse("pacts:report", args=[version.pk])).status_code == 404
    resident = place.residents[0]
    client.force_login(resident)
    response = client.post(
        reverse("pacts:comment", args=[version.pk]),
        {"article": version.articles[0]["key"], "text": "意见"},
    )
    assert response.status_code == 404
    assert not PactComment.objects.exists()
