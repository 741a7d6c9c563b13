"""Sending a notification, and a user's choices (the only code that writes them)."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from yishi.audit import audit_record
from yishi.privacy import normalise_mobile
from yishi.sms import send_sms

from .models import Message, NotificationPreference
from .topics import registered

logger = logging.getLogger("yishi.notifications")

SUBJECT_PREFIX = "【议事】"


def preference_of(user) -> NotificationPreference:
    """The user's choices, or the defaults (not saved) when they made none."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user_id=user.pk)


def _phone_of(user) -> str | None:
    person = getattr(user, "person", None)
    return normalise_mobile(getattr(person, "phone", "") or "")


def _deliver(user, pref: NotificationPreference, title: str, body: str) -> None:
    text = f"{SUBJECT_PREFIX}{title}" + (f" {body}" if body else "")
    try:
        if pref.by_email and user.email:
            send_mail(SUBJECT_PREFIX + title, body or title, None, [user.email])
        phone = _phone_of(user) if pref.by_sms else None
        if phone:
            send_sms(phone, text)
    except Exception:  # a provider's outage must not undo what was committed
        logger.exception("notification delivery failed for user %s", user.pk)


def notify(
    *, users, topic: str, title: str, body: str = "", url: str = "", key: str = ""
):
    """Put a message in each user's inbox (unless they turned `topic` off) and, after
    commit, send it by e-mail and text message as they chose. With `key`, a user who
    already had this key's message gets nothing. Returns the messages written."""
    written = []
    for user in {u.pk: u for u in users if u is not None}.values():
        pref = preference_of(user)
        if topic in (pref.muted_topics or []):
            continue
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    recipient=user,
                    topic=topic,
                    title=title[:200],
                    body=body,
                    url=url[:300],
                    key=key[:120],
                )
        except IntegrityError:
            continue  # sent before under this key
        written.append(message)
        transaction.on_commit(
            lambda u=user, p=pref: _deliver(u, p, title, body), robust=True
        )
    return written


@transaction.atomic
def message_read(*, actor, message_ids=None) -> int:
    """Mark the actor's messages read (all when `message_ids` is None)."""
    unread = Message.objects.filter(recipient=actor, read_at__isnull=True)
    if message_ids is not None:
        unread = unread.filter(pk__in=message_ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preference_update(
    *, actor, by_email: bool, by_sms: bool, muted_topics
) -> NotificationPreference:
    """Save what the actor wants to receive (only topics that exist are kept)."""
    known = registered()
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=actor
    )
    pref.by_email, pref.by_sms = bool(by_email), bool(by_sms)
    pref.muted_topics = sorted(t for t in set(muted_topics) if t in known)
    pref.save()
    audit_record(
        actor=actor,
        action="notification_preference_update",
        target=pref,
        detail={"email": pref.by_email, "sms": pref.by_sms, "muted": pref.muted_topics},
    )
    return pref
