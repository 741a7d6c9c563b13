"""The demo is idempotent and deterministic, and never runs in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management.base import CommandError
from django.test import override_settings

from neighbourhoods import demo
from neighbourhoods.models import Person, Residency
from neighbourhoods.pages import CommunityPage

from .helpers import fingerprint, row_counts, seed, wipe_demo

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def test_second_run_creates_and_changes_nothing(seeded):
    counts, before = row_counts(), fingerprint()
    output = seed()
    assert row_counts() == counts
    assert fingerprint() == before
    assert "本次未新建任何记录" in output
    assert "Created this run" not in output
    assert output.splitlines()[-1].endswith("http://127.0.0.1:8000/")


def test_rerun_keeps_edits_restores_missing_rows_and_demo_passwords(seeded):
    person = Person.objects.get(user__username="owner")
    person.phone = "13900000000"
    person.save()
    residency = Residency.objects.filter(is_representative=False).first()
    key = (residency.person_id, residency.household_id)
    residency.delete()
    user = get_user_model().objects.get(username="committee")
    user.set_password("changed-by-hand-1")
    user.save()

    output = seed()

    person.refresh_from_db()
    assert person.phone == "13900000000"  # an editor's change survives
    assert Residency.objects.filter(person_id=key[0], household_id=key[1]).exists()
    assert authenticate(username="committee", password=demo.DEMO_PASSWORD)
    assert "居住关系 residencies 1" in output


def test_a_fresh_database_gets_the_same_content(seeded):
    before = fingerprint()
    wipe_demo()
    assert not Person.objects.exists()
    assert not CommunityPage.objects.exists()
    seed()
    assert fingerprint() == before


def test_the_plan_is_the_same_in_another_process(plan):
    """Set- or hash-order slips would show up under another PYTHONHASHSEED."""
    code = (
        "import django; django.setup(); "
        "from neighbourhoods.demo import build_plan; print(build_plan().digest())"
    )
    other_seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONHASHSEED": other_seed,
            "DJANGO_SETTINGS_MODULE": "yishi.settings.test",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == plan.digest()


@override_settings(SETTINGS_MODULE="yishi.settings.production")
def test_refuses_under_production_settings():
    with pytest.raises(CommandError, match="production"):
        seed()
