"""The admin site, with what a changelist receives checked before Django uses it.

Django filters `pk__in=<the ticked boxes>` without parsing them, so a hand-made POST with
`_selected_action=abc` was a ValueError (a 500) on every changelist. This site refuses such a
request with a message, as Django does when nothing is ticked. `AdminConfig` below (listed in
INSTALLED_APPS instead of django.contrib.admin) makes it the default `admin.site`, so every
registered model admin, axes' too, is covered. The date drill-down (`date_hierarchy`) is
checked the same way.
"""

from __future__ import annotations

import re
from functools import update_wrapper

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from synergy.core.validators import MAX_YEAR, MIN_YEAR


def _bad_ids_for(field, raw: list[str]) -> list[str]:
    """The values in `raw` that `field` (a primary key or a to_field) cannot hold."""
    bad = []
    for value in raw:
        try:
            field.run_validators(field.to_python(value))
        except (ValidationError, ValueError, TypeError):
            bad.append(value)
    return bad


def _bad_ids(model, raw: list[str]) -> list[str]:
    return _bad_ids_for(model._meta.pk, raw)


def _bad_date_hierarchy(model_admin, request) -> bool:
    """True if the date drill-down's year, month or day is not a plain number in range: Django
    builds `datetime(int(year), ...)` and then adds a day or a year outside its own try, so
    `year=99999999999999999999` (OverflowError) or `year=9999` (year 10000) were a 500."""
    field = model_admin.date_hierarchy
    if not field:
        return False
    bounds = {"year": (MIN_YEAR, MAX_YEAR), "month": (1, 12), "day": (1, 31)}
    for part, (low, high) in bounds.items():
        for raw in request.GET.getlist(f"{field}__{part}"):
            if not re.fullmatch(r"[0-9]{1,4}", raw) or not low <= int(raw) <= high:
                return True
    return False


class SynergyAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        if not isinstance(model_admin, admin.ModelAdmin):
            return inner

        def checked(request, *args, **kwargs):
            if _bad_date_hierarchy(model_admin, request):
                # What Django itself answers to lookups it cannot use: the list, flagged.
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
            if request.method == "POST" and _bad_ids(
                    model_admin.model, request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
                messages.error(request, _("The selection contains an id that is not a record; "
                                          "tick the rows again."))
                return HttpResponseRedirect(request.get_full_path())
            return inner(request, *args, **kwargs)

        return update_wrapper(checked, inner)


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with this module's site as the default `admin.site`."""

    default_site = "synergy.core.admin_site.SynergyAdminSite"


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, re-rendering a refused form without the ids that are not
    ids (Django filters `pk__in` with what was posted: `abc` was a ValueError, a 500)."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        name_of_target = getattr(remote, "field_name", None)
        target = remote.model._meta.get_field(name_of_target) if name_of_target else remote.model._meta.pk
        return super().optgroups(name, [v for v in value if not _bad_ids_for(target, [v])], attr)


class SafeAdminMixin:
    """For model admins: autocomplete fields use SafeAutocompleteSelect, and a JSON field that
    may be left blank but not null (`default=list`) takes its default when left empty instead of
    None (a NOT NULL violation, a 500)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        blank_json = (isinstance(db_field, models.JSONField) and db_field.blank and not db_field.null
                      and db_field.has_default())
        if blank_json:
            kwargs.setdefault("form_class", BlankAsDefaultJSONField)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if blank_json and isinstance(field, BlankAsDefaultJSONField):
            field.empty_default = db_field.get_default
        return field


class BlankAsDefaultJSONField(forms.JSONField):
    empty_default = staticmethod(lambda: None)

    def to_python(self, value):
        result = super().to_python(value)
        return self.empty_default() if result is None else result
