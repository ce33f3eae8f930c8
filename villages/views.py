"""HTML pages of the village node: parse, authorise (one selector), call one service or selector."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy.core import selectors as core_selectors
from synergy.core.errors import DomainError
from synergy.core.images import process_image
from synergy.core.models import Village
from synergy.core.validators import parse_date_param
from synergy.core.web import safe_next, show_domain_error
from villages import forms, selectors, services
from villages.models import (
    Booking,
    GroupBuyRound,
    ListingStatus,
    Order,
    Product,
    TourismOffer,
)

CART = "villages_cart"
PAGE_SIZE = 12




def _require_coordinator(request, village_id: int) -> None:
    if not core_selectors.user_coordinates_village(user=request.user, village=village_id):
        raise Http404  # do not reveal other villages' back office


# --- Public pages ----------------------------------------------------------------------------


def village_list(request: HttpRequest) -> HttpResponse:
    form = forms.VillageFilterForm(request.GET or None, regions=selectors.village_regions())
    filters = form.cleaned_data if form.is_valid() else {}
    villages = selectors.village_list(region=filters.get("region", ""),
                                      industry=filters.get("industry", ""),
                                      search=filters.get("q", ""))
    return render(request, "villages/village_list.html", {"form": form, "villages": villages})


def village_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        village = selectors.village_get(slug=slug)
    except Village.DoesNotExist:
        raise Http404 from None
    return render(request, "villages/village_detail.html", {
        "village": village,
        "profile": getattr(village, "profile", None),  # None when the village has no profile yet
        "coordinators": selectors.village_coordinators(village=village),
        "products": selectors.product_list(village=village)[:12],
        "offers": selectors.offer_list(village=village),
        "rounds": selectors.round_list(village=village, open_only=True),
        "can_manage": core_selectors.user_coordinates_village(user=request.user, village=village),
    })


def product_list(request: HttpRequest) -> HttpResponse:
    form = forms.ProductFilterForm(request.GET or None, villages=core_selectors.village_list())
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.product_list(
        village=int(f["village"]) if f.get("village") else None, category=f.get("category", ""),
        search=f.get("q", ""), min_price=f.get("min_price"), max_price=f.get("max_price"),
        in_stock=True if f.get("in_stock") else None, ordering=f.get("sort", ""),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "villages/product_list.html", {
        "form": form, "page": page, "query": query.urlencode()})


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        product = selectors.product_get_for_viewer(viewer=request.user, pk=pk)
    except Product.DoesNotExist:
        raise Http404 from None
    return render(request, "villages/product_detail.html", {
        "product": product, "form": forms.AddToCartForm(),
        "rounds": selectors.round_list(village=product.village_id, open_only=True),
    })


# --- Cart, checkout, my orders ---------------------------------------------------------------


@require_POST
def cart_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk, status=ListingStatus.PUBLISHED)
    form = forms.AddToCartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a quantity between 1 and 999."))
        return redirect("villages:product_detail", pk=pk)
    cart = request.session.get(CART, {})
    lines = selectors.cart_lines(cart=cart)
    if lines and lines[0].product.village_id != product.village_id:
        cart = {}
        messages.info(request, _("An order holds products of one village: your cart was emptied."))
    cart[str(pk)] = min(999, cart.get(str(pk), 0) + form.cleaned_data["quantity"])
    request.session[CART] = cart
    messages.success(request, _("Added to your cart."))
    return redirect("villages:cart")


@require_POST
def cart_remove(request: HttpRequest, pk: int) -> HttpResponse:
    cart = request.session.get(CART, {})
    cart.pop(str(pk), None)
    request.session[CART] = cart
    return redirect("villages:cart")


def cart(request: HttpRequest) -> HttpResponse:
    lines = selectors.cart_lines(cart=request.session.get(CART, {}))
    options = []
    if lines and request.user.is_authenticated:
        options = selectors.checkout_options(user=request.user, village_id=lines[0].product.village_id)
    form = forms.CheckoutForm(options=[(o.value, o.value) for o in options])
    return render(request, "villages/cart.html", {
        "lines": lines, "options": options, "form": form,
        "total": sum((line.line_total for line in lines), 0),
    })


@login_required
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    lines = selectors.cart_lines(cart=request.session.get(CART, {}))
    if not lines:
        return redirect("villages:cart")
    options = {o.value: o for o in selectors.checkout_options(
        user=request.user, village_id=lines[0].product.village_id)}
    choice = options.get(request.POST.get("pickup", ""))
    if choice is None:
        messages.error(request, _("Choose where to pick up your order."))
        return redirect("villages:cart")
    try:
        order = services.order_place(
            buyer=request.user, pickup_community=choice.community, round=choice.round,
            items=[{"product": line.product.pk, "quantity": line.quantity} for line in lines])
    except DomainError as exc:
        show_domain_error(request, exc)
        return redirect("villages:cart")
    request.session[CART] = {}
    messages.success(request, _("Order placed. Pick it up at: %(point)s") % {"point": order.pickup_point})
    return redirect("villages:order_detail", pk=order.pk)


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.order_list_for_buyer(buyer=request.user), 20).get_page(
        request.GET.get("page"))
    return render(request, "villages/my_orders.html", {"page": page})


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        order = selectors.order_get_for_user(user=request.user, pk=pk)
    except Order.DoesNotExist:
        raise Http404 from None
    return render(request, "villages/order_detail.html", {
        "order": order, "pay_form": forms.PaymentForm(),
        "refund_form": forms.RefundForm(initial={"refund_amount": getattr(
            getattr(order, "payment", None), "amount", None)}),
        "is_coordinator": core_selectors.user_coordinates_village(user=request.user,
                                                                 village=order.village_id),
    })


@login_required
@require_POST
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        order = selectors.order_get_for_user(user=request.user, pk=pk)
    except Order.DoesNotExist:
        raise Http404 from None
    try:
        if action == "cancel":
            services.order_cancel(by=request.user, order=order)
            messages.success(request, _("Order cancelled."))
        elif action == "refund":
            form = forms.RefundForm(request.POST)
            if form.is_valid():
                services.order_cancel(by=request.user, order=order, **form.cleaned_data)
                messages.success(request, _("Order cancelled and refund recorded."))
            else:
                messages.error(request, _("Please check the refund: %(e)s") % {
                    "e": "; ".join(" ".join(v) for v in form.errors.values())})
                return redirect("villages:order_detail", pk=pk)
        elif action == "collect":
            services.order_collect(by=request.user, order=order)
            messages.success(request, _("Marked as collected. Enjoy!"))
        elif action == "deliver":
            services.order_mark_delivered(by=request.user, order=order)
            messages.success(request, _("Marked as delivered."))
        elif action == "pay":
            form = forms.PaymentForm(request.POST)
            if form.is_valid():
                services.order_mark_paid(by=request.user, order=order, **form.cleaned_data)
                messages.success(request, _("Payment recorded."))
        else:
            raise Http404
    except DomainError as exc:
        show_domain_error(request, exc)
    return redirect(safe_next(request, reverse("villages:order_detail", args=[pk])))


# --- Stays and bookings ----------------------------------------------------------------------


def stay_list(request: HttpRequest) -> HttpResponse:
    form = forms.StayDateForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    date = f.get("date") or timezone.localdate()
    offers = list(selectors.offer_list(kind=f.get("kind", "")))
    availability = selectors.offers_on_date(offers=offers, date=date)
    return render(request, "villages/stay_list.html", {
        "form": form, "date": date,
        "rows": [(o, availability[o.pk]) for o in offers],
    })


def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        offer = selectors.offer_get_for_viewer(viewer=request.user, pk=pk)
    except TourismOffer.DoesNotExist:
        raise Http404 from None
    start = max(parse_date_param(request.GET.get("from"), timezone.localdate()), timezone.localdate())
    form = forms.BookingForm(request.POST or None, initial={
        "start_date": start + dt.timedelta(days=1),
        "end_date": start + dt.timedelta(days=1 + offer.min_nights if offer.overnight else 1)})
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        if form.is_valid():
            try:
                services.booking_create(guest=request.user, offer=offer, **form.cleaned_data)
            except DomainError as exc:
                show_domain_error(request, exc, form)
            else:
                messages.success(request, _("Booking requested; the village will confirm it."))
                return redirect("villages:my_bookings")
    calendar = selectors.offer_calendar(offer=offer, start=start, days=28)
    return render(request, "villages/offer_detail.html", {
        "offer": offer, "form": form, "calendar": calendar,
        "next_from": (start + dt.timedelta(days=28)).isoformat(),
        "prev_from": (start - dt.timedelta(days=28)).isoformat() if start > timezone.localdate() else "",
    })


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    return render(request, "villages/my_bookings.html", {
        "bookings": selectors.booking_list_for_guest(guest=request.user)})


@login_required
@require_POST
def booking_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        booking = selectors.booking_get_for_user(user=request.user, pk=pk)
    except Booking.DoesNotExist:
        raise Http404 from None
    try:
        if action == "cancel":
            services.booking_cancel(by=request.user, booking=booking)
            messages.success(request, _("Booking cancelled."))
        elif action == "confirm":
            services.booking_confirm(by=request.user, booking=booking)
            messages.success(request, _("Booking confirmed."))
        else:
            raise Http404
    except DomainError as exc:
        show_domain_error(request, exc)
    return redirect(safe_next(request, reverse("villages:my_bookings")))


# --- Coordinator dashboard -------------------------------------------------------------------


@login_required
def manage_home(request: HttpRequest) -> HttpResponse:
    villages = list(selectors.coordinated_villages(user=request.user))
    if len(villages) == 1:
        return redirect("villages:manage", village_id=villages[0].pk)
    if not villages:
        raise Http404
    return render(request, "villages/manage_home.html", {"villages": villages})


@login_required
def manage(request: HttpRequest, village_id: int) -> HttpResponse:
    _require_coordinator(request, village_id)
    village = get_object_or_404(Village, pk=village_id)
    rounds = list(selectors.round_list(village=village).exclude(status="cancelled")[:10])
    return render(request, "villages/manage.html", {
        "village": village,
        "products": selectors.product_list(village=village, statuses=ListingStatus.values)
        .exclude(status=ListingStatus.ARCHIVED),
        "offers": selectors.offer_list(village=village, statuses=ListingStatus.values)
        .exclude(status=ListingStatus.ARCHIVED),
        "rounds": [(r, selectors.round_demand(round=r)) for r in rounds],
        "orders": selectors.order_list_for_village(village=village)[:30],
        "bookings": selectors.booking_list_for_village(village=village)
        .filter(end_date__gte=timezone.localdate()).exclude(status__in=["cancelled", "expired"])[:30],
        "holds": selectors.booking_holds_for_village(village=village)[:50],
        "hold_hours": settings.BOOKING_HOLD_HOURS,
        "now": timezone.now(),
    })


def _save_photo(request, target, upload, form=None) -> bool:
    if not upload:
        return True
    try:
        services.photo_add(by=request.user, target=target, upload=upload)
    except DomainError as exc:
        show_domain_error(request, exc, form)
        return False
    return True


def _listing_new(request: HttpRequest, village_id: int, *, form_class, create, saved: str,
                 title: str) -> HttpResponse:
    """A coordinator's "new product / new offer" page: the listing and its first photo."""
    _require_coordinator(request, village_id)
    village = get_object_or_404(Village, pk=village_id)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("photo")
        try:
            # The photo is checked first, so a bad file leaves no half-made listing behind.
            processed = process_image(upload, field="photo") if upload else None
            listing = create(by=request.user, village=village, **data)
            if processed:
                services.photo_add(by=request.user, target=listing, processed=processed)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, saved)
            return redirect("villages:manage", village_id=village.pk)
    return render(request, "villages/form_page.html", {
        "form": form, "village": village, "title": title, "multipart": True})


@login_required
def product_new(request: HttpRequest, village_id: int) -> HttpResponse:
    return _listing_new(request, village_id, form_class=forms.ProductForm,
                        create=services.product_create,
                        saved=_("Product saved and sent for review."), title=_("New product"))


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk)
    _require_coordinator(request, product.village_id)
    initial = {k: getattr(product, k) for k in ("name", "category", "description", "unit",
                                                "price", "stock")}
    form = forms.ProductForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("photo")
        try:
            services.product_update(by=request.user, product=product, **data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            if _save_photo(request, product, upload, form):
                messages.success(request, _("Product saved."))
                return redirect("villages:manage", village_id=product.village_id)
    return render(request, "villages/form_page.html", {
        "form": form, "village": product.village, "title": product.name, "multipart": True})


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


@login_required
@require_POST
def listing_action(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    model = {"product": Product, "offer": TourismOffer}.get(kind)
    if model is None:
        raise Http404
    listing = get_object_or_404(model, pk=pk)
    try:
        if action == "submit":
            services.listing_submit(by=request.user, listing=listing)
        elif action == "archive":
            services.listing_archive(by=request.user, listing=listing)
        elif action == "approve":
            services.listing_approve(by=request.user, listing=listing)
        elif action == "reject":
            form = forms.RejectForm(request.POST)
            services.listing_reject(by=request.user, listing=listing,
                                    note=form.data.get("note", ""))
        else:
            raise Http404
        messages.success(request, _("Done."))
    except DomainError as exc:
        show_domain_error(request, exc)
    return redirect(safe_next(request, reverse("villages:manage", args=[listing.village_id])))


@login_required
def round_new(request: HttpRequest, village_id: int) -> HttpResponse:
    _require_coordinator(request, village_id)
    village = get_object_or_404(Village, pk=village_id)
    form = forms.RoundForm(request.POST or None,
                           communities=core_selectors.paired_communities(village=village))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.round_open(by=request.user, village=village, title=data["title"],
                                cutoff_at=data["cutoff_at"], delivery_date=data["delivery_date"],
                                note=data["note"], pickups=form.pickups())
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("Round opened."))
            return redirect("villages:manage", village_id=village.pk)
    return render(request, "villages/form_page.html", {
        "form": form, "village": village, "title": _("Open a group-buy round")})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(selectors.round_list(), pk=pk)
    _require_coordinator(request, round_.village_id)
    return render(request, "villages/round_detail.html", {
        "round": round_, "demand": selectors.round_demand(round=round_),
        "orders": selectors.order_list_for_village(village=round_.village_id, round=round_),
        "now": timezone.now(),
    })


@login_required
@require_POST
def round_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(GroupBuyRound, pk=pk)
    try:
        count = services.round_deliver(by=request.user, round=round_)
        messages.success(request, _("Round delivered: %(n)s orders ready for pickup.") % {"n": count})
    except DomainError as exc:
        show_domain_error(request, exc)
    return redirect("villages:round_detail", pk=pk)


@login_required
def offer_new(request: HttpRequest, village_id: int) -> HttpResponse:
    return _listing_new(request, village_id, form_class=forms.OfferForm,
                        create=services.offer_create,
                        saved=_("Offer saved and sent for review."), title=_("New tourism offer"))


@login_required
def profile_edit(request: HttpRequest, village_id: int) -> HttpResponse:
    _require_coordinator(request, village_id)
    village = get_object_or_404(selectors.village_list(), pk=village_id)
    profile = getattr(village, "profile", None)
    initial = {"description": village.description,
               "industries": [i.industry for i in village.industries.all()]}
    if profile:
        initial |= {k: getattr(profile, k) for k in ("tagline", "features", "specialities",
                                                     "contact_phone")}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    photo_form = forms.PhotoForm(request.POST or None, request.FILES or None, prefix="photo")
    if request.method == "POST" and "photo-photo" in request.FILES:
        if photo_form.is_valid() and _save_photo(request, village, photo_form.cleaned_data["photo"],
                                                 photo_form):
            messages.success(request, _("Photo added."))
            return redirect("villages:profile_edit", village_id=village.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            services.profile_update(by=request.user, village=village, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("Village profile saved."))
            return redirect("villages:village_detail", slug=village.slug)
    return render(request, "villages/profile_edit.html", {
        "form": form, "photo_form": photo_form, "village": village})


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not core_selectors.user_is_platform_admin(user=request.user):
        raise Http404
    queue = selectors.moderation_queue()
    return render(request, "villages/moderation.html", {
        "products": queue["products"], "offers": queue["offers"], "reject_form": forms.RejectForm()})
