"""Frozen value classes, declared as dataclasses are, at a tenth of their import cost.

`@dataclass(frozen=True)` writes and compiles six methods for each class when its module is
imported: 5 M instructions a class (callgrind), and the fourteen classes every command
loaded were a third of what our code added to Typer's import. A `Frozen` subclass reads its
annotations once, and shares one set of methods with every other:

    class Step(Frozen):
        title: str
        days: int = 0

    Step("reply due", days=10) == Step("reply due", 10)  # True; hashable; no assignment

Fields are the annotated names in order (a base class's first), each with its default if
it has one. A mutable default (a dict) is shared, as records never change their values;
`replace` makes a changed copy, `defaults` names them with their defaults.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar, dataclass_transform

_REQUIRED: Any = object()
_Self = TypeVar("_Self", bound="Frozen")


@dataclass_transform(frozen_default=True)
class Frozen:
    __fields__: ClassVar[dict[str, Any]] = {}  # name: default (_REQUIRED: none)

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        declared = {
            name: vars(cls).get(name, _REQUIRED)
            for name, annotation in vars(cls).get("__annotations__", {}).items()
            if not str(annotation).startswith(("ClassVar", "typing.ClassVar"))
        }
        cls.__fields__ = {**cls.__fields__, **declared}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields, named = self.__fields__, type(self).__name__
        if len(args) > len(fields):
            raise TypeError(f"{named}() takes {len(fields)} arguments, {len(args)} given")
        given = dict(zip(fields, args, strict=False))
        for name, value in kwargs.items():
            if name not in fields or name in given:
                raise TypeError(f"{named}() got an unexpected or repeated argument {name!r}")
            given[name] = value
        values = self.__dict__  # filled in field order, as readers that bypass __init__ fill it
        for name, default in fields.items():
            value = given.get(name, default)
            if value is _REQUIRED:
                raise TypeError(f"{named}() is missing the argument {name!r}")
            values[name] = value

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


def replace(instance: _Self, **changes: Any) -> _Self:
    """A copy of a frozen value with some fields changed (unknown names refused, as __init__ does)."""
    return type(instance)(**{**instance.__dict__, **changes})


def defaults(cls: type[Frozen]) -> dict[str, Any]:
    """A frozen class's fields, in order, with their defaults (a required field's is a marker
    no value equals)."""
    return dict(cls.__fields__)
