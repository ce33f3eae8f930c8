from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from synergy.core.models import Community, User, Village
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
        fields = ("display_name", "email", "phone", "preferred_language")


class ResidentApplicationForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.all())
    unit = forms.CharField(label=_("Flat or unit"), max_length=40)



class PairingForm(forms.Form):
    """An administrator pairs a community with a village (the distance is computed)."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.all())
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.all())


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
