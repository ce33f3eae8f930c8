"""CSV and XLSX exports: every cell goes through `safe_cell` (no formula injection).

The rule itself lives in the plain-Python package `safecell`, so the analytics engine, which may
not import Django or the core, writes its tables with the same rule.
"""

from safecell import FORMULA_TRIGGERS, safe_cell, safe_row

__all__ = ["FORMULA_TRIGGERS", "safe_cell", "safe_row"]
