"""Reads of the inbox."""

from __future__ import annotations

from .models import Message

PAGE = 50


def inbox(user, *, limit: int = PAGE) -> list[Message]:
    return list(Message.objects.filter(recipient=user)[:limit])


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
