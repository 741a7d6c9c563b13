"""The register in the Django admin (/django-admin/), scoped to the staff's communities.

Who sees what follows `permissions.communities_for` (StaffAssignment), not Django's
model permissions: register staff see the communities they may read, and change those
they may edit; superusers see everything. Changing codes (街道, 社区), granting staff
rights and the import record are superuser-only. ID-card numbers are never shown
(masked tail only) and are entered through a write-only field that stores the hash.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import path
from django.utils.translation import gettext_lazy as _

from yishi.privacy import id_number_checksum_ok, normalise_id_number

from . import models, selectors, services
from .accounts import admin as accounts_admin  # noqa: F401  registers its admins
from .permissions import (
    COMMUNITY_PATHS,
    MANY_PATHS,
    communities_for,
    is_register_staff,
)
from .register_io import admin_views
from .register_io.report import ENTITY_LABELS

COUNT_KEYS = ("create", "update", "unchanged")


def scope(queryset: QuerySet, user, *, edit: bool = False) -> QuerySet:
    """`queryset` cut down to what `user` may read (or change, with edit=True)."""
    model = queryset.model
    if user.is_superuser or model not in COMMUNITY_PATHS:
        return queryset
    allowed = communities_for(user, edit=edit)
    lookup = COMMUNITY_PATHS[model]
    if not lookup:
        return queryset.filter(pk__in=allowed.values("pk"))
    condition = {f"{lookup}__in": allowed.values("pk")}
    # Paths through a many-to-many field are filtered with a subquery, never a
    # join + distinct.
    if lookup.split("__")[0] in MANY_PATHS:
        ids = model._default_manager.filter(**condition).values("pk")
        return queryset.filter(pk__in=ids)
    return queryset.filter(**condition)


class ServiceWritesAdmin(admin.ModelAdmin):
    """Every save and deletion goes through the register services, which ask
    `permissions` again and write the audit line. The register admin has no
    inlines: one would need a service of its own."""

    def save_model(self, request, obj, form, change):
        links = {
            field.name: form.cleaned_data[field.name]
            for field in obj._meta.many_to_many
            if field.name in form.cleaned_data
        }
        services.register_record_save(
            actor=request.user,
            record=obj,
            fields=[f for f in form.changed_data if f not in links] if change else (),
            links=links,
        )

    def save_related(self, request, form, formsets, change):
        # The many-to-many links were saved with the record, in save_model.
        return None

    def delete_model(self, request, obj):
        services.register_records_delete(actor=request.user, records=[obj])

    def delete_queryset(self, request, queryset):
        services.register_records_delete(actor=request.user, records=list(queryset))


class RegisterAdmin(ServiceWritesAdmin):
    """Scoped by community: querysets, object permissions and the choices in forms."""

    superuser_only_changes = False
    # Many-to-many scope: every linked community must be editable to change the object.
    all_communities_editable = False

    def _staff(self, request) -> bool:
        return request.user.is_superuser or is_register_staff(request.user)

    def _can_edit_any(self, request) -> bool:
        if request.user.is_superuser:
            return True
        if self.superuser_only_changes:
            return False
        return communities_for(request.user, edit=True).exists()

    def _in_scope(self, request, obj, *, edit: bool) -> bool:
        if request.user.is_superuser:
            return True
        own = self.model._default_manager.filter(pk=obj.pk)
        if not scope(own, request.user, edit=edit).exists():
            return False
        if edit and self.all_communities_editable:
            editable = communities_for(request.user, edit=True).values("pk")
            return not obj.communities.exclude(pk__in=editable).exists()
        return True

    def has_module_permission(self, request):
        return self._staff(request)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self._staff(request)
        return self._in_scope(request, obj, edit=False)

    def has_add_permission(self, request):
        return self._can_edit_any(request)

    def has_change_permission(self, request, obj=None):
        if not self._can_edit_any(request):
            return False
        return obj is None or self._in_scope(request, obj, edit=True)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)

    def get_field_queryset(self, db, db_field, request):
        related = db_field.remote_field.model
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            queryset = related._default_manager.using(db).all()
        if related is models.Subdistrict and not request.user.is_superuser:
            editable = communities_for(request.user, edit=True)
            return queryset.filter(communities__in=editable.values("pk")).distinct()
        return scope(queryset, request.user, edit=True)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Linking a login account or granting rights is for superusers only.
            fields += tuple(
                f.name
                for f in self.model._meta.get_fields()
                if getattr(f, "related_model", None) is get_user_model() and f.concrete
            )
        return fields


class SuperuserChangesAdmin(RegisterAdmin):
    superuser_only_changes = True


@admin.register(models.City)
class CityAdmin(SuperuserChangesAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(models.District)
class DistrictAdmin(SuperuserChangesAdmin):
    list_display = ("name", "code", "city", "slug")
    list_select_related = ("city",)
    search_fields = ("name", "code", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Subdistrict)
class SubdistrictAdmin(SuperuserChangesAdmin):
    list_display = ("name", "code", "district")
    list_select_related = ("district",)
    search_fields = ("name", "code")


@admin.register(models.Community)
class CommunityAdmin(SuperuserChangesAdmin):
    list_display = ("name", "code", "subdistrict", "slug")
    list_select_related = ("subdistrict",)
    list_filter = (("subdistrict", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "code", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.ResidentsGroup)
class ResidentsGroupAdmin(RegisterAdmin):
    list_display = ("name", "number", "community")
    list_select_related = ("community",)
    list_filter = (("community", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name",)


@admin.register(models.Grid)
class GridAdmin(RegisterAdmin):
    list_display = ("name", "code", "community", "worker_name")
    list_select_related = ("community",)
    list_filter = (("community", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "code", "worker_name")


@admin.register(models.Compound)
class CompoundAdmin(RegisterAdmin):
    all_communities_editable = True
    list_display = ("name", "slug", "subdistrict", "address")
    list_select_related = ("subdistrict",)
    list_filter = (("communities", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "slug", "address")
    filter_horizontal = ("communities",)
    prepopulated_fields = {"slug": ("name",)}


class BuildingForm(forms.ModelForm):
    class Meta:
        model = models.Building
        fields = ("compound", "community", "grid", "number")

    def clean(self):
        cleaned = super().clean()
        compound, community = cleaned.get("compound"), cleaned.get("community")
        if (
            compound
            and community
            and not selectors.compound_has_community(compound, community)
        ):
            raise forms.ValidationError(services.BUILDING_OUTSIDE_COMPOUND)
        return cleaned


@admin.register(models.Building)
class BuildingAdmin(RegisterAdmin):
    form = BuildingForm
    list_display = ("__str__", "compound", "number", "community", "grid")
    list_select_related = ("compound", "community", "grid")
    list_filter = (("community", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("number", "compound__name")
    autocomplete_fields = ("compound",)


@admin.register(models.Entrance)
class EntranceAdmin(RegisterAdmin):
    list_display = ("__str__", "building", "number")
    list_select_related = ("building__compound",)
    search_fields = ("number", "building__number", "building__compound__name")
    autocomplete_fields = ("building",)


@admin.register(models.ExclusivePart)
class ExclusivePartAdmin(RegisterAdmin):
    list_display = (
        "__str__",
        "kind",
        "area_register",
        "area_survey",
        "area_contract",
        "unit_code",
    )
    list_select_related = ("building__compound", "entrance")
    list_filter = ("kind", ("building__community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number", "building__number", "building__compound__name")
    autocomplete_fields = ("building", "entrance")


class PersonForm(forms.ModelForm):
    """The ID-card number is write-only: hashed, its last four kept, never shown."""

    id_number = forms.CharField(
        label=_("身份证号"),
        required=False,
        max_length=30,
        strip=True,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=_(
            "只在录入或更正时填写；保存后只显示后四位。留空则不修改。 "
            "Only to enter or correct it; afterwards only the last four are shown. "
            "Leave blank to keep it."
        ),
    )

    class Meta:
        model = models.Person
        fields = ("full_name", "birth_date", "phone", "home_community", "user")

    def clean_id_number(self):
        value = normalise_id_number(self.cleaned_data.get("id_number", ""))
        if not value:
            return ""
        if not id_number_checksum_ok(value):
            raise forms.ValidationError(
                _(
                    "身份证号格式或校验位不正确。 "
                    "Invalid ID number (format or check digit)."
                )
            )
        if selectors.id_number_taken(value, exclude_pk=self.instance.pk):
            raise forms.ValidationError(
                _(
                    "该身份证号已登记在另一位居民名下。 "
                    "This ID number is already registered to another person."
                )
            )
        return value

    def save(self, commit=True):
        value = self.cleaned_data.get("id_number")
        if value:
            services.with_id_number(self.instance, value)
        return super().save(commit=commit)


@admin.register(models.Person)
class PersonAdmin(RegisterAdmin):
    form = PersonForm
    list_display = (
        "full_name",
        "masked_phone_column",
        "masked_id_column",
        "birth_date",
        "home_community",
    )
    list_select_related = ("home_community",)
    list_filter = (("home_community", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("full_name",)
    readonly_fields = ("masked_id_column",)
    fields = (
        "full_name",
        "id_number",
        "masked_id_column",
        "birth_date",
        "phone",
        "home_community",
        "user",
    )

    @admin.display(description=_("手机号"))
    def masked_phone_column(self, obj):
        return obj.masked_phone

    @admin.display(description=_("身份证号"))
    def masked_id_column(self, obj):
        return obj.masked_id_number or "—"


@admin.register(models.Household)
class HouseholdAdmin(RegisterAdmin):
    list_display = ("number", "community", "residents_group", "dwelling")
    list_select_related = (
        "community",
        "residents_group__community",
        "dwelling__building__compound",
        "dwelling__entrance",
    )
    list_filter = (("community", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("number",)
    autocomplete_fields = ("dwelling",)


@admin.register(models.Residency)
class ResidencyAdmin(RegisterAdmin):
    list_display = (
        "person",
        "household",
        "kind",
        "is_representative",
        "is_group_representative",
        "start_date",
        "end_date",
    )
    list_select_related = ("person", "household__community")
    list_filter = (
        "kind",
        "is_representative",
        ("household__community", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("person__full_name", "household__number")
    autocomplete_fields = ("person", "household")


@admin.register(models.Developer)
class DeveloperAdmin(RegisterAdmin):
    list_display = ("name",)
    search_fields = ("name",)

    # Developers are shared by every community: editors may add one, only
    # superusers rename or delete one.
    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(models.Ownership)
class OwnershipAdmin(RegisterAdmin):
    list_display = (
        "part",
        "person",
        "developer",
        "basis",
        "nominated_voter",
        "start_date",
        "end_date",
    )
    list_select_related = (
        "part__building__compound",
        "part__entrance",
        "person",
        "developer",
    )
    list_filter = (
        "basis",
        "nominated_voter",
        ("part__building__community", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("person__full_name", "developer__name", "part__number")
    autocomplete_fields = ("part", "person", "developer")


@admin.register(models.Body)
class BodyAdmin(RegisterAdmin):
    list_display = ("name", "kind", "community", "compound")
    list_select_related = ("community", "compound")
    list_filter = ("kind", ("community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name",)
    autocomplete_fields = ("compound",)


@admin.register(models.Membership)
class MembershipAdmin(RegisterAdmin):
    list_display = ("person", "body", "role", "term_start", "term_end")
    list_select_related = ("person", "body")
    list_filter = ("role", ("body__community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("person__full_name", "body__name")
    autocomplete_fields = ("person", "body")


@admin.register(models.Representative)
class RepresentativeAdmin(RegisterAdmin):
    all_communities_editable = True
    list_display = ("person", "kind", "level", "title", "term_start", "term_end")
    list_select_related = ("person",)
    list_filter = ("kind", "level")
    search_fields = ("person__full_name", "title")
    autocomplete_fields = ("person",)
    filter_horizontal = ("communities",)


@admin.register(models.StaffAssignment)
class StaffAssignmentAdmin(ServiceWritesAdmin):
    """Granting register rights: superusers only (anything else would let staff
    widen their own scope)."""

    list_display = ("user", "role", "community", "subdistrict")
    list_select_related = ("user", "community", "subdistrict")
    list_filter = ("role",)
    search_fields = ("user__username", "community__name", "subdistrict__name")
    autocomplete_fields = ("community", "subdistrict")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(models.ImportBatch)
class ImportBatchAdmin(RegisterAdmin):
    """The record of applied roll imports, and the import and export pages."""

    list_display = (
        "file_column",
        "community",
        "rows_column",
        "user_column",
        "time_column",
    )
    list_select_related = ("community", "imported_by")
    list_filter = (("community", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("filename", "sha256")
    fields = readonly_fields = (
        "community",
        "file_column",
        "sha256_column",
        "user_column",
        "time_column",
        "rows_column",
        "counts_column",
    )

    @admin.display(description=_("文件名"), ordering="filename")
    def file_column(self, obj):
        return obj.filename

    @admin.display(description="SHA-256")
    def sha256_column(self, obj):
        return obj.sha256

    @admin.display(description=_("导入人"), ordering="imported_by")
    def user_column(self, obj):
        return obj.imported_by or "—"

    @admin.display(description=_("导入时间"), ordering="created_at")
    def time_column(self, obj):
        return obj.created_at

    @admin.display(description=_("数据行数"), ordering="rows")
    def rows_column(self, obj):
        return obj.rows

    @admin.display(description=_("变更"))
    def counts_column(self, obj):
        parts = []
        for key, counts in (obj.created or {}).items():
            label = ENTITY_LABELS.get(key, key)
            parts.append(
                _("%(kind)s：新增 %(create)s，更新 %(update)s，不变 %(unchanged)s")
                % {"kind": label, **{k: counts.get(k, 0) for k in COUNT_KEYS}}
            )
        return "；".join(str(p) for p in parts) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "import/",
                view(admin_views.RollImportView.as_view(admin=self)),
                name="neighbourhoods_roll_import",
            ),
            path(
                "export/",
                view(admin_views.RollExportView.as_view(admin=self)),
                name="neighbourhoods_roll_export",
            ),
            *super().get_urls(),
        ]
