"""HTML pages of the exchange: parse a form, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy.core import selectors as core_selectors
from synergy.core.errors import DomainError
from synergy.core.models import Role
from synergy.core.private_files import download_name, private_file_response
from synergy.core.web import safe_next, show_domain_error
from villages.exchange import ics, selectors, services
from villages.exchange.forms import (
    ApplicationForm,
    CampaignForm,
    DonationForm,
    EventForm,
    HoursForm,
    InterestForm,
    InvestmentNeedForm,
    JobForm,
    LabourOfferForm,
    NeedForm,
    ReplyForm,
    SlotForm,
    SpendingForm,
    VolunteerProfileForm,
)
from villages.exchange.models import (
    Campaign,
    Event,
    InvestmentInterest,
    InvestmentNeed,
    Job,
    JobApplication,
    Registration,
    Signup,
    VolunteerNeed,
    VolunteerSlot,
)


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/index.html", {
        "campaigns": selectors.campaign_list(open_only=True)[:6],
        "needs": selectors.volunteer_need_list()[:6],
        "investment_needs": selectors.investment_need_list()[:6],
        "jobs": selectors.job_list()[:6],
        "offers": selectors.labour_offer_list()[:6],
        "events": selectors.event_list()[:6],
        "pairings": core_selectors.pairing_list(),
    })


# ---------------------------------------------------------------------------------- giving

def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/campaign_list.html",
                  {"campaigns": selectors.campaign_list()})


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    status = 200
    try:
        campaign = selectors.campaign_get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None
    form = DonationForm(campaign_id=campaign.pk, user_id=request.user.pk)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        form = DonationForm(request.POST, campaign_id=campaign.pk, user_id=request.user.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                donation, created = services.donation_give(
                    donor=request.user, campaign=campaign.pk, amount=data["amount"],
                    anonymous=data["anonymous"], message=data["message"],
                    idempotency_key=data["idempotency_key"], confirm_repeat=data["confirm_repeat"])
            except services.RepeatDonation as exc:
                # Same form (same token) again, now with a box to tick: nothing was recorded.
                form = DonationForm(request.POST, campaign_id=campaign.pk, user_id=request.user.pk,
                                    ask_repeat=True)
                form.is_valid()
                form.add_error("confirm_repeat", exc.message)
            except DomainError as exc:
                # Keep what was typed, but with a fresh token: the old one is spent or refused.
                messages.error(request, exc.message)
                form = DonationForm(campaign_id=campaign.pk, user_id=request.user.pk, initial={
                    k: data[k] for k in ("amount", "anonymous", "message")})
            else:
                if not created:
                    messages.info(request, _("This form was already sent: your donation is "
                                             "recorded once."))
                return redirect("exchange:donation-receipt", pk=donation.pk)
        if form.errors:
            status = 400
    is_coordinator = core_selectors.user_coordinates_village(user=request.user,
                                                             village=campaign.village_id)
    return render(request, "exchange/campaign_detail.html", {
        "campaign": campaign, "form": form,
        "lines": selectors.budget_lines_with_spending(campaign=campaign),
        "spendings": selectors.spending_list(campaign=campaign),
        "donations": selectors.donation_public_list(campaign=campaign),
        "is_coordinator": is_coordinator,
        "spending_form": SpendingForm(campaign=campaign) if is_coordinator else None,
    }, status=status)


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@login_required
@require_POST
def spending_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    form = SpendingForm(request.POST, request.FILES, campaign=campaign)
    if form.is_valid():
        try:
            services.spending_record(recorded_by=request.user, campaign=campaign,
                                     **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc)
        else:
            messages.success(request, _("Spending recorded."))
    else:
        messages.error(request, _("Please check the spending entry: %(e)s") % {
            "e": "; ".join(" ".join(v) for v in form.errors.values())})
    return redirect("exchange:campaign-detail", pk=pk)


@login_required
def donation_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    donation = selectors.donation_get_for_user(user=request.user, pk=pk)
    if donation is None:
        raise Http404
    return render(request, "exchange/receipt.html", {"donation": donation})


def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    from synergy.core.models import Pairing

    try:
        pairing = selectors.pairing_get(pk=pk)
    except Pairing.DoesNotExist:
        raise Http404 from None
    return render(request, "exchange/ledger.html", {
        "pairing": pairing, "ledger": selectors.pairing_ledger(pairing=pairing)})


# ---------------------------------------------------------------------------- volunteering

def need_list(request: HttpRequest) -> HttpResponse:
    recommended = (selectors.volunteer_need_recommended(user=request.user, limit=5)
                   if request.user.is_authenticated else [])
    return render(request, "exchange/need_list.html", {
        "needs": selectors.volunteer_need_list(), "recommended": recommended})


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        need = selectors.volunteer_need_get(pk=pk)
    except VolunteerNeed.DoesNotExist:
        raise Http404 from None
    mine = {}
    if request.user.is_authenticated:
        mine = {s.slot_id: s for s in selectors.signup_list_for_volunteer(user=request.user)
                .filter(slot__need=need)}
    slots = list(need.slots.all())
    is_coordinator = core_selectors.user_coordinates_village(user=request.user,
                                                             village=need.village_id)
    return render(request, "exchange/need_detail.html", {
        "need": need, "slots": [(slot, mine.get(slot.pk)) for slot in slots],
        "now": timezone.now(), "slot_form": SlotForm() if is_coordinator else None})


@login_required
@require_POST
def signup_create(request: HttpRequest, pk: int) -> HttpResponse:
    slot = get_object_or_404(VolunteerSlot, pk=pk)
    try:
        services.signup_create(volunteer=request.user, slot=slot.pk)
    except DomainError as exc:
        show_domain_error(request, exc)
        return redirect("exchange:need-detail", pk=slot.need_id)
    messages.success(request, _("You are signed up. See you there!"))
    return redirect("exchange:my-volunteering")


@login_required
@require_POST
def signup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.signup_cancel(volunteer=request.user, signup=pk)
    except DomainError as exc:
        show_domain_error(request, exc)
    else:
        messages.success(request, _("Sign-up cancelled; the place is free again."))
    return redirect("exchange:my-volunteering")


@login_required
def my_volunteering(request: HttpRequest) -> HttpResponse:
    profile = selectors.volunteer_profile_of(user=request.user)
    initial = {"skills": profile.skills, "weekdays": profile.weekdays,
               "bio": profile.bio} if profile else {}
    form = VolunteerProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.volunteer_profile_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Volunteer profile saved."))
        return redirect("exchange:my-volunteering")
    return render(request, "exchange/my_volunteering.html", {
        "signups": selectors.signup_list_for_volunteer(user=request.user, active_only=False),
        "donations": selectors.donation_list_for_donor(user=request.user),
        "form": form})


@login_required
def my_slots_ics(request: HttpRequest) -> HttpResponse:
    body = ics.calendar_for(signups=selectors.signup_list_for_volunteer(user=request.user),
                            request=request)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="volunteering.ics"'
    return response


# ------------------------------------------------------------------------------ investment

def investment_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/investment_list.html",
                  {"needs": selectors.investment_need_list()})


def investment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        need = selectors.investment_need_get(pk=pk)
    except InvestmentNeed.DoesNotExist:
        raise Http404 from None
    form = InterestForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if form.is_valid():
            try:
                services.interest_express(investor=request.user, need=need, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your interest was sent to the village."))
                return redirect("exchange:investment-detail", pk=pk)
    is_coordinator = core_selectors.user_coordinates_village(user=request.user,
                                                             village=need.village_id)
    interests = selectors.interest_list_for_need(need=need)
    if not is_coordinator:
        interests = interests.filter(investor=request.user) if request.user.is_authenticated \
            else interests.none()
    return render(request, "exchange/investment_detail.html", {
        "need": need, "form": form, "interests": interests, "is_coordinator": is_coordinator,
        "reply_form": ReplyForm(),
        "attachment_visible": selectors.investment_attachment_visible(user=request.user, need=need)})


@login_required
def investment_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """The need is public; its attachment only for the village's coordinators, administrators
    and people who expressed interest in it."""
    try:
        need = selectors.investment_need_get(pk=pk)
    except InvestmentNeed.DoesNotExist:
        raise Http404 from None
    if not need.attachment:
        raise Http404
    if not selectors.investment_attachment_visible(user=request.user, need=need):
        raise PermissionDenied(_("Express interest in this need to receive its attachment."))
    return private_file_response(request, need.attachment,
                                 download_name=download_name(need.title, need.attachment))


@login_required
@require_POST
def interest_reply(request: HttpRequest, pk: int) -> HttpResponse:
    interest = get_object_or_404(InvestmentInterest.objects.select_related("need", "investor"), pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.interest_reply(replied_by=request.user, interest=interest, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc)
        else:
            messages.success(request, _("Reply sent."))
    return redirect(safe_next(request, "exchange:dashboard"))


# ---------------------------------------------------------------------------- labour, jobs

def job_list(request: HttpRequest) -> HttpResponse:
    recommended = []
    if core_selectors.user_has_role(user=request.user, role=Role.RURAL_WORKER):
        recommended = selectors.job_recommended_for_worker(user=request.user, limit=5)
    return render(request, "exchange/job_list.html", {
        "jobs": selectors.job_list(), "offers": selectors.labour_offer_list(),
        "recommended": recommended})


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        job = selectors.job_get(pk=pk)
    except Job.DoesNotExist:
        raise Http404 from None
    is_poster = request.user.is_authenticated and (
        job.posted_by_id == request.user.pk
        or core_selectors.user_manages_community(user=request.user, community=job.community_id))
    return render(request, "exchange/job_detail.html", {
        "job": job, "is_poster": is_poster, "form": ApplicationForm(),
        "applications": selectors.application_list_for_job(job=job) if is_poster else [],
        "recommended": selectors.labour_recommended_for_job(job=job, limit=5) if is_poster else []})


@login_required
@require_POST
def job_apply(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            services.job_apply(applicant=request.user, job=job, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc)
        else:
            messages.success(request, _("Application sent."))
    return redirect("exchange:job-detail", pk=pk)


@login_required
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(JobApplication.objects.select_related("applicant"), pk=pk)
    try:
        services.application_decide(decided_by=request.user, application=application,
                                    accept=request.POST.get("accept") == "1")
    except DomainError as exc:
        show_domain_error(request, exc)
    return redirect("exchange:job-detail", pk=application.job_id)


@login_required
def labour_offer_create(request: HttpRequest) -> HttpResponse:
    villages = core_selectors.villages_of_user(user=request.user, role=Role.RURAL_WORKER)
    village = villages.first()
    form = LabourOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if village is None:
                from synergy.core.errors import NotAllowed

                raise NotAllowed(_("Only rural workers can offer labour."))
            services.labour_offer_create(worker=request.user, village=village, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your labour offer is published."))
            return redirect("exchange:job-list")
    return render(request, "exchange/labour_offer_form.html", {"form": form, "village": village})


# ---------------------------------------------------------------------------------- events

def event_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/event_list.html", {"events": selectors.event_list()})


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = selectors.event_get(pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None
    return render(request, "exchange/event_detail.html", {
        "event": event, "registration": selectors.registration_of(user=request.user, event=event)})


@login_required
@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Event, pk=pk)
    try:
        services.registration_create(person=request.user, event=pk)
    except DomainError as exc:
        show_domain_error(request, exc)
    else:
        messages.success(request, _("You are registered."))
    return redirect("exchange:event-detail", pk=pk)


@login_required
@require_POST
def event_unregister(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(Registration, pk=pk)
    try:
        services.registration_cancel(person=request.user, registration=registration)
    except DomainError as exc:
        show_domain_error(request, exc)
    else:
        messages.success(request, _("Registration cancelled."))
    return redirect("exchange:event-detail", pk=registration.event_id)


# ------------------------------------------------------------------------------- dashboard

@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinator's exchange sections: campaigns, hours to confirm, interests to answer."""
    villages = core_selectors.villages_of_user(user=request.user, role=Role.COORDINATOR)
    signups = selectors.signup_list_for_coordinator(user=request.user)
    now = timezone.now()
    return render(request, "exchange/dashboard.html", {
        "villages": villages,
        "campaigns": selectors.campaign_list().filter(village__in=villages),
        "to_confirm": [s for s in signups if s.slot.ends_at <= now and s.hours_confirmed is None],
        "upcoming": [s for s in signups if s.slot.ends_at > now],
        "interests": selectors.interest_list_for_coordinator(user=request.user),
        "hours_form": HoursForm(), "reply_form": ReplyForm(),
    })


@login_required
@require_POST
def signup_confirm_hours(request: HttpRequest, pk: int) -> HttpResponse:
    signup = get_object_or_404(Signup.objects.select_related("slot__need", "volunteer"), pk=pk)
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            services.signup_confirm_hours(confirmed_by=request.user, signup=signup,
                                          hours=form.cleaned_data["hours"])
        except DomainError as exc:
            show_domain_error(request, exc)
        else:
            messages.success(request, _("Hours confirmed."))
    else:
        messages.error(request, _("Enter the hours served."))
    return redirect("exchange:dashboard")


# ------------------------------------------------------------------------- creation pages

def _create_page(request, *, form_class, places, create, title: str, done: str):
    """One page per kind of offer: a form scoped to the places the user may act for."""
    form = form_class(request.POST or None, request.FILES or None, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            obj = create(form.cleaned_data)
        except DomainError as exc:
            form.add_error(getattr(exc, "field", None) if getattr(exc, "field", None) in form.fields
                           else None, exc.message)
        else:
            messages.success(request, done)
            return obj
    return render(request, "exchange/form.html", {"form": form, "title": title,
                                                  "no_places": not places.exists()})


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    result = _create_page(
        request, form_class=CampaignForm, places=core_selectors.coordinated_villages(user=request.user),
        create=lambda d: services.campaign_create(created_by=request.user, **d),
        title=_("Start a donation campaign"), done=_("Campaign started."))
    if isinstance(result, Campaign):
        return redirect("exchange:campaign-detail", pk=result.pk)
    return result


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    result = _create_page(
        request, form_class=NeedForm, places=core_selectors.coordinated_villages(user=request.user),
        create=lambda d: services.volunteer_need_create(created_by=request.user, **d),
        title=_("Post a volunteer need"), done=_("Volunteer need posted; now add time slots."))
    if isinstance(result, VolunteerNeed):
        return redirect("exchange:need-detail", pk=result.pk)
    return result


@login_required
@require_POST
def slot_create(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(VolunteerNeed, pk=pk)
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            services.volunteer_slot_create(created_by=request.user, need=need, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc)
        else:
            messages.success(request, _("Time slot added."))
    else:
        messages.error(request, _("Please check the time slot: %(e)s") % {
            "e": "; ".join(" ".join(v) for v in form.errors.values())})
    return redirect("exchange:need-detail", pk=pk)


@login_required
def investment_create(request: HttpRequest) -> HttpResponse:
    result = _create_page(
        request, form_class=InvestmentNeedForm, places=core_selectors.coordinated_villages(user=request.user),
        create=lambda d: services.investment_need_create(created_by=request.user, **d),
        title=_("Post an investment need"), done=_("Investment need posted."))
    if isinstance(result, InvestmentNeed):
        return redirect("exchange:investment-detail", pk=result.pk)
    return result


@login_required
def job_create(request: HttpRequest) -> HttpResponse:
    places = core_selectors.communities_of_user(
        user=request.user, role=[Role.MERCHANT, Role.PROPERTY_MANAGER])
    result = _create_page(
        request, form_class=JobForm, places=places,
        create=lambda d: services.job_create(posted_by=request.user, **d),
        title=_("Post a job"), done=_("Job posted."))
    if isinstance(result, Job):
        return redirect("exchange:job-detail", pk=result.pk)
    return result


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    places = selectors.event_organiser_pairings(user=request.user)
    result = _create_page(
        request, form_class=EventForm, places=places,
        create=lambda d: services.event_create(created_by=request.user, **d),
        title=_("Organise a cultural event"), done=_("Event published."))
    if isinstance(result, Event):
        return redirect("exchange:event-detail", pk=result.pk)
    return result
