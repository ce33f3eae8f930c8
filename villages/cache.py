"""What each cached page of the village node reads, and the bumps that keep it fresh (issue 19).

Namespaces (synergy.core.pagecache):
- "catalogue": the product lists (GET /api/v1/products/): any product's name, price, stock,
  status or photos, its village's name;
- "product:<id>": one product's page;
- "rounds": the open group-buy rounds shown on product pages (their offers, prices, status and
  the units ordered so far);
- "villages": village names and places (GET /api/v1/villages/ and every page naming a village);
- "channel": the rural channel feed (rounds, products in stock, stays, campaigns and what they
  raised, volunteer needs and their slots, events, pairings).

Services call these helpers where they write with QuerySet.update() (stock, status, prices,
captions, what a campaign raised, places taken); every save() and delete() of the models below
bumps through `connect()`'s receivers as well, so the admin and the seeders keep pages fresh.
"""

from __future__ import annotations

from collections.abc import Iterable

from synergy.core import pagecache


def products_changed(ids: Iterable[int], *, channel: bool = True, rounds: bool = False) -> None:
    """Products `ids` changed (stock, price, status, photos, text)."""
    names = ["catalogue", *(f"product:{int(i)}" for i in ids)]
    if channel:
        names.append("channel")
    if rounds:
        names.append("rounds")
    pagecache.bump(*names)


def stock_changed(before_after: Iterable[tuple[int, int, int]], *, round_orders: bool = False) -> None:
    """(product id, stock before, stock after) for each product whose stock moved. The channel
    lists products in stock only, so it changes when a product sells out or comes back."""
    rows = list(before_after)
    products_changed([pid for pid, _b, _a in rows],
                     channel=any((b > 0) != (a > 0) for _pid, b, a in rows), rounds=round_orders)


def rounds_changed() -> None:
    pagecache.bump("rounds", "channel", "catalogue")


def channel_changed() -> None:
    pagecache.bump("channel")


def villages_changed() -> None:
    pagecache.bump("villages", "catalogue", "channel")


def _on_product(sender, instance, **kwargs):
    products_changed([instance.pk], rounds=True)


def _on_product_photo(sender, instance, **kwargs):
    products_changed([instance.product_id])


def _on_round(sender, instance, **kwargs):
    rounds_changed()


def _on_order(sender, instance, **kwargs):
    if instance.round_id:
        pagecache.bump("rounds")


def _on_channel(sender, instance, **kwargs):
    channel_changed()


def _on_village(sender, instance, **kwargs):
    villages_changed()


def connect() -> None:
    """Called once from VillagesConfig.ready()."""
    from synergy.core.models import Pairing, Village  # noqa: PLC0415  (apps are loading)
    from villages.exchange.models import Campaign, Event, VolunteerNeed, VolunteerSlot  # noqa: PLC0415
    from villages.models import (  # noqa: PLC0415
        GroupBuyRound,
        Order,
        PendingProduct,
        Product,
        ProductPhoto,
        RoundPickup,
        RoundProduct,
        TourismOffer,
        TourismOfferPhoto,
    )

    receivers = [
        (Product, _on_product), (PendingProduct, _on_product), (ProductPhoto, _on_product_photo),
        (GroupBuyRound, _on_round), (RoundPickup, _on_round), (RoundProduct, _on_round),
        (Order, _on_order), (Village, _on_village),
        (TourismOffer, _on_channel), (TourismOfferPhoto, _on_channel), (Pairing, _on_channel),
        (Campaign, _on_channel), (VolunteerNeed, _on_channel), (VolunteerSlot, _on_channel),
        (Event, _on_channel),
    ]
    pagecache.bump_on_save(receivers)


def photo_changed(photo) -> None:
    """A photo of a village, product or offer moved or got a new caption."""
    if getattr(photo, "product_id", None):
        products_changed([photo.product_id])
    else:
        channel_changed()


def listing_changed(listing) -> None:
    """A product or an offer moved through moderation (published, archived ...)."""
    from villages.models import Product  # noqa: PLC0415

    if isinstance(listing, Product):
        products_changed([listing.pk], rounds=True)
    else:
        channel_changed()


def order_status_changed(order) -> None:
    """An order moved on: a round's units ordered count non-cancelled orders."""
    if order.round_id:
        rounds_changed()
