"""Staggered difference-in-differences (issue 18): Callaway–Sant'Anna, imputation, TWFE."""
