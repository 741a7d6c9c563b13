"""50 publishes at once in one community give one linear chain (PostgreSQL: each
thread has its own connection; the chain head's row lock orders them)."""

import threading

import pytest
from django.db import connections

from consultation.disclosures import selectors, services
from consultation.disclosures.models import DisclosureEntry
from tests.consultation.disclosures.factories import board_setup

WRITERS = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_never_fork_the_chain():
    board = board_setup()
    ids = []
    for i in range(WRITERS):
        entry = services.disclosure_draft(
            community=board.community,
            actor=None,
            kind="major",
            title=f"公开{i}",
            text="内容",
        )
        services.disclosure_submit(entry_id=entry.pk, actor=None)
        services.disclosure_review(entry_id=entry.pk, actor=None, approve=True)
        ids.append(entry.pk)
    start = threading.Barrier(WRITERS)
    errors = []

    def publish(entry_id):
        try:
            start.wait()
            services.disclosure_publish(entry_id=entry_id, actor=board.staff)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    seqs = sorted(
        DisclosureEntry.objects.filter(community=board.community).values_list(
            "seq", flat=True
        )
    )
    assert seqs == list(range(1, WRITERS + 1))
    verdict = selectors.chain_verdict(board.community.pk)
    assert verdict.ok
    assert verdict.checked == WRITERS
