"""Investment needs (list filtered by the selector, create, attachment) and interests."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from synergy.core.api.base import Api, ListApi
from synergy.core.api.files import PrivateFileApi, file_schema
from synergy.core.private_files import download_name, private_file_response
from villages.exchange import selectors, services
from villages.exchange.api import serializers as s
from villages.exchange.models import InvestmentNeed
from villages.exchange.selectors.filters import InvestmentNeedFilter


class InvestmentNeedListCreateApi(ListApi):
    """Open investment needs. Filters (InvestmentNeedFilter): village, model."""

    queryset = InvestmentNeed.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.InvestmentNeedOutput
    filterset_class = InvestmentNeedFilter

    def get_queryset(self):
        return selectors.investment_need_list(filters=self.request.query_params)

    @extend_schema(request=s.InvestmentNeedInput, responses={201: s.InvestmentNeedOutput})
    def post(self, request):
        data = s.InvestmentNeedInput(data=request.data)
        data.is_valid(raise_exception=True)
        need = services.investment_need_create(created_by=request.user, **data.validated_data)
        return Response(s.InvestmentNeedOutput(need).data, status=status.HTTP_201_CREATED)


class InvestmentAttachmentApi(PrivateFileApi):
    """The attachment of an investment need: the village's coordinators, administrators and
    people who expressed interest in the need; 403 for anyone else."""

    @file_schema
    def get(self, request, pk: int):
        need = selectors.investment_attachment_for_viewer(viewer=request.user, pk=pk)
        return private_file_response(request, need.attachment,
                                     download_name=download_name(need.title, need.attachment))


class InvestmentNeedReviewApi(Api):
    """An administrator approves a pending investment need or sends it back with a note (403
    for anyone else, 409 once reviewed); the coordinator is told."""

    @extend_schema(request=s.ReviewInput, responses=s.InvestmentNeedOutput)
    def post(self, request, pk: int):
        need = selectors.investment_need_get(pk=pk, viewer=request.user)
        data = s.ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        need = services.investment_need_review(by=request.user, need=need, **data.validated_data)
        return Response(s.InvestmentNeedOutput(need).data)


class InterestCreateApi(Api):
    @extend_schema(request=s.InterestInput, responses={201: s.InterestOutput})
    def post(self, request, pk: int):
        need = selectors.investment_need_get(pk=pk, viewer=request.user)
        data = s.InterestInput(data=request.data)
        data.is_valid(raise_exception=True)
        interest = services.interest_express(investor=request.user, need=need,
                                             **data.validated_data)
        return Response(s.InterestOutput(interest).data, status=status.HTTP_201_CREATED)


class InterestMessagesApi(Api):
    """An interest's conversation: for its investor and the village's coordinators (403 for
    anyone else). POST adds a message; the other side is told."""

    @extend_schema(responses=s.InterestMessageOutput(many=True))
    def get(self, request, pk: int):
        interest = selectors.interest_get_for_viewer(viewer=request.user, pk=pk)
        return Response(s.InterestMessageOutput(interest.messages.all(), many=True).data)

    @extend_schema(request=s.InterestMessageInput, responses={201: s.InterestMessageOutput})
    def post(self, request, pk: int):
        interest = selectors.interest_get_for_viewer(viewer=request.user, pk=pk)
        data = s.InterestMessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.interest_message_post(by=request.user, interest=interest,
                                                 **data.validated_data)
        return Response(s.InterestMessageOutput(message).data, status=status.HTTP_201_CREATED)


class InterestReplyApi(Api):
    @extend_schema(request=s.InterestReplyInput, responses=s.InterestOutput)
    def post(self, request, pk: int):
        interest = selectors.interest_get(pk=pk)
        data = s.InterestReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        interest = services.interest_reply(replied_by=request.user, interest=interest,
                                           **data.validated_data)
        return Response(s.InterestOutput(interest).data)
