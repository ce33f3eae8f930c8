"""CSV and XLSX exports: every cell goes through `safe_cell` (no formula injection).

The rule itself lives in `analytics.methods.cells`, which is plain Python so the analytics
engine, which may not import Django, writes its tables with the same rule.
"""

from analytics.methods.cells import FORMULA_TRIGGERS, safe_cell, safe_row

__all__ = ["FORMULA_TRIGGERS", "safe_cell", "safe_row"]
