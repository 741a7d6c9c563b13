"""A records `Meeting` held with a live room: its agenda, participants, speakers'
queue, statements and reactions, and the room's sequence number.

The room is the meeting's own (`Room.meeting` is its primary key, so a room's id is
its meeting's id): one meeting, recorded by the decision records, with the live
state beside it. `Room.seq` increments in the same transaction as every change;
`RoomEvent` keeps each change's payload under its `seq` so that the announcement
after commit can send exactly what changed (docs/protocol.md, rooms).
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from consultation.ballots.models import Ballot
from consultation.records.models import Matter, Meeting
from neighbourhoods.models import Person
from neighbourhoods.rolls.domain import RollBasis

from .domain.limits import STATEMENT_MAX

USER = settings.AUTH_USER_MODEL
ROLL_BASIS_CHOICES = [(b.value, b.value) for b in RollBasis]


class Room(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("会议进行中")
        CLOSED = "closed", _("会议已结束")

    class MinutesStatus(models.TextChoices):
        NONE = "none", _("未起草")
        DRAFT = "draft", _("草稿")
        CONFIRMED = "confirmed", _("已确认")

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, primary_key=True, related_name="room"
    )
    title = models.CharField(_("会议名称"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status, default=Status.OPEN
    )
    seq = models.PositiveBigIntegerField(default=0)
    # Fan-out bookkeeping: the last seq whose event was handed to the channel layer.
    announced_seq = models.PositiveBigIntegerField(default=0)
    rule_family = models.CharField(_("到会人数规则"), max_length=60)
    # A residents' meeting or owners' assembly: the roll its seats were drawn from
    # (basis and scope), frozen when the room was created, with its two totals
    # (the quorum's denominators). Empty basis: a body's meeting.
    basis = models.CharField(
        _("表决人范围"), max_length=40, blank=True, choices=ROLL_BASIS_CHOICES
    )
    scope_kind = models.CharField(_("范围类型"), max_length=20, blank=True)
    scope_id = models.PositiveBigIntegerField(_("范围"), null=True, blank=True)
    roll_as_of = models.DateField(null=True, blank=True)
    roll_heads = models.PositiveIntegerField(default=0)
    roll_area = models.PositiveBigIntegerField(default=0)
    current_item = models.ForeignKey(
        "AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    speaker = models.ForeignKey(
        "RoomParticipant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    timer_seconds = models.PositiveIntegerField(_("发言时间（秒）"), default=180)
    timer_started_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes_status = models.CharField(
        _("会议纪要"), max_length=10, choices=MinutesStatus, default=MinutesStatus.NONE
    )
    minutes_text = models.TextField(_("会议纪要"), blank=True)
    minutes_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("会议室")
        verbose_name_plural = _("会议室")

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待议")
        CURRENT = "current", _("正在审议")
        DONE = "done", _("已审议")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("议程"), max_length=200)
    matter = models.ForeignKey(
        Matter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["room", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "position"], name="unique_room_item_position"
            ),
            # A ballot is run by one item of one room: two chairs could otherwise
            # open and close the same vote.
            models.UniqueConstraint(
                fields=["ballot"],
                condition=models.Q(ballot__isnull=False),
                name="unique_agenda_item_ballot",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoomParticipant(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("主持人")
        SECRETARY = "secretary", _("记录人")
        MEMBER = "member", _("成员")
        INVITED = "invited", _("列席居民")
        OBSERVER = "observer", _("旁听")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=100)
    role = models.CharField(_("身份"), max_length=10, choices=Role)
    # A member with a vote: counted for the quorum.
    eligible = models.BooleanField(_("有表决权"), default=False)
    in_hall = models.BooleanField(_("现场出席"), default=False)
    muted = models.BooleanField(_("禁言"), default=False)
    # First time connected to the room online (attendance for the minutes).
    joined_at = models.DateTimeField(_("在线出席时间"), null=True, blank=True)
    # Seated from a roll: the (first) roll member's key, and the heads and area
    # (0.01 m²) this seat carries for the quorum. A body's member: "", 1 and 0.
    roll_key = models.CharField(max_length=200, blank=True)
    heads = models.PositiveIntegerField(default=1)
    area = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("参会人")
        verbose_name_plural = _("参会人")
        ordering = ["room", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "person"],
                condition=models.Q(person__isnull=False),
                name="unique_room_person",
            ),
            models.UniqueConstraint(
                fields=["room", "user"],
                condition=models.Q(user__isnull=False),
                name="unique_room_user",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False)
                | models.Q(user__isnull=False)
                | ~models.Q(roll_key=""),
                name="room_participant_person_user_or_roll",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SpeakerRequest(models.Model):
    """A raised hand: waiting, given the floor, done or withdrawn."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("排队中")
        SPEAKING = "speaking", _("正在发言")
        DONE = "done", _("已发言")
        WITHDRAWN = "withdrawn", _("已撤回")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="requests")
    participant = models.ForeignKey(
        RoomParticipant, on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.WAITING)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "participant"],
                condition=models.Q(status__in=["waiting", "speaking"]),
                name="one_open_hand_per_participant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.status}"


class Statement(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="statements")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    participant = models.ForeignKey(
        RoomParticipant, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("发言"))
    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("发言")
        verbose_name_plural = _("发言")
        ordering = ["seq"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), STATEMENT_MAX),
                name="statement_at_most_2000",
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        AGREE = "agree", _("赞同")
        DISAGREE = "disagree", _("反对")
        QUESTION = "question", _("有疑问")

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="reactions"
    )
    participant = models.ForeignKey(
        RoomParticipant, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant"], name="one_reaction_per_statement"
            )
        ]

    def __str__(self) -> str:
        return self.kind


class RoomEvent(models.Model):
    """The payload of change `seq` of a room, as announced."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="unique_room_event")
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.seq}"
