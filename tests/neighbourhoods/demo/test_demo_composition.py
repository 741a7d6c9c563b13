"""`seed_demo` composes the capabilities' demo modules; the register's is audited."""

import sys
import types

import pytest

from neighbourhoods.demo.context import DemoLogin
from neighbourhoods.management.commands import seed_demo
from neighbourhoods.models import Building, Person
from yishi.audit import AuditEntry
from yishi.privacy import ID_NUMBER_RE, PHONE_RE

from .helpers import DUTIES_LOGINS, USERNAMES, seed

pytestmark = pytest.mark.django_db


def test_the_register_demo_is_written_by_the_system_through_the_services(seeded):
    # The ballots' demo is run by the community's demo staff (consultation.*), as
    # are the pacts' (residents_pact.*, residents comment as themselves), and the
    # demo's link request is made by the resident who asks (accounts).
    lines = (
        AuditEntry.objects.exclude(target_type__startswith="consultation.")
        .exclude(target_type__startswith="residents_pact.")
        .exclude(target_type="neighbourhoods.accountlinkrequest")
    )
    assert lines.exists()
    assert not lines.exclude(actor__isnull=True, actor_name="").exists()
    actions = set(lines.values_list("action", flat=True))
    assert {
        "subdistrict_create",
        "compound_create",
        "building_create",
        "part_create",
        "person_create",
        "household_create",
        "residency_create",
        "ownership_create",
        "body_create",
        "membership_create",
        "representative_create",
        "staff_assignment_create",
        "person_link_user",
        "register_pages_sync",
        "article_page_create",
    } <= actions
    assert lines.filter(action="person_create").count() == Person.objects.count()
    assert lines.filter(action="building_create").count() == Building.objects.count()
    for label, detail in lines.values_list("target_label", "detail"):
        assert not ID_NUMBER_RE.search(f"{label} {detail}")
        assert not PHONE_RE.search(f"{label} {detail}")


def test_a_second_run_writes_no_audit_line(seeded):
    before = AuditEntry.objects.count()
    seed()
    assert AuditEntry.objects.count() == before


def test_a_capability_module_is_one_more_entry_in_the_list(seeded, monkeypatch):
    seen = {}

    def fake_seed(*, context):
        seen["logins"] = [login.username for login in context.logins]
        context.logins.append(DemoLogin("teller", "计票人", "Teller"))
        return ["选票演示 Ballots demo: 1"]

    module = types.ModuleType("tests_demo_capability")
    module.seed = fake_seed
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(
        seed_demo, "DEMO_MODULES", (*seed_demo.DEMO_MODULES, module.__name__)
    )
    output = seed()
    # Later modules see the logins of earlier ones (they build on their rows).
    assert seen["logins"] == [*USERNAMES, "newcomer", "gridworker", *DUTIES_LOGINS]
    register = output.index("演示数据 Demo data")
    ballots = output.index("选票演示 Ballots demo: 1")
    table = output.index("演示账号 Demo logins")
    assert register < ballots < table < output.index("teller")
    assert output.splitlines()[-1].endswith("http://127.0.0.1:8000/")
