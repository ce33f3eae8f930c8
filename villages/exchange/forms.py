"""HTML forms of the exchange: input shapes only; services hold the rules."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from synergy.core.upload_fields import ImageUploadField
from villages.exchange.models import (
    MAX_DONATION,
    EventHost,
    EventKind,
    InterestStatus,
    InvestmentModel,
    JobKind,
    NeedCategory,
    Skill,
    Weekday,
)

DONATION_TOKEN_SALT = "exchange.donation-form"
DONATION_TOKEN_MAX_AGE = 24 * 3600  # seconds a rendered donation form stays valid


def donation_token_issue(*, campaign_id: int, user_id: int) -> str:
    """A one-time token for one rendered donation form: a fresh nonce, signed by the server and
    bound to the campaign and the donor. The nonce becomes the donation's idempotency key, so the
    same form sent again (Back, reload, double tap) records one donation."""
    nonce = secrets.token_urlsafe(18)
    return signing.TimestampSigner(salt=DONATION_TOKEN_SALT).sign(f"{campaign_id}:{user_id}:{nonce}")


def donation_token_key(token: str, *, campaign_id: int, user_id: int) -> str | None:
    """The idempotency key inside a token this server issued for this campaign and donor."""
    try:
        value = signing.TimestampSigner(salt=DONATION_TOKEN_SALT).unsign(
            token, max_age=DONATION_TOKEN_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    cid, uid, nonce = (value.split(":", 2) + ["", ""])[:3]
    if cid != str(campaign_id) or uid != str(user_id) or not nonce:
        return None
    return f"form-{nonce}"


class DonationForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2,
                                min_value=Decimal("0.01"), max_value=MAX_DONATION)
    anonymous = forms.BooleanField(label=_("Give anonymously"), required=False)
    message = forms.CharField(label=_("Message (optional)"), max_length=300, required=False)
    # A server-issued one-time token per rendered form (see donation_token_issue).
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    confirm_repeat = forms.BooleanField(
        label=_("Yes, I mean to give this amount again"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, campaign_id: int, user_id: int, ask_repeat: bool = False,
                 **kwargs):
        self.campaign_id, self.user_id = campaign_id, user_id
        kwargs.setdefault("initial", {}).setdefault(
            "idempotency_key", donation_token_issue(campaign_id=campaign_id, user_id=user_id))
        super().__init__(*args, **kwargs)
        if ask_repeat:
            self.fields["confirm_repeat"].widget = forms.CheckboxInput()

    def clean_idempotency_key(self) -> str:
        key = donation_token_key(self.cleaned_data["idempotency_key"], campaign_id=self.campaign_id,
                                 user_id=self.user_id)
        if key is None:
            raise forms.ValidationError(
                _("This form has expired or was not issued for you; reload the page and give "
                  "again."), code="token")
        return key


class SpendingForm(forms.Form):
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=None)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2,
                                min_value=Decimal("0.01"))
    description = forms.CharField(label=_("What was bought or paid"), max_length=300)
    spent_on = forms.DateField(label=_("Spent on"), widget=forms.DateInput(attrs={"type": "date"}))
    photo = ImageUploadField(label=_("Photo"), required=False)  # re-encoded, EXIF stripped
    receipt_no = forms.CharField(label=_("Receipt or invoice number"), max_length=60,
                                 required=False)
    over_budget_reason = forms.CharField(
        label=_("Reason, if this goes over the budget line"), max_length=300, required=False)

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
    reply = forms.CharField(label=_("Reply"), max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 2}))


class InterestMessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))


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


# ------------------------------------------------------------------- creation forms (staff pages)

DATETIME = {"type": "datetime-local"}


class _ScopedForm(forms.Form):
    """A form whose first field picks one of the places the user may act for."""

    scope_field = ""

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.scope_field].queryset = places
        if places.count() == 1:
            self.fields[self.scope_field].initial = places.first()


class CampaignForm(_ScopedForm):
    scope_field = "village"
    village = forms.ModelChoiceField(label=_("Village"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=140)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    goal = forms.DecimalField(label=_("Goal (yuan)"), max_digits=12, decimal_places=2,
                              min_value=Decimal("1.00"))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    budget_lines = forms.CharField(
        label=_("Budget lines"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name, a colon, the planned amount (Books: 12000)."))

    def clean_budget_lines(self):
        lines = []
        for raw in self.cleaned_data["budget_lines"].splitlines():
            if not raw.strip():
                continue
            label, sep, amount = raw.replace("：", ":").rpartition(":")
            try:
                planned = Decimal(amount.strip())
            except Exception:  # noqa: BLE001 - any parse failure is the same mistake
                planned = None
            if not sep or not label.strip() or planned is None or planned <= 0:
                raise forms.ValidationError(_("Write each line as “name: amount”."))
            lines.append({"label": label.strip(), "planned": planned})
        return lines


class NeedForm(_ScopedForm):
    scope_field = "village"
    village = forms.ModelChoiceField(label=_("Village"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=140)
    category = forms.ChoiceField(label=_("Category"), choices=NeedCategory.choices)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    skills = forms.MultipleChoiceField(label=_("Skills wanted"), choices=Skill.choices,
                                       required=False, widget=forms.CheckboxSelectMultiple)


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs=DATETIME))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs=DATETIME))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000)


class InvestmentNeedForm(_ScopedForm):
    scope_field = "village"
    village = forms.ModelChoiceField(label=_("Village"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=140)
    sector = forms.CharField(label=_("Sector"), max_length=80)
    amount_sought = forms.DecimalField(label=_("Amount sought (yuan)"), max_digits=14,
                                       decimal_places=2, min_value=Decimal("1.00"))
    use_of_funds = forms.CharField(label=_("Use of funds"), widget=forms.Textarea(attrs={"rows": 3}))
    model = forms.ChoiceField(label=_("Proposed model"), choices=InvestmentModel.choices)
    attachment = forms.FileField(label=_("Attachment"), required=False)


class JobForm(_ScopedForm):
    scope_field = "community"
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=140)
    kind = forms.ChoiceField(label=_("Kind of work"), choices=JobKind.choices)
    skills = forms.MultipleChoiceField(label=_("Skills wanted"), choices=Skill.choices,
                                       required=False, widget=forms.CheckboxSelectMultiple)
    weekdays = forms.TypedMultipleChoiceField(label=_("Working weekdays"), choices=Weekday.choices,
                                              coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    daily_pay = forms.DecimalField(label=_("Pay per day (yuan)"), max_digits=8, decimal_places=2,
                                   min_value=Decimal("1.00"))
    positions = forms.IntegerField(label=_("Positions"), min_value=1, max_value=500, initial=1)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class EventForm(_ScopedForm):
    scope_field = "pairing"
    pairing = forms.ModelChoiceField(label=_("Pairing"), queryset=None)
    host = forms.ChoiceField(label=_("Host"), choices=EventHost.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=140)
    place = forms.CharField(label=_("Place"), max_length=140)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs=DATETIME))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs=DATETIME))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class CampaignEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=140)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    goal = forms.DecimalField(label=_("Goal (yuan)"), max_digits=12, decimal_places=2,
                              min_value=Decimal("1.00"))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class InvestmentNeedEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=140)
    sector = forms.CharField(label=_("Sector"), max_length=80)
    amount_sought = forms.DecimalField(label=_("Amount sought (yuan)"), max_digits=14,
                                       decimal_places=2, min_value=Decimal("1.00"))
    use_of_funds = forms.CharField(label=_("Use of funds"), widget=forms.Textarea(attrs={"rows": 3}))
    model = forms.ChoiceField(label=_("Proposed model"), choices=InvestmentModel.choices)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, withdraw my application"), required=True)


class ReviewForm(forms.Form):
    """An administrator's decision on a campaign or an investment need."""

    decision = forms.ChoiceField(label=_("Decision"), choices=[
        ("approve", _("Approve")), ("reject", _("Send back"))])
    note = forms.CharField(label=_("Note to the coordinator"), max_length=300, required=False)
