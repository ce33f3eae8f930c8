"""Variable labels per dataset: the names tables, charts and exports show for its columns."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics import labels, run_checks, selectors, services
from synergy.core.selectors import get_or_404

MAX_LABEL = 60


class LabelsForm(forms.Form):
    """One text box per column, filled with the current label (the paper's name by default)."""

    def __init__(self, *args, columns: list[str], current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for column in columns:
            self.fields[column] = forms.CharField(
                label=column, required=False, max_length=MAX_LABEL, initial=current.get(column),
                help_text=gettext_lazy("Leave empty to show the column name."))


@login_required
def dataset_labels(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.require_analytics_viewer(viewer=request.user)
    dataset = get_or_404(selectors.dataset_list(), pk=pk)
    columns = sorted(c for c in run_checks.dataset_columns(dataset)
                     if c not in run_checks.META_COLUMNS)
    current = labels.variable_labels(dataset)
    form = LabelsForm(request.POST or None, columns=columns, current=current)
    if request.method == "POST" and form.is_valid():
        services.dataset_labels_set(user=request.user, dataset=dataset,
                                    labels={k: v.strip() for k, v in form.cleaned_data.items()})
        messages.success(request, _("Variable names saved for %(name)s.") % {"name": dataset})
        return redirect("analytics:dataset_labels", pk=dataset.pk)
    return render(request, "analytics/dataset_labels.html", {"dataset": dataset, "form": form},
                  status=400 if request.method == "POST" else 200)
