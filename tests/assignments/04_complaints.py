"""Known-wrong answers to assignment 04, for the shared suite (tests/test_assignments.py).

``WRONG_ANSWERS`` is keyed by the grade_id of the answer cell; each value is a whole answer
cell. The solution notebook with that cell swapped in must lose exactly the points of the
test cell ``test_<grade_id>`` and keep every other point. They are plausible learner
mistakes. A visible test catches some of them, and ``MESSAGES`` holds the words its message
must contain; the others pass every visible test, and only a hidden test fails them
(``HIDDEN_ONLY``). tests/assignment_suite.py describes the format.
"""

WRONG_ANSWERS = {
    # Checks p_claim's range but forgets p_chargeback. Passes the visible tests (they only try p_claim = 1.5).
    "expected_costs": """
def expected_costs(options, claim_cost, chargeback_cost):
    wrong = options["p_claim"].lt(0) | options["p_claim"].gt(1)
    if wrong.any():
        raise ValueError(f"p_claim must be between 0 and 1: check {list(options.index[wrong])}")
    costs = options["remedy_cost"] + options["p_claim"] * claim_cost + options["p_chargeback"] * chargeback_cost
    return costs.reindex(options.index)
""",
    # Picks the remedy that is cheapest today, ignoring the risks. Caught by a visible test.
    "cheapest_remedy": """
def cheapest_remedy(options, claim_cost, chargeback_cost):
    return options["remedy_cost"].idxmin()
""",
    # Counts the days that have tickets, but leaves out the quiet days. Caught by the visible toy test.
    "daily_contacts": """
def daily_contacts(tickets):
    return tickets["Created at"].dt.normalize().value_counts().sort_index().astype("int64")
""",
    # The baseline includes the day itself (no shift), so a spike raises its own threshold. Caught by a visible test.
    "spike_start": """
def spike_start(daily, window=28, k=3):
    rolling = daily.rolling(window)
    alarms = daily[daily > rolling.mean() + k * rolling.std()]
    return alarms.index[0] if len(alarms) else None
""",
    # Treats any ticket 3 or more days late as a near claim, whatever its contact reason. Passes the visible tests.
    "triage": """
def triage(queue):
    waiting = queue[queue["Status"].isin(["Open", "Pending"])]
    ordered = waiting.assign(
        not_safety=waiting["Contact reason [list]"] != "safety_concern",
        claim_not_near=~waiting["Days late"].ge(3).fillna(False).astype(bool),
        priority_rank=waiting["Priority"].map({"Urgent": 0, "High": 1, "Normal": 2, "Low": 3}),
    ).sort_values(["not_safety", "claim_not_near", "priority_rank", "Created at", "Id"], kind="stable")
    return [int(ticket_id) for ticket_id in ordered["Id"]]
""",
    # Checks the channel only on messages that mention feedback. Passes the visible tests (the phone call does).
    "breaks_feedback_rules": """
def breaks_feedback_rules(followups):
    mentions = followups["mentions_feedback"]
    return (
        (mentions & (followups["channel"] != "buyer_seller_messaging"))
        | followups["offers_reward"]
        | followups["asks_positive"]
        | (mentions & ~followups["problem_solved"])
        | (mentions & (followups["earlier_notes"] > 0))
    ).astype(bool)
""",
    # Keeps open and pending tickets in the denominator. Caught by the visible toy test.
    "first_contact_resolution": """
def first_contact_resolution(tickets, reason="where_is_my_order"):
    rows = tickets[tickets["Contact reason [list]"] == reason]
    return float(((rows["Replies"] == 1) & (rows["Reopens"] == 0)).mean())
""",
}

# What the learner reads when a visible test catches the wrong answer.
MESSAGES = {
    "cheapest_remedy": "is it cheapest once its risks are counted?",
    "daily_contacts": "does your Series include the quiet day with 0?",
    "spike_start": "does your baseline include the day itself?",
    "first_contact_resolution": "is the open one left out?",
}

# Wrong answers that pass every visible test: only the hidden tests fail them.
HIDDEN_ONLY = {"expected_costs", "triage", "breaks_feedback_rules"}
