"""Known-wrong answers to assignment 05, for the shared suite (tests/test_assignments.py).

``WRONG_ANSWERS`` is keyed by the grade_id of the answer cell; each value is a whole answer
cell. The solution notebook with that cell swapped in must lose exactly the points of the
test cell ``test_<grade_id>`` and keep every other point. They are plausible learner
mistakes. A visible test catches some of them, and ``MESSAGES`` holds the words its message
must contain; the others pass every visible test, and only a hidden test fails them
(``HIDDEN_ONLY``). tests/assignment_suite.py describes the format.
"""

WRONG_ANSWERS = {
    # Counts weekends out but forgets the holidays it is given. Caught by the visible Labour Day test.
    "business_minutes": """
def business_minutes(start, end, holidays=()):
    seconds = 0.0
    for day in pd.date_range(start.normalize(), end.normalize(), freq="D"):
        if day.dayofweek >= 5:
            continue
        opens, closes = day + pd.Timedelta(hours=9), day + pd.Timedelta(hours=18)
        seconds += max(0.0, (min(end, closes) - max(start, opens)).total_seconds())
    return int(seconds // 60)
""",
    # The mean in place of the median. Caught by the visible toy test.
    "reply_time_summary": """
def reply_time_summary(tickets, by="Via", column="First reply time in minutes"):
    hours = tickets[column].astype(float) / 60
    groups = hours.groupby(tickets[by])
    return pd.DataFrame({"tickets": groups.count().astype("int64"), "median_hours": groups.mean(),
                         "p90_hours": groups.quantile(0.9)}).sort_index()
""",
    # Keeps one row too many when a cumulative share hits the cutoff exactly (<= instead of <).
    # Passes the visible tests (no visible case lands exactly on 80%).
    "pareto_table": """
def pareto_table(values, cutoff=0.8):
    ordered = values.sort_index().sort_values(ascending=False, kind="stable").astype(float)
    table = ordered.to_frame("value")
    table["share"] = table["value"] / table["value"].sum()
    table["cumulative_share"] = table["share"].cumsum()
    table["vital_few"] = table["cumulative_share"].shift(1, fill_value=0) <= cutoff
    return table
""",
    # Counts a rater who skipped the NPS question as a passive. Caught by the visible toy test.
    "csat_nps_by": """
def csat_nps_by(survey, by):
    rated = survey.dropna(subset=["csat"])
    nps = rated["nps"].fillna(7)
    table = pd.DataFrame({
        "responses": rated.groupby(by).size(),
        "csat": (rated["csat"] >= 4).astype(float).groupby(rated[by]).mean(),
        "nps": 100 * ((nps >= 9).astype(float).groupby(rated[by]).mean() - (nps <= 6).astype(float).groupby(rated[by]).mean()),
    }, index=pd.Index(sorted(survey[by].unique()), name=by))
    table["responses"] = table["responses"].fillna(0).astype("int64")
    return table
""",
    # Computes the power for the observed difference instead of the planned min_effect. Caught by a visible test.
    "ab_test": """
def ab_test(successes_a, n_a, successes_b, n_b, min_effect, alpha=0.05):
    p_a, p_b = successes_a / n_a, successes_b / n_b
    z = norm.ppf(1 - alpha / 2)
    difference = p_b - p_a
    se = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    low, high = difference - z * se, difference + z * se
    power = norm.cdf(abs(difference) / se - z)
    decision = "B" if low > 0 else "A" if high < 0 else "no winner"
    return {"difference": float(difference), "ci_low": float(low), "ci_high": float(high), "power": float(power),
            "decision": decision}
""",
    # A before-and-after of the trained agents, without the comparison group. Caught by the visible toy test.
    "fcr_did": """
def fcr_did(weeks, cohort):
    rows = weeks.merge(cohort[["agent_id", "group"]], on="agent_id")
    totals = rows.groupby(["group", "period"])[["first_contact_resolved", "tickets"]].sum()
    rate = totals["first_contact_resolved"] / totals["tickets"]
    trained = rate.loc[("trained", "after")] - rate.loc[("trained", "before")]
    comparison = rate.loc[("waitlist", "after")] - rate.loc[("waitlist", "before")]
    return {"trained_change": float(trained), "comparison_change": float(comparison), "effect": float(trained)}
""",
    # Bars in A-to-Z order of the reasons instead of largest first. Caught by a visible test.
    "kpi_dashboard": """
def kpi_dashboard(tickets):
    fig, (reasons_ax, reply_ax) = plt.subplots(1, 2, figsize=(12, 4))
    counts = tickets["Contact reason [list]"].value_counts().sort_index()
    reasons_ax.bar(counts.index, counts.to_numpy())
    reasons_ax.set_title("Tickets per contact reason")
    reasons_ax.set_ylabel("tickets")
    monthly = tickets.set_index("Created at")["First reply time in minutes"].astype(float).resample("MS").median() / 60
    reply_ax.plot(monthly.index, monthly.to_numpy(), marker="o")
    reply_ax.set_title("Median first reply time per month")
    reply_ax.set_ylabel("calendar hours")
    return fig
""",
}

# What the learner reads when a visible test catches the wrong answer.
MESSAGES = {
    "business_minutes": "did you leave out the dates in `holidays`?",
    "reply_time_summary": "Did you take the mean",
    "csat_nps_by": "Are the buyers without an nps answer left out?",
    "ab_test": "Use the planned min_effect",
    "fcr_did": "not the change alone",
    "kpi_dashboard": "from the largest to the smallest",
}

# Wrong answers that pass every visible test: only the hidden tests fail them.
HIDDEN_ONLY = {"pareto_table"}
