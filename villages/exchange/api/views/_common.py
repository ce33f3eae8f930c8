"""What the exchange's API views share."""

from __future__ import annotations


def ranked(recommendations, output):
    """Recommendations serialised by `output`, each with its `match` breakdown."""
    return [{**output(r.item).data, "match": r.match.as_dict()} for r in recommendations]
