"""HTML forms of the village node: they parse input; services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from synergy.core.upload_fields import ImageUploadField
from villages.models import Industry, OfferKind, PaymentMethod, ProductCategory


def _date_input() -> forms.DateInput:
    """A native date picker; its value must be ISO whatever the language."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


SORTS = [
    ("", _("Newest")), ("price", _("Price: low to high")), ("-price", _("Price: high to low")),
    ("name", _("Name")),
]


class VillageFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False,
                                 choices=[("", _("Any industry"))] + list(Industry.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Any region"))] + [(r, r) for r in regions]


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories"))] + list(ProductCategory.choices))
    village = forms.ChoiceField(label=_("Village"), required=False)
    min_price = forms.DecimalField(label=_("Min price"), required=False, min_value=0, decimal_places=2)
    max_price = forms.DecimalField(label=_("Max price"), required=False, min_value=0, decimal_places=2)
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", _("All villages"))] + [(str(v.pk), v.name)
                                                                       for v in villages]


class AddToCartForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=999, initial=1)


class CheckoutForm(forms.Form):
    pickup = forms.ChoiceField(label=_("Pickup"), widget=forms.RadioSelect)

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pickup"].choices = list(options)
        if options:
            self.fields["pickup"].initial = options[0][0]


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=ProductCategory.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    unit = forms.CharField(label=_("Unit"), max_length=30, help_text=_("e.g. 5 kg box, jar, piece"))
    price = forms.DecimalField(label=_("Price (CNY)"), min_value=Decimal("0.01"), max_digits=12,
                               decimal_places=2)
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=10_000_000, initial=0)
    photo = ImageUploadField(label=_("Photo"), required=False)
    photo_caption = forms.CharField(label=_("Photo caption"), max_length=120, required=False)


class PhotoForm(forms.Form):
    photo = ImageUploadField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)


class CaptionForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)


class StockForm(forms.Form):
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=10_000_000)


class RoundEditForm(forms.Form):
    """What a coordinator can change in an open round before any order: title, note, the
    threshold and a group price per product (an empty price leaves the product out)."""

    title = forms.CharField(label=_("Title"), max_length=120)
    min_units = forms.IntegerField(
        label=_("Units to form the group"), min_value=0, max_value=1_000_000, initial=0,
        help_text=_("Units ordered across the round's products for it to go ahead; 0 for no "
                    "threshold."), widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        for p in self.products:
            self.fields[f"price_{p.pk}"] = forms.DecimalField(
                label=_("Group price of %(name)s (%(unit)s)") % {"name": p.name, "unit": p.unit},
                help_text=_("List price %(price)s yuan; leave empty to leave it out.") % {
                    "price": p.price},
                required=False, min_value=Decimal("0.01"), max_digits=12, decimal_places=2,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))

    def offers(self) -> list[tuple[int, Decimal]]:
        return [(p.pk, self.cleaned_data[f"price_{p.pk}"]) for p in self.products
                if self.cleaned_data.get(f"price_{p.pk}") is not None]


class RoundForm(RoundEditForm):
    cutoff_at = forms.DateTimeField(label=_("Order cut-off"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                           format="%Y-%m-%dT%H:%M"))
    delivery_date = forms.DateField(label=_("Delivery date"),
                                    widget=_date_input())
    field_order = ["title", "cutoff_at", "delivery_date", "min_units", "note"]

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = list(communities)
        for c in self.communities:
            self.fields[f"pickup_{c.pk}"] = forms.CharField(
                label=_("Pickup point in %(name)s (leave empty to skip)") % {"name": c.name},
                max_length=160, required=False)

    def pickups(self) -> list[tuple[int, str]]:
        return [(c.pk, self.cleaned_data[f"pickup_{c.pk}"]) for c in self.communities
                if self.cleaned_data.get(f"pickup_{c.pk}", "").strip()]


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    price = forms.DecimalField(label=_("Price per guest per night or day (CNY)"), min_value=0,
                               max_digits=12, decimal_places=2)
    capacity = forms.IntegerField(label=_("Guests per date"), min_value=1, max_value=10_000)
    min_nights = forms.IntegerField(label=_("Minimum nights or days"), min_value=1, initial=1)
    max_nights = forms.IntegerField(label=_("Maximum nights or days"), min_value=1, initial=14)
    photo = ImageUploadField(label=_("Photo"), required=False)
    photo_caption = forms.CharField(label=_("Photo caption"), max_length=120, required=False)


class ProfileForm(forms.Form):
    tagline = forms.CharField(label=_("Tagline"), max_length=160, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    features = forms.CharField(label=_("Features"), required=False, widget=forms.Textarea)
    specialities = forms.CharField(label=_("Specialities"), required=False, widget=forms.Textarea)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)
    industries = forms.MultipleChoiceField(label=_("Characteristic industries"), required=False,
                                           choices=Industry.choices,
                                           widget=forms.CheckboxSelectMultiple)


class BookingForm(forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=_date_input())
    end_date = forms.DateField(label=_("End date"), widget=_date_input(),
                               help_text=_("For stays, the day you leave."))
    guests = forms.IntegerField(label=_("Guests"), min_value=1, max_value=10_000, initial=1)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StayDateForm(forms.Form):
    date = forms.DateField(label=_("Date"), required=False,
                           widget=_date_input())
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds"))] + list(OfferKind.choices))


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)


class RefundForm(forms.Form):
    """A coordinator cancels a paid order: what goes back to the buyer, and how."""

    refund_amount = forms.DecimalField(label=_("Refund (yuan)"), max_digits=12, decimal_places=2,
                                       min_value=Decimal("0.01"))
    refund_method = forms.ChoiceField(label=_("Refunded by"), choices=PaymentMethod.choices)
    refund_note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class RejectForm(forms.Form):
    note = forms.CharField(label=_("What should change"), max_length=300)


class CalendarFromForm(forms.Form):
    """The first day an offer's calendar shows (`?from=YYYY-MM-DD`); empty or bad: today."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(required=False)  # "from" is a Python keyword


# --- Pickup and payments --------------------------------------------------------------------


class PickupCodeForm(forms.Form):
    """The counter: the buyer's six digits, typed or scanned (a large numeric input)."""

    code = forms.CharField(label=_("Pickup code"), max_length=12, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off", "class": "code-input",
        "maxlength": "6", "autofocus": True}))


class PickupStaffAddForm(forms.Form):
    username = forms.CharField(label=_("Username or phone"), max_length=150,
                               help_text=_("The person's account on Synergy."))


class PaymentClaimForm(forms.Form):
    method = forms.ChoiceField(label=_("How you paid"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=80, required=False,
                                help_text=_("The transfer's number, or its last digits."))


class ClaimDeclineForm(forms.Form):
    note = forms.CharField(label=_("What is missing"), max_length=200)


class PaymentInstructionsForm(forms.Form):
    bank_name = forms.CharField(label=_("Bank"), max_length=80, required=False)
    account_name = forms.CharField(label=_("Account name"), max_length=80, required=False)
    account_number = forms.CharField(label=_("Account number"), max_length=40, required=False)
    wechat_qr = ImageUploadField(label=_("WeChat Pay collection QR"), required=False)
    clear_wechat_qr = forms.BooleanField(label=_("Remove the WeChat Pay QR"), required=False)
    alipay_qr = ImageUploadField(label=_("Alipay collection QR"), required=False)
    clear_alipay_qr = forms.BooleanField(label=_("Remove the Alipay QR"), required=False)
    note = forms.CharField(label=_("Note to buyers"), required=False, widget=forms.Textarea)
