"""sqlfluff stand-in for dbt's cross-database macros (``dbt.type_string()`` ...), as DuckDB SQL."""


def type_string() -> str:
    return "varchar"


def type_bigint() -> str:
    return "bigint"


def type_int() -> str:
    return "integer"


def type_boolean() -> str:
    return "boolean"


def type_timestamp() -> str:
    return "timestamp"


def type_numeric() -> str:
    return "numeric(28, 6)"


def type_float() -> str:
    return "double"


def safe_cast(field: str, type: str) -> str:
    return f"try_cast({field} as {type})"


def concat(fields: list[str]) -> str:
    return " || ".join(fields)


def cast_bool_to_text(field: str) -> str:
    return f"cast({field} as varchar)"


def current_timestamp() -> str:
    return "now()"


def date_trunc(datepart: str, date: str) -> str:
    return f"date_trunc('{datepart}', {date})"


def dateadd(datepart: str, interval: str, from_date_or_timestamp: str) -> str:
    return f"{from_date_or_timestamp} + interval ({interval}) {datepart}"


def datediff(first_date: str, second_date: str, datepart: str) -> str:
    return f"date_diff('{datepart}', {first_date}, {second_date})"


def last_day(date: str, datepart: str) -> str:
    return f"last_day({date})"


def hash(field: str) -> str:
    return f"md5(cast({field} as varchar))"


def any_value(expression: str) -> str:
    return f"any_value({expression})"


def bool_or(expression: str) -> str:
    return f"bool_or({expression})"


def listagg(measure: str, delimiter_text: str = "','", order_by_clause: str = "", limit_num=None):
    return f"string_agg({measure}, {delimiter_text} {order_by_clause})"


def split_part(string_text: str, delimiter_text: str, part_number: int) -> str:
    return f"split_part({string_text}, {delimiter_text}, {part_number})"


def escape_single_quotes(expression: str) -> str:
    return expression.replace("'", "''")


def string_literal(value: str) -> str:
    return f"'{value}'"
