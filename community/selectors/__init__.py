"""Every read the community pages and API use.

Permission-aware fetches (`community_get_for_member`, ...) raise a `NotAllowed` from
community.errors themselves, so no view checks a permission inline; single records a person may
not see are a 404. Lists take the caller's `filters` (query parameters) and apply them through the
FilterSets of community.filters, for the API and the pages alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from community import errors
from community import filters as f
from community.models import (
    Bill,
    HousingListing,
    HousingPhoto,
    Notice,
    NoticeRead,
    PeripheralService,
    RepairTicket,
    TicketStatus,
    VillageFollow,
)
from community.selectors.shops import (  # noqa: F401  (the business circle, re-exported)
    business_get,
    business_list,
    business_list_for_owner,
    coupon_claimed_ids,
    coupon_claims_for_business,
    coupon_claims_for_user,
    coupon_get,
    offer_get,
)
from community.selectors.standing import (  # noqa: F401  (who the visitor is here, re-exported)
    MEMBER_ROLES,
    Standing,
    standing_in,
    user_is_member_of,
)
from synergy.core import selectors as core
from synergy.core.filters import apply_filters, cleaned_filters
from synergy.core.models import Community, Membership, MembershipStatus, Role, User, Village
from villages import selectors as village_selectors
from villages.exchange import selectors as exchange_selectors

# --------------------------------------------------------------------------- places and people


def community_get(*, slug: str | None = None, pk: int | None = None) -> Community:
    try:
        return Community.objects.get(slug=slug) if slug is not None else Community.objects.get(pk=pk)
    except Community.DoesNotExist:
        raise Http404("No such community.")


def community_get_for_member(*, user: User, slug: str | None = None, pk: int | None = None
                             ) -> Community:
    """The community, if `user` belongs to it (resident, manager, merchant, admin); else NotAMember."""
    community = community_get(slug=slug, pk=pk)
    if not user_is_member_of(user=user, community=community):
        raise errors.NotAMember(_("You are not a member of this community."))
    return community


def community_get_for_manager(*, user: User, slug: str | None = None, pk: int | None = None
                              ) -> Community:
    """The community, if `user` manages it (its property managers, administrators)."""
    community = community_get(slug=slug, pk=pk)
    if not core.user_manages_community(user=user, community=community):
        raise errors.NotTheManager(_("Only this community's property manager can see this."))
    return community


def community_get_for_bills(*, user: User, slug: str | None = None, pk: int | None = None
                            ) -> Community:
    """The community, if `user` may see its bills: its managers and administrators (every flat),
    its active residents (their own flat); merchants and outsiders are refused."""
    community = community_get(slug=slug, pk=pk)
    if not (core.user_has_role(user=user, role=[Role.RESIDENT, Role.PROPERTY_MANAGER],
                               community=community)
            or core.user_is_platform_admin(user=user)):
        raise errors.NoBillsForYou(_("Only residents and the property manager of this community "
                                     "see its bills."))
    return community


def resident_unit_get(*, user: User, community: Community | int) -> str:
    """The flat of an active resident of that community; anyone else is refused (NotAResident)."""
    unit = resident_unit(user=user, community=community)
    if unit is None:
        raise errors.NotAResident(_("Only residents of this community can report repairs here."))
    return unit


def resident_unit(*, user: User, community: Community | int) -> str | None:
    """The flat of an active resident of that community, or None. One query."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (Membership.objects.filter(user=user, role=Role.RESIDENT, community=community,
                                      status=MembershipStatus.ACTIVE)
            .values_list("unit", flat=True).first())


def community_staff(*, community: Community | int) -> QuerySet[User]:
    """People a ticket can be assigned to as staff: the community's property managers."""
    return User.objects.filter(
        memberships__community=community, memberships__role=Role.PROPERTY_MANAGER,
        memberships__status=MembershipStatus.ACTIVE, is_active=True,
    ).distinct().order_by("username")


def unit_exists(*, community: Community | int, unit: str) -> bool:
    """A flat of the community: a resident's membership names it, or a bill already did. One
    or two queries."""
    unit = unit.strip()
    return bool(unit) and (
        Membership.objects.filter(community=community, role=Role.RESIDENT, unit=unit).exists()
        or Bill.objects.filter(community=community, unit=unit).exists())


def user_can_follow_village(*, user: User, village: Village | int) -> bool:
    """Residents of a community actively paired with that village. One query."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=user, role=Role.RESIDENT, status=MembershipStatus.ACTIVE,
        community__pairings__village=village, community__pairings__active=True,
    ).exists()


def followed_village_ids(*, user: User) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(VillageFollow.objects.filter(user=user).values_list("village_id", flat=True))


# --------------------------------------------------------------------------- notices


def notice_list(*, community: Community | int, viewer: User, include_expired: bool = False,
                filters=None) -> QuerySet[Notice]:
    """Pinned first, newest first; each with `read_count` and `is_read` (for the viewer). One query."""
    qs = Notice.objects.filter(community=community).select_related("created_by").annotate(
        read_count=Count("reads", distinct=True),
        is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user_id=viewer.pk or 0)),
    )
    if not include_expired:
        qs = qs.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    return apply_filters(f.NoticeFilter, filters, qs.order_by("-pinned", "-created_at", "-pk"))


def notice_get(*, community: Community | int, viewer: User, pk: int, include_expired: bool = False
               ) -> Notice:
    notice = notice_list(community=community, viewer=viewer, include_expired=include_expired
                         ).filter(pk=pk).first()
    if notice is None:
        raise Http404("No such notice.")
    return notice


# --------------------------------------------------------------------------- tickets


def _ticket_scope(user: User) -> Q:
    """Tickets a person may see: their own reports, their community's if they manage it, and the
    ones assigned to them or to a village they coordinate."""
    if user.is_superuser:
        return Q()
    active = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
    if active.filter(role=Role.ADMIN).exists():
        return Q()
    managed = active.filter(role=Role.PROPERTY_MANAGER).values("community_id")
    coordinated = active.filter(role=Role.COORDINATOR).values("village_id")
    return (Q(reporter=user) | Q(community__in=managed) | Q(assignee_user=user)
            | Q(assignee_village__in=coordinated))


def ticket_list(*, community: Community | int, viewer: User, filters=None
                ) -> QuerySet[RepairTicket]:
    """Tickets of one community the viewer may see, oldest first (a manager's work queue)."""
    if not getattr(viewer, "is_authenticated", False):
        return RepairTicket.objects.none()
    qs = (RepairTicket.objects.filter(_ticket_scope(viewer), community=community)
          .select_related("reporter", "assignee_user", "assignee_village", "community"))
    return apply_filters(f.TicketFilter, filters, qs.order_by("created_at", "pk"))


def ticket_list_for_user(*, user: User, filters=None) -> QuerySet[RepairTicket]:
    """Every ticket the user may see, across communities: a resident's reports, a manager's
    community, a staff member's assignments, a village coordinator's labour-team work."""
    if not getattr(user, "is_authenticated", False):
        return RepairTicket.objects.none()
    qs = (RepairTicket.objects.filter(_ticket_scope(user))
          .select_related("reporter", "assignee_user", "assignee_village", "community")
          .order_by("created_at", "pk"))
    return apply_filters(f.MyTicketFilter, filters, qs)


def ticket_get_for_user(*, user: User, pk: int) -> RepairTicket:
    """A ticket with its photos and history, if the user may see it; otherwise 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such ticket.")
    ticket = (RepairTicket.objects.filter(_ticket_scope(user), pk=pk)
              .select_related("reporter", "assignee_user", "assignee_village", "community")
              .prefetch_related("photos", "events__actor").first())
    if ticket is None:
        raise Http404("No such ticket.")
    return ticket


def user_can_work_on_ticket(*, user: User, ticket: RepairTicket) -> bool:
    """The community's managers, the assigned staff member, or the assigned village's coordinator."""
    if not getattr(user, "is_authenticated", False):
        return False
    if ticket.assignee_user_id is not None and ticket.assignee_user_id == user.pk:
        return True
    if ticket.assignee_village_id is not None and core.user_has_role(
        user=user, role=Role.COORDINATOR, village=ticket.assignee_village_id
    ):
        return True
    return core.user_manages_community(user=user, community=ticket.community_id)


def ticket_age(ticket: RepairTicket, *, now: dt.datetime | None = None) -> dt.timedelta:
    end = ticket.closed_at or ticket.resolved_at or now or timezone.now()
    return end - ticket.created_at


# --------------------------------------------------------------------------- bills

CENT = Decimal("0.01")
OUTSTANDING = ExpressionWrapper(F("amount") - F("paid_amount"),
                                output_field=DecimalField(max_digits=12, decimal_places=2))


def bill_list(*, community: Community | int, viewer: User, filters=None) -> QuerySet[Bill]:
    """All bills for the community's managers; a resident's own flat only; nothing for others."""
    qs = Bill.objects.filter(community=community).order_by("-period", "unit", "pk")
    if not core.user_manages_community(user=viewer, community=community):
        unit = resident_unit(user=viewer, community=community)
        qs = Bill.objects.none() if unit is None else qs.filter(unit=unit)
    return apply_filters(f.BillFilter, filters, qs)


def bill_get_for_manager(*, user: User, pk: int) -> Bill:
    bill = Bill.objects.select_related("community").filter(pk=pk).first()
    if bill is None or not core.user_manages_community(user=user, community=bill.community_id):
        raise Http404("No such bill.")
    return bill


def arrears_report(*, community: Community | int, as_of: dt.date | None = None) -> dict:
    """Per flat: overdue bills (due before `as_of`, not fully paid) and what is still owed.

    Two queries (rows, total); all sums are Decimal.
    """
    as_of = as_of or timezone.localdate()
    overdue = Bill.objects.filter(community=community, due_date__lt=as_of,
                                  paid_amount__lt=F("amount"))
    zero = Decimal("0.00")
    rows = list(
        overdue.values("unit")
        .annotate(bills=Count("pk"), owed=Coalesce(Sum(OUTSTANDING), zero), oldest_due=Min("due_date"))
        .order_by("-owed", "unit")
    )
    total = overdue.aggregate(total=Coalesce(Sum(OUTSTANDING), zero))["total"]
    # PostgreSQL sums NUMERIC exactly; SQLite hands back a float-ish Decimal: round to the cent.
    for r in rows:
        r["owed"] = Decimal(r["owed"]).quantize(CENT)
    total = Decimal(total).quantize(CENT)
    return {"as_of": as_of, "rows": rows, "total": total,
            "flats": len(rows), "bills": sum(r["bills"] for r in rows)}


# --------------------------------------------------------------------------- services directory


def service_list(*, community: Community | int, filters=None) -> QuerySet[PeripheralService]:
    qs = PeripheralService.objects.filter(community=community).order_by("kind", "name")
    return apply_filters(f.ServiceFilter, filters, qs)


# --------------------------------------------------------------------------- housing


def housing_list(*, community: Community | int, filters=None) -> QuerySet[HousingListing]:
    """Active listings with their photos (two queries), narrowed by HousingFilter."""
    qs = (HousingListing.objects.filter(community=community, active=True)
          .prefetch_related(Prefetch("photos", queryset=HousingPhoto.objects.order_by("pk")))
          .order_by("-created_at", "-pk"))
    return apply_filters(f.HousingFilter, filters, qs)


def housing_get(*, pk: int) -> HousingListing:
    listing = (HousingListing.objects.select_related("community", "posted_by")
               .prefetch_related("photos").filter(pk=pk, active=True).first())
    if listing is None:
        raise Http404("No such listing.")
    return listing


# --------------------------------------------------------------------------- the rural channel

VILLAGE_KINDS = village_selectors.FEED_KINDS           # round, product, offer
EXCHANGE_KINDS = exchange_selectors.EXCHANGE_FEED_KINDS  # campaign, need, event
CHANNEL_KINDS = VILLAGE_KINDS + EXCHANGE_KINDS


def rural_channel(
    *, community: Community | int, kinds: list[str] | tuple[str, ...] | None = None,
    village: Village | int | None = None, followed_by: User | None = None, limit: int = 20,
) -> list[village_selectors.FeedItem]:
    """The community's rural channel: from its actively paired villages, open group-buy rounds,
    products and stays (village node) and campaigns, volunteer needs and events (exchange),
    closing-soonest first, then the items that do not close, newest first.

    `kinds` keeps some kinds only; `village` one paired village; `followed_by` only the villages
    that person follows (nothing for an anonymous visitor). One query per kind asked for (six
    at most), however many villages: the follow filter is a subquery, not a query of its own.
    """
    kinds = tuple(k for k in (kinds or CHANNEL_KINDS) if k in CHANNEL_KINDS)
    villages = None
    if followed_by is not None:
        if not getattr(followed_by, "is_authenticated", False):
            return []
        villages = VillageFollow.objects.filter(user=followed_by).values("village_id")
    args = {"community": community, "village": village, "villages": villages, "limit": limit}
    items: list[village_selectors.FeedItem] = []
    if village_kinds := [k for k in kinds if k in VILLAGE_KINDS]:
        items += village_selectors.channel_feed(kinds=village_kinds, **args)
    if exchange_kinds := [k for k in kinds if k in EXCHANGE_KINDS]:
        items += exchange_selectors.channel_feed(kinds=exchange_kinds, **args)
    items.sort(key=village_selectors.feed_sort_key)
    return items[:limit]


def rural_channel_for(*, community: Community | int, viewer: User, filters=None
                      ) -> list[village_selectors.FeedItem]:
    """The rural channel as the API and the community page ask for it: `filters` are query
    parameters (`kind` repeated, `village`, `followed`, `limit` 1-100, default 20), checked by
    ChannelQuery; invalid ones raise a ValidationError naming each field."""
    q = cleaned_filters(f.ChannelQuery, filters, kinds=CHANNEL_KINDS)
    return rural_channel(community=community, kinds=sorted(q.get("kind") or ()),
                         village=q.get("village"), followed_by=viewer if q.get("followed") else None,
                         limit=q.get("limit") or 20)


OPEN_STATUSES = [TicketStatus.OPEN, TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS]


# --------------------------------------------------------------------------- the desk


def ticket_counts_by_status(*, community: Community | int) -> dict[str, int]:
    """How many of the community's tickets are in each state (one query); every state listed."""
    counts = dict(RepairTicket.objects.filter(community=community).values("status")
                  .annotate(n=Count("pk")).order_by().values_list("status", "n"))
    return {status: counts.get(status, 0) for status in TicketStatus.values}
