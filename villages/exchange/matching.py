"""Transparent match scores: plain Python (only gettext from Django), no ORM, checkable by hand.

score = 50 × skill overlap + 30 × availability overlap + 20 × nearness  (0–100)

- skill overlap: share of the wanted skills the person has (1 when nothing particular is wanted);
- availability overlap: share of the wanted weekdays the person is free on (1 when none are set
  by the side that asks, 0 when the person gave no availability);
- nearness: 1 − distance / 100 km, floored at 0 (0 when the distance is unknown).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

WEIGHTS = {"skills": 50, "availability": 30, "distance": 20}
DISTANCE_HORIZON_KM = 100


@dataclass
class Part:
    name: str
    points: float
    max_points: int
    detail: str


@dataclass
class Match:
    score: float
    parts: list[Part] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return "; ".join(f"{p.detail} → {p.points:g}/{p.max_points}" for p in self.parts)

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "explanation": self.explanation,
            "breakdown": {p.name: {"points": p.points, "max": p.max_points, "detail": p.detail}
                          for p in self.parts},
        }


def _r(x: float) -> float:
    return round(x + 0.0, 2)


def score(
    *, wanted_skills: Iterable[str], skills: Iterable[str], wanted_days: Iterable[int],
    days: Iterable[int], distance_km: Decimal | float | None,
    skill_label=lambda s: s, day_label=lambda d: str(d),
) -> Match:
    wanted, have = list(dict.fromkeys(wanted_skills)), set(skills)
    common = [s for s in wanted if s in have]
    if wanted:
        skill_share = len(common) / len(wanted)
        skill_detail = _("skills: %(n)d of %(m)d wanted") % {"n": len(common), "m": len(wanted)}
        if common:
            skill_detail += f" ({', '.join(str(skill_label(s)) for s in common)})"
    else:
        skill_share, skill_detail = 1.0, _("skills: none in particular wanted")

    want_days, free = sorted(set(wanted_days)), set(days)
    shared_days = [d for d in want_days if d in free]
    if not want_days:
        day_share, day_detail = 1.0, _("availability: any day suits")
    elif not free:
        day_share, day_detail = 0.0, _("availability: none given")
    else:
        day_share = len(shared_days) / len(want_days)
        day_detail = _("availability: free on %(n)d of %(m)d days") % {
            "n": len(shared_days), "m": len(want_days)}
        if shared_days:
            day_detail += f" ({', '.join(str(day_label(d)) for d in shared_days)})"

    if distance_km is None:
        near, dist_detail = 0.0, _("distance: unknown")
    else:
        d = float(distance_km)
        near = max(0.0, 1 - d / DISTANCE_HORIZON_KM)
        dist_detail = _("distance: %(d)s km") % {"d": f"{d:g}"}

    parts = [
        Part("skills", _r(WEIGHTS["skills"] * skill_share), WEIGHTS["skills"], skill_detail),
        Part("availability", _r(WEIGHTS["availability"] * day_share), WEIGHTS["availability"],
             day_detail),
        Part("distance", _r(WEIGHTS["distance"] * near), WEIGHTS["distance"], dist_detail),
    ]
    return Match(score=_r(sum(p.points for p in parts)), parts=parts)
