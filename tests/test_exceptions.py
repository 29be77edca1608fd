"""Every exception of the project pickles: worker processes send them back to the process that reports.

The classes are found, not listed, so an exception added later is tested too.
"""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil

import pytest

PACKAGES = ("crawler", "checks", "validators", "reports", "wrqa")


def _exception_classes() -> list[type[BaseException]]:
    found = {}
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if info.name.endswith("__main__"):
                continue  # running it is running the command
            for _, value in inspect.getmembers(importlib.import_module(info.name), inspect.isclass):
                if issubclass(value, BaseException) and value.__module__.split(".")[0] in PACKAGES:
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


def _sample(cls: type[BaseException]) -> BaseException:
    """An instance made the way the code makes one: a value for each argument ``__init__`` asks for."""
    init = cls.__init__
    if init is BaseException.__init__ or init is Exception.__init__:
        return cls("示例：一句说明问题和修法的话")
    parameters = [p for p in list(inspect.signature(init).parameters.values())[1:]
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
    if not parameters:
        return cls("示例：一句说明问题和修法的话")
    return cls(*(f"{parameter.name} 的值" for parameter in parameters))


def test_the_project_has_exceptions_to_test():
    assert {"InputError", "FetchError", "StoreError", "ValidatorError", "ConfigError"} <= {
        cls.__name__ for cls in _exception_classes()}


@pytest.mark.parametrize("cls", _exception_classes(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_an_exception_survives_pickling_with_its_message_and_fields(cls):
    error = _sample(cls)
    copy = pickle.loads(pickle.dumps(error))
    assert (type(error), str(error), vars(error)) == (type(copy), str(copy), vars(copy))
