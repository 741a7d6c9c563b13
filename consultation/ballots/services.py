"""Ballot services: the only code that writes ballots, rolls, votes and tallies.

Each function is keyword-only, atomic, locks what it changes, asks `domain` whether the
change is allowed, and announces the change after commit (`events.ballot_changed`).

Concurrency: a vote takes a SHARE lock on its ballot row (PostgreSQL `FOR SHARE`), so
votes run side by side while `ballot_close` (an exclusive `FOR UPDATE`) waits for every
vote in flight and then shuts the door: no vote is accepted after close, every accepted
vote is counted. One vote per roll member per ballot is a database unique constraint.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.domain.rolls import OwnerCountingOptions, RollBasis
from neighbourhoods.models import Person
from neighbourhoods.rolls import RollScope, RollScopeError, roll_snapshot
from yishi.db import Columns, InsertIgnoringConflicts

from . import events
from .domain.ballots import (
    BallotKind,
    BallotSpec,
    BallotSpecError,
    OptionRole,
    OptionSpec,
    PaperRecord,
    SelectionError,
    normalise_selection,
    tally,
)
from .domain.floors import FloorViolation, InvalidOverride, customise
from .domain.rules import FAMILIES, RULES_BY_ID
from .models import (
    Ballot,
    BallotOption,
    Channel,
    CommunityVotingSettings,
    Participation,
    Proxy,
    PublishedTally,
    RollEntry,
    SecretPaper,
    VoteConflict,
)
from .selectors import ballot_spec, ballot_tally, tally_as_dict

# Secret papers are re-inserted in shuffled batches of this size while the ballot is
# open; at close every paper of the ballot is reshuffled at once.
MIX_BATCH = 10
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class BallotError(Exception):
    """A refused ballot action. `status` is the HTTP status a view should answer."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, status=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


class BallotStateError(BallotError):
    status = 409
    code = "wrong_state"


class BallotNotFound(BallotError):
    status = 404
    code = "not_found"


class NotOnRoll(BallotError):
    status = 403
    code = "not_on_roll"


class AlreadyVoted(BallotError):
    status = 409
    code = "already_voted"
    conflict: VoteConflict | None = None


def _voting(service):
    """Run a voting service atomically; a refused repeat is kept for staff to see.

    The vote's own transaction rolls back, so the conflict row is written after it.
    """

    @functools.wraps(service)
    def wrapper(**kwargs):
        try:
            with transaction.atomic():
                return service(**kwargs)
        except AlreadyVoted as refused:
            if refused.conflict is not None:
                refused.conflict.save()
            raise

    return wrapper


class InvalidSelection(BallotError):
    status = 422
    code = "invalid_selection"


class ProxyRefused(BallotError):
    status = 403
    code = "proxy_refused"


class IdempotencyMismatch(BallotError):
    status = 422
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class VoteResult:
    participation_id: int
    receipt: str | None  # secret ballots only, shown once
    replayed: bool = False


# --- helpers -------------------------------------------------------------------


def _lock_ballot(ballot_id: int, *, exclusive: bool) -> Ballot:
    """Lock the ballot row: shared for votes, exclusive for state changes."""
    if exclusive or connection.vendor != "postgresql":
        # SQLite serialises writers itself (IMMEDIATE transactions).
        found = Ballot.objects.select_for_update().filter(pk=ballot_id).first()
    else:
        table = Ballot._meta.db_table
        found = next(
            iter(
                Ballot.objects.raw(
                    f'SELECT * FROM "{table}" WHERE "id" = %s FOR SHARE', [ballot_id]
                )
            ),
            None,
        )
    if found is None:
        raise BallotNotFound(_("没有这项投票。 No such ballot."))
    return found


def _lock_ballot_for_vote(ballot_id: int, voter: Person) -> tuple[Ballot, RollEntry]:
    """The open ballot under a shared lock, and the voter's roll entry.

    Refused in the order of the full path: no ballot (404), not open (409), not on
    the roll (403). On PostgreSQL one query does both look-ups (a vote's hot path:
    the two were a quarter of a worker's CPU per vote, docs/benchmarks.md);
    elsewhere two.
    """
    if connection.vendor != "postgresql":
        ballot = _lock_ballot(ballot_id, exclusive=False)
        _require_open(ballot)
        return ballot, _entry_for_voter(ballot, voter)
    found = _ballot_and_entry(ballot_id, voter)
    if found is None:
        raise BallotNotFound(_("没有这项投票。 No such ballot."))
    ballot, entry = found
    _require_open(ballot)
    if entry is None:
        # The join read the roll as it was when the statement began: a vote that
        # waited here for `ballot_open` sees the ballot open but not the roll that
        # the opening wrote. A new statement sees it (or refuses for good).
        return ballot, _entry_for_voter(ballot, voter)
    return ballot, entry


_BALLOT = Columns(Ballot, "b")
# What a vote needs of the roll entry (the rest is deferred: loaded if ever read), in
# the model's field order: `Model.from_db` takes a subset of values in that order.
_ENTRY_FIELDS = [
    field
    for field in RollEntry._meta.concrete_fields
    if field.name in ("id", "ballot", "voter", "key", "heads", "area")
]


@functools.cache
def _ballot_and_entry_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    return (
        f"SELECT {_BALLOT.sql(connection)}, "
        + ", ".join(f"e.{quote(field.column)}" for field in _ENTRY_FIELDS)
        + f" FROM {quote(Ballot._meta.db_table)} b"
        f" LEFT JOIN {quote(RollEntry._meta.db_table)} e"
        ' ON e."ballot_id" = b."id" AND e."voter_id" = %s'
        ' WHERE b."id" = %s ORDER BY e."key" LIMIT 1 FOR SHARE OF b'
    )


def _ballot_and_entry(ballot_id: int, voter: Person):
    """(ballot, the voter's first roll entry or None), the ballot locked FOR SHARE;
    None without such a ballot (PostgreSQL). The SQL is built once (yishi.db):
    through the ORM, compiling it was most of the statement's CPU."""
    with connection.cursor() as cursor:
        cursor.execute(_ballot_and_entry_sql(connection.vendor), [voter.pk, ballot_id])
        row = cursor.fetchone()
    if row is None:
        return None
    ballot = _BALLOT.load(connection, row[: _BALLOT.width])
    values = row[_BALLOT.width :]
    if values[0] is None:
        return ballot, None
    entry = RollEntry.from_db(
        connection.alias, [field.attname for field in _ENTRY_FIELDS], values
    )
    return ballot, entry


def _fingerprint(*parts: object) -> str:
    data = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def _receipt_code() -> str:
    return "-".join(
        "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4)) for _ in range(3)
    )


def receipt_hash(code: str) -> str:
    normalised = code.strip().upper().replace(" ", "").replace("-", "")
    return hashlib.sha256(f"yishi-receipt:{normalised}".encode()).hexdigest()


def _announce(ballot_id: int) -> None:
    # robust: a failed broadcast must not turn a recorded vote into an error page.
    transaction.on_commit(lambda: events.ballot_changed(ballot_id), robust=True)


# --- community settings ----------------------------------------------------------


def voting_settings_of(community) -> CommunityVotingSettings:
    found = CommunityVotingSettings.objects.filter(community=community).first()
    return found or CommunityVotingSettings(community=community)


def _overrides_for(all_overrides: dict, rule_id: str) -> dict:
    if not rule_id:
        return {}
    family = RULES_BY_ID[rule_id].family if rule_id in RULES_BY_ID else rule_id
    return all_overrides.get(rule_id) or all_overrides.get(family) or {}


def rule_overrides_check(overrides: object) -> dict:
    """Validate a community's rule settings against every version of each rule.

    Raises BallotError (422) whose message names the law a loosening would break.
    """
    if not isinstance(overrides, dict):
        raise BallotError(
            _("规则设置格式不正确。 Malformed rule settings."), status=422
        )
    for name, changes in overrides.items():
        versions = FAMILIES.get(name) or (
            (RULES_BY_ID[name],) if name in RULES_BY_ID else None
        )
        if versions is None or not isinstance(changes, dict):
            raise BallotError(
                _("未知的表决规则：%(name)s。 Unknown rule.") % {"name": name},
                status=422,
            )
        for rule in versions:
            try:
                customise(rule, changes)
            except FloorViolation as error:
                raise BallotError(str(error), code="below_floor", status=422) from None
            except InvalidOverride as error:
                raise BallotError(str(error), code="invalid_rule", status=422) from None
    return overrides


@transaction.atomic
def voting_settings_update(*, community, actor, **changes) -> CommunityVotingSettings:
    """Change a community's voting settings; a loosened national floor is refused."""
    allowed = {
        "owners_votes_consultative",
        "count_parking",
        "silent_owners_follow_majority",
        "rule_overrides",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise BallotError(f"unknown settings: {', '.join(sorted(unknown))}")
    if "rule_overrides" in changes:
        rule_overrides_check(changes["rule_overrides"])
    voting, _created = (
        CommunityVotingSettings.objects.select_for_update().get_or_create(
            community=community
        )
    )
    for name, value in changes.items():
        setattr(voting, name, value)
    voting.updated_by = actor
    voting.save()
    return voting


# --- lifecycle -----------------------------------------------------------------


def _rule_versions(rule_id: str):
    return FAMILIES.get(rule_id) or (RULES_BY_ID[rule_id],)


def _check_ballot_design(
    *,
    kind,
    options,
    basis,
    rule_id,
    secrecy,
    results_visibility,
    weighted_by_area,
    min_choices,
    max_choices,
    seats,
) -> None:
    """Refuse (422) a ballot that could not be counted, or could not stay secret."""

    def refuse(message: str):
        raise BallotError(message, code="bad_design", status=422)

    secret = secrecy == Ballot.Secrecy.SECRET
    if secret and weighted_by_area:
        # A paper carrying its owner's exclusive area names that owner; and owners'
        # joint decisions are signed by the owner (指导规则 Art. 22).
        refuse(
            _(
                "无记名投票不能按专有部分面积计权（面积会暴露投票人）；业主共同决定应记名表决。"
                " A secret ballot cannot be weighted by area: the area would identify"
                " the voter."
            )
        )
    if secret and results_visibility == Ballot.ResultsVisibility.LIVE:
        refuse(
            _(
                "无记名投票的结果只能在截止后公开。"
                " A secret ballot's results can only be shown after it closes."
            )
        )
    if rule_id:
        needs_area = "total_area" in _rule_versions(rule_id)[0].input_names
        if needs_area and (basis != RollBasis.OWNERS or not weighted_by_area):
            refuse(
                _(
                    "业主共同决定的规则须以业主为表决人并按面积计算。"
                    " An owners' rule needs the owners' roll, weighted by area."
                )
            )
        if kind not in ("motion", "written"):
            refuse(
                _(
                    "表决规则只适用于同意/反对/弃权式表决。"
                    " A decision rule applies to yes/no/abstain motions only."
                )
            )
    labels = (
        ["yes", "no", "abstain"] if kind in ("motion", "written") else options or []
    )
    roles = {"yes": OptionRole.YES, "no": OptionRole.NO, "abstain": OptionRole.ABSTAIN}
    try:
        BallotSpec(
            kind=BallotKind(kind),
            options=tuple(
                OptionSpec(id=i, role=roles.get(label, OptionRole.CHOICE))
                for i, label in enumerate(labels, start=1)
            ),
            min_choices=min_choices,
            max_choices=max_choices,
            seats=seats,
        )
    except (BallotSpecError, ValueError) as error:
        refuse(
            _("投票设置相互矛盾：%(reason)s Inconsistent ballot settings.")
            % {"reason": error}
        )


@transaction.atomic
def ballot_create(
    *,
    community,
    title: str,
    kind: str,
    options: list[str] | None,
    basis: str,
    scope: RollScope,
    actor,
    description: str = "",
    compound=None,
    min_choices: int = 1,
    max_choices: int = 1,
    seats: int = 1,
    rule_id: str = "",
    secrecy: str = Ballot.Secrecy.NAMED,
    results_visibility: str = Ballot.ResultsVisibility.AFTER_CLOSE,
    weighted_by_area: bool | None = None,
    consultative: bool = False,
    decision_date: date | None = None,
) -> Ballot:
    """A draft ballot with its options (a motion gets 同意 / 反对 / 弃权)."""
    if rule_id and rule_id not in FAMILIES and rule_id not in RULES_BY_ID:
        raise BallotError(_("未知的表决规则。 Unknown decision rule."), status=422)
    if weighted_by_area is None:
        weighted_by_area = basis == RollBasis.OWNERS
    _check_ballot_design(
        kind=kind,
        options=options,
        basis=basis,
        rule_id=rule_id,
        secrecy=secrecy,
        results_visibility=results_visibility,
        weighted_by_area=weighted_by_area,
        min_choices=min_choices,
        max_choices=max_choices,
        seats=seats,
    )
    voting = voting_settings_of(community)
    owners = basis == RollBasis.OWNERS
    ballot = Ballot.objects.create(
        consultative=consultative or (owners and voting.owners_votes_consultative),
        count_parking=owners and voting.count_parking,
        silent_owners_follow_majority=owners and voting.silent_owners_follow_majority,
        rule_overrides=_overrides_for(voting.rule_overrides, rule_id),
        community=community,
        compound=compound,
        title=title,
        description=description,
        kind=kind,
        basis=basis,
        scope_kind=scope.kind,
        scope_id=scope.id,
        min_choices=min_choices,
        max_choices=max_choices,
        seats=seats,
        rule_id=rule_id,
        secrecy=secrecy,
        results_visibility=results_visibility,
        weighted_by_area=weighted_by_area,
        decision_date=decision_date,
        created_by=actor,
    )
    if kind in ("motion", "written"):
        labels = [("同意", "yes"), ("反对", "no"), ("弃权", "abstain")]
    else:
        labels = [(label, "choice") for label in options or []]
    BallotOption.objects.bulk_create(
        BallotOption(ballot=ballot, position=i, label=label, role=role)
        for i, (label, role) in enumerate(labels, start=1)
    )
    return ballot


@transaction.atomic
def ballot_open(*, ballot_id: int, actor, as_of: date | None = None) -> Ballot:
    """Take the roll snapshot (kept for good) and open the ballot."""
    ballot = _lock_ballot(ballot_id, exclusive=True)
    if ballot.status != Ballot.Status.DRAFT:
        raise BallotStateError(_("只有草稿状态的投票可以开始。 Only a draft can open."))
    now = timezone.now()
    as_of = as_of or timezone.localdate(now)
    try:
        roll = roll_snapshot(
            scope=RollScope(ballot.scope_kind, ballot.scope_id),
            basis=RollBasis(ballot.basis),
            as_of=as_of,
            options=OwnerCountingOptions(count_parking=ballot.count_parking),
        )
    except RollScopeError as error:
        raise BallotError(
            _("表决人范围与投票范围不匹配。 The roll basis does not fit the scope.")
        ) from error
    RollEntry.objects.bulk_create(
        (
            RollEntry(
                ballot=ballot,
                key=member.key,
                voter_id=member.voter_person_id,
                person_ids=list(member.person_ids),
                part_ids=list(member.part_ids),
                heads=member.heads,
                area=member.area if ballot.weighted_by_area else 0,
            )
            for member in roll.members
        ),
        batch_size=1000,
    )
    ballot.roll_as_of = as_of
    ballot.roll_heads = roll.head_count
    ballot.roll_area = roll.total_area if ballot.weighted_by_area else 0
    ballot.roll_problems = [
        {"code": p.code, "subject": p.subject, "detail": p.detail}
        for p in roll.problems
    ]
    ballot.status = Ballot.Status.OPEN
    ballot.opened_at = now
    ballot.decision_date = ballot.decision_date or as_of
    ballot.save()
    _announce(ballot.pk)
    return ballot


def _record(*, ballot: Ballot, entry: RollEntry, **paper) -> VoteResult:
    """Insert the participation unless the voter has one: then replay or refuse.

    `paper`: the rest of `_insert`'s arguments (channel, selection, who entered it).
    """
    first = (
        Participation.objects.filter(ballot=ballot, entry=entry)
        .values_list("channel", flat=True)
        .first()
    )
    if first is None:
        inserted = _insert(ballot=ballot, entry=entry, **paper)
        if inserted is not None:
            return inserted
        first = (
            Participation.objects.filter(ballot=ballot, entry=entry)
            .values_list("channel", flat=True)
            .first()
        )
        if first is None:  # the sheet number, or the idempotency key, is taken
            raise BallotError(
                _("选票编号或请求编号已被使用。 Sheet number or key already used."),
                code="duplicate_reference",
                status=409,
            )
    # A double-click whose twin committed meanwhile: answer it as a replay.
    replay = _replay(
        ballot, paper.get("idempotency_key", ""), paper.get("fingerprint", ""), entry
    )
    if replay is not None:
        return replay
    refused = AlreadyVoted(
        _("该表决人已经投过票，不能重复投票。 This voter has already voted.")
    )
    refused.conflict = VoteConflict(
        ballot=ballot,
        entry=entry,
        channel=paper["channel"],
        first_channel=first,
        attempted_by=paper.get("entered_by"),
        sheet_number=paper.get("sheet_number", ""),
    )
    raise refused


def _insert(
    *,
    ballot: Ballot,
    entry: RollEntry,
    selection: dict | None,
    channel: str,
    cast_by: Person | None = None,
    proxy: Proxy | None = None,
    entered_by=None,
    sheet_number: str = "",
    witness: str = "",
    idempotency_key: str = "",
    fingerprint: str = "",
) -> VoteResult | None:
    """INSERT the participation; None, with nothing written, when a unique
    constraint refuses it (the member has voted, or the key or sheet is taken).

    A secret ballot keeps neither the choice nor anything derived from it next to
    the voter: the choice goes into an anonymous paper with a receipt.
    """
    participation = Participation(
        ballot=ballot,
        entry=entry,
        channel=channel,
        selection=None if ballot.is_secret else selection,
        heads=entry.heads,
        area=entry.area,
        cast_by=cast_by,
        proxy=proxy,
        entered_by=entered_by,
        sheet_number=sheet_number,
        witness=witness,
        idempotency_key=idempotency_key,
        request_fingerprint="" if ballot.is_secret else fingerprint,
    )
    if not _INSERT_PARTICIPATION.insert(participation, connection):
        return None
    receipt = None
    if ballot.is_secret and selection is not None:
        receipt = _receipt_code()
        _secret_paper_add(ballot, selection, receipt_hash(receipt))
    _announce(ballot.pk)
    return VoteResult(participation_id=participation.pk, receipt=receipt)


# Every vote's INSERT: built once (yishi.db); a participation that a unique
# constraint refuses (a second vote, a reused key or sheet number) is not written and
# raises nothing, so PostgreSQL logs no failed INSERT with the vote in it.
_INSERT_PARTICIPATION = InsertIgnoringConflicts(Participation)


def _secret_paper_add(ballot: Ballot, selection: dict, receipt_digest: str) -> None:
    """An anonymous paper: one head, no area, no channel, nothing about the voter."""
    SecretPaper.objects.create(
        ballot=ballot, selection=selection, heads=1, area=0, receipt_hash=receipt_digest
    )
    ballot_id = ballot.pk
    transaction.on_commit(lambda: secret_papers_mix(ballot_id=ballot_id), robust=True)


def _normalise(ballot: Ballot, raw) -> dict:
    try:
        return normalise_selection(ballot_spec(ballot), raw)
    except SelectionError as error:
        status = 400 if error.code in ("unknown_option", "bad_shape") else 422
        raise InvalidSelection(str(error), code=error.code, status=status) from error


def _require_open(ballot: Ballot) -> None:
    if ballot.status != Ballot.Status.OPEN:
        raise BallotStateError(
            _("投票未在进行中，不能投票。 This ballot is not open for voting.")
        )


def _entry_for_voter(ballot: Ballot, voter: Person) -> RollEntry:
    entry = RollEntry.objects.filter(ballot=ballot, voter=voter).order_by("key").first()
    if entry is None:
        raise NotOnRoll(
            _("您不在本次投票的表决人名册中。 You are not on this ballot's roll.")
        )
    return entry


def _replay(
    ballot: Ballot, idempotency_key: str, fingerprint: str, entry: RollEntry
) -> VoteResult | None:
    """The earlier result for a repeated idempotency key, or a 422 if it differs."""
    if not idempotency_key:
        return None
    earlier = Participation.objects.filter(
        ballot=ballot, idempotency_key=idempotency_key
    ).first()
    if earlier is None:
        return None
    # A secret ballot keeps nothing derived from the choice, so a repeated key is
    # answered as a replay whatever its body, if it is the same voter's; a named
    # ballot compares the request (its fingerprint names the voter too).
    if ballot.is_secret:
        same = earlier.entry_id == entry.pk
    else:
        same = earlier.request_fingerprint == fingerprint
    if not same:
        raise IdempotencyMismatch(
            _(
                "同一请求编号已用于不同的投票内容。"
                " This idempotency key was used with a different request."
            )
        )
    return VoteResult(participation_id=earlier.pk, receipt=None, replayed=True)


def vote_cast(
    *,
    ballot_id: int,
    voter: Person,
    selection,
    idempotency_key: str = "",
    channel: str = Channel.ONLINE,
) -> VoteResult:
    """An online (or door-to-door) vote by a person on the roll.

    Nearly every vote is a first vote, so it is inserted straight away: lock, roll
    entry, INSERT, COMMIT, with no look-up of an earlier participation or key. The
    unique constraints refuse a second participation or a reused key (the INSERT
    then writes nothing); `_vote_cast_checked` then runs in a new transaction, which
    replays the earlier answer (a double-click), refuses with 409 and records the
    conflict for staff, or refuses a reused key with another body (422).
    """
    arguments = {
        "ballot_id": ballot_id,
        "voter": voter,
        "selection": selection,
        "idempotency_key": idempotency_key,
        "channel": channel,
    }
    inserted = _vote_insert_first(**arguments)
    if inserted is not None:
        return inserted
    return _vote_cast_checked(**arguments)


def _vote_checks(ballot_id, voter, selection, idempotency_key, channel):
    """What every online vote checks first: ballot, roll entry, selection.

    Returns the ballot, the entry and the rest of `_insert`'s arguments."""
    ballot, entry = _lock_ballot_for_vote(ballot_id, voter)
    normalised = _normalise(ballot, selection)
    paper = {
        "selection": normalised,
        "channel": channel,
        "cast_by": voter,
        "idempotency_key": idempotency_key,
        "fingerprint": _fingerprint(entry.key, channel, normalised),
    }
    return ballot, entry, paper


@transaction.atomic
def _vote_insert_first(**arguments) -> VoteResult | None:
    ballot, entry, paper = _vote_checks(**arguments)
    return _insert(ballot=ballot, entry=entry, **paper)


@_voting
def _vote_cast_checked(**arguments) -> VoteResult:
    """`vote_cast` for a vote whose insert hit a constraint: everything checked."""
    ballot, entry, paper = _vote_checks(**arguments)
    replay = _replay(ballot, paper["idempotency_key"], paper["fingerprint"], entry)
    if replay is not None:
        return replay
    return _record(ballot=ballot, entry=entry, **paper)


@_voting
def paper_vote_enter(
    *,
    ballot_id: int,
    entry_id: int,
    selection,
    sheet_number: str,
    witness: str,
    actor,
    channel: str = Channel.PAPER,
) -> VoteResult:
    """A paper ballot entered by staff: the voter's own, a door-to-door written
    opinion, or one signed by a proxy holder under a registered authorisation."""
    ballot = _lock_ballot(ballot_id, exclusive=False)
    _require_open(ballot)
    if not sheet_number.strip() or not witness.strip():
        raise BallotError(
            _("须填写选票编号和监票人。 Sheet number and witness are required."),
            code="missing_sheet",
            status=422,
        )
    entry = RollEntry.objects.filter(ballot=ballot, pk=entry_id).first()
    if entry is None:
        raise NotOnRoll(_("该表决人不在名册中。 Not on this ballot's roll."))
    proxy = None
    if channel == Channel.PROXY:
        proxy = Proxy.objects.filter(ballot=ballot, principal=entry).first()
        if proxy is None:
            raise ProxyRefused(
                _("该表决人没有登记书面委托。 No authorisation is registered.")
            )
    # Secret ballot: staff only mark that this voter handed in a paper; the paper's
    # content is entered apart, with no voter (`secret_paper_enter`).
    normalised = None if ballot.is_secret else _normalise(ballot, selection)
    return _record(
        ballot=ballot,
        entry=entry,
        selection=normalised,
        channel=channel,
        cast_by=proxy.holder if proxy else None,
        proxy=proxy,
        entered_by=actor,
        sheet_number=sheet_number.strip(),
        witness=witness.strip(),
    )


@transaction.atomic
def secret_paper_enter(*, ballot_id: int, selection, actor) -> None:
    """Count one anonymous paper from the ballot box of a secret ballot.

    Allowed only while fewer papers than participations are recorded: every paper
    voter was first marked by `paper_vote_enter`. The exclusive lock makes two clerks
    entering at once count the remaining papers exactly.
    """
    ballot = _lock_ballot(ballot_id, exclusive=True)
    _require_open(ballot)
    if not ballot.is_secret:
        raise BallotError(_("仅用于无记名投票。 For secret ballots only."), status=409)
    normalised = _normalise(ballot, selection)
    owed = (
        Participation.objects.filter(ballot=ballot).count()
        - SecretPaper.objects.filter(ballot=ballot).count()
    )
    if owed <= 0:
        raise BallotError(
            _(
                "选票张数已与投票人数相同，不能再录入。"
                " Every recorded voter's paper has been counted."
            ),
            code="no_paper_owed",
            status=409,
        )
    # The receipt of a ballot-box paper is never shown: a random, unused digest.
    _secret_paper_add(ballot, normalised, receipt_hash(secrets.token_hex(16)))
    _announce(ballot.pk)


@transaction.atomic
def proxy_register(
    *, ballot_id: int, principal_entry_id: int, holder: Person, authorisation, actor
) -> Proxy:
    """Record a written authorisation; a holder may carry at most `proxy_cap` votes."""
    ballot = _lock_ballot(ballot_id, exclusive=True)
    if ballot.status not in (Ballot.Status.DRAFT, Ballot.Status.OPEN):
        raise BallotStateError(_("投票已截止。 The ballot is closed."))
    principal = RollEntry.objects.filter(ballot=ballot, pk=principal_entry_id).first()
    if principal is None:
        raise NotOnRoll(_("委托人不在名册中。 The principal is not on the roll."))
    on_roll = RollEntry.objects.filter(ballot=ballot, voter=holder).exists()
    if not on_roll and holder.home_community_id != ballot.community_id:
        raise ProxyRefused(
            _(
                "受托人须为本社区居民或本次投票的表决人。"
                " The proxy holder must live in this community or be on the roll."
            ),
            status=422,
        )
    if not authorisation:
        raise ProxyRefused(
            _("须上传书面委托书。 A written authorisation is required."),
            status=422,
        )
    if Proxy.objects.filter(ballot=ballot, holder=holder).count() >= ballot.proxy_cap:
        raise ProxyRefused(
            _("受托人代理票数已达上限。 This holder already carries the most proxies.")
        )
    if Proxy.objects.filter(ballot=ballot, principal=principal).exists():
        raise ProxyRefused(_("该表决人已有委托。 This voter already has a proxy."))
    return Proxy.objects.create(
        ballot=ballot,
        principal=principal,
        holder=holder,
        authorisation=authorisation,
        recorded_by=actor,
    )


@_voting
def proxy_vote_cast(
    *,
    ballot_id: int,
    holder: Person,
    principal_entry_id: int,
    selection,
    idempotency_key: str = "",
) -> VoteResult:
    ballot = _lock_ballot(ballot_id, exclusive=False)
    _require_open(ballot)
    proxy = (
        Proxy.objects.select_related("principal")
        .filter(ballot=ballot, holder=holder, principal_id=principal_entry_id)
        .first()
    )
    if proxy is None:
        raise ProxyRefused(
            _("您没有该表决人的书面委托。 You hold no authorisation for this voter.")
        )
    normalised = _normalise(ballot, selection)
    fingerprint = _fingerprint(proxy.principal.key, Channel.PROXY, normalised)
    replay = _replay(ballot, idempotency_key, fingerprint, proxy.principal)
    if replay is not None:
        return replay
    return _record(
        ballot=ballot,
        entry=proxy.principal,
        selection=normalised,
        channel=Channel.PROXY,
        cast_by=holder,
        proxy=proxy,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )


@transaction.atomic
def ballot_close(*, ballot_id: int, actor) -> Ballot:
    """Shut the ballot: waits for votes in flight, then refuses every later one."""
    ballot = _lock_ballot(ballot_id, exclusive=True)
    if ballot.status != Ballot.Status.OPEN:
        raise BallotStateError(
            _("只有进行中的投票可以截止。 Only an open ballot closes.")
        )
    ballot.status = Ballot.Status.CLOSED
    ballot.closed_at = timezone.now()
    ballot.save(update_fields=["status", "closed_at"])
    if ballot.is_secret:
        _mix(ballot, everything=True)
    _announce(ballot.pk)
    return ballot


def _mix(ballot: Ballot, *, everything: bool) -> int:
    """Re-insert papers in shuffled order with new random keys (unlinks them)."""
    papers = SecretPaper.objects.filter(ballot=ballot)
    if not everything:
        papers = papers.filter(mixed=False)
    rows = list(
        papers.select_for_update(skip_locked=not everything).values(
            "pk", "selection", "heads", "area", "receipt_hash"
        )
    )
    if not rows or (not everything and len(rows) < MIX_BATCH):
        return 0
    SecretPaper.objects.filter(pk__in=[row["pk"] for row in rows]).delete()
    secrets.SystemRandom().shuffle(rows)
    SecretPaper.objects.bulk_create(
        (
            SecretPaper(
                ballot=ballot,
                selection=row["selection"],
                heads=row["heads"],
                area=row["area"],
                receipt_hash=row["receipt_hash"],
                mixed=True,
            )
            for row in rows
        ),
        batch_size=1000,
    )
    return len(rows)


@transaction.atomic
def secret_papers_mix(*, ballot_id: int) -> int:
    """Mix a full batch of unmixed papers (called after each secret vote commits).

    Locks the ballot before the papers, in the same order as `ballot_close`, so the
    two never deadlock; after close there is nothing left to do here.
    """
    ballot = _lock_ballot(ballot_id, exclusive=False)
    if ballot.status != Ballot.Status.OPEN:
        return 0
    return _mix(ballot, everything=False)


@transaction.atomic
def ballot_publish(*, ballot_id: int, actor) -> PublishedTally:
    """Freeze the tally, the rule applied and whether it passed; never edited after."""
    ballot = _lock_ballot(ballot_id, exclusive=True)
    if ballot.status != Ballot.Status.CLOSED:
        raise BallotStateError(
            _("只有已截止的投票可以公布结果。 Only a closed ballot is published.")
        )
    ballot.status = Ballot.Status.PUBLISHED  # the frozen record says so itself
    return _publish(ballot, tally_as_dict(ballot, ballot_tally(ballot)), actor)


def _publish(ballot, result, actor, *, official=False, document=None) -> PublishedTally:
    body = json.dumps(result, sort_keys=True, ensure_ascii=False)
    evaluation = result.get("decision") or {}
    published = PublishedTally.objects.create(
        ballot=ballot,
        result=result,
        passed=evaluation.get("passed"),
        quorum_met=evaluation.get("quorum_met"),
        official=official,
        source_document=document or "",
        sha256=hashlib.sha256(body.encode()).hexdigest(),
        published_by=actor,
    )
    ballot.status = Ballot.Status.PUBLISHED
    ballot.published_at = timezone.now()
    ballot.save(update_fields=["status", "published_at"])
    _announce(ballot.pk)
    return published


@transaction.atomic
def official_result_record(
    *,
    ballot_id: int,
    option_counts: dict[int, tuple[int, int]],
    roll_heads: int,
    roll_area: int,
    source_document,
    actor,
) -> PublishedTally:
    """Record the binding result of a consultative ballot (e.g. Sichuan's provincial
    e-voting system): counted, disclosed and archived here like any other tally.

    `option_counts` maps option id → (heads, area in 0.01 m²) from the official
    document; the platform's own consultative count is kept beside it.
    """
    ballot = _lock_ballot(ballot_id, exclusive=True)
    if not ballot.consultative:
        raise BallotError(
            _("只有征询性投票可以录入官方结果。 Only a consultative ballot."),
            status=409,
        )
    if ballot.status != Ballot.Status.CLOSED:
        raise BallotStateError(
            _("请先截止本平台的征询投票。 Close the consultative ballot first.")
        )
    if not source_document:
        raise BallotError(
            _("须上传官方结果文件。 The official document is required."), status=422
        )
    spec = ballot_spec(ballot)
    known = {option.id for option in spec.options}
    if set(option_counts) - known or any(
        heads < 0 or area < 0 for heads, area in option_counts.values()
    ):
        raise BallotError(
            _("官方结果数据不正确。 Invalid official counts."), status=422
        )
    papers = [
        PaperRecord(
            selection={"options": [option_id]},
            heads=heads,
            area=area,
            channel="official",
        )
        for option_id, (heads, area) in sorted(option_counts.items())
        if heads or area
    ]
    official = tally(spec, papers)
    if official.participating_heads > roll_heads or official.participating_area > (
        roll_area
    ):
        raise BallotError(
            _("参加人数或面积超过总数。 Participation exceeds the totals."), status=422
        )
    own = tally_as_dict(ballot, ballot_tally(ballot))
    ballot.status = Ballot.Status.PUBLISHED
    # The official totals go into the published record only: the ballot's own roll
    # snapshot is kept as it was taken (the save in _publish names its fields).
    ballot.roll_heads, ballot.roll_area = roll_heads, roll_area
    result = tally_as_dict(ballot, official)
    result["official"] = True
    result["platform_consultative_tally"] = own
    return _publish(ballot, result, actor, official=True, document=source_document)
