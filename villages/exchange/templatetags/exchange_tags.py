from django import template

from villages.exchange.models import Skill, Weekday

register = template.Library()


@register.filter
def skill_label(code: str) -> str:
    return Skill(code).label if code in Skill.values else code


@register.filter
def weekday_label(day: int) -> str:
    return Weekday(day).label if day in Weekday.values else str(day)
