"""The FilterSets of the exchange's lists, applied inside the selectors.

The API and the HTML pages pass their query parameters (or any dict) to the same selector, which
filters through one of these (`synergy.core.filters.apply_filters`); a value a filter cannot
take is an `InvalidFilter` (400 naming the parameter in the API; a message on a page).
Parameters a FilterSet does not declare (`page`, `page_size`) are ignored.
"""

from __future__ import annotations

import django_filters
from django.utils import timezone

from synergy.core.filters import FlagFilter, IdFilter
from villages.exchange.models import (
    Campaign,
    Event,
    EventKind,
    InvestmentModel,
    InvestmentNeed,
    Job,
    JobKind,
    LabourOffer,
    NeedCategory,
    OpenStatus,
    Skill,
    VolunteerNeed,
)


class SkillFilter(django_filters.ChoiceFilter):
    """`skill=`: records whose skill list holds that skill (one of `Skill`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Skill.choices)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs.filter(skills__contains=[value]) if value else qs


class CampaignFilter(django_filters.FilterSet):
    """`village`; `open`: only those still taking donations (open, deadline not passed)."""

    village = IdFilter(field_name="village")
    open = FlagFilter(method="filter_open")

    class Meta:
        model = Campaign
        fields: list[str] = []

    def filter_open(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(status=OpenStatus.OPEN, deadline__gte=timezone.localdate())


class VolunteerNeedFilter(django_filters.FilterSet):
    village = IdFilter(field_name="village")
    category = django_filters.ChoiceFilter(choices=NeedCategory.choices)
    skill = SkillFilter()

    class Meta:
        model = VolunteerNeed
        fields: list[str] = []


class InvestmentNeedFilter(django_filters.FilterSet):
    village = IdFilter(field_name="village")
    model = django_filters.ChoiceFilter(choices=InvestmentModel.choices)

    class Meta:
        model = InvestmentNeed
        fields: list[str] = []


class LabourOfferFilter(django_filters.FilterSet):
    village = IdFilter(field_name="village")
    skill = SkillFilter()

    class Meta:
        model = LabourOffer
        fields: list[str] = []


class JobFilter(django_filters.FilterSet):
    community = IdFilter(field_name="community")
    kind = django_filters.ChoiceFilter(choices=JobKind.choices)

    class Meta:
        model = Job
        fields: list[str] = []


class EventFilter(django_filters.FilterSet):
    """`pairing`, `village` (of the pairing), `community` (of the pairing), `kind`."""

    pairing = IdFilter(field_name="pairing")
    village = IdFilter(field_name="pairing__village")
    community = IdFilter(field_name="pairing__community")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)

    class Meta:
        model = Event
        fields: list[str] = []
