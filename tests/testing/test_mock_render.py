"""Pure pieces of rendering: page_details spellings, error statuses, the fault plan's decision."""

from __future__ import annotations

import pytest

from zenoti_async.testing import IgnorePage, PageDetailsAs
from zenoti_async.testing._fault_plan import FaultContext, FaultPlan
from zenoti_async.testing._render import http_status_for_code, page_details


def test_short_total_says_the_page_in_hand_is_past_the_end() -> None:
    present, details = page_details("short_total", total=95, page=4, size=10)
    assert present
    assert details == {"total_records": 30, "total_pages": 3, "page_size": 10, "page": 4}


@pytest.mark.parametrize(
    ("code", "mode", "status"),
    [
        ("502 - InvalidInput", "mapped", 400),
        ("502 - InvalidInput", "code_as_status", 502),
        ("ObjectNotFound", "code_as_status", 500),
        ("404", "mapped", 404),
        ("502 - InvalidInput", "always_200", 200),
    ],
)
def test_a_code_printed_as_text_maps_like_its_number(code: str, mode: str, status: int) -> None:
    assert http_status_for_code(code, mode) == status


def context(page: int) -> FaultContext:
    return FaultContext(number=1, endpoint="sessions", center_id=None, page=page)


def test_two_ignore_page_rules_replay_the_earliest_page() -> None:
    plan = FaultPlan([IgnorePage(after=5), IgnorePage(after=2)])
    assert plan.decide(context(9)).replay_after == 2


def test_page_details_as_changes_the_spelling_without_replacing_the_answer() -> None:
    plan = FaultPlan([PageDetailsAs("camel")])
    decision = plan.decide(context(1))
    assert decision.page_details == "camel"
    assert decision.terminal is None
    assert decision.names == ["PageDetailsAs"]
