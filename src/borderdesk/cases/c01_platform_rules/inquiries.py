"""inquiries.csv: B2B inquiries received by a Shenzhen seller, labelled genuine / spy / fraud.

Content: ``inquiries.yaml`` (countries, companies, products, odds) and ``messages/<language>.yaml``
(message fragments). Labels follow the *behaviour* written into the message (links, fees,
requests for personal data, fishing for every price, customer or factory detail ...), never the
sender's country. Every surface feature (greeting, channel, language, IP country, free mail,
quantity, catalogue request, website, send hour, profile) is drawn for every label with odds
that overlap, so none gives a label away (tests/test_label_leak.py).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Literal

from pydantic import ConfigDict, Field, RootModel, model_validator

from ..catalog import Column, Dataset
from ..common import (
    CaseDataError,
    Fakers,
    Table,
    is_weekday_not_holiday,
    placeholders,
    read_table,
    stream,
    to_ascii,
    weighted,
    zone,
    zone_for,
)
from . import AS_OF, CHAPTER, HERE, JOHN_TOM_ID, SELLER_TZ, VALUES

LAST_DAY = AS_OF.date()

Label = Literal[tuple(VALUES.schemes)]
Language = Literal[VALUES.languages]
ByLabel = dict[Label, float]


# --------------------------------------------------------------------------- content tables
class Contact(Table):
    first: str
    last: str


class Country(Table):
    locale: str
    weight: int = Field(gt=0)
    name: str
    native_language: Language | None
    style: str
    legal: tuple[str, ...] = Field(min_length=1)
    tlds: tuple[str, ...] = Field(min_length=1)


class CompanyStyle(Table):
    words: tuple[str, ...] = Field(min_length=1)
    forms: tuple[str, ...] = Field(min_length=1)
    native: tuple[str, ...] = ()  # for a sender writing in the country's own script


class ArabicNames(Table):
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]


class Product(Table):
    names: dict[Language, str]
    specs: tuple[str, ...] = Field(min_length=1)
    component: str
    fob_usd: float = Field(gt=0)

    @model_validator(mode="after")
    def _every_language(self) -> Product:
        missing = [lang for lang in VALUES.languages if lang not in self.names]
        if missing:
            raise ValueError(f"names: add the product's name in {', '.join(missing)}")
        return self


class Business(Table):
    one: str
    many: str


class Odds(Table):
    named_greeting: ByLabel
    states_quantity: ByLabel
    vague: ByLabel
    asks_catalogue: ByLabel
    urgency: ByLabel
    details: dict[Label, tuple[int, ...]]
    scheme_subject: ByLabel
    company: ByLabel
    free_mail: ByLabel
    website_check: dict[Label, dict[Literal[VALUES.domain_kinds], dict[Literal[VALUES.website_checks], int]]]
    send_mode: dict[Label, dict[Literal["business", "offhours", "china", "any"], int]]
    native_language: ByLabel
    same_ip: ByLabel
    channel: dict[Label, dict[Literal[VALUES.channels], int]]
    verified: dict[Label, dict[Literal[VALUES.verification], int]]
    new_profile: ByLabel
    profile_median_days: dict[Label, int]
    earlier_inquiries: dict[Label, dict[int, int]]


class JohnTom(Table):
    sender_name: str
    user: str
    sender_tz: str
    country: str
    product: str
    subject: str
    message: str
    red_flags: tuple[Literal[tuple(VALUES.red_flags)], ...]
    profile_age_days: int = Field(ge=0)
    verified: Literal[VALUES.verification]
    earlier_inquiries: int = Field(ge=0)


class Content(Table):
    count: int = Field(gt=0)
    first_day: date
    seller_contact: dict[str, Contact]
    countries: dict[str, Country]
    company_styles: dict[str, CompanyStyle]
    arabic_names: ArabicNames
    native_english: tuple[str, ...]
    second_language_english: tuple[str, ...]
    major_zones: dict[str, tuple[str, ...]]
    free_mail_extra: tuple[str, ...]
    products: dict[str, Product]
    businesses: tuple[Business, ...]
    agencies: tuple[str, ...]
    link_paths: tuple[str, ...]
    other_ips: dict[str, int]
    spy_other_ips: dict[str, int]
    odds: Odds
    john_tom: JohnTom

    @model_validator(mode="after")
    def _known_countries(self) -> Content:
        for name in ("native_english", "second_language_english", "major_zones"):
            unknown = [cc for cc in getattr(self, name) if cc not in self.countries]
            if unknown:
                raise ValueError(f"{name}: {', '.join(unknown)} not in `countries`")
        styles = sorted({c.style for c in self.countries.values()} - set(self.company_styles))
        if styles:
            raise ValueError(f"company_styles: add {', '.join(styles)} (a style the countries use)")
        if "default" not in self.seller_contact:
            raise ValueError("seller_contact: add `default` (the agent's name in every other language)")
        if self.john_tom.product not in self.products:
            raise ValueError(f"john_tom.product: {self.john_tom.product!r} is not one of the products")
        return self


class Flagged(Table):
    """A fragment of a spy or fraud message, with the red flags its behaviour shows."""

    text: str
    flags: tuple[Literal[tuple(VALUES.red_flags)], ...] = Field(min_length=1)


# Message slots: the plain ones and one per spy or fraud scheme (Flagged texts) in every language,
# the non-native English variants, and subject lines (`subject` for all, `subject_<scheme>` optional).
PLAIN_SLOTS = {
    "greet_named",
    "greet_generic",
    "intro",
    "request",
    "request_noqty",
    "vague",
    "catalogue_ask",
    "detail",
    "urgency",
    "close",
    "sign",
    "subject",
}
NONNATIVE_SLOTS = {"intro_nn", "request_nn", "detail_nn"}  # English only
SCHEME_SLOTS = set(VALUES.all_schemes) - {""}
SCHEME_SUBJECTS = {f"subject_{scheme}" for scheme in SCHEME_SLOTS}
FIELDS = {"contact", "contact_last", "name", "company", "country", "product", "spec", "qty", "component", "biz"}
FIELDS |= {"biz_pl", "link", "fee", "agency", "num", "amount"}


class MessageFile(RootModel[dict[str, tuple[Flagged | str, ...]]]):
    """messages/<language>.yaml: slot -> texts (Flagged ones for the spy and fraud schemes)."""

    model_config = ConfigDict(frozen=True)


def _check_messages(lang: str, slots: Mapping[str, tuple]) -> None:
    path = HERE / "messages" / f"{lang}.yaml"
    known = PLAIN_SLOTS | SCHEME_SLOTS | SCHEME_SUBJECTS | (NONNATIVE_SLOTS if lang == "en" else set())
    problems = []
    for slot, entries in slots.items():
        if slot not in known:
            problems.append(f"slot {slot!r} is not a message slot; known: {', '.join(sorted(known))}")
            continue
        if not entries:
            problems.append(f"slot {slot!r} is empty; give it at least one text or leave it out")
        for i, entry in enumerate(entries, start=1):
            flagged = isinstance(entry, Flagged)
            if flagged != (slot in SCHEME_SLOTS):
                need = "a mapping with `text` and `flags`" if slot in SCHEME_SLOTS else "a plain text"
                problems.append(f"slot {slot!r} entry {i}: must be {need}")
                continue
            unknown = placeholders(entry.text if flagged else entry) - FIELDS
            if unknown:
                problems.append(
                    f"slot {slot!r} entry {i}: unknown placeholder(s) {sorted(unknown)}; known: {sorted(FIELDS)}"
                )
    # every language has every scheme: a scheme written only in English would tie language to label
    required = PLAIN_SLOTS | SCHEME_SLOTS | (NONNATIVE_SLOTS if lang == "en" else set())
    missing = sorted(required - set(slots))
    if missing:
        problems.append(f"add the slot(s) {', '.join(missing)} (every language fills every slot)")
    if problems:
        raise CaseDataError(f"{path} has {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))


@cache
def content() -> Content:
    return read_table(HERE / "inquiries.yaml", Content)


@cache
def messages(lang: str) -> dict[str, tuple]:
    """The message fragments of one language, by slot."""
    path = HERE / "messages" / f"{lang}.yaml"
    if not path.is_file():
        raise CaseDataError(f"no message fragments for language {lang!r}: add {path}")
    slots = read_table(path, MessageFile).root
    _check_messages(lang, slots)
    return slots


# --------------------------------------------------------------------------- people and companies
def _person(rng: random.Random, fake, country: Country, language: str) -> tuple[str, str]:
    """(full name as the sender signs, surname): in Latin letters unless writing in Russian."""
    c = content()
    male = rng.random() < 0.6
    if country.style == "ar":
        names = c.arabic_names
        return f"{rng.choice(names.male if male else names.female)} {(last := rng.choice(names.last))}", last
    if country.style == "ja":
        return f"{fake.first_romanized_name()} {(last := fake.last_romanized_name())}", last
    first = fake.first_name_male() if male and hasattr(fake, "first_name_male") else fake.first_name_female()
    if male and hasattr(fake, "last_name_male"):
        last = fake.last_name_male()
    else:
        last = fake.last_name_female() if hasattr(fake, "last_name_female") else fake.last_name()
    if country.style == "ru" and language != "ru":  # a Russian writing in another language signs in Latin letters
        first, last = to_ascii(fake, first).title(), to_ascii(fake, last).title()
    return f"{first} {last}", last


def _company(rng: random.Random, country: Country, language: str, last: str) -> str:
    """A trading company of the country's style, named after a family (``last``)."""
    style = content().company_styles[country.style]
    if style.native and language == country.native_language:
        return rng.choice(style.native).format(last=last)
    form = rng.choice(style.forms)
    return form.format(last=last, word=rng.choice(style.words), legal=rng.choice(country.legal))


LEGAL_WORDS = r"(llc|inc|ltd|gmbh|e-k|sarl|sas|s-l|s-r-l|b-v|sp-z-o-o|ag|lda|ltda|s-a-de-c-v|s-a-s|spa|sti|est|co"
LEGAL_WORDS += r"|fze|pvt|pty|corp|enterprises|pt|ooo)"


def _slug(fake, company: str) -> str:
    """The company's name as a web domain: transliterated, legal forms dropped."""
    slug = re.sub(r"[^a-z0-9]+", "-", to_ascii(fake, company).lower()).strip("-")
    for _ in range(3):  # legal forms at either end, e.g. "ooo-tekhnoimport" or "keller-handel-gmbh"
        slug = re.sub(rf"(^{LEGAL_WORDS}-|-{LEGAL_WORDS}$)", "", slug)
    return slug.replace("-", "") if len(slug) <= 14 else slug


def _user(fake, name: str) -> str:
    """The local part of an e-mail address, from the name."""
    base = to_ascii(fake, name).replace(" ", fake.random.choice([".", "_", ""])).lower()
    return re.sub(r"[^a-z0-9._-]", "", base) or fake.user_name()


def _send_time(rng: random.Random, mode: str, cc: str, tz: str) -> datetime:
    """A UTC send time drawn by mode: business hours where the sender claims to be, off hours there,
    Chinese working hours, or any time."""
    start = content().first_day
    span = (LAST_DAY - start).days
    local_cc, local_tz, hours = cc, tz, range(8, 19)
    if mode == "china":
        local_cc, local_tz, hours = "CN", SELLER_TZ, range(9, 18)
    elif mode == "offhours":
        hours = [20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6]
    elif mode == "any":
        hours = range(24)
    while True:
        d = start + timedelta(days=rng.randrange(span + 1))
        if mode in ("any", "offhours") or is_weekday_not_holiday(local_cc, d):
            break
    local = datetime(
        d.year, d.month, d.day, rng.choice(list(hours)), rng.randrange(60), rng.randrange(60), tzinfo=zone(local_tz)
    )
    return local.astimezone(UTC)


def _profile_age(rng: random.Random, label: str, new: bool, earlier: int) -> int:
    """The account's age in days: under 30 for a new account, else log-normal around the label's median."""
    if new:  # a sender with earlier inquiries has had the account for two weeks at least
        return rng.randrange(14 if earlier else 0, 30)
    median = content().odds.profile_median_days[label]
    return max(30, min(4000, round(median * math.exp(rng.gauss(0, 0.9)))))


# --------------------------------------------------------------------------- messages
def _fill(template: str, ctx: dict) -> str:
    return template.format(**ctx)


def _pick(rng: random.Random, items, ctx: dict) -> str:
    usable = [t for t in items if "{company}" not in t or ctx["company"]]
    return _fill(rng.choice(usable), ctx)


def _compose(rng: random.Random, label: str, scheme: str, lang: str, nonnative: bool, ctx: dict):
    """Return (subject, message, flags, states_quantity).

    Every label draws the same surface parts (greeting, request with or without a quantity,
    catalogue request, details, urgency); spy and fraud messages add their scheme's behaviour."""
    odds = content().odds
    en = messages("en")
    pool = messages(lang)

    def slot(key: str):
        return en[key + "_nn"] if lang == "en" and nonnative and rng.random() < 0.7 else pool[key]

    flags: list[str] = []
    named = rng.random() < odds.named_greeting[label]
    parts = [_fill(rng.choice(pool["greet_named" if named else "greet_generic"]), ctx)]
    if not named:
        flags.append("generic_greeting")
    parts.append(_pick(rng, slot("intro") if lang == "en" else pool["intro"], ctx))
    states_qty = rng.random() < odds.states_quantity[label]
    if states_qty:
        parts.append(_pick(rng, slot("request"), ctx))
    elif rng.random() < odds.vague[label]:
        parts.append(_pick(rng, pool["vague"], ctx))
        flags.append("no_product_detail")
    else:
        parts.append(_pick(rng, pool["request_noqty"], ctx))
    if rng.random() < odds.asks_catalogue[label]:
        parts.append(_pick(rng, pool["catalogue_ask"], ctx))
        flags.append("asks_catalogue")
    if label == "spy":
        others = [s for s in VALUES.schemes["spy"] if s != scheme]
        for ask in [scheme] + ([rng.choice(others)] if rng.random() < 0.3 else []):
            fragment = rng.choice(pool[ask])
            parts.append(_fill(fragment.text, ctx))
            flags += fragment.flags
    elif label == "fraud":
        fragment = rng.choice(pool[scheme])
        parts.append(_fill(fragment.text, ctx))
        flags += fragment.flags
        states_qty = states_qty or "{qty}" in fragment.text
    details = slot("detail")
    k = min(len(details), rng.choice(odds.details[label]))
    parts += [_fill(t, ctx) for t in rng.sample(details, k=k)]
    if "urgency" not in flags and rng.random() < odds.urgency[label]:
        parts.append(rng.choice(pool["urgency"]))
        flags.append("urgency")
    parts += [rng.choice(pool["close"]), _pick(rng, pool["sign"], ctx)]
    own = pool.get(f"subject_{scheme}")
    subjects = own if own and rng.random() < odds.scheme_subject[label] else pool["subject"]
    subject = _fill(rng.choice(subjects), ctx)
    subject = subject[0].upper() + subject[1:]
    return subject, re.sub(r"\.\.(?=\s|$)", ".", " ".join(parts)), sorted(set(flags)), states_qty


# --------------------------------------------------------------------------- rows
def _john_tom(fakers: Fakers, received: datetime) -> dict:
    jt = content().john_tom
    domain = fakers(content().countries[jt.country].locale).free_email_domain()
    return dict(
        received=received,
        sender_tz=jt.sender_tz,
        channel="email",
        sender_name=jt.sender_name,
        sender_email=f"{jt.user}@{domain}",
        email_domain=domain,
        domain_kind="free_mail",
        claimed_company="",
        claimed_website="",
        website_check="none",
        claimed_country=jt.country,
        ip_country=jt.country,
        profile_age_days=str(jt.profile_age_days),
        verified=jt.verified,
        earlier_inquiries=str(jt.earlier_inquiries),
        language="en",
        product=content().products[jt.product].names["en"],
        quantity="",
        subject=jt.subject,
        message=jt.message,
        label="fraud",
        scheme="personal_data",
        red_flags=";".join(jt.red_flags),
    )


def _inquiry(
    rng: random.Random, fakers: Fakers, label: str, scheme: str, cc: str, in_native: bool, profile: tuple
) -> dict:
    c = content()
    odds = c.odds
    country = c.countries[cc]
    fake = fakers(country.locale)
    lang = country.native_language if country.native_language and in_native else "en"
    nonnative = cc not in c.native_english and rng.random() < (0.35 if cc in c.second_language_english else 0.6)
    tz = zone_for(rng, cc, c.major_zones)
    received = _send_time(rng, weighted(rng, odds.send_mode[label]), cc, tz)

    name, last = _person(rng, fake, country, lang)
    owner = last if rng.random() < 0.5 else _person(rng, fake, country, lang)[1]  # the sender's family or another
    company = _company(rng, country, lang, owner) if rng.random() < odds.company[label] else ""
    domain_kind = "free_mail" if rng.random() < odds.free_mail[label] or not company else "corporate"
    website_check = weighted(rng, odds.website_check[label][domain_kind]) if company else "none"
    user = _user(fake, name)
    if domain_kind == "free_mail":
        domain = fake.free_email_domain() if rng.random() < 0.6 else rng.choice(c.free_mail_extra)
        if rng.random() < 0.5:
            user += str(rng.randrange(1, 9999))
        website = {
            "none": "",
            "mismatch": f"www.{fake.domain_word()}-{rng.choice(['group', 'trade', 'shop'])}.com",
            "new_domain": f"www.{_slug(fake, company)}.{rng.choice(['com', 'shop', 'store'])}",
        }.get(website_check, "")
    else:
        domain = f"{_slug(fake, company)}.{rng.choice(country.tlds)}"
        if rng.random() < 0.3:
            user = rng.choice(["sales", "info", "purchasing", "import", "office"])
        website = {
            "ok": f"www.{domain}",
            "new_domain": f"www.{domain}",
            "mismatch": f"www.{fake.domain_word()}-{rng.choice(['group', 'trade', 'shop'])}.com",
            "none": "",
        }[website_check]
    if rng.random() < odds.same_ip[label]:
        ip_country = cc
    else:
        ip_country = weighted(rng, c.spy_other_ips if label == "spy" else c.other_ips)
    new, verified, earlier = profile
    age = _profile_age(rng, label, new, earlier)
    if verified == "business_verified" and not company:
        verified = "email_verified"  # the platform verifies a business, so there must be one

    pkey = rng.choice(list(c.products))
    product = c.products[pkey]
    qty = rng.choice([50, 100, 200, 300, 500, 1000, 2000, 3000, 5000])
    biz = rng.choice(c.businesses)
    link_host = (
        f"{rng.choice(['trade', 'secure', 'order', 'docs', 'supplier'])}-"
        f"{rng.choice(['docs', 'po-view', 'mail', 'b2b-portal', 'verify'])}{rng.randrange(10, 99)}"
    )
    contact = c.seller_contact.get(lang, c.seller_contact["default"])
    ctx = dict(
        contact=contact.first,
        contact_last=contact.last,
        name=name,
        company=company,
        country=country.name,
        product=product.names[lang],
        spec=rng.choice(product.specs),
        qty=qty,
        component=product.component,
        biz=biz.one,
        biz_pl=biz.many,
        link=f"http://{link_host}.{rng.choice(['com', 'net', 'top', 'xyz'])}/{rng.choice(c.link_paths)}",
        fee=rng.choice([180, 250, 350, 480, 600]),
        agency=rng.choice(c.agencies),
        num=rng.randrange(10000, 99999),
        amount=rng.choice([3200, 4850, 7600, 12400]),
    )
    subject, message, flags, states_qty = _compose(rng, label, scheme, lang, nonnative, ctx)
    return dict(
        received=received,
        sender_tz=tz,
        channel=_channel(rng, label, scheme),
        sender_name=name,
        sender_email=f"{user}@{domain}",
        email_domain=domain,
        domain_kind=domain_kind,
        claimed_company=company,
        claimed_website=website,
        website_check=website_check,
        claimed_country=cc,
        ip_country=ip_country,
        profile_age_days=str(age),
        verified=verified,
        earlier_inquiries=str(earlier),
        language=lang,
        product=product.names["en"],
        quantity=str(qty) if states_qty else "",
        subject=subject,
        message=message,
        label=label,
        scheme=scheme,
        red_flags=";".join(flags),
    )


def _channel(rng: random.Random, label: str, scheme: str) -> str:
    channels = dict(content().odds.channel[label])
    if scheme in ("fake_po_signin", "phishing_link", "overpayment"):  # links and payment talk stay off rfq
        channels.pop("rfq", None)
    return weighted(rng, channels)


def _quota(rng: random.Random, weights: Mapping, n: int) -> list:
    """n keys of ``weights``, each as often as its share of n rounds to (largest remainders), shuffled."""
    total = sum(weights.values())
    exact = {key: n * weight / total for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: counts[k] - exact[k])[: n - sum(counts.values())]:
        counts[key] += 1
    keys = [key for key, count in counts.items() for _ in range(count)]
    rng.shuffle(keys)
    return keys


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    rng = stream(seed, "inquiries")
    fakers = Fakers(seed)
    n = content().count
    n_spy = n_fraud = n // 5
    n_fraud -= 1  # John Tom is the last fraud row
    c = content()
    rows = []
    for label, count in (("genuine", n - n_spy - n_fraud - 1), ("spy", n_spy), ("fraud", n_fraud)):
        schemes = VALUES.schemes[label]
        # every label gets the same mix of claimed countries and of native-language messages, up to
        # rounding: no country or language is more often spy or fraud than another, not even by chance
        countries = _quota(rng, {cc: country.weight for cc, country in c.countries.items()}, count)
        share = c.odds.native_language[label]
        native = {}
        for cc, country in c.countries.items():
            if country.native_language:
                rows_of = [i for i, k in enumerate(countries) if k == cc]
                native |= dict(zip(rows_of, _quota(rng, {True: share, False: 1 - share}, len(rows_of)), strict=True))
        # the triage columns, too, follow their label's odds exactly
        odds = c.odds
        new = _quota(rng, {True: odds.new_profile[label], False: 1 - odds.new_profile[label]}, count)
        verified = _quota(rng, odds.verified[label], count)
        earlier = _quota(rng, odds.earlier_inquiries[label], count)
        for i, cc in enumerate(countries):
            profile = (new[i], verified[i], earlier[i])
            rows.append(_inquiry(rng, fakers, label, schemes[i % len(schemes)], cc, native.get(i, False), profile))
    rows.sort(key=lambda r: r["received"])
    k = int(JOHN_TOM_ID.split("-")[1]) - 1  # John Tom lands at a fixed id, between two neighbours in time
    between = rows[k - 1]["received"] + (rows[k]["received"] - rows[k - 1]["received"]) / 2
    rows.insert(k, _john_tom(fakers, between.replace(microsecond=0)))
    for i, row in enumerate(rows, start=1):
        received: datetime = row.pop("received")
        row["inquiry_id"] = f"INQ-{i:04d}"
        row["received_utc"] = received.strftime("%Y-%m-%d %H:%M:%S+00:00")
    return rows


ISO2 = dict(pattern=r"^[A-Z]{2}$", pattern_name="ISO alpha-2 code")

DATASET = Dataset(
    name="inquiries",
    chapter=CHAPTER,
    file="inquiries.csv",
    description="B2B inquiries received by a Shenzhen seller, labelled genuine / spy / fraud",
    generator=generate,
    schema={
        "inquiry_id": Column("str", pattern=r"^INQ-\d{4}$", unique=True),
        "received_utc": Column("utc"),
        "sender_tz": Column("str", timezone=True),
        "channel": Column("str", isin=VALUES.channels),
        "sender_name": Column("str", min_length=1),
        "sender_email": Column("str", pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
        "email_domain": Column("str", min_length=3),
        "domain_kind": Column("str", isin=VALUES.domain_kinds),
        "claimed_company": Column("str"),
        "claimed_website": Column("str"),
        "website_check": Column("str", isin=VALUES.website_checks),
        "claimed_country": Column("str", **ISO2),
        "ip_country": Column("str", **ISO2),
        "profile_age_days": Column("int", ge=0),
        "verified": Column("str", isin=VALUES.verification),
        "earlier_inquiries": Column("int", ge=0),
        "language": Column("str", isin=VALUES.languages),
        "product": Column("str", min_length=1),
        "quantity": Column("int", gt=0, nullable=True),
        "subject": Column("str", min_length=1),
        "message": Column("str", min_length=10),
        "label": Column("str", isin=tuple(VALUES.schemes)),
        "scheme": Column("str", isin=tuple(VALUES.all_schemes)),
        "red_flags": Column("str", items_in=tuple(VALUES.red_flags)),
    },
)
