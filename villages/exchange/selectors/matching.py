"""Recommendations: needs and jobs ranked for a person, workers ranked for a job (the scoring
itself is plain Python in `villages.exchange.matching`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from synergy.core import selectors as core_selectors
from synergy.core.models import COMMUNITY_ROLES, Community, Role, User
from villages.exchange import matching
from villages.exchange.models import Job, JobApplication, LabourOffer, Skill, Weekday
from villages.exchange.selectors._common import is_logged_in
from villages.exchange.selectors.labour import (
    application_list_for_job,
    job_get,
    job_list,
    labour_offer_list,
    require_job_poster,
    user_may_decide_on_job,
)
from villages.exchange.selectors.volunteering import volunteer_need_list, volunteer_profile_of


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
    """Open needs with places in upcoming slots, ranked for the user, each with its breakdown
    (none for an anonymous visitor)."""
    if not is_logged_in(user):
        return []
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


def _pair_score(job: Job, offer: LabourOffer, km) -> matching.Match:
    return matching.score(wanted_skills=job.skills, skills=offer.skills, wanted_days=job.weekdays,
                          days=offer.weekdays, distance_km=km, skill_label=_skill_label,
                          day_label=_day_label)


def job_recommended_for_worker(*, user: User, limit: int = 20) -> list[Recommendation]:
    """Open jobs ranked against the worker's latest open labour offer (skills, days, village);
    none for someone who is no rural worker and has no offer."""
    if not is_logged_in(user):
        return []
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


def labour_recommended_for_job(*, viewer: User | None, job: Job, limit: int = 20) -> list[Recommendation]:
    """Open labour offers ranked for a job: for the job's poster, the community's property
    managers and administrators; NotAllowed for anyone else."""
    require_job_poster(viewer=viewer, job=job)
    offers = list(labour_offer_list())
    dist = core_selectors.distances_km(communities=[job.community],
                                       villages=list({o.village for o in offers}))
    out = [Recommendation(o, _pair_score(job, o, dist[(job.community_id, o.village_id)]))
           for o in offers]
    out.sort(key=lambda r: (-r.match.score, r.item.pk))
    return out[:limit]


@dataclass
class JobPage:
    """A job as a viewer sees it: its poster (and the community's property managers and
    administrators) also get its applications and the workers recommended for it."""

    job: Job
    viewer_is_poster: bool
    applications: list
    recommended: list[Recommendation]
    own_application: JobApplication | None = None  # the viewer's own (they may withdraw it)


def job_page(*, viewer: User | None, pk: int, limit: int = 5) -> JobPage:
    job = job_get(pk=pk)
    own = (JobApplication.objects.filter(job=job, applicant=viewer).first()
           if is_logged_in(viewer) else None)
    if not user_may_decide_on_job(user=viewer, job=job):
        return JobPage(job, False, [], [], own)
    return JobPage(job, True, list(application_list_for_job(viewer=viewer, job=job)),
                   labour_recommended_for_job(viewer=viewer, job=job, limit=limit), own)
