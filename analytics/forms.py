from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.methods.formula import FormulaError, parse_formula
from analytics.models import AnalysisRun, Dataset
from analytics.services import MAX_BOOTSTRAP


class RunForm(forms.Form):
    kind = forms.ChoiceField(label=_("Analysis"), choices=AnalysisRun.Kind.choices,
                             initial=AnalysisRun.Kind.REPLICATE)
    dataset = forms.ModelChoiceField(label=_("Dataset"), queryset=Dataset.objects.none(),
                                     required=False,
                                     empty_label=_("Synthetic panel (generated)"))
    bootstrap = forms.IntegerField(label=_("Bootstrap draws"), min_value=0,
                                   max_value=MAX_BOOTSTRAP, initial=999, required=False)
    seed = forms.IntegerField(label=_("Random seed"), initial=20240521, required=False)
    formula = forms.CharField(label=_("Formula (panel regression)"), required=False,
                              max_length=300,
                              initial="Dist ~ Dig + Ur + Stru + lnexpense + lnper_gdp")
    se = forms.ChoiceField(label=_("Standard errors"), required=False, initial="stata",
                           choices=[("stata", _("Clustered by city (Stata)")),
                                    ("unadjusted", _("Classical")),
                                    ("robust", _("Robust (HC1)"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = Dataset.objects.order_by("name", "-version")

    def clean_formula(self) -> str:
        """The formula grammar (nothing is evaluated); the columns are checked by the service."""
        text = self.cleaned_data.get("formula") or ""
        if text:
            try:
                parse_formula(text)
            except FormulaError as exc:
                raise forms.ValidationError(
                    _("%(term)s is not allowed in a formula: write 'y ~ x1 + x2' with the "
                      "dataset's column names (letters, digits, underscores), '~' and '+'."),
                    params={"term": repr(exc.term) if exc.term else text}) from None
        return text

    def parameters(self) -> dict:
        d = self.cleaned_data
        kind = d["kind"]
        params: dict = {}
        if kind in (AnalysisRun.Kind.REPLICATE, AnalysisRun.Kind.MEDIATE):
            if d.get("bootstrap") is not None:
                params["bootstrap"] = d["bootstrap"]
            if d.get("seed") is not None:
                params["seed"] = d["seed"]
        if kind == AnalysisRun.Kind.FIT:
            if d.get("formula"):
                params["formula"] = d["formula"]
            if d.get("se"):
                params["se"] = d["se"]
                params["cluster"] = "entity" if d["se"] == "stata" else "none"
        return params


class DatasetUploadForm(forms.Form):
    name = forms.CharField(label=_("Dataset name"), max_length=80)
    file = forms.FileField(label=_("CSV or XLSX file"),
                           help_text=_("Long (city, year, variables) or wide layout."))
