"""Chapter 03's case data: facts taken from the libraries (checked against them here, at test time),
the stories the lesson and assignment rely on, fairness bounds, reproducible bytes, load errors."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import holidays
import pandas as pd
import pycountry
import pytest
from babel import Locale, dates, numbers
from hijridate import Hijri

from borderdesk.cases import CaseDataError, generate, of_chapter, registry
from borderdesk.cases.c03_cross_cultural import CHAPTER, HERE, TEAM_SHIFT, TEAM_TZ, VALUES, YEAR
from borderdesk.cases.c03_cross_cultural import message_pairs as pairs_module
from borderdesk.cases.c03_cross_cultural import peak_seasons as peaks_module
from borderdesk.cases.common import read_table
from borderdesk.datasets import DataError, load
from borderdesk.paths import data_dir

NAMES = ["markets", "market_holidays", "peak_seasons", "message_times", "message_pairs", "buyer_preferences"]
CN = holidays.country_holidays("CN", years=YEAR)


@pytest.fixture(scope="module")
def markets():
    return load("markets").set_index("market")


@pytest.fixture(scope="module")
def peaks():
    return load("peak_seasons").set_index("peak_id")


@pytest.fixture(scope="module")
def times():
    frame = load("message_times")
    frame["arrived"] = frame["sent_utc"].dt.tz_convert(TEAM_TZ).dt.tz_localize(None)  # Shenzhen wall clock
    frame["local_hour"] = frame["sent_local"].dt.hour
    return frame


@pytest.fixture(scope="module")
def buyers():
    return load("buyer_preferences")


@pytest.fixture(scope="module")
def pairs():
    return load("message_pairs")


def tzdata_zone(name: str) -> ZoneInfo:
    """The zone from the pinned tzdata package (ZoneInfo(name) would prefer the system's older copy)."""
    with resources.files("tzdata").joinpath("zoneinfo", *name.split("/")).open("rb") as fh:
        return ZoneInfo.from_file(fh, key=name)


def between(frame, first: str, last: str):
    """Messages that reached the team from ``first`` to ``last`` (inclusive, Shenzhen dates)."""
    day = frame["arrived"].dt.date
    return (day >= date.fromisoformat(first)) & (day <= date.fromisoformat(last))


def next_opening(moment: datetime) -> datetime:
    """The team's next shift opening, from holidays' calendar of China (not the generator's helper)."""
    opens, closes = TEAM_SHIFT
    if CN.is_working_day(moment.date()) and opens <= moment.time() < closes:
        return moment
    day = moment.date() + timedelta(days=0 if moment.time() < opens else 1)
    while not CN.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, opens)


# --------------------------------------------------------------------------- registry, bytes


def test_registered_and_reproducible(tmp_path):
    assert sorted(of_chapter(CHAPTER)) == sorted(NAMES)
    first = generate(tmp_path / "a", NAMES)
    second = generate(tmp_path / "b", NAMES)
    for name in NAMES:
        assert first[name].read_bytes() == second[name].read_bytes(), f"{name}: two runs differ"
        assert first[name].read_bytes() == (data_dir() / registry[name].file).read_bytes(), (
            f"data/{registry[name].file} is not what the generator writes: run `borderdesk data --chapter 3` and commit"
        )
    other = generate(tmp_path / "c", ["message_times", "buyer_preferences"], seed=1)
    for name in ("message_times", "buyer_preferences"):
        assert other[name].read_bytes() != first[name].read_bytes(), f"{name} ignores the seed"


def test_sizes_and_types(times, buyers, pairs, markets):
    assert len(markets) >= 11 and (markets["role"] == "buyer").sum() >= 10
    assert len(times) >= 2000
    assert (times["sent_local"].max() - times["sent_local"].min()).days >= 120
    assert str(times["sent_utc"].dtype) == "datetime64[ns, UTC]" and times["sent_in_team_shift"].dtype == bool
    assert str(times["reply_delay_minutes"].dtype) == "Int64"
    assert pairs["pair_id"].nunique() >= 40 and len(buyers) >= 1000


# --------------------------------------------------------------------------- markets: from the libraries


def test_markets_come_from_the_libraries(markets):
    for market, row in markets.iterrows():
        zone = tzdata_zone(row["timezone"])
        assert row["utc_offset_jan"] == zone.utcoffset(datetime(YEAR, 1, 15, 12)).total_seconds() / 3600, market
        assert row["utc_offset_jul"] == zone.utcoffset(datetime(YEAR, 7, 15, 12)).total_seconds() / 3600, market
        assert row["observes_dst"] == (row["utc_offset_jan"] != row["utc_offset_jul"])
        cal = holidays.country_holidays(market, years=YEAR)
        weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        assert row["weekend"].split(";") == [weekdays[d] for d in sorted(cal.weekend)], market
        assert row["public_holidays_2026"] == len(cal), market
        assert row["currency"] == numbers.get_territory_currencies(market, date(YEAR, 3, 9))[0]
        assert row["country"] == pycountry.countries.get(alpha_2=market).name
        locale = Locale.parse(row["locale"])
        assert row["sample_date"] == dates.format_date(date(YEAR, 3, 9), "short", locale=locale)
        assert row["sample_amount"] == numbers.format_currency(1234.5, row["currency"], locale=locale)


def test_weekends_checked_on_the_pages(markets):
    # Saudi Arabia rests Friday-Saturday; the UAE moved to Saturday-Sunday on 1 January 2022
    # (UAE government announcement, reported by The National, checked 2026).
    assert markets.loc["SA", "weekend"] == "Friday;Saturday"
    assert markets.loc["AE", "weekend"] == "Saturday;Sunday"
    assert markets.loc["CN", "role"] == "team" and markets.loc["CN", "timezone"] == TEAM_TZ


def test_market_holidays_are_holidays_calendars():
    frame = load("market_holidays")
    for market in VALUES.markets:
        cal = holidays.country_holidays(market, years=YEAR)
        rows = frame[(frame["market"] == market) & frame["non_working"]]
        assert sorted(rows["date"].dt.date) == sorted(cal), market
    make_up = frame[(frame["market"] == "CN") & ~frame["non_working"]]
    assert set(make_up["date"].dt.date) == {d for d in CN.weekend_workdays if d.year == YEAR}
    assert (make_up["date"].dt.dayofweek >= 5).all(), "make-up working days fall on a weekend"


# --------------------------------------------------------------------------- peak seasons


def test_peak_dates_come_from_the_libraries(peaks):
    ramadan = peaks.loc["ramadan"]
    assert ramadan["start"].date() == date(*Hijri(1447, 9, 1).to_gregorian().datetuple()) == date(2026, 2, 18)
    assert ramadan["end"].date() == date(*Hijri(1447, 10, 1).to_gregorian().datetuple()) - timedelta(days=1)
    assert peaks.loc["eid_al_fitr", "start"].date() == date(*Hijri(1447, 10, 1).to_gregorian().datetuple())
    assert peaks.loc["eid_al_adha", "start"].date() == date(*Hijri(1447, 12, 10).to_gregorian().datetuple())
    japan = holidays.country_holidays("JP", years=YEAR)
    golden = peaks.loc["japan_golden_week"]
    for name in ("Showa Day", "Constitution Day", "Greenery Day", "Children's Day"):
        assert golden["start"].date() <= japan.get_named(name)[0] <= golden["end"].date()
    for closure in ("chinese_new_year_closure", "china_golden_week_closure"):
        days = pd.date_range(peaks.loc[closure, "start"], peaks.loc[closure, "end"]).date
        assert not any(CN.is_working_day(d) for d in days), f"{closure}: the team works on a day inside it"
        assert CN.is_working_day(days[0] - timedelta(days=1)) and CN.is_working_day(days[-1] + timedelta(days=1))
    thanksgiving = holidays.country_holidays("US", years=YEAR).get_named("Thanksgiving Day")[0]
    assert peaks.loc["black_friday_cyber_monday", "start"].date() == thanksgiving + timedelta(days=1)
    assert peaks.loc["singles_day", "start"].date() == date(YEAR, 11, 11)


def test_every_peak_names_its_source(peaks):
    assert (peaks["checked"] == "2026").all() and (peaks["source"].str.len() >= 10).all()
    assert (peaks["date_basis"] != "announced").all() or peaks.loc[
        peaks["date_basis"] == "announced", "start"
    ].isna().all()
    dated = peaks.dropna(subset=["start"])
    assert (dated["start"] <= dated["end"]).all()
    assert peaks.loc["prime_day", "date_basis"] == "announced" and pd.isna(peaks.loc["prime_day", "start"])


# --------------------------------------------------------------------------- message_times: the stories


def test_times_are_consistent(times):
    for zone, group in times.groupby("buyer_timezone"):
        local = group["sent_utc"].dt.tz_convert(zone).dt.tz_localize(None)
        assert (local == group["sent_local"]).all(), zone
        assert (group["replied_utc"].dt.tz_convert(zone).dt.tz_localize(None) == group["replied_local"]).all()
    delay = (times["replied_utc"] - times["sent_utc"]).dt.total_seconds() // 60
    assert (delay == times["reply_delay_minutes"]).all()


def test_replies_fall_inside_the_team_shift(times):
    replied = times["replied_utc"].dt.tz_convert(TEAM_TZ).dt.tz_localize(None)
    opens, closes = TEAM_SHIFT
    assert replied.dt.date.map(CN.is_working_day).all(), "a reply on a day the team is off"
    assert ((replied.dt.time >= opens) & (replied.dt.time < closes)).all()
    on_shift = times["arrived"].dt.date.map(CN.is_working_day) & times["arrived"].dt.time.between(
        opens, time(17, 59, 59)
    )
    assert (on_shift == times["sent_in_team_shift"]).all()


def test_replies_land_in_the_night_of_the_americas_not_of_japan(times):
    hour = times["replied_local"].dt.hour
    night = ((hour >= 22) | (hour < 7)).groupby(times["market"]).mean()
    assert (night[["US", "CA", "BR", "MX"]] >= 0.25).all(), night.round(2).to_dict()
    assert night["BR"] >= 0.9 and (night[["JP", "AU"]] <= 0.05).all(), night.round(2).to_dict()


def test_delay_spikes_when_the_team_is_off(times, peaks):
    closures = pd.Series(False, index=times.index)
    for peak in ("chinese_new_year_closure", "china_golden_week_closure"):
        start, end = (peaks.loc[peak, c].date().isoformat() for c in ("start", "end"))
        inside = between(times, start, end)
        closures |= inside
        assert inside.sum() >= 50
        ratio = times.loc[inside, "reply_delay_minutes"].median() / times["reply_delay_minutes"].median()
        assert ratio >= 5, f"{peak}: median delay only {ratio:.1f} times the usual"
    usual = times.loc[~closures, "reply_delay_minutes"].median()
    assert 300 <= usual <= 1200, usual  # a single shift in Shenzhen: most buyers wait overnight


def test_best_sending_window_is_the_shift_overlap(times):
    for market, group in times.groupby("market"):
        delay = group.set_index("local_hour")["reply_delay_minutes"].astype(float)
        windows = {start: delay[delay.index.isin([(start + i) % 24 for i in range(3)])] for start in range(24)}
        medians = {start: w.median() for start, w in windows.items() if len(w)}  # hours nobody wrote in: skipped
        best = min(medians, key=lambda s: (medians[s], s))
        assert medians[best] <= 0.2 * group["reply_delay_minutes"].median(), market
        # that window is when the team is on shift, or about to open: the wait for the opening is short
        window = group[group["local_hour"].isin([(best + i) % 24 for i in range(3)])]
        wait = window["arrived"].map(next_opening) - window["arrived"]
        assert (wait <= timedelta(hours=2)).mean() >= 0.6, market


def test_weekends_and_holidays_of_the_buyer(times, markets):
    sa = times[times["market"] == "SA"]
    day = sa["sent_local"].dt.day_name()
    weekend = day.isin(markets.loc["SA", "weekend"].split(";"))
    assert 0.2 <= weekend.mean() <= 0.45 and day.eq("Friday").sum() >= 20
    sunday = sa[day == "Sunday"]  # a working day in Riyadh, the team's weekend
    assert len(sunday) >= 20 and (~sunday["sent_in_team_shift"]).mean() >= 0.8
    frame = load("market_holidays")
    days_off = frame[frame["non_working"]]
    off = set(zip(days_off["market"], days_off["date"].dt.date, strict=True))
    sent = [(m, d) in off for m, d in zip(times["market"], times["sent_local"].dt.date, strict=True)]
    replied = [(m, d) in off for m, d in zip(times["market"], times["replied_local"].dt.date, strict=True)]
    assert sum(sent) >= 100 and sum(replied) >= 80


def test_ramadan_evenings_and_peak_volume(times, peaks):
    gulf = times[times["market"].isin(["SA", "AE"])]
    start, end = peaks.loc["ramadan", "start"], peaks.loc["ramadan", "end"] + timedelta(days=1)
    inside = (gulf["sent_local"] >= start) & (gulf["sent_local"] < end)
    late = (gulf["local_hour"] >= 21) | (gulf["local_hour"] < 5)
    assert inside.sum() >= 40 and late[inside].mean() >= late[~inside].mean() + 0.15
    us = times[times["market"] == "US"]
    per_day = us.groupby(us["sent_local"].dt.date).size()
    bf = peaks.loc["black_friday_cyber_monday"]
    weekend = per_day[[d for d in per_day.index if bf["start"].date() <= d <= bf["end"].date()]]
    assert weekend.mean() >= 1.5 * per_day.mean()


def test_delay_after_the_opening_does_not_depend_on_the_market(times):
    """Fairness: once the team opens after a normal night, how long a buyer waits is the same in every market."""
    off = times[~times["sent_in_team_shift"]].copy()
    opening = off["arrived"].map(next_opening)
    normal_night = opening.dt.date.map(lambda d: CN.is_working_day(d - timedelta(days=1)))
    off = off[normal_night]
    after = (off["replied_utc"].dt.tz_convert(TEAM_TZ).dt.tz_localize(None) - opening[normal_night]).dt.total_seconds()
    by_market = (after / 60).groupby(off["market"]).agg(["mean", "size"])
    big = by_market[by_market["size"] >= 100]
    overall = (after / 60).mean()
    assert len(big) >= 5
    assert ((big["mean"] - overall).abs() <= 0.2 * overall).all(), big.round(1).to_dict()


# --------------------------------------------------------------------------- buyer_preferences: the stereotype


def majority_rule(frame, column, value, other):
    share = frame.groupby("market")[column].apply(lambda s: (s == value).mean())
    return frame["market"].map((share >= 0.5).map({True: value, False: other}))


def test_national_averages_differ_but_a_stereotype_misjudges_many(buyers):
    formal = buyers.groupby("market")["wrote_register"].apply(lambda s: (s == "formal").mean())
    assert formal.max() - formal.min() >= 0.35, formal.round(2).to_dict()
    stereotype = majority_rule(buyers, "wrote_register", "formal", "informal")
    misjudged = (stereotype != buyers["wrote_register"]).mean()
    assert 0.25 <= misjudged <= 0.45, misjudged
    style = majority_rule(buyers, "wrote_style", "indirect", "direct")
    assert 0.25 <= (style != buyers["wrote_style"]).mean() <= 0.45
    assert ((buyers["market"] == "JP") & (buyers["wrote_register"] == "informal")).sum() >= 30


def test_reading_the_message_beats_the_stereotype(buyers):
    stereotype = majority_rule(buyers, "wrote_register", "formal", "informal")
    # measured against what each buyer said they prefer (the survey)
    assert 0.25 <= (stereotype != buyers["preferred_register"]).mean() <= 0.45
    mirror_wrong = (buyers["wrote_register"] != buyers["preferred_register"]).mean()
    assert 0.05 <= mirror_wrong <= 0.12, mirror_wrong
    by_stereotype = buyers.loc[buyers["reply_register"] == stereotype, "rating"].mean()
    by_message = buyers.loc[buyers["reply_register"] == buyers["wrote_register"], "rating"].mean()
    assert by_message >= by_stereotype + 0.2, (by_message, by_stereotype)
    # where the two rules disagree, the reply that followed the message is rated higher
    disagree = buyers[stereotype != buyers["wrote_register"]]
    followed = disagree["reply_register"] == disagree["wrote_register"]
    assert disagree.loc[followed, "rating"].mean() >= disagree.loc[~followed, "rating"].mean() + 0.8


def test_ratings_follow_the_fit_not_the_market(buyers):
    fit = buyers["reply_register"] == buyers["preferred_register"]
    assert buyers.loc[fit, "rating"].mean() >= buyers.loc[~fit, "rating"].mean() + 1
    for rows in (buyers[fit], buyers[~fit]):
        by_market = rows.groupby("market")["rating"].agg(["mean", "size"])
        big = by_market[by_market["size"] >= 60]
        assert len(big) >= 5 and ((big["mean"] - rows["rating"].mean()).abs() <= 0.35).all(), big.round(2).to_dict()
    assert "formal" in set(buyers.loc[buyers["market"] == "US", "wrote_register"])


def test_openings_show_the_register(buyers):
    """The label follows the text: each opening line belongs to one register only."""
    registers = buyers.groupby("opening")["wrote_register"].nunique()
    assert (registers == 1).all() and not buyers["opening"].str.contains(r"\{|\}").any()


# --------------------------------------------------------------------------- message_pairs


def test_pairs_say_the_same_thing_two_ways(pairs):
    assert "market" not in pairs.columns and "country" not in pairs.columns
    for pair_id, group in pairs.groupby("pair_id"):
        assert sorted(group["style"]) == ["direct", "indirect"], pair_id
        assert group[["language", "intent", "topic", "meaning"]].nunique().max() == 1, pair_id
        indirect = group[group["style"] == "indirect"].iloc[0]
        parts = [p.strip(" ,") for p in indirect["cue"].replace("…", "...").split("...") if p.strip(" ,")]
        assert parts, f"{pair_id}: the indirect message has no cue"
        for part in parts:
            assert part in indirect["text"].replace("…", "..."), f"{pair_id}: cue {part!r} not in the text"
    assert (pairs.loc[pairs["style"] == "direct", "cue"] == "").all()
    assert set(pairs["language"]) >= {"en", "de", "es", "fr", "ja"}


def test_style_is_not_given_away_by_register_or_length(pairs):
    register = VALUES.address_forms
    assert (pairs["register"] == pairs["address_form"].map(register)).all()
    formal = (pairs["register"] == "formal").groupby(pairs["style"]).mean()
    assert formal.between(0.25, 0.6).all(), formal.to_dict()
    length = pairs["text"].str.len()
    best = max(((length > cut) == (pairs["style"] == "indirect")).mean() for cut in sorted(length.unique()))
    assert best <= 0.72, f"text length tells indirect from direct for {best:.0%} of messages"


# --------------------------------------------------------------------------- errors


def test_bad_value_names_file_row_and_column(tmp_path):
    frame = pd.read_csv(data_dir() / "message_times.csv", dtype=str, keep_default_na=False).head(30)
    frame.loc[7, "buyer_timezone"] = "Europe/Munich"
    bad = tmp_path / "my_times.csv"
    frame.to_csv(bad, index=False)
    with pytest.raises(DataError) as info:
        load("message_times", bad)
    message = str(info.value)
    assert "my_times.csv" in message and "column 'buyer_timezone'" in message and "line 9 (row 7)" in message


def test_bad_content_tables_name_file_and_entry(tmp_path):
    text = (HERE / "peak_seasons.yaml").read_text(encoding="utf-8")
    old = "    fixed: {start: 11-11, end: 11-11}\n"
    assert old in text
    bad = tmp_path / "peak_seasons.yaml"
    bad.write_text(text.replace(old, old + "    dates: {start: 2026-11-11, end: 2026-11-11}\n"), encoding="utf-8")
    with pytest.raises(CaseDataError) as info:
        read_table(bad, peaks_module.Content)
    assert str(bad) in str(info.value) and "give exactly one of" in str(info.value)
    text = (HERE / "message_pairs.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "message_pairs.yaml"
    bad.write_text(text.replace("{address: du,", "{address: Du,", 1), encoding="utf-8")
    with pytest.raises(CaseDataError) as info:
        read_table(bad, pairs_module.Content)
    assert str(bad) in str(info.value) and "address" in str(info.value)


def test_every_column_is_documented():
    text = (data_dir() / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Chapter 03") : text.index("## Chapter 04")]
    for name in NAMES:
        block = section[section.index(f"### {registry[name].file}") :]
        for column in registry[name].columns:
            assert f"| `{column}` |" in block, f"data/README.md: document {name}.csv column {column!r}"
