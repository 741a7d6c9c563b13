"""Writes of residents' accounts: the only code that changes them.

Keyword-only `noun_verb` functions, atomic, taking `actor` where a person acts on
another's record; refusals raise AccountError (with an HTTP `status`) or
PermissionDenied; each change writes one audit line.

- codes: sending SMS codes and checking them (limits in `domain.codes`)
- signin: sign-up and sign-in by code, password reset by code, adding a phone
- slips: accounts staff open for residents, printed one-time sign-in slips
- links: a resident's claim of their register record, verified by staff
"""

from .codes import checked_phone, phone_code_send
from .errors import AccountError
from .links import link_request_create, link_request_reject, link_request_verify
from .signin import account_phone_bind, password_reset_by_code, phone_signin
from .slips import IssuedSlip, signin_slip_issue, signin_slip_redeem

__all__ = [
    "AccountError",
    "IssuedSlip",
    "account_phone_bind",
    "checked_phone",
    "link_request_create",
    "link_request_reject",
    "link_request_verify",
    "password_reset_by_code",
    "phone_code_send",
    "phone_signin",
    "signin_slip_issue",
    "signin_slip_redeem",
]
