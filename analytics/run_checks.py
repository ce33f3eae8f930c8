"""Parameter checks for analysis runs, before anything is queued (issue 11.1).

Every column name and formula goes through ``analytics.methods.formula`` (one grammar; nothing
is evaluated) and must name a column the run's data will have. Refusals are ``Invalid`` on
``parameters`` with a translated sentence naming the parameter and the term.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from analytics.methods.formula import (
    FormulaError,
    is_valid_name,
    parse_formula,
    parse_instruments,
)
from analytics.models import AnalysisRun, Dataset
from synergy.core.errors import Invalid

META_COLUMNS = ("city", "year", "city_en", "province", "region", "synthetic")
EFFECTS = {"two-way", "entity", "time", "none"}
SE_CHOICES = ("stata", "unadjusted", "robust")


def dataset_columns(dataset: Dataset) -> set[str]:
    """The columns a run on ``dataset`` sees: its variables, the city-year metadata and, for
    raw indicators, the built variables (Dist, Dig, the logged controls...)."""
    # Lazy: the index pipeline pulls in scipy (checked once per run, not at process start).
    from analytics.methods.pipeline import raw_columns  # noqa: PLC0415

    cols = set(dataset.variables) | set(META_COLUMNS)
    if set(raw_columns()) <= cols:
        cols |= {"Dist", "Dig", "Dig_entropy", "Isu", "Ur", "Stru", "lnexpense", "lnper_gdp"}
    return cols


def _refuse(param: str, exc: FormulaError, columns: set[str] | None) -> Invalid:
    term = exc.term
    if term is not None and columns is not None and is_valid_name(term) and term not in columns:
        msg = _("%(param)s: column %(term)s is not in the dataset.")
    elif term is not None and not is_valid_name(term):
        msg = _("%(param)s: %(term)s is not allowed. Use the dataset's column names "
                "(letters, digits and underscores, not starting with a digit), '~', '+' "
                "and one '[endogenous ~ instruments]' block.")
    else:
        msg = _("%(param)s: %(reason)s")
    return Invalid(msg % {"param": param, "term": repr(term), "reason": str(exc)},
                   field="parameters")


def _name(param: str, value: object, columns: set[str] | None) -> None:
    if not isinstance(value, str):
        raise Invalid(_("%(param)s must be a column name.") % {"param": param},
                      field="parameters")
    if not is_valid_name(value) or (columns is not None and value not in columns):
        raise _refuse(param, FormulaError(value, term=value), columns)


def _names(param: str, value: object, columns: set[str] | None) -> None:
    if value is None:
        return
    if not isinstance(value, list) or len(value) > 200:
        raise Invalid(_("%(param)s must be a list of column names.") % {"param": param},
                      field="parameters")
    for v in value:
        _name(param, v, columns)


def _choice(param: str, value: object, allowed) -> None:
    if value not in allowed:
        raise Invalid(_("%(param)s must be one of: %(allowed)s.")
                      % {"param": param, "allowed": ", ".join(str(a) for a in allowed)},
                      field="parameters")


def _effects(value: object) -> None:
    if isinstance(value, str):
        _choice("effects", value, sorted(EFFECTS))
    elif not (isinstance(value, list) and value and set(value) <= {"entity", "time"}
              and all(isinstance(v, str) for v in value)):
        raise Invalid(_("effects must be [\"entity\", \"time\"], [\"entity\"], [\"time\"] "
                        "or \"none\"."), field="parameters")


def _whole(param: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) > 2**32:
        raise Invalid(_("%(param)s must be a whole number.") % {"param": param},
                      field="parameters")


def run_parameters_check(*, kind: str, params: dict, dataset: Dataset | None) -> None:
    """Refuse parameters outside the grammar or naming columns the data will not have."""
    columns = dataset_columns(dataset) if dataset is not None else None
    if "seed" in params:
        _whole("seed", params["seed"])
    if kind in (AnalysisRun.Kind.FIT, AnalysisRun.Kind.MEDIATE):
        _effects(params["effects"])
        _choice("cluster", params["cluster"], ["entity", "none", None])
        _choice("se", params["se"], SE_CHOICES)
    if kind == AnalysisRun.Kind.FIT:
        try:
            parse_formula(params["formula"], columns=columns)
        except FormulaError as exc:
            raise _refuse("formula", exc, columns) from None
        if params.get("iv") is not None:
            try:
                parse_instruments(params["iv"], columns=columns)
            except FormulaError as exc:
                raise _refuse("iv", exc, columns) from None
    elif kind == AnalysisRun.Kind.MEDIATE:
        for p in ("y", "x", "mediator"):
            _name(p, params[p], columns)
        _names("controls", params["controls"], columns)
    elif kind == AnalysisRun.Kind.INDEX:
        _choice("method", params["method"], ["pca", "entropy"])
        _choice("normalise", params["normalise"], ["minmax", "none"])
        _names("columns", params["columns"], columns)
        _names("negative", params["negative"], columns)
