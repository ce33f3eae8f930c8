"""Every read of the exchange that a page or an API uses, with what its callers touch loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Min, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.models import COMMUNITY_ROLES, Community, Pairing, Role, User, Village
from villages import selectors as village_selectors
from villages.exchange import matching
from villages.exchange.models import (
    ApplicationStatus,
    BudgetLine,
    Campaign,
    Donation,
    Event,
    EventHost,
    InvestmentInterest,
    InvestmentNeed,
    Job,
    JobApplication,
    LabourOffer,
    OpenStatus,
    Registration,
    Signup,
    SignupStatus,
    Skill,
    Spending,
    VolunteerNeed,
    VolunteerProfile,
    VolunteerSlot,
    Weekday,
)

# ------------------------------------------------------------------------------------- giving


def _budget_lines_with_spent() -> Prefetch:
    # Coalesce: a line with no spending yet has spent 0.00, not null.
    lines = BudgetLine.objects.annotate(
        spent=Coalesce(Sum("spendings__amount"), Value(Decimal("0.00")), output_field=DecimalField())
    ).order_by("pk")
    return Prefetch("budget_lines", queryset=lines)


def campaign_list(*, village: Village | int | None = None, open_only: bool = False) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("village").prefetch_related(_budget_lines_with_spent())
    if village is not None:
        qs = qs.filter(village=village)
    if open_only:
        qs = qs.filter(status=OpenStatus.OPEN, deadline__gte=timezone.localdate())
    return qs.order_by("deadline", "pk")


def campaign_get(*, pk: int) -> Campaign:
    return (Campaign.objects.select_related("village")
            .prefetch_related(_budget_lines_with_spent()).annotate(spent=Sum("spendings__amount")).get(pk=pk))


def budget_lines_with_spending(*, campaign: Campaign):
    return campaign.budget_lines.annotate(
        spent=Coalesce(Sum("spendings__amount"), Value(Decimal("0.00")), output_field=DecimalField())
    ).order_by("pk")


def spending_list(*, campaign: Campaign) -> QuerySet[Spending]:
    return campaign.spendings.select_related("budget_line").order_by("-spent_on", "-pk")


def donation_public_list(*, campaign: Campaign, limit: int = 20) -> QuerySet[Donation]:
    """The campaign's recent donations; templates hide the donor when `anonymous`."""
    return campaign.donations.select_related("donor").order_by("-created_at", "-pk")[:limit]


def donation_get_for_user(*, user: User, pk: int) -> Donation | None:
    """A receipt: its donor, the village's coordinators and administrators may see it."""
    donation = (Donation.objects.select_related("campaign", "campaign__village", "donor", "pairing")
                .filter(pk=pk).first())
    if donation is None:
        return None
    if donation.donor_id == getattr(user, "pk", None) or core_selectors.user_coordinates_village(
            user=user, village=donation.campaign.village_id):
        return donation
    return None


def donation_list_for_donor(*, user: User) -> QuerySet[Donation]:
    return Donation.objects.filter(donor=user).select_related("campaign", "campaign__village")


# ------------------------------------------------------------------------------- volunteering


def volunteer_need_list(*, village: Village | int | None = None,
                        open_only: bool = True) -> QuerySet[VolunteerNeed]:
    upcoming = VolunteerSlot.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at")
    qs = VolunteerNeed.objects.select_related("village").prefetch_related(
        Prefetch("slots", queryset=upcoming, to_attr="upcoming_slots"))
    if village is not None:
        qs = qs.filter(village=village)
    if open_only:
        qs = qs.filter(status=OpenStatus.OPEN)
    return qs.order_by("-created_at", "-pk")


def volunteer_need_get(*, pk: int) -> VolunteerNeed:
    return VolunteerNeed.objects.select_related("village").prefetch_related(
        Prefetch("slots", queryset=VolunteerSlot.objects.order_by("starts_at"))).get(pk=pk)


def volunteer_profile_of(*, user: User) -> VolunteerProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return VolunteerProfile.objects.filter(user=user).first()


def signup_list_for_volunteer(*, user: User, active_only: bool = True) -> QuerySet[Signup]:
    qs = Signup.objects.filter(volunteer=user).select_related("slot", "slot__need",
                                                              "slot__need__village")
    if active_only:
        qs = qs.filter(status=SignupStatus.ACTIVE)
    return qs.order_by("slot__starts_at", "pk")


def signup_list_for_coordinator(*, user: User) -> QuerySet[Signup]:
    """Active sign-ups in the villages the user coordinates, soonest first."""
    villages = core_selectors.villages_of_user(user=user, role=Role.COORDINATOR)
    return (Signup.objects.filter(slot__need__village__in=villages, status=SignupStatus.ACTIVE)
            .select_related("volunteer", "slot", "slot__need").order_by("slot__starts_at", "pk"))


def signups_of_slots(*, slot_ids: list[int]) -> QuerySet[Signup]:
    return Signup.objects.filter(slot_id__in=slot_ids, status=SignupStatus.ACTIVE).select_related(
        "volunteer")


# ----------------------------------------------------------------------------------- matching


event_organiser_pairings = core_selectors.event_organiser_pairings  # one rule, in the core


def home_community(*, user: User) -> Community | None:
    """The first community where the user holds a community role (for distances)."""
    return core_selectors.communities_of_user(user=user, role=COMMUNITY_ROLES).order_by("pk").first()


def _skill_label(code: str) -> str:
    return str(Skill(code).label) if code in Skill.values else code


def _day_label(day: int) -> str:
    return str(Weekday(day).label)


@dataclass
class Recommendation:
    item: object
    match: matching.Match


def volunteer_need_recommended(*, user: User, limit: int = 20) -> list[Recommendation]:
    """Open needs with places in upcoming slots, ranked for the user, each with its breakdown."""
    profile = volunteer_profile_of(user=user)
    community = home_community(user=user)
    needs = [n for n in volunteer_need_list() if any(s.places_left > 0 for s in n.upcoming_slots)]
    dist = core_selectors.distances_km(communities=[community], villages=list({n.village for n in needs})) \
        if community else {}
    out = []
    for need in needs:
        days = {timezone.localtime(s.starts_at).weekday() for s in need.upcoming_slots
                if s.places_left > 0}
        m = matching.score(
            wanted_skills=need.skills, skills=profile.skills if profile else [],
            wanted_days=days, days=profile.weekdays if profile else [],
            distance_km=dist.get((community.pk, need.village_id)) if community else None,
            skill_label=_skill_label, day_label=_day_label)
        out.append(Recommendation(need, m))
    out.sort(key=lambda r: (-r.match.score, r.item.pk))
    return out[:limit]


def labour_offer_list(*, village: Village | int | None = None, worker: User | None = None,
                      open_only: bool = True) -> QuerySet[LabourOffer]:
    qs = LabourOffer.objects.select_related("village", "worker")
    if village is not None:
        qs = qs.filter(village=village)
    if worker is not None:
        qs = qs.filter(worker=worker)
    if open_only:
        qs = qs.filter(status=OpenStatus.OPEN)
    return qs.order_by("-created_at", "-pk")


def job_list(*, community: Community | int | None = None, open_only: bool = True,
             posted_by: User | None = None) -> QuerySet[Job]:
    qs = Job.objects.select_related("community", "posted_by").annotate(
        applications_count=Count("applications"))
    if community is not None:
        qs = qs.filter(community=community)
    if posted_by is not None:
        qs = qs.filter(posted_by=posted_by)
    if open_only:
        qs = qs.filter(status=OpenStatus.OPEN)
    return qs.order_by("-created_at", "-pk")


def job_get(*, pk: int) -> Job:
    return Job.objects.select_related("community", "posted_by").get(pk=pk)


def application_list_for_job(*, job: Job) -> QuerySet[JobApplication]:
    return job.applications.select_related("applicant").order_by("created_at", "pk")


def application_list_for_applicant(*, user: User) -> QuerySet[JobApplication]:
    return JobApplication.objects.filter(applicant=user).select_related("job", "job__community")


def _pair_score(job: Job, offer: LabourOffer, km) -> matching.Match:
    return matching.score(wanted_skills=job.skills, skills=offer.skills, wanted_days=job.weekdays,
                          days=offer.weekdays, distance_km=km, skill_label=_skill_label,
                          day_label=_day_label)


def job_recommended_for_worker(*, user: User, limit: int = 20) -> list[Recommendation]:
    """Open jobs ranked against the worker's latest open labour offer (skills, days, village)."""
    offer = labour_offer_list(worker=user).first()
    if offer is None:
        village = core_selectors.villages_of_user(user=user, role=Role.RURAL_WORKER).first()
        if village is None:
            return []
        offer = LabourOffer(village=village, skills=[], weekdays=[], title="")
    jobs = list(job_list())
    dist = core_selectors.distances_km(communities=list({j.community for j in jobs}),
                                       villages=[offer.village])
    out = [Recommendation(j, _pair_score(j, offer, dist[(j.community_id, offer.village.pk)]))
           for j in jobs]
    out.sort(key=lambda r: (-r.match.score, r.item.pk))
    return out[:limit]


def labour_recommended_for_job(*, job: Job, limit: int = 20) -> list[Recommendation]:
    """Open labour offers ranked for a job."""
    offers = list(labour_offer_list())
    dist = core_selectors.distances_km(communities=[job.community],
                                       villages=list({o.village for o in offers}))
    out = [Recommendation(o, _pair_score(job, o, dist[(job.community_id, o.village_id)]))
           for o in offers]
    out.sort(key=lambda r: (-r.match.score, r.item.pk))
    return out[:limit]


# ---------------------------------------------------------------------------------- investment


def investment_need_list(*, village: Village | int | None = None,
                         open_only: bool = True) -> QuerySet[InvestmentNeed]:
    qs = InvestmentNeed.objects.select_related("village").annotate(
        interests_count=Count("interests"))
    if village is not None:
        qs = qs.filter(village=village)
    if open_only:
        qs = qs.filter(status=OpenStatus.OPEN)
    return qs.order_by("-created_at", "-pk")


def investment_need_get(*, pk: int) -> InvestmentNeed:
    return InvestmentNeed.objects.select_related("village").get(pk=pk)


def investment_attachment_visible(*, user: User, need: InvestmentNeed) -> bool:
    """Who may open an investment need's attachment (a business plan, accounts): the need itself
    is public, its attachment is not. The village's coordinators, platform administrators, and
    people who have expressed interest in this need (the investors it was written for)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if core_selectors.user_is_platform_admin(user=user) or core_selectors.user_coordinates_village(
            user=user, village=need.village_id):
        return True
    return InvestmentInterest.objects.filter(need=need, investor=user).exists()


def interest_list_for_need(*, need: InvestmentNeed) -> QuerySet[InvestmentInterest]:
    return need.interests.select_related("investor").order_by("-created_at", "-pk")


def interest_list_for_coordinator(*, user: User) -> QuerySet[InvestmentInterest]:
    villages = core_selectors.villages_of_user(user=user, role=Role.COORDINATOR)
    return (InvestmentInterest.objects.filter(need__village__in=villages)
            .select_related("need", "investor").order_by("-created_at", "-pk"))


# -------------------------------------------------------------------------------------- events


def event_list(*, upcoming_only: bool = True, pairing: Pairing | int | None = None) -> QuerySet[Event]:
    qs = Event.objects.select_related("pairing__community", "pairing__village")
    if upcoming_only:
        qs = qs.filter(ends_at__gt=timezone.now())
    if pairing is not None:
        qs = qs.filter(pairing=pairing)
    return qs.order_by("starts_at", "pk")


def event_get(*, pk: int) -> Event:
    return Event.objects.select_related("pairing__community", "pairing__village").get(pk=pk)


def registration_of(*, user: User, event: Event) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, person=user, status=SignupStatus.ACTIVE).first()


# -------------------------------------------------------------------------------------- ledger

TO_VILLAGE = "to_village"
TO_CITY = "to_city"


@dataclass
class LedgerRow:
    """One flow of one kind through a pairing. `amount` is None when only a count makes sense."""

    direction: str  # TO_VILLAGE (city → village) or TO_CITY (village → city)
    kind: str
    label: str
    count: int
    amount: Decimal | None = None
    unit: str = ""  # "CNY", "hours", "people"
    note: str = ""


@dataclass
class Ledger:
    pairing: Pairing
    rows: list[LedgerRow] = field(default_factory=list)

    def add(self, row: LedgerRow) -> None:
        """Further sources (purchases, stays from the village node) append rows here."""
        self.rows.append(row)

    @property
    def to_village(self) -> list[LedgerRow]:
        return [r for r in self.rows if r.direction == TO_VILLAGE]

    @property
    def to_city(self) -> list[LedgerRow]:
        return [r for r in self.rows if r.direction == TO_CITY]

    def row(self, kind: str) -> LedgerRow:
        return next(r for r in self.rows if r.kind == kind)


def pairing_ledger(*, pairing: Pairing) -> Ledger:
    """What flowed each way through one pairing: the exchange's own records (6 queries) and the
    village node's produce orders and stays booked (`villages.selectors.pairing_flows`, 2 more)."""
    ledger = Ledger(pairing=pairing)
    zero = Decimal("0.00")

    d = Donation.objects.filter(pairing=pairing).aggregate(n=Count("pk"), s=Sum("amount"))
    ledger.add(LedgerRow(TO_VILLAGE, "donations", _("Donations"), d["n"], d["s"] or zero, "CNY"))

    campaign_ids = Donation.objects.filter(pairing=pairing).values("campaign_id")
    sp = Spending.objects.filter(campaign_id__in=campaign_ids).aggregate(n=Count("pk"),
                                                                         s=Sum("amount"))
    ledger.add(LedgerRow(
        TO_VILLAGE, "spending", _("Spending reported"), sp["n"], sp["s"] or zero, "CNY",
        _("What the village reports spent from the campaigns this community gave to "
          "(money from all donors of those campaigns).")))

    v = Signup.objects.filter(pairing=pairing, hours_confirmed__isnull=False).aggregate(
        n=Count("pk"), s=Sum("hours_confirmed"))
    ledger.add(LedgerRow(TO_VILLAGE, "volunteer_hours", _("Volunteer hours confirmed"), v["n"],
                         v["s"] or zero, "hours",
                         _("Count is the number of confirmed sign-ups.")))

    i = InvestmentInterest.objects.filter(pairing=pairing).aggregate(n=Count("pk"),
                                                                     s=Sum("amount_indicative"))
    ledger.add(LedgerRow(TO_VILLAGE, "investment_interest", _("Investment interest"), i["n"],
                         i["s"] or zero, "CNY",
                         _("Indicative amounts named by investors; nothing is committed.")))

    a = JobApplication.objects.filter(pairing=pairing).aggregate(
        n=Count("pk", filter=~Q(status=ApplicationStatus.WITHDRAWN)),
        filled=Count("pk", filter=Q(status=ApplicationStatus.ACCEPTED)))
    ledger.add(LedgerRow(TO_CITY, "jobs_filled", _("Jobs filled by village workers"),
                         a["filled"], None, "people"))
    ledger.add(LedgerRow(TO_CITY, "job_applications", _("Job applications from the village"),
                         a["n"], None, "people"))

    r = Registration.objects.filter(event__pairing=pairing, status=SignupStatus.ACTIVE).aggregate(
        village_hosts=Count("pk", filter=Q(event__host=EventHost.VILLAGE)),
        community_hosts=Count("pk", filter=Q(event__host=EventHost.COMMUNITY)))
    ledger.add(LedgerRow(TO_VILLAGE, "event_visits", _("Registrations for events in the village"),
                         r["village_hosts"], None, "people"))
    ledger.add(LedgerRow(TO_CITY, "event_guests",
                         _("Registrations for events hosted by the community"),
                         r["community_hosts"], None, "people"))

    flows = village_selectors.pairing_flows(community=pairing.community_id,
                                            village=pairing.village_id)
    flow = flows[0] if flows else village_selectors.PairingFlow(
        pairing.community_id, pairing.village_id, 0, zero, 0, 0)
    ledger.add(LedgerRow(TO_CITY, "produce_purchases", _("Produce bought by the community"),
                         flow.orders, flow.amount, "CNY",
                         _("Orders picked up in the community; cancelled orders are not counted.")))
    ledger.add(LedgerRow(TO_CITY, "produce_refunds", _("Refunds on cancelled paid orders"),
                         flow.refunds, flow.refunded, "CNY",
                         _("Money the village paid back to buyers in the community for paid orders "
                           "it cancelled.")))
    ledger.add(LedgerRow(TO_CITY, "stays", _("Stays booked in the village"), flow.bookings,
                         Decimal(flow.guest_nights), "guest_nights",
                         _("Count is the number of bookings; the total is guests × nights. "
                           "Cancelled bookings are not counted.")))
    return ledger


def pairing_get(*, pk: int) -> Pairing:
    return Pairing.objects.select_related("community", "village").get(pk=pk)


def city_year_totals() -> list[dict]:
    """Exchange indicators per prefecture city (of the community) and year, for analytics.

    Rows: {"city", "year", "donations", "volunteer_hours", "investment_interest", "jobs_filled"};
    only records that name a pairing count. Four grouped queries.
    """
    from django.db.models.functions import ExtractYear

    rows: dict[tuple[str, int], dict] = {}

    def add(qs, date_field: str, key: str, value) -> None:
        grouped = (qs.filter(pairing__isnull=False)
                   .annotate(year=ExtractYear(date_field))
                   .values("pairing__community__prefecture_city", "year")
                   .annotate(v=value).order_by())
        for g in grouped:
            k = (g["pairing__community__prefecture_city"], g["year"])
            row = rows.setdefault(k, {"city": k[0], "year": k[1], "donations": Decimal("0"),
                                      "volunteer_hours": Decimal("0"),
                                      "investment_interest": Decimal("0"), "jobs_filled": 0})
            row[key] += g["v"] or 0

    add(Donation.objects.all(), "created_at", "donations", Sum("amount"))
    add(Signup.objects.filter(hours_confirmed__isnull=False), "slot__starts_at",
        "volunteer_hours", Sum("hours_confirmed"))
    add(InvestmentInterest.objects.all(), "created_at", "investment_interest",
        Sum("amount_indicative"))
    add(JobApplication.objects.filter(status=ApplicationStatus.ACCEPTED), "decided_at",
        "jobs_filled", Count("pk"))
    return [rows[k] for k in sorted(rows)]


def ledger_city_year() -> list[dict]:
    """The platform bridge's source (analytics.bridge): per prefecture city of the community and
    year, `produce_value` (CNY of produce bought) and `stays` (bookings) from the village node,
    `donations` (CNY) and `volunteer_hours` from the exchange, plus the exchange's
    `investment_interest` and `jobs_filled`. Missing totals are 0. Six grouped queries.

    It lives here, not in villages.selectors, because the exchange may import the village node
    and not the other way round."""
    rows: dict[tuple[str, int], dict] = {}

    def row(city: str, year: int) -> dict:
        return rows.setdefault((city, year), {
            "prefecture_city": city, "year": year, "produce_value": Decimal("0.00"),
            "donations": Decimal("0.00"), "volunteer_hours": Decimal("0"), "stays": 0,
            "investment_interest": Decimal("0.00"), "jobs_filled": 0})

    for f in village_selectors.flows_city_year():
        r = row(f["prefecture_city"], f["year"])
        r["produce_value"] += f["produce_value"]
        r["stays"] += f["stays"]
    for t in city_year_totals():
        r = row(t["city"], t["year"])
        for key in ("donations", "volunteer_hours", "investment_interest", "jobs_filled"):
            r[key] += t[key]
    return [rows[k] for k in sorted(rows)]


# -------------------------------------------------------------------------- the rural channel

EXCHANGE_FEED_KINDS = ("campaign", "need", "event")


@dataclass(frozen=True)
class ExchangeFeedItem(village_selectors.FeedItem):
    """A campaign, volunteer need or event in a community's rural channel: the village node's
    `FeedItem`, with links to the exchange's pages."""

    @property
    def url(self) -> str:
        name = {"campaign": "exchange:campaign-detail", "need": "exchange:need-detail",
                "event": "exchange:event-detail"}[self.kind]
        return reverse(name, args=[self.id])


def _end_of_day(day: dt.date) -> dt.datetime:
    """A campaign takes donations until the end of its deadline day (local time)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def channel_feed(
    *, community: Community | int, kinds: tuple[str, ...] | list[str] | None = None,
    village: Village | int | None = None, villages=None, limit: int = 20,
) -> list[ExchangeFeedItem]:
    """The exchange's part of a community's rural channel, in the village node's `FeedItem`
    shape and order (`villages.selectors.feed_sort_key`): open campaigns of its paired villages
    (closing at their deadline), volunteer needs with a place left in a future slot (closing
    when the next such slot starts) and upcoming events (registration closes at the start;
    events of this community's pairings, and those a paired village hosts with any community).
    `villages` narrows to a set of village ids or a subquery of them. One query per kind."""
    kinds = tuple(kinds or EXCHANGE_FEED_KINDS)
    community_id = community.pk if isinstance(community, Community) else int(community)
    now = timezone.now()
    items: list[ExchangeFeedItem] = []
    if "campaign" in kinds:
        scope = village_selectors.feed_scope(community_id=community_id, village=village,
                                             villages=villages)
        campaigns = (Campaign.objects.filter(scope, status=OpenStatus.OPEN,
                                             deadline__gte=timezone.localdate())
                     .annotate(vname=F("village__name"), vslug=F("village__slug"))
                     .order_by("deadline", "pk")[:limit])
        items += [ExchangeFeedItem(
            "campaign", c.pk, c.title, c.village_id, c.vname, c.vslug, _end_of_day(c.deadline),
            None, "", _("%(raised)s of %(goal)s CNY raised") % {"raised": c.raised, "goal": c.goal},
            "", c.created_at) for c in campaigns]
    if "need" in kinds:
        scope = village_selectors.feed_scope(community_id=community_id, village=village,
                                             villages=villages)
        open_slot = Q(slots__starts_at__gt=now, slots__taken__lt=F("slots__capacity"))
        needs = (VolunteerNeed.objects.filter(scope, status=OpenStatus.OPEN)
                 .annotate(next_slot=Min("slots__starts_at", filter=open_slot),
                           open_slots=Count("slots", filter=open_slot),
                           vname=F("village__name"), vslug=F("village__slug"))
                 .filter(next_slot__isnull=False)
                 .order_by("next_slot", "pk")[:limit])
        items += [ExchangeFeedItem(
            "need", n.pk, n.title, n.village_id, n.vname, n.vslug, n.next_slot, None, "",
            _("%(category)s · %(n)d open slots") % {"category": n.get_category_display(),
                                                    "n": n.open_slots},
            "", n.created_at) for n in needs]
    if "event" in kinds:
        scope = village_selectors.feed_scope(community_id=community_id, village=village,
                                             villages=villages, field="pairing__village")
        events = (Event.objects.filter(scope, starts_at__gt=now)
                  .filter(Q(pairing__community_id=community_id) | Q(host=EventHost.VILLAGE))
                  .annotate(vid=F("pairing__village_id"), vname=F("pairing__village__name"),
                            vslug=F("pairing__village__slug"))
                  .order_by("starts_at", "pk")[:limit])
        items += [ExchangeFeedItem(
            "event", e.pk, e.title, e.vid, e.vname, e.vslug, e.starts_at, None, "",
            f"{e.get_kind_display()} · {e.place}", "", e.created_at) for e in events]
    items.sort(key=village_selectors.feed_sort_key)
    return items[:limit]
