"""Authentication backend: a signed-in user comes with their resident record.

Nearly every page a resident opens asks `request.user.person` (their roll entries,
their votes). Django's ModelBackend loads the user alone, so that was a second query
on every request; here it is one query with a JOIN (`select_related`). A user without
a resident record is loaded just the same (`user.person` then raises, as before).

The same query tells whether the user may ever reach Wagtail's admin
(`user.may_use_admin`): a superuser or staff member, or someone holding a group or a
permission. A resident holds none, so the pages need not ask Django's two permission
queries to learn that they see no editor's tools (`yishi/personal/scripts.html`), and a
public page may be shared between residents (`yishi/visitor_cache.py`). And it tells
whether the user holds any staff assignment (`user.has_staff_assignment`): without
one the register's permissions answer "not staff" without a query
(`neighbourhoods.permissions`). Both are read when the user is loaded — for a page,
at each request; a live socket keeps them for its connection, where they can only
deny (a new assignment takes effect on reconnecting; a withdrawn one is checked
against the database).
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from .models import StaffAssignment


@cache
def _flags(model) -> dict[str, RawSQL]:
    """The two flags as SQL of their own: the same EXISTS tests the ORM would write
    from `Exists(...)` expressions, whose compiling cost 1.3 ms of CPU on every
    page and socket (2.2 ms against 0.85 ms for the user alone, measured here);
    these compile for nothing. Table and column names come from the models."""
    q = connection.ops.quote_name
    user, pk = q(model._meta.db_table), q(model._meta.pk.column)

    def exists(through, column: str) -> str:
        table = q(through._meta.db_table)
        return (
            f"EXISTS (SELECT 1 FROM {table} "
            f"WHERE {table}.{q(through._meta.get_field(column).column)} = {user}.{pk})"
        )

    groups = exists(model.groups.through, "user")
    perms = exists(model.user_permissions.through, "user")
    admin = (
        f"({user}.{q('is_superuser')} OR {user}.{q('is_staff')} OR {groups} OR {perms})"
    )
    return {
        "may_use_admin": RawSQL(admin, (), output_field=BooleanField()),
        "has_staff_assignment": RawSQL(
            exists(StaffAssignment, "user"), (), output_field=BooleanField()
        ),
    }


@cache
def _users(model):
    """The users with their resident record and the two flags: a queryset built
    once and never evaluated itself, each `get` a clone of it (resolving the
    annotations on every request cost about 70 µs of CPU of 550, measured here)."""
    return model._default_manager.select_related("person").annotate(**_flags(model))


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = _users(model).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
