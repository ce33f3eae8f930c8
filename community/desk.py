"""The community node's desk panels (registered on CommunityConfig.desk_panels): a resident's
community, tickets, bills and rural channel; a property manager's tickets by state, arrears and
notices; a merchant's shop, offers and coupons. Reads through `community.selectors` (and the
core's) only."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from community import selectors
from community.models import TicketStatus
from synergy.core import selectors as core
from synergy.core.desk import Item, Panel
from synergy.core.models import Role, User


def panels(*, user: User, role: str) -> list[Panel]:
    if role == Role.RESIDENT:
        return _resident(user)
    if role == Role.PROPERTY_MANAGER:
        return _manager(user)
    if role == Role.MERCHANT:
        return _merchant(user)
    if role == Role.ADMIN:
        return _admin()
    return []


def _admin() -> list[Panel]:
    """The community node's public kinds for the administrators' moderation queue (joined to
    the other apps' panel of the same key), each to its list in the admin. No query."""
    kinds = [(_("Housing listings"), "housinglisting"), (_("Businesses"), "business"),
             (_("Business offers"), "businessoffer"), (_("Notices"), "notice")]
    return [Panel(key="moderation", title=_("Moderation queue"), items=[
        Item(label=label, url=reverse(f"admin:community_{model}_changelist")) for label, model in kinds])]


def _ticket_label(t) -> str:
    return f"#{t.pk} · {t.get_category_display()} · {timezone.localtime(t.created_at):%Y-%m-%d}"


def _resident(user: User) -> list[Panel]:
    communities = list(core.communities_of_user(user=user, role=Role.RESIDENT).order_by("pk"))
    if not communities:
        return []
    home = communities[0]
    tickets = list(selectors.ticket_list_for_user(user=user).filter(reporter=user)
                   .order_by("-created_at", "-pk")[:5])
    bills = list(selectors.bill_list(community=home, viewer=user)[:4])
    channel = selectors.rural_channel(community=home, limit=5)
    return [
        Panel(key="my-community", title=_("My community"),
              items=[Item(label=c.name, url=reverse("community:home", args=[c.slug]),
                          status=c.district) for c in communities],
              see_all_url=reverse("community:notices", args=[home.slug]),
              see_all_label=_("Notices")),
        Panel(key="tickets", title=_("My repair tickets"),
              items=[Item(label=_ticket_label(t), url=reverse("community:ticket", args=[t.pk]),
                          status=str(t.get_status_display())) for t in tickets],
              see_all_url=reverse("community:ticket_new", args=[home.slug]),
              see_all_label=_("Report a repair"),
              empty=_("No repair ticket: report a leak or a broken lift here.")),
        Panel(key="bills", title=_("My bills"),
              items=[Item(label=f"{b.period} · ¥{b.amount:,}", url=reverse("community:bills",
                                                                        args=[home.slug]),
                          status=_("paid") if b.paid_amount >= b.amount else _("to pay"))
                     for b in bills],
              see_all_url=reverse("community:bills", args=[home.slug]),
              empty=_("No bill yet.")),
        Panel(key="rural-channel", title=_("New in the rural channel"),
              items=[Item(label=f"{i.title} · {i.village_name}", url=i.url) for i in channel],
              see_all_url=reverse("community:home", args=[home.slug]),
              empty=_("Nothing new from the paired villages.")),
    ]


def _manager(user: User) -> list[Panel]:
    managed = list(core.communities_of_user(user=user, role=Role.PROPERTY_MANAGER).order_by("pk"))
    if not managed:
        return []
    community = managed[0]  # a manager runs one community, rarely a few: the first one's desk
    tickets_url = reverse("community:tickets", args=[community.slug])
    counts = selectors.ticket_counts_by_status(community=community)
    arrears = selectors.arrears_report(community=community)
    notices = list(selectors.notice_list(community=community, viewer=user)[:5])
    bills_url = reverse("community:bills", args=[community.slug])
    return [
        Panel(key="tickets-by-state", title=_("Repair tickets by state"),
              items=[Item(label=str(TicketStatus(s).label), url=f"{tickets_url}?status={s}",
                          status=str(n)) for s, n in counts.items()],
              see_all_url=tickets_url, see_all_label=_("Work on tickets")),
        Panel(key="arrears", title=_("Arrears"),
              items=[Item(label=r["unit"], url=f"{bills_url}?{urlencode({'unit': r['unit']})}",
                          status=f"¥{r['owed']:,}") for r in arrears["rows"][:5]],
              see_all_url=bills_url,
              see_all_label=_("All bills (¥%(total)s owed by %(flats)s flats)") % {
                  "total": f"{arrears['total']:,}", "flats": arrears["flats"]},
              empty=_("No flat is in arrears.")),
        Panel(key="notices", title=_("Notices"),
              items=[Item(label=n.title, url=reverse("community:notice", args=[community.slug, n.pk]),
                          status=_("%(n)s read") % {"n": n.read_count}) for n in notices],
              see_all_url=reverse("community:notices", args=[community.slug]),
              see_all_label=_("Publish or see all notices"),
              empty=_("No notice yet.")),
    ]


def _merchant(user: User) -> list[Panel]:
    shops = list(selectors.business_list_for_owner(user=user))
    offers = [(s, o) for s in shops for o in s.offers.all()]
    coupons = [(s, c) for s in shops for c in s.coupons.all()]

    def shop_url(shop) -> str:
        return reverse("community:businesses", args=[shop.community.slug])

    community = core.communities_of_user(user=user, role=Role.MERCHANT).order_by("pk").first()
    fallback = reverse("community:businesses", args=[community.slug]) if community else ""
    return [
        Panel(key="shop", title=_("My shop"),
              items=[Item(label=s.name, url=shop_url(s),
                          status=_("open") if s.active else _("closed")) for s in shops],
              see_all_url=fallback, see_all_label=_("The business circle"),
              empty=_("No shop yet: ask the property manager to list yours.")),
        Panel(key="offers", title=_("My offers"),
              items=[Item(label=o.title, url=reverse("community:offer_edit", args=[o.pk]),
                          status=_("until %(date)s") % {"date": f"{o.valid_until:%Y-%m-%d}"}
                          if o.valid_until else "") for s, o in offers],
              see_all_url=fallback, empty=_("No current offer.")),
        Panel(key="coupons", title=_("My coupons"),
              items=[Item(label=f"{c.code} · {c.title}", url=reverse("community:coupon_edit",
                                                                        args=[c.pk]),
                          status=_("%(left)d of %(n)d left, until %(date)s") % {
                              "left": c.left, "n": c.quantity,
                              "date": f"{c.valid_until:%Y-%m-%d}"})
                     for s, c in coupons],
              see_all_url=(reverse("community:shop_redeem", args=[shops[0].pk]) if shops
                           else fallback),
              see_all_label=_("Redeem a coupon"), empty=_("No current coupon.")),
    ]
