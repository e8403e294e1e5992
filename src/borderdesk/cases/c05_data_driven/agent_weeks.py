"""agent_weeks.csv: the weekly KPIs of the training cohort's agents, 8 weeks before the course and
8 weeks after it (the course week itself left out): Kirkpatrick's level three (behaviour, the QA
score of reviewed replies) and level four (results: first reply time, first-contact resolution,
the CSAT answers).

From 2026-06-15 every team gets an order-lookup side panel and summer is quieter, so every agent
improves a little after the course date, trained or not: a plain before-and-after comparison
overstates the course. The course itself adds first-contact resolution and QA, not speed.
Parameters: ``training.yaml``; the agents and their lottery: ``training_cohort.py``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta

import numpy as np

from ..c04_complaints import ZENDESK_SCHEDULE
from ..catalog import Column, Dataset
from ..common import CaseDataError, iso
from . import CHAPTER, TOOL_LAUNCH, VALUES, WEEKS_AFTER, WEEKS_BEFORE
from .training_cohort import agents, training

WEEKS = (*WEEKS_BEFORE, *WEEKS_AFTER)


def business_days(monday) -> int:
    """Days of the week the teams work (Mon-Fri, China's public holidays off)."""
    return sum(ZENDESK_SCHEDULE.is_working_day(monday + timedelta(days=i)) for i in range(5))


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    t = training()
    cohort = agents(seed)
    if [a.agent_id for a in cohort] != [r["agent_id"] for r in inputs["training_cohort"]]:
        raise CaseDataError("agent_weeks: the agents differ from training_cohort's rows; generate both together")
    rng = np.random.default_rng([seed, 5, 2])
    noise_reply = np.exp(rng.normal(0, t.week_noise["first_reply"], len(WEEKS)))  # the same week for everyone
    noise_good = rng.normal(0, t.week_noise["good"], len(WEEKS))
    rows = []
    for agent in cohort:
        team = t.teams[agent.team]
        for i, week in enumerate(WEEKS):
            after = week >= TOOL_LAUNCH
            everyone = t.everyone_after if after else None
            course = agent.effect if after else None
            expected = team.tickets * agent.load * business_days(week) / 5
            tickets = 0 if agent.leave_week == i else int(rng.poisson(expected))
            reply = team.first_reply * agent.first_reply * noise_reply[i]
            first_contact = team.first_contact + agent.first_contact
            good = team.good + agent.good + noise_good[i]
            qa = team.qa + agent.qa
            if after:
                reply *= everyone.first_reply * course.first_reply
                first_contact += everyone.first_contact + course.first_contact
                good += everyone.good + course.good
                qa += everyone.qa + course.qa
            median = reply * math.exp(rng.normal(0, t.median_noise / math.sqrt(max(tickets, 1))))
            resolved = int(rng.binomial(tickets, min(0.95, max(0.05, first_contact))))
            ratings = int(rng.binomial(tickets, t.rating_share))
            good_ratings = int(rng.binomial(ratings, min(0.98, max(0.05, good))))
            reviews = min(tickets, t.qa_reviews)
            scores = np.clip(rng.normal(qa, t.qa_sd, reviews), 0, 100)
            rows.append(
                {
                    "agent_id": agent.agent_id,
                    "week": iso(week),
                    "period": "after" if after else "before",
                    "tickets": str(tickets),
                    "first_reply_median_bmin": str(max(1, round(median))) if tickets else "",
                    "first_contact_resolved": str(resolved),
                    "ratings": str(ratings),
                    "good_ratings": str(good_ratings),
                    "qa_reviews": str(reviews),
                    "qa_score": str(round(float(scores.mean()))) if reviews else "",
                }
            )
    return rows


DATASET = Dataset(
    name="agent_weeks",
    chapter=CHAPTER,
    file="agent_weeks.csv",
    description="weekly KPIs and QA scores of the training cohort's agents, 8 weeks before and 8 after the course",
    generator=generate,
    schema={
        "agent_id": Column("str", pattern=r"^AG-\d{2}$", pattern_name="AG- and two digits"),
        "week": Column("date"),
        "period": Column("str", isin=VALUES.periods),
        "tickets": Column("int", ge=0),
        "first_reply_median_bmin": Column("int", nullable=True, ge=1),
        "first_contact_resolved": Column("int", ge=0),
        "ratings": Column("int", ge=0),
        "good_ratings": Column("int", ge=0),
        "qa_reviews": Column("int", ge=0),
        "qa_score": Column("int", nullable=True, in_range=(0, 100)),
    },
    needs=("training_cohort",),
)
