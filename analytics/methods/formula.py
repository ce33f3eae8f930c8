"""The one grammar for column names and formulas. Nothing a user types is ever evaluated.

A column name is an identifier: letters (Chinese included), digits and underscores, not
starting with a digit, not a Python keyword, not starting with two underscores, at most
``MAX_NAME_LENGTH`` characters.

A formula is ``y ~ x1 + x2`` or ``y ~ x1 + x2 + [d ~ z1 + z2]`` (one instrumented regressor
``d`` with its instruments ``z``). The only operators are ``~``, ``+`` and the brackets; the
terms ``1`` (keep the constant, which is always estimated) and ``0`` are accepted and
ignored, as before. The text is tokenised and parsed here; the names that come out are used
to select DataFrame columns, never to build a string for formulaic or patsy.

Anything else raises ``FormulaError`` (a ``ValueError``) naming the offending term.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "MAX_FORMULA_LENGTH",
    "MAX_NAME_LENGTH",
    "Formula",
    "FormulaError",
    "check_columns",
    "is_valid_name",
    "parse_formula",
    "parse_instruments",
    "validate_name",
    "validate_names",
]

MAX_NAME_LENGTH = 64
MAX_FORMULA_LENGTH = 1000
_NAME = re.compile(r"[^\W\d]\w*", re.UNICODE)
_CHUNK = re.compile(r"[~+\[\]]|[^\s~+\[\]]+", re.UNICODE)


class FormulaError(ValueError):
    """A column name or formula outside the grammar; ``term`` is the offending text."""

    def __init__(self, message: str, *, term: str | None = None):
        super().__init__(message)
        self.term = term


def is_valid_name(name: object) -> bool:
    if not isinstance(name, str) or not name or len(name) > MAX_NAME_LENGTH:
        return False
    if unicodedata.normalize("NFKC", name) != name:  # no look-alike digits or letters
        return False
    return (bool(_NAME.fullmatch(name)) and name.isidentifier()
            and not keyword.iskeyword(name) and not name.startswith("__"))


def _shown(text: object) -> str:
    s = str(text)
    return repr(s if len(s) <= 80 else s[:77] + "...")


def validate_name(name: object, *, what: str = "column") -> str:
    """``name`` itself when it is a valid column name; else ``FormulaError`` naming it."""
    if not is_valid_name(name):
        raise FormulaError(
            f"{what} name {_shown(name)} is not allowed: use letters, digits and underscores, "
            f"not starting with a digit or '__', at most {MAX_NAME_LENGTH} characters",
            term=str(name))
    return name  # type: ignore[return-value]


def validate_names(names: Iterable[object], *, what: str = "column") -> list[str]:
    return [validate_name(n, what=what) for n in names]


def check_columns(names: Iterable[str], columns: Iterable[object] | None) -> None:
    """Every name must be one of ``columns`` (when given)."""
    if columns is None:
        return
    have = {str(c) for c in columns}
    missing = [n for n in names if n not in have]
    if missing:
        raise FormulaError(f"column(s) not in data: {', '.join(missing)}", term=missing[0])


@dataclass(frozen=True)
class Formula:
    dep: str
    exog: list[str] = field(default_factory=list)
    endog: str | None = None
    instruments: list[str] = field(default_factory=list)

    def as_tuple(self) -> tuple[str, list[str], str | None, list[str]]:
        return self.dep, list(self.exog), self.endog, list(self.instruments)

    @property
    def names(self) -> list[str]:
        return [self.dep, *self.exog, *([self.endog] if self.endog else []), *self.instruments]


def _tokens(text: str) -> list[tuple[str, str]]:
    """Operators ``~ + [ ]`` and the words between them; a word must be a name, 0 or 1."""
    out = []
    for m in _CHUNK.finditer(text):
        word = m.group(0)
        if word in "~+[]":
            out.append(("op", word))
        elif word in ("0", "1"):
            out.append(("num", word))
        elif is_valid_name(word):
            out.append(("name", word))
        elif _NAME.fullmatch(word):
            validate_name(word)  # a keyword, a dunder or too long: say which rule
        else:
            raise FormulaError(
                f"formula term {_shown(word)} is not allowed: a formula is 'y ~ x1 + x2' or "
                "'y ~ x1 + [d ~ z1 + z2]' with column names, '~', '+' and brackets only",
                term=word)
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, kind: str, value: str | None = None, *, expected: str) -> str:
        tok = self.peek()
        if tok is None or tok[0] != kind or (value is not None and tok[1] != value):
            found = "the end of the formula" if tok is None else _shown(tok[1])
            raise FormulaError(f"formula {_shown(self.text)} needs 'y ~ x1 + x2': expected "
                               f"{expected}, found {found}",
                               term=None if tok is None else tok[1])
        self.i += 1
        return tok[1]

    def name(self, expected: str) -> str:
        return validate_name(self.take("name", expected=expected), what="column")

    def names_joined(self, first: str) -> list[str]:
        out = [self.name(first)]
        while (tok := self.peek()) is not None and tok[1] == "+":
            self.i += 1
            out.append(self.name("a column name after '+'"))
        return out


def parse_instruments(text: str, *, columns: Iterable[object] | None = None
                      ) -> tuple[str, list[str]]:
    """``'d ~ z1 + z2'`` -> ``('d', ['z1', 'z2'])``."""
    if not isinstance(text, str) or len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError("the instrument specification must be text of at most "
                           f"{MAX_FORMULA_LENGTH} characters")
    p = _Parser(text)
    endog = p.name("the instrumented column name")
    p.take("op", "~", expected="'~'")
    instr = p.names_joined("an instrument column name")
    if p.peek() is not None:
        raise FormulaError(f"unexpected {_shown(p.peek()[1])} in {_shown(text)}",
                           term=p.peek()[1])
    _no_repeats([endog, *instr])
    check_columns([endog, *instr], columns)
    return endog, instr


def _no_repeats(names: Sequence[str], *, dep: str | None = None) -> None:
    seen: set[str] = set()
    for n in names:
        if n == dep and n in seen:
            raise FormulaError(f"{n} is the dependent variable and cannot also be on the "
                               "right-hand side", term=n)
        if n in seen:
            raise FormulaError(f"column {n!r} is given twice in the formula", term=n)
        seen.add(n)


def parse_formula(text: str, *, columns: Iterable[object] | None = None) -> Formula:
    """Parse ``'y ~ x1 + x2 + [d ~ z1 + z2]'``; ``columns`` (the data's) bounds the names."""
    if not isinstance(text, str):
        raise FormulaError("the formula must be text")
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_FORMULA_LENGTH} characters")
    p = _Parser(text)
    if p.peek() is None:
        raise FormulaError("the formula is empty: write 'y ~ x1 + x2'")
    dep = p.name("the dependent column name")
    p.take("op", "~", expected="'~' after the dependent variable")
    exog: list[str] = []
    endog, instr = None, []
    while True:
        tok = p.peek()
        if tok is None:
            raise FormulaError(f"formula {_shown(text)}: expected a term after '~' or '+'")
        if tok[0] == "num":
            p.i += 1
        elif tok == ("op", "["):
            if endog is not None:
                raise FormulaError("only one '[endog ~ instruments]' block is allowed", term="[")
            p.i += 1
            endog = p.name("the instrumented column name")
            p.take("op", "~", expected="'~' inside the brackets")
            instr = p.names_joined("an instrument column name")
            p.take("op", "]", expected="']'")
        else:
            exog.append(p.name("a column name"))
        tok = p.peek()
        if tok is None:
            break
        p.take("op", "+", expected="'+' between terms")
    _no_repeats([dep, *exog, *([endog] if endog else []), *instr], dep=dep)
    f = Formula(dep=dep, exog=exog, endog=endog, instruments=instr)
    check_columns(f.names, columns)
    return f
