"""HTML forms of the exchange: input shapes only; services hold the rules."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from villages.exchange.models import MAX_DONATION, InterestStatus, Skill, Weekday


class DonationForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2,
                                min_value=Decimal("0.01"), max_value=MAX_DONATION)
    anonymous = forms.BooleanField(label=_("Give anonymously"), required=False)
    message = forms.CharField(label=_("Message (optional)"), max_length=300, required=False)
    # A fresh key per rendered form: submitting the same form twice records one donation.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


class SpendingForm(forms.Form):
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=None)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2,
                                min_value=Decimal("0.01"))
    description = forms.CharField(label=_("What was bought or paid"), max_length=300)
    spent_on = forms.DateField(label=_("Spent on"), widget=forms.DateInput(attrs={"type": "date"}))
    photo = forms.ImageField(label=_("Photo"), required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = campaign.budget_lines.all()


class VolunteerProfileForm(forms.Form):
    skills = forms.MultipleChoiceField(label=_("My skills"), choices=Skill.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    weekdays = forms.TypedMultipleChoiceField(label=_("Days I am free"), choices=Weekday.choices,
                                              coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    bio = forms.CharField(label=_("About me"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class HoursForm(forms.Form):
    hours = forms.DecimalField(label=_("Hours served"), max_digits=5, decimal_places=2,
                               min_value=Decimal("0.25"))


class InterestForm(forms.Form):
    organisation = forms.CharField(label=_("Organisation (optional)"), max_length=120,
                                   required=False)
    amount_indicative = forms.DecimalField(label=_("Indicative amount (yuan)"), max_digits=14,
                                           decimal_places=2, min_value=Decimal("1.00"))
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[
        c for c in InterestStatus.choices if c[0] != InterestStatus.SENT])
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationForm(forms.Form):
    message = forms.CharField(label=_("Message (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class LabourOfferForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=140)
    skills = forms.MultipleChoiceField(label=_("Skills"), choices=Skill.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    weekdays = forms.TypedMultipleChoiceField(label=_("Available weekdays"), choices=Weekday.choices,
                                              coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    expected_daily_pay = forms.DecimalField(label=_("Expected pay per day (yuan)"), max_digits=8,
                                            decimal_places=2, min_value=Decimal("1.00"))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
