"""The password sign-in form: a resident may type their mobile number instead of
the account name, in any form (+86, spaces)."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm

from . import selectors


class PhoneOrUsernameAuthenticationForm(AuthenticationForm):
    """Django's form, with a typed mobile number turned into its account's name
    before the password is checked, so django-axes counts failures per account
    however the number was typed."""

    def clean_username(self) -> str:
        typed = str(self.cleaned_data.get("username") or "")
        return selectors.username_for_signin(typed)
