"""Locale data that number-format codes select with a language code: ``[$-407]``, ``[$€-40C]``, ``[$-D00041E]``.

A code ``[$<symbol>-<hex>]`` carries an optional currency symbol and a 32-bit value: the low 16 bits are a Windows
language identifier (LCID: 0x409 en-US, 0x407 de-DE, 0x804 zh-CN ...), bits 16-23 a calendar and bits 24-31 a
numeral system. The language decides month and weekday names and the AM/PM designators of date formats; the
calendar can shift the year (Thai Buddhist); the numeral system can replace the digits (Arabic-Indic, Devanagari,
Thai ...). Two values are not languages but the system's formats: 0xF800 (``[$-F800]``, the long date) and 0xF400
(``[$-F400]``, the time), also written ``[$-x-sysdate]`` and ``[$-x-systime]``.

Names are those Excel 365 shows for each language (Windows' locale data): German abbreviates March "Mrz", French
"mars"/"janv.", Japanese abbreviates months to the bare number, Chinese spells full month names "一月" and
abbreviates them "1月". Languages covered: English, German (and Austrian German), French, Spanish, Italian,
Portuguese, Dutch, Swedish, Danish, Norwegian (Bokmål and Nynorsk), Finnish, Polish, Russian (and 0xFC19, its genitive
month names), Ukrainian, Czech, Greek, Hungarian, Romanian, Turkish, Catalan, Chinese (simplified and traditional),
Japanese and Korean. Any other language code formats with the English names (documented in docs/engine.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class DateNames:
    """Month and weekday names and AM/PM designators of one language."""

    months: tuple[str, ...]  # 12 full names, January first
    months_short: tuple[str, ...]  # 12 abbreviated names ("mmm")
    days: tuple[str, ...]  # 7 full names, Sunday first
    days_short: tuple[str, ...]  # 7 abbreviated names ("ddd")
    am: str = "AM"
    pm: str = "PM"


def _names(months: str, months_short: str, days: str, days_short: str, am: str = "AM", pm: str = "PM") -> DateNames:
    return DateNames(
        tuple(months.split()), tuple(months_short.split()), tuple(days.split()), tuple(days_short.split()), am, pm
    )


ENGLISH = _names(
    "January February March April May June July August September October November December",
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    "Sunday Monday Tuesday Wednesday Thursday Friday Saturday",
    "Sun Mon Tue Wed Thu Fri Sat",
)
_GERMAN = _names(
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "Jan Feb Mrz Apr Mai Jun Jul Aug Sep Okt Nov Dez",
    "Sonntag Montag Dienstag Mittwoch Donnerstag Freitag Samstag",
    "So Mo Di Mi Do Fr Sa",
)
_FRENCH = _names(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.",
    "dimanche lundi mardi mercredi jeudi vendredi samedi",
    "dim. lun. mar. mer. jeu. ven. sam.",
)
_SPANISH = _names(
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "ene feb mar abr may jun jul ago sep oct nov dic",
    "domingo lunes martes miércoles jueves viernes sábado",
    "dom lun mar mié jue vie sáb",
)
_ITALIAN = _names(
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "gen feb mar apr mag giu lug ago set ott nov dic",
    "domenica lunedì martedì mercoledì giovedì venerdì sabato",
    "dom lun mar mer gio ven sab",
)
_PORTUGUESE = _names(
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "jan fev mar abr mai jun jul ago set out nov dez",
    "domingo segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado",
    "dom seg ter qua qui sex sáb",
)
_DUTCH = _names(
    "januari februari maart april mei juni juli augustus september oktober november december",
    "jan feb mrt apr mei jun jul aug sep okt nov dec",
    "zondag maandag dinsdag woensdag donderdag vrijdag zaterdag",
    "zo ma di wo do vr za",
)
_SWEDISH = _names(
    "januari februari mars april maj juni juli augusti september oktober november december",
    "jan feb mar apr maj jun jul aug sep okt nov dec",
    "söndag måndag tisdag onsdag torsdag fredag lördag",
    "sö må ti on to fr lö",
)
_DANISH = _names(
    "januar februar marts april maj juni juli august september oktober november december",
    "jan feb mar apr maj jun jul aug sep okt nov dec",
    "søndag mandag tirsdag onsdag torsdag fredag lørdag",
    "sø ma ti on to fr lø",
)
_NORWEGIAN = _names(
    "januar februar mars april mai juni juli august september oktober november desember",
    "jan feb mar apr mai jun jul aug sep okt nov des",
    "søndag mandag tirsdag onsdag torsdag fredag lørdag",
    "sø ma ti on to fr lø",
)
_FINNISH = _names(
    "tammikuu helmikuu maaliskuu huhtikuu toukokuu kesäkuu heinäkuu elokuu syyskuu lokakuu marraskuu joulukuu",
    "tammi helmi maalis huhti touko kesä heinä elo syys loka marras joulu",
    "sunnuntai maanantai tiistai keskiviikko torstai perjantai lauantai",
    "su ma ti ke to pe la",
)
_POLISH = _names(
    "styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień",
    "sty lut mar kwi maj cze lip sie wrz paź lis gru",
    "niedziela poniedziałek wtorek środa czwartek piątek sobota",
    "N Pn Wt Śr Cz Pt So",
)
_RUSSIAN = _names(
    "Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь",
    "янв фев мар апр май июн июл авг сен окт ноя дек",
    "воскресенье понедельник вторник среда четверг пятница суббота",
    "Вс Пн Вт Ср Чт Пт Сб",
)
_GERMAN_AUSTRIA = _names(
    "Jänner Februar März April Mai Juni Juli August September Oktober November Dezember",
    "Jän Feb Mär Apr Mai Jun Jul Aug Sep Okt Nov Dez",
    "Sonntag Montag Dienstag Mittwoch Donnerstag Freitag Samstag",
    "So Mo Di Mi Do Fr Sa",
)
_CATALAN = _names(
    "gener febrer març abril maig juny juliol agost setembre octubre novembre desembre",
    "gen feb març abr maig juny jul ag set oct nov des",
    "diumenge dilluns dimarts dimecres dijous divendres dissabte",
    "dg. dl. dt. dc. dj. dv. ds.",
)
_CZECH = _names(
    "leden únor březen duben květen červen červenec srpen září říjen listopad prosinec",
    " ".join(str(month) for month in range(1, 13)),
    "neděle pondělí úterý středa čtvrtek pátek sobota",
    "ne po út st čt pá so",
    "dop.",
    "odp.",
)
_GREEK = _names(
    "Ιανουάριος Φεβρουάριος Μάρτιος Απρίλιος Μάιος Ιούνιος Ιούλιος Αύγουστος Σεπτέμβριος Οκτώβριος Νοέμβριος"
    " Δεκέμβριος",
    "Ιαν Φεβ Μαρ Απρ Μαϊ Ιουν Ιουλ Αυγ Σεπ Οκτ Νοε Δεκ",
    "Κυριακή Δευτέρα Τρίτη Τετάρτη Πέμπτη Παρασκευή Σάββατο",
    "Κυρ Δευ Τρι Τετ Πεμ Παρ Σαβ",
    "πμ",
    "μμ",
)
_HUNGARIAN = _names(
    "január február március április május június július augusztus szeptember október november december",
    "jan. febr. márc. ápr. máj. jún. júl. aug. szept. okt. nov. dec.",
    "vasárnap hétfő kedd szerda csütörtök péntek szombat",
    "V H K Sze Cs P Szo",
    "de.",
    "du.",
)
_ROMANIAN = _names(
    "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie",
    "ian. feb. mar. apr. mai. iun. iul. aug. sep. oct. nov. dec.",
    "duminică luni marţi miercuri joi vineri sâmbătă",
    "D L Ma Mi J V S",
)
_TURKISH = _names(
    "Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık",
    "Oca Şub Mar Nis May Haz Tem Ağu Eyl Eki Kas Ara",
    "Pazar Pazartesi Salı Çarşamba Perşembe Cuma Cumartesi",
    "Paz Pzt Sal Çar Per Cum Cmt",
)
_UKRAINIAN = _names(
    "Січень Лютий Березень Квітень Травень Червень Липень Серпень Вересень Жовтень Листопад Грудень",
    "Січ Лют Бер Кві Тра Чер Лип Сер Вер Жов Лис Гру",
    "неділя понеділок вівторок середа четвер п'ятниця субота",
    "Нд Пн Вт Ср Чт Пт Сб",
)
_NYNORSK = _names(
    "januar februar mars april mai juni juli august september oktober november desember",
    "jan feb mar apr mai jun jul aug sep okt nov des",
    "søndag måndag tysdag onsdag torsdag fredag laurdag",
    "sø må ty on to fr la",
)
# 0xFC19: Russian with month names in the genitive ("12 января"); Excel shows English for the rest.
_RUSSIAN_GENITIVE = replace(
    ENGLISH,
    months=_names(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря", "", "", ""
    ).months,
)
_CHINESE_MONTHS = "一月 二月 三月 四月 五月 六月 七月 八月 九月 十月 十一月 十二月"
_NUMBERED_MONTHS = " ".join(f"{month}月" for month in range(1, 13))
_CHINESE_SIMPLIFIED = _names(
    _CHINESE_MONTHS,
    _NUMBERED_MONTHS,
    "星期日 星期一 星期二 星期三 星期四 星期五 星期六",
    "周日 周一 周二 周三 周四 周五 周六",
    "上午",
    "下午",
)
_CHINESE_TRADITIONAL = _names(
    _CHINESE_MONTHS,
    _NUMBERED_MONTHS,
    "星期日 星期一 星期二 星期三 星期四 星期五 星期六",
    "週日 週一 週二 週三 週四 週五 週六",
    "上午",
    "下午",
)
_JAPANESE = _names(
    _NUMBERED_MONTHS,
    " ".join(str(month) for month in range(1, 13)),
    "日曜日 月曜日 火曜日 水曜日 木曜日 金曜日 土曜日",
    "日 月 火 水 木 金 土",
    "午前",
    "午後",
)
_KOREAN = _names(
    " ".join(f"{month}월" for month in range(1, 13)),
    " ".join(str(month) for month in range(1, 13)),
    "일요일 월요일 화요일 수요일 목요일 금요일 토요일",
    "일 월 화 수 목 금 토",
    "오전",
    "오후",
)

# Primary language (the low 10 bits of an LCID) -> names.
_BY_LANGUAGE: dict[int, DateNames] = {
    0x09: ENGLISH, 0x07: _GERMAN, 0x0C: _FRENCH, 0x0A: _SPANISH, 0x10: _ITALIAN, 0x16: _PORTUGUESE, 0x13: _DUTCH,
    0x1D: _SWEDISH, 0x06: _DANISH, 0x14: _NORWEGIAN, 0x0B: _FINNISH, 0x15: _POLISH, 0x19: _RUSSIAN,
    0x04: _CHINESE_SIMPLIFIED, 0x11: _JAPANESE, 0x12: _KOREAN, 0x03: _CATALAN, 0x05: _CZECH, 0x08: _GREEK,
    0x0E: _HUNGARIAN, 0x18: _ROMANIAN, 0x1F: _TURKISH, 0x22: _UKRAINIAN,
}
# Variants of a language that differ from its main table.
_BY_LCID: dict[int, DateNames] = {0x0C07: _GERMAN_AUSTRIA, 0x0814: _NYNORSK, 0xFC19: _RUSSIAN_GENITIVE}
# Chinese variants written with traditional characters: zh-TW, zh-HK, zh-MO and the neutral zh-Hant.
_TRADITIONAL_CHINESE_LCIDS = frozenset({0x0404, 0x0C04, 0x1404, 0x7C04})

SYSTEM_LONG_DATE = 0xF800
SYSTEM_TIME = 0xF400

# Calendars (bits 16-23) that change the year shown; every other calendar shows Gregorian dates.
THAI_BUDDHIST_CALENDAR = 0x07

# Numeral systems (bits 24-31) whose digits are the ten consecutive code points from this zero.
_NATIVE_ZERO: dict[int, int] = {
    0x02: 0x0660,  # Arabic-Indic
    0x03: 0x06F0,  # Extended Arabic-Indic (Persian, Urdu)
    0x04: 0x0966,  # Devanagari
    0x05: 0x09E6,  # Bengali
    0x06: 0x0A66,  # Gurmukhi
    0x07: 0x0AE6,  # Gujarati
    0x08: 0x0B66,  # Odia
    0x09: 0x0BE6,  # Tamil
    0x0A: 0x0C66,  # Telugu
    0x0B: 0x0CE6,  # Kannada
    0x0C: 0x0D66,  # Malayalam
    0x0D: 0x0E50,  # Thai
    0x0E: 0x0ED0,  # Lao
    0x0F: 0x0F20,  # Tibetan
    0x10: 0x1040,  # Myanmar
    0x12: 0x17E0,  # Khmer
    0x13: 0x1810,  # Mongolian
}


def date_names(lcid: int) -> DateNames:
    """The month and day names of a language identifier (English for languages not covered)."""
    language = lcid & 0xFFFF
    if language in _TRADITIONAL_CHINESE_LCIDS:
        return _CHINESE_TRADITIONAL
    variant = _BY_LCID.get(language)
    if variant is not None:
        return variant
    return _BY_LANGUAGE.get(language & 0x3FF, ENGLISH)


def digit_table(numeral_system: int) -> dict[int, str] | None:
    """A ``str.translate`` table from ASCII digits to a numeral system's digits; None for ASCII digits."""
    zero = _NATIVE_ZERO.get(numeral_system)
    if zero is None:
        return None
    return {ord("0") + digit: chr(zero + digit) for digit in range(10)}


# ======================================================================================= [DBNum1]..[DBNum3]
@dataclass(frozen=True, slots=True)
class NativeNumerals:
    """The numerals ``[DBNum1]`` (ideographs), ``[DBNum2]`` (financial ideographs) and ``[DBNum3]`` (full-width
    digits) give in Chinese, Japanese and Korean formats.

    Excel writes a number's digits one by one in number sections (``0000`` of 123 is "○一二三"), spells the integer
    part of General with units (12 is "一十二", 10,000 "一万"), and in dates spells each field (the 17th is "十七")
    except the year and zero fields, which go digit by digit ("二○二四", "○○").
    """

    digits: str  # the digits 0-9
    units: str  # 10, 100 and 1,000
    groups: str  # 10**4, 10**8 and 10**12
    one_before_units: bool  # 10 is "一十" (Chinese, Korean) rather than "十" (Japanese)

    def digit_table(self) -> dict[int, str]:
        """A ``str.translate`` table from ASCII digits to these digits."""
        return {ord("0") + digit: self.digits[digit] for digit in range(10)}

    def spell(self, number: int, date_field: bool = False) -> str:
        """An integer >= 0 in words: 12 -> 一十二, 105 -> 一百○五, 20,000 -> 二万; in a date field 10-19 drop the
        leading one (十七)."""
        if number == 0:
            return self.digits[0]
        if number >= 10**16:
            return str(number).translate(self.digit_table())
        parts: list[str] = []
        zero_pending = False
        for index in range(3, -1, -1):
            group = number // 10 ** (4 * index) % 10_000
            if group == 0:
                zero_pending = bool(parts)
                continue
            if parts and (zero_pending or group < 1000):
                parts.append(self.digits[0])
            parts.append(self._group(group))
            if index:
                parts.append(self.groups[index - 1])
            zero_pending = False
        text = "".join(parts)
        if date_field and 10 <= number < 20 and text.startswith(self.digits[1] + self.units[0]):
            text = text[1:]
        return text

    def _group(self, group: int) -> str:
        out: list[str] = []
        pending_zero = False
        for position in range(3, -1, -1):
            digit = group // 10**position % 10
            if digit == 0:
                pending_zero = bool(out)
                continue
            if pending_zero:
                out.append(self.digits[0])
                pending_zero = False
            if position == 0:
                out.append(self.digits[digit])
            elif digit == 1 and not self.one_before_units:
                out.append(self.units[position - 1])
            else:
                out.append(self.digits[digit] + self.units[position - 1])
        return "".join(out)

    def general(self, text: str) -> str:
        """A number already in General ("-12.5", "1.2E+20") with these numerals: the integer part spelled."""
        sign = "-" if text.startswith("-") else ""
        body = text[len(sign) :]
        if "E" in body or not body[: body.find(".") if "." in body else len(body)].isdigit():
            return text.translate(self.digit_table())
        whole, point, decimals = body.partition(".")
        return sign + self.spell(int(whole)) + point + decimals.translate(self.digit_table())


_CHINESE_DIGITS = "○一二三四五六七八九"
_FULL_WIDTH_DIGITS = "０１２３４５６７８９"
_NUMERALS: dict[tuple[str, int], NativeNumerals] = {
    ("zh", 1): NativeNumerals(_CHINESE_DIGITS, "十百千", "万亿兆", True),
    ("zh", 2): NativeNumerals("零壹贰叁肆伍陆柒捌玖", "拾佰仟", "万亿兆", True),
    ("zh", 3): NativeNumerals(_FULL_WIDTH_DIGITS, "十百千", "万亿兆", True),
    ("zh-Hant", 1): NativeNumerals(_CHINESE_DIGITS, "十百千", "萬億兆", True),
    ("zh-Hant", 2): NativeNumerals("零壹貳參肆伍陸柒捌玖", "拾佰仟", "萬億兆", True),
    ("zh-Hant", 3): NativeNumerals(_FULL_WIDTH_DIGITS, "十百千", "萬億兆", True),
    ("ja", 1): NativeNumerals("〇一二三四五六七八九", "十百千", "万億兆", False),
    ("ja", 2): NativeNumerals("〇壱弐参四伍六七八九", "拾百阡", "萬億兆", True),
    ("ja", 3): NativeNumerals(_FULL_WIDTH_DIGITS, "十百千", "万億兆", False),
    ("ko", 1): NativeNumerals("０一二三四五六七八九", "十百千", "万億兆", True),
    ("ko", 2): NativeNumerals("零壹貳參四伍六七八九", "拾百阡", "萬億兆", True),
    ("ko", 3): NativeNumerals(_FULL_WIDTH_DIGITS, "十百千", "万億兆", False),
}


def native_numerals(lcid: int, dbnum: int) -> NativeNumerals | None:
    """The numerals of ``[DBNum<dbnum>]`` in a language (Chinese, Japanese, Korean); None for other languages."""
    language = lcid & 0xFFFF
    if language in _TRADITIONAL_CHINESE_LCIDS:
        key = "zh-Hant"
    else:
        key = {0x04: "zh", 0x11: "ja", 0x12: "ko"}.get(language & 0x3FF, "")
    return _NUMERALS.get((key, dbnum))
