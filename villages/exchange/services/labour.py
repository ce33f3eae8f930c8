"""Rural labour offers, city jobs, and applications."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Invalid, NotAllowed
from synergy.core.models import Community, Pairing, Role, User, Village
from synergy.core.services import notify
from villages.exchange.errors import AlreadyDone, JobClosed, PositionsFilled
from villages.exchange.models import (
    ApplicationStatus,
    Job,
    JobApplication,
    LabourOffer,
    OpenStatus,
)
from villages.exchange.services._common import clean_skills, clean_weekdays


@transaction.atomic
def labour_offer_create(
    *, worker: User, village: Village, title: str, skills: list[str], weekdays: list[int],
    expected_daily_pay: Decimal, description: str = "",
) -> LabourOffer:
    if not core_selectors.user_has_role(user=worker, role=Role.RURAL_WORKER, village=village):
        raise NotAllowed(_("Only rural workers of this village can offer labour here."))
    if expected_daily_pay <= 0:
        raise Invalid(_("The expected pay must be more than zero."), field="expected_daily_pay")
    return LabourOffer.objects.create(
        worker=worker, village=village, title=title, skills=clean_skills(skills),
        weekdays=clean_weekdays(weekdays), expected_daily_pay=expected_daily_pay,
        description=description)


@transaction.atomic
def job_create(
    *, posted_by: User, community: Community, title: str, kind: str, skills: list[str],
    weekdays: list[int], daily_pay: Decimal, positions: int = 1, description: str = "",
) -> Job:
    if not core_selectors.user_has_role(
            user=posted_by, role=[Role.MERCHANT, Role.PROPERTY_MANAGER, Role.ADMIN],
            community=community) and not core_selectors.user_is_platform_admin(user=posted_by):
        raise NotAllowed(_("Only merchants and property managers of this community can post jobs."))
    if daily_pay <= 0:
        raise Invalid(_("The pay must be more than zero."), field="daily_pay")
    if positions < 1:
        raise Invalid(_("A job needs at least one position."), field="positions")
    return Job.objects.create(
        community=community, posted_by=posted_by, title=title, kind=kind,
        skills=clean_skills(skills), weekdays=clean_weekdays(weekdays), daily_pay=daily_pay,
        positions=positions, description=description)


@transaction.atomic
def job_apply(*, applicant: User, job: Job, message: str = "") -> JobApplication:
    villages = core_selectors.villages_of_user(user=applicant, role=Role.RURAL_WORKER)
    village_ids = list(villages.values_list("pk", flat=True))
    if not village_ids:
        raise NotAllowed(_("Only rural workers can apply for jobs."))
    if job.status != OpenStatus.OPEN:
        raise JobClosed(_("This job is no longer open."))
    pairing = (Pairing.objects.filter(community=job.community_id, village__in=village_ids,
                                      active=True).order_by("distance_km").first())
    try:
        with transaction.atomic():
            application = JobApplication.objects.create(job=job, applicant=applicant,
                                                        message=message, pairing=pairing)
    except IntegrityError:
        raise AlreadyDone(_("You have already applied for this job.")) from None
    notify(recipient=job.posted_by, kind="exchange.job_application",
           message=lambda: _("%(who)s applied for “%(job)s”.") % {"who": applicant, "job": job.title},
           url=reverse("exchange:job-detail", args=[job.pk]))
    return application


@transaction.atomic
def application_decide(*, decided_by: User, application: JobApplication,
                       accept: bool) -> JobApplication:
    """The poster accepts or rejects; accepting the last position fills (closes) the job."""
    job = Job.objects.select_for_update().get(pk=application.job_id)
    if decided_by.pk != job.posted_by_id and not core_selectors.user_manages_community(
            user=decided_by, community=job.community_id):
        raise NotAllowed(_("Only the person who posted this job can decide on applications."))
    new_status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.REJECTED
    if accept:
        accepted = job.applications.filter(status=ApplicationStatus.ACCEPTED).count()
        if accepted >= job.positions:
            raise PositionsFilled(_("All positions of this job are already filled."))
    updated = JobApplication.objects.filter(
        pk=application.pk, status=ApplicationStatus.APPLIED,
    ).update(status=new_status, decided_at=timezone.now())
    if updated != 1:
        raise AlreadyDone(_("This application has already been decided or withdrawn."))
    if accept and accepted + 1 >= job.positions:
        Job.objects.filter(pk=job.pk).update(status=OpenStatus.CLOSED)
    application.refresh_from_db()
    # The applicant hears the decision (accepted or rejected).
    notify(recipient=application.applicant, kind="exchange.application_decided",
           message=lambda: _("Your application for “%(job)s”: %(status)s.") % {
               "job": job.title, "status": application.get_status_display()},
           url=reverse("exchange:job-detail", args=[job.pk]))
    return application


@transaction.atomic
def application_withdraw(*, by: User, application: JobApplication) -> JobApplication:
    """The applicant takes back an application nobody has decided on yet; the poster is told."""
    if application.applicant_id != by.pk:
        raise NotAllowed(_("This application is not yours."))
    updated = JobApplication.objects.filter(
        pk=application.pk, status=ApplicationStatus.APPLIED,
    ).update(status=ApplicationStatus.WITHDRAWN, decided_at=timezone.now())
    if updated != 1:
        raise AlreadyDone(_("This application has already been decided or withdrawn."))
    application.refresh_from_db()
    job = application.job
    notify(recipient=job.posted_by, kind="exchange.application_withdrawn",
           message=lambda: _("%(who)s withdrew their application for “%(job)s”.") % {
               "who": by, "job": job.title},
           url=reverse("exchange:job-detail", args=[job.pk]))
    return application
