"""How many units a product's next group-buy round will ask for, from its past rounds.

Plain Python (no Django): the selector `product_demand_for_coordinator` feeds it the past
rounds as (date, units) pairs and names the method in words for the reader.

The method, "seasonal average":

1. Same season, earlier years. The rounds whose date falls in the same season as the target
   (the calendar quarter by default, or the calendar month) in a year *before* the target's
   year. If there is at least one, the forecast is their mean (method `SEASONAL`).
2. Otherwise, recent rounds. The mean of the last `recent` rounds (3 by default; fewer if
   there are fewer), by date (method `RECENT`).
3. No past round at all: a forecast of 0 from 0 rounds (method `NO_HISTORY`).

Figures are Decimals rounded half up to 2 places; `Forecast.units_to_plan` rounds up to a
whole unit (harvest enough for the demand).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SEASONAL = "seasonal_average"
RECENT = "recent_average"
NO_HISTORY = "no_history"

QUARTER = "quarter"
MONTH = "month"
SEASONS = (QUARTER, MONTH)

RECENT_ROUNDS = 3
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Forecast:
    units: Decimal        # the forecast figure, 2 decimal places
    method: str           # SEASONAL, RECENT or NO_HISTORY
    rounds_used: int      # how many past rounds the figure averages
    season: str = QUARTER

    @property
    def units_to_plan(self) -> int:
        """The figure rounded up to a whole unit."""
        return math.ceil(self.units)


def season_of(day: dt.date, season: str = QUARTER) -> int:
    """The calendar quarter (1-4) or month (1-12) of `day`."""
    if season == QUARTER:
        return (day.month - 1) // 3 + 1
    if season == MONTH:
        return day.month
    raise ValueError(f"unknown season {season!r}; expected one of {SEASONS}")


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def forecast_next_round(history: Iterable[tuple[dt.date, int | Decimal]], *, target: dt.date,
                        season: str = QUARTER, recent: int = RECENT_ROUNDS) -> Forecast:
    """The seasonal-average forecast of the units of a round on `target` (see the module).

    `history` holds the past rounds' (date, units); dates may be datetimes. Order does not
    matter; rounds on the same day keep their given order for "the last `recent`"."""
    if recent < 1:
        raise ValueError("recent must be at least 1")
    target_season = season_of(target, season)
    rounds = sorted(((day, Decimal(units)) for day, units in history),
                    key=lambda r: (r[0].year, r[0].month, r[0].day))
    same = [u for day, u in rounds if day.year < target.year
            and season_of(day, season) == target_season]
    if same:
        return Forecast(_mean(same), SEASONAL, len(same), season)
    last = [u for _day, u in rounds[-recent:]]
    if last:
        return Forecast(_mean(last), RECENT, len(last), season)
    return Forecast(Decimal("0.00"), NO_HISTORY, 0, season)
