"""Known-wrong answers to assignment 03, for the shared suite (tests/test_assignments.py).

``WRONG_ANSWERS`` is keyed by the grade_id of the answer cell; each value is a whole answer
cell. The solution notebook with that cell swapped in must lose exactly the points of the
test cell ``test_<grade_id>`` and keep every other point. They are plausible learner
mistakes. A visible test catches some of them, and ``MESSAGES`` holds the words its message
must contain; the others pass every visible test, and only a hidden test fails them
(``HIDDEN_ONLY``). tests/assignment_suite.py describes the format.
"""

WRONG_ANSWERS = {
    # Skips the market's weekend but forgets its public holidays. Caught by the visible Easter test.
    "reply_deadline": """
def reply_deadline(sent_local, market, markets, holidays, days=1):
    if days < 1:
        raise ValueError("days must be 1 or more")
    weekend = markets.loc[markets["market"] == market, "weekend"]
    if weekend.empty:
        raise ValueError(f"market {market!r} is not in `markets`")
    weekend = set(weekend.iloc[0].split(";"))
    day, left = pd.Timestamp(sent_local).date(), days
    while left:
        day += dt.timedelta(days=1)
        if day.strftime("%A") not in weekend:
            left -= 1
    return day
""",
    # Night starts after 22:00 instead of at 22:00. Caught by the visible test of the night's edges.
    "off_hours": """
def off_hours(times, holidays):
    hour = times["replied_local"].dt.hour
    off = holidays[holidays["non_working"]]
    days_off = set(zip(off["market"], pd.to_datetime(off["date"]).dt.normalize()))
    on_holiday = [(m, d) in days_off for m, d in zip(times["market"], times["replied_local"].dt.normalize())]
    return pd.DataFrame({"night": (hour > 22) | (hour < 7),
                         "holiday": pd.Series(on_holiday, index=times.index, dtype=bool)}, index=times.index)
""",
    # Windows stop at 23 instead of running past midnight. Passes the visible tests; a hidden test fails it.
    "best_sending_window": """
def best_sending_window(times, market, hours=3, min_messages=10):
    rows = times[times["market"] == market]
    if rows.empty:
        raise ValueError(f"no messages from market {market!r}")
    sent_hour = rows["sent_local"].dt.hour
    best, best_median = None, None
    for start in range(24):
        delays = rows.loc[sent_hour.isin(range(start, start + hours)), "reply_delay_minutes"]
        if len(delays) < min_messages:
            continue
        if best_median is None or delays.median() < best_median:
            best, best_median = start, delays.median()
    if best is None:
        raise ValueError("no window has enough messages")
    return best
""",
    # Splits Japanese into words like every other language, so no Japanese cue is ever found.
    # The openings are 98% right anyway: only a hidden Japanese test fails it.
    "reply_register": """
def reply_register(opening, language):
    words = set(re.findall(r"\\w+", (opening or "").lower()))
    return "informal" if words & set(INFORMAL_CUES.get(language, [])) else "formal"
""",
    # Finds each part of the cue anywhere in the text, not in order after the previous part.
    # Passes the visible tests (and leaves read_indirect right); a hidden test fails it.
    "cue_in": """
def cue_in(cue, text):
    parts = [part.strip().lower() for part in re.split(r"\\.\\.\\.|…", cue or "") if part.strip()]
    return bool(parts) and all(part in text.lower() for part in parts)
""",
    # Takes the first cue found instead of the longest. Passes the visible tests; a hidden test fails it.
    "read_indirect": """
def read_indirect(text, pairs):
    indirect = pairs[pairs["style"] == "indirect"]
    for cue, intent in zip(indirect["cue"], indirect["intent"]):
        if cue_in(cue, text):
            return intent
    return "unclear"
""",
    # Scores both rules against how the buyer wrote, not against the survey answer. Caught by the visible test.
    "rule_accuracy": """
def rule_accuracy(buyers):
    formal_share = (buyers["wrote_register"] == "formal").groupby(buyers["market"]).mean()
    stereotype = buyers["market"].map(formal_share.map(lambda s: "formal" if s >= 0.5 else "informal"))
    return pd.Series({"stereotype": float((stereotype == buyers["wrote_register"]).mean()), "mirror": 1.0})
""",
}

MESSAGES = {
    "reply_deadline": "Did you skip the market's days off?",
    "off_hours": "Does 22:00 count as night in your rule?",
    "rule_accuracy": "Did you compare with preferred_register?",
}

HIDDEN_ONLY = {"best_sending_window", "reply_register", "cue_in", "read_indirect"}
