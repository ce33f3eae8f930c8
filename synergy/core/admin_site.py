"""The admin site, with the ids a changelist action receives checked before Django uses them.

Django filters `pk__in=<the ticked boxes>` without parsing them, so a hand-made POST with
`_selected_action=abc` was a ValueError (a 500) on every changelist. This site refuses such a
request with a message, as Django does when nothing is ticked. `AdminConfig` below (listed in
INSTALLED_APPS instead of django.contrib.admin) makes it the default `admin.site`, so every
registered model admin, axes' too, is covered.
"""

from __future__ import annotations

from functools import update_wrapper

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _


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


class SynergyAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        if not isinstance(model_admin, admin.ModelAdmin):
            return inner

        def checked(request, *args, **kwargs):
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
