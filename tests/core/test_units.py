"""Durations and quantities."""

from __future__ import annotations

import pytest

from cdk8s_gitops.core.units import parse_duration, parse_quantity


class TestParseDuration:
    @pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("1m", 60), ("1m30s", 90), ("2h", 7200), ("500ms", 0.5), ("0", 0)])
    def test_go_durations(self, text: str, seconds: float) -> None:
        """Go durations give their length in seconds."""
        assert parse_duration(text) == seconds

    def test_days_only_when_allowed(self) -> None:
        """Prometheus units (d, w) are accepted only where Prometheus reads the value."""
        assert parse_duration("1d", allow_days=True) == 86400
        with pytest.raises(ValueError, match="'1d' is not a duration"):
            parse_duration("1d")

    @pytest.mark.parametrize("text", ["", "5", "1 m", "-1s", "abc"])
    def test_invalid(self, text: str) -> None:
        """Anything else is refused with the accepted form."""
        with pytest.raises(ValueError, match="use a number and a unit"):
            parse_duration(text)


class TestParseQuantity:
    @pytest.mark.parametrize(("value", "number"), [("250m", 0.25), ("1Gi", 2**30), ("2", 2), (3, 3), ("1.5", 1.5), ("1k", 1000)])
    def test_quantities(self, value: str | int, number: float) -> None:
        """Kubernetes quantities give their numeric value."""
        assert parse_quantity(value) == number

    def test_invalid(self) -> None:
        """A malformed quantity is refused with an example of the right form."""
        with pytest.raises(ValueError, match="not a Kubernetes quantity"):
            parse_quantity("12 GB")
