"""Text around a delimiter and regular expressions: TEXTBEFORE, TEXTAFTER, REGEXTEST, REGEXEXTRACT, REGEXREPLACE.

Excel's REGEX functions use PCRE2; this engine uses Python's ``re``, which reads the same syntax for everything
common (classes, quantifiers, lazy and possessive quantifiers, anchors, look-around, atomic groups, back-references,
``(?i)``-style flags). Named groups are accepted in PCRE2's spelling too (``(?<name>...)``, ``\\k<name>``) and
rewritten for ``re``. Not supported, and reported as #VALUE! like any invalid pattern: Unicode property classes
(``\\p{L}``), ``\\K``, recursion and subroutine calls (``(?R)``, ``(?1)``), callouts, and backtracking-control verbs
(``(*SKIP)``). In replacements, ``$1``, ``${1}``, ``${name}`` and ``$0`` (the whole match) refer to groups and
``$$`` is a dollar sign, as in PCRE2.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from sheetrl.sheet.errors import NA, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.values import Matrix, scalar_of, to_number, to_text

MAX_TEXT = 32_767


def _integer(value: Any, default: int) -> int | ExcelError:
    """A whole-number argument, rounded down (TEXTAFTER's instance -1.2 is -2, as in Excel)."""
    value = scalar_of(value)
    if value is None:
        return default
    number = to_number(value)
    if type(number) is ExcelError:
        return number
    return math.floor(number)


def _flag(value: Any) -> int | ExcelError:
    """A 0/1 mode argument (match_mode, match_end, case_sensitivity); #VALUE! for anything else."""
    number = _integer(value, 0)
    if type(number) is ExcelError:
        return number
    if number not in (0, 1):
        return VALUE
    return number


# ------------------------------------------------------------------------------------ TEXTBEFORE, TEXTAFTER
def _delimiters(value: Any) -> list[str] | ExcelError:
    items = value.values if type(value) is Matrix else [value]
    out = []
    for item in items:
        text = to_text(item)
        if type(text) is ExcelError:
            return text
        out.append(text)
    return out


def _occurrences(text: str, delimiters: list[str], ignore_case: bool) -> list[tuple[int, int]]:
    """(start, end) of each non-overlapping delimiter occurrence, left to right (the longest at a position)."""
    haystack = text.lower() if ignore_case else text
    needles = sorted({d.lower() if ignore_case else d for d in delimiters}, key=len, reverse=True)
    found = []
    position = 0
    while position <= len(haystack):
        best: tuple[int, int] | None = None
        for needle in needles:
            start = haystack.find(needle, position)
            if start >= 0 and (best is None or start < best[0]):
                best = (start, start + len(needle))
        if best is None:
            break
        found.append(best)
        position = best[1] if best[1] > best[0] else best[0] + 1
    return found


_DEFAULT_INSTANCE: Any = object()  # instance_num not given (an explicit 1 and an omitted one differ)


def _split_at_delimiter(
    text: Any, delimiter: Any, instance_num: Any, match_mode: Any, match_end: Any
) -> tuple[str, int, int] | ExcelError:
    """(text, start, end) of the delimiter occurrence TEXTBEFORE/TEXTAFTER split at; #N/A when there is none."""
    source = to_text(scalar_of(text))
    if type(source) is ExcelError:
        return source
    delimiters = _delimiters(delimiter)
    if type(delimiters) is ExcelError:
        return delimiters
    instance = _integer(1.0 if instance_num is _DEFAULT_INSTANCE else 0.0 if instance_num is None else instance_num, 1)
    if type(instance) is ExcelError:
        return instance
    ignore_case = _flag(match_mode)
    if type(ignore_case) is ExcelError:
        return ignore_case
    end_is_delimiter = _flag(match_end)
    if type(end_is_delimiter) is ExcelError:
        return end_is_delimiter
    if instance == 0 or abs(instance) > max(len(source), 1):
        return VALUE
    if instance_num is not _DEFAULT_INSTANCE and all(len(d) > len(source) for d in delimiters):
        return VALUE  # TEXTAFTER("del","deli",1) is #VALUE! in Excel, TEXTAFTER("del","deli") #N/A
    if any(d == "" for d in delimiters):  # an empty delimiter matches at once: at the start, or at the end
        point = 0 if instance > 0 else len(source)
        return source, point, point
    found = _occurrences(source, delimiters, bool(ignore_case))
    if end_is_delimiter:
        found = [(0, 0), *found] if instance < 0 else [*found, (len(source), len(source))]
    if abs(instance) > len(found):
        return NA
    start, end = found[instance - 1] if instance > 0 else found[instance]
    return source, start, end


@register("TEXTBEFORE", 2, 6, refs=(1,), propagate_errors=False)
def textbefore(
    text: Any,
    delimiter: Any,
    instance_num: Any = _DEFAULT_INSTANCE,
    match_mode: Any = 0.0,
    match_end: Any = 0.0,
    if_not_found: Any = NA,
) -> Any:
    """The text before the ``instance_num``-th delimiter (counted from the end when negative); ``match_mode`` 1
    ignores case, ``match_end`` 1 treats the end of the text as a delimiter; ``if_not_found`` (default #N/A)."""
    return _text_beside(text, delimiter, instance_num, match_mode, match_end, if_not_found, after=False)


@register("TEXTAFTER", 2, 6, refs=(1,), propagate_errors=False)
def textafter(
    text: Any,
    delimiter: Any,
    instance_num: Any = _DEFAULT_INSTANCE,
    match_mode: Any = 0.0,
    match_end: Any = 0.0,
    if_not_found: Any = NA,
) -> Any:
    """The text after the ``instance_num``-th delimiter (counted from the end when negative); ``match_mode`` 1
    ignores case, ``match_end`` 1 treats the end of the text as a delimiter; ``if_not_found`` (default #N/A)."""
    return _text_beside(text, delimiter, instance_num, match_mode, match_end, if_not_found, after=True)


def _text_beside(text: Any, delimiter: Any, instance_num: Any, match_mode: Any, match_end: Any, if_not_found: Any,
                 after: bool) -> Any:
    """TEXTBEFORE's (``after`` False) or TEXTAFTER's result."""
    error = _first_error(text, delimiter, instance_num, match_mode, match_end)
    if error is not None:
        return error
    split = _split_at_delimiter(text, delimiter, instance_num, match_mode, match_end)
    if split is NA:
        return NA if if_not_found is None else scalar_of(if_not_found)
    if type(split) is ExcelError:
        return split
    source, start, end = split
    return source[end:] if after else source[:start]


def _first_error(*args: Any) -> ExcelError | None:
    for arg in args:
        values = arg.values if type(arg) is Matrix else [arg]
        for value in values:
            if type(value) is ExcelError:
                return value
    return None


# ------------------------------------------------------------------------------------- regular expressions
_PCRE_NAMED_GROUP = re.compile(r"(?<!\\)\(\?<(?=[A-Za-z_])")
_PCRE_NAMED_REFERENCE = re.compile(r"\\k<([A-Za-z_]\w*)>|\\k\{([A-Za-z_]\w*)\}")


@lru_cache(maxsize=256)
def _compile(pattern: str, ignore_case: bool) -> re.Pattern[str] | None:
    """The pattern compiled for ``re`` (PCRE2 named-group spellings rewritten), or None if it is invalid."""
    translated = _PCRE_NAMED_GROUP.sub("(?P<", pattern)
    translated = _PCRE_NAMED_REFERENCE.sub(lambda m: f"(?P={m.group(1) or m.group(2)})", translated)
    try:
        return re.compile(translated, re.IGNORECASE if ignore_case else 0)
    except (re.error, OverflowError, RecursionError):
        return None


def _regex_arguments(text: Any, pattern: Any, case_sensitivity: Any) -> tuple[str, re.Pattern[str]] | ExcelError:
    source = to_text(scalar_of(text))
    if type(source) is ExcelError:
        return source
    expression = to_text(scalar_of(pattern))
    if type(expression) is ExcelError:
        return expression
    ignore_case = _flag(case_sensitivity)
    if type(ignore_case) is ExcelError:
        return ignore_case
    compiled = _compile(expression, bool(ignore_case))
    if compiled is None:
        return VALUE
    return source, compiled


@register("REGEXTEST", 2, 3)
def regextest(text: Any, pattern: Any, case_sensitivity: Any = 0.0) -> Any:
    """TRUE when the pattern matches any part of the text; ``case_sensitivity`` 1 ignores case."""
    args = _regex_arguments(text, pattern, case_sensitivity)
    if type(args) is ExcelError:
        return args
    source, compiled = args
    return compiled.search(source) is not None


@register("REGEXEXTRACT", 2, 4)
def regexextract(text: Any, pattern: Any, return_mode: Any = 0.0, case_sensitivity: Any = 0.0) -> Any:
    """The first match (``return_mode`` 0), all matches as a row (1), or the first match's capture groups as a
    row (2); #N/A when nothing matches. All matches spill across, as in Excel's own file (IronCalc's test workbook
    REGEX.xlsx caches ``=REGEXEXTRACT(A1,"[A-Z][a-z]+",1)`` as A4:B4)."""
    args = _regex_arguments(text, pattern, case_sensitivity)
    if type(args) is ExcelError:
        return args
    source, compiled = args
    mode = _integer(return_mode, 0)
    if type(mode) is ExcelError:
        return mode
    if mode not in (0, 1, 2):
        return VALUE
    if mode == 1:
        matches = [m.group(0) for m in compiled.finditer(source)]
        return Matrix(1, len(matches), matches) if matches else NA
    match = compiled.search(source)
    if match is None:
        return NA
    if mode == 0:
        return match.group(0)
    groups = ["" if g is None else g for g in match.groups()]
    return Matrix(1, len(groups), groups) if groups else match.group(0)


_REPLACEMENT_TOKEN = re.compile(r"\$(?:\$|(\d+)|\{(\w+)\})")


def _expand(replacement: str, match: re.Match[str]) -> str:
    """PCRE2 substitution: $n, ${n} and ${name} insert groups (unset groups insert nothing), $$ is "$"."""

    def group(token: re.Match[str]) -> str:
        name = token.group(1) or token.group(2)
        if name is None:
            return "$"
        key: int | str = int(name) if name.isdigit() else name
        try:
            return match.group(key) or ""
        except IndexError:
            raise ValueError(f"no group {name}") from None

    return _REPLACEMENT_TOKEN.sub(group, replacement)



@register("REGEXREPLACE", 3, 5)
def regexreplace(
    text: Any, pattern: Any, replacement: Any, occurrence: Any = 0.0, case_sensitivity: Any = 0.0
) -> Any:
    """The text with matches of the pattern replaced: every match (``occurrence`` 0), the n-th, or the n-th from
    the end (negative)."""
    args = _regex_arguments(text, pattern, case_sensitivity)
    if type(args) is ExcelError:
        return args
    source, compiled = args
    substitute = to_text(scalar_of(replacement))
    if type(substitute) is ExcelError:
        return substitute
    which = _integer(occurrence, 0)
    if type(which) is ExcelError:
        return which
    matches = list(compiled.finditer(source))
    if which == 0:
        chosen = matches
    elif abs(which) <= len(matches):
        chosen = [matches[which - 1] if which > 0 else matches[which]]
    else:
        chosen = []
    out = []
    position = 0
    try:
        for match in chosen:
            out.append(source[position : match.start()])
            out.append(_expand(substitute, match))
            position = match.end()
    except ValueError:
        return VALUE
    out.append(source[position:])
    result = "".join(out)
    return result if len(result) <= MAX_TEXT else VALUE
