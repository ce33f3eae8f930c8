"""The community's CSV exports (the API and the bills page share them).

Headers and statuses are in the reader's language (the request's, set by LocaleMiddleware);
every cell goes through `safe_row`."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from community.models import Bill
from synergy.core.exports import safe_row

# The columns, in order (machine names; the header row says them in the reader's language).
BILL_CSV_HEADER = ["unit", "period", "amount", "paid", "outstanding", "due_date", "status"]


def bill_csv_header() -> list[str]:
    field = Bill._meta.get_field
    return [capfirst(str(field("unit").verbose_name)), capfirst(str(field("period").verbose_name)),
            capfirst(str(field("amount").verbose_name)),
            capfirst(str(field("paid_amount").verbose_name)), _("Owed"),
            capfirst(str(field("due_date").verbose_name)), _("Status")]


def bill_status_label(status: str) -> str:
    """The label the bills page shows for Bill.status ("paid", "overdue", "due")."""
    return {"paid": _("Paid"), "overdue": _("Overdue"), "due": _("Due")}.get(status, status)


def bills_csv(bills) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bills.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 flat names correctly
    writer = csv.writer(response)
    writer.writerow(safe_row(bill_csv_header()))
    for b in bills:
        writer.writerow(safe_row([b.unit, b.period, b.amount, b.paid_amount, b.outstanding,
                                  b.due_date, bill_status_label(b.status)]))
    return response
