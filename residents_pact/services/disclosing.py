"""Adoption and filing put on the disclosure board (居务公开): drafted from the
version's records and submitted to the supervisory committee, which approves them
into the community's hash chain (consultation.disclosures)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from consultation.disclosures import services as disclosures
from consultation.disclosures.models import DisclosureEntry

from ..domain.kinds import adoption_of


def _text(version, what: str, record_url: str) -> str:
    page = version.page
    adoption = adoption_of(page.kind)
    lines = [
        _("%(title)s（第%(n)s版，共%(count)s条）。")
        % {"title": page.title, "n": version.number, "count": len(version.articles)},
        _("表决主体：%(body)s；依据：%(law)s。")
        % {"body": adoption.body_zh, "law": adoption.law_zh},
    ]
    if what == "adoption":
        lines.append(
            _("于 %(day)s 表决通过（投票编号 %(ballot)s）。")
            % {"day": version.adopted_on.isoformat(), "ballot": version.ballot_id}
        )
    else:
        filing = version.filing
        lines.append(
            _("已于 %(day)s 向%(authority)s备案；备案回执 SHA-256：%(sha)s。")
            % {
                "day": filing.filed_on.isoformat(),
                "authority": filing.authority,
                "sha": filing.receipt_sha256,
            }
        )
    if record_url:
        lines.append(_("全文及修订对照：%(url)s") % {"url": record_url})
    return "\n".join(str(line) for line in lines)


def disclose(version, actor, what: str, record_url: str) -> DisclosureEntry:
    page = version.page
    title = (
        _("公约表决通过公告：%(title)s")
        if what == "adoption"
        else _("公约备案公告：%(title)s")
    ) % {"title": page.title[:150]}
    entry = disclosures.disclosure_draft(
        community=page.community,
        actor=actor,
        kind=DisclosureEntry.Kind.DECISION,
        title=title,
        text=_text(version, what, record_url),
        compound=page.compound,
        source=(DisclosureEntry.Source.GENERAL, None, page.title),
    )
    return disclosures.disclosure_submit(entry_id=entry.pk, actor=actor)
