"""Notices: members read them, the property manager publishes."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from community import filters, selectors, services
from community.api.serializers import NoticeInput, NoticeOutput
from community.api.views.common import UPLOAD_PARSERS, MemberApi, MemberListApi
from community.models import Notice
from synergy.core import selectors as core
from synergy.core.api.files import PrivateFileApi, file_schema
from synergy.core.private_files import download_name, private_file_response


def _member_notice(request, community_id: int, pk: int) -> Notice:
    community = selectors.community_get_for_member(user=request.user, pk=community_id)
    return selectors.notice_get(community=community, viewer=request.user, pk=pk)


class NoticeListCreateApi(MemberListApi):
    """Members read current notices (pinned first); managers also see expired ones and publish."""

    queryset = Notice.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = NoticeOutput
    filterset_class = filters.NoticeFilter
    parser_classes = UPLOAD_PARSERS

    def get_queryset(self):
        community = selectors.community_get_for_member(user=self.request.user,
                                                       pk=self.kwargs["community_id"])
        manages = core.user_manages_community(user=self.request.user, community=community)
        return selectors.notice_list(community=community, viewer=self.request.user,
                                     include_expired=manages, filters=self.request.query_params)

    @extend_schema(request=NoticeInput, responses={201: NoticeOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = NoticeInput(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.notice_publish(author=request.user, community=community,
                                         **data.validated_data)
        notice = selectors.notice_get(community=community, viewer=request.user, pk=notice.pk,
                                      include_expired=True)
        return Response(NoticeOutput(notice, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class NoticeDetailApi(MemberApi):
    @extend_schema(responses=NoticeOutput)
    def get(self, request, community_id: int, pk: int):
        notice = _member_notice(request, community_id, pk)
        return Response(NoticeOutput(notice, context={"request": request}).data)


class NoticeReadApi(MemberApi):
    """Record that the caller has read the notice (idempotent)."""

    @extend_schema(request=None, responses=NoticeOutput)
    def post(self, request, community_id: int, pk: int):
        services.notice_mark_read(user=request.user, notice=_member_notice(request, community_id, pk))
        notice = _member_notice(request, community_id, pk)
        return Response(NoticeOutput(notice, context={"request": request}).data)


class NoticeAttachmentApi(PrivateFileApi):
    """The notice's attachment, to those who may read the notice (members of its community)."""

    @file_schema
    def get(self, request, community_id: int, pk: int):
        notice = _member_notice(request, community_id, pk)
        if not notice.attachment:
            raise Http404
        return private_file_response(request, notice.attachment,
                                     download_name=download_name(notice.title, notice.attachment))
