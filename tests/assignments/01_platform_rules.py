"""Known-wrong answers to assignment 01, for the shared suite (tests/test_assignments.py).

``WRONG_ANSWERS`` is keyed by the grade_id of the answer cell; each value is a whole answer
cell. The solution notebook with that cell swapped in must lose exactly the points of the
test cell ``test_<grade_id>`` and keep every other point. They are plausible learner
mistakes. A visible test catches some of them, and ``MESSAGES`` holds the words its message
must contain; the others pass every visible test, and only a hidden test fails them
(``HIDDEN_ONLY``). tests/assignment_suite.py describes the format.
"""

WRONG_ANSWERS = {
    # Uses the seller's clock (Shenzhen) for off_hours. Caught by a visible test (row 4 of the toy frame).
    "red_flag_features": """
def red_flag_features(inquiries):
    flag_sets = inquiries["red_flags"].str.split(";").map(set)
    hour = inquiries["received_utc"].dt.tz_convert("Asia/Shanghai").dt.hour
    return pd.DataFrame({
        "free_mail": inquiries["domain_kind"] == "free_mail",
        "ip_mismatch": inquiries["ip_country"] != inquiries["claimed_country"],
        "off_hours": (hour < 8) | (hour >= 20),
        "website_problem": inquiries["website_check"] != "ok",
        "fraud_signal": flag_sets.map(lambda flags: bool(flags & FRAUD_FLAGS)).astype(bool),
        "spy_signal": flag_sets.map(lambda flags: bool(flags & SPY_FLAGS)).astype(bool),
    }, index=inquiries.index)
""",
    # Counts weak flags as suspicious. Caught by the visible false-alarm test on the case data.
    "flag_suspicious": """
def flag_suspicious(inquiries):
    return inquiries["red_flags"] != ""
""",
    # Matches the two Series by position, not by index. Passes the visible tests.
    "precision_recall": """
def precision_recall(predicted, actual):
    p, a = predicted.to_numpy(bool), actual.to_numpy(bool)
    tp = int((p & a).sum())
    return {"precision": tp / p.sum() if p.sum() else 0.0, "recall": tp / a.sum() if a.sum() else 0.0}
""",
    # Writes each pair the other way round: (signal, label). Caught by the visible test of the form.
    "judgements": """
judgements = {
    "U01": ("specific_request", "genuine"),
    "U02": ("fee_request", "fraud"),
    "U03": ("asks_customer_list", "spy"),
    "U04": ("specific_request", "genuine"),
    "U05": ("signin_request", "fraud"),
    "U06": ("asks_factory_details", "spy"),
    "U07": ("continues_earlier_deal", "genuine"),
    "U08": ("overpayment_offer", "fraud"),
    "U09": ("asks_full_price_list", "spy"),
    "U10": ("specific_request", "genuine"),
}
""",
    # The backwards cancel rule: leaves out every cancellation the buyer asked for, also on a
    # "please cancel" message (message_only). Caught by the visible toy-frame test.
    "account_health": """
def account_health(orders, as_of):
    as_of = pd.Timestamp(as_of)
    markets = sorted(orders["marketplace"].unique())
    def window(days):
        return orders[(orders["order_date"] > as_of - pd.Timedelta(days=days)) & (orders["order_date"] <= as_of)]
    def share(rows, hits):
        return hits.astype(float).groupby(rows["marketplace"]).mean().reindex(markets)
    o60, o7 = window(60), window(7)
    s10, s30, s14 = (w[w["shipped_date"].notna()] for w in (window(10), window(30), window(14)))
    s14 = s14[s14["tracking_valid"]]
    defect = o60["feedback_stars"].fillna(0).between(1, 2).astype(bool) | (o60["atoz_claim"] == "granted") | o60["chargeback"]
    return pd.DataFrame({
        "odr": share(o60, defect),
        "cancel_rate": share(o7, (o7["cancelled_by"] == "seller") & (o7["cancel_request"] == "none")),
        "late_shipment_rate": share(s10, s10["shipped_date"] > s10["ship_by_date"]),
        "valid_tracking_rate": share(s30, s30["tracking_valid"]),
        "on_time_delivery_rate": share(s14, s14["delivered_date"] <= s14["latest_est_delivery"]),
    }, index=markets)
""",
    # Applies the 90 % on-time delivery rule to every marketplace. Caught by a visible test (amazon.sa).
    "breaches": """
def breaches(health):
    limits = {"odr": 0.01, "cancel_rate": 0.025, "late_shipment_rate": 0.04}
    floors = {"valid_tracking_rate": 0.95, "on_time_delivery_rate": 0.90}
    out = {}
    for market, row in health.iterrows():
        bad = [m for m in health.columns if pd.notna(row[m])
               and ((m in limits and row[m] >= limits[m]) or (m in floors and row[m] < floors[m]))]
        if bad:
            out[market] = bad
    return out
""",
    # US federal holidays for every eBay site. Caught by the visible check against the data's respond_by.
    "respond_by": """
def respond_by(site, opened_date):
    day = pd.Timestamp(opened_date).date()
    if site == "aliexpress":
        return day + dt.timedelta(days=5)
    if site.startswith("ebay"):
        us_holidays = holidays.country_holidays("US")
        counted = 0
        while counted < 3:
            day += dt.timedelta(days=1)
            counted += day.weekday() < 5 and day not in us_holidays
        return day
    raise ValueError(site)
""",
    # Forgets rule 4 (a stated quantity first). Passes the visible tests.
    "triage": """
def triage(inbox):
    if len(inbox) == 0:
        return []
    flag_sets = inbox["red_flags"].str.split(";").map(set)
    keep = flag_sets.map(lambda flags: not (flags & FRAUD_FLAGS)).astype(bool)
    rank = {"chat": 0, "rfq": 1, "inquiry_form": 2, "email": 3}
    queue = inbox.loc[keep].assign(
        is_spy=flag_sets[keep].map(lambda flags: bool(flags & SPY_FLAGS)).astype(bool),
        channel_rank=inbox.loc[keep, "channel"].map(rank),
    )
    return queue.sort_values(["is_spy", "channel_rank", "received_utc", "inquiry_id"])["inquiry_id"].tolist()
""",
}

# What the learner reads when a visible test catches the wrong answer.
MESSAGES = {
    "red_flag_features": "row 4 asks for the customer list at 23:15 the sender's time",
    "flag_suspicious": "genuine inquiries were flagged; do weak flags such as 'urgency'",
    "judgements": "the first item must be the label",
    "account_health": "a 'please cancel' message does not make it an official request",
    "breaches": "The 90% on-time delivery rule applies on amazon.com only",
    "respond_by": "do weekends and the site's public holidays stop the eBay clock?",
}

# Wrong answers that pass every visible test: only the hidden tests fail them.
HIDDEN_ONLY = {"precision_recall", "triage"}
