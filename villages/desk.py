"""The village node's desk panels (registered on VillagesConfig.desk_panels): a resident's
orders and bookings, a coordinator's listings, rounds and bookings to confirm, the
administrators' moderation queue. Reads through `villages.selectors` only."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.desk import Item, Panel
from synergy.core.models import Role, User
from synergy.core.templatetags.synergy_format import format_money
from villages import selectors
from villages.models import ListingStatus, RoundStatus

LIVE_LISTINGS = [ListingStatus.DRAFT, ListingStatus.PENDING, ListingStatus.PUBLISHED]


def panels(*, user: User, role: str) -> list[Panel]:
    if role == Role.RESIDENT:
        return _resident(user) + _pickup(user, role)
    if role == Role.PROPERTY_MANAGER:
        return _pickup(user, role)
    if role == Role.COORDINATOR:
        return _coordinator(user) + _claims(user)
    if role == Role.ADMIN:
        return _admin(user)
    if role in (Role.RURAL_WORKER, Role.AGRI_BUSINESS):
        return _villager(user, role)
    return []


def _villager(user: User, role: str) -> list[Panel]:
    """A worker's or an agri-business's village, and the catalogue its produce is sold in."""
    villages = list(core_selectors.villages_of_user(user=user, role=role).order_by("pk")[:3])
    return [Panel(
        key="my-village", title=_("My village"),
        items=[Item(label=v.name, url=reverse("villages:village_detail", args=[v.slug]),
                    status=v.district) for v in villages],
        see_all_url=reverse("villages:product_list"), see_all_label=_("Produce"),
        empty=_("You are not a member of a village yet."))]


def _resident(user: User) -> list[Panel]:
    orders = list(selectors.order_list_for_buyer(buyer=user).prefetch_related(None)[:5])
    bookings = list(selectors.booking_list_for_guest(guest=user)[:5])
    rounds = list(selectors.round_list_for_resident(user=user).prefetch_related(None)[:5])
    return [
        Panel(key="group-buys", title=_("Group buys for my community"),
              items=[Item(label=f"{r.title} · {r.village.name}",
                          url=reverse("villages:round_page", args=[r.pk]),
                          status=_("%(n)s more to form the group") % {"n": r.units_missing}
                          if r.units_missing else _("formed, open until %(date)s") % {
                              "date": timezone.localtime(r.cutoff_at).strftime("%Y-%m-%d")})
                     for r in rounds],
              see_all_url=reverse("villages:product_list"), see_all_label=_("Produce"),
              empty=_("No group buy for your community right now.")),
        Panel(key="orders", title=_("My orders"),
              items=[Item(label=f"#{o.pk} · {o.village.name}",
                          url=reverse("villages:order_detail", args=[o.pk]),
                          status=str(o.get_status_display())) for o in orders],
              see_all_url=reverse("villages:my_orders"),
              empty=_("No order yet: produce from your paired villages is in the catalogue.")),
        Panel(key="bookings", title=_("My bookings"),
              items=[Item(label=f"{b.offer.title} · {b.start_date:%Y-%m-%d}",
                          url=reverse("villages:my_bookings"),
                          status=str(b.get_status_display())) for b in bookings],
              see_all_url=reverse("villages:my_bookings"),
              empty=_("No booking yet: farm stays are listed under Stays.")),
    ]


def _coordinator(user: User) -> list[Panel]:
    villages = list(core_selectors.coordinated_villages(user=user))
    if not villages:
        return []
    ids = [v.pk for v in villages]
    manage = reverse("villages:manage", args=[villages[0].pk])
    products = list(selectors.product_list(statuses=LIVE_LISTINGS).prefetch_related(None)
                    .filter(village__in=ids).order_by("status", "-pk")[:8])
    offers = list(selectors.offer_list(statuses=LIVE_LISTINGS).prefetch_related(None)
                  .filter(village__in=ids).order_by("status", "-pk")[:8])
    listings = [Item(label=p.name, url=reverse("villages:product_edit", args=[p.pk]),
                     status=_listing_status(p)) for p in products]
    listings += [Item(label=o.title, url=manage, status=_listing_status(o)) for o in offers]
    rounds = list(selectors.round_list(statuses=[RoundStatus.OPEN, RoundStatus.FORMED])
                  .prefetch_related(None)
                  .filter(village__in=ids)[:5])
    now = timezone.now()
    holds = []
    for village in villages[:3]:  # a coordinator has one village, rarely a few
        holds += list(selectors.booking_holds_for_village(viewer=user, village=village)[:5])
    return [
        Panel(key="listings", title=_("My listings by state"), items=listings,
              see_all_url=manage, see_all_label=_("Village dashboard"),
              empty=_("No listing yet: add a product or a stay on the village dashboard.")),
        Panel(key="rounds", title=_("Rounds to deliver"),
              items=[Item(label=r.title, url=reverse("villages:round_detail", args=[r.pk]),
                          status=_("closed, to deliver") if r.cutoff_at <= now
                          else _("open until %(date)s") % {
                              "date": timezone.localtime(r.cutoff_at).strftime("%Y-%m-%d")})
                     for r in rounds],
              see_all_url=manage, empty=_("No open group-buy round.")),
        Panel(key="bookings-to-confirm", title=_("Bookings to confirm"),
              items=[Item(label=f"{b.offer.title} · {b.guest} · {b.start_date:%Y-%m-%d}", url=manage,
                          status=str(b.get_status_display())) for b in holds],
              see_all_url=manage, empty=_("No booking waits for your confirmation.")),
    ]


def _pickup(user: User, role: str) -> list[Panel]:
    """The pickup counter, for a community's pickup staff (in their resident desk) and its
    managers, who also name the staff. No panel for residents without pickup duties."""
    communities = list(selectors.pickup_communities_for_user(user=user)[:5])
    if not communities:
        return []
    counter = reverse("villages:pickup_counter")
    items = [Item(label=_("Pickup counter: %(c)s") % {"c": c.name}, url=f"{counter}?community={c.pk}")
             for c in communities]
    if role == Role.PROPERTY_MANAGER:
        items += [Item(label=_("Pickup staff: %(c)s") % {"c": c.name},
                       url=reverse("villages:pickup_staff", args=[c.pk]))
                  for c in selectors.managed_communities(user=user)[:5]]
    return [Panel(key="pickup", title=_("Pickup point"), items=items, see_all_url=counter,
                  see_all_label=_("Pickup counter"))]


def _claims(user: User) -> list[Panel]:
    """Buyers who say they paid, for the coordinator to confirm on the order page."""
    claims = list(selectors.claim_list_pending_for_coordinator(viewer=user)[:8])
    return [Panel(
        key="payment-claims", title=_("Payments to confirm"),
        items=[Item(label=f"#{c.order_id} · {c.claimed_by or '—'} · {format_money(c.amount, exact=True)}",
                    url=reverse("villages:order_detail", args=[c.order_id]),
                    status=f"{c.get_method_display()} {c.reference}".strip()) for c in claims],
        empty=_("No buyer is waiting for a payment confirmation."))]


def _listing_status(listing) -> str:
    status = str(listing.get_status_display())
    if listing.review_note:
        status = f"{status}: {listing.review_note}"
    return status


def _admin(user: User) -> list[Panel]:
    queue = selectors.moderation_queue(viewer=user)
    items = []
    for kind, label in (("products", _("Products awaiting review")),
                        ("offers", _("Stays awaiting review"))):
        count = queue[kind].count()
        items.append(Item(label=label, url=reverse("villages:moderation"), status=str(count)))
    return [Panel(key="moderation", title=_("Moderation queue"), items=items,
                  see_all_url=reverse("villages:moderation"), see_all_label=_("Review listings"))]
