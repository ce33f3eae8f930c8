"""The exchange's desk panels (registered on ExchangeConfig.desk_panels): a resident's sign-ups,
a coordinator's hours to confirm, interests to answer and campaigns, a worker's labour offers,
applications and matched jobs.

Reads through the public names of `villages.exchange.selectors`; the two narrower reads the desk
needs live here (not in the selectors module) as desk selectors."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.desk import Item, Panel
from synergy.core.models import Role, User
from villages.exchange import selectors
from villages.exchange.models import InterestStatus, Signup


def signups_to_confirm(*, user: User) -> QuerySet[Signup]:
    """Sign-ups in the user's villages whose slot has ended and whose hours nobody confirmed."""
    return selectors.signup_list_for_coordinator(user=user).filter(
        slot__ends_at__lte=timezone.now(), hours_confirmed__isnull=True)


def interests_to_answer(*, user: User):
    """Investment interests in the user's villages still waiting for a first reply."""
    return selectors.interest_list_for_coordinator(user=user).filter(status=InterestStatus.SENT)


def panels(*, user: User, role: str) -> list[Panel]:
    if role == Role.RESIDENT:
        return _resident(user)
    if role == Role.COORDINATOR:
        return _coordinator(user)
    if role == Role.RURAL_WORKER:
        return _worker(user)
    if role in (Role.MERCHANT, Role.PROPERTY_MANAGER):
        return _employer(user)
    if role == Role.ADMIN:
        return _admin()
    return []


def _admin() -> list[Panel]:
    """The exchange's public kinds for the administrators' moderation queue (joined to the
    village node's panel of the same key): what is open now, each to its list in the admin."""
    kinds = [
        (_("Open campaigns"), selectors.campaign_list(open_only=True), "campaign"),
        (_("Open volunteer needs"), selectors.volunteer_need_list(), "volunteerneed"),
        (_("Open investment needs"), selectors.investment_need_list(), "investmentneed"),
        (_("Open jobs"), selectors.job_list(), "job"),
        (_("Open labour offers"), selectors.labour_offer_list(), "labouroffer"),
        (_("Upcoming events"), selectors.event_list(), "event"),
    ]
    review = reverse("exchange:review")
    to_review = [
        Item(label=_("Campaigns to review"), url=review,
             status=str(selectors.campaigns_to_review().count())),
        Item(label=_("Investment needs to review"), url=review,
             status=str(selectors.investment_needs_to_review().count())),
    ]
    return [Panel(key="moderation", title=_("Moderation queue"), items=[*to_review, *[
        Item(label=label, url=reverse(f"admin:exchange_{model}_changelist"), status=str(qs.count()))
        for label, qs, model in kinds]])]


def _employer(user: User) -> list[Panel]:
    """Merchants and property managers post jobs for rural workers; their applications wait here."""
    jobs = list(selectors.job_list(posted_by=user, open_only=False)[:5])
    return [Panel(
        key="jobs-posted", title=_("Jobs I posted"),
        items=[Item(label=j.title, url=reverse("exchange:job-detail", args=[j.pk]),
                    status=_("%(n)s applications") % {"n": j.applications_count}) for j in jobs],
        see_all_url=reverse("exchange:job-create"), see_all_label=_("Post a job"),
        empty=_("No job posted: rural workers nearby can help in your shop or building."))]


def _resident(user: User) -> list[Panel]:
    signups = list(selectors.signup_list_for_volunteer(user=user)[:5])
    return [Panel(
        key="signups", title=_("My volunteer sign-ups"),
        items=[Item(label=f"{s.slot.need.title} · {timezone.localtime(s.slot.starts_at):%Y-%m-%d %H:%M}",
                    url=reverse("exchange:need-detail", args=[s.slot.need_id]),
                    status=str(s.get_status_display())) for s in signups],
        see_all_url=reverse("exchange:my-volunteering"),
        empty=_("No sign-up yet: villages ask for volunteers in the exchange."))]


def _coordinator(user: User) -> list[Panel]:
    dashboard = reverse("exchange:dashboard")
    to_confirm = list(signups_to_confirm(user=user)[:8])
    interests = list(interests_to_answer(user=user)[:8])
    villages = core_selectors.villages_of_user(user=user, role=Role.COORDINATOR)
    campaigns = list(selectors.campaign_list(approved_only=False).prefetch_related(None)
                     .filter(village__in=villages.values("pk"))[:5])
    return [
        Panel(key="hours", title=_("Sign-ups whose hours to confirm"),
              items=[Item(label=f"{s.volunteer} · {s.slot.need.title}", url=dashboard,
                          status=f"{timezone.localtime(s.slot.starts_at):%Y-%m-%d}")
                     for s in to_confirm],
              see_all_url=dashboard, empty=_("No hours wait for your confirmation.")),
        Panel(key="interests", title=_("Interests to answer"),
              items=[Item(label=f"{i.investor} · {i.need.title}", url=dashboard,
                          status=str(i.get_status_display())) for i in interests],
              see_all_url=dashboard, empty=_("No investment interest waits for a reply.")),
        Panel(key="campaigns", title=_("Campaigns and spending"),
              items=[Item(label=c.title, url=reverse("exchange:campaign-detail", args=[c.pk]),
                          status=(_("¥%(raised)s of ¥%(goal)s") % {"raised": c.raised, "goal": c.goal}
                                  if c.is_public else str(c.get_review_status_display())))
                     for c in campaigns],
              see_all_url=dashboard, see_all_label=_("Exchange dashboard"),
              empty=_("No campaign yet.")),
    ]


def _worker(user: User) -> list[Panel]:
    offers = list(selectors.labour_offer_list(worker=user, open_only=False)[:5])
    applications = list(selectors.application_list_for_applicant(user=user)
                        .order_by("-created_at", "-pk")[:5])
    matched = selectors.job_recommended_for_worker(user=user, limit=5)
    return [
        Panel(key="labour-offers", title=_("My labour offers"),
              items=[Item(label=o.title, url=reverse("exchange:job-list"),
                          status=str(o.get_status_display())) for o in offers],
              see_all_url=reverse("exchange:labour-create"), see_all_label=_("Offer my labour"),
              empty=_("No labour offer yet: say what you can do and when.")),
        Panel(key="job-applications", title=_("My applications"),
              items=[Item(label=a.job.title, url=reverse("exchange:job-detail", args=[a.job_id]),
                          status=str(a.get_status_display())) for a in applications],
              see_all_url=reverse("exchange:job-list"),
              empty=_("No application yet.")),
        Panel(key="matched-jobs", title=_("Jobs matched to me"),
              items=[Item(label=r.item.title, url=reverse("exchange:job-detail", args=[r.item.pk]),
                          status=_("match %(score)s") % {"score": round(r.match.score)}) for r in matched],
              see_all_url=reverse("exchange:job-list"), empty=_("No open job matches you yet.")),
    ]
