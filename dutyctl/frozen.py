"""Immutable value classes, declared as frozen dataclasses are, made without their cost.

`@dataclass(frozen=True)` writes and compiles five or six methods per class when its module
is imported (0.5-2 ms a class; a command importing twenty such classes paid 10-30 ms before
doing anything). `@frozen` gives the same behaviour from shared methods that read a
per-class table: keyword or positional construction with defaults (`field(default_factory=)`
for a fresh list or dict), `__post_init__`, equality and hashing over the compared fields,
`repr`, optional ordering, and refusal to change an attribute. A class that is built very
often (Record, Event) writes its own `__init__`, which `@frozen` keeps.
"""

from __future__ import annotations

_MISSING = object()


class FrozenError(AttributeError):
    """An attribute of an immutable value was set or deleted."""


class Field:
    __slots__ = ("default", "default_factory", "compare", "repr")

    def __init__(self, default=_MISSING, default_factory=_MISSING, compare=True, repr=True):
        self.default, self.default_factory = default, default_factory
        self.compare, self.repr = compare, repr


def field(*, default=_MISSING, default_factory=_MISSING, compare: bool = True,
          repr: bool = True) -> Field:  # noqa: A002 - the dataclasses spelling
    return Field(default, default_factory, compare, repr)


def frozen(cls=None, *, order: bool = False):
    """`@frozen` or `@frozen(order=True)` on a class whose annotations are its fields."""
    def wrap(klass):
        return _make(klass, order)
    return wrap if cls is None else wrap(cls)


def _make(cls, order: bool):
    if any("__frozen_fields__" in base.__dict__ for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__name__}: a frozen class is not extended, it is composed")
    names, defaults, factories, compared, shown = [], {}, {}, [], []
    for name in cls.__dict__.get("__annotations__", {}):
        spec = cls.__dict__.get(name, _MISSING)
        if not isinstance(spec, Field):
            spec = Field(default=spec)
        if spec.default is not _MISSING:
            defaults[name] = spec.default
            setattr(cls, name, spec.default)  # as a dataclass: the class attribute is the default
        elif spec.default_factory is not _MISSING:
            factories[name] = spec.default_factory
            if name in cls.__dict__:
                delattr(cls, name)
        names.append(name)
        if spec.compare:
            compared.append(name)
        if spec.repr:
            shown.append(name)
    cls.__frozen_fields__ = tuple(names)
    cls.__frozen_compared__ = tuple(compared)
    cls.__frozen_shown__ = tuple(shown)
    cls.__frozen_defaults__ = defaults
    cls.__frozen_factories__ = factories
    cls.__match_args__ = tuple(names)
    for method in ("__setattr__", "__delattr__", "__eq__", "__hash__", "__repr__"):
        if method not in cls.__dict__ or (method == "__hash__" and cls.__dict__[method] is None):
            setattr(cls, method, globals()[f"_{method.strip('_')}"])
    if "__init__" not in cls.__dict__:
        cls.__init__ = _init
    if order:
        for method in ("__lt__", "__le__", "__gt__", "__ge__"):
            setattr(cls, method, globals()[f"_{method.strip('_')}"])
    return cls


def _init(self, *args, **kwargs):
    cls = type(self)
    names = cls.__frozen_fields__
    if len(args) > len(names):
        raise TypeError(f"{cls.__name__}() takes {len(names)} arguments, {len(args)} given")
    values = dict(zip(names, args))
    for name, value in kwargs.items():
        if name not in names or name in values:
            raise TypeError(f"{cls.__name__}() got an unexpected or repeated argument {name!r}")
        values[name] = value
    if len(values) < len(names):
        for name in names:
            if name in values:
                continue
            if name in cls.__frozen_defaults__:
                values[name] = cls.__frozen_defaults__[name]
            elif name in cls.__frozen_factories__:
                values[name] = cls.__frozen_factories__[name]()
            else:
                raise TypeError(f"{cls.__name__}() missing required argument {name!r}")
    self.__dict__.update(values)
    post_init = getattr(self, "__post_init__", None)
    if post_init is not None:
        post_init()


def set_fields(value, **values) -> None:
    """Sets the fields of a value being built (its own `__init__`, `__post_init__`)."""
    value.__dict__.update(values)


def replace(value, **changes):
    """A copy of `value` with some fields changed (dataclasses.replace)."""
    return type(value)(**{name: getattr(value, name) for name in value.__frozen_fields__} | changes)


def _setattr(self, name, value):
    raise FrozenError(f"cannot assign to field {name!r}")


def _delattr(self, name):
    raise FrozenError(f"cannot delete field {name!r}")


def _key(value) -> tuple:
    data = value.__dict__
    return tuple(data[name] for name in value.__frozen_compared__)


def _eq(self, other):
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _key(self) == _key(other)


def _hash(self):
    return hash(_key(self))


def _repr(self):
    data = self.__dict__
    inside = ", ".join(f"{name}={data[name]!r}" for name in self.__frozen_shown__)
    return f"{type(self).__qualname__}({inside})"


def _lt(self, other):
    return _key(self) < _key(other) if other.__class__ is self.__class__ else NotImplemented


def _le(self, other):
    return _key(self) <= _key(other) if other.__class__ is self.__class__ else NotImplemented


def _gt(self, other):
    return _key(self) > _key(other) if other.__class__ is self.__class__ else NotImplemented


def _ge(self, other):
    return _key(self) >= _key(other) if other.__class__ is self.__class__ else NotImplemented
