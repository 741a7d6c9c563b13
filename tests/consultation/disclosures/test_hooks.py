"""The publish hooks: called once per publication inside its transaction; one that
raises undoes the publication (nothing half-written)."""

import pytest

from consultation.disclosures import hooks, services
from consultation.disclosures.models import ChainHead
from tests.consultation.disclosures.factories import board_setup

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@pytest.fixture
def extra_hook(monkeypatch):
    registered = list(hooks._publish_hooks)
    monkeypatch.setattr(hooks, "_publish_hooks", registered)
    return registered


def _approved(board):
    entry = services.disclosure_draft(
        community=board.community,
        actor=board.staff,
        kind="major",
        title="加装电梯工作方案",
        text="方案全文。",
    )
    services.disclosure_submit(entry_id=entry.pk, actor=board.staff)
    services.disclosure_review(entry_id=entry.pk, actor=None, approve=True)
    return entry


def test_a_hook_sees_the_published_entry_once(extra_hook):
    seen = []
    hooks.register_publish_hook(lambda entry, **kw: seen.append((entry.seq, kw)))
    hooks.register_publish_hook(extra_hook[-1])  # the same callable: ignored
    board = board_setup()
    entry = _approved(board)
    services.disclosure_publish(entry_id=entry.pk, actor=board.staff)
    assert [(seq, kw["actor"]) for seq, kw in seen] == [(1, board.staff)]


def test_a_hook_that_raises_undoes_the_publication(extra_hook):
    def refuse(entry, **kw):
        raise Boom

    hooks.register_publish_hook(refuse)
    board = board_setup()
    entry = _approved(board)
    with pytest.raises(Boom):
        services.disclosure_publish(entry_id=entry.pk, actor=board.staff)
    entry.refresh_from_db()
    assert entry.state == "approved"
    assert entry.seq is None
    assert not ChainHead.objects.filter(community=board.community, seq__gt=0).exists()
