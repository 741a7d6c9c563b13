"""What the register's representative page shows from the liaison: the stations the
representative works in, coming reception days and past activities (a hook the page
calls; the register imports nothing of this capability). Rendered outside the page's
cached content, since "coming" turns into "past" with the date."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from . import selectors


@hooks.register("yishi_representative_liaison")
def representative_liaison(representative_id: int) -> list[dict]:
    found = selectors.receptions_of(representative_id, timezone.localdate())
    found["submit_url"] = (
        reverse("liaison:new") + f"?representative={representative_id}"
    )
    return [found]
