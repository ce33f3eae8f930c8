"""The API's JSON parser: DRF's, with the input bounded before any serializer sees it.

Refused with a 400 and a sentence: nesting deeper than `API_JSON_MAX_DEPTH` (default 32; the
standard library would otherwise recurse until RecursionError, a 500), numbers that are not
finite (`1e309` parses as infinity and cannot be rendered back as JSON), and NUL characters in
any key or string (PostgreSQL cannot store them in text or jsonb).
"""

from __future__ import annotations

import codecs
import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(_("The number %(number)s is too large.") % {"number": text[:40]})
    return value


def _refuse_constant(name: str):
    raise ValueError(_("%(name)s is not a number JSON allows.") % {"name": name})


def check_tree(data, *, max_depth: int) -> None:
    """Raise ParseError if `data` nests deeper than `max_depth` or carries a NUL; iterative."""
    stack = [(data, 1, "")]
    while stack:
        node, depth, where = stack.pop()
        if isinstance(node, dict | list):
            if depth > max_depth:
                raise ParseError(_("The JSON is nested more than %(depth)d levels deep.")
                                 % {"depth": max_depth})
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in items:
                if isinstance(key, str) and "\x00" in key:
                    raise ParseError(_("A key contains a NUL character (\\x00), which no field accepts."))
                stack.append((value, depth + 1, f"{where}.{key}" if where else str(key)))
        elif isinstance(node, str) and "\x00" in node:
            raise ParseError(_("The value of %(field)s contains a NUL character (\\x00), which no field "
                               "accepts.") % {"field": where or "the body"})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            decoded = codecs.getreader(encoding)(stream)
            data = json.load(decoded, parse_float=_finite_float, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply."))
        except ValueError as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc})
        check_tree(data, max_depth=getattr(settings, "API_JSON_MAX_DEPTH", 32))
        return data
