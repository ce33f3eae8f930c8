"""The variable catalogue: every column the paper's analyses read, what it means and where it
comes from (the paper's Tables 1-2 and section (2) "Indicator selection").

Plain Python: the web template download, the import checks ("Strru: did you mean Stru?") and
the documentation read it. Meanings, units and sources come in Chinese and English; the caller
picks the reader's language.

Sources name the yearbook and the indicator as the yearbook prints it, not a table number: the
numbering of the China City Statistical Yearbook's tables changes between editions.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CATALOGUE", "ANALYSES", "Variable", "by_name", "example_rows", "import_columns",
           "nearest_name", "variable_names"]

# The analysis kinds (the ``kind`` of a run) a column can be used by.
ANALYSES = ("replicate", "index", "fit", "iv", "mediate", "heterogeneity", "robustness", "did")

_CITY_YB_ZH = "《中国城市统计年鉴》"
_CITY_YB_EN = "China City Statistical Yearbook"
_SPLIT_ZH = "，市辖区与全市（城市 = 市辖区，农村 = 全市减市辖区）"
_SPLIT_EN = ", municipal districts and whole city (urban = districts, rural = whole city minus " \
            "districts)"
_REGRESSIONS = ("replicate", "fit", "iv", "mediate", "heterogeneity", "robustness", "did")


@dataclass(frozen=True)
class Variable:
    name: str
    meaning_zh: str
    meaning_en: str
    unit_zh: str
    unit_en: str
    direction: str  # "+" or "-" where the column enters an index, "" otherwise
    source_zh: str
    source_en: str
    analyses: tuple[str, ...]
    built: bool = False  # computed by the pipeline (raw columns are imported)
    example: float | None = None  # a plausible value for the template's example rows

    def meaning(self, lang: str) -> str:
        return self.meaning_zh if _zh(lang) else self.meaning_en

    def unit(self, lang: str) -> str:
        return self.unit_zh if _zh(lang) else self.unit_en

    def source(self, lang: str) -> str:
        return self.source_zh if _zh(lang) else self.source_en


def _zh(lang: str) -> bool:
    return (lang or "").lower().startswith("zh")


def _public_service(key: str, zh: str, en: str, unit_zh: str, unit_en: str, yb_zh: str,
                    yb_en: str, urban: float) -> list[Variable]:
    """The urban and the rural column of one Table-1 indicator (both enter Dist with '+')."""
    out = []
    for side, side_zh, side_en, ex in (("urban", "城市（市辖区）", "urban (municipal districts)",
                                        urban),
                                       ("rural", "农村（全市减市辖区）",
                                        "rural (whole city minus districts)", urban * 0.6)):
        out.append(Variable(
            f"{side}_{key}", f"{zh}，{side_zh}", f"{en}, {side_en}", unit_zh, unit_en, "+",
            f"{_CITY_YB_ZH}：{yb_zh}{_SPLIT_ZH}", f"{_CITY_YB_EN}: {yb_en}{_SPLIT_EN}",
            ("replicate", "index"), example=round(ex, 4)))
    return out


_PUBLIC: list[Variable] = [
    *_public_service("mobile_per100", "每百人移动电话用户数", "mobile phone users per 100 people",
                     "户/百人", "users per 100 people", "移动电话年末用户数、年末总人口",
                     "mobile phone users at year end, population at year end", 110.0),
    *_public_service("broadband_per100", "每百人互联网宽带接入用户数",
                     "broadband Internet users per 100 people", "户/百人", "users per 100 people",
                     "互联网宽带接入用户数、年末总人口",
                     "broadband Internet access users, population at year end", 28.0),
    *_public_service("library_per100", "每百人公共图书馆藏书量", "public library books per 100 people",
                     "册/百人", "volumes per 100 people", "公共图书馆图书总藏量、年末总人口",
                     "public library holdings, population at year end", 95.0),
    *_public_service("teachers_per_pupil", "普通小学生师比（每名学生的专任教师数）",
                     "primary school teachers per pupil", "人/人", "teachers per pupil",
                     "普通小学专任教师数、普通小学在校学生数",
                     "full-time primary school teachers, primary school pupils", 0.065),
    *_public_service("doctors_per100", "每百人执业（助理）医师数",
                     "medical practitioners per 100 people", "人/百人", "doctors per 100 people",
                     "执业（助理）医师数、年末总人口",
                     "licensed (assistant) doctors, population at year end", 0.3),
    *_public_service("beds_per100", "每百人医院床位数", "hospital beds per 100 people",
                     "张/百人", "beds per 100 people", "医院床位数、年末总人口",
                     "hospital beds, population at year end", 0.6),
]
# The pipeline's order: the six urban columns, then the six rural ones.
_RAW: list[Variable] = [
    *[v for v in _PUBLIC if v.name.startswith("urban_")],
    *[v for v in _PUBLIC if v.name.startswith("rural_")],
    Variable("telecom_rev_pc", "人均电信业务收入（数字技术产出）",
             "telecommunications revenue per person (digital output)", "元/人", "yuan per person",
             "+", f"{_CITY_YB_ZH}：电信业务收入、年末总人口",
             f"{_CITY_YB_EN}: telecommunications revenue, population at year end",
             ("replicate", "index", "robustness"), example=420.0),
    Variable("digital_finance_index", "北京大学数字普惠金融指数（总指数）",
             "Peking University Digital Financial Inclusion Index (total)", "指数", "index points",
             "+", "北京大学数字金融研究中心《北京大学数字普惠金融指数》",
             "Institute of Digital Finance, Peking University: Digital Financial Inclusion Index"
             " of China", ("replicate", "index", "robustness"), example=180.0),
    Variable("broadband_users_per100", "每百人互联网宽带接入用户数（互联网普及率）",
             "broadband Internet users per 100 people (Internet penetration)", "户/百人",
             "users per 100 people", "+", f"{_CITY_YB_ZH}：互联网宽带接入用户数、年末总人口",
             f"{_CITY_YB_EN}: broadband Internet access users, population at year end",
             ("replicate", "index", "robustness"), example=25.0),
    Variable("mobile_users_per100", "每百人移动电话用户数（移动电话普及率）",
             "mobile phone users per 100 people (mobile penetration)", "户/百人",
             "users per 100 people", "+", f"{_CITY_YB_ZH}：移动电话年末用户数、年末总人口",
             f"{_CITY_YB_EN}: mobile phone users at year end, population at year end",
             ("replicate", "index", "robustness"), example=105.0),
    Variable("info_emp_share", "信息传输业从业人员占城镇单位从业人员比重",
             "information transmission employees, share of urban unit employees", "比例（0–1）",
             "share (0-1)", "+", f"{_CITY_YB_ZH}：信息传输、计算机服务和软件业从业人员，城镇单位从业人员",
             f"{_CITY_YB_EN}: employees in information transmission, computer services and "
             "software; employees of urban units", ("replicate", "index", "robustness"),
             example=0.012),
    Variable("software_emp_share", "计算机服务和软件业从业人员占城镇单位从业人员比重",
             "computer services and software employees, share of urban unit employees",
             "比例（0–1）", "share (0-1)", "+",
             f"{_CITY_YB_ZH}：信息传输、计算机服务和软件业从业人员，城镇单位从业人员",
             f"{_CITY_YB_EN}: employees in information transmission, computer services and "
             "software; employees of urban units", ("replicate", "index", "robustness"),
             example=0.006),
    Variable("Ur", "城镇化水平：城镇人口占总人口比重", "urbanisation: urban population share of "
             "total population", "比例（0–1）", "share (0-1)", "",
             f"{_CITY_YB_ZH}及各省统计年鉴：城镇人口、总人口",
             f"{_CITY_YB_EN} and provincial statistical yearbooks: urban and total population",
             _REGRESSIONS, example=0.55),
    Variable("Stru", "就业结构：第三产业从业人员占从业人员比重",
             "employment structure: tertiary-sector share of employment", "比例（0–1）",
             "share (0-1)", "", f"{_CITY_YB_ZH}：第三产业从业人员比重",
             f"{_CITY_YB_EN}: employment in the tertiary sector, share of total",
             _REGRESSIONS, example=0.48),
    Variable("Isu", "产业结构升级：第三产业增加值占GDP比重",
             "industrial structure upgrading: tertiary value added, share of GDP", "比例（0–1）",
             "share (0-1)", "", f"{_CITY_YB_ZH}：第三产业增加值占地区生产总值比重",
             f"{_CITY_YB_EN}: tertiary industry value added, share of GDP",
             ("replicate", "mediate"), example=0.47),
    Variable("expense", "地方一般公共预算支出（取对数得 lnexpense）",
             "local general public budget expenditure (logged to lnexpense)", "万元",
             "10,000 yuan", "", f"{_CITY_YB_ZH}：地方一般公共预算支出",
             f"{_CITY_YB_EN}: local general public budget expenditure", _REGRESSIONS,
             example=3_500_000.0),
    Variable("per_gdp", "人均地区生产总值（取对数得 lnper_gdp）",
             "GDP per capita (logged to lnper_gdp)", "元", "yuan", "",
             f"{_CITY_YB_ZH}：地区生产总值、年平均人口",
             f"{_CITY_YB_EN}: GDP and average annual population", _REGRESSIONS,
             example=52_000.0),
]

_BUILT_ZH = "由原始指标计算"
_BUILT_EN = "built from the raw columns"
_BUILT: list[Variable] = [
    Variable("Dist", "城乡基本公共服务均等化：(农村得分/城市得分 − 1)²，越小越均等",
             "urban-rural equalisation of basic public services: (rural score / urban score - 1)"
             "^2, smaller is more equal", "无量纲", "none", "",
             f"{_BUILT_ZH}：表1 六项指标，熵值法", f"{_BUILT_EN}: the six Table 1 indicators, "
             "entropy weights", _REGRESSIONS, built=True),
    Variable("Dig", "数字技术发展水平（表2 六项指标，主成分分析）",
             "digital technology development (the six Table 2 indicators, principal components)",
             "指数", "index", "", f"{_BUILT_ZH}：表2 六项指标，主成分分析",
             f"{_BUILT_EN}: the six Table 2 indicators, principal components",
             ("replicate", "fit", "iv", "mediate", "heterogeneity", "did"), built=True),
    Variable("Dig_entropy", "数字技术发展水平（熵值法，稳健性检验）",
             "digital technology development (entropy weights, robustness check)", "指数",
             "index", "", f"{_BUILT_ZH}：表2 六项指标，熵值法",
             f"{_BUILT_EN}: the six Table 2 indicators, entropy weights",
             ("replicate", "robustness"), built=True),
    Variable("lnexpense", "地方财政支出的自然对数", "natural log of local fiscal expenditure",
             "ln(万元)", "ln(10,000 yuan)", "", f"{_BUILT_ZH}：ln(expense)",
             f"{_BUILT_EN}: ln(expense)", _REGRESSIONS, built=True),
    Variable("lnper_gdp", "人均地区生产总值的自然对数", "natural log of GDP per capita", "ln(元)",
             "ln(yuan)", "", f"{_BUILT_ZH}：ln(per_gdp)", f"{_BUILT_EN}: ln(per_gdp)",
             _REGRESSIONS, built=True),
]

# Optional: a city's first pairing year, for the DiD when it is not taken from the platform.
_TREATMENT: list[Variable] = [
    Variable("pair_year", "首次结对年份：该市首个社区与乡村开始结对的年份（0 = 从未结对）",
             "first pairing year: the year the city's first community-village pairing began "
             "(0 = never paired)", "年", "year", "",
             "本平台的结对记录（也可自行导入）", "this platform's pairing records (or imported)",
             ("did",), example=0),
]

# Isu, Ur and Stru are both raw columns and analysis variables: listed once, with the raw ones.
CATALOGUE: tuple[Variable, ...] = (*_RAW, *_BUILT, *_TREATMENT)


def variable_names() -> list[str]:
    return [v.name for v in CATALOGUE]


def import_columns() -> list[str]:
    """The columns a raw import needs besides ``city`` and ``year`` (pipeline order)."""
    return [v.name for v in _RAW]


def by_name() -> dict[str, Variable]:
    return {v.name: v for v in CATALOGUE}


def example_rows() -> list[dict[str, object]]:
    """Two example rows of a raw import: one city, two consecutive years."""
    base = {v.name: v.example for v in _RAW}
    second = {k: round(x * 1.04, 6) for k, x in base.items()}
    second["Ur"], second["Stru"], second["Isu"] = 0.56, 0.49, 0.48
    return [{"city": "石家庄市", "year": 2011, **base}, {"city": "石家庄市", "year": 2012, **second}]


def nearest_name(unknown: str, known: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The known name closest to ``unknown`` (case-insensitive), or None when none is close:
    'Strru' -> 'Stru', 'ur' -> 'Ur'."""
    names = list(dict.fromkeys(known))
    lower = {}
    for n in names:
        lower.setdefault(n.lower(), n)
    hit = difflib.get_close_matches(str(unknown).lower(), list(lower), n=1, cutoff=cutoff)
    return lower[hit[0]] if hit else None
