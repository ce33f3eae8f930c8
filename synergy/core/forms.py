from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from synergy.core.models import Community, Role, User, Village
from synergy.core.notification_kinds import notification_kinds


class RegistrationForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail"), required=False)
    display_name = forms.CharField(label=_("Display name"), max_length=80, required=False)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("display_name", "email", "phone", "preferred_language", "large_type")


class JoinForm(forms.Form):
    """Apply to join: a resident of a community (with the flat), or a rural worker or
    agricultural business of a village. The service checks that the place fits the role."""

    role = forms.ChoiceField(
        label=_("I am joining as"), widget=forms.RadioSelect,
        choices=[(Role.RESIDENT, _("A resident of a community")),
                 (Role.RURAL_WORKER, _("A rural worker of a village")),
                 (Role.AGRI_BUSINESS, _("An agricultural business of a village"))],
        initial=Role.RESIDENT,
    )
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.order_by("name"), required=False,
        empty_label=_("— choose your community —"),
        help_text=_("For residents."))
    unit = forms.CharField(label=_("Flat or unit"), max_length=40, required=False,
                           help_text=_("For residents, e.g. 3栋2单元501."))
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=Village.objects.order_by("name"), required=False,
        empty_label=_("— choose your village —"),
        help_text=_("For rural workers and agricultural businesses."))

    def clean(self):
        data = super().clean()
        # Only the place that fits the role is sent on; the other choice is ignored.
        if data.get("role") == Role.RESIDENT:
            data["village"] = None
        else:
            data["community"] = None
            data["unit"] = ""
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)



class InviteForm(forms.Form):
    """A one-time code for one flat of a community the viewer manages."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    unit = forms.CharField(label=_("Flat or unit"), max_length=40)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communities is not None:
            self.fields["community"].queryset = communities


class InviteSheetForm(forms.Form):
    """A sheet of flats (CSV or XLSX, a column `flat` or `房号`): one invitation for each."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    file = forms.FileField(label=_("Sheet of flats (CSV or XLSX)"))

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communities is not None:
            self.fields["community"].queryset = communities


class InvitationCodeForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=16)


class PairingForm(forms.Form):
    """An administrator pairs a community with a village (the distance is computed)."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.all())
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.all())
    started_on = forms.DateField(
        label=_("Started on"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the channel began; leave empty for today. It dates the city's "
                    "pairing in the analytics."))


class PairingStartForm(forms.Form):
    started_on = forms.DateField(label=_("Started on"))


class NotificationEmailForm(forms.Form):
    """One checkbox per registered kind of notification: ticked ones are e-mailed."""

    email_kinds = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        kinds = notification_kinds()
        kwargs.setdefault("initial", {"email_kinds": [k for k in kinds
                                                      if k not in (user.email_off_kinds or [])]})
        super().__init__(*args, **kwargs)
        self.fields["email_kinds"].choices = list(kinds.items())
