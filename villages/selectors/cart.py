"""Reads of the session cart: its lines grouped by village, round lines at group price, each
line's stock and a warning when it can no longer be ordered as it is (never dropped silently)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.models import Community, User, Village
from villages.models import GroupBuyRound, ListingStatus, OrderItem, Product, RoundProduct

CENT = Decimal("0.01")


def cart_normalise(raw) -> dict:
    """The contract's shape {"lines": {pid: qty}, "rounds": {vid: rid}}; the old flat
    {"<pid>": qty} is read as lines. Bad entries are left out."""
    if not isinstance(raw, dict):
        raw = {}
    if "lines" not in raw and "rounds" not in raw:
        raw = {"lines": raw, "rounds": {}}
    lines, rounds = {}, {}
    for k, v in (raw.get("lines") or {}).items():
        if str(k).isdigit() and str(v).isdigit() and int(v) > 0:
            lines[str(int(k))] = int(v)
    for k, v in (raw.get("rounds") or {}).items():
        if str(k).isdigit() and str(v).isdigit():
            rounds[str(int(k))] = int(v)
    return {"lines": lines, "rounds": rounds}


def cart_without_ordered(*, cart: dict, orders) -> dict:
    """The cart once `orders` are placed: their units leave it (a line added meanwhile in another
    tab stays), and a village with no line left forgets its round. Two queries."""
    lines = dict(cart["lines"])
    for product_id, qty in OrderItem.objects.filter(order__in=orders).values_list(
            "product_id", "quantity"):
        left = lines.get(str(product_id), 0) - qty
        if left > 0:
            lines[str(product_id)] = left
        else:
            lines.pop(str(product_id), None)
    still = {str(v) for v in Product.objects.filter(pk__in=[int(k) for k in lines])
             .values_list("village_id", flat=True)}
    ordered = {str(o.village_id) for o in orders}
    rounds = {vid: rid for vid, rid in cart["rounds"].items() if vid not in ordered or vid in still}
    return {"lines": lines, "rounds": rounds}


@dataclass
class CartLine:
    product: Product
    quantity: int
    unit_price: Decimal
    warning: str = ""

    @property
    def line_total(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(CENT)


@dataclass
class CartGroup:
    village: Village
    round: GroupBuyRound | None
    lines: list[CartLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.line_total for line in self.lines), Decimal("0.00"))

    @property
    def blocked(self) -> bool:
        return any(line.warning for line in self.lines)


def cart_groups(*, cart: dict) -> list[CartGroup]:
    """The cart's lines by village (by village name), in three queries."""
    cart = cart_normalise(cart)
    ids = [int(k) for k in cart["lines"]]
    products = list(Product.objects.filter(pk__in=ids).select_related("village")
                    .order_by("village__name", "village_id", "name", "pk"))
    round_ids = {int(v) for v in cart["rounds"].values()}
    rounds = {r.pk: r for r in GroupBuyRound.objects.filter(pk__in=round_ids)}
    offers = {(o.round_id, o.product_id): o.group_price for o in RoundProduct.objects.filter(
        round_id__in=round_ids, product_id__in=ids)}
    groups: dict[int, CartGroup] = {}
    for p in products:
        rid = cart["rounds"].get(str(p.village_id))
        r = rounds.get(rid) if rid else None
        if r is not None and r.village_id != p.village_id:
            r = None
        group = groups.setdefault(p.village_id, CartGroup(village=p.village, round=r))
        qty = cart["lines"][str(p.pk)]
        price, warning = p.price, ""
        if r is not None:
            price = offers.get((r.pk, p.pk), p.price)
            if (r.pk, p.pk) not in offers:
                warning = _("Not offered in the round “%(round)s”.") % {"round": r.title}
            elif not r.accepting_orders:
                warning = _("The round “%(round)s” is closed.") % {"round": r.title}
        if p.status != ListingStatus.PUBLISHED:
            warning = _("No longer on sale.")
        elif p.stock == 0:
            warning = _("Sold out.")
        elif p.stock < qty:
            warning = _("Only %(n)s left: lower the quantity.") % {"n": p.stock}
        group.lines.append(CartLine(product=p, quantity=qty, unit_price=price, warning=warning))
    return list(groups.values())


def cart_count(*, cart: dict) -> int:
    return sum(cart_normalise(cart)["lines"].values())


def cart_pickup_communities(*, user: User, groups: list[CartGroup]) -> list[Community]:
    """The buyer's communities paired (actively) with every village of the cart."""
    qs = core_selectors.communities_of_user(user=user)
    for group in groups:
        qs = qs.filter(pk__in=Community.objects.filter(
            pairings__village_id=group.village.pk, pairings__active=True).values("pk"))
    return list(qs.distinct().order_by("name"))
