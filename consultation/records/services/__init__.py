"""Records services: the only code that writes matters, meetings and proposals.

matters.py     open a matter; steps that are not meetings; revise, end;
               supervision opinions; attachments
meetings.py    a step's meeting (counts, vote, rule, outcome); signatures
proposals.py   residents' proposals: support, withdraw, paper, groups, agenda
disclosure.py  the payload a disclosure step publishes
"""

from .disclosure import matter_disclose, matter_step_disclosure_payload
from .errors import RecordsConflict, RecordsError, RecordsForbidden, RecordsNotFound
from .matters import (
    attachment_add,
    matter_create,
    matter_end,
    matter_revise,
    matter_step_record,
    supervision_opinion_record,
)
from .meetings import (
    MeetingInput,
    MinutesInput,
    attendance_confirm,
    meeting_minutes_record,
    meeting_record,
    meeting_rule,
    sign_in_sheet_upload,
)
from .proposals import (
    proposal_create,
    proposal_group_act_record,
    proposal_paper_supports_record,
    proposal_place_on_agenda,
    proposal_support,
    proposal_support_withdraw,
)

__all__ = [
    "MeetingInput",
    "MinutesInput",
    "RecordsConflict",
    "RecordsError",
    "RecordsForbidden",
    "RecordsNotFound",
    "attachment_add",
    "attendance_confirm",
    "matter_create",
    "matter_disclose",
    "matter_end",
    "matter_revise",
    "matter_step_disclosure_payload",
    "matter_step_record",
    "meeting_minutes_record",
    "meeting_record",
    "meeting_rule",
    "proposal_create",
    "proposal_group_act_record",
    "proposal_paper_supports_record",
    "proposal_place_on_agenda",
    "proposal_support",
    "proposal_support_withdraw",
    "sign_in_sheet_upload",
    "supervision_opinion_record",
]
