"""Forms of the community pages. They only parse; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import ListingKind, PaymentMethod, ServiceKind, TicketCategory
from community.validators import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    NOTICE_BODY_MAX,
    validate_near_date,
    validate_period,
    validate_phone,
)


class Form(forms.Form):
    """A community form that, bound with errors, puts the cursor (and the browser's scroll) on
    the first field in error: the page opens at the error."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["autofocus"] = True
                break


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                             "capture": "environment"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class TicketForm(Form):
    category = forms.ChoiceField(label=_("Category"), choices=TicketCategory.choices)
    unit = forms.CharField(label=_("Flat or unit"), max_length=40, required=False)
    location = forms.CharField(label=_("Location"), max_length=120, required=False,
                               help_text=_("Where in the community, if not inside a flat."))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea,
                                  max_length=DESCRIPTION_MAX)
    photos = MultipleFileField(label=_("Photos"), required=False)


class NoticeForm(Form):
    title = forms.CharField(label=_("Title"), max_length=140)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea, max_length=NOTICE_BODY_MAX)
    pinned = forms.BooleanField(label=_("Pinned"), required=False)
    expires_at = forms.DateTimeField(label=_("Expires at"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    attachment = forms.FileField(label=_("Attachment"), required=False)


class AssignForm(Form):
    assignee = forms.ChoiceField(label=_("Assign to"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, staff=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            (_("Staff"), [(f"u:{u.pk}", str(u)) for u in staff]),
            (_("Village labour teams"), [(f"v:{v.pk}", str(v)) for v in villages]),
        ]
        self._staff = {u.pk: u for u in staff}
        self._villages = {v.pk: v for v in villages}

    def assignee_kwargs(self) -> dict:
        kind, _sep, pk = self.cleaned_data["assignee"].partition(":")
        if kind == "u":
            return {"assignee_user": self._staff[int(pk)]}
        return {"assignee_village": self._villages[int(pk)]}


class NoteForm(Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class RateForm(Form):
    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int,
                                    choices=[(i, "★" * i) for i in range(5, 0, -1)])
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, max_length=COMMENT_MAX)


class BillForm(Form):
    unit = forms.CharField(label=_("Flat or unit"), max_length=40)
    period = forms.CharField(label=_("Period"), max_length=7, validators=[validate_period],
                             help_text=_("YYYY-MM"))
    amount = forms.DecimalField(label=_("Amount"), max_digits=10, decimal_places=2, min_value=0.01)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}),
                               validators=[validate_near_date])
    description = forms.CharField(label=_("Description"), max_length=140, required=False)


class PaymentForm(Form):
    bill = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label=_("Amount"), max_digits=10, decimal_places=2, min_value=0.01)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}),
                              validators=[validate_near_date])
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)


class ServiceForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=32, validators=[validate_phone])
    contact_name = forms.CharField(label=_("Contact"), max_length=80, required=False)
    hours = forms.CharField(label=_("Hours"), max_length=120, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False, max_length=DESCRIPTION_MAX)


class HousingFilterForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All"))] + list(ListingKind.choices))
    max_price = forms.DecimalField(label=_("Max price"), required=False, min_value=0)
    min_rooms = forms.IntegerField(label=_("Min rooms"), required=False, min_value=0)


CHANNEL_KIND_LABELS = {
    "round": _("Group buys"), "product": _("Produce"), "offer": _("Stays and trips"),
    "campaign": _("Campaigns"), "need": _("Volunteering"), "event": _("Events"),
}


class ChannelFilterForm(Form):
    """The rural channel's filters: one kind, one paired village, only the villages I follow."""

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All"))] + list(CHANNEL_KIND_LABELS.items()))
    village = forms.TypedChoiceField(label=_("Village"), required=False, coerce=int,
                                     empty_value=None)
    followed = forms.BooleanField(label=_("Only villages I follow"), required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", _("All"))] + [(v.pk, v.name) for v in villages]


class HousingForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ListingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=140)
    price = forms.DecimalField(label=_("Price"), max_digits=12, decimal_places=2, min_value=0.01)
    area_m2 = forms.DecimalField(label=_("Area (m²)"), max_digits=7, decimal_places=1, min_value=0.1)
    rooms = forms.IntegerField(label=_("Rooms"), min_value=0, max_value=50, initial=1)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False,
                                    validators=[validate_phone])
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False, max_length=DESCRIPTION_MAX)
    photos = MultipleFileField(label=_("Photos"), required=False)


class BusinessForm(Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    category = forms.CharField(label=_("Category"), max_length=60, required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False,
                            validators=[validate_phone])
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False, max_length=DESCRIPTION_MAX)


class OfferForm(Form):
    title = forms.CharField(label=_("Offer"), max_length=140)
    price = forms.DecimalField(label=_("Price"), max_digits=10, decimal_places=2, min_value=0,
                               required=False)
    valid_until = forms.DateField(label=_("Valid until"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))


class CouponForm(Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    title = forms.CharField(label=_("Title"), max_length=140)
    discount = forms.CharField(label=_("Discount"), max_length=60)
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    quantity = forms.IntegerField(label=_("How many"), min_value=1, max_value=100000, initial=100,
                                  required=False, help_text=_("How many residents can claim it."))

    def clean_quantity(self):
        return self.cleaned_data.get("quantity") or 100


class CouponEditForm(CouponForm):
    """A coupon's code is what residents were shown: it stays."""

    code = None


class RedeemForm(Form):
    code = forms.CharField(label=_("The resident's code"), max_length=16,
                           widget=forms.TextInput(attrs={"autocomplete": "off",
                                                         "autocapitalize": "characters"}))
