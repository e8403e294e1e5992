"""Chapter 02's case data: buyer messages, agents' replies with labelled defects, reply
templates; the stories the lesson tells, and that labels follow behaviour, not origin."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from borderdesk.cases import CaseDataError
from borderdesk.cases.c02_language import HERE, VALUES, MessageFragments, ReplyFragments
from borderdesk.cases.common import placeholders, read_table
from borderdesk.datasets import DataError, load
from borderdesk.paths import data_dir


@pytest.fixture(scope="module")
def messages() -> pd.DataFrame:
    return load("buyer_messages")


@pytest.fixture(scope="module")
def replies(messages) -> pd.DataFrame:
    frame = load("agent_replies")
    return frame.merge(messages, on="message_id", suffixes=("", "_buyer"))


@pytest.fixture(scope="module")
def templates() -> pd.DataFrame:
    return load("reply_templates")


def defects(frame: pd.DataFrame, label: str) -> pd.Series:
    return frame["defects"].str.split(";").map(lambda items: label in items)


def test_sizes_and_languages(messages, replies, templates):
    assert len(messages) >= 2000
    share = messages["language"].value_counts(normalize=True)
    assert set(share.index) == set(VALUES.languages)
    assert share[["en", "es", "de"]].sum() > 0.8 and share[["fr", "it", "pt"]].min() > 0.02
    assert len(replies) >= 800 and set(replies["language"]) == set(VALUES.working_languages)
    assert set(templates["language"]) == set(VALUES.working_languages)
    assert messages["message_id"].is_unique and replies["message_id"].is_unique
    assert messages["received_utc"].is_monotonic_increasing


def test_message_fields_are_in_the_text(messages):
    """The salutation opens the message, the order number is in it, the locale fits the market."""
    with_salutation = messages[messages["salutation"] != ""]
    assert with_salutation.apply(lambda r: r["message"].startswith(r["salutation"]), axis=1).all()
    with_order = messages[messages["order_id"] != ""]
    assert with_order.apply(lambda r: r["order_id"] in r["message"], axis=1).all()
    assert 0.5 < len(with_order) / len(messages) < 0.8
    assert (messages["locale"] == messages["market"].map(lambda m: VALUES.markets[m].locale)).all()
    first = messages["buyer_name"].str.split().str[0]
    assert messages.assign(first=first).apply(lambda r: r["first"] in r["message"], axis=1).all()


def test_register_does_not_follow_the_market(messages):
    """Formal and informal buyers in every language, in about the same shares: no 'Germans are formal'."""
    formal = messages.groupby("language")["register"].apply(lambda s: (s == "formal").mean())
    assert formal.between(0.4, 0.7).all(), formal.to_dict()
    informal_de = messages[(messages["language"] == "de") & (messages["register"] == "informal")]
    assert informal_de["message"].str.contains(r"\b(?:du|dir|dich|hab)\b").mean() > 0.3


def test_defects_follow_behaviour_not_origin(replies):
    """Clean replies and each defect appear at about the same rate in every language."""
    clean = replies.groupby("language_buyer")["defects"].apply(lambda s: (s == "").mean())
    assert clean.between(0.25, 0.45).all(), clean.to_dict()
    for label in ("absolute_claim", "no_next_step", "feedback_request"):
        rate = replies.assign(hit=defects(replies, label)).groupby("language_buyer")["hit"].mean()
        assert rate.max() - rate.min() < 0.1, (label, rate.to_dict())
    counts = replies["defects"].str.split(";").explode().value_counts()
    assert all(counts.get(label, 0) >= 20 for label in VALUES.defects), counts.to_dict()
    per_reply = replies["defects"].map(lambda s: len([d for d in s.split(";") if d]))
    assert set(per_reply) == {0, 1, 2, 3}


def test_each_defect_is_visible_in_the_reply(replies):
    has_order = replies["order_id"] != ""
    missing = defects(replies, "missing_order_reference")
    repeats = replies.apply(lambda r: r["order_id"] in r["reply"], axis=1)
    assert (~repeats[missing]).all() and repeats[has_order & ~missing].all()
    wrong_language = defects(replies, "wrong_language")
    assert (replies.loc[wrong_language, "language"] != replies.loc[wrong_language, "language_buyer"]).all()
    assert (replies.loc[~wrong_language, "language"] == replies.loc[~wrong_language, "language_buyer"]).all()
    links = defects(replies, "external_link")
    assert replies.loc[links, "reply"].str.contains("http").all()
    assert not replies.loc[~links, "reply"].str.contains("http").any()
    informal = replies["reply"].str.contains(r"\b(?:du|dich|dir|dein\w*|tu|tus|te|tienes)\b", flags=re.I)
    assert (informal == defects(replies, "wrong_form_of_address")).all()
    assert not (defects(replies, "wrong_form_of_address") & (replies["register"] == "informal")).any()
    first_line = replies["reply"].str.split("\n").str[0]
    has_name = replies.apply(lambda r: any(n in first_line[r.name] for n in r["buyer_name"].split()), axis=1)
    assert has_name[~defects(replies, "missing_greeting") & ~defects(replies, "greeting_not_mirrored")].all()


def test_clean_replies_write_money_the_buyers_way(replies):
    clean_de = replies[(replies["defects"] == "") & (replies["locale"] == "de_DE")]
    amounts = clean_de["reply"].str.findall(r"\d+[.,]\d{2}\s?€")
    assert amounts.map(len).sum() > 5 and all("," in a for found in amounts for a in found)
    wrong_us = replies[defects(replies, "wrong_locale_format") & (replies["locale"] == "en_US")]
    assert wrong_us["reply"].str.contains(r"\d+,\d{2}\s?\$|\d{2}\.\d{2}\.\d{4}").all()


def test_templates_declare_their_placeholders(templates):
    used = templates["text"].map(lambda t: ";".join(p for p in VALUES.placeholders if p in placeholders(t)))
    assert (used == templates["placeholders"]).all()
    bodies = templates[templates["part"] == "body"]
    assert set(bodies["contact_reason"]) == set(VALUES.contact_reasons)
    assert (bodies.groupby("language")["contact_reason"].nunique() == len(VALUES.contact_reasons)).all()
    openers = templates[templates["part"] == "opener"]
    assert set(openers["buyer_status"]) == {"new", "returning"}
    assert bodies["text"].str.contains("{date}").mean() > 0.7
    de = templates[templates["language"] == "de"]["text"]
    assert (
        not de.str.contains(r"\b(?:du|dich|dir|dein)\b").any()
        and de.str.contains(r"\bSie\b|\bIhnen\b|\bIhr").mean() > 0.5
    )


def test_bad_fragment_file_names_file_and_entry(tmp_path):
    text = (HERE / "replies" / "de.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "de.yaml"
    bad.write_text(text.replace("\nbodies:", "\nbodys:", 1), encoding="utf-8")
    with pytest.raises(CaseDataError) as info:
        read_table(bad, ReplyFragments)
    assert str(bad) in str(info.value) and "bodys" in str(info.value)
    text = (HERE / "messages" / "es.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "es.yaml"
    bad.write_text(text.replace("  cancel_order:\n", "  cancel_ordr:\n", 1), encoding="utf-8")
    with pytest.raises(CaseDataError) as info:
        read_table(bad, MessageFragments)
    assert "cancel_ordr" in str(info.value)


def test_bad_value_in_a_message_file_is_named(tmp_path, messages):
    frame = pd.read_csv(data_dir() / "buyer_messages.csv", dtype=str, keep_default_na=False).head(30)
    frame.loc[4, "register"] = "casual"
    bad = tmp_path / "my_messages.csv"
    frame.to_csv(bad, index=False)
    with pytest.raises(DataError) as info:
        load("buyer_messages", bad)
    message = str(info.value)
    assert "my_messages.csv" in message and "column 'register'" in message and "line 6" in message


@pytest.mark.parametrize("feature", ["agent", "platform", "market", "buyer_status", "contact_reason", "sentiment"])
def test_no_surface_feature_gives_the_defects_away(replies, feature):
    """Whether a reply is clean barely depends on who wrote it, where the buyer is or why they wrote."""
    groups = replies.assign(clean=replies["defects"] == "").groupby(feature)
    big = groups.size() >= 30
    shares = groups["clean"].mean()[big]
    assert shares.max() - shares.min() < 0.2, (feature, shares.round(2).to_dict())
    assert (shares < 0.6).all(), "no group is a safe bet for 'clean'"
