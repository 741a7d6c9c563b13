"""A published ballot's result disclosed in one action, its tally sheet attached.

`ballot_result_disclose` writes the decision disclosure from the ballot's frozen
published tally (never a recount), attaches the tally sheet PDF by its hash (the
file kept privately through yishi.uploads) and submits it to the supervisory
committee — one action for staff; the entry is published into the chain when the
committee approves it or its review window ends without it being returned (issue
10 item 5: every disclosure is reviewed before publication).
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from consultation.ballots import exports
from consultation.ballots import permissions as ballot_permissions
from consultation.ballots.models import Ballot

from ..models import DisclosureEntry
from .drafting import disclosure_draft, disclosure_submit
from .errors import DisclosureError, DisclosureStateError, forbidden


def _result_text(sheet: dict) -> str:
    lines = [
        _("%(community)s · 投票编号 %(id)s，%(at)s 公布结果。")
        % {
            "community": sheet["community"],
            "id": sheet["ballot_id"],
            "at": sheet["published_at"],
        },
        _("参加表决 %(heads)s 人（名册 %(roll)s 人）。")
        % {"heads": sheet["participation"]["heads"], "roll": sheet["roll"]["heads"]},
        _("各选项得票：")
        + "；".join(f"{o['label']} {o['heads']} 人" for o in sheet["options"]),
    ]
    decision = sheet.get("decision") or {}
    if decision.get("outcome"):
        lines.append(_("表决结果：%(outcome)s") % {"outcome": decision["outcome"]})
    lines.append(_("公布结果 SHA-256：%(sha)s") % {"sha": sheet["sha256"]})
    lines.append(_("详见所附计票表。"))
    return "\n".join(str(line) for line in lines)


def _already_disclosed(ballot: Ballot) -> bool:
    return DisclosureEntry.objects.filter(
        source_kind=DisclosureEntry.Source.BALLOT,
        source_id=ballot.pk,
        change=DisclosureEntry.Change.ORIGINAL,
    ).exists()


@transaction.atomic
def ballot_result_disclose(
    *, ballot_id: int, actor, ballot_url: str, now=None
) -> DisclosureEntry:
    """Draft the result disclosure with its tally sheet and submit it for review."""
    ballot = (
        Ballot.objects.select_for_update(of=("self",))
        .select_related("community", "compound")
        .filter(pk=ballot_id)
        .first()
    )
    if ballot is None:
        raise DisclosureError(_("没有这项投票。 No such ballot."), status=404)
    if actor is not None and not ballot_permissions.can_manage_ballot(actor, ballot):
        raise forbidden()
    if ballot.status != Ballot.Status.PUBLISHED:
        raise DisclosureStateError(
            _("只有已公布结果的投票可以公开。 Only a published ballot's result."),
            code="not_published",
        )
    if _already_disclosed(ballot):
        raise DisclosureStateError(
            _("这项投票的结果已经公开过。 This result was disclosed already."),
            code="already_disclosed",
        )
    sheet = exports.tally_sheet(ballot)
    pdf = exports.tally_sheet_pdf(sheet, ballot_url=ballot_url)
    entry = disclosure_draft(
        community=ballot.community,
        actor=actor,
        kind=DisclosureEntry.Kind.DECISION,
        title=_("表决结果公告：%(title)s") % {"title": ballot.title[:180]},
        text=_result_text(sheet),
        compound=ballot.compound,
        source=(DisclosureEntry.Source.BALLOT, ballot.pk, ballot.title),
        files=((ContentFile(pdf, name="tally.pdf"), str(_("计票表"))),),
    )
    return disclosure_submit(entry_id=entry.pk, actor=actor, now=now)
