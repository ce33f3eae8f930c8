"""Issue 14: a rejected listing is edited with the reviewer's note in view and sent back to
review; photos are deleted, reordered and captioned (products and offers), through the one
upload pipeline."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from synergy.core.errors import Conflict, NotAllowed
from tests.imagefiles import image_bytes
from tests.villages.factories import OfferFactory, ProductFactory
from villages import services
from villages.models import ListingStatus, ProductPhoto, TourismOffer, TourismOfferPhoto

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _client(user, lang="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    return client


def _upload(name="p.jpg"):
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


@pytest.fixture
def rejected_offer(village, coordinator, admin_user):
    offer = OfferFactory(village=village, status=ListingStatus.PENDING, title="Tea-hill stay")
    services.listing_reject(by=admin_user, listing=offer, note="Say how far the station is.")
    return TourismOffer.objects.get(pk=offer.pk)


OFFER_POST = {"kind": "farm_stay", "title": "Tea-hill stay, 2 km from the station",
              "description": "Bus 12 from the station.", "price": "180", "capacity": "6",
              "min_nights": "1", "max_nights": "14"}


def test_rejected_offer_edit_page_shows_the_note(coordinator, rejected_offer):
    response = _client(coordinator).get(f"/villages/manage/offers/{rejected_offer.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Say how far the station is." in body and 'id="resubmit"' in body


def test_back_office_shows_the_offer_note_and_edit_link(coordinator, village, rejected_offer):
    body = _client(coordinator).get(f"/villages/manage/{village.pk}/").content.decode()
    assert "Say how far the station is." in body
    assert f"/villages/manage/offers/{rejected_offer.pk}/" in body


def test_resubmitting_a_rejected_offer_sends_it_to_review(coordinator, rejected_offer):
    response = _client(coordinator).post(f"/villages/manage/offers/{rejected_offer.pk}/",
                                         {**OFFER_POST, "resubmit": "1"})
    assert response.status_code == 302
    offer = TourismOffer.objects.get(pk=rejected_offer.pk)
    assert offer.status == ListingStatus.PENDING
    assert offer.title == OFFER_POST["title"]
    assert offer.review_note == "Say how far the station is."  # the reviewer sees what was asked


def test_saving_without_resubmit_keeps_the_draft(coordinator, rejected_offer):
    _client(coordinator).post(f"/villages/manage/offers/{rejected_offer.pk}/", OFFER_POST)
    assert TourismOffer.objects.get(pk=rejected_offer.pk).status == ListingStatus.DRAFT


def test_other_coordinator_cannot_edit_the_offer(other_coordinator, rejected_offer):
    assert _client(other_coordinator).get(
        f"/villages/manage/offers/{rejected_offer.pk}/").status_code == 404
    with pytest.raises(NotAllowed):
        services.offer_update(by=other_coordinator, offer=rejected_offer, title="x", submit=True)


def test_rejected_product_resubmitted_by_the_service(coordinator, admin_user, village):
    product = ProductFactory(village=village, status=ListingStatus.PENDING)
    services.listing_reject(by=admin_user, listing=product, note="Blurry photo.")
    product = services.product_update(by=coordinator, product=product, name="Pears", submit=True)
    assert product.status == ListingStatus.PENDING
    assert type(product).objects.get(pk=product.pk).status == ListingStatus.PENDING


def test_resubmit_leaves_a_pending_or_published_listing_as_it_is(coordinator, village):
    offer = OfferFactory(village=village)
    services.offer_update(by=coordinator, offer=offer, price=200, submit=True)
    assert TourismOffer.objects.get(pk=offer.pk).status == ListingStatus.PUBLISHED


# --- Photos ------------------------------------------------------------------------------------


@pytest.fixture
def offer_with_photos(village, coordinator):
    offer = OfferFactory(village=village)
    for caption in ("Gate", "Room", "Hill"):
        services.photo_add(by=coordinator, target=offer, upload=_upload(), caption=caption)
    return offer


def _captions(offer):
    return list(TourismOfferPhoto.objects.filter(offer=offer).order_by("position", "id")
                .values_list("caption", flat=True))


def test_photo_moves_earlier_and_later(coordinator, offer_with_photos):
    client = _client(coordinator)
    hill = TourismOfferPhoto.objects.get(caption="Hill")
    client.post(f"/villages/manage/photos/offer/{hill.pk}/up/")
    assert _captions(offer_with_photos) == ["Gate", "Hill", "Room"]
    gate = TourismOfferPhoto.objects.get(caption="Gate")
    client.post(f"/villages/manage/photos/offer/{gate.pk}/down/")
    assert _captions(offer_with_photos) == ["Hill", "Gate", "Room"]
    assert list(TourismOfferPhoto.objects.order_by("position").values_list("position", flat=True)) \
        == [0, 1, 2]


def test_photo_deleted_and_the_rest_close_up(coordinator, offer_with_photos,
                                             django_capture_on_commit_callbacks):
    gate = TourismOfferPhoto.objects.get(caption="Gate")
    storage, name = gate.image.storage, gate.image.name
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(coordinator).post(f"/villages/manage/photos/offer/{gate.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/villages/manage/offers/{offer_with_photos.pk}/"
    assert _captions(offer_with_photos) == ["Room", "Hill"]
    assert sorted(TourismOfferPhoto.objects.values_list("position", flat=True)) == [0, 1]
    assert not storage.exists(name)


def test_photo_caption_saved_and_shown(coordinator, offer_with_photos):
    room = TourismOfferPhoto.objects.get(caption="Room")
    _client(coordinator).post(f"/villages/manage/photos/offer/{room.pk}/caption/",
                              {"caption": "Twin room, hill view"})
    assert TourismOfferPhoto.objects.get(pk=room.pk).caption == "Twin room, hill view"
    body = Client().get(f"/villages/stays/{offer_with_photos.pk}/").content.decode()
    assert "<figcaption" in body and "Twin room, hill view" in body


def test_other_coordinator_cannot_touch_photos(other_coordinator, offer_with_photos):
    gate = TourismOfferPhoto.objects.get(caption="Gate")
    _client(other_coordinator).post(f"/villages/manage/photos/offer/{gate.pk}/delete/")
    assert TourismOfferPhoto.objects.filter(pk=gate.pk).exists()
    with pytest.raises(NotAllowed):
        services.photo_move(by=other_coordinator, photo=gate, offset=1)


def test_product_photo_added_with_caption_on_edit_and_managed(coordinator, village):
    product = ProductFactory(village=village)
    client = _client(coordinator)
    response = client.post(f"/villages/manage/products/{product.pk}/", {
        "name": product.name, "category": product.category, "unit": product.unit,
        "price": str(product.price), "stock": str(product.stock), "photo": _upload(),
        "photo_caption": "Fresh pears"})
    assert response.status_code == 302
    photo = ProductPhoto.objects.get(product=product)
    assert photo.caption == "Fresh pears"
    body = client.get(f"/villages/manage/products/{product.pk}/").content.decode()
    assert f"/villages/manage/photos/product/{photo.pk}/delete/" in body
    client.post(f"/villages/manage/photos/product/{photo.pk}/delete/")
    assert not ProductPhoto.objects.exists()


def test_bad_file_refused_on_the_offer_edit_form(coordinator, village):
    offer = OfferFactory(village=village)
    response = _client(coordinator).post(f"/villages/manage/offers/{offer.pk}/", {
        **OFFER_POST, "photo": SimpleUploadedFile("p.jpg", b"not a picture",
                                                  content_type="image/jpeg")})
    assert response.status_code == 200 and "photo" in response.context["form"].errors
    assert not TourismOfferPhoto.objects.exists()
    assert TourismOffer.objects.get(pk=offer.pk).title == offer.title  # nothing half-written


def test_reviewer_sees_the_earlier_note_on_a_resubmitted_offer(admin_user, coordinator,
                                                                rejected_offer):
    services.offer_update(by=coordinator, offer=rejected_offer, description="Bus 12.", submit=True)
    body = _client(admin_user).get("/villages/moderation/").content.decode()
    assert "Sent back before with this note:" in body and "Say how far the station is." in body


def test_village_photos_managed_on_the_profile_page(coordinator, village):
    first = services.photo_add(by=coordinator, target=village, upload=_upload(), caption="Gate")
    second = services.photo_add(by=coordinator, target=village, upload=_upload(), caption="Hill")
    client = _client(coordinator)
    body = client.get(f"/villages/manage/{village.pk}/profile/").content.decode()
    assert f"/villages/manage/photos/village/{second.pk}/up/" in body
    response = client.post(f"/villages/manage/photos/village/{second.pk}/up/")
    assert response["Location"] == f"/villages/manage/{village.pk}/profile/"
    assert list(village.photos.order_by("position").values_list("pk", flat=True)) == [
        second.pk, first.pk]
    client.post(f"/villages/manage/photos/village/{first.pk}/delete/")
    assert list(village.photos.values_list("pk", flat=True)) == [second.pk]


def test_moving_a_photo_deleted_meanwhile_is_a_conflict(coordinator, offer_with_photos):
    gate = TourismOfferPhoto.objects.get(caption="Gate")
    TourismOfferPhoto.objects.filter(pk=gate.pk).delete()
    with pytest.raises(Conflict):
        services.photo_move(by=coordinator, photo=gate, offset=1)
