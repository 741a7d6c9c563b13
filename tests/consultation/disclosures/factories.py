"""A community with the people a disclosure meets: an editor, a supervisory
committee member, a resident with a login; and helpers that publish entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from consultation.disclosures import services
from consultation.disclosures.models import DisclosureEntry
from neighbourhoods.models import Body
from tests.neighbourhoods.factories import (
    BodyFactory,
    CommunityFactory,
    MembershipFactory,
    PersonFactory,
    StaffAssignmentFactory,
    UserFactory,
)


@dataclass
class Board:
    community: object
    staff: object
    supervisor: object
    resident: object
    resident_person: object


def board_setup(community=None) -> Board:
    community = community or CommunityFactory()
    staff = StaffAssignmentFactory(community=community).user
    supervisory = BodyFactory(
        community=community, kind=Body.Kind.SUPERVISORY, name="居务监督委员会"
    )
    supervisor = UserFactory()
    MembershipFactory(body=supervisory, person__user=supervisor)
    resident = UserFactory()
    person = PersonFactory(home_community=community, user=resident)
    return Board(community, staff, supervisor, resident, person)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """An aware moment on `day` in Asia/Shanghai."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def publish_entry(
    board: Board,
    *,
    title: str = "2026年10月财务收支公开",
    kind: str = DisclosureEntry.Kind.MAJOR,
    period: str = "",
    now=None,
    text: str = "收入 1,200.00 元；支出 800.00 元。",
    **kwargs,
) -> DisclosureEntry:
    """Draft, submit, approve and publish in one go (staff and the committee)."""
    entry = services.disclosure_draft(
        community=board.community,
        actor=board.staff,
        kind=kind,
        title=title,
        text=text,
        period=period,
        **kwargs,
    )
    services.disclosure_submit(entry_id=entry.pk, actor=board.staff, now=now)
    services.disclosure_review(entry_id=entry.pk, actor=board.supervisor, approve=True)
    return services.disclosure_publish(entry_id=entry.pk, actor=board.staff, now=now)


def publish_quick(community, n: int, *, now=None) -> list[DisclosureEntry]:
    """n entries published by the system (actor None), fast, for chain tests."""
    published = []
    for i in range(n):
        entry = services.disclosure_draft(
            community=community,
            actor=None,
            kind="major",
            title=f"公开{i}",
            text=f"内容{i}",
        )
        services.disclosure_submit(entry_id=entry.pk, actor=None, now=now)
        services.disclosure_review(entry_id=entry.pk, actor=None, approve=True)
        published.append(
            services.disclosure_publish(entry_id=entry.pk, actor=None, now=now)
        )
    return published


def wipe_disclosures() -> None:
    """Empty the disclosure tables as the test suite's flush does (the only way
    past the database guard): TRUNCATE on PostgreSQL, DELETE on SQLite."""
    from django.db import connection

    from consultation.disclosures.chain_guard import flush_allowed
    from consultation.disclosures.models import (
        ChainHead,
        DisclosureFile,
        DisclosureSettings,
        EscalationNotice,
        Objection,
    )

    models = (
        EscalationNotice,
        Objection,
        DisclosureEntry,
        ChainHead,
        DisclosureFile,
        DisclosureSettings,
    )
    with flush_allowed(connection):
        if connection.vendor == "postgresql":
            tables = ", ".join(m._meta.db_table for m in models)
            with connection.cursor() as cursor:
                # Inside a test's transaction: run the deferred FK checks first.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # CASCADE: other capabilities' rows that point to entries (a pact
                # version's adoption and filing) go too; PostgreSQL refuses to
                # truncate a referenced table alone, even when those are empty.
                cursor.execute(f"TRUNCATE {tables} CASCADE")
        else:
            for model in models:
                model.objects.all().delete()
