"""Flag SQL that only some engines read, outside the macros that are dispatched per adapter.

The models run unchanged on DuckDB, Postgres and Spark (`make test-warehouses` proves it, in
about ten minutes). This check is the fast early warning `make lint` runs on every change: it
reads the SQL the project writes itself (models, singular and generic tests, macros, the test
expressions in the YAML) and fails on constructs one of the three engines cannot run, naming
the portable replacement. It skips what is engine-specific by design:

- the body of a macro named ``<adapter>__...`` (duckdb__, postgres__, spark__, bigquery__, ...):
  a dispatched implementation; ``default__`` bodies are checked, every adapter may use them;
- inside ``default__X``, what fails only on engines that have their own ``<engine>__X``;
- a macro whose body carries the Jinja comment ``{# portability: <adapter> only #}`` (it runs
  on that adapter alone) or ``{# portability: exempt #}`` (it handles type strings or SQL text,
  it emits none);
- error messages and log lines (``exceptions.*(...)``, ``log(...)``);
- Jinja comments, SQL comments and string literals, and the type strings the project writes
  in DuckDB's syntax by design (``data_type=`` arguments; scoro_data_type() translates them).

It is a pattern check, not a parser: the three-engine build stays the authority.
Usage: python scripts/check_portability.py [paths...]   (default: models tests macros)
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PATHS = ("models", "tests", "macros", "seeds", "snapshots")
SKIPPED_DIRS = {"sqlfluff_stubs", "python", "warehouses"}
ADAPTERS = (
    "duckdb",
    "postgres",
    "spark",
    "databricks",
    "snowflake",
    "bigquery",
    "redshift",
    "trino",
    "fabric",
    "sqlserver",
)

# (engines that cannot run it, pattern, what to write instead). Case-insensitive, matched on
# SQL with its comments and string literals removed.
D, P, S = "duckdb", "postgres", "spark"
RULES: list[tuple[set[str], str, str]] = [
    ({P, S}, r"\bstruct_pack\s*\(", "unified_struct({...})"),
    ({P}, r"\bstruct\s*\(", "unified_struct({...}); a nested type: scoro_data_type()"),
    ({P, S}, r"\blist_value\s*\(", "unified_list([...])"),
    ({P, S}, r"\blist\s*\(", "unified_list_agg(expression, order_by)"),
    ({P, S}, r"\blist_\w+\s*\(", "a dispatched macro (DuckDB list function)"),
    ({S}, r"\barray_agg\s*\(", "unified_list_agg(expression, order_by)"),
    ({S}, r"\bunnest\s*\(", "a dispatched macro (Spark has explode, not unnest)"),
    ({P, S}, r"\[\s*\]", "unified_empty_list()"),
    (
        {S},
        r"\w\s*\[\s*-?\d",
        "a dispatched macro (lists count from 1 on DuckDB/Postgres, 0 on Spark)",
    ),
    ({P, S}, r"\bstrftime\s*\(|\bstrptime\s*\(", "unified_iso_date() / unified_iso_timestamp()"),
    ({D, S}, r"\bto_char\s*\(", "unified_iso_date() / unified_iso_timestamp()"),
    ({P}, r"\btry_cast\s*\(", "dbt.safe_cast(field, type)"),
    ({S}, r"::", "cast(expression as type)"),
    (
        {P, S},
        r"\b(hugeint|uhugeint|ubigint|uinteger|usmallint|utinyint|int128)\b",
        "decimal(38, 0)",
    ),
    ({P, S}, r"//", "a dispatched macro (// is integer division on DuckDB only)"),
    (
        {D, S},
        r"(?<![/*])/(?![/*])",
        "a dispatched macro like accounting_to_base: DuckDB divides decimals in double "
        "precision, Spark's exact decimal mode leaves a quotient no digits",
    ),
    ({P}, r"\bdate_diff\s*\(|\bdatediff\s*\(", "dbt.datediff() / unified_days_between()"),
    ({P, S}, r"\bdate_add\s*\(|\bdate_sub\s*\(|\binterval\b", "dbt.dateadd()"),
    ({P}, r"\blast_day\s*\(", "dbt.last_day()"),
    (
        {D, P, S},
        r"\bregexp_\w+\s*\(|\s~\*?\s|\brlike\b",
        "a dispatched macro (regular expressions)",
    ),
    ({S}, r"\bstring_agg\s*\(|\bgroup_concat\s*\(", "dbt.listagg()"),
    ({P, S}, r"\bgroup\s+by\s+all\b|\border\s+by\s+all\b", "the columns, listed"),
    ({P, S}, r"\*\s*exclude\b|\*\s*replace\s*\(|\bexclude\s*\(", "the columns, listed"),
    ({P}, r"\bqualify\b", "a subquery filtering on the window function"),
    ({S}, r"\bdistinct\s+on\b", "row_number() in a subquery"),
    ({S}, r"->", "a dispatched macro (JSON arrows are not portable)"),
    ({P}, r"\bif\s*\(|\biff\s*\(|\bifnull\s*\(|\bnvl\s*\(", "case when ... end / coalesce()"),
    ({P}, r"\bany_value\s*\(", "dbt.any_value()"),
    ({P}, r"\bcount_if\s*\(|\barg_(max|min)\s*\(|\b(max|min)_by\s*\(", "case inside count()/sum()"),
    ({P, S}, r"\bepoch\w*\s*\(|\btoday\s*\(", "current_date / dbt.current_timestamp()"),
    ({D, S}, r"\bjsonb?(_\w+)?\b", "unified_to_json() / a dispatched macro"),
    ({P}, r"\bto_json\s*\(", "unified_to_json()"),
    ({P, S}, r"\bread_\w+\s*\(|\bgenerate_series\s*\(|\brange\s*\(", "a model or seed"),
    ({S}, r"\bas\s+(varchar|text)\b(?!\s*\()", "dbt.type_string() (Spark has no bare varchar)"),
    ({P}, r"\bas\s+string\b", "dbt.type_string() (Postgres has no string type)"),
    ({D, P, S}, r"\bas\s+(double|float|real)\b", "exact decimals: accounting_money_type()"),
    ({S}, r"\btimestamptz\b|\btimestamp\s+with\s+time\s+zone\b", "scoro_type_timestamp_tz()"),
    ({D, P}, r"`", 'double quotes ("camelCase"): the spark layer turns them into backquotes'),
]
COMPILED = [(engines, re.compile(p, re.IGNORECASE), advice) for engines, p, advice in RULES]
ENGINES = (D, P, S)

MACRO = re.compile(r"{%-?\s*(macro|test)\s+(\w+)\s*\(.*?{%-?\s*end(?:macro|test)\s*-?%}", re.S)
PRAGMA = re.compile(r"{#-?\s*portability:\s*(\w+\s+only|exempt)\b", re.I)
JINJA_COMMENT = re.compile(r"{#.*?#}", re.S)
JINJA_BLOCK = re.compile(r"{{.*?}}|{%.*?%}", re.S)
NOT_SQL = re.compile(
    r"data_type\s*=\s*(['\"]).*?\1|(?:unified_typed_null|scoro_data_type)\(\s*(['\"]).*?\2"
    r"|(?:exceptions\.\w+|\blog)\(.*?\)\s*-?(?=}}|%})",
    re.S,
)
JINJA_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", re.S)
SQL_NOISE = re.compile(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", re.S)


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    snippet: str
    advice: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: `{self.snippet}` is not portable; use {self.advice}"


def _blank(text: str, start: int, end: int) -> str:
    """text with [start, end) replaced by spaces, newlines kept (line numbers stay right)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _blank_all(text: str, pattern: re.Pattern[str]) -> str:
    for match in reversed(list(pattern.finditer(text))):
        text = _blank(text, match.start(), match.end())
    return text


def portable_view(source: str) -> str:
    """The text to check: engine-specific macros, comments and literals blanked out; SQL
    outside Jinja kept, and the string literals inside Jinja kept (they become SQL)."""
    for match in reversed(list(MACRO.finditer(source))):
        name, body = match.group(2), match.group(0)
        if name.split("__")[0] in ADAPTERS and "__" in name or PRAGMA.search(body):
            source = _blank(source, match.start(), match.end())
    source = _blank_all(source, JINJA_COMMENT)
    source = _blank_all(source, NOT_SQL)
    pieces: list[str] = []
    position = 0
    for block in JINJA_BLOCK.finditer(source):
        pieces.append(_blank_all(source[position : block.start()], SQL_NOISE))
        inner = re.sub(r"[^\n]", " ", block.group(0))
        for string in JINJA_STRING.finditer(block.group(0)):
            literal = string.group(0)
            cleaned = _blank_all(literal[1:-1], SQL_NOISE)
            inner = inner[: string.start() + 1] + cleaned + inner[string.end() - 1 :]
        pieces.append(inner)
        position = block.end()
    pieces.append(_blank_all(source[position:], SQL_NOISE))
    return "".join(pieces)


def macro_names(paths: list[Path]) -> set[str]:
    names: set[str] = set()
    for root in paths:
        for file in [root] if root.is_file() else root.rglob("*.sql"):
            names |= {m.group(2) for m in MACRO.finditer(file.read_text())}
    return names


def _two_argument_trims(view: str) -> list[re.Match[str]]:
    """ltrim/rtrim with a second argument: Spark reads the two arguments the other way round
    (rtrim(x, '0') trims the characters of x from '0')."""
    found = []
    for match in re.finditer(r"\b[lr]trim\s*\(", view, re.IGNORECASE):
        depth = 0
        for char in view[match.end() :]:
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            elif char == "," and depth == 0:
                found.append(match)
                break
    return found


def check_text(path: Path, source: str, known_macros: set[str] = frozenset()) -> list[Finding]:
    """Findings in one file. Inside `default__X`, a construct is allowed when every engine that
    cannot run it has its own `<engine>__X` (the default then never reaches that engine)."""
    view = portable_view(source)
    defaults = [
        (m.start(), m.end(), m.group(2)[len("default__") :])
        for m in MACRO.finditer(source)
        if m.group(2).startswith("default__")
    ]
    findings = []
    trims = ({S}, _two_argument_trims, "trim(trailing 'x' from expression)")
    for engines, pattern, advice in [*COMPILED, trims]:
        matches = pattern(view) if callable(pattern) else pattern.finditer(view)
        for match in matches:
            within = [name for start, end, name in defaults if start <= match.start() < end]
            if within and all(f"{engine}__{within[0]}" in known_macros for engine in engines):
                continue
            line = view.count("\n", 0, match.start()) + 1
            snippet = " ".join(match.group(0).split())
            findings.append(
                Finding(path, line, snippet, f"{advice} [fails on {', '.join(sorted(engines))}]")
            )
    return sorted(findings, key=lambda f: (str(f.path), f.line))


def _yaml_sql(source: str) -> str:
    """The SQL a YAML file carries: test expressions and where clauses; other lines blanked."""
    kept = []
    for line in source.splitlines():
        match = re.match(r"\s*(-\s*)?(expression|where|condition):\s*(.*)$", line)
        kept.append(match.group(3).strip().strip("'\"") if match else "")
    return "\n".join(kept)


def unimplemented_dispatches(path: Path, source: str, known_macros: set[str]) -> list[Finding]:
    """A dispatched macro whose default__X refuses to run (it raises, e.g. through
    unified_unsupported_adapter) needs its own <engine>__X on each of the three engines."""
    findings = []
    for match in MACRO.finditer(source):
        name = match.group(2)
        if not name.startswith("default__"):
            continue
        if not re.search(r"unified_unsupported_adapter|raise_compiler_error", match.group(0)):
            continue
        base = name[len("default__") :]
        missing = [e for e in ENGINES if f"{e}__{base}" not in known_macros]
        if missing:
            line = source.count("\n", 0, match.start()) + 1
            wanted = ", ".join(f"{engine}__{base}" for engine in missing)
            advice = f"an implementation per engine: add {wanted} [fails on {', '.join(missing)}]"
            findings.append(Finding(path, line, f"default__{base} raises", advice))
    return findings


# Postgres cuts identifiers at 63 bytes, and dbt-postgres refuses a longer relation name: a
# model, seed or snapshot (its file name) and a unit test (dbt builds a relation of its name).
MAX_RELATION_NAME = 63
RELATION_DIRS = ("models", "seeds", "snapshots")


def long_names(path: Path, source: str) -> list[Finding]:
    findings = []
    relation_file = path.suffix in (".sql", ".csv") and path.parts[0] in RELATION_DIRS
    if relation_file and len(path.stem) > MAX_RELATION_NAME:
        advice = (
            f"a name of at most {MAX_RELATION_NAME} characters (Postgres cuts identifiers "
            "there) [fails on postgres]"
        )
        findings.append(Finding(path, 1, path.stem, advice))
    if path.suffix in (".yml", ".yaml"):
        in_unit_tests = False
        for number, line in enumerate(source.splitlines(), start=1):
            if re.match(r"^\S", line):
                in_unit_tests = line.startswith("unit_tests:")
            match = re.match(r"^  - name:\s*['\"]?([\w-]+)", line)
            if in_unit_tests and match and len(match.group(1)) > MAX_RELATION_NAME:
                findings.append(
                    Finding(
                        path,
                        number,
                        match.group(1),
                        f"a unit test name of at most {MAX_RELATION_NAME} characters (dbt "
                        "creates a relation of that name) [fails on postgres]",
                    )
                )
    return findings


def check_paths(paths: list[Path]) -> list[Finding]:
    known = macro_names([REPO / "macros", *paths])
    findings: list[Finding] = []
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for file in files:
            shown = file.relative_to(REPO) if file.is_relative_to(REPO) else file
            if SKIPPED_DIRS & set(shown.parts[:-1]) or not file.is_file():
                continue
            if file.suffix == ".sql":
                source = file.read_text()
                findings += check_text(shown, source, known)
                findings += unimplemented_dispatches(shown, source, known)
                findings += long_names(shown, source)
            elif file.suffix in (".yml", ".yaml"):
                source = file.read_text()
                findings += check_text(shown, _yaml_sql(source), known)
                findings += long_names(shown, source)
            elif file.suffix == ".csv":
                findings += long_names(shown, "")
    return findings


def main(argv: list[str]) -> int:
    paths = [Path(p).resolve() for p in argv] or [
        REPO / p for p in DEFAULT_PATHS if (REPO / p).exists()
    ]
    findings = check_paths(paths)
    for finding in findings:
        print(finding)
    if findings:
        print(
            f"{len(findings)} non-portable construct(s): write them with the macro named, or "
            "put the engine's SQL in a dispatched <adapter>__ macro (DECISIONLOG: Portability)"
        )
        return 1
    print("portability: no engine-specific SQL outside dispatched macros")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
