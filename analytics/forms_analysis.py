"""One form per analysis kind, with pickers built from the chosen dataset's columns.

The paper's choices are the initial values (``services.KIND_DEFAULTS``); every picker offers
only the dataset's own columns, so nothing typed is ever a column name the grammar has not
seen (the service checks again: ``run_checks``).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.services import KIND_DEFAULTS, MAX_BOOTSTRAP

# Which pickers each kind shows, in the order a person fills them in.
KIND_FIELDS: dict[str, list[str]] = {
    "fit": ["y", "x", "controls", "stepwise", "effects", "se", "cluster", "small"],
    "iv": ["y", "endog", "instrument", "lag", "controls", "se", "cluster"],
    "mediate": ["y", "x", "mediator", "controls", "effects", "se", "bootstrap", "seed"],
    "heterogeneity": ["y", "x", "controls", "group"],
    "robustness": ["y", "x", "alternative", "controls"],
    "index": ["method", "columns", "negative", "normalise"],
    "replicate": ["bootstrap", "seed"],
    "did": ["y", "treatment", "control", "did_method", "covariates", "anticipation",
            "bootstrap", "seed"],
}

# Form fields whose run parameter has another name (the index kind has its own "method").
PARAMETER = {"did_method": "method"}

EFFECT_CHOICES = [("entity time", _("City and year fixed effects")),
                  ("entity", _("City fixed effects")), ("time", _("Year fixed effects")),
                  ("none", _("No fixed effects (pooled)"))]
SE_CHOICES = [("stata", _("Clustered by city (Stata CRV1)")),
              ("cluster", _("Clustered by the column chosen below")),
              ("robust", _("Heteroskedasticity-robust (HC1)")),
              ("unadjusted", _("Classical (iid)")),
              ("driscoll-kraay", _("Driscoll-Kraay (cross-sectional dependence)"))]
LABELS = {
    "y": _("Outcome (y)"), "x": _("Explanatory variable (x)"),
    "controls": _("Control variables"), "stepwise": _("Add the controls one group at a time "
                                                      "(one column per step, as Table 5)"),
    "effects": _("Fixed effects"), "se": _("Standard errors"),
    "cluster": _("Cluster by"), "small": _("Small-sample t and F (Stata's small)"),
    "endog": _("Instrumented variable"), "instrument": _("Instrument"),
    "lag": _("Lag of the instrumented variable used as instrument (years)"),
    "mediator": _("Mediator"), "group": _("Compare groups of"),
    "alternative": _("Alternative index (replaces x)"),
    "method": _("Index method"), "columns": _("Indicators"),
    "negative": _("Indicators where more is worse (direction −)"),
    "normalise": _("Standardisation"), "bootstrap": _("Bootstrap draws"),
    "seed": _("Random seed"),
    "treatment": _("When each city was first paired"),
    "control": _("Comparison cities"), "did_method": _("Estimator"),
    "covariates": _("Covariates (conditional parallel trends)"),
    "anticipation": _("Years of anticipation before pairing"),
}
HELP = {
    "instrument": _("Leave empty to use the lag below, as the paper does."),
    "cluster": _("Used with “Clustered by the column chosen below”."),
    "columns": _("Leave all unticked to use the paper's digital indicators."),
    "treatment": _("The platform's records: the year a city's first community began a "
                   "pairing. Or a column of the dataset with the first pairing year (0 = "
                   "never)."),
    "covariates": _("Leave empty for none. Their values in the base period are used, as R's did does."),
}


class AnalysisForm(forms.Form):
    """The pickers of one kind for one dataset (``columns``: its variable names)."""

    def __init__(self, *args, kind: str, columns: list[str], id_columns: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        defaults = KIND_DEFAULTS.get(kind, {})
        var = [(c, c) for c in columns]
        make = {
            "y": lambda: forms.ChoiceField(choices=var),
            "x": lambda: forms.ChoiceField(choices=var),
            "endog": lambda: forms.ChoiceField(choices=var),
            "mediator": lambda: forms.ChoiceField(choices=var),
            "alternative": lambda: forms.ChoiceField(choices=var),
            "instrument": lambda: forms.ChoiceField(choices=[("", "—"), *var], required=False),
            "controls": lambda: forms.MultipleChoiceField(
                choices=var, required=False, widget=forms.CheckboxSelectMultiple),
            "columns": lambda: forms.MultipleChoiceField(
                choices=var, required=False, widget=forms.CheckboxSelectMultiple),
            "negative": lambda: forms.MultipleChoiceField(
                choices=var, required=False, widget=forms.CheckboxSelectMultiple),
            "group": lambda: forms.ChoiceField(choices=[(c, c) for c in id_columns + columns]),
            "cluster": lambda: forms.ChoiceField(
                choices=[("", "—"), *[(c, c) for c in id_columns]], required=False),
            "stepwise": lambda: forms.BooleanField(required=False),
            "small": lambda: forms.BooleanField(required=False),
            "effects": lambda: forms.ChoiceField(choices=EFFECT_CHOICES),
            "se": lambda: forms.ChoiceField(choices=SE_CHOICES),
            "lag": lambda: forms.IntegerField(min_value=1, max_value=5),
            "method": lambda: forms.ChoiceField(choices=[("pca", _("Principal components")),
                                                         ("entropy", _("Entropy weights"))]),
            "normalise": lambda: forms.ChoiceField(choices=[
                ("minmax", _("Min-max (0 to 1)")), ("none", _("None (values as they are)"))]),
            "bootstrap": lambda: forms.IntegerField(min_value=0, max_value=MAX_BOOTSTRAP),
            "seed": lambda: forms.IntegerField(),
            "treatment": lambda: forms.ChoiceField(
                choices=[("", _("Automatic: the pair_year column if the dataset has one, "
                                "else the platform's records")),
                         ("platform", _("The platform's pairing records")), *var],
                required=False),
            "control": lambda: forms.ChoiceField(choices=[
                ("never", _("Never-paired cities")),
                ("notyet", _("Not-yet-paired cities (and never-paired)"))]),
            "did_method": lambda: forms.ChoiceField(choices=[
                ("dr", _("Doubly robust (Sant'Anna-Zhao)")),
                ("ipw", _("Inverse probability weighting")),
                ("reg", _("Outcome regression"))]),
            "covariates": lambda: forms.MultipleChoiceField(
                choices=var, required=False, widget=forms.CheckboxSelectMultiple),
            "anticipation": lambda: forms.IntegerField(min_value=0, max_value=3),
        }
        for name in KIND_FIELDS.get(kind, []):
            field = make[name]()
            field.label = LABELS[name]
            if name in HELP:
                field.help_text = HELP[name]
            initial = defaults.get(PARAMETER.get(name, name))
            if name == "effects" and isinstance(initial, list | tuple):
                initial = " ".join(initial)
            if isinstance(field, forms.ChoiceField) and not isinstance(
                    field, forms.MultipleChoiceField) and initial not in dict(field.choices):
                initial = None
            field.initial = initial
            self.fields[name] = field

    def parameters(self) -> dict:
        """The service's parameters: only this kind's, empty pickers left to the defaults."""
        out: dict = {}
        for name, value in self.cleaned_data.items():
            if value in ("", None) or (isinstance(value, list) and not value
                                       and name in ("columns",)):
                continue
            out[PARAMETER.get(name, name)] = (list(value) if isinstance(value, list | tuple)
                                              else value)
        if out.get("se") != "cluster":
            out.pop("cluster", None)
        return out
