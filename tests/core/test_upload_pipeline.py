"""Issue 11.5: every upload goes through the one pipeline (synergy.core.images / uploads).

The test walks every ImageField and FileField of every installed model, and every form and
serializer of the project that accepts a file. Each must be in WRITERS below, which says which
model field a writer fills and how to post to it for real (the page or API endpoint, as the
person allowed to). Then each writer gets three bad files:

- a PNG that claims 13 000 × 13 000 = 169 million pixels (a decompression bomb),
- a JPEG carrying EXIF with a camera model and a GPS position,
- an executable renamed as a photo or a document,

and must refuse the bomb and the executable (nothing stored, 400 from the API, no 500 from a page)
and store the JPEG only re-encoded, with no EXIF left. A new FileField, form or serializer that
is not registered here makes the walk fail; a registered one that skips the core rule fails the
posts. Admin forms may show files but never accept one.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import FileField
from django.test import Client, RequestFactory
from django.utils import timezone
from PIL import Image
from rest_framework import serializers
from rest_framework.test import APIClient

from synergy.core.models import Role
from tests.community.conftest import make_jpeg
from tests.factories import MembershipFactory, PairingFactory
from tests.imagefiles import bomb_png
from tests.villages.exchange.factories import BudgetLineFactory, CampaignFactory
from tests.villages.factories import OfferFactory, ProductFactory
from villages.exchange import services as exchange

PROJECT = ("synergy", "community", "villages", "analytics")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


# --------------------------------------------------------------------------- what writes what


@dataclass
class Writer:
    """One way to upload: a form or serializer field, the model fields it fills, and a post."""

    cls: str                      # "module.Class"
    field: str                    # the form / serializer field
    targets: tuple[str, ...]      # model fields it ends up in ("" for none: parsed, not stored)
    post: Callable | None = None  # post(world, name, data) -> response
    api: bool = False
    kind: str = "image"           # "image" or "attachment": which name the bad files get
    extra: dict = field(default_factory=dict)


def _page(user):
    c = Client()
    c.force_login(user)
    return c


def _api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def _f(name, data):
    return SimpleUploadedFile(name, data)


def notice_page(w, name, data):
    return _page(w.manager).post(f"/community/{w.community.slug}/notices/", {
        "title": "Water", "body": "Tuesday", "attachment": _f(name, data)})


def notice_api(w, name, data):
    return _api(w.manager).post(f"/api/v1/communities/{w.community.pk}/notices/", {
        "title": "Water", "body": "Tuesday", "attachment": _f(name, data)}, format="multipart")


def ticket_page(w, name, data):
    return _page(w.resident).post(f"/community/{w.community.slug}/tickets/new/", {
        "category": "plumbing", "unit": "2-301", "description": "Leak", "photos": _f(name, data)})


def ticket_api(w, name, data):
    return _api(w.resident).post(f"/api/v1/communities/{w.community.pk}/tickets/", {
        "category": "plumbing", "unit": "2-301", "description": "Leak",
        "photos": [_f(name, data)]}, format="multipart")


HOUSING = {"kind": "rent", "title": "Flat", "price": "2000", "area_m2": "60", "rooms": 2}


def housing_page(w, name, data):
    return _page(w.resident).post(f"/community/{w.community.slug}/housing/",
                                  {**HOUSING, "photos": _f(name, data)})


def housing_api(w, name, data):
    return _api(w.resident).post(f"/api/v1/communities/{w.community.pk}/housing/",
                                 {**HOUSING, "photos": [_f(name, data)]}, format="multipart")


def _spending(w):
    return {"budget_line": w.campaign.budget_lines.get().pk, "amount": "10",
            "description": "Shelf", "spent_on": str(timezone.localdate())}


def spending_page(w, name, data):
    return _page(w.coordinator).post(f"/exchange/campaigns/{w.campaign.pk}/spending/",
                                     {**_spending(w), "photo": _f(name, data)})


def spending_api(w, name, data):
    return _api(w.coordinator).post(f"/api/v1/campaigns/{w.campaign.pk}/spending/",
                                    {**_spending(w), "photo": _f(name, data)}, format="multipart")


def _investment(w):
    return {"village": w.village.pk, "title": "Cold store", "sector": "agriculture",
            "amount_sought": "100000", "use_of_funds": "Build it", "model": "loan"}


def investment_page(w, name, data):
    return _page(w.coordinator).post("/exchange/investment/new/",
                                     {**_investment(w), "attachment": _f(name, data)})


def investment_api(w, name, data):
    return _api(w.coordinator).post("/api/v1/investment-needs/",
                                    {**_investment(w), "attachment": _f(name, data)},
                                    format="multipart")


PRODUCT = {"name": "Pears", "category": "produce", "unit": "box", "price": "20", "stock": "5"}


def product_new_page(w, name, data):
    return _page(w.coordinator).post(f"/villages/manage/{w.village.pk}/products/new/",
                                     {**PRODUCT, "photo": _f(name, data)})


def product_edit_page(w, name, data):
    return _page(w.coordinator).post(f"/villages/manage/products/{w.product.pk}/",
                                     {**PRODUCT, "photo": _f(name, data)})


def offer_new_page(w, name, data):
    return _page(w.coordinator).post(f"/villages/manage/{w.village.pk}/offers/new/", {
        "kind": "farm_stay", "title": "Stay", "price": "100", "capacity": 4, "min_nights": 1,
        "max_nights": 7, "photo": _f(name, data)})


def village_photo_page(w, name, data):
    return _page(w.coordinator).post(f"/villages/manage/{w.village.pk}/profile/",
                                     {"photo-photo": _f(name, data), "photo-caption": "x"})


def _photo_api(path):
    def post(w, name, data):
        pk = {"villages": w.village.pk, "products": w.product.pk,
              "tourism-offers": w.offer.pk}[path]
        return _api(w.coordinator).post(f"/api/v1/{path}/{pk}/photos/",
                                        {"photo": _f(name, data)}, format="multipart")
    return post


PHOTOS = ("image", "thumbnail")


def _pay_page(qr):
    def post(w, name, data):
        return _page(w.coordinator).post(f"/villages/manage/{w.village.pk}/payment/",
                                         {"bank_name": "Bank", qr: _f(name, data)})
    return post


def _pay_api(qr):
    def post(w, name, data):
        return _api(w.coordinator).put(f"/api/v1/villages/{w.village.pk}/payment-instructions/",
                                       {"bank_name": "Bank", qr: _f(name, data)}, format="multipart")
    return post
WRITERS = [
    Writer("community.forms.NoticeForm", "attachment", ("community.Notice.attachment",),
           notice_page, kind="attachment"),
    Writer("community.api.serializers.NoticeInput", "attachment", ("community.Notice.attachment",),
           notice_api, api=True, kind="attachment"),
    Writer("community.forms.TicketForm", "photos", ("community.TicketPhoto.image",), ticket_page),
    Writer("community.api.serializers.TicketCreateInput", "photos", ("community.TicketPhoto.image",),
           ticket_api, api=True),
    Writer("community.forms.HousingForm", "photos", ("community.HousingPhoto.image",),
           housing_page),
    Writer("community.api.serializers.HousingInput", "photos", ("community.HousingPhoto.image",),
           housing_api, api=True),
    Writer("villages.exchange.forms.SpendingForm", "photo", ("exchange.Spending.photo",),
           spending_page),
    Writer("villages.exchange.api.serializers.SpendingInput", "photo", ("exchange.Spending.photo",),
           spending_api, api=True),
    Writer("villages.exchange.forms.InvestmentNeedForm", "attachment",
           ("exchange.InvestmentNeed.attachment",), investment_page, kind="attachment"),
    Writer("villages.exchange.api.serializers.InvestmentNeedInput", "attachment",
           ("exchange.InvestmentNeed.attachment",), investment_api, api=True, kind="attachment"),
    Writer("villages.forms.ProductForm", "photo",
           tuple(f"villages.ProductPhoto.{f}" for f in PHOTOS), product_new_page),
    Writer("villages.forms.ProductForm", "photo",
           tuple(f"villages.ProductPhoto.{f}" for f in PHOTOS), product_edit_page),
    Writer("villages.forms.OfferForm", "photo",
           tuple(f"villages.TourismOfferPhoto.{f}" for f in PHOTOS), offer_new_page),
    Writer("villages.forms.PhotoForm", "photo",
           tuple(f"villages.VillagePhoto.{f}" for f in PHOTOS), village_photo_page),
    Writer("villages.api.serializers.PhotoInput", "photo",
           tuple(f"villages.VillagePhoto.{f}" for f in PHOTOS), _photo_api("villages"), api=True),
    Writer("villages.api.serializers.PhotoInput", "photo",
           tuple(f"villages.ProductPhoto.{f}" for f in PHOTOS), _photo_api("products"), api=True),
    Writer("villages.api.serializers.PhotoInput", "photo",
           tuple(f"villages.TourismOfferPhoto.{f}" for f in PHOTOS), _photo_api("tourism-offers"),
           api=True),
    *[Writer("villages.forms.PaymentInstructionsForm", qr, (f"villages.PaymentInstructions.{qr}",),
             _pay_page(qr)) for qr in ("wechat_qr", "alipay_qr")],
    *[Writer("villages.api.payment_serializers.PaymentInstructionsInput", qr,
             (f"villages.PaymentInstructions.{qr}",), _pay_api(qr), api=True)
      for qr in ("wechat_qr", "alipay_qr")],
    # Parsed into dataset rows (the import rules of issue 11.6), never stored as a file.
    Writer("analytics.forms.DatasetUploadForm", "file", ("",)),
    Writer("analytics.views_datasets.DatasetImportForm", "file", ("",)),
    Writer("analytics.api.serializers.DatasetImportInput", "file", ("",)),
    # Parsed into invitations, one per flat (synergy.core.sheet_rows), never stored as a file.
    Writer("synergy.core.forms.InviteSheetForm", "file", ("",)),
]


# --------------------------------------------------------------------------- the walk


def _model_file_fields() -> set[str]:
    return {f"{m._meta.app_label}.{m.__name__}.{f.name}" for m in apps.get_models()
            for f in m._meta.fields if isinstance(f, FileField)}


def _subclasses(base):
    seen, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return seen


def _project_classes(base):
    for app in apps.get_app_configs():
        if app.name.startswith(PROJECT):
            for mod in ("forms", "api.serializers"):
                try:
                    importlib.import_module(f"{app.name}.{mod}")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app.name}.{mod}":
                        raise
    return {c for c in _subclasses(base) if c.__module__.startswith(PROJECT)}


def _is_file(f) -> bool:
    if isinstance(f, serializers.ListField):
        f = f.child
    return isinstance(f, forms.FileField | serializers.FileField)


def _upload_fields() -> set[tuple[str, str]]:
    """(class, field) of every project form or serializer field that accepts a file."""
    found = set()
    for cls in _project_classes(forms.BaseForm):
        for name, f in cls.base_fields.items():
            if _is_file(f):
                found.add((f"{cls.__module__}.{cls.__qualname__}", name))
    for cls in _project_classes(serializers.BaseSerializer):
        try:
            fields = cls().fields
        except Exception:  # a serializer that needs arguments: its declared fields suffice
            fields = cls._declared_fields
        for name, f in fields.items():
            if _is_file(f) and not f.read_only:
                found.add((f"{cls.__module__}.{cls.__qualname__}", name))
    return found


def test_every_model_file_field_has_a_registered_writer():
    written = {t for w in WRITERS for t in w.targets if t}
    assert _model_file_fields() - written == set(), (
        "a new ImageField/FileField: route its forms and serializers through synergy.core.images "
        "or synergy.core.uploads and register them in WRITERS")
    assert written - _model_file_fields() == set()  # no stale entry


def test_every_form_and_serializer_that_accepts_a_file_is_registered():
    registered = {(w.cls, w.field) for w in WRITERS}
    found = _upload_fields()
    assert found - registered == set(), (
        "a form or serializer accepts a file: register it in WRITERS with a real post")
    assert registered - found == set()


def test_no_admin_form_accepts_a_file(db):
    """The admin shows public files and hides private ones; uploads go through the pages."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True)
    offenders = []
    for model, model_admin in admin.site._registry.items():
        forms_to_check = [model_admin.get_form(request)]
        forms_to_check += [inline.get_formset(request).form
                           for inline in model_admin.get_inline_instances(request)]
        for form in forms_to_check:
            offenders += [f"{model.__name__}.{n}" for n, f in form.base_fields.items()
                          if isinstance(f, forms.FileField)]
    assert offenders == []


# --------------------------------------------------------------------------- the posts


@pytest.fixture(scope="module")
def bomb():
    return bomb_png(13_000)     # 169 megapixels, a few kilobytes


@pytest.fixture
def world(db, community, village):
    class W:
        pass

    w = W()
    w.community, w.village = community, village
    PairingFactory(community=community, village=village)
    w.resident = MembershipFactory(role=Role.RESIDENT, community=community, unit="2-301").user
    w.manager = MembershipFactory(role=Role.PROPERTY_MANAGER, community=community, unit="").user
    w.coordinator = MembershipFactory(role=Role.COORDINATOR, village=village, unit="").user
    w.campaign = CampaignFactory(village=village)
    BudgetLineFactory(campaign=w.campaign)
    exchange.donation_give(donor=w.resident, campaign=w.campaign, amount=Decimal("500"),
                           idempotency_key="pipeline")
    w.product = ProductFactory(village=village)
    w.offer = OfferFactory(village=village)
    return w


def _stored(targets) -> dict[str, bytes]:
    out = {}
    for label in targets:
        app_label, model_name, name = label.split(".")
        model = apps.get_model(app_label, model_name)
        for f in model.objects.exclude(**{name: ""}):
            ff = getattr(f, name)
            out[f"{label}:{ff.name}"] = Path(ff.path).read_bytes()
    return out


POSTED = [w for w in WRITERS if w.post]


def _id(w):
    return f"{w.cls.rsplit('.', 1)[1]}.{w.field}-{w.post.__name__}"


def _refused(w, response, before, after):
    assert response.status_code < 500
    if w.api:
        assert response.status_code == 400, response.content
        assert w.field in response.json(), response.json()
    assert after.keys() == before.keys(), f"{w.cls}.{w.field} stored a bad file"


@pytest.mark.parametrize("writer", POSTED, ids=_id)
def test_a_decompression_bomb_is_refused(writer, world, bomb):
    name = "bomb.png"
    before = _stored(writer.targets)
    response = writer.post(world, name, bomb)
    _refused(writer, response, before, _stored(writer.targets))


@pytest.mark.parametrize("writer", POSTED, ids=_id)
def test_an_executable_renamed_is_refused(writer, world):
    name = "plan.pdf" if writer.kind == "attachment" else "photo.jpg"
    before = _stored(writer.targets)
    response = writer.post(world, name, EXE)
    _refused(writer, response, before, _stored(writer.targets))


@pytest.mark.parametrize("writer", POSTED, ids=_id)
def test_a_photo_with_gps_is_stored_only_reencoded(writer, world):
    upload = make_jpeg("holiday.jpg")
    data = upload.read()
    assert b"SpyPhone" in data
    before = _stored(writer.targets)
    response = writer.post(world, "holiday.jpg", data)
    assert response.status_code < 400, getattr(response, "content", b"")[:500]
    new = {k: v for k, v in _stored(writer.targets).items() if k not in before}
    assert new, f"{writer.cls}.{writer.field} stored nothing: the post did not reach the service"
    for key, stored in new.items():
        assert stored != data, key
        assert b"SpyPhone" not in stored, key
        with Image.open(io.BytesIO(stored)) as img:
            assert img.format == "JPEG" and not dict(img.getexif()), key
        assert "holiday" not in key, key      # the uploader's file name is not kept
