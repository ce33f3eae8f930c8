"""The community's CSV exports (the API and the bills page share them)."""

from __future__ import annotations

import csv

from django.http import HttpResponse

from synergy.core.exports import safe_row

BILL_CSV_HEADER = ["unit", "period", "amount", "paid", "outstanding", "due_date", "status"]


def bills_csv(bills) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bills.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 flat names correctly
    writer = csv.writer(response)
    writer.writerow(BILL_CSV_HEADER)
    for b in bills:
        writer.writerow(safe_row([b.unit, b.period, b.amount, b.paid_amount, b.outstanding,
                                  b.due_date, b.status]))
    return response
