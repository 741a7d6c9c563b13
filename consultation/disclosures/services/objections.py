"""Objections (异议) to a displayed entry, the committee's replies, and the notices
of overdue replies.

A resident of one of the entry's boards files an objection while it is displayed;
staff see who filed it, the public sees a pseudonym stable for the entry (居民甲 …).
The reply is due `reply_days` after the day of filing (the deadline module, fixed
when filed). Overdue is computed on read; `escalations_notify` — run by
`manage.py disclosures_notify` every few minutes — records and sends one notice per
overdue objection to the supervisory committee and the subdistrict's staff, once
(a unique row per objection), however often it runs.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.models import Body, Membership, StaffAssignment
from neighbourhoods.register_cache import register_changed
from yishi.audit import audit_record
from yishi.privacy import normalise_mobile
from yishi.sms import send_sms

from .. import permissions
from ..dates import days_after, local_day
from ..domain.lifecycle import may_object, pseudonym
from ..models import DisclosureEntry, EscalationNotice, Objection
from .drafting import _clean_text
from .errors import DisclosureError, DisclosureStateError, forbidden, not_found
from .settings import disclosure_settings_of


def _pseudonym_index(entry: DisclosureEntry, person) -> int:
    earlier = (
        Objection.objects.filter(entry=entry, person=person)
        .values_list("pseudonym_index", flat=True)
        .first()
    )
    if earlier:
        return earlier
    highest = Objection.objects.filter(entry=entry).aggregate(m=Max("pseudonym_index"))[
        "m"
    ]
    return (highest or 0) + 1


@transaction.atomic
def objection_file(*, entry_id: int, actor, text: str, now=None) -> Objection:
    """File an objection to a displayed entry (refused after its display period)."""
    now = now or timezone.now()
    entry = (
        DisclosureEntry.objects.select_for_update(of=("self",))
        .select_related("community", "compound")
        .filter(pk=entry_id, state="published")
        .first()
    )
    if entry is None:
        raise not_found()
    if not permissions.can_object(actor, entry):
        raise DisclosureError(
            _(
                "只有本社区（或本小区）已核实身份的居民可以提出异议。"
                " Only verified residents of this community may object."
            ),
            code="not_a_resident",
            status=403,
        )
    today = local_day(now)
    if not may_object(
        display_from=entry.display_from, display_until=entry.display_until, today=today
    ):
        raise DisclosureStateError(
            _("公示期已结束，不能再提出异议。 The display period is over."),
            code="window_closed",
        )
    text = _clean_text(text, name=_("异议内容"), limit=2000)
    person = permissions.person_of(actor)
    due = days_after(today, disclosure_settings_of(entry.community).reply_days)
    objection = Objection.objects.create(
        entry=entry,
        person=person,
        pseudonym_index=_pseudonym_index(entry, person),
        text=text,
        filed_at=now,
        reply_due=due.last_day,
        reply_due_certain=due.certain,
    )
    audit_record(
        actor=actor,
        action="objection_file",
        target=objection,
        community_id=entry.community_id,
        detail={"entry_seq": entry.seq, "reply_due": due.last_day.isoformat()},
    )
    register_changed()  # the board counts objections; visitors' copies go stale
    return objection


@transaction.atomic
def objection_reply(*, objection_id: int, actor, text: str, now=None) -> Objection:
    """The committee's reply (once; a late reply is still taken and shown as late)."""
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("entry__community")
        .filter(pk=objection_id)
        .first()
    )
    if objection is None:
        raise DisclosureError(_("没有这条异议。 No such objection."), status=404)
    if not permissions.can_manage(actor, objection.entry):
        raise forbidden()
    if objection.replied_at is not None:
        raise DisclosureStateError(_("已经答复过。 Already replied."), code="replied")
    objection.reply = _clean_text(text, name=_("答复"), limit=4000)
    objection.replied_at = now or timezone.now()
    objection.replied_by = actor if getattr(actor, "is_authenticated", False) else None
    objection.save(update_fields=["reply", "replied_at", "replied_by"])
    audit_record(
        actor=actor,
        action="objection_reply",
        target=objection,
        community_id=objection.entry.community_id,
        detail={"late": local_day(objection.replied_at) > objection.reply_due},
    )
    register_changed()  # the board counts the replies overdue
    return objection


def overdue_objections(today):
    """Unanswered objections whose reply due date has passed, not yet notified."""
    return (
        Objection.objects.filter(
            replied_at__isnull=True, reply_due__lt=today, escalation__isnull=True
        )
        .select_related("entry__community")
        .order_by("reply_due", "pk")
    )


def _recipients(community) -> list[str]:
    """Mobile numbers of the supervisory committee's members with a seat today and of
    the subdistrict's staff who have a person record with a phone."""
    today = timezone.localdate()
    seats = Membership.objects.filter(
        body__community=community, body__kind=Body.Kind.SUPERVISORY
    ).exclude(term_end__lt=today)
    phones = set(seats.values_list("person__phone", flat=True))
    staff = StaffAssignment.objects.filter(subdistrict_id=community.subdistrict_id)
    phones |= set(staff.values_list("user__person__phone", flat=True))
    return sorted(p for p in (normalise_mobile(x or "") for x in phones) if p)


def _notice_text(objection: Objection) -> str:
    entry = objection.entry
    return _(
        "【议事】%(community)s 公开事项第 %(seq)s 条收到的异议（%(who)s）已超过答复期限"
        "（%(due)s），请居务监督委员会和街道督办。"
    ) % {
        "community": entry.community.name,
        "seq": entry.seq,
        "who": pseudonym(objection.pseudonym_index),
        "due": objection.reply_due.isoformat(),
    }


def escalations_notify(*, now=None) -> list[EscalationNotice]:
    """Record and send one notice per overdue reply; run again, it sends none twice."""
    now = now or timezone.now()
    sent = []
    for objection in overdue_objections(local_day(now)):
        text = _notice_text(objection)
        phones = _recipients(objection.entry.community)
        try:
            with transaction.atomic():
                notice = EscalationNotice.objects.create(
                    objection=objection, sent_at=now, recipients=len(phones), text=text
                )
                audit_record(
                    actor=None,
                    action="objection_escalate",
                    target=objection,
                    community_id=objection.entry.community_id,
                    detail={"recipients": len(phones)},
                )
        except IntegrityError:
            continue  # another run recorded it first: it sends, not us
        for phone in phones:
            send_sms(phone, text)
        sent.append(notice)
    return sent
