"""Every terminal fault has a response handler; a fault without one is a clear TypeError."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, cast

import pytest

import zenoti_async.testing
from zenoti_async.testing import Fault, OneOf
from zenoti_async.testing._fault_responses import _HANDLERS, respond_with_fault


def exported_fault_types() -> list[type[Fault]]:
    return [
        value
        for value in vars(zenoti_async.testing).values()
        if inspect.isclass(value) and issubclass(value, Fault) and value not in (Fault, OneOf)
    ]


@pytest.mark.parametrize("kind", exported_fault_types(), ids=lambda kind: kind.__name__)
def test_every_terminal_fault_has_a_handler_and_no_modifier_needs_one(kind: type[Fault]) -> None:
    handled = any(base in _HANDLERS for base in kind.__mro__)
    assert handled == kind().terminal


async def test_a_fault_without_a_handler_is_a_type_error_naming_it() -> None:
    @dataclass(frozen=True)
    class Meteor(Fault):
        pass

    with pytest.raises(TypeError, match="Meteor"):
        await respond_with_fault(Meteor(), cast(Any, None), cast(Any, None))
