"""The session cart (several villages, round lines at group price) and checkout from it.

The cart is `request.session["villages_cart"]` = {"lines": {pid: qty}, "rounds": {vid: rid}}.
Nothing leaves it unless the person removes it or it was ordered; a line that can no longer be
ordered as it is stays, with a warning, and checkout refuses naming it.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from synergy.core.errors import DomainError
from synergy.core.web import safe_next, show_domain_error
from villages import selectors, services
from villages.models import Checkout, GroupBuyRound, ListingStatus, Product, RoundProduct
from villages.services.checkout import MAX_QUANTITY

CART = "villages_cart"


def _read(request: HttpRequest) -> dict:
    return selectors.cart_normalise(request.session.get(CART))


def _save(request: HttpRequest, cart: dict) -> None:
    request.session[CART] = cart


def _quantity(request: HttpRequest) -> int | None:
    raw = request.POST.get("quantity", "").strip()
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_QUANTITY else None


def _fits(request: HttpRequest, product: Product, want: int, have: int) -> int | None:
    """The quantity to keep: `want` if the stock allows, else the stock only if the person asked
    for that (`fit`), else None (a message says why and nothing changes)."""
    if want <= product.stock or want <= have:
        return want
    if request.POST.get("fit") and product.stock > 0:
        messages.info(request, _("Only %(n)s of %(name)s left: your cart now holds %(n)s.")
                      % {"n": product.stock, "name": product.name})
        return product.stock
    if product.stock == 0:
        messages.error(request, _("%(name)s is sold out: your cart was not changed.")
                       % {"name": product.name})
    else:
        messages.error(request, _("Only %(n)s of %(name)s left, and you asked for %(want)s: your "
                                  "cart was not changed.") % {"n": product.stock, "name": product.name,
                                                              "want": want})
    return None


@require_POST
def cart_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.select_related("village"), pk=pk,
                                status=ListingStatus.PUBLISHED)
    back = safe_next(request, reverse("villages:product_detail", args=[pk]))
    qty = _quantity(request)
    if qty is None:
        messages.error(request, _("Choose a quantity between 1 and %(max)s.") % {"max": MAX_QUANTITY})
        return redirect(back)
    cart = _read(request)
    vid = str(product.village_id)
    round_ = None
    raw_round = request.POST.get("round", "").strip()
    if raw_round:
        round_ = GroupBuyRound.objects.filter(pk=int(raw_round)).first() if raw_round.isdigit() else None
        if (round_ is None or round_.village_id != product.village_id
                or not RoundProduct.objects.filter(round=round_, product=product).exists()):
            messages.error(request, _("%(name)s is not offered in that round: your cart was not "
                                      "changed.") % {"name": product.name})
            return redirect(back)
        if not round_.accepting_orders:
            messages.error(request, _("The round “%(round)s” is closed: your cart was not changed.")
                           % {"round": round_.title})
            return redirect(back)
    held = Product.objects.filter(pk__in=[int(k) for k in cart["lines"]],
                                  village_id=product.village_id).exists()
    current = cart["rounds"].get(vid)
    wanted_round = round_.pk if round_ else None
    if held and current != wanted_round:
        if current:
            msg = _("Your cart holds products of %(village)s in another group-buy round. Order or "
                    "remove them first: your cart was not changed.")
        else:
            msg = _("Your cart holds products of %(village)s at their usual price. Order or remove "
                    "them before joining a round: your cart was not changed.")
        messages.error(request, msg % {"village": product.village.name})
        return redirect(back)
    have = cart["lines"].get(str(pk), 0)
    new = _fits(request, product, min(MAX_QUANTITY, have + qty), have)
    if new is None:
        return redirect(back)
    cart["lines"][str(pk)] = new
    if wanted_round:
        cart["rounds"][vid] = wanted_round
    else:
        cart["rounds"].pop(vid, None)
    _save(request, cart)
    if new == have + qty:
        messages.success(request, _("Added to your cart."))
    return redirect("villages:cart")


@require_POST
def cart_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a line's quantity (`quantity`), or step it (`step` = -1 / +1). Never below 1: removing
    is its own button."""
    cart = _read(request)
    have = cart["lines"].get(str(pk))
    if have is None:
        return redirect("villages:cart")
    product = get_object_or_404(Product, pk=pk)
    step = request.POST.get("step", "")
    if step in ("-1", "1", "+1"):
        want = have + int(step)
    else:
        want = _quantity(request)
    if want is None or want < 1 or want > MAX_QUANTITY:
        messages.error(request, _("Choose a quantity between 1 and %(max)s; to take %(name)s out, "
                                  "press Remove.") % {"max": MAX_QUANTITY, "name": product.name})
        return redirect("villages:cart")
    new = _fits(request, product, want, have)
    if new is not None and new != have:
        cart["lines"][str(pk)] = new
        _save(request, cart)
    return redirect("villages:cart")


@require_POST
def cart_remove(request: HttpRequest, pk: int) -> HttpResponse:
    cart = _read(request)
    if cart["lines"].pop(str(pk), None) is not None:
        product = Product.objects.filter(pk=pk).first()
        vid = str(product.village_id) if product else None
        if vid and not Product.objects.filter(pk__in=[int(k) for k in cart["lines"]],
                                              village_id=vid).exists():
            cart["rounds"].pop(vid, None)
        _save(request, cart)
        messages.info(request, _("Removed from your cart."))
    return redirect("villages:cart")


def cart(request: HttpRequest) -> HttpResponse:
    groups = selectors.cart_groups(cart=_read(request))
    communities = []
    if groups and request.user.is_authenticated:
        communities = selectors.cart_pickup_communities(user=request.user, groups=groups)
    return render(request, "villages/cart.html", {
        "groups": groups, "communities": communities, "key": uuid.uuid4().hex,
        "blocked": [line for g in groups for line in g.lines if line.warning],
        "total": sum((g.total for g in groups), 0),
    })


@login_required
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("key", "").strip()[:64]
    done = Checkout.objects.filter(buyer=request.user, key=key).first() if key else None
    if done is not None:  # a second tap on "Place order": the first one's orders
        return _to_what_was_placed(done)
    cart_data = _read(request)
    groups = selectors.cart_groups(cart=cart_data)
    if not groups:
        return redirect("villages:cart")
    blocked = [line for g in groups for line in g.lines if line.warning]
    if blocked:
        messages.error(request, _("Nothing was ordered: %(name)s — %(why)s") % {
            "name": blocked[0].product.name, "why": blocked[0].warning})
        return redirect("villages:cart")
    communities = {str(c.pk): c for c in selectors.cart_pickup_communities(
        user=request.user, groups=groups)}
    community = communities.get(request.POST.get("pickup", ""))
    if community is None:
        messages.error(request, _("Choose where to pick up your order."))
        return redirect("villages:cart")
    try:
        placed, orders = services.checkout_place(
            buyer=request.user, pickup_community=community, key=key,
            rounds=[g.round for g in groups if g.round is not None],
            items=[{"product": line.product.pk, "quantity": line.quantity}
                   for g in groups for line in g.lines])
    except DomainError as exc:
        show_domain_error(request, exc)
        return redirect("villages:cart")
    _save(request, selectors.cart_without_ordered(cart=_read(request), orders=orders))
    if len(orders) == 1:
        messages.success(request, _("Order placed. Pick it up at: %(point)s")
                         % {"point": orders[0].pickup_point})
        return _to_what_was_placed(placed)
    messages.success(request, ngettext("Ordered: %(n)s order placed.",
                                       "Ordered: %(n)s orders placed, one per village.",
                                       len(orders)) % {"n": len(orders)})
    return _to_what_was_placed(placed)


def _to_what_was_placed(placed: Checkout) -> HttpResponse:
    """One order: its page (pickup code, how to pay). Several: the list of them."""
    ids = list(placed.orders.values_list("pk", flat=True)[:2])
    if len(ids) == 1:
        return redirect("villages:order_detail", pk=ids[0])
    return redirect("villages:checkout_done", pk=placed.pk)


@login_required
def checkout_done(request: HttpRequest, pk: int) -> HttpResponse:
    placed = get_object_or_404(Checkout, pk=pk, buyer=request.user)
    orders = selectors.order_list_for_buyer(buyer=request.user).filter(checkout=placed)
    return render(request, "villages/checkout_done.html", {"checkout": placed, "orders": orders})
