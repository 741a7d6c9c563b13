"""A pact's drafts: the page and its first draft, a draft from the version in force
(an amendment), the draft taken from the page's body, the comment period opened."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from yishi.deadlines import calendar
from yishi.deadlines.domain import DeadlineError, period_end

from .. import permissions
from ..domain.kinds import Scope, adoption_of
from ..domain.lifecycle import OPEN_STATES, Action, Facts, State
from ..models import PactPage, PactVersion
from ..text import articles_from_stream, stream_from_articles
from .common import audit, lock_page, lock_version, move, today_of
from .errors import PactError, forbidden, invalid

MAX_ARTICLES = 500
MAX_ARTICLE_CHARS = 5000


def _check_scope(kind: str, community, compound, building) -> None:
    scope = adoption_of(kind).scope
    if (scope == Scope.COMPOUND) != (compound is not None and building is None) or (
        scope == Scope.BUILDING and building is None
    ):
        raise invalid(
            _(
                "公约类别与适用范围不符（居民公约为社区，小区公约与管理规约为小区，"
                "楼栋公约为楼栋）。 The kind does not fit the scope."
            ),
            "scope",
        )
    if (
        compound is not None
        and not compound.communities.filter(pk=community.pk).exists()
    ):
        raise invalid(_("小区不属于本社区。 The compound is not in this community."))


def _check_articles(articles: list[dict]) -> None:
    if not articles:
        raise invalid(_("公约至少须有一条。 A pact needs at least one article."))
    if len(articles) > MAX_ARTICLES:
        raise invalid(_("条文过多。 Too many articles."))
    for article in articles:
        if not article["text"].strip() or len(article["text"]) > MAX_ARTICLE_CHARS:
            raise invalid(
                _("第%(n)s条的条文为空或过长。 Article %(n)s is empty or too long.")
                % {"n": article["number"]}
            )


@transaction.atomic
def pact_create(
    *,
    parent,
    kind: str,
    title: str,
    community,
    actor,
    body: list[dict],
    compound=None,
    building=None,
    intro: str = "",
    slug: str = "",
) -> PactPage:
    """A pact page under a community or compound page, and its first draft."""
    if not permissions.can_change_register_of(actor, community):
        raise forbidden()
    _check_scope(kind, community, compound, building)
    articles = articles_from_stream(body)
    _check_articles(articles)
    page = PactPage(
        title=title[:200],
        kind=kind,
        community=community,
        compound=compound,
        building=building,
        intro=intro,
        body=body,
        **({"slug": slug} if slug else {}),
    )
    parent.add_child(instance=page)
    page.save_revision(user=actor if getattr(actor, "pk", None) else None).publish()
    version = PactVersion.objects.create(
        page=page,
        number=1,
        title=page.title,
        articles=articles_from_stream(page.body.raw_data),
        created_by=_user(actor),
    )
    audit(actor, "pact_create", version, kind=kind)
    return page


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _new_draft(page, actor) -> PactVersion:
    numbers = page.versions.order_by("-number").values_list("number", flat=True)
    return PactVersion.objects.create(
        page=page,
        number=(numbers.first() or 0) + 1,
        title=page.title,
        based_on=page.versions.filter(state=State.IN_FORCE).first(),
        created_by=_user(actor),
    )


@transaction.atomic
def draft_update(*, page_id: int, actor) -> PactVersion:
    """Take the page's current body as the draft's text: the open draft's, or a
    new draft's where no version is under way (a page made in the Wagtail editor,
    or after a rejected or withdrawn version)."""
    page = lock_page(page_id)
    if not permissions.can_manage(actor, page):
        raise forbidden()
    version = page.versions.select_for_update().filter(state=State.DRAFT).first()
    if (
        version is None
        and not page.versions.filter(state__in=sorted(OPEN_STATES)).exists()
    ):
        version = _new_draft(page, actor)
    if version is None:
        raise PactError(
            _("没有可修改的草稿。 There is no draft to change."),
            code="no_draft",
            status=409,
        )
    articles = articles_from_stream(page.specific.body.raw_data)
    _check_articles(articles)
    version.articles, version.title = articles, page.title
    version.save(update_fields=["articles", "title"])
    audit(actor, "pact_draft_update", version, articles=len(articles))
    return version


@transaction.atomic
def pact_amend(*, page_id: int, actor, body: list[dict] | None = None) -> PactVersion:
    """A new draft made from the version in force; the page's body becomes it."""
    page = lock_page(page_id)
    if not permissions.can_manage(actor, page):
        raise forbidden()
    current = page.versions.filter(state=State.IN_FORCE).first()
    if current is None:
        raise PactError(
            _("没有现行有效的版本可供修订。 No version in force to amend."),
            code="nothing_in_force",
            status=409,
        )
    if page.versions.filter(state__in=sorted(OPEN_STATES)).exists():
        raise PactError(
            _("已有一个进行中的修订稿。 An amendment is already under way."),
            code="open_version",
            status=409,
        )
    raw = body if body is not None else stream_from_articles(current.articles)
    page.body = raw
    page.save_revision(user=_user(actor)).publish()
    articles = articles_from_stream(PactPage.objects.get(pk=page.pk).body.raw_data)
    _check_articles(articles)
    number = page.versions.order_by("-number").values_list("number", flat=True)[0] + 1
    version = PactVersion.objects.create(
        page=page,
        number=number,
        title=page.title,
        articles=articles,
        based_on=current,
        created_by=_user(actor),
    )
    audit(actor, "pact_amend", version, based_on=current.number)
    return version


@transaction.atomic
def comment_period_open(
    *, version_id: int, actor, days: int, today=None
) -> PactVersion:
    """Publish the draft for comment; the period's last day from yishi.deadlines."""
    version = lock_version(version_id, actor=actor)
    start = today_of(today)
    try:
        deadline = period_end(start, int(days), calendar())
    except (DeadlineError, TypeError, ValueError):
        raise invalid(
            _("征求意见期须为 1 至 3650 日。 The period is 1 to 3650 days."), "days"
        ) from None
    move(version, Action.OPEN_COMMENT, Facts(comment_last_day=deadline.last_day))
    version.comment_opened_on = start
    version.comment_last_day = deadline.last_day
    version.comment_period_reasons = list(deadline.reasons)
    version.save()
    audit(actor, "pact_comment_open", version, last_day=deadline.last_day.isoformat())
    return version
