"""Domain errors of analytics: raised by services, mapped to HTTP by the core exception
handler (``synergy.core.api.errors``) because each subclasses a ``synergy.core.errors`` class.

The maths in ``analytics.methods`` stays free of Django: its own ``ValueError`` subclasses
(``FormulaError``, ``LimitExceeded``, ``TimeLimitExceeded``) are turned into these by the
services.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from synergy.core.errors import Conflict, Invalid

__all__ = ["ImportRejected", "RunNotFinished"]


class ImportRejected(Invalid):
    """An upload with at least one bad cell; ``issues`` lists every problem (row, column)."""

    def __init__(self, issues: list[dict], *, total: int | None = None):
        total = max(total or 0, len(issues))
        head = "; ".join(_issue_text(i) for i in issues[:5])
        more = total - 5
        msg = _("The file was not imported (%(n)d problem(s)): %(head)s") % {
            "n": total, "head": head}
        if more > 0:
            msg += " " + _("and %(more)d more.") % {"more": more}
        if total > len(issues):
            msg += " " + _("Only the first %(shown)d problems are listed.") % {
                "shown": len(issues)}
        super().__init__(msg, field="file")
        self.issues = issues
        self.total = total


def _issue_text(issue: dict) -> str:
    where = []
    if issue.get("row") is not None:
        where.append(_("row %(row)s") % {"row": issue["row"]})
    if issue.get("column"):
        where.append(_("column %(col)s") % {"col": issue["column"]})
    return f"{', '.join(where) or _('file')}: {issue['message']}"



class RunNotFinished(Conflict):
    """"Run again" on a run that is still pending or running."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This analysis has not finished yet; wait until it "
                                      "succeeds or fails before running it again."))
