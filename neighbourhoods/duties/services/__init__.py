"""The only code that writes community duties; one module per part of the work."""

from .admission import (
    admission_apply,
    admission_close,
    admission_community_view,
    admission_consult_close,
    admission_decide,
    admission_enter,
    admission_subdistrict_view,
    task_refuse,
)
from .assessment import assessment_publish, indicator_system_adopt
from .certificates import certificate_issue, certificate_refuse, seal_use_record
from .errors import DutyError
from .lists import (
    list_item_add,
    list_item_update,
    list_version_create,
    list_version_publish,
)
from .places import (
    authority_ensure,
    authority_member_add,
    district_ensure,
    subdistrict_attach,
)
from .records import (
    cancellation_record,
    ledger_file,
    ledger_template_register,
    meeting_notice_record,
)

__all__ = [
    "DutyError",
    "admission_apply",
    "admission_close",
    "admission_community_view",
    "admission_consult_close",
    "admission_decide",
    "admission_enter",
    "admission_subdistrict_view",
    "assessment_publish",
    "authority_ensure",
    "authority_member_add",
    "cancellation_record",
    "certificate_issue",
    "certificate_refuse",
    "district_ensure",
    "indicator_system_adopt",
    "ledger_file",
    "ledger_template_register",
    "list_item_add",
    "list_item_update",
    "list_version_create",
    "list_version_publish",
    "meeting_notice_record",
    "seal_use_record",
    "subdistrict_attach",
    "task_refuse",
]
