"""Thin API views for datasets and analysis runs (analysts and administrators only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import recovery, selectors, services
from analytics.api.serializers import (
    CityOutput,
    DatasetImportInput,
    DatasetImportOutput,
    DatasetOutput,
    RunInput,
    RunOutput,
)
from analytics.errors import ImportRejected
from analytics.services.datasets import dataset_import_explained
from synergy.core.api.permissions import CanViewAnalytics


class CityListApi(generics.ListAPIView):
    permission_classes = [CanViewAnalytics]
    serializer_class = CityOutput

    def get_queryset(self):
        return selectors.city_list()


class DatasetListCreateApi(generics.ListAPIView):
    permission_classes = [CanViewAnalytics]
    serializer_class = DatasetOutput
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.dataset_list()

    @extend_schema(request=DatasetImportInput, responses={201: DatasetImportOutput})
    def post(self, request):
        data = DatasetImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            ds, report = dataset_import_explained(
                user=request.user, name=data.validated_data["name"],
                upload=data.validated_data["file"],
                interpolate=data.validated_data["interpolate"])
        except ImportRejected as exc:
            return Response({"detail": exc.message, "errors": exc.issues},
                            status=status.HTTP_400_BAD_REQUEST)
        # The dataset's fields as before, and the import page's report beside them.
        return Response({**DatasetOutput(ds).data, "report": report.to_dict()},
                        status=status.HTTP_201_CREATED)


class RunListCreateApi(generics.ListAPIView):
    permission_classes = [CanViewAnalytics]
    serializer_class = RunOutput

    def get_queryset(self):
        return selectors.run_list(user=self.request.user)

    @extend_schema(request=RunInput, responses={202: RunOutput})
    def post(self, request):
        data = RunInput(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.run_start(user=request.user, **data.validated_data)
        run.refresh_from_db()
        return Response(RunOutput(run).data, status=status.HTTP_202_ACCEPTED)


class RunDetailApi(APIView):
    permission_classes = [CanViewAnalytics]

    @extend_schema(responses=RunOutput)
    def get(self, request, pk: int):
        run = selectors.run_get_for_viewer(viewer=request.user, pk=pk)
        return Response(RunOutput(run, context={"with_results": True}).data)


class RunAgainApi(APIView):
    """POST: a new run with the same kind, dataset and parameters as a finished one."""

    permission_classes = [CanViewAnalytics]

    @extend_schema(request=None, responses={202: RunOutput})
    def post(self, request, pk: int):
        run = selectors.run_get_for_viewer(viewer=request.user, pk=pk)
        new = recovery.run_again(user=request.user, run=run)
        new.refresh_from_db()
        return Response(RunOutput(new).data, status=status.HTTP_202_ACCEPTED)
