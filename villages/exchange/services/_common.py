"""Helpers shared by the exchange services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from synergy.core.errors import Invalid
from villages.exchange.models import Skill


def clean_skills(skills, *, field: str = "skills") -> list[str]:
    values = list(dict.fromkeys(skills or []))
    unknown = [s for s in values if s not in Skill.values]
    if unknown:
        raise Invalid(_("Unknown skill: %(s)s.") % {"s": ", ".join(map(str, unknown))}, field=field)
    return values


def clean_weekdays(days, *, field: str = "weekdays") -> list[int]:
    values = sorted({int(d) for d in (days or []) if str(d).lstrip("-").isdigit()})
    if len(values) != len(set(days or [])) or any(d < 0 or d > 6 for d in values):
        raise Invalid(_("Weekdays are numbers from 0 (Monday) to 6 (Sunday)."), field=field)
    return values
