"""The coordinator's back office and the administrators' moderation queue.

Every page fetches through a permission-aware selector (`village_get_for_coordinator`, ...);
`back_office` turns their refusal into a 404 so other villages' back offices stay hidden.
Create and edit pages go through the core `form_page` (one transaction for the listing and its
photo)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from synergy.core.errors import DomainError
from synergy.core.images import process_image
from synergy.core.web import form_page, show_domain_error
from villages import forms, selectors, services
from villages.models import ListingStatus, Product, RoundStatus
from villages.views._common import ActionView, back_office

LIVE_LISTINGS = [ListingStatus.DRAFT, ListingStatus.PENDING, ListingStatus.PUBLISHED]


@back_office
def manage_home(request: HttpRequest) -> HttpResponse:
    villages = selectors.coordinated_villages_for_back_office(user=request.user)
    if len(villages) == 1:
        return redirect("villages:manage", village_id=villages[0].pk)
    return render(request, "villages/manage_home.html", {"villages": villages})


@back_office
def manage(request: HttpRequest, village_id: int) -> HttpResponse:
    village = selectors.village_get_for_coordinator(user=request.user, pk=village_id)
    # Newest cut-off first: the open and forming rounds lead, the demo's or a year's history trails.
    rounds = list(selectors.round_list(village=village, statuses=[
        RoundStatus.OPEN, RoundStatus.FORMED, RoundStatus.DELIVERED]).order_by("-cutoff_at", "-id")[:10])
    return render(request, "villages/manage.html", {
        "village": village,
        "products": selectors.product_list(village=village, statuses=LIVE_LISTINGS),
        "offers": selectors.offer_list(village=village, statuses=LIVE_LISTINGS),
        "rounds": [(r, selectors.round_demand(viewer=request.user, round=r)) for r in rounds],
        "orders": selectors.order_list_for_village(viewer=request.user, village=village)[:30],
        "bookings": selectors.booking_list_for_village(viewer=request.user, village=village,
                                                       upcoming=True)[:30],
        "holds": selectors.booking_holds_for_village(viewer=request.user, village=village)[:50],
        "hold_hours": settings.BOOKING_HOLD_HOURS,
        "now": timezone.now(),
    })


def _save_with_photo(request, write, data: dict):
    """`write(**data)` (a listing's create or update), then its photo; the photo is checked
    first (the form's upload field ran the core pipeline), so a bad file leaves nothing
    half-written (form_page holds one transaction)."""
    data = dict(data)
    upload = data.pop("photo")
    caption = data.pop("photo_caption", "")
    processed = process_image(upload, field="photo") if upload else None
    listing = write(**data)
    if processed:
        services.photo_add(by=request.user, target=listing, processed=processed, caption=caption)
    return listing


def _listing_new(request: HttpRequest, village_id: int, *, form_class, create, saved: str,
                 title: str, kind: str) -> HttpResponse:
    """A coordinator's "new product / new offer" page: the listing and its first photo."""
    village = selectors.village_get_for_coordinator(user=request.user, pk=village_id)
    return form_page(
        request, form=form_class(request.POST or None, request.FILES or None),
        template="villages/form_page.html",
        save=lambda data: _save_with_photo(
            request, lambda **values: create(by=request.user, village=village, **values), data),
        on_success=lambda listing: redirect("villages:manage", village_id=village.pk),
        done=saved, once=kind,
        context={"village": village, "title": title, "multipart": True, "offline_draft": kind})


@back_office
def product_new(request: HttpRequest, village_id: int) -> HttpResponse:
    return _listing_new(request, village_id, form_class=forms.ProductForm,
                        create=services.product_create,
                        saved=_("Product saved and sent for review."), title=_("New product"),
                        kind="product")


@back_office
def offer_new(request: HttpRequest, village_id: int) -> HttpResponse:
    return _listing_new(request, village_id, form_class=forms.OfferForm,
                        create=services.offer_create,
                        saved=_("Offer saved and sent for review."), title=_("New tourism offer"),
                        kind="offer")


def _listing_edit(request: HttpRequest, listing, *, kind: str, form_class, update, fields,
                  done: str, title: str) -> HttpResponse:
    """A coordinator's edit page of a product or offer: its fields, the reviewer's note (a
    rejected listing is a draft with a note), its photos; "Save and send for review" resubmits
    a draft."""
    initial = {k: getattr(listing, k) for k in fields}
    resubmit = request.method == "POST" and "resubmit" in request.POST
    return form_page(
        request, form=form_class(request.POST or None, request.FILES or None, initial=initial),
        template="villages/form_page.html",
        save=lambda data: _save_with_photo(
            request, lambda **values: update(by=request.user, submit=resubmit, **values), data),
        on_success=lambda saved: redirect("villages:manage", village_id=listing.village_id),
        done=_("Saved and sent for review.") if resubmit else done,
        context={"village": listing.village, "title": title, "multipart": True,
                 "listing": listing, "kind": kind, "photos": list(listing.photos.all()),
                 "caption_form": forms.CaptionForm()})


@back_office
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_for_coordinator(user=request.user, pk=pk)
    return _listing_edit(
        request, product, kind="product", form_class=forms.ProductForm,
        update=lambda **values: services.product_update(product=product, **values),
        fields=("name", "category", "description", "unit", "price", "stock"),
        done=_("Product saved."), title=product.name)


@back_office
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for_coordinator(user=request.user, pk=pk)
    return _listing_edit(
        request, offer, kind="offer", form_class=forms.OfferForm,
        update=lambda **values: services.offer_update(offer=offer, **values),
        fields=("kind", "title", "description", "price", "capacity", "min_nights", "max_nights"),
        done=_("Offer saved."), title=offer.title)


@login_required
@require_POST
def product_stock(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk)
    form = forms.StockForm(request.POST)
    if form.is_valid():
        try:
            services.product_update(by=request.user, product=product, stock=form.cleaned_data["stock"])
            messages.success(request, _("Stock updated."))
        except DomainError as exc:
            show_domain_error(request, exc)
    else:
        messages.error(request, _("Stock must be a whole number, zero or more."))
    return redirect("villages:manage", village_id=product.village_id)


# --- Moderation steps: one view each ----------------------------------------------------------


class _ListingAction(ActionView):
    """`model` (Product or TourismOffer) is given by the route."""

    model = None
    target = "listing"
    done = gettext_lazy("Done.")

    def get_object(self, pk):
        return get_object_or_404(self.model, pk=pk)

    def default_next(self, listing) -> str:
        return reverse("villages:manage", args=[listing.village_id])


class ListingSubmitView(_ListingAction):
    service = staticmethod(services.listing_submit)


class ListingApproveView(_ListingAction):
    service = staticmethod(services.listing_approve)


class ListingRejectView(_ListingAction):
    service = staticmethod(services.listing_reject)
    form_class = forms.RejectForm
    invalid = gettext_lazy("Say what should change.")


class ListingArchiveView(_ListingAction):
    service = staticmethod(services.listing_archive)


# --- Photos: delete, move, caption (one view each; the service checks the coordinator) ------


class _PhotoAction(ActionView):
    """`model` (VillagePhoto, ProductPhoto or TourismOfferPhoto) is given by the route."""

    model = None
    target = "photo"
    done = gettext_lazy("Photos updated.")

    def get_object(self, pk):
        return get_object_or_404(self.model, pk=pk)

    def default_next(self, photo) -> str:
        if getattr(photo, "product_id", None):
            return reverse("villages:product_edit", args=[photo.product_id])
        if getattr(photo, "offer_id", None):
            return reverse("villages:offer_edit", args=[photo.offer_id])
        return reverse("villages:profile_edit", args=[photo.village_id])


class PhotoDeleteView(_PhotoAction):
    service = staticmethod(services.photo_delete)
    done = gettext_lazy("Photo deleted.")


class PhotoUpView(_PhotoAction):
    def perform(self, photo, data):
        return services.photo_move(by=self.request.user, photo=photo, offset=-1)


class PhotoDownView(_PhotoAction):
    def perform(self, photo, data):
        return services.photo_move(by=self.request.user, photo=photo, offset=1)


class PhotoCaptionView(_PhotoAction):
    service = staticmethod(services.photo_caption_set)
    form_class = forms.CaptionForm
    done = gettext_lazy("Caption saved.")
    invalid = gettext_lazy("Please check the caption: %(e)s")


# --- Profile, moderation queue --------------------------------------------------------


@back_office
def profile_edit(request: HttpRequest, village_id: int) -> HttpResponse:
    village = selectors.village_get_for_coordinator(user=request.user, pk=village_id)
    profile = getattr(village, "profile", None)
    initial = {"description": village.description,
               "industries": [i.industry for i in village.industries.all()]}
    if profile:
        initial |= {k: getattr(profile, k) for k in ("tagline", "features", "specialities",
                                                     "contact_phone")}
    photo_form = forms.PhotoForm(request.POST or None, request.FILES or None, prefix="photo")
    if request.method == "POST" and "photo-photo" in request.FILES:
        return form_page(
            request, form=photo_form, template="villages/profile_edit.html",
            save=lambda data: services.photo_add(by=request.user, target=village,
                                                 upload=data["photo"], caption=data["caption"]),
            on_success=lambda photo: redirect("villages:profile_edit", village_id=village.pk),
            done=_("Photo added."),
            context={"photo_form": photo_form, "village": village,
                     "form": forms.ProfileForm(initial=initial)})
    form = forms.ProfileForm(request.POST or None, initial=initial)
    return form_page(
        request, form=form, template="villages/profile_edit.html",
        save=lambda data: services.profile_update(by=request.user, village=village, **data),
        on_success=lambda saved: redirect("villages:village_detail", slug=village.slug),
        done=_("Village profile saved."),
        context={"photo_form": photo_form, "village": village})


@back_office
def moderation(request: HttpRequest) -> HttpResponse:
    queue = selectors.moderation_queue(viewer=request.user)
    return render(request, "villages/moderation.html", {
        "products": queue["products"], "offers": queue["offers"], "reject_form": forms.RejectForm()})
