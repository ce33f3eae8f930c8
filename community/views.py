"""HTML pages of the community node: parse, authorise (one selector), call a service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import forms, selectors, services
from community.api.views import bills_csv
from community.models import ServiceKind, TicketStatus
from synergy.core import selectors as core
from synergy.core.errors import DomainError
from synergy.core.models import Role, Village
from synergy.core.private_files import download_name, private_file_response
from synergy.core.web import parse_id, safe_next, show_domain_error
from villages import selectors as village_selectors


def index(request: HttpRequest) -> HttpResponse:
    """My community (if I have exactly one), else the list of communities."""
    mine = list(core.communities_of_user(user=request.user, role=Role.RESIDENT)) or list(
        core.communities_of_user(user=request.user, role=Role.PROPERTY_MANAGER)) or list(
        core.communities_of_user(user=request.user, role=Role.MERCHANT))
    if len(mine) == 1:
        return redirect("community:home", slug=mine[0].slug)
    return render(request, "community/index.html", {"communities": mine or core.community_list()})


def home(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    member = selectors.user_is_member_of(user=request.user, community=community)
    manages = core.user_manages_community(user=request.user, community=community)
    notices = (selectors.notice_list(community=community, viewer=request.user)[:5]
               if member else [])
    channel_villages = list(core.paired_villages(community=community))
    channel_filters = forms.ChannelFilterForm(request.GET or None, villages=channel_villages)
    f = channel_filters.cleaned_data if channel_filters.is_valid() else {}
    return render(request, "community/home.html", {
        "community": community, "member": member, "manages": manages, "notices": notices,
        "channel_villages": channel_villages,
        "channel_filters": channel_filters,
        "channel": selectors.rural_channel(
            community=community, kinds=[f["kind"]] if f.get("kind") else None,
            village=f.get("village"), followed_by=request.user if f.get("followed") else None),
        "followed": selectors.followed_village_ids(user=request.user),
        "can_follow": core.user_is_resident_of(user=request.user, community=community),
    })


@require_POST
@login_required
def follow_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    village = get_object_or_404(Village, pk=pk)
    try:
        if request.POST.get("action") == "unfollow":
            services.village_unfollow(user=request.user, village=village)
            messages.success(request, _("You no longer follow %(v)s.") % {"v": village.name})
        else:
            services.village_follow(user=request.user, village=village)
            messages.success(request, _("You now follow %(v)s.") % {"v": village.name})
    except DomainError as exc:
        show_domain_error(request, exc)
    return redirect(safe_next(request, "community:index"))


# --------------------------------------------------------------------------- notices


def _member_or_403(request, slug):
    community = selectors.community_get(slug=slug)
    if not selectors.user_is_member_of(user=request.user, community=community):
        raise PermissionDenied
    return community


@login_required
def notices(request: HttpRequest, slug: str) -> HttpResponse:
    community = _member_or_403(request, slug)
    manages = core.user_manages_community(user=request.user, community=community)
    form = forms.NoticeForm(request.POST or None, request.FILES or None) if manages else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.notice_publish(author=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("Notice published."))
            return redirect("community:notices", slug=slug)
    return render(request, "community/notices.html", {
        "community": community, "manages": manages, "form": form,
        "notices": selectors.notice_list(community=community, viewer=request.user,
                                         include_expired=manages),
    })


@login_required
def notice_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _member_or_403(request, slug)
    notice = selectors.notice_get(community=community, viewer=request.user, pk=pk)
    services.notice_mark_read(user=request.user, notice=notice)  # opening it is reading it
    return render(request, "community/notice_detail.html", {"community": community, "notice": notice})


@login_required
def notice_attachment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The notice's attachment, to those who may read the notice (the same check as the page)."""
    community = _member_or_403(request, slug)
    notice = selectors.notice_get(community=community, viewer=request.user, pk=pk)
    if not notice.attachment:
        raise Http404
    return private_file_response(request, notice.attachment,
                                 download_name=download_name(notice.title, notice.attachment))


# --------------------------------------------------------------------------- tickets


@login_required
def tickets(request: HttpRequest, slug: str) -> HttpResponse:
    community = _member_or_403(request, slug)
    status = request.GET.get("status") or None
    rows = list(selectors.ticket_list(community=community, viewer=request.user, status=status))
    now = timezone.now()
    for t in rows:
        t.age = selectors.ticket_age(t, now=now)
    return render(request, "community/tickets.html", {
        "community": community, "tickets": rows, "status": status,
        "manages": core.user_manages_community(user=request.user, community=community),
        "is_resident": core.user_is_resident_of(user=request.user, community=community),
        "statuses": TicketStatus.choices,
    })


@login_required
def ticket_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    unit = selectors.resident_unit(user=request.user, community=community)
    if unit is None:
        raise PermissionDenied
    form = forms.TicketForm(request.POST or None, request.FILES or None, initial={"unit": unit})
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.repair_ticket_create(reporter=request.user, community=community,
                                                   **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("Thank you: your repair request #%(n)d was sent.")
                             % {"n": ticket.pk})
            return redirect("community:ticket", pk=ticket.pk)
    return render(request, "community/ticket_new.html", {"community": community, "form": form})


TICKET_ACTIONS = {
    "start": services.repair_ticket_start,
    "resolve": services.repair_ticket_resolve,
    "close": services.repair_ticket_close,
    "reopen": services.repair_ticket_reopen,
}


@login_required
def ticket_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """A ticket's photo, to those who may see the ticket (the same selector as its page)."""
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    photo = next((p for p in ticket.photos.all() if p.pk == photo_pk), None)
    if photo is None:
        raise Http404
    return private_file_response(request, photo.image)


@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    manages = core.user_manages_community(user=request.user, community=ticket.community_id)
    is_reporter = ticket.reporter_id == request.user.pk

    def make_assign_form(data=None):
        return forms.AssignForm(data, staff=selectors.community_staff(community=ticket.community_id),
                                villages=core.paired_villages(community=ticket.community_id))

    assign_form = make_assign_form() if manages and ticket.status == TicketStatus.OPEN else None
    rate_form = forms.RateForm() if is_reporter else None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "assign" and manages:
                assign_form = make_assign_form(request.POST)
                if assign_form.is_valid():
                    services.repair_ticket_assign(actor=request.user, ticket=ticket,
                                                  note=assign_form.cleaned_data["note"],
                                                  **assign_form.assignee_kwargs())
                    messages.success(request, _("Ticket assigned."))
                    return redirect("community:ticket", pk=pk)
            elif action == "rate" and is_reporter:
                rate_form = forms.RateForm(request.POST)
                if rate_form.is_valid():
                    services.repair_ticket_rate(actor=request.user, ticket=ticket,
                                                rating=rate_form.cleaned_data["rating"],
                                                comment=rate_form.cleaned_data["comment"])
                    messages.success(request, _("Thank you for your rating."))
                    return redirect("community:ticket", pk=pk)
            elif action in TICKET_ACTIONS:
                TICKET_ACTIONS[action](actor=request.user, ticket=ticket,
                                       note=request.POST.get("note", "")[:300])
                messages.success(request, _("Ticket updated."))
                return redirect("community:ticket", pk=pk)
        except DomainError as exc:
            show_domain_error(request, exc)
            return redirect("community:ticket", pk=pk)
    return render(request, "community/ticket_detail.html", {
        "ticket": ticket, "community": ticket.community, "manages": manages,
        "assign_form": assign_form, "rate_form": rate_form,
        "is_reporter": is_reporter,
        "can_work": selectors.user_can_work_on_ticket(user=request.user, ticket=ticket),
        "age": selectors.ticket_age(ticket),
    })


# --------------------------------------------------------------------------- bills


@login_required
def bills(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    manages = core.user_manages_community(user=request.user, community=community)
    unit = None if manages else selectors.resident_unit(user=request.user, community=community)
    if not manages and unit is None:
        raise PermissionDenied
    bill_form = forms.BillForm(prefix="bill") if manages else None
    if request.method == "POST" and manages:
        try:
            if "bill-unit" in request.POST:
                bill_form = forms.BillForm(request.POST, prefix="bill")
                if bill_form.is_valid():
                    services.bill_create(created_by=request.user, community=community,
                                         **bill_form.cleaned_data)
                    messages.success(request, _("Bill issued."))
                    return redirect("community:bills", slug=slug)
            else:
                pay = forms.PaymentForm(request.POST)
                if pay.is_valid():
                    data = pay.cleaned_data
                    bill = selectors.bill_get_for_manager(user=request.user, pk=data.pop("bill"))
                    services.payment_record(recorded_by=request.user, bill=bill, **data)
                    messages.success(request, _("Payment recorded."))
                    return redirect("community:bills", slug=slug)
                messages.error(request, _("Check the payment amount and date."))
        except DomainError as exc:
            show_domain_error(request, exc, bill_form)
    rows = selectors.bill_list(community=community, viewer=request.user)
    if request.GET.get("period"):
        rows = rows.filter(period=request.GET["period"])
    return render(request, "community/bills.html", {
        "community": community, "manages": manages, "unit": unit, "bills": rows[:200],
        "bill_form": bill_form, "today": timezone.localdate(),
        "arrears": selectors.arrears_report(community=community) if manages else None,
    })


@login_required
def bills_export(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    if not core.user_manages_community(user=request.user, community=community):
        raise PermissionDenied
    rows = selectors.bill_list(community=community, viewer=request.user)
    if request.GET.get("period"):
        rows = rows.filter(period=request.GET["period"])
    return bills_csv(rows)


# --------------------------------------------------------------------------- directory


def businesses(request: HttpRequest, slug: str) -> HttpResponse:
    """The business circle; a merchant of the community lists a shop and adds offers and coupons."""
    community = selectors.community_get(slug=slug)
    is_merchant = core.user_has_role(user=request.user, role=Role.MERCHANT, community=community)
    shop_form = forms.BusinessForm(prefix="shop") if is_merchant else None
    offer_form, coupon_form = forms.OfferForm(prefix="offer"), forms.CouponForm(prefix="coupon")
    if request.method == "POST" and request.user.is_authenticated:
        kind = request.POST.get("form")
        try:
            if kind == "shop" and is_merchant:
                shop_form = forms.BusinessForm(request.POST, prefix="shop")
                if shop_form.is_valid():
                    services.business_create(owner=request.user, community=community,
                                             **shop_form.cleaned_data)
                    messages.success(request, _("Your shop is listed."))
                    return redirect("community:businesses", slug=slug)
            elif kind in ("offer", "coupon"):
                business = selectors.business_get(pk=parse_id(request.POST.get("business"), name="business"))
                if kind == "offer":
                    offer_form = forms.OfferForm(request.POST, prefix="offer")
                    if offer_form.is_valid():
                        services.offer_create(actor=request.user, business=business,
                                              **offer_form.cleaned_data)
                        messages.success(request, _("Offer added."))
                        return redirect("community:businesses", slug=slug)
                else:
                    coupon_form = forms.CouponForm(request.POST, prefix="coupon")
                    if coupon_form.is_valid():
                        services.coupon_create(actor=request.user, business=business,
                                               **coupon_form.cleaned_data)
                        messages.success(request, _("Coupon added."))
                        return redirect("community:businesses", slug=slug)
        except DomainError as exc:
            show_domain_error(request, exc)
    return render(request, "community/businesses.html", {
        "community": community, "businesses": selectors.business_list(community=community),
        "shop_form": shop_form, "offer_form": offer_form, "coupon_form": coupon_form,
    })


def services_page(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    manages = core.user_manages_community(user=request.user, community=community)
    form = forms.ServiceForm(request.POST or None) if manages else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.service_create(actor=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("Service added."))
            return redirect("community:services", slug=slug)
    kind = request.GET.get("kind") or None
    return render(request, "community/services.html", {
        "community": community, "form": form, "kind": kind,
        "services": selectors.service_list(community=community, kind=kind),
        "kinds": ServiceKind.choices,
    })


def housing(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    can_post = core.user_has_role(user=request.user, role=[Role.RESIDENT, Role.PROPERTY_MANAGER],
                                  community=community)
    form = forms.HousingForm(request.POST or None, request.FILES or None) if can_post else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.housing_create(posted_by=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("Listing posted."))
            return redirect("community:housing", slug=slug)
    filters = forms.HousingFilterForm(request.GET or None)
    rows = selectors.housing_list(community=community)
    if filters.is_valid():
        f = filters.cleaned_data
        if f.get("kind"):
            rows = rows.filter(kind=f["kind"])
        if f.get("max_price") is not None:
            rows = rows.filter(price__lte=f["max_price"])
        if f.get("min_rooms") is not None:
            rows = rows.filter(rooms__gte=f["min_rooms"])
    return render(request, "community/housing.html", {
        "community": community, "form": form, "filters": filters, "listings": rows[:100],
        "stays": village_selectors.stay_list_for_community(community=community),
    })
