"""training_cohort.csv: the agents of a training programme's evaluation, one row per agent, with
Kirkpatrick's first two levels (reaction: the post-course rating; learning: a quiz before and after).
Levels three and four (behaviour: the QA score; results: the KPIs) are in agent_weeks.csv.

48 ticket agents of the seller's six other support teams. Within each team a lottery puts half
in the course of 8-9 June 2026 and half on the waiting list (trained 17-18 August, after the
evaluation): the comparison group. The eight agents of chapter 04's tickets.csv are not in it:
they took the pilot course in March 2026, before that export starts. Content: ``training.yaml``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from pydantic import Field, model_validator

from ..catalog import Column, Dataset
from ..common import Table, iso, read_table, stream, weighted
from . import CHAPTER, COURSE_DAY, HERE, VALUES, WAITLIST_COURSE_DAY


# --------------------------------------------------------------------------- content table
class Team(Table):
    agents: int = Field(gt=1)
    tickets: float = Field(gt=0)
    first_reply: float = Field(gt=0)
    first_contact: float = Field(gt=0, lt=1)
    good: float = Field(gt=0, lt=1)
    qa: float = Field(gt=0, lt=100)


class Kpis(Table):
    first_reply: float
    first_contact: float
    good: float
    qa: float


class Spread(Table):
    mean: float
    sd: float = Field(ge=0)


class TrainedAfter(Table):
    first_reply: Spread
    first_contact: Spread
    good: Spread
    qa: Spread


class Quiz(Table):
    mean: float
    sd: float = Field(gt=0)
    per_tenure_month: float


class Training(Table):
    teams: dict[str, Team]
    given_names: tuple[str, ...]
    family_names: tuple[str, ...]
    taken: tuple[str, ...]
    tenure_months: tuple[int, int]
    agent_spread: Kpis
    tenure_gain: dict[str, float]
    week_noise: dict[str, float]
    load_spread: float = Field(ge=0)
    median_noise: float = Field(ge=0)
    leave_share: float = Field(ge=0, le=1)
    qa_reviews: int = Field(gt=0)
    qa_sd: float = Field(gt=0)
    rating_share: float = Field(gt=0, lt=1)
    everyone_after: Kpis
    trained_after: TrainedAfter
    reaction: dict[int, float]
    quiz_before: Quiz
    quiz_gain: dict[str, Spread]

    @model_validator(mode="after")
    def _allowed_values(self) -> Training:
        problems = []
        if set(self.teams) != set(VALUES.teams):
            problems.append(f"teams: give exactly the teams of values.yaml ({', '.join(VALUES.teams)})")
        if set(self.quiz_gain) != set(VALUES.groups):
            problems.append(f"quiz_gain: give exactly the groups of values.yaml ({', '.join(VALUES.groups)})")
        if not set(self.reaction) <= {1, 2, 3, 4, 5}:
            problems.append("reaction: ratings are 1 to 5")
        agents = sum(t.agents for t in self.teams.values())
        if len(self.given_names) * len(self.family_names) < 4 * agents:
            problems.append("given_names x family_names: too few combinations for the agents")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@cache
def training() -> Training:
    return read_table(HERE / "training.yaml", Training)


# --------------------------------------------------------------------------- the agents
@dataclass(frozen=True)
class Agent:
    """One agent, with the traits agent_weeks.py draws the weekly figures from (not all written out)."""

    agent_id: str
    name: str
    team: str
    tenure_months: int
    group: str
    first_reply: float  # factor on the team's first reply time
    first_contact: float  # added to the team's first-contact share
    good: float  # added to the team's Good share
    qa: float  # added to the team's QA level
    load: float  # factor on the team's tickets a week
    effect: Kpis  # the course's effect on this agent (no effect for the waiting list)
    leave_week: int | None  # index of the week off in WEEKS_BEFORE + WEEKS_AFTER


@cache
def agents(seed: int) -> tuple[Agent, ...]:
    """Every agent of the cohort, in agent_id order (the lottery and the traits)."""
    t = training()
    rng = stream(seed, "training_cohort")
    names = [f"{g} {f}" for g in t.given_names for f in t.family_names if f"{g} {f}" not in t.taken]
    given_used: set[str] = set()
    picked: list[str] = []
    for name in rng.sample(names, len(names)):  # one agent per given name: no two Alices to confuse
        given = name.split()[0]
        if given not in given_used:
            given_used.add(given)
            picked.append(name)
    out: list[Agent] = []
    odd_teams = 0
    for team, spec in t.teams.items():
        order = list(range(spec.agents))
        rng.shuffle(order)  # the lottery: the first half of the shuffled list trains in June
        trained = spec.agents // 2
        if spec.agents % 2:  # odd teams alternate which group gets the extra agent
            trained += odd_teams % 2 == 0
            odd_teams += 1
        for position in range(spec.agents):
            group = "trained" if order.index(position) < trained else "waitlist"
            out.append(_agent(rng, len(out) + 1, picked[len(out)], team, group))
    return tuple(out)


def _agent(rng: random.Random, number: int, name: str, team: str, group: str) -> Agent:
    t = training()
    s, gain, effect = t.agent_spread, t.tenure_gain, t.trained_after
    tenure = rng.randint(*t.tenure_months)
    trained = group == "trained"

    def course(spread: Spread, neutral: float) -> float:
        draw = rng.gauss(spread.mean, spread.sd)  # drawn for everyone: the stream does not depend on the group
        return draw if trained else neutral

    return Agent(
        agent_id=f"AG-{number:02d}",
        name=name,
        team=team,
        tenure_months=tenure,
        group=group,
        first_reply=rng.lognormvariate(0, s.first_reply) * (1 + gain.get("first_reply", 0) * tenure),
        first_contact=rng.gauss(0, s.first_contact) + gain.get("first_contact", 0) * tenure,
        good=rng.gauss(0, s.good),
        qa=rng.gauss(0, s.qa) + gain.get("qa", 0) * tenure,
        load=rng.lognormvariate(0, t.load_spread),
        effect=Kpis(
            first_reply=course(effect.first_reply, 1.0),
            first_contact=course(effect.first_contact, 0.0),
            good=course(effect.good, 0.0),
            qa=course(effect.qa, 0.0),
        ),
        leave_week=rng.randrange(16) if rng.random() < t.leave_share else None,
    )


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    t = training()
    rng = stream(seed, "training_cohort-kirkpatrick")
    rows = []
    for agent in agents(seed):
        trained = agent.group == "trained"
        before = rng.gauss(t.quiz_before.mean + t.quiz_before.per_tenure_month * agent.tenure_months, t.quiz_before.sd)
        gain = t.quiz_gain[agent.group]
        after = before + rng.gauss(gain.mean, gain.sd)
        reaction = weighted(rng, t.reaction)  # drawn for everyone, written for the trained group only
        rows.append(
            {
                "agent_id": agent.agent_id,
                "agent": agent.name,
                "team": agent.team,
                "tenure_months": str(agent.tenure_months),
                "group": agent.group,
                "trained_on": iso(COURSE_DAY if trained else WAITLIST_COURSE_DAY),
                "reaction": str(reaction) if trained else "",
                "quiz_before": str(min(100, max(0, round(before)))),
                "quiz_after": str(min(100, max(0, round(after)))),
            }
        )
    return rows


DATASET = Dataset(
    name="training_cohort",
    chapter=CHAPTER,
    file="training_cohort.csv",
    description="agents of a training programme's evaluation: team, lottery group, course rating, quiz before and after",
    generator=generate,
    schema={
        "agent_id": Column("str", pattern=r"^AG-\d{2}$", pattern_name="AG- and two digits", unique=True),
        "agent": Column("str", min_length=3, unique=True),
        "team": Column("str", isin=VALUES.teams),
        "tenure_months": Column("int", ge=0),
        "group": Column("str", isin=VALUES.groups),
        "trained_on": Column("date"),
        "reaction": Column("int", nullable=True, in_range=(1, 5)),
        "quiz_before": Column("int", in_range=(0, 100)),
        "quiz_after": Column("int", in_range=(0, 100)),
    },
)
