"""Cultural events (list filtered by the selector, create) and registrations."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from synergy.core.api.base import Api, ListApi
from villages.exchange import selectors, services
from villages.exchange.api import serializers as s
from villages.exchange.models import Event
from villages.exchange.selectors.filters import EventFilter


class EventListCreateApi(ListApi):
    """Upcoming events. Filters (EventFilter): pairing, village, community, kind."""

    queryset = Event.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.EventOutput
    filterset_class = EventFilter

    def get_queryset(self):
        return selectors.event_list(filters=self.request.query_params)

    @extend_schema(request=s.EventInput, responses={201: s.EventOutput})
    def post(self, request):
        data = s.EventInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_create(created_by=request.user, **data.validated_data)
        return Response(s.EventOutput(selectors.event_get(pk=event.pk)).data,
                        status=status.HTTP_201_CREATED)


class RegistrationCreateApi(Api):
    """GET: who registered, for the event's organisers (403 for anyone else). POST: register."""

    @extend_schema(responses=s.RegistrationOutput(many=True))
    def get(self, request, pk: int):
        event = selectors.event_get(pk=pk)
        return Response(s.RegistrationOutput(
            selectors.registration_list_for_organiser(viewer=request.user, event=event),
            many=True).data)

    @extend_schema(request=None, responses={201: None})
    def post(self, request, pk: int):
        event = selectors.event_get(pk=pk)
        registration = services.registration_create(person=request.user, event=event.pk)
        return Response({"id": registration.pk, "event": event.pk, "status": registration.status},
                        status=status.HTTP_201_CREATED)


class RegistrationCancelApi(Api):
    @extend_schema(request=None, responses={200: None})
    def post(self, request, pk: int):
        registration = selectors.registration_get(pk=pk)
        registration = services.registration_cancel(person=request.user, registration=registration)
        return Response({"id": registration.pk, "status": registration.status})
