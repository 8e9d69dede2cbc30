"""The issue's goals for each scenario, as ratios to /healthz in the same run, and whether
a run met them."""

from dataclasses import dataclass
from fractions import Fraction

from bench.load.scenarios import WRITE_SCENARIOS


@dataclass(frozen=True)
class Goal:
    ratio: Fraction  # of /healthz requests per second, at least
    p99_ms: float | None = None
    no_timeouts: bool = False
    saved: bool = False  # every acknowledged rating saved, no movie total drifted

    def __str__(self) -> str:
        parts = [f"≥ {self.ratio} of /healthz"]
        if self.p99_ms:
            parts.append(f"p99 ≤ {self.p99_ms:.0f} ms")
        if self.no_timeouts:
            parts.append("no time-outs")
        if self.saved:
            parts.append("all saved, no drift")
        return ", ".join(parts)


WRITE_GOAL = Goal(Fraction(1, 6), saved=True)
GOALS = {
    "home_anonymous": Goal(Fraction(1, 4)),
    "movie_anonymous": Goal(Fraction(1, 4)),
    "home_signed_in": Goal(Fraction(1, 8), p99_ms=500, no_timeouts=True),
    "api_recommendations": Goal(Fraction(1, 4), p99_ms=250),
    **dict.fromkeys(WRITE_SCENARIOS, WRITE_GOAL),
}


def goals_judge(*, results: dict[str, dict], drift: dict) -> None:
    """Add to each scenario's row its ratio to /healthz, its goal and whether it was met."""
    ceiling = results["healthz"]["requests_per_s"]
    for name, row in results.items():
        row["ratio"] = row["requests_per_s"] / ceiling if ceiling else 0.0
        goal = GOALS.get(name)
        if goal is not None:
            row["goal"] = str(goal)
            row["goal_met"] = _met(goal, row, drift)


def _met(goal: Goal, row: dict, drift: dict) -> bool:
    """A goal holds only with no errors: a page of refusals is quick to send."""
    checks = [row["ratio"] >= goal.ratio, row["errors"] == 0]
    if goal.p99_ms is not None:
        checks.append(row["latency_ms"]["99"] <= goal.p99_ms)
    if goal.no_timeouts:
        checks.append(row["timeouts"] == 0)
    if goal.saved:
        checks += [row["saved"]["all_saved"], row["acked_without_id"] == 0]
        checks.append(drift["movies_drifted"] == 0)
    return all(checks)


def ratio_text(ratio: float) -> str:
    """0.125 -> "1/8.0": how far below /healthz, as the issue states its goals."""
    return "1" if ratio >= 0.9995 else f"1/{1 / ratio:.1f}" if ratio > 0 else "0"
