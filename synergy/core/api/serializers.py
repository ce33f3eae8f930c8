from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from synergy.core.models import (
    Community,
    Invitation,
    Membership,
    Notification,
    Pairing,
    Role,
    User,
    Village,
)

PLACE_FIELDS = [
    "id", "name", "slug", "province", "prefecture_city", "district",
    "latitude", "longitude", "description",
]


class CommunityOutput(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = PLACE_FIELDS + ["address", "households"]


class VillageOutput(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = PLACE_FIELDS + ["population"]


class PairingOutput(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = Pairing
        fields = ["id", "community", "community_name", "village", "village_name",
                  "distance_km", "active", "started_on", "created_at"]


class PairingInput(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all())
    started_on = serializers.DateField(required=False, allow_null=True)


class MembershipOutput(serializers.ModelSerializer):
    community_name = serializers.CharField(
        source="community.name", default=None, allow_null=True, read_only=True
    )
    village_name = serializers.CharField(source="village.name", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "role", "community", "community_name", "village", "village_name",
                  "unit", "status", "reason", "decided_at"]


class MembershipApplicationOutput(MembershipOutput):
    """An application as its deciders see it: who asked, and who decided."""

    applicant = serializers.IntegerField(source="user_id", read_only=True)
    applicant_name = serializers.CharField(source="user.__str__", read_only=True)
    decided_by_name = serializers.CharField(
        source="decided_by.__str__", default=None, allow_null=True, read_only=True)

    class Meta(MembershipOutput.Meta):
        fields = MembershipOutput.Meta.fields + [
            "applicant", "applicant_name", "decided_by", "decided_by_name", "created_at"]


class MembershipApplyInput(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=Role.choices,
        help_text=gettext_lazy("resident (with community and unit), rural_worker or "
                               "agri_business (with village)."))
    community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(), required=False, allow_null=True, default=None)
    village = serializers.PrimaryKeyRelatedField(
        queryset=Village.objects.all(), required=False, allow_null=True, default=None)
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class MembershipRejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class MeOutput(serializers.ModelSerializer):
    memberships = MembershipOutput(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "phone", "preferred_language",
                  "memberships"]


class TokenInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs):
        # authenticate() with the request, so django-axes counts failures and refuses locked pairs.
        user = authenticate(request=self.context["request"], username=attrs["username"],
                            password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(
                _("Unable to log in with the username and password given."), code="authorization")
        attrs["user"] = user
        return attrs


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy("Send it as `Authorization: Token <token>`."))
    expiry = serializers.DateTimeField(help_text=gettext_lazy("The token stops working after this moment."))


class TokensRevokedOutput(serializers.Serializer):
    revoked = serializers.IntegerField(help_text=gettext_lazy("How many tokens stopped working."))


class NotificationOutput(serializers.ModelSerializer):
    # In the caller's language (Accept-Language or their choice), whatever it was sent in.
    message = serializers.CharField(source="text", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "url", "read_at", "created"]


class InvitationInput(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    unit = serializers.CharField(max_length=40)


class InvitationOutput(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The link to give the person; it opens the accept page."))

    class Meta:
        model = Invitation
        fields = ["id", "code", "url", "community", "community_name", "unit", "created_at",
                  "expires_at", "used_at"]

    def get_url(self, obj) -> str:
        path = reverse("core:invite", args=[obj.code])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class InvitationAcceptInput(serializers.Serializer):
    code = serializers.CharField(max_length=16)
