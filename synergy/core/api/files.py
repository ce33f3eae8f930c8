"""Base of the API views that hand out a private file (synergy.core.private_files).

The caller authenticates like any API call (token or session); the subclass authorises with the
record's own selector, then returns `private_file_response`. The client's Accept header does
not matter: the answer is the file, whatever its type.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView


class FileNegotiation(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PrivateFileApi(APIView):
    permission_classes = [IsAuthenticated]
    content_negotiation_class = FileNegotiation


# What a private file can be: photos are re-encoded to JPEG; attachments keep their type.
FILE_TYPES = ("image/jpeg", "application/pdf", "text/plain",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "application/octet-stream")
file_schema = extend_schema(responses={
    **{(200, t): OpenApiResponse(OpenApiTypes.BINARY, description="The file's bytes.")
       for t in FILE_TYPES},
    404: OpenApiResponse(description="No such file, or not visible to the caller."),
})
