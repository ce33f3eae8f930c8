"""The bounds close whole classes of input, not single examples: these tests walk every form,
serializer, API view and model admin of the project and check each carries the rule.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.contrib import admin
from django.db import models
from django.template.loader import render_to_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from rest_framework import serializers
from rest_framework.views import APIView

from synergy.core.admin_site import SafeAdminMixin
from synergy.core.api.parsers import JSONParser
from synergy.core.validators import validate_date_range, validate_integer_range
from villages.exchange.models import VolunteerNeed

PROJECT = ("synergy", "villages", "community", "analytics")


def _project_modules(suffixes: tuple[str, ...]):
    for top in PROJECT:
        package = importlib.import_module(top)
        for info in pkgutil.walk_packages(package.__path__, f"{top}."):
            if info.name.rsplit(".", 1)[-1] in suffixes and ".methods" not in info.name:
                yield importlib.import_module(info.name)


def _classes(base, suffixes):
    seen = set()
    for module in _project_modules(suffixes):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, base) and cls.__module__ == module.__name__ and cls not in seen:
                seen.add(cls)
                yield cls


def _form_fields():
    for cls in _classes(forms.BaseForm, ("forms",)):
        for name, field in cls.base_fields.items():
            yield f"{cls.__module__}.{cls.__name__}.{name}", field


def _serializer_fields(serializer, path):
    for name, field in serializer.get_fields().items():
        here = f"{path}.{name}"
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from _serializer_fields(field, here)
            continue
        if isinstance(field, serializers.ListField | serializers.DictField):
            field = field.child
        yield here, field


def _all_serializer_fields():
    for cls in _classes(serializers.BaseSerializer, ("serializers",)):
        try:
            instance = cls()
        except TypeError:  # needs arguments to build; its fields are still declared below
            continue
        yield from _serializer_fields(instance, f"{cls.__module__}.{cls.__name__}")


@pytest.mark.django_db
def test_every_date_and_integer_field_of_every_form_is_bounded():
    checked = 0
    for where, field in _form_fields():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            assert validate_date_range in field.validators, where
            checked += 1
        elif isinstance(field, forms.IntegerField) and not isinstance(
                field, forms.FloatField | forms.DecimalField):
            assert validate_integer_range in field.validators, where
            checked += 1
    assert checked > 20  # the walk found the forms


@pytest.mark.django_db
def test_every_date_and_integer_field_of_every_serializer_is_bounded():
    checked = 0
    for where, field in _all_serializer_fields():
        if getattr(field, "read_only", False):
            continue
        if isinstance(field, serializers.DateField | serializers.DateTimeField):
            assert validate_date_range in field.validators, where
            checked += 1
        elif isinstance(field, serializers.IntegerField):
            assert validate_integer_range in field.validators, where
            checked += 1
    assert checked > 20


def test_form_dates_outside_1900_to_9000_are_refused_with_a_sentence():
    for raw in ("0001-01-01", "1899-12-31", "9001-01-01", "9999-12-31"):
        field = forms.DateField()
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(raw)
        assert "1900" in str(refused.value.messages[0])
    assert str(forms.DateField().clean("1900-01-01")) == "1900-01-01"
    assert str(forms.DateField().clean("9000-12-31")) == "9000-12-31"


def test_serializer_integer_beyond_a_postgres_integer_is_refused():
    field = serializers.IntegerField(min_value=1)
    with pytest.raises(serializers.ValidationError):
        field.run_validation(2**31)
    assert field.run_validation(2**31 - 1) == 2**31 - 1


def _views(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view = getattr(entry.callback, "cls", None) or getattr(entry.callback, "view_class", None)
            if view is not None and issubclass(view, APIView):
                yield prefix + str(entry.pattern), view


def test_every_api_view_parses_json_with_the_bounded_parser():
    checked = 0
    for route, view in _views():
        for parser in view.parser_classes:
            if parser.media_type == "application/json":
                assert issubclass(parser, JSONParser), f"{route}: {view.__name__} uses {parser}"
                checked += 1
    assert checked > 30


def test_every_model_admin_with_autocomplete_or_blank_json_uses_the_safe_mixin():
    for model, model_admin in admin.site._registry.items():
        blank_json = [f.name for f in model._meta.get_fields() if isinstance(f, models.JSONField)
                      and f.blank and not f.null and f.has_default()]
        risky = bool(model_admin.autocomplete_fields) or (blank_json and model_admin.has_add_permission)
        if risky and model._meta.app_label in {"core", "villages", "community", "exchange", "analytics"}:
            assert isinstance(model_admin, SafeAdminMixin), (model, blank_json)
        for inline in model_admin.inlines:
            if inline.autocomplete_fields:
                assert issubclass(inline, SafeAdminMixin), inline


# --------------------------------------------------------------------------- the admin


@pytest.mark.django_db
def test_admin_action_with_a_non_numeric_selection_is_refused_with_a_message(admin_user):
    """Found by the form fuzzer: _selected_action=abc on any changelist was a ValueError."""
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    url = reverse("admin:exchange_campaign_changelist")
    response = client.post(url, {"action": "delete_selected", "index": "0",
                                 "_selected_action": ["abc", "1"]}, follow=True)
    assert response.status_code == 200
    assert "not a record" in response.content.decode()


@pytest.mark.django_db
def test_admin_autocomplete_form_re_rendered_with_a_bad_id_is_a_form_error(admin_user):
    """Found: the autocomplete widget filtered pk__in=['abc'] when re-rendering (ValueError)."""
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    response = client.post(reverse("admin:core_pairing_add"), {"community": "abc", "village": "x"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors


@pytest.mark.django_db
def test_admin_add_with_empty_skills_stores_an_empty_list(admin_user, village):
    """Found: an empty JSON field became None and broke NOT NULL (IntegrityError)."""
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    form = client.get(reverse("admin:exchange_volunteerneed_add")).context["adminform"].form
    data = {name: (field.initial() if callable(field.initial) else field.initial) or ""
            for name, field in form.fields.items()}
    data.update({"village": village.pk, "title": "Teach", "category": "teaching", "skills": ""})
    response = client.post(reverse("admin:exchange_volunteerneed_add"),
                           {k: v for k, v in data.items() if v is not None})
    assert response.status_code in (200, 302)
    need = VolunteerNeed.objects.filter(title="Teach").first()
    if need is not None:
        assert need.skills == []


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"attempt_time__year": "99999999999999999999999"},
                                   {"attempt_time__year": "9999"},
                                   {"attempt_time__year": "2026", "attempt_time__month": "13"},
                                   {"attempt_time__year": "2026", "attempt_time__month": "12",
                                    "attempt_time__day": "99999999999999999999999"}])
def test_admin_date_drill_down_out_of_range_goes_back_to_the_list(admin_user, query):
    """Found by the long fuzz run: axes' access log changelist built datetime(int(year)) from the
    query (OverflowError) and added a year to 9999 (ValueError) outside Django's own try."""
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    url = reverse("admin:axes_accesslog_changelist")
    response = client.get(url, query)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"
    assert client.get(url, {"attempt_time__year": "2026", "attempt_time__month": "12"}).status_code == 200


# --------------------------------------------------------------------------- error pages


@pytest.mark.django_db
@pytest.mark.parametrize("lang,text", [("en", "Page not found (404)"), ("zh-hans", "页面不存在（404）")])
def test_404_page_is_translated(lang, text):
    response = Client(HTTP_ACCEPT_LANGUAGE=lang).get("/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.django_db
def test_403_page_is_translated(resident, community):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(resident)
    response = client.get(reverse("community:bills_export", args=[community.slug]))
    assert response.status_code == 403
    assert "无权访问（403）" in response.content.decode()


@pytest.mark.django_db
def test_400_and_csrf_pages_are_translated():
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/", {"q": "\x00"})
    assert response.status_code == 400
    assert "请求有误（400）" in response.content.decode()


def test_500_page_renders_alone_and_is_translated():
    with translation.override("zh-hans"):
        html = render_to_string("500.html")
    assert "服务器错误（500）" in html
    with translation.override("en"):
        assert "Server error (500)" in render_to_string("500.html")
