"""Rendering date serials with date/time sections, in the 1900 or the 1904 date system.

The value is rounded once, to the precision the section shows (whole seconds, or the tenths to thousandths of
``ss.000``), and every part is taken from that rounded moment, so 23:59:59.6 shown without fractions is the next
day's 00:00:00. Elapsed codes (``[h]``, ``[mm]``, ``[ss]``) show the total time in their unit; a plain ``h``, ``m``
or ``s`` in a section that also has the elapsed code of the same unit shows that total too.

Which values a section can show (else TEXT gives #VALUE! and a cell shows ``########``):

- a section whose only code is one elapsed unit (``[h]``, ``[mm]:`` is not) shows any number below 1E+10 days,
  negative ones with a minus sign;
- in the 1900 date system any other section needs 0 <= value < 9999-12-31 + 1 day;
- in the 1904 date system negative values show with a leading minus sign (Excel's way of showing negative times),
  up to the same last date.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from sheetrl.sheet import serials
from sheetrl.sheet.format_code import Section
from sheetrl.sheet.format_tokens import (
    AMPM,
    DAY,
    ELAPSED,
    HOUR,
    LITERAL,
    MINUTE,
    MONTH,
    SECOND,
    SUBSECOND,
    YEAR,
)

_DECIMAL = Context(prec=60, rounding=ROUND_HALF_UP)
_SECONDS_PER_UNIT = {"h": 3600, "m": 60, "s": 1}
MAX_ELAPSED_DAYS = 1e10


def render_date(section: Section, serial: float, signed: bool, date1904: bool) -> str | None:
    """The text of a serial in a date section, or None when the section cannot show it.

    ``signed`` says whether the section shows a minus sign for a negative value (the first section of a format
    does; a format's own negative section shows the magnitude).
    """
    layout = section.date
    assert layout is not None
    sign = ""
    if serial < 0:
        if not (layout.elapsed_only or date1904):
            return None
        sign = "-" if signed else ""
        serial = -serial
    if serial >= MAX_ELAPSED_DAYS:  # beyond any duration an elapsed code can count (and beyond exact integers)
        return None
    per_second = 10**layout.subsecond_digits
    units = int(Decimal(f"{serial * 86400 * per_second:.15g}").quantize(Decimal(1), context=_DECIMAL))
    day, within = divmod(units, 86400 * per_second)
    seconds_today, fraction = divmod(within, per_second)
    total_seconds = day * 86400 + seconds_today
    if layout.elapsed_only:
        year = month = day_of_month = weekday = 0
    else:
        if day > serials.max_serial(date1904):
            return None
        year, month, day_of_month = serials.serial_to_ymd(day, date1904)
        weekday = serials.weekday_from_sunday(day, date1904)
    hour, minute, second = seconds_today // 3600, seconds_today // 60 % 60, seconds_today % 60
    names = section.names
    elapsed = layout.elapsed_units
    numerals = section.numerals

    def field(number: int, width: int, spelled: bool = True) -> str:
        """A numeric field, zero-padded to ``width``; spelled out with [DBNum] numerals (zeros digit by digit)."""
        text = f"{number:0{width}d}"
        if numerals is None:
            return text
        if spelled and number:
            return numerals.spell(number, date_field=True)
        return text.translate(numerals.digit_table())

    out: list[str] = []
    for kind, payload in section.tokens:
        if kind == LITERAL:
            out.append(payload)
        elif kind == YEAR:
            shown_year = year + section.year_offset
            out.append(field(shown_year % 100, 2, False) if payload <= 2 else field(shown_year, 4, False))
        elif kind == MONTH:
            out.append(field(month, payload) if payload <= 2 else _month(names.months, names.months_short, month,
                                                                         payload))
        elif kind == DAY:
            if payload <= 2:
                out.append(field(day_of_month, payload))
            else:
                out.append((names.days_short if payload == 3 else names.days)[weekday])
        elif kind == HOUR:
            if "h" in elapsed:
                out.append(field(total_seconds // 3600, min(payload, 2)))
            else:
                out.append(field((hour % 12 or 12) if layout.twelve_hour else hour, min(payload, 2)))
        elif kind == MINUTE:
            out.append(field(total_seconds // 60 if "m" in elapsed else minute, min(payload, 2)))
        elif kind == SECOND:
            out.append(field(total_seconds if "s" in elapsed else second, min(payload, 2)))
        elif kind == SUBSECOND:
            out.append("." + field(fraction, layout.subsecond_digits, False)[:payload])
        elif kind == AMPM:
            morning = hour < 12
            if payload is None:
                out.append(names.am if morning else names.pm)
            else:
                out.append(payload[0] if morning else payload[1])
        elif kind == ELAPSED:
            unit, width = payload
            out.append(field(total_seconds // _SECONDS_PER_UNIT[unit], width))
    text = sign + "".join(out)
    return text if section.digits is None or numerals is not None else text.translate(section.digits)


def _month(full: tuple[str, ...], short: tuple[str, ...], month: int, count: int) -> str:
    if count == 1:
        return str(month)
    if count == 2:
        return f"{month:02d}"
    if count == 3:
        return short[month - 1]
    if count == 5:
        return full[month - 1][:1]
    return full[month - 1]
