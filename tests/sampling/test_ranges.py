"""`ranges.order_bounds`: which sibling fields are a lower and an upper bound."""

from __future__ import annotations

from envfactory_runtime.sampling.ranges import order_bounds


def test_reversed_bounds_are_swapped() -> None:
    values = {
        "date_min": "2024-12-17T10:01:57Z",
        "date_max": "2024-03-01T04:40:36Z",
        "minPrice": 80,
        "maxPrice": 7.5,
        "created[gte]": 9,
        "created[lte]": 3,
        "start_date": "2025-02-01",
        "end_date": "2024-01-31",
        "updatedAfter": "2024-05-01T00:00:00",
        "updatedBefore": "2024-04-01T00:00:00+00:00",
    }
    order_bounds(values)
    assert values == {
        "date_min": "2024-03-01T04:40:36Z",
        "date_max": "2024-12-17T10:01:57Z",
        "minPrice": 7.5,
        "maxPrice": 80,
        "created[gte]": 3,
        "created[lte]": 9,
        "start_date": "2024-01-31",
        "end_date": "2025-02-01",
        "updatedAfter": "2024-04-01T00:00:00+00:00",
        "updatedBefore": "2024-05-01T00:00:00",
    }


def test_what_is_no_range_or_was_given_stays() -> None:
    values = {
        "from": "zoe@example.com",
        "to": "adam@example.com",
        "first_name": "Zoe",
        "last_name": "Adams",
        "min": True,
        "max": False,
        "start": "2025-01-01",
        "end": 3,
        "since": "2025-06-01",
        "until": "2025-01-01",
    }
    before = dict(values)
    order_bounds(values, fixed=["until"])
    assert values == before
