"""The public surface: `__all__` is complete and sorted, and every name resolves."""

from __future__ import annotations

import inspect

import zenoti_async


def test_all_is_sorted_and_resolves() -> None:
    names = zenoti_async.__all__
    assert names == sorted(names)
    for name in names:
        assert hasattr(zenoti_async, name), name


def test_every_public_class_and_function_is_exported() -> None:
    public = {
        name
        for name, value in vars(zenoti_async).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__.startswith("zenoti_async")
    }
    assert public <= set(zenoti_async.__all__)


def test_every_error_shares_one_root() -> None:
    errors = [
        getattr(zenoti_async, n)
        for n in zenoti_async.__all__
        if n.endswith("Error") and inspect.isclass(getattr(zenoti_async, n))
    ]
    assert len(errors) >= 15
    assert all(issubclass(e, zenoti_async.ZenotiError) for e in errors)


def test_every_error_pickles_with_its_attributes() -> None:
    # Workers in a process pool hand these back to the parent: nothing may be lost.
    import pickle

    for name in zenoti_async.__all__:
        cls = getattr(zenoti_async, name)
        if not (inspect.isclass(cls) and issubclass(cls, zenoti_async.ZenotiError)):
            continue
        err = cls("what happened", method="GET", path="/v1/classes/sessions", status=502)
        err.page, err.records_yielded, err.attempts = 3, 200, 4
        copy = pickle.loads(pickle.dumps(err))  # noqa: S301  (our own bytes)
        assert type(copy) is cls
        assert vars(copy) == vars(err)
        assert str(copy) == str(err)
