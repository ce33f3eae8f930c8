"""Jobs and labour offers: lists, a job's page (its poster sees applications and recommended
workers), applying, deciding, and the creation pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy.core import selectors as core_selectors
from synergy.core.filters import filtered_page
from synergy.core.models import Role
from synergy.core.web import ActionView, form_page
from villages.exchange import selectors, services
from villages.exchange.forms import ApplicationForm, JobForm, LabourOfferForm, WithdrawForm
from villages.exchange.views._common import go


def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/job_list.html", {
        "jobs": filtered_page(request, lambda f: selectors.job_list(filters=f)),
        "offers": selectors.labour_offer_list(),
        "recommended": selectors.job_recommended_for_worker(user=request.user, limit=5)})


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.job_page(viewer=request.user, pk=pk)
    return render(request, "exchange/job_detail.html", {
        "job": page.job, "is_poster": page.viewer_is_poster, "form": ApplicationForm(),
        "applications": page.applications, "recommended": page.recommended,
        "own_application": page.own_application, "withdraw_form": WithdrawForm()})


class JobApplyView(ActionView):
    """A rural worker applies for a job."""

    form_class = ApplicationForm
    done = gettext_lazy("Application sent.")
    invalid = gettext_lazy("Please check the application: %(e)s")

    def get_object(self, pk):
        return selectors.job_get(pk=pk)

    def default_next(self, job) -> str:
        return reverse("exchange:job-detail", args=[job.pk])

    def perform(self, job, data):
        return services.job_apply(applicant=self.request.user, job=job, **data)


class ApplicationWithdrawView(ActionView):
    """The applicant withdraws a pending application (after ticking the confirmation)."""

    form_class = WithdrawForm
    done = gettext_lazy("Your application is withdrawn.")
    invalid = gettext_lazy("Tick the box to confirm: %(e)s")

    def get_object(self, pk):
        return selectors.application_get(pk=pk)

    def default_next(self, application) -> str:
        return reverse("exchange:job-detail", args=[application.job_id])

    def perform(self, application, data):
        return services.application_withdraw(by=self.request.user, application=application)


class ApplicationDecideView(ActionView):
    """The job's poster accepts (`accept=1`) or rejects an application."""

    def get_object(self, pk):
        return selectors.application_get(pk=pk)

    def default_next(self, application) -> str:
        return reverse("exchange:job-detail", args=[application.job_id])

    def perform(self, application, data):
        return services.application_decide(decided_by=self.request.user, application=application,
                                           accept=self.request.POST.get("accept") == "1")


@login_required
def labour_offer_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request, form=LabourOfferForm(request.POST or None),
        template="exchange/labour_offer_form.html",
        save=lambda d: services.labour_offer_create(
            worker=request.user, village=selectors.labour_village_for_worker(user=request.user), **d),
        on_success=lambda _offer: go(request, "exchange:job-list"),
        done=_("Your labour offer is published."),
        context={"village": selectors.labour_village_of(user=request.user)})


@login_required
def job_create(request: HttpRequest) -> HttpResponse:
    places = core_selectors.communities_of_user(
        user=request.user, role=[Role.MERCHANT, Role.PROPERTY_MANAGER])
    return form_page(
        request, form=JobForm(request.POST or None, request.FILES or None, places=places),
        template="exchange/form.html",
        save=lambda d: services.job_create(posted_by=request.user, **d),
        on_success=lambda job: go(request, "exchange:job-detail", job.pk),
        done=_("Job posted."),
        context={"title": _("Post a job"), "no_places": not places.exists()})
