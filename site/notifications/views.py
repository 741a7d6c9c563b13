"""The inbox (/notifications/) and the preferences page, for signed-in users."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .topics import registered


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request):
    if request.method == "POST":
        services.message_read(actor=request.user)
        return redirect("notifications:inbox")
    return render(
        request,
        "yishi/notifications/inbox.html",
        {"messages_list": selectors.inbox(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    pref = services.preference_of(request.user)
    saved = False
    if request.method == "POST":
        muted = [
            code for code in registered() if request.POST.get(f"topic_{code}") != "on"
        ]
        pref = services.preference_update(
            actor=request.user,
            by_email=request.POST.get("by_email") == "on",
            by_sms=request.POST.get("by_sms") == "on",
            muted_topics=muted,
        )
        saved = True
    topics = [
        {"code": code, "label": label, "on": code not in (pref.muted_topics or [])}
        for code, label in registered().items()
    ]
    return render(
        request,
        "yishi/notifications/preferences.html",
        {"pref": pref, "topics": topics, "saved": saved},
    )
