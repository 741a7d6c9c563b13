"""Authentication backend: a signed-in user comes with their resident record.

Nearly every page a resident opens asks `request.user.person` (their roll entries,
their votes). Django's ModelBackend loads the user alone, so that was a second query
on every request; here it is one query with a JOIN (`select_related`). A user without
a resident record is loaded just the same (`user.person` then raises, as before).

The same query tells whether the user may ever reach Wagtail's admin
(`user.may_use_admin`): a superuser or staff member, or someone holding a group or a
permission. A resident holds none, so the pages need not ask Django's two permission
queries to learn that they see no editor's tools (`yishi/personal/scripts.html`), and a
public page may be shared between residents (`yishi/visitor_cache.py`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q


def _may_use_admin(model) -> ExpressionWrapper:
    groups = model.groups.through.objects.filter(user_id=OuterRef("pk"))
    permissions = model.user_permissions.through.objects.filter(user_id=OuterRef("pk"))
    return ExpressionWrapper(
        Q(is_superuser=True) | Q(is_staff=True) | Exists(groups) | Exists(permissions),
        output_field=BooleanField(),
    )


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        user = (
            model._default_manager.select_related("person")
            .annotate(may_use_admin=_may_use_admin(model))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
