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
MAX_LAG = 5
MAX_GROUPS = 20
# Kinds with a regression model: y, x (or endog), controls, effects and an SE convention.
REGRESSION_KINDS = frozenset({AnalysisRun.Kind.FIT, AnalysisRun.Kind.IV, AnalysisRun.Kind.MEDIATE,
                              AnalysisRun.Kind.HETEROGENEITY, AnalysisRun.Kind.ROBUSTNESS})


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
        if value.split() not in (["entity", "time"], ["time", "entity"]):
            _choice("effects", value, sorted(EFFECTS | {"entity time"}))
    elif not (isinstance(value, list) and value and set(value) <= {"entity", "time"}
              and all(isinstance(v, str) for v in value)):
        raise Invalid(_("effects must be \"entity time\", \"entity\", \"time\" or "
                        "\"none\"."), field="parameters")


def _whole(param: str, value: object, low: int | None = None, high: int | None = None) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) > 2**32:
        raise Invalid(_("%(param)s must be a whole number.") % {"param": param},
                      field="parameters")
    if low is not None and high is not None and not low <= value <= high:
        raise Invalid(_("%(param)s must be a whole number from %(low)d to %(high)d.")
                      % {"param": param, "low": low, "high": high}, field="parameters")


def _flag(param: str, value: object) -> None:
    if not isinstance(value, bool):
        raise Invalid(_("%(param)s must be true or false.") % {"param": param},
                      field="parameters")


def _distinct(named: dict[str, object]) -> None:
    """y, x, the mediator... and the controls name different columns."""
    seen: dict[str, str] = {}
    for param, value in named.items():
        for v in value if isinstance(value, list) else [value]:
            if v is None:
                continue
            if v in seen:
                raise Invalid(_("%(param)s: column %(term)s is already used by %(other)s.")
                              % {"param": param, "term": repr(v), "other": seen[v]},
                              field="parameters")
            seen[v] = param


def _errors_convention(params: dict, columns: set[str] | None, *, mediation: bool) -> None:
    _effects(params["effects"])
    _choice("se", params["se"], SE_CHOICES)
    cluster = params["cluster"]
    if mediation:  # the mediation bootstrap resamples cities: by city or not at all
        _choice("cluster", cluster, ["entity", "none", None])
    elif cluster not in ("entity", "time", "none", None):
        _name("cluster", cluster, columns)
    if params["se"] != "stata" and cluster not in ("none", None):
        raise Invalid(_("cluster: %(se)s standard errors are not clustered; choose \"none\".")
                      % {"se": params["se"]}, field="parameters")
    if "small" in params:
        _flag("small", params["small"])


def _group_order(value: object) -> None:
    if value is None:
        return
    if not (isinstance(value, list) and value and len(value) <= MAX_GROUPS
            and all(isinstance(v, str | int) and not isinstance(v, bool)
                    and len(str(v)) <= 60 for v in value)):
        raise Invalid(_("order must be a list of at most %(n)d values of the group column.")
                      % {"n": MAX_GROUPS}, field="parameters")


def _fit_formula(params: dict, columns: set[str] | None) -> None:
    """The older fit parameters: one model given as a formula (and an --iv block)."""
    try:
        parse_formula(params["formula"], columns=columns)
    except FormulaError as exc:
        raise _refuse("formula", exc, columns) from None
    if params.get("iv") is not None:
        try:
            parse_instruments(params["iv"], columns=columns)
        except FormulaError as exc:
            raise _refuse("iv", exc, columns) from None


def run_parameters_check(*, kind: str, params: dict, dataset: Dataset | None) -> None:
    """Refuse parameters outside the grammar or naming columns the data will not have."""
    columns = dataset_columns(dataset) if dataset is not None else None
    if "seed" in params:
        _whole("seed", params["seed"])
    if kind in REGRESSION_KINDS:
        _errors_convention(params, columns, mediation=kind == AnalysisRun.Kind.MEDIATE)
    with_formula = kind == AnalysisRun.Kind.FIT and params.get("formula") is not None
    if kind in REGRESSION_KINDS - {AnalysisRun.Kind.IV} and not with_formula:
        for p in ("y", "x"):
            _name(p, params[p], columns)
        _names("controls", params["controls"], columns)
    if kind == AnalysisRun.Kind.FIT:
        _flag("stepwise", params["stepwise"])
        if with_formula:  # one model, as the formula says; y, x and controls are not used
            _fit_formula(params, columns)
        elif params.get("iv") is not None:
            raise Invalid(_("iv: give it with a formula, or run the 2SLS analysis."),
                          field="parameters")
        else:
            _distinct({"y": params["y"], "x": params["x"], "controls": params["controls"]})
    elif kind == AnalysisRun.Kind.IV:
        _name("y", params["y"], columns)
        _name("endog", params["endog"], columns)
        if params["instrument"] is not None:
            _name("instrument", params["instrument"], columns)
        _whole("lag", params["lag"], 1, MAX_LAG)
        _names("controls", params["controls"], columns)
        _distinct({"y": params["y"], "endog": params["endog"],
                   "instrument": params["instrument"], "controls": params["controls"]})
    elif kind == AnalysisRun.Kind.MEDIATE:
        _name("mediator", params["mediator"], columns)
        _names("controls", params["controls"], columns)
        _distinct({"y": params["y"], "x": params["x"], "mediator": params["mediator"],
                   "controls": params["controls"]})
    elif kind == AnalysisRun.Kind.HETEROGENEITY:
        _name("group", params["group"], columns)
        _group_order(params["order"])
        _distinct({"y": params["y"], "x": params["x"], "controls": params["controls"],
                   "group": params["group"]})
    elif kind == AnalysisRun.Kind.ROBUSTNESS:
        _name("alternative", params["alternative"], columns)
        _distinct({"y": params["y"], "x": params["x"], "alternative": params["alternative"],
                   "controls": params["controls"]})
    elif kind == AnalysisRun.Kind.INDEX:
        _choice("method", params["method"], ["pca", "entropy"])
        _choice("normalise", params["normalise"], ["minmax", "none"])
        _names("columns", params["columns"], columns)
        _names("negative", params["negative"], columns)
        if params["columns"] is not None:
            outside = [c for c in params["negative"] or [] if c not in params["columns"]]
            if outside:
                raise Invalid(_("negative: %(term)s is not one of the index columns.")
                              % {"term": repr(outside[0])}, field="parameters")
    elif kind == AnalysisRun.Kind.DID:
        _did(params, columns)


DID_CONTROLS = ("never", "notyet")
DID_METHODS = ("dr", "ipw", "reg")
MAX_ANTICIPATION = 3
MAX_DID_COVARIATES = 10
MIN_DID_BOOTSTRAP = 20  # fewer draws cannot give a uniform band


def _did(params: dict, columns: set[str] | None) -> None:
    _name("y", params["y"], columns)
    treatment = params["treatment"]
    if treatment not in (None, "platform"):
        _name("treatment", treatment, columns)
    _choice("control", params["control"], DID_CONTROLS)
    _choice("method", params["method"], DID_METHODS)
    _names("covariates", params["covariates"], columns)
    if len(params["covariates"] or []) > MAX_DID_COVARIATES:
        raise Invalid(_("covariates: at most %(n)d columns.") % {"n": MAX_DID_COVARIATES},
                      field="parameters")
    _whole("anticipation", params["anticipation"], 0, MAX_ANTICIPATION)
    if 0 < params["bootstrap"] < MIN_DID_BOOTSTRAP:
        raise Invalid(_("bootstrap: 0 for analytical standard errors, or at least %(n)d "
                        "draws.") % {"n": MIN_DID_BOOTSTRAP}, field="parameters")
    _distinct({"y": params["y"], "treatment": treatment if treatment != "platform" else None,
               "covariates": params["covariates"]})
