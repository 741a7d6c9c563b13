"""Votes by every channel: online, paper, door to door, and by a proxy holder.

A vote takes a SHARE lock on its ballot, checks the state, the voter's roll entry and
the selection, and inserts one `Participation` under the unique constraint (ballot,
entry): one vote per roll member across all channels. A refused repeat is kept as a
`VoteConflict` for staff. A vote's own row is its audit record (who, by which
channel, entered by whom, when); it writes no audit line of its own, which for a
secret ballot would date the paper.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from neighbourhoods.models import Person
from yishi.audit import audit_record
from yishi.uploads import upload_check

from ..domain.receipts import receipt_code, receipt_hash
from ..models import Ballot, Channel, Participation, Proxy, RollEntry, VoteConflict
from .checks import (
    announce,
    lock_ballot,
    lock_managed_ballot,
    lock_open_ballot_for,
    normalise,
    paper_selection,
    require_open,
)
from .errors import (
    AlreadyVoted,
    BallotError,
    BallotStateError,
    IdempotencyMismatch,
    NotOnRoll,
    ProxyRefused,
    VoteResult,
)
from .secrecy import secret_paper_add


def _keeping_conflicts(service):
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


def _fingerprint(*parts: object) -> str:
    data = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def _replay(ballot, idempotency_key: str, fingerprint: str, entry) -> VoteResult | None:
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


def participation_insert(
    *, ballot, entry: RollEntry, selection: dict | None, channel: str, **recorded
) -> VoteResult:
    """INSERT the participation (an IntegrityError when a unique constraint refuses:
    the member has voted, or the key or sheet number is taken).

    `recorded`: cast_by, proxy, entered_by, sheet_number, witness, idempotency_key,
    fingerprint. A secret ballot keeps neither the choice nor anything derived from it
    next to the voter: the choice goes into an anonymous paper with a receipt.
    """
    fingerprint = recorded.pop("fingerprint", "")
    participation = Participation.objects.create(
        ballot=ballot,
        entry=entry,
        channel=channel,
        selection=None if ballot.is_secret else selection,
        heads=entry.heads,
        area=entry.area,
        request_fingerprint="" if ballot.is_secret else fingerprint,
        **recorded,
    )
    receipt = None
    if ballot.is_secret and selection is not None:
        receipt = receipt_code()
        secret_paper_add(ballot, selection, receipt_hash(receipt))
    announce(ballot.pk)
    return VoteResult(participation_id=participation.pk, receipt=receipt)


def _first_channel(ballot, entry) -> str | None:
    return (
        Participation.objects.filter(ballot=ballot, entry=entry)
        .values_list("channel", flat=True)
        .first()
    )


def _insert_or_refuse(*, ballot, entry: RollEntry, **paper) -> VoteResult:
    """Insert the participation unless the voter has one: then replay or refuse."""
    first = _first_channel(ballot, entry)
    if first is None:
        try:
            with transaction.atomic():  # a savepoint: a refusal keeps the rest
                return participation_insert(ballot=ballot, entry=entry, **paper)
        except IntegrityError:
            first = _first_channel(ballot, entry)
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


def _online_paper(ballot_id, voter, selection, idempotency_key, channel):
    """What every online vote checks first: ballot, roll entry, selection."""
    ballot, entry = lock_open_ballot_for(ballot_id, voter)
    normalised = normalise(ballot, selection)
    paper = {
        "selection": normalised,
        "channel": channel,
        "cast_by": voter,
        "idempotency_key": idempotency_key,
        "fingerprint": _fingerprint(entry.key, channel, normalised),
    }
    return ballot, entry, paper


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
    entry, INSERT, COMMIT, with no look-up of an earlier participation or key. When
    a unique constraint refuses the INSERT, the transaction rolls back and
    `_vote_cast_checked` runs in a new one: it replays the earlier answer (a
    double-click), refuses with 409 and records the conflict for staff, or refuses a
    reused key with another body (422).
    """
    arguments = (ballot_id, voter, selection, idempotency_key, channel)
    try:
        with transaction.atomic():
            ballot, entry, paper = _online_paper(*arguments)
            return participation_insert(ballot=ballot, entry=entry, **paper)
    except IntegrityError:
        return _vote_cast_checked(arguments=arguments)


@_keeping_conflicts
def _vote_cast_checked(*, arguments) -> VoteResult:
    ballot, entry, paper = _online_paper(*arguments)
    replay = _replay(ballot, paper["idempotency_key"], paper["fingerprint"], entry)
    if replay is not None:
        return replay
    return _insert_or_refuse(ballot=ballot, entry=entry, **paper)


def _paper_proxy(ballot, entry, channel: str) -> Proxy | None:
    if channel != Channel.PROXY:
        return None
    proxy = Proxy.objects.filter(ballot=ballot, principal=entry).first()
    if proxy is None:
        raise ProxyRefused(
            _("该表决人没有登记书面委托。 No authorisation is registered.")
        )
    return proxy


@_keeping_conflicts
def paper_vote_enter(
    *,
    ballot_id: int,
    entry_id: int,
    selection,
    sheet_number: str,
    witness: str,
    actor,
    channel: str = Channel.PAPER,
    invalid: bool = False,
) -> VoteResult:
    """A paper ballot entered by staff: the voter's own, a door-to-door written
    opinion, or one signed by a proxy holder under a registered authorisation.

    `invalid`: the sheet was handed in but is spoiled (废票): it is recorded with its
    sheet number as a paper received, counts for no option, and counts as
    participation as the ballot's setting says (`domain.ballots.tally`)."""
    ballot = lock_managed_ballot(ballot_id, actor=actor, exclusive=False)
    require_open(ballot)
    if not sheet_number.strip() or not witness.strip():
        raise BallotError(
            _("须填写选票编号和监票人。 Sheet number and witness are required."),
            code="missing_sheet",
            status=422,
        )
    entry = RollEntry.objects.filter(ballot=ballot, pk=entry_id).first()
    if entry is None:
        raise NotOnRoll(_("该表决人不在名册中。 Not on this ballot's roll."))
    proxy = _paper_proxy(ballot, entry, channel)
    # Secret ballot: staff only mark that this voter handed in a paper; the paper's
    # content is entered apart, with no voter (`secret_paper_enter`).
    normalised = (
        None
        if ballot.is_secret
        else paper_selection(ballot, selection, invalid=invalid)
    )
    return _insert_or_refuse(
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


@_keeping_conflicts
def proxy_vote_cast(
    *,
    ballot_id: int,
    holder: Person,
    principal_entry_id: int,
    selection,
    idempotency_key: str = "",
) -> VoteResult:
    """A proxy holder votes for the principal named in their authorisation."""
    ballot = lock_ballot(ballot_id, exclusive=False)
    require_open(ballot)
    proxy = (
        Proxy.objects.select_related("principal")
        .filter(ballot=ballot, holder=holder, principal_id=principal_entry_id)
        .first()
    )
    if proxy is None:
        raise ProxyRefused(
            _("您没有该表决人的书面委托。 You hold no authorisation for this voter.")
        )
    normalised = normalise(ballot, selection)
    fingerprint = _fingerprint(proxy.principal.key, Channel.PROXY, normalised)
    replay = _replay(ballot, idempotency_key, fingerprint, proxy.principal)
    if replay is not None:
        return replay
    return _insert_or_refuse(
        ballot=ballot,
        entry=proxy.principal,
        selection=normalised,
        channel=Channel.PROXY,
        cast_by=holder,
        proxy=proxy,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )


def _proxy_refusal(ballot, principal, holder: Person, authorisation) -> str | None:
    on_roll = RollEntry.objects.filter(ballot=ballot, voter=holder).exists()
    if not on_roll and holder.home_community_id != ballot.community_id:
        return _(
            "受托人须为本社区居民或本次投票的表决人。"
            " The proxy holder must live in this community or be on the roll."
        )
    if not authorisation:
        return _("须上传书面委托书。 A written authorisation is required.")
    return None


@transaction.atomic
def proxy_register(
    *, ballot_id: int, principal_entry_id: int, holder: Person, authorisation, actor
) -> Proxy:
    """Record a written authorisation; a holder may carry at most `proxy_cap` votes."""
    ballot = lock_managed_ballot(ballot_id, actor=actor)
    if ballot.status not in (Ballot.Status.DRAFT, Ballot.Status.OPEN):
        raise BallotStateError(_("投票已截止。 The ballot is closed."))
    principal = RollEntry.objects.filter(ballot=ballot, pk=principal_entry_id).first()
    if principal is None:
        raise NotOnRoll(_("委托人不在名册中。 The principal is not on the roll."))
    refusal = _proxy_refusal(ballot, principal, holder, authorisation)
    if refusal is not None:
        raise ProxyRefused(refusal, status=422)
    authorisation = upload_check(authorisation)  # UploadRefused: 413 or 422
    if Proxy.objects.filter(ballot=ballot, holder=holder).count() >= ballot.proxy_cap:
        raise ProxyRefused(
            _("受托人代理票数已达上限。 This holder already carries the most proxies.")
        )
    if Proxy.objects.filter(ballot=ballot, principal=principal).exists():
        raise ProxyRefused(_("该表决人已有委托。 This voter already has a proxy."))
    proxy = Proxy.objects.create(
        ballot=ballot,
        principal=principal,
        holder=holder,
        authorisation=authorisation,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="proxy_register",
        target=proxy,
        community_id=ballot.community_id,
        detail={"ballot": ballot.pk, "principal_entry": principal.pk},
    )
    return proxy
