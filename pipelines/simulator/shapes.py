"""Switches for the shapes Scoro's SDK declares besides the plain ones (issue 8 §2).

Three are alternative wire formats of the same data (off by default: the simulator sends the
plain form); four are data a real account has and a mirror must fetch (on by default). The
switches change only how records are rendered, on the wire and in the truth; the company
itself is the same.

With a switch off, the truth does not assert what that switch brings: ``_index`` of
``custom_field_modules`` (names are unique per field, so rows are matched on the name),
``birthday_month_day``, and the rows of the tables a data switch fills.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

HELP = {
    "modules_as_objects": "custom field 'modules' as module objects {id, title, path, "
    "full_path, parent_module_id} instead of names",
    "position_keyed_lists": "some child lists sent as objects keyed by position, "
    'some with gaps ({"0": ..., "2": ...}), as PHP servers do',
    "custom_fields_as_record": "custom_fields as a record keyed by field id "
    '({"c_budget": "100"} or {"c_budget": {"name", "value", "type"}}) instead of a list',
    "product_custom_fields": "products carry custom_fields, filled only by view",
    "receipt_custom_fields": "receipt groups carry custom_fields, filled only by view",
    "line_custom_fields": "document lines carry custom_fields (view only)",
    "yearless_birthdays": "some birthdays without a year (0000-05-12)",
}


@dataclass(frozen=True)
class Shapes:
    """Which of the SDK's alternative shapes the simulator sends."""

    modules_as_objects: bool = False
    position_keyed_lists: bool = False
    custom_fields_as_record: bool = False
    product_custom_fields: bool = True
    receipt_custom_fields: bool = True
    line_custom_fields: bool = True
    yearless_birthdays: bool = True

    @classmethod
    def plain(cls) -> Shapes:
        """Every switch off: the shapes the first loader was written for."""
        return cls(**{name: False for name in cls.names()})

    @classmethod
    def every(cls) -> Shapes:
        """Every switch on."""
        return cls(**{name: True for name in cls.names()})

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def with_changes(self, changes: dict[str, Any]) -> Shapes:
        """A copy with ``changes`` ({name: bool}) applied; unknown names are an error."""
        unknown = set(changes) - set(self.names())
        if unknown:
            raise ValueError(
                f"unknown shape switch(es) {sorted(unknown)}; known: {', '.join(self.names())}"
            )
        return replace(self, **{k: _flag(k, v) for k, v in changes.items()})

    def as_dict(self) -> dict[str, bool]:
        return asdict(self)


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "on", "yes"):
        return True
    if text in ("0", "false", "off", "no"):
        return False
    raise ValueError(f"shape switch {name}: not a boolean: {value!r}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--NAME`` / ``--no-NAME`` for every switch (dashes for underscores)."""
    group = parser.add_argument_group(
        "API shapes", "alternative shapes Scoro's SDK declares; switch them on to test a loader"
    )
    defaults = Shapes()
    for name in Shapes.names():
        default = getattr(defaults, name)
        group.add_argument(
            f"--{name.replace('_', '-')}",
            dest=f"shape_{name}",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=f"{HELP[name]} (default {'on' if default else 'off'})",
        )
    group.add_argument(
        "--plain-shapes",
        action="store_true",
        help="start from every switch off (the shapes the first loader reads); "
        "switches given as flags still apply",
    )


def from_arguments(args: argparse.Namespace) -> Shapes:
    base = Shapes.plain() if args.plain_shapes else Shapes()
    given = {name: getattr(args, f"shape_{name}") for name in Shapes.names()}
    return base.with_changes({k: v for k, v in given.items() if v is not None})


def list_keys(variant: int, size: int) -> list[int] | None:
    """Keys of a child list sent as an object keyed by position, or None for a JSON array.

    One list in three goes as an object; half of those lost their second element on the
    server, so their keys skip a number ({"0": a, "2": b})."""
    if variant % 3 != 0 or size == 0:
        return None
    if variant % 2 and size > 1:
        return [0] + [k + 1 for k in range(1, size)]
    return list(range(size))
