"""The city table: 282 prefecture-level cities with province and region (data, not code)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["CITIES_CSV", "REGION_OF_PROVINCE", "load_cities"]

CITIES_CSV = Path(__file__).with_name("data") / "cities.csv"

# METHODS section 6: the standard three-region split by province.
REGION_OF_PROVINCE = {
    **dict.fromkeys(("Beijing", "Tianjin", "Hebei", "Liaoning", "Shanghai", "Jiangsu",
                     "Zhejiang", "Fujian", "Shandong", "Guangdong", "Hainan"), "east"),
    **dict.fromkeys(("Shanxi", "Jilin", "Heilongjiang", "Anhui", "Jiangxi", "Henan", "Hubei",
                     "Hunan"), "central"),
    **dict.fromkeys(("Inner Mongolia", "Guangxi", "Chongqing", "Sichuan", "Guizhou", "Yunnan",
                     "Tibet", "Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang"), "west"),
}

REQUIRED = ["adcode", "name_zh", "name_en", "province", "region"]


def load_cities(path: str | Path | None = None) -> pd.DataFrame:
    """Read the city table (default: the packaged 282-city CSV; pass a user-edited copy).

    Columns: adcode, name_zh, name_en, province_zh, province, region. ``name_zh`` and
    ``adcode`` must be unique; region must be east, central or west.
    """
    df = pd.read_csv(path or CITIES_CSV, dtype={"adcode": str}, encoding="utf-8")
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise ValueError(f"city table lacks column(s) {missing}")
    for col in ("adcode", "name_zh"):
        dup = df[col][df[col].duplicated()].tolist()
        if dup:
            raise ValueError(f"city table: duplicate {col} {dup}")
    bad = df.loc[~df["region"].isin(["east", "central", "west"]), "name_zh"].tolist()
    if bad:
        raise ValueError(f"city table: region must be east/central/west for {bad}")
    return df.reset_index(drop=True)
