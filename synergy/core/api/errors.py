"""The one place where domain errors become HTTP responses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from synergy.core.errors import DomainError, Invalid, InvalidFilter, NotAllowed


def _anonymous(context) -> bool:
    request = context.get("request")
    return request is not None and not getattr(request.user, "is_authenticated", False)


def _log_in_first(exc: NotAllowed, context) -> Response:
    """A refusal of a caller who has not logged in is a 401 everywhere (as DRF's own permission
    classes answer), with the header that names the scheme, whichever selector refused."""
    response = Response({"detail": exc.message}, status=status.HTTP_401_UNAUTHORIZED)
    view = context.get("view")
    header = view.get_authenticate_header(context["request"]) if view is not None else None
    if header:
        response["WWW-Authenticate"] = header
    return response


def exception_handler(exc, context):
    if isinstance(exc, NotAllowed) and _anonymous(context):
        return _log_in_first(exc, context)
    if isinstance(exc, InvalidFilter):
        return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Invalid) and exc.field:
        return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or "Permission denied."}, status=403)
    return drf_exception_handler(exc, context)
