"""Investment needs: list, detail with the interest form, creation, the private attachment,
and the coordinator's reply to an interest."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.filters import filtered_page
from synergy.core.private_files import download_name, private_file_response
from synergy.core.web import ActionView, form_page, login_redirect
from villages.exchange import selectors, services
from villages.exchange.forms import InterestForm, InterestMessageForm, InvestmentNeedForm, ReplyForm
from villages.exchange.views._common import go


def investment_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/investment_list.html", {
        "needs": filtered_page(request, lambda f: selectors.investment_need_list(filters=f))})


def investment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST" and not request.user.is_authenticated:
        return login_redirect(request)
    page = selectors.investment_page(viewer=request.user, pk=pk)
    need = page.need
    return form_page(
        request, form=InterestForm(request.POST or None), template="exchange/investment_detail.html",
        save=lambda d: services.interest_express(investor=request.user, need=need, **d),
        on_success=lambda _interest: go(request, "exchange:investment-detail", need.pk),
        done=_("Your interest was sent to the village."),
        context={"need": need, "interests": page.interests, "is_coordinator": page.viewer_coordinates,
                 "reply_form": ReplyForm(), "message_form": InterestMessageForm(),
                 "attachment_visible": page.attachment_visible})


@login_required
def investment_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """The need is public; its attachment only for the village's coordinators, administrators
    and people who expressed interest in it."""
    try:
        need = selectors.investment_attachment_for_viewer(viewer=request.user, pk=pk)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    return private_file_response(request, need.attachment,
                                 download_name=download_name(need.title, need.attachment))


@login_required
def investment_create(request: HttpRequest) -> HttpResponse:
    places = core_selectors.coordinated_villages(user=request.user)
    return form_page(
        request, form=InvestmentNeedForm(request.POST or None, request.FILES or None, places=places),
        template="exchange/form.html",
        save=lambda d: services.investment_need_create(created_by=request.user, **d),
        on_success=lambda need: go(request, "exchange:investment-detail", need.pk),
        done=_("Investment need posted."),
        context={"title": _("Post an investment need"), "no_places": not places.exists()})


class InterestReplyView(ActionView):
    """The village's coordinator answers an expression of interest."""

    form_class = ReplyForm
    done = gettext_lazy("Reply sent.")
    invalid = gettext_lazy("Please check the reply: %(e)s")

    def get_object(self, pk):
        return selectors.interest_get(pk=pk)

    def default_next(self, interest) -> str:
        return reverse("exchange:dashboard")

    def perform(self, interest, data):
        return services.interest_reply(replied_by=self.request.user, interest=interest, **data)


class InterestMessageView(ActionView):
    """The investor or the village's coordinator adds a message to the conversation."""

    form_class = InterestMessageForm
    done = gettext_lazy("Message sent.")
    invalid = gettext_lazy("Please check the message: %(e)s")

    def get_object(self, pk):
        return selectors.interest_get_for_viewer(viewer=self.request.user, pk=pk)

    def default_next(self, interest) -> str:
        return reverse("exchange:investment-detail", args=[interest.need_id])

    def perform(self, interest, data):
        return services.interest_message_post(by=self.request.user, interest=interest, **data)
