"""The rural channel of a community and following its paired villages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from community import selectors, services
from community.api.serializers import ChannelItemOutput, FollowOutput
from community.api.views.common import MemberApi
from synergy.core.api.base import Api, get_or_404
from synergy.core.models import Village


class ChannelApi(Api):
    """The community's rural channel (public, like its page): open group-buy rounds, produce,
    stays, campaigns, volunteer needs and events of its actively paired villages, closing-soonest
    first, then newest first. At most `limit` items (default 20, at most 100); six queries at
    most, however many villages."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, many=True, explode=True, enum=list(selectors.CHANNEL_KINDS),
                             description="Keep only these kinds (repeat the parameter)."),
            OpenApiParameter("village", int, description="Only this paired village (its id)."),
            OpenApiParameter("followed", bool, description="Only the villages the caller follows "
                             "(nothing for an anonymous caller)."),
            OpenApiParameter("limit", int, description="At most this many items (1-100, default 20)."),
        ],
        responses={200: ChannelItemOutput(many=True),
                   400: OpenApiResponse(description="A filter is not valid (the field is named)."),
                   404: OpenApiResponse(description="No such community.")},
    )
    def get(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        items = selectors.rural_channel_for(community=community, viewer=request.user,
                                            filters=request.query_params)
        return Response(ChannelItemOutput(items, many=True).data)


class VillageFollowApi(MemberApi):
    """Follow (POST) or unfollow (DELETE) a village on the rural channel; both idempotent."""

    @extend_schema(request=None, responses={201: FollowOutput, 200: FollowOutput})
    def post(self, request, village_id: int):
        village = get_or_404(Village, pk=village_id)
        _follow, created = services.village_follow(user=request.user, village=village)
        return Response({"village": village.pk, "following": True},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, village_id: int):
        village = get_or_404(Village, pk=village_id)
        services.village_unfollow(user=request.user, village=village)
        return Response(status=status.HTTP_204_NO_CONTENT)
