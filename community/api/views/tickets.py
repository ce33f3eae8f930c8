"""Repair tickets: residents report, managers and assigned teams move them along, one class per
operation."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from community import filters, selectors, services
from community.api.serializers import (
    TicketAssignInput,
    TicketCreateInput,
    TicketDetailOutput,
    TicketNoteInput,
    TicketOutput,
    TicketRateInput,
)
from community.api.views.common import UPLOAD_PARSERS, MemberApi, MemberListApi
from community.models import RepairTicket
from synergy.core.api.files import PrivateFileApi, file_schema
from synergy.core.private_files import private_file_response


class TicketListCreateApi(MemberListApi):
    """A manager sees every ticket of their community (oldest first, with its age); a resident
    sees their own. Residents report with multipart (`photos` may repeat)."""

    queryset = RepairTicket.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = TicketOutput
    filterset_class = filters.TicketFilter
    parser_classes = UPLOAD_PARSERS

    def get_queryset(self):
        community = selectors.community_get_for_member(user=self.request.user,
                                                       pk=self.kwargs["community_id"])
        return selectors.ticket_list(community=community, viewer=self.request.user,
                                     filters=self.request.query_params)

    @extend_schema(request={"multipart/form-data": TicketCreateInput,
                            "application/json": TicketCreateInput},
                   responses={201: TicketDetailOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = TicketCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.repair_ticket_create(reporter=request.user, community=community,
                                               **data.validated_data)
        ticket = selectors.ticket_get_for_user(user=request.user, pk=ticket.pk)
        return Response(TicketDetailOutput(ticket, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class MyTicketListApi(MemberListApi):
    """Tickets I may see anywhere: my reports, my community's (managers), my assignments, and my
    village's labour-team work (coordinators). Filter with `status`, `category`, `community`."""

    queryset = RepairTicket.objects.none()  # for the schema
    serializer_class = TicketOutput
    filterset_class = filters.MyTicketFilter

    def get_queryset(self):
        return selectors.ticket_list_for_user(user=self.request.user,
                                              filters=self.request.query_params)


class TicketDetailApi(MemberApi):
    @extend_schema(responses=TicketDetailOutput)
    def get(self, request, pk: int):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        return Response(TicketDetailOutput(ticket, context={"request": request}).data)


class TicketPhotoApi(PrivateFileApi):
    """A ticket's photo, to those who may see the ticket."""

    @file_schema
    def get(self, request, pk: int, photo_pk: int):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        photo = next((p for p in ticket.photos.all() if p.pk == photo_pk), None)
        if photo is None:
            raise Http404
        return private_file_response(request, photo.image)


class _TicketActionApi(MemberApi):
    """POST to move a ticket along; 409 with a sentence when its status does not allow it."""

    input_class = TicketNoteInput
    service = None

    def post(self, request, pk: int):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        type(self).service(actor=request.user, ticket=ticket, **data.validated_data)
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        return Response(TicketDetailOutput(ticket, context={"request": request}).data)


class TicketAssignApi(_TicketActionApi):
    """Assign an open ticket to a staff member (`assignee_user`) or a paired village's labour
    team (`assignee_village`). Two managers at once: exactly one wins, the other gets 409."""

    input_class = TicketAssignInput
    service = services.repair_ticket_assign

    @extend_schema(request=TicketAssignInput, responses={
        200: TicketDetailOutput, 409: OpenApiResponse(description="Already assigned")})
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketReassignApi(_TicketActionApi):
    """Give an assigned ticket, or one in progress, to another staff member or village team; the
    reporter is told. 409 when the ticket is open, resolved or closed."""

    input_class = TicketAssignInput
    service = services.repair_ticket_reassign

    @extend_schema(request=TicketAssignInput, responses={
        200: TicketDetailOutput, 409: OpenApiResponse(description="Not assigned now")})
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketStartApi(_TicketActionApi):
    service = services.repair_ticket_start

    @extend_schema(request=TicketNoteInput, responses=TicketDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketResolveApi(_TicketActionApi):
    service = services.repair_ticket_resolve

    @extend_schema(request=TicketNoteInput, responses=TicketDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketCloseApi(_TicketActionApi):
    service = services.repair_ticket_close

    @extend_schema(request=TicketNoteInput, responses=TicketDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketReopenApi(_TicketActionApi):
    service = services.repair_ticket_reopen

    @extend_schema(request=TicketNoteInput, responses=TicketDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketRateApi(_TicketActionApi):
    input_class = TicketRateInput
    service = services.repair_ticket_rate

    @extend_schema(request=TicketRateInput, responses=TicketDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)
