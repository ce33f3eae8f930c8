from rest_framework import serializers

from synergy.core.models import Community, Membership, Notification, Pairing, User, Village

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
                  "distance_km", "active", "created_at"]


class PairingInput(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all())


class MembershipOutput(serializers.ModelSerializer):
    community_name = serializers.CharField(
        source="community.name", default=None, allow_null=True, read_only=True
    )
    village_name = serializers.CharField(source="village.name", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "role", "community", "community_name", "village", "village_name",
                  "unit", "status"]


class MeOutput(serializers.ModelSerializer):
    memberships = MembershipOutput(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "phone", "preferred_language",
                  "memberships"]


class TokenInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class NotificationOutput(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "url", "read_at", "created"]
