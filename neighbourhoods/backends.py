"""Authentication backend: a signed-in user comes with their resident record.

Nearly every page a resident opens asks `request.user.person` (their roll entries,
their votes). Django's ModelBackend loads the user alone, so that was a second query
on every request; here it is one query with a JOIN (`select_related`). A user without
a resident record is loaded just the same (`user.person` then raises, as before).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        user = (
            model._default_manager.select_related("person").filter(pk=user_id).first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
