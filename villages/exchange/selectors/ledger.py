"""The ledger of a pairing (what flowed each way through it) and the exchange's totals per
prefecture city and year (the analytics bridge's source)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from synergy.core.models import Pairing
from villages import selectors as village_selectors
from villages.exchange.models import (
    ApplicationStatus,
    Donation,
    EventHost,
    InvestmentInterest,
    JobApplication,
    Registration,
    Signup,
    SignupStatus,
    Spending,
)
from villages.exchange.selectors._common import get_or_404

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
    """One pairing (its ledger is public); Http404 if there is none."""
    return get_or_404(Pairing.objects.select_related("community", "village"), pk=pk)


def city_year_totals() -> list[dict]:
    """Exchange indicators per prefecture city (of the community) and year, for analytics.

    Rows: {"city", "year", "donations", "volunteer_hours", "investment_interest", "jobs_filled"};
    only records that name a pairing count. Four grouped queries.
    """
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
