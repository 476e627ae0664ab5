"""The shape of an open-data table: a ``Field`` is one CSV column and one field of its resource's Table
Schema; a ``Table`` is one CSV file of /donnees/ and one resource of ``datapackage.json``."""

from collections.abc import Callable
from dataclasses import dataclass, field

TRUE_VALUES, FALSE_VALUES = ["oui"], ["non"]  # how the CSV files write a yes/no fact (as the list's export)


@dataclass(frozen=True)
class Field:
    name: str  # the CSV header: stable, never renamed once published
    title: str  # French
    type: str  # a Table Schema type: string, integer, boolean, date
    description: str
    value: Callable  # (row, base_url) -> str | int | bool | date | list[str] | None
    format: str | None = None  # "uri" for a web address
    required: bool = False
    unique: bool = False
    enum: tuple = ()
    minimum: int | None = None

    def schema(self):
        """The field as Table Schema writes it."""
        described = {"name": self.name, "title": self.title, "description": self.description, "type": self.type}
        if self.format:
            described["format"] = self.format
        if self.type == "boolean":
            described["trueValues"], described["falseValues"] = TRUE_VALUES, FALSE_VALUES
        constraints = {
            key: value
            for key, value in (
                ("required", self.required),
                ("unique", self.unique),
                ("enum", list(self.enum)),
                ("minimum", self.minimum),
            )
            if value
        }
        if constraints:
            described["constraints"] = constraints
        return described


@dataclass(frozen=True)
class Table:
    name: str  # the resource's name and the file's stem
    title: str
    description: str
    fields: list[Field]
    rows: Callable  # () -> the rows, in the file's order
    count: Callable  # () -> how many rows
    primary_key: list[str]
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # (field, resource, its field)

    @property
    def file_name(self):
        return f"{self.name}.csv"


def choices_text(choices):
    """An enumeration's codes with their French labels, for a description."""
    return " ; ".join(f"{value} ({label})" if label != value else value for value, label in choices)


def slug_of(relation):
    return lambda row, base: getattr(getattr(row, relation), "slug", None)


def attribute(name):
    return lambda row, base: getattr(row, name)


def page(row, base):
    return f"{base}{row.get_absolute_url()}"
