"""Typed OData literals from metadata types: what a value must look like in a URL.

The query builder's value editors hand over what the user typed ("O'Neil", "42", "2025-01-31")
and the property's Edm type; this module returns the `Literal` node that the serializer
writes. Each primitive type has its own URL form (OData v4.01 Part 2 §5.1.1.6 "Literals",
ABNF `primitiveLiteral`), and OData v2 services need their older typed forms (`datetime'…'`,
`guid'…'`, `time'PT…'`, `X'…'`, number suffixes `M`/`L`/`d`/`f`; OData v2 URI Conventions
§2.2.2 "Abstract Type System"). Getting this wrong is the most common cause of a 400.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from workbench.core.errors import ODataQueryError
from workbench.core.odata.query import Literal, LiteralKind

INT_RANGES: dict[str, tuple[int, int]] = {
    "Edm.Byte": (0, 255), "Edm.SByte": (-128, 127), "Edm.Int16": (-2**15, 2**15 - 1),
    "Edm.Int32": (-2**31, 2**31 - 1), "Edm.Int64": (-2**63, 2**63 - 1),
}
NUMERIC_TYPES = frozenset({*INT_RANGES, "Edm.Decimal", "Edm.Double", "Edm.Single"})
TEMPORAL_TYPES = frozenset({"Edm.Date", "Edm.DateTimeOffset", "Edm.DateTime", "Edm.TimeOfDay", "Edm.Time",
                            "Edm.Duration"})

_DATE_RE = re.compile(r"^-?\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?$")
_DTO_RE = re.compile(r"^-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?(Z|[+-]\d{2}:\d{2})$", re.I)
_DT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$")
_DURATION_RE = re.compile(r"^-?P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


def _bad(value: Any, edm_type: str, hint: str = "") -> ODataQueryError:
    return ODataQueryError(f"{value!r} is not a valid {edm_type}" + (f": {hint}" if hint else ""))


def is_v2(version: str) -> bool:
    return version.startswith(("1.", "2.", "3."))


def literal_for(value: Any, edm_type: str, *, version: str = "4.0", enum_members: tuple[str, ...] = (),
                is_flags: bool = False) -> Literal:
    """The literal for `value` (a Python value or the text a user typed) of `edm_type`.

    `edm_type` is an Edm primitive (`Edm.Int32`) or, for an enum, its qualified name together
    with `enum_members`. `version` "2.0" (or 1.0/3.0) selects the OData v2 forms. Raises
    `ODataQueryError` when the value does not fit the type (no position: the caller knows it).
    """
    v2 = is_v2(version)
    if value is None or (isinstance(value, str) and value == "null" and edm_type != "Edm.String"):
        return Literal("null", "null")
    if enum_members or (not edm_type.startswith("Edm.") and edm_type):
        return _enum(value, edm_type, enum_members, is_flags)
    if edm_type == "Edm.String":
        return Literal("string", str(value))
    if edm_type == "Edm.Boolean":
        text = str(value).strip().lower() if not isinstance(value, bool) else ("true" if value else "false")
        if text not in ("true", "false"):
            raise _bad(value, edm_type, "use true or false")
        return Literal("bool", text)
    if edm_type in INT_RANGES:
        return _integer(value, edm_type, v2)
    if edm_type == "Edm.Decimal":
        return _decimal(value, v2)
    if edm_type in ("Edm.Double", "Edm.Single"):
        return _double(value, edm_type, v2)
    if edm_type == "Edm.Guid":
        try:
            text = str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value).strip().strip("{}")))
        except ValueError as exc:
            raise _bad(value, edm_type, "expected 8-4-4-4-12 hex digits") from exc
        return Literal("guid", text, prefix="guid") if v2 else Literal("guid", text)
    if edm_type == "Edm.Date":
        text = _date_text(value, edm_type)
        # v2 has no Edm.Date; SAP Gateway's "Date" properties are Edm.DateTime at midnight.
        return Literal("datetime", f"{text}T00:00:00", prefix="datetime") if v2 else Literal("date", text)
    if edm_type == "Edm.DateTimeOffset":
        text = _dto_text(value)
        return Literal("datetimeoffset", text, prefix="datetimeoffset") if v2 else Literal("datetimeoffset", text)
    if edm_type == "Edm.DateTime":
        return Literal("datetime", _datetime_text(value), prefix="datetime")
    if edm_type == "Edm.TimeOfDay":
        text = _time_text(value, edm_type)
        return Literal("time", _time_as_duration(text), prefix="time") if v2 else Literal("timeofday", text)
    if edm_type == "Edm.Time":  # v2: a duration, written time'PT13H20M'
        text = str(value).strip()
        if isinstance(value, (time, timedelta)) or _TIME_RE.match(text):
            text = _time_as_duration(_time_text(value, edm_type)) if not isinstance(value, timedelta) else _duration(value)
        elif not _DURATION_RE.match(text):
            raise _bad(value, edm_type, "expected e.g. PT13H20M or 13:20:00")
        return Literal("time", text, prefix="time")
    if edm_type == "Edm.Duration":
        text = _duration(value) if isinstance(value, timedelta) else str(value).strip()
        if not _DURATION_RE.match(text):
            raise _bad(value, edm_type, "expected an ISO 8601 duration such as P1DT2H")
        return Literal("duration", text, prefix="duration")
    if edm_type == "Edm.Binary":
        return _binary(value, v2)
    if edm_type.startswith(("Edm.Geography", "Edm.Geometry")):
        prefix = "geography" if "Geography" in edm_type else "geometry"
        return Literal("geo", str(value), prefix=prefix)
    raise ODataQueryError(f"Values of type {edm_type} cannot be written as a URL literal")


def _integer(value: Any, edm_type: str, v2: bool) -> Literal:
    try:
        number = int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
    except ValueError as exc:
        raise _bad(value, edm_type, "expected a whole number") from exc
    if isinstance(value, bool):
        raise _bad(value, edm_type)
    low, high = INT_RANGES[edm_type]
    if not low <= number <= high:
        raise _bad(value, edm_type, f"out of range {low}..{high}")
    return Literal("int", str(number), suffix="L" if v2 and edm_type == "Edm.Int64" else "")


def _decimal(value: Any, v2: bool) -> Literal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise _bad(value, "Edm.Decimal", "expected a number such as 12.50") from exc
    if not number.is_finite():
        raise _bad(value, "Edm.Decimal", "INF and NaN are not decimals")
    text = format(number, "f")
    if v2:
        return Literal("decimal", text, suffix="M")
    return Literal("decimal" if "." in text else "int", text)


def _double(value: Any, edm_type: str, v2: bool) -> Literal:
    text = str(value).strip()
    if isinstance(value, float):
        text = "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF") if math.isinf(value) else repr(value)
    if text.lower() in ("inf", "infinity", "+inf"):
        text = "INF"
    elif text.lower() in ("-inf", "-infinity"):
        text = "-INF"
    elif text.lower() == "nan":
        text = "NaN"
    else:
        try:
            float(text)
        except ValueError as exc:
            raise _bad(value, edm_type, "expected a number such as 1.5 or 1e10") from exc
        if not re.match(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$", text):
            raise _bad(value, edm_type, "expected a number such as 1.5 or 1e10")
    if v2 and text not in ("INF", "-INF", "NaN"):
        return Literal("double", text, suffix="f" if edm_type == "Edm.Single" else "d")
    if text in ("INF", "-INF", "NaN") or "e" in text.lower():
        return Literal("double", text)
    return Literal("decimal" if "." in text else "int", text)


def _date_text(value: Any, edm_type: str) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not _DATE_RE.match(text):
        raise _bad(value, edm_type, "expected YYYY-MM-DD")
    try:
        date.fromisoformat(text)
    except ValueError as exc:
        raise _bad(value, edm_type, str(exc)) from exc
    return text


def _dto_text(value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        text: str = value.isoformat()
        return text.replace("+00:00", "Z")
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00Z"
    text = str(value).strip()
    if _DATE_RE.match(text):
        return f"{text}T00:00:00Z"
    if _DT_RE.match(text):
        text += "Z"  # a time without offset: the builder's editors work in UTC
    if not _DTO_RE.match(text):
        raise _bad(value, "Edm.DateTimeOffset", "expected e.g. 2025-01-31T12:00:00Z")
    try:
        datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError as exc:
        raise _bad(value, "Edm.DateTimeOffset", str(exc)) from exc
    return text


def _datetime_text(value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        stamp: str = value.isoformat(timespec="seconds" if not value.microsecond else "milliseconds")
        return stamp
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00"
    text = str(value).strip()
    if _DATE_RE.match(text):
        return f"{text}T00:00:00"
    if text.endswith(("Z", "z")):
        text = text[:-1]
    if not _DT_RE.match(text):
        raise _bad(value, "Edm.DateTime", "expected e.g. 2025-01-31T12:00:00")
    return text


def _time_text(value: Any, edm_type: str) -> str:
    if isinstance(value, time):
        return value.isoformat()
    text = str(value).strip()
    if not _TIME_RE.match(text):
        raise _bad(value, edm_type, "expected HH:MM:SS")
    hours, minutes = int(text[:2]), int(text[3:5])
    seconds = float(text[6:]) if len(text) > 5 else 0.0
    if hours > 23 or minutes > 59 or seconds >= 60:
        raise _bad(value, edm_type, "hours 0-23, minutes and seconds 0-59")
    return text if len(text) > 5 else text + ":00"


def _time_as_duration(text: str) -> str:
    hours, minutes = int(text[:2]), int(text[3:5])
    seconds = text[6:] if len(text) > 5 else "0"
    out = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if float(seconds) or out == "PT":
        out += f"{seconds.lstrip('0') or '0'}S"
    return out


def _duration(value: timedelta) -> str:
    total = value.total_seconds()
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    out = f"{sign}P" + (f"{int(days)}D" if days else "")
    clock = (f"{int(hours)}H" if hours else "") + (f"{int(minutes)}M" if minutes else "")
    if seconds or (not days and not clock):
        clock += (f"{seconds:.6f}".rstrip("0").rstrip(".")) + "S"
    return out + ("T" + clock if clock else "")


def _binary(value: Any, v2: bool) -> Literal:
    if isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    else:
        text = str(value).strip()
        try:
            data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError) as exc:
            raise _bad(value, "Edm.Binary", "expected base64") from exc
    if v2:
        return Literal("binary", data.hex().upper(), prefix="X")
    return Literal("binary", base64.urlsafe_b64encode(data).decode().rstrip("="), prefix="binary")


def _enum(value: Any, type_name: str, members: tuple[str, ...], is_flags: bool) -> Literal:
    text = str(getattr(value, "name", value)).strip()
    if "'" in text and text.endswith("'"):  # already `Ns.Type'Member'`
        text = text[text.index("'") + 1:-1]
    names = [n.strip() for n in text.split(",")]
    if len(names) > 1 and not is_flags:
        raise ODataQueryError(f"{type_name} is not a flags enum: give one member")
    if members:
        unknown = [n for n in names if n not in members and not n.lstrip("-").isdigit()]
        if unknown:
            raise ODataQueryError(f"{unknown[0]!r} is not a member of {type_name} (members: {', '.join(members)})")
    return Literal("enum", ",".join(names), type_name=type_name)


# --------------------------------------------------------------------------- type checks


#: Literal kinds a property of each Edm type may be compared with (numeric promotion and
#: the v2/v4 spellings of the same type included; URL Conventions §5.1.1.1 "Numeric Promotion").
_COMPATIBLE: dict[str, frozenset[str]] = {
    "Edm.String": frozenset({"string"}),
    "Edm.Boolean": frozenset({"bool"}),
    "Edm.Guid": frozenset({"guid"}),
    "Edm.Date": frozenset({"date", "datetime"}),
    "Edm.DateTimeOffset": frozenset({"datetimeoffset", "datetime", "date"}),
    "Edm.DateTime": frozenset({"datetime", "datetimeoffset"}),
    "Edm.TimeOfDay": frozenset({"timeofday", "time"}),
    "Edm.Time": frozenset({"time", "duration", "timeofday"}),
    "Edm.Duration": frozenset({"duration", "time"}),
    "Edm.Binary": frozenset({"binary"}),
    "Edm.Decimal": frozenset({"int", "decimal", "double"}),
    "Edm.Double": frozenset({"int", "decimal", "double"}),
    "Edm.Single": frozenset({"int", "decimal", "double"}),
}
for _t in INT_RANGES:
    _COMPATIBLE[_t] = frozenset({"int"})


def literal_fits(lit: Literal, edm_type: str) -> bool:
    """Whether a literal can stand for a value of `edm_type` (null always can)."""
    if lit.kind == "null":
        return True
    if edm_type in _COMPATIBLE:
        if lit.kind == "int" and edm_type in INT_RANGES:
            low, high = INT_RANGES[edm_type]
            try:
                return low <= int(lit.text) <= high
            except ValueError:
                return False
        return lit.kind in _COMPATIBLE[edm_type]
    if edm_type.startswith(("Edm.Geography", "Edm.Geometry")):
        return lit.kind == "geo"
    if edm_type in ("Edm.Stream", "Edm.Untyped", "Edm.PrimitiveType"):
        return True
    # An enum type: its literal form, or (OData 4.01) a quoted member name or number.
    return lit.kind in ("enum", "string", "int")


def literal_type(lit: Literal) -> str:
    """The Edm type a literal reads as on its own (for messages and function checks)."""
    return {
        "string": "Edm.String", "int": "Edm.Int32", "decimal": "Edm.Decimal", "double": "Edm.Double",
        "bool": "Edm.Boolean", "guid": "Edm.Guid", "date": "Edm.Date", "datetimeoffset": "Edm.DateTimeOffset",
        "datetime": "Edm.DateTime", "timeofday": "Edm.TimeOfDay", "time": "Edm.Time", "duration": "Edm.Duration",
        "binary": "Edm.Binary", "null": "null", "geo": "Edm.Geography",
    }.get(lit.kind, lit.type_name or "enum")


def kind_of(lit: Literal) -> LiteralKind:
    return lit.kind
