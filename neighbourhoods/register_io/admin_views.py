"""The admin's 导入名册 and 导出名册 pages.

Import is two steps: upload → dry run (the report; nothing written) → confirm. The
upload is kept in the cache for CONFIRM_SECONDS under a random token bound to the user,
so confirming needs no second upload; the confirm re-validates inside the transaction
and writes nothing if anything is wrong. A community the user may not edit is refused
(403) at both steps, and export needs read access to the community.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ..models import Community, ImportBatch
from ..permissions import can_change_register, can_view_register, communities_for
from .exports import roll_export
from .selectors import community_by_id
from .services import roll_import

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
CONFIRM_SECONDS = 15 * 60
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


class CommunityChoiceForm(forms.Form):
    """Offers only `offered` communities, but parses any id so that the view can
    answer 403 (not a form error) for a community the user may not use."""

    community = forms.ModelChoiceField(
        queryset=Community.objects.all(), label=gettext_lazy("社区")
    )

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        offered = list(offered)
        widget = self.fields["community"].widget
        widget.choices = [("", "---------")] + [(c.pk, str(c)) for c in offered]
        if len(offered) == 1 and not self.is_bound:
            self.initial.setdefault("community", offered[0].pk)


class RollUploadForm(CommunityChoiceForm):
    file = forms.FileField(
        label=gettext_lazy("名册文件"),
        help_text=gettext_lazy(
            "CSV 或 XLSX，不超过 10 MB。 CSV or XLSX, at most 10 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("文件超过 10 MB。 The file is larger than 10 MB.")
            )
        return upload


class RollExportForm(CommunityChoiceForm):
    format = forms.ChoiceField(
        label=gettext_lazy("格式"),
        choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV (UTF-8)")],
        initial="xlsx",
    )


def _cache_key(user, token: str) -> str:
    return f"neighbourhoods:roll-upload:{user.pk}:{token}"


def _keep_upload(user, community: Community, filename: str, data: bytes) -> str:
    token = secrets.token_urlsafe(24)
    value = {"community": community.pk, "filename": filename, "data": data}
    cache.set(_cache_key(user, token), value, CONFIRM_SECONDS)
    return token


def _kept_upload(user, token: str) -> dict | None:
    if not _TOKEN_RE.fullmatch(token or ""):
        return None
    value = cache.get(_cache_key(user, token))
    return value if isinstance(value, dict) else None


class _AdminPage(View):
    admin = None  # the ImportBatchAdmin that routes here
    template_name = ""

    def render(self, request, **context):
        context = {
            **self.admin.admin_site.each_context(request),
            "opts": ImportBatch._meta,
            **context,
        }
        return TemplateResponse(request, self.template_name, context)


class RollImportView(_AdminPage):
    template_name = "admin/neighbourhoods/roll_import.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        self.editable = communities_for(request.user, edit=True)
        if not self.editable.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def page(self, request, form, **context):
        return self.render(request, title=_("导入名册"), form=form, **context)

    def get(self, request):
        return self.page(request, RollUploadForm(offered=self.editable))

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        form = RollUploadForm(request.POST, request.FILES, offered=self.editable)
        if not form.is_valid():
            return self.page(request, form)
        community, upload = form.cleaned_data["community"], form.cleaned_data["file"]
        if not can_change_register(request.user, community):
            raise PermissionDenied
        data = upload.read()
        report = roll_import(
            actor=request.user,
            community=community,
            data=data,
            filename=upload.name,
            dry_run=True,
        )
        token = None
        if report.ok and report.changes:
            token = _keep_upload(request.user, community, upload.name, data)
        return self.page(request, form, report=report, community=community, token=token)

    def confirm(self, request):
        token = request.POST.get("token", "")
        kept = _kept_upload(request.user, token)
        if kept is None:
            messages.error(
                request,
                _("上传已过期，请重新上传文件。 The upload expired: upload it again."),
            )
            return redirect("admin:neighbourhoods_roll_import")
        community = community_by_id(kept["community"])
        if community is None or not can_change_register(request.user, community):
            raise PermissionDenied
        report = roll_import(
            community=community,
            data=kept["data"],
            filename=kept["filename"],
            actor=request.user,
            dry_run=False,
        )
        if not report.ok:
            form = RollUploadForm(offered=self.editable)
            return self.page(request, form, report=report, community=community)
        cache.delete(_cache_key(request.user, token))
        messages.success(
            request,
            _("名册已导入：新增或更新 %(n)d 条记录。 Roll imported: %(n)d changes.")
            % {"n": report.changes},
        )
        if report.batch_id:
            return redirect("admin:neighbourhoods_importbatch_change", report.batch_id)
        return redirect("admin:neighbourhoods_importbatch_changelist")


class RollExportView(_AdminPage):
    template_name = "admin/neighbourhoods/roll_export.html"
    http_method_names = ["get"]

    def get(self, request):
        readable = communities_for(request.user)
        if not readable.exists():
            raise PermissionDenied
        bound = "community" in request.GET
        form = RollExportForm(request.GET if bound else None, offered=readable)
        if not bound or not form.is_valid():
            return self.render(request, title=_("导出名册"), form=form)
        community, fmt = form.cleaned_data["community"], form.cleaned_data["format"]
        if not can_view_register(request.user, community):
            raise PermissionDenied
        return export_response(community, fmt)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(community: Community, fmt: str) -> HttpResponse:
    filename = f"roll-{community.slug}-{timezone.localdate():%Y%m%d}.{fmt}"
    response = HttpResponse(
        roll_export(community=community, fmt=fmt), content_type=CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
