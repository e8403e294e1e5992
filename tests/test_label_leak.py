"""No surface feature of an inquiry gives its label away; the behaviour in the message does.

An agent who sorts inquiries by a surface feature (a generic greeting, the channel, the language,
a Chinese IP address, free mail, no quantity, a catalogue request, a new website, the hour it was
sent, a new or unverified account ...) should not be right much more often than by guessing the
base rate. So, for every feature and every value it takes in at least ``MIN_SUPPORT`` inquiries,
the share of those inquiries that carry one label (the value's *precision* for that label) must
stay below that label's share of all inquiries plus ``MARGIN``.

Why these bounds. The data are 60 % genuine, 20 % spy and 20 % fraud. ``MARGIN = 0.20`` lets a
value at most double the odds of spy or fraud (precision under 0.40: still wrong more often than
right) and keeps "genuine" under 0.80 (one in five of the "safe-looking" inquiries is not genuine).
Real weak signals do shift the odds a little, and the course teaches them as such; a shift bigger
than this would make a rule on one surface feature look like it works, which is what the lesson
warns against. ``MIN_SUPPORT = 30`` rows keeps the sampling noise of a share near 0.2 at about
0.07 (one standard error), well inside the margin; rarer values are pooled into one "(rare)" value
so they are still checked. Genuine is checked too: a channel or language that is "always genuine"
teaches the same false rule in reverse.

The behavioural evidence, the ``red_flags`` of the spy and fraud kinds, must still separate the
classes: each such flag seen in at least 5 inquiries points to its label with precision >= 0.95,
and together they find every spy and every fraud inquiry.
"""

from __future__ import annotations

import pandas as pd
import pytest

from borderdesk.datasets import FRAUD_FLAGS, SPY_FLAGS, load_inquiries

MIN_SUPPORT = 30
MARGIN = 0.20
BEHAVIOUR_PRECISION = 0.95


@pytest.fixture(scope="module")
def inquiries():
    return load_inquiries()


def flag_sets(frame: pd.DataFrame) -> pd.Series:
    return frame["red_flags"].map(lambda v: set(filter(None, v.split(";"))))


def local_hour(frame: pd.DataFrame, tz_column: str | None = "sender_tz", tz: str | None = None) -> pd.Series:
    """The hour on the sender's clock (or on the clock of ``tz``) when the inquiry arrived."""
    if tz:
        return frame["received_utc"].dt.tz_convert(tz).dt.hour
    return frame.apply(lambda row: row["received_utc"].tz_convert(row[tz_column]).hour, axis=1)


def surface_features(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Everything an agent sees before reading what the message asks for."""
    flags = flag_sets(frame)
    sender_hour = local_hour(frame)
    seller_hour = local_hour(frame, tz="Asia/Shanghai")
    features = {
        "greeting": flags.map(lambda f: "generic" if "generic_greeting" in f else "named"),
        "channel": frame["channel"],
        "language": frame["language"],
        "ip_country": frame["ip_country"],
        "ip_differs_from_claim": frame["ip_country"] != frame["claimed_country"],
        "claimed_country": frame["claimed_country"],
        "free_mail": frame["domain_kind"] == "free_mail",
        "quantity_stated": frame["quantity"].notna(),
        "catalogue_or_price_list_asked": flags.map(lambda f: "asks_catalogue" in f),
        "urgency": flags.map(lambda f: "urgency" in f),
        "no_product_detail": flags.map(lambda f: "no_product_detail" in f),
        "website_check": frame["website_check"],
        "company_named": frame["claimed_company"] != "",
        "send_hour_sender": pd.cut(
            sender_hour, [-1, 5, 7, 18, 21, 23], labels=["0-5", "6-7", "8-18", "19-21", "22-23"]
        ),
        "send_hour_shenzhen": pd.cut(seller_hour, [-1, 8, 17, 23], labels=["0-8", "9-17", "18-23"]),
        "subject": frame["subject"],
    }
    if "verified" in frame:  # triage columns (absent from the data before issue 11)
        features["verified"] = frame["verified"]
        features["profile_age"] = pd.cut(
            frame["profile_age_days"], [-1, 29, 179, 729, 10**6], labels=["<30 d", "30-179 d", "180-729 d", "2 y+"]
        )
        features["earlier_inquiries"] = frame["earlier_inquiries"].clip(upper=3).map({0: "0", 1: "1", 2: "2", 3: "3+"})
    return features


def precisions(frame: pd.DataFrame, feature: pd.Series) -> pd.DataFrame:
    """Per value of ``feature`` (rare values pooled): support and the share of each label."""
    values = feature.astype(str)
    counts = values.value_counts()
    values = values.where(values.map(counts) >= MIN_SUPPORT, "(rare)")
    table = pd.crosstab(values, frame["label"])
    shares = table.div(table.sum(axis=1), axis=0)
    shares.insert(0, "support", table.sum(axis=1))
    return shares[shares["support"] >= MIN_SUPPORT]


def strongest_surface_value(frame: pd.DataFrame) -> tuple[str, str, str, float, float]:
    """(feature, value, label, precision, bound) of the surface value that most exceeds its label's base rate."""
    base = frame["label"].value_counts(normalize=True)
    best = None
    for name, feature in surface_features(frame).items():
        table = precisions(frame, feature)
        for label in base.index:
            for value, share in table[label].items():
                excess = share - base[label]
                if best is None or excess > best[0]:
                    best = (excess, name, str(value), label, share, base[label] + MARGIN)
    return best[1:]


def test_no_surface_feature_gives_a_label_away(inquiries):
    base = inquiries["label"].value_counts(normalize=True)
    problems = []
    for name, feature in surface_features(inquiries).items():
        table = precisions(inquiries, feature)
        for label in base.index:
            bound = base[label] + MARGIN
            for value, share in table[label].items():
                if share >= bound:
                    support = table.loc[value, "support"]
                    problems.append(f"{name}={value}: {share:.0%} {label} of {support} rows (bound {bound:.0%})")
    assert not problems, "surface features that predict a label:\n" + "\n".join(problems)


def test_every_surface_feature_occurs_in_every_class(inquiries):
    """The issue's list: each of these occurs in genuine, spy and fraud inquiries alike."""
    features = surface_features(inquiries)
    flags = flag_sets(inquiries)
    present = {
        "generic greeting": features["greeting"] == "generic",
        "named greeting": features["greeting"] == "named",
        "rfq channel": inquiries["channel"] == "rfq",
        "CN or HK IP": inquiries["ip_country"].isin(["CN", "HK"]),
        "free mail": features["free_mail"],
        "quantity stated": features["quantity_stated"],
        "catalogue or price list asked": features["catalogue_or_price_list_asked"],
        "website ok": inquiries["website_check"] == "ok",
        "new domain": inquiries["website_check"] == "new_domain",
        "not English": inquiries["language"] != "en",
        "sent at night": features["send_hour_sender"].astype(str) == "0-5",
        "business verified": inquiries["verified"] == "business_verified",
        "repeat sender": inquiries["earlier_inquiries"] > 0,
        "seller named in the greeting": inquiries["message"].str.contains("Lily|Chen|Лили|Чэнь"),
    }
    for name, mask in present.items():
        for label in ("genuine", "spy", "fraud"):
            rows = inquiries[mask & (inquiries["label"] == label)]
            assert len(rows) >= 5, f"{name}: only {len(rows)} {label} inquiries"
    for language in inquiries["language"].unique():
        in_language = inquiries[inquiries["language"] == language]
        assert set(in_language["label"]) == {"genuine", "spy", "fraud"}, f"{language}: not every label"
    assert flags.map(lambda f: "asks_catalogue" in f)[inquiries["label"] == "genuine"].mean() > 0.2


def test_behaviour_still_separates_the_classes(inquiries):
    flags = flag_sets(inquiries)
    kinds = {flag: "fraud" for flag in FRAUD_FLAGS} | {flag: "spy" for flag in SPY_FLAGS}
    for flag, label in kinds.items():
        rows = inquiries[flags.map(lambda f, flag=flag: flag in f)]
        if len(rows) >= 5:
            precision = (rows["label"] == label).mean()
            assert precision >= BEHAVIOUR_PRECISION, f"{flag}: {precision:.0%} {label}"
    for label, kind_flags in (("fraud", set(FRAUD_FLAGS)), ("spy", set(SPY_FLAGS))):
        signal = flags.map(lambda f, k=kind_flags: bool(f & k))
        is_label = inquiries["label"] == label
        assert (signal == is_label).all(), f"{label}: the {label} flags do not find exactly the {label} inquiries"


def test_the_check_fails_on_a_leaking_feature(inquiries):
    """The bound bites: a feature that holds only for fraud rows is reported."""
    leaky = inquiries.assign(channel=inquiries["channel"].where(inquiries["label"] != "fraud", "fax"))
    feature, value, label, precision, bound = strongest_surface_value(leaky)
    assert (feature, value, label) == ("channel", "fax", "fraud") and precision > bound


@pytest.mark.parametrize("column", ["claimed_country", "language"])
def test_countries_and_languages_have_the_same_label_mix(inquiries, column):
    """Stereotypes get no help from chance: each claimed country and each language holds spy, fraud
    and genuine inquiries in the proportions of the whole data set (1 : 1 : 3), up to rounding."""
    counts = inquiries.groupby(column)["label"].value_counts().unstack(fill_value=0)
    assert (counts["spy"] - counts["fraud"]).abs().max() <= 1
    assert (counts["genuine"] - 3 * counts["spy"]).abs().max() <= 3
    assert (counts["genuine"] - 3 * counts["fraud"]).abs().max() <= 3
