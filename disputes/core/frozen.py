"""Frozen value classes, declared as dataclasses are, at a tenth of their import cost.

`@dataclass(frozen=True)` writes and compiles six methods for each class when its module is
imported: 5 M instructions a class (callgrind), and the fourteen classes every command
loaded were a third of what our code added to Typer's import. A `Frozen` subclass reads its
annotations once and shares equality, hash and repr with every other; its __init__ is
written when something first builds one (records read from the store never do):

    class Step(Frozen):
        title: str
        days: int = 0

    Step("reply due", days=10) == Step("reply due", 10)  # True; hashable; no assignment

Fields are the annotated names in order (a base class's first), each with its default if
it has one. A mutable default (a dict) is shared, as records never change their values;
`replace` makes a changed copy, `defaults` names them with their defaults; `from_record` and
`to_record` turn a stored record into one and back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform

_REQUIRED: Any = object()
_Self = TypeVar("_Self", bound="Frozen")


@dataclass_transform(frozen_default=True)
class Frozen:
    __fields__: ClassVar[dict[str, Any]] = {}  # name: default (_REQUIRED: none)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = {
            name: vars(cls).get(name, _REQUIRED)
            for name, annotation in vars(cls).get("__annotations__", {}).items()
            if not str(annotation).startswith(("ClassVar", "typing.ClassVar"))
        }
        cls.__fields__ = {**cls.__fields__, **declared}
        defaulted = False
        for name, default in cls.__fields__.items():  # as in a signature: the defaulted ones last
            if defaulted and default is _REQUIRED:
                raise TypeError(f"{cls.__name__}: field {name!r} needs a default, as the fields before it have one")
            defaulted = default is not _REQUIRED
        if "__init__" not in vars(cls):  # its own, written on first use: not a base class's
            cls.__init__ = Frozen.__init__  # type: ignore[method-assign]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # a class's own __init__ is written on its first instance (Python's own argument
        # checks, at generated-code speed: import builds 100,000 events through it), and
        # never for a class nothing builds that way (records read from the store are not)
        cls = type(self)
        cls.__init__ = _initializer(cls)  # type: ignore[method-assign]
        cls.__init__(self, *args, **kwargs)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash(tuple(self.__dict__[name] for name in self.__fields__))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"{type(self).__qualname__}({shown})"


def _initializer(cls: type[Frozen]) -> Callable[..., None]:
    """`__init__(self, <each field, with its default>)`, filling the instance's dict in field order."""
    defaults = {f"_{name}": default for name, default in cls.__fields__.items() if default is not _REQUIRED}
    parameters = ", ".join(name if f"_{name}" not in defaults else f"{name}=_{name}" for name in cls.__fields__)
    body = "".join(f"\n    __values[{name!r}] = {name}" for name in cls.__fields__)
    namespace: dict[str, Any] = {}
    exec(f"def __init__(self, {parameters}):\n    __values = self.__dict__{body}", defaults, namespace)
    namespace["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    return namespace["__init__"]


def replace(instance: _Self, **changes: Any) -> _Self:
    """A copy of a frozen value with some fields changed (unknown names refused, as __init__ does)."""
    return type(instance)(**{**instance.__dict__, **changes})


def defaults(cls: type[Frozen]) -> dict[str, Any]:
    """A frozen class's fields, in order, with their defaults (a required field's is a marker
    no value equals)."""
    return dict(cls.__fields__)


def from_record(
    cls: type[_Self], record: dict[str, Any], defaults: dict[str, Any], list_fields: tuple[str, ...]
) -> _Self:
    """A frozen record (core.frozen) from a stored record, without its __init__.

    Listing 10,000 disputes builds 10,000 of these: filling __dict__ directly is five
    times faster than an __init__ that checks each argument.
    """
    values = defaults | record
    if len(values) != len(defaults):  # a record with fields this version does not know
        values = {name: values[name] for name in defaults}
    for name in list_fields:
        if name in record:  # the defaults are tuples already
            values[name] = tuple(values[name])
    instance = object.__new__(cls)
    instance.__dict__.update(values)
    return instance


def to_record(instance: Frozen, defaults: dict[str, Any], list_fields: tuple[str, ...]) -> dict[str, Any]:
    """A frozen record as a stored record, fields in declared order, tuples as lists
    (their dicts copied). dataclasses.asdict walks every value with deepcopy: importing
    100,000 events spent two thirds of its time in it."""
    values = instance.__dict__
    record = {name: values[name] for name in defaults}
    for name in list_fields:
        record[name] = [dict(item) if isinstance(item, dict) else item for item in record[name]]
    return record
