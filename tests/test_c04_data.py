"""Chapter 04's case data: the Zendesk-style ticket export and its complaint threads.

The stories the lesson, the assignment and chapter 05 rely on: the crisis spike and its first
day, agents who differ, business-hours times that follow the timestamps, outcomes that follow
situation and handling and never a buyer's language or country.
"""

from __future__ import annotations

import filecmp
import math
import random
from datetime import datetime, timedelta

import holidays
import pandas as pd
import pytest

from borderdesk.cases import CaseDataError, generate, registry
from borderdesk.cases.c04_complaints import (
    CRISIS_PRODUCT,
    CRISIS_START,
    EXPORTED_AT,
    FIRST_DAY,
    LAST_DAY,
    VALUES,
    ZENDESK_SCHEDULE,
)
from borderdesk.cases.c04_complaints import ticket_messages as messages_module
from borderdesk.cases.c04_complaints import tickets as tickets_module
from borderdesk.cases.common import read_table
from borderdesk.datasets import DataError, load
from borderdesk.paths import data_dir

# The columns of Zendesk's ticket CSV export this file keeps, spelt as the export spells them
# (Zendesk help 4408886165402, "Exporting data to a JSON, CSV, or XML file", checked 2026).
ZENDESK_COLUMNS = [
    "Id",
    "Requester",
    "Requester email",
    "Assignee",
    "Group",
    "Subject",
    "Tags",
    "Status",
    "Priority",
    "Via",
    "Ticket type",
    "Created at",
    "Updated at",
    "Solved at",
    "Satisfaction Score",
    "Reopens",
    "Replies",
    "First reply time in minutes",
    "First reply time in minutes within business hours",
    "First resolution time in minutes",
    "First resolution time in minutes within business hours",
    "Full resolution time in minutes",
    "Full resolution time in minutes within business hours",
]
TIME_PAIRS = [
    ("First reply time in minutes", "First reply time in minutes within business hours"),
    ("First resolution time in minutes", "First resolution time in minutes within business hours"),
    ("Full resolution time in minutes", "Full resolution time in minutes within business hours"),
]
COMPLAINTS = list(VALUES.complaint_reasons)
DEFECTS = ["negative_feedback", "claim_opened", "chargeback"]
SURFACE = ["Language [list]", "Buyer country [list]", "Marketplace [list]"]


@pytest.fixture(scope="module")
def tickets():
    return load("tickets")


@pytest.fixture(scope="module")
def messages():
    return load("ticket_messages")


def daily(tickets: pd.DataFrame) -> pd.Series:
    days = pd.date_range(FIRST_DAY, LAST_DAY)
    return tickets.groupby(tickets["Created at"].dt.normalize()).size().reindex(days, fill_value=0)


def first_contact(frame: pd.DataFrame) -> pd.Series:
    """Solved with one public reply and never reopened: the usual helpdesk definition."""
    return frame["Solved at"].notna() & (frame["Replies"] == 1) & (frame["Reopens"] == 0)


# --------------------------------------------------------------------------- shape


def test_export_columns_size_and_period(tickets, messages):
    assert registry["tickets"].columns[: len(ZENDESK_COLUMNS)] == ZENDESK_COLUMNS
    custom = registry["tickets"].columns[len(ZENDESK_COLUMNS) :]
    assert "Order id" in custom and all(c[0].isupper() for c in custom)
    assert len(tickets) >= 10_000 and tickets["Id"].is_unique
    assert tickets["Created at"].min().date() == FIRST_DAY and tickets["Created at"].max().date() == LAST_DAY
    assert (LAST_DAY - FIRST_DAY).days >= 182
    assert tickets["Created at"].is_monotonic_increasing and tickets["Id"].is_monotonic_increasing
    assert set(tickets["Language [list]"]) == set(VALUES.languages) and {"en", "de", "es", "ja"} <= set(
        VALUES.languages
    )
    assert set(tickets["Marketplace [list]"]) == set(VALUES.marketplaces)
    assert set(tickets["Satisfaction Score"]) == {"Not Offered", "Offered", "Good", "Bad"}
    assert (tickets["Updated at"] >= tickets["Created at"]).all()
    assert (tickets["Updated at"] >= tickets["Solved at"]).where(tickets["Solved at"].notna(), True).all()
    assert (tickets["Updated at"] <= EXPORTED_AT).all() and (tickets["Solved at"].dropna() <= EXPORTED_AT).all()
    assert len(messages) > 2 * tickets["Contact reason [list]"].isin(COMPLAINTS).sum()


def test_committed_files_are_what_the_generator_writes(tmp_path):
    """Same seed, same bytes: a fresh run here equals the files `borderdesk data` wrote and git holds."""
    written = generate(tmp_path, ["ticket_messages"])
    assert list(written) == ["tickets", "ticket_messages"]
    for path in written.values():
        assert filecmp.cmp(path, data_dir() / path.name, shallow=False), f"data/{path.name}: run `borderdesk data`"


# --------------------------------------------------------------------------- times


def test_business_hours_never_exceed_calendar_time(tickets):
    for calendar, business in TIME_PAIRS:
        both = tickets[[calendar, business]].dropna()
        assert len(both) > 0.95 * len(tickets)
        assert (both[business] <= both[calendar]).all(), business
        assert (both[business] < both[calendar]).mean() > 0.5, "the schedule should matter for most tickets"
        assert tickets[calendar].isna().equals(tickets[business].isna())
    solved = tickets.dropna(subset=["Solved at"])
    minutes = ((solved["Solved at"] - solved["Created at"]).dt.total_seconds() // 60).astype(int)
    assert (minutes == solved["Full resolution time in minutes"]).all()
    first = solved["First resolution time in minutes"]
    assert (first <= solved["Full resolution time in minutes"]).all()
    assert (first.lt(solved["Full resolution time in minutes"]) == (solved["Reopens"] > 0)).all()
    replied = tickets.dropna(subset=["First reply time in minutes"])
    assert (replied["First reply time in minutes"] <= replied["First resolution time in minutes"].fillna(10**9)).all()


def _schedule_minutes_by_hand(start: datetime, end: datetime) -> int:
    """Minute by minute: Mon-Fri 09:00-18:00, China's public holidays off."""
    cn = holidays.CN(years=[2026])
    count, t = 0, start.replace(second=0)
    while t + timedelta(minutes=1) <= end:
        count += t.weekday() < 5 and t.date() not in cn and 9 <= t.hour < 18
        t += timedelta(minutes=1)
    return count


def test_business_minutes_follow_the_timestamps(tickets):
    sample = tickets.dropna(subset=["Solved at"]).sample(25, random_state=4)
    for _, row in sample.iterrows():
        created = row["Created at"].to_pydatetime().replace(second=0)
        solved = created + timedelta(minutes=int(row["Full resolution time in minutes"]))
        if row["Full resolution time in minutes"] > 60 * 24 * 20:
            continue  # keep the minute-by-minute count quick
        expected = _schedule_minutes_by_hand(created, solved)
        assert abs(row["Full resolution time in minutes within business hours"] - expected) <= 1, row["Id"]


def test_schedule_helpers():
    friday_evening = datetime(2026, 8, 14, 17, 0)
    assert ZENDESK_SCHEDULE.add_minutes(friday_evening, 120) == datetime(2026, 8, 17, 10, 0)  # over the weekend
    assert ZENDESK_SCHEDULE.add_minutes(datetime(2026, 4, 30, 20, 0), 30) == datetime(
        2026, 5, 6, 9, 30
    )  # Labour Day break
    assert (
        ZENDESK_SCHEDULE.minutes_between(datetime(2026, 10, 1, 9, 0), datetime(2026, 10, 7, 18, 0)) == 0
    )  # National Day
    rng = random.Random(3)
    for _ in range(50):
        start = datetime(2026, 4, 1) + timedelta(minutes=rng.randrange(60 * 24 * 150))
        minutes = rng.randrange(1, 3000)
        end = ZENDESK_SCHEDULE.add_minutes(start, minutes)
        assert ZENDESK_SCHEDULE.minutes_between(start, end) == minutes


def test_weekend_tickets_wait_longer_in_calendar_time(tickets):
    """The team works Mon-Fri; Amazon counts its 24 hours over weekends too (Seller Central help 200549770)."""
    amazon = tickets[tickets["Marketplace [list]"].str.startswith("amazon")]
    weekend = amazon["Created at"].dt.weekday >= 5
    late = amazon["First reply time in minutes"] > 24 * 60
    assert late[weekend].mean() > 0.45 and late[~weekend].mean() < 0.25
    business = amazon["First reply time in minutes within business hours"]
    assert business[weekend].median() < 3 * business[~weekend].median()


# --------------------------------------------------------------------------- the crisis


def test_spike_starts_on_the_documented_day(tickets):
    counts = daily(tickets)
    before = counts.shift(1).rolling(28)  # the previous 28 days, not the day itself
    strict = counts > before.mean() + 4 * before.std()
    by_median = counts > 1.5 * before.median()
    for flags in (strict, by_median):
        assert flags[flags].index[0].date() == CRISIS_START
    assert flags[pd.Timestamp(CRISIS_START) : pd.Timestamp(CRISIS_START) + pd.Timedelta(days=6)].all()
    assert counts.max() > 3 * counts[: pd.Timestamp(CRISIS_START) - pd.Timedelta(days=1)].mean()
    assert counts[pd.Timestamp(CRISIS_START) + pd.Timedelta(days=25) :].mean() < 1.25 * counts[:"2026-07-31"].mean()
    crisis = tickets[tickets["Tags"].str.split().map(lambda t: "charger_heat_2026_08" in t)]
    assert (crisis["Product [list]"] == CRISIS_PRODUCT).all() and (crisis["Created at"].dt.date >= CRISIS_START).all()
    assert set(crisis["Contact reason [list]"]) == {"safety_concern", "defective", "return_request"}
    assert set(crisis["Language [list]"]) == set(VALUES.languages), "the post travels to every market"
    created, first_reply = tickets["Created at"], tickets["First reply time in minutes within business hours"]
    july = first_reply[created.between("2026-07-01", "2026-07-31 23:59:59")].median()
    spike = first_reply[created.between(pd.Timestamp(CRISIS_START), pd.Timestamp(CRISIS_START) + pd.Timedelta(days=9))]
    assert spike.median() > 1.3 * july, "the team answers more slowly under the load"
    safety = tickets["Contact reason [list]"] == "safety_concern"
    assert (tickets.loc[safety, "Created at"].dt.date >= CRISIS_START).all()


def test_the_faulty_lot_shows_before_the_post(tickets):
    overheating = tickets[tickets["Tags"].str.split().map(lambda t: "overheating" in t)]
    early = overheating[overheating["Created at"].dt.date < CRISIS_START]
    assert len(early) >= 20 and early["Created at"].min() >= pd.Timestamp("2026-07-10")
    assert (overheating["Product [list]"] == CRISIS_PRODUCT).all()


# --------------------------------------------------------------------------- agents, outcomes


def test_agents_differ_in_handling(tickets):
    complaints = tickets[tickets["Contact reason [list]"].isin(COMPLAINTS)].assign(
        fcr=lambda f: first_contact(f),
        apology=lambda f: f["Tags"].str.split().map(lambda t: "apology" in t),
        defect=lambda f: f["Outcome [list]"].isin(DEFECTS),
    )
    by_agent = complaints.groupby("Assignee").agg(
        n=("Id", "size"),
        first_reply=("First reply time in minutes within business hours", "median"),
        fcr=("fcr", "mean"),
        apology=("apology", "mean"),
        defect=("defect", "mean"),
        cost=("Remedy cost USD", "mean"),
    )
    assert len(by_agent) == 8 and (by_agent["n"] >= 300).all()
    assert by_agent["first_reply"].max() > 4 * by_agent["first_reply"].min()
    assert by_agent["apology"].max() - by_agent["apology"].min() > 0.5
    assert by_agent["fcr"].max() - by_agent["fcr"].min() > 0.15
    assert by_agent["defect"].max() > 1.5 * by_agent["defect"].min()
    fastest = by_agent["first_reply"].idxmin()
    assert by_agent.loc[fastest, "apology"] == by_agent["apology"].min(), "the fastest agent rarely apologises"
    assert by_agent.loc[fastest, "defect"] == by_agent["defect"].max(), "... and leaves the most defects"
    assert by_agent["cost"].idxmax() == by_agent["apology"].idxmax(), "the remedy-first agent spends the most"
    joined = tickets.groupby("Assignee")["Created at"].min()
    assert joined.max() > pd.Timestamp("2026-06-01"), "one agent joins mid-period"


def test_outcomes_follow_situation_and_handling(tickets):
    claim = tickets["Outcome [list]"] == "claim_opened"
    stuck = (tickets["Tracking status [list]"] == "stuck") & tickets["Solved at"].notna()
    waited = stuck & (tickets["Remedy [list]"] == "none")
    refunded = stuck & (tickets["Remedy [list]"] == "full_refund")
    assert claim[waited].mean() > 3 * claim[refunded].mean()
    complaints = tickets["Contact reason [list]"].isin(COMPLAINTS)
    slow = tickets["First reply time in minutes"] > 48 * 60
    assert claim[complaints & slow].mean() > 1.8 * claim[complaints & ~slow].mean()
    defect = tickets["Outcome [list]"].isin(DEFECTS)
    questions = tickets["Contact reason [list]"] == "product_question"
    assert defect[questions].mean() < 0.01 < 0.05 < defect[complaints].mean()
    assert set(tickets["Outcome [list]"]) == set(VALUES.outcomes)
    assert (tickets["Solved at"].isna() == (tickets["Outcome [list]"] == "open")).all()
    rated = tickets[tickets["Satisfaction Score"].isin(["Good", "Bad"])]
    assert (rated["Via"] == "Web form").all(), "the survey goes only to buyers who wrote through the brand's form"
    good = rated["Satisfaction Score"] == "Good"
    assert good[rated["Outcome [list]"] == "resolved"].mean() > good[rated["Outcome [list]"].isin(DEFECTS)].mean() + 0.3


def test_no_surface_feature_gives_an_outcome_away(tickets):
    """Documented bound (data/README.md): in every language, buyer country or marketplace with at least 300
    tickets, the share of each outcome is within three standard errors and 3 percentage points of the overall share."""
    outcomes = {
        "defect": tickets["Outcome [list]"].isin(DEFECTS),
        "claim": tickets["Outcome [list]"] == "claim_opened",
        "chargeback": tickets["Outcome [list]"] == "chargeback",
        "negative_feedback": tickets["Outcome [list]"].isin(["negative_feedback", "feedback_updated"]),
    }
    rated = tickets["Satisfaction Score"].isin(["Good", "Bad"])
    for feature in SURFACE:
        for name, hit in outcomes.items():
            overall = hit.mean()
            for group, rows in hit.groupby(tickets[feature]):
                if len(rows) < 300:
                    continue
                bound = min(0.03, 3 * math.sqrt(overall * (1 - overall) / len(rows)) + 0.005)
                assert abs(rows.mean() - overall) <= bound, (
                    f"{feature}={group}: {name} {rows.mean():.3f} vs {overall:.3f}"
                )
        bad = tickets.loc[rated, "Satisfaction Score"] == "Bad"
        for group, rows in bad.groupby(tickets.loc[rated, feature]):
            if len(rows) >= 100:
                se = math.sqrt(bad.mean() * (1 - bad.mean()) / len(rows))
                assert abs(rows.mean() - bad.mean()) <= 3 * se + 0.01, f"{feature}={group}: Bad share"


def test_where_is_my_order_playbook_facts(tickets):
    wismo = tickets[tickets["Contact reason [list]"] == "where_is_my_order"]
    assert (wismo["Tracking status [list]"] != "").all() and wismo["Days late"].notna().all()
    others = tickets[tickets["Contact reason [list]"] != "where_is_my_order"]
    assert (others["Tracking status [list]"] == "").all() and others["Days late"].isna().all()
    assert set(wismo["Tracking status [list]"]) == set(VALUES.tracking_statuses)
    no_tracking = wismo["Tracking status [list]"] == "no_tracking"
    assert (wismo.loc[no_tracking, "Carrier [list]"] == "").all() and (
        wismo.loc[~no_tracking, "Carrier [list]"] != ""
    ).all()
    fcr = first_contact(wismo).groupby(wismo["Tracking status [list]"]).mean()
    assert fcr["in_transit"] > 0.7 and fcr["delivered_not_received"] < 0.35 and fcr["stuck"] < 0.4
    assert 0.4 < first_contact(wismo).mean() < 0.75


def test_reply_template_test_is_randomised(tickets):
    wismo = tickets[tickets["Contact reason [list]"] == "where_is_my_order"]
    test = wismo[wismo["Created at"] >= pd.Timestamp("2026-07-01")]
    assert set(test["Reply template [list]"]) == {"wismo_a", "wismo_b"}
    assert (wismo.loc[wismo["Created at"] < pd.Timestamp("2026-07-01"), "Reply template [list]"] == "none").all()
    share_b = (test["Reply template [list]"] == "wismo_b").groupby(test["Language [list]"]).mean()
    assert share_b.between(0.4, 0.6).all(), "assignment does not depend on the buyer"
    fcr = first_contact(test).groupby(test["Reply template [list]"]).mean()
    assert fcr["wismo_b"] > fcr["wismo_a"]


def test_remedy_costs(tickets):
    t = tickets[tickets["Solved at"].notna()]
    value, item, ship = t["Order value USD"], t["Item cost USD"], t["Shipping cost USD"]
    cost, remedy = t["Remedy cost USD"], t["Remedy [list]"]
    assert (cost[remedy == "none"] == 0).all()
    assert ((cost - (item + ship)).abs()[remedy == "reship"] < 0.011).all()
    assert ((cost - value).abs()[remedy == "full_refund"] < 0.011).all()
    share = (cost / value)[remedy == "partial_refund"].round(2)
    assert share.isin([0.2, 0.3, 0.4, 0.5]).mean() > 0.97
    back = (cost - value - 8.0)[remedy == "return_and_refund"].round(2)
    resold = t.loc[remedy == "return_and_refund", "Product [list]"].isin(["yoga_mat", "knitted_sweater", "phone_case"])
    assert ((back + item[remedy == "return_and_refund"]).abs()[resold] < 0.011).all()
    assert (back.abs()[~resold] < 0.011).all()
    ordered = t["Contact reason [list]"] != "product_question"
    assert (item < value)[ordered].all() and (value[~ordered] == 0).all() and set(remedy) == set(VALUES.remedies)


# --------------------------------------------------------------------------- threads


def test_threads_follow_their_tickets(tickets, messages):
    t = tickets.set_index("Id")
    complaint_ids = set(t.index[t["Contact reason [list]"].isin(COMPLAINTS)])
    assert set(messages["ticket_id"]) == complaint_ids
    agent = messages[messages["author"] == "agent"]
    per_ticket = agent.groupby("ticket_id").size().reindex(sorted(complaint_ids), fill_value=0)
    assert (per_ticket.values == t.loc[per_ticket.index, "Replies"].values).all()
    first = messages.groupby("ticket_id").first()
    assert (first["author"] == "buyer").all()
    assert (first["created_at"].values == t.loc[first.index, "Created at"].values).all()
    assert (first["language"].values == t.loc[first.index, "Language [list]"].values).all()
    solved = agent.groupby("ticket_id")["created_at"].last()
    expected = t.loc[solved.index, "Solved at"]
    assert (solved[expected.notna().values].values == expected.dropna().values).all()
    reply = agent.groupby("ticket_id")["created_at"].first()
    minutes = ((reply - t.loc[reply.index, "Created at"]).dt.total_seconds() // 60).astype(int)
    assert (minutes.values == t.loc[reply.index, "First reply time in minutes"].values).mean() > 0.99
    assert messages.groupby("ticket_id")["created_at"].apply(lambda s: s.is_monotonic_increasing).all()
    assert messages.groupby("ticket_id")["seq"].apply(lambda s: list(s) == list(range(1, len(s) + 1))).all()
    names = messages.join(t[["Assignee", "Requester"]], on="ticket_id")
    who = names["Assignee"].where(names["author"] == "agent", names["Requester"])
    assert (names["author_name"] == who).all()


def test_reopened_tickets_were_reopened_before_they_closed(tickets, messages):
    """A solved ticket closes after 4 days and cannot be reopened then (Zendesk help 4408894213018)."""
    t = tickets.set_index("Id")
    reopened = t[(t["Reopens"] == 1) & t["Contact reason [list]"].isin(COMPLAINTS)]
    assert len(reopened) > 100
    first_solved = reopened["Created at"] + pd.to_timedelta(reopened["First resolution time in minutes"], unit="min")
    thread = messages[messages["ticket_id"].isin(reopened.index)].join(
        first_solved.rename("first_solved"), on="ticket_id"
    )
    buyer_after = thread[(thread["author"] == "buyer") & (thread["created_at"] > thread["first_solved"])]
    gap = buyer_after.groupby("ticket_id").apply(
        lambda g: (g["created_at"] - g["first_solved"]).min(), include_groups=False
    )
    assert len(gap) == len(reopened) and (gap < pd.Timedelta(days=4)).all()


def test_messages_carry_the_handling(tickets, messages):
    t = tickets.set_index("Id")
    agent = messages[messages["author"] == "agent"]
    first = agent.groupby("ticket_id").first()
    tagged = t.loc[first.index, "Tags"].str.split().map(lambda tags: "apology" in tags)
    assert (first["apology"].values == tagged.values).all()
    assert not agent.groupby("ticket_id")["apology"].sum().gt(1).any()
    offered = agent[agent["remedy_offered"] != "none"]
    assert offered["ticket_id"].is_unique
    assert (offered["remedy_offered"].values == t.loc[offered["ticket_id"], "Remedy [list]"].values).all()
    needs_offer = t.loc[sorted(set(first.index))]
    needs_offer = needs_offer[(needs_offer["Remedy [list]"] != "none") & needs_offer["Solved at"].notna()]
    assert set(offered["ticket_id"]) == set(needs_offer.index)
    mentions = agent["feedback_mention"].value_counts()
    assert mentions["update_note"] > mentions["pressure"] > 0 and mentions["incentive"] > 0
    rule_breakers = agent.loc[agent["feedback_mention"].isin(["incentive", "pressure"]), "author_name"].value_counts()
    assert rule_breakers.iloc[0] > 0.7 * rule_breakers.sum(), "one agent breaks the feedback rules most"
    japanese = messages[messages["language"] == "ja"]["body"]
    assert japanese.str.contains(r"[\u3040-\u30ff]").all()
    german = messages[(messages["language"] == "de") & (messages["author"] == "agent")]["body"]
    assert german.str.contains(r"\b(?:Sie|Ihnen|Ihr\w*)\b").mean() > 0.9, "German replies use the formal Sie"
    assert not german.str.contains(r"\b(?:du|dich|dir|dein\w*)\b").any()
    assert not messages["body"].str.contains(r"\{|\}").any(), "a placeholder was left unfilled"


# --------------------------------------------------------------------------- errors


def test_bad_value_names_file_row_and_column(tmp_path):
    frame = pd.read_csv(data_dir() / "tickets.csv", dtype=str, keep_default_na=False).head(40)
    frame.loc[11, "Satisfaction Score"] = "Great"
    bad = tmp_path / "my_tickets.csv"
    frame.to_csv(bad, index=False)
    with pytest.raises(DataError) as info:
        load("tickets", bad)
    message = str(info.value)
    assert "my_tickets.csv" in message and "column 'Satisfaction Score'" in message
    assert "line 13 (row 11)" in message and "'Great'" in message


def test_every_column_is_documented():
    text = (data_dir() / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Chapter 04") :]
    for name in ("tickets", "ticket_messages"):
        block = section[section.index(f"### {name}.csv") :]
        for column in registry[name].columns:
            assert f"| `{column}` |" in block, f"data/README.md: document {name}.csv column {column!r}"


@pytest.mark.parametrize(
    "old, new, words",
    [
        ("  Kevin Liu: {load: 17,", "  Kevin Liu: {lod: 17,", "entry 'agents.Kevin Liu.lod'"),
        (
            "carriers: {Colissimo: 55,",
            "carriers: {La Poste: 55,",
            "markets.amazon.fr.carriers: La Poste not in values.yaml",
        ),
        (
            "  yoga_mat: {electronic: false,",
            "  yoga_matt: {electronic: false,",
            "products: yoga_matt not in values.yaml",
        ),
    ],
)
def test_bad_content_table_names_file_and_entry(tmp_path, old, new, words):
    text = (tickets_module.HERE / "tickets.yaml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "tickets.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CaseDataError) as info:
        read_table(bad, tickets_module.Content)
    assert str(bad) in str(info.value) and words in str(info.value), str(info.value)


def test_bad_phrase_table_names_file_and_entry(tmp_path):
    text = (messages_module.HERE / "messages" / "en.yaml").read_text(encoding="utf-8")
    assert "({order_id}) and it still" in text and "  phone_case:" in text
    broken = text.replace("({order_id}) and it still", "({order_number}) and it still").replace(
        "  phone_case:", "  phone_cover:"
    )
    bad = tmp_path / "en.yaml"
    bad.write_text(broken, encoding="utf-8")
    with pytest.raises(CaseDataError) as info:
        read_table(bad, messages_module.Phrases)
    message = str(info.value)
    assert str(bad) in message and "products: add phone_case" in message and "['order_number']" in message
