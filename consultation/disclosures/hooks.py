"""Who must know when an entry is published.

Another capability whose records an entry discloses (the decision records: a
matter's "resolution disclosed" and "result disclosed" steps) registers a callable
here when the apps are ready; `disclosure_publish` calls each one inside its
transaction, after the entry is linked into the chain. A hook that raises undoes
the publication: nothing half-written. This keeps the import direction one way —
the others import disclosures, disclosures imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable

PublishHook = Callable[..., None]  # hook(entry, *, actor, now) -> None

_publish_hooks: list[PublishHook] = []


def register_publish_hook(hook: PublishHook) -> None:
    """Register once (a second registration of the same callable is ignored)."""
    if hook not in _publish_hooks:
        _publish_hooks.append(hook)


def run_publish_hooks(entry, *, actor, now) -> None:
    for hook in tuple(_publish_hooks):
        hook(entry, actor=actor, now=now)
