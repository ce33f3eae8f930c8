"""Reads of labour offers, jobs and job applications."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.filters import apply_filters
from synergy.core.models import Community, Role, User, Village
from villages.exchange.models import Job, JobApplication, LabourOffer, OpenStatus
from villages.exchange.selectors._common import get_or_404, is_logged_in
from villages.exchange.selectors.filters import JobFilter, LabourOfferFilter


def labour_offer_list(*, village: Village | int | None = None, worker: User | None = None,
                      open_only: bool = True, filters: Mapping | None = None) -> QuerySet[LabourOffer]:
    """Offers, newest first, narrowed by `filters` (LabourOfferFilter: village, skill)."""
    qs = LabourOffer.objects.select_related("village", "worker")
    if village is not None:
        qs = qs.filter(village=village)
    if worker is not None:
        qs = qs.filter(worker=worker)
    if open_only:
        qs = qs.filter(status=OpenStatus.OPEN)
    return apply_filters(LabourOfferFilter, filters, qs.order_by("-created_at", "-pk"))


def labour_village_of(*, user: User | None) -> Village | None:
    """The village a rural worker offers labour from (their first), else None."""
    if not is_logged_in(user):
        return None
    return core_selectors.villages_of_user(user=user, role=Role.RURAL_WORKER).first()


def labour_village_for_worker(*, user: User | None) -> Village:
    """`labour_village_of`, or NotAllowed for someone who is no rural worker."""
    village = labour_village_of(user=user)
    if village is None:
        raise NotAllowed(_("Only rural workers can offer labour."))
    return village


def job_list(*, community: Community | int | None = None, open_only: bool = True,
             posted_by: User | None = None, filters: Mapping | None = None) -> QuerySet[Job]:
    """Jobs, newest first, with `applications_count`, narrowed by `filters`
    (JobFilter: community, kind)."""
    qs = Job.objects.select_related("community", "posted_by").annotate(
        applications_count=Count("applications"))
    if community is not None:
        qs = qs.filter(community=community)
    if posted_by is not None:
        qs = qs.filter(posted_by=posted_by)
    if open_only:
        qs = qs.filter(status=OpenStatus.OPEN)
    return apply_filters(JobFilter, filters, qs.order_by("-created_at", "-pk"))


def job_get(*, pk: int) -> Job:
    """One job (public); Http404 if there is none."""
    return get_or_404(Job.objects.select_related("community", "posted_by"), pk=pk)


def user_may_decide_on_job(*, user: User | None, job: Job) -> bool:
    """The job's poster, the community's property managers and administrators: they see its
    applications and recommended workers, and decide (the rule of `application_decide`)."""
    if not is_logged_in(user):
        return False
    return job.posted_by_id == user.pk or core_selectors.user_manages_community(
        user=user, community=job.community_id)


def require_job_poster(*, viewer: User | None, job: Job) -> None:
    if not user_may_decide_on_job(user=viewer, job=job):
        raise NotAllowed(_("Only the person who posted this job can see its applications."))


def application_list_for_job(*, viewer: User | None, job: Job) -> QuerySet[JobApplication]:
    """A job's applications, oldest first, for `user_may_decide_on_job`; NotAllowed for anyone
    else."""
    require_job_poster(viewer=viewer, job=job)
    return job.applications.select_related("applicant").order_by("created_at", "pk")


def application_get(*, pk: int) -> JobApplication:
    """An application with its applicant (the service decides who may decide on it)."""
    return get_or_404(JobApplication.objects.select_related("applicant"), pk=pk)


def application_list_for_applicant(*, user: User) -> QuerySet[JobApplication]:
    return JobApplication.objects.filter(applicant=user).select_related("job", "job__community")
