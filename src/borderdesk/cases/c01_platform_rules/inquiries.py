"""inquiries.csv: B2B inquiries received by a Shenzhen seller, labelled genuine / spy / fraud.

Content: ``inquiries.yaml`` (countries, products, odds) and ``messages/<language>.yaml``
(message fragments). Labels follow the *behaviour* written into the message (links, fees,
requests for personal data, fishing for price lists ...), never the sender's country.
Context signals (free mail, IP country, send hour, website check) are drawn with
label-dependent odds that overlap, so they are weak evidence, as in real life.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

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
    zone_for,
)
from . import AS_OF, CHAPTER, HERE, JOHN_TOM_ID, SELLER_TZ, VALUES

LAST_DAY = AS_OF.date()

Label = Literal[tuple(VALUES.schemes)]
Language = Literal[VALUES.languages]


# --------------------------------------------------------------------------- content tables
class Country(Table):
    locale: str
    weight: int = Field(gt=0)
    name: str
    native_language: Language | None


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
    free_mail: dict[Label, float]
    website_check: dict[Label, dict[Literal[VALUES.domain_kinds], dict[Literal[VALUES.website_checks], int]]]
    send_mode: dict[Label, dict[Literal["business", "offhours", "china", "any"], int]]
    native_language: dict[Label, float]
    same_ip: dict[Label, float]
    channel: dict[Label, dict[Literal[VALUES.channels], int]]


class JohnTom(Table):
    sender_name: str
    user: str
    sender_tz: str
    country: str
    product: str
    subject: str
    message: str
    red_flags: tuple[Literal[tuple(VALUES.red_flags)], ...]


class Content(Table):
    count: int = Field(gt=0)
    first_day: date
    seller_contact: str
    countries: dict[str, Country]
    native_english: tuple[str, ...]
    second_language_english: tuple[str, ...]
    major_zones: dict[str, tuple[str, ...]]
    free_mail_extra: tuple[str, ...]
    products: dict[str, Product]
    businesses: tuple[Business, ...]
    agencies: tuple[str, ...]
    link_paths: tuple[str, ...]
    travel_ips: tuple[str, ...]
    odds: Odds
    john_tom: JohnTom

    @model_validator(mode="after")
    def _known_countries(self) -> Content:
        for name in ("native_english", "second_language_english", "major_zones"):
            unknown = [cc for cc in getattr(self, name) if cc not in self.countries]
            if unknown:
                raise ValueError(f"{name}: {', '.join(unknown)} not in `countries`")
        if self.john_tom.product not in self.products:
            raise ValueError(f"john_tom.product: {self.john_tom.product!r} is not one of the products")
        return self


class Flagged(Table):
    """A fragment of a spy or fraud message, with the red flags its behaviour shows."""

    text: str
    flags: tuple[Literal[tuple(VALUES.red_flags)], ...] = Field(min_length=1)


# Message slots: the plain ones (every language), one per spy or fraud scheme (Flagged texts; a
# scheme a language leaves out is written in English), then subject lines.
PLAIN_SLOTS = {
    "greet_named",
    "greet_generic",
    "intro",
    "request",
    "request_noqty",
    "vague",
    "detail",
    "urgency",
    "close",
    "sign",
    "spy_product",
}
NONNATIVE_SLOTS = {"intro_nn", "request_nn", "detail_nn"}  # English only
SCHEME_SLOTS = set(VALUES.all_schemes) - {""}
LABEL_SUBJECTS = {f"subject_{label}" for label in VALUES.schemes}  # every language needs these
SUBJECT_SLOTS = LABEL_SUBJECTS | {f"subject_{scheme}" for scheme in SCHEME_SLOTS}
FIELDS = {"contact", "name", "company", "country", "product", "spec", "qty", "component", "biz", "biz_pl"}
FIELDS |= {"link", "fee", "agency", "num", "amount", "big"}


class MessageFile(RootModel[dict[str, tuple[Flagged | str, ...]]]):
    """messages/<language>.yaml: slot -> texts (Flagged ones for the spy and fraud schemes)."""

    model_config = ConfigDict(frozen=True)


def _check_messages(lang: str, slots: Mapping[str, tuple]) -> None:
    path = HERE / "messages" / f"{lang}.yaml"
    known = PLAIN_SLOTS | SCHEME_SLOTS | SUBJECT_SLOTS | (NONNATIVE_SLOTS if lang == "en" else set())
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
    required = PLAIN_SLOTS | LABEL_SUBJECTS | (NONNATIVE_SLOTS | SCHEME_SLOTS if lang == "en" else set())
    missing = sorted(required - set(slots))
    if missing:
        problems.append(
            f"add the slot(s) {', '.join(missing)}" + (" (English fills every slot)" if lang == "en" else "")
        )
    spy = [s for s in VALUES.schemes["spy"] if s in slots]
    if len(spy) == 1:
        problems.append(f"give two spy schemes or none (a spy may ask twice); only {spy[0]!r} is here")
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


# --------------------------------------------------------------------------- people and addresses
def _person(fake, cc: str, language: str) -> str:
    if cc == "JP":
        return f"{fake.first_romanized_name()} {fake.last_romanized_name()}"
    male = hasattr(fake, "first_name_male") and fake.random.random() < 0.6
    first = fake.first_name_male() if male else fake.first_name_female()
    last = (
        fake.last_name_male()
        if male and hasattr(fake, "last_name_male")
        else (fake.last_name_female() if hasattr(fake, "last_name_female") else fake.last_name())
    )
    name = f"{first} {last}"
    if cc == "RU" and language != "ru":  # a Russian writing in English signs in Latin letters
        name = to_ascii(fake, name).title()
    return name


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 for ch in text)


def _company(fake, cc: str, language: str) -> str:
    company = fake.company()
    if cc == "JP":  # Faker's Japanese companies are in kanji; buyers write them in Latin letters
        return f"{fake.last_romanized_name()} {fake.random.choice(['Shoji', 'Trading', 'Corporation'])}"
    if cc == "RU" and language != "ru":
        return re.sub(r"[\"<>]", "", to_ascii(fake, company)).title()
    return company


def _user(fake, name: str) -> str:
    """The local part of an e-mail address: from the name when it is in Latin letters."""
    base = to_ascii(fake, name) if _is_latin(name) else fake.user_name()
    base = base.replace(" ", fake.random.choice([".", "_", ""])).lower()
    return re.sub(r"[^a-z0-9._-]", "", base) or fake.user_name()


def _slug(fake, company: str) -> str:
    if not _is_latin(company):
        return re.sub(r"[^a-z0-9-]", "", fake.domain_word()) or "trade"
    slug = re.sub(r"[^a-z0-9]+", "-", to_ascii(fake, company).lower()).strip("-")
    slug = re.sub(r"-(inc|ltd|llc|gmbh|sa|s-a|plc|group|e-g|kg|ag|me|tbk|pt|a-s)$", "", slug)
    return slug if len(slug) >= 4 else fake.domain_word()


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
        d.year, d.month, d.day, rng.choice(list(hours)), rng.randrange(60), rng.randrange(60), tzinfo=ZoneInfo(local_tz)
    )
    return local.astimezone(UTC)


# --------------------------------------------------------------------------- messages
def _fill(template: str, ctx: dict) -> str:
    return template.format(**ctx)


def _pick(rng: random.Random, items, ctx: dict) -> str:
    usable = [t for t in items if "{company}" not in t or ctx["company"]]
    return _fill(rng.choice(usable), ctx)


def _compose(rng: random.Random, label: str, scheme: str, lang: str, nonnative: bool, ctx: dict):
    """Return (subject, message, flags, states_quantity)."""
    en = messages("en")
    pool = messages(lang)

    def nn(key: str):
        return en[key + "_nn"] if lang == "en" and nonnative and rng.random() < 0.7 else pool[key]

    flags: list[str] = []
    named = label == "genuine" and rng.random() < 0.45 or label == "spy" and rng.random() < 0.3
    greet = _fill(rng.choice(pool["greet_named" if named else "greet_generic"]), ctx)
    if not named:
        flags.append("generic_greeting")
    parts = [greet, _pick(rng, nn("intro") if lang == "en" else pool["intro"], ctx)]
    states_qty = False
    if label == "genuine":
        r = rng.random()
        if r < 0.68:
            parts.append(_pick(rng, nn("request"), ctx))
            states_qty = True
        elif r < 0.88:
            parts.append(_pick(rng, pool["request_noqty"], ctx))
        else:
            parts.append(_pick(rng, pool["vague"], ctx))
            flags.append("no_product_detail")
        details = nn("detail")
        parts += [_fill(t, ctx) for t in rng.sample(details, k=min(len(details), rng.choice([1, 1, 2, 3])))]
    elif label == "spy":
        spy_schemes = VALUES.schemes["spy"]
        asks = [scheme] + (
            [rng.choice([s for s in spy_schemes if s in pool and s != scheme])] if rng.random() < 0.35 else []
        )
        for ask in asks:
            fragment = rng.choice(pool[ask])
            parts.append(_fill(fragment.text, ctx))
            flags += fragment.flags
        parts.append(_fill(rng.choice(pool["spy_product"]), ctx))
        if rng.random() < 0.6:
            flags.append("no_product_detail")
    else:
        fragment = rng.choice(pool[scheme])
        parts.append(_fill(fragment.text, ctx))
        flags += fragment.flags
        states_qty = "{qty}" in fragment.text
        if "{qty}" not in fragment.text and "{product}" not in fragment.text:
            flags.append("no_product_detail")
    if rng.random() < (0.08 if label == "genuine" else 0.25) and "urgency" not in flags:
        parts.append(rng.choice(pool["urgency"]))
        flags.append("urgency")
    parts += [rng.choice(pool["close"]), _pick(rng, pool["sign"], ctx)]
    subjects = list(pool.get(f"subject_{scheme}", ())) + (
        list(pool[f"subject_{label}"]) if label != "fraud" or f"subject_{scheme}" not in pool else []
    )
    subject = _fill(rng.choice(subjects), ctx)
    if lang == "en" and label == "genuine":
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
        language="en",
        product=content().products[jt.product].names["en"],
        quantity="",
        subject=jt.subject,
        message=jt.message,
        label="fraud",
        scheme="personal_data",
        red_flags=";".join(jt.red_flags),
    )


def _inquiry(rng: random.Random, fakers: Fakers, label: str, scheme: str) -> dict:
    c = content()
    odds = c.odds
    countries = list(c.countries)
    cc = rng.choices(countries, weights=[c.countries[k].weight for k in countries])[0]  # same for every label
    country = c.countries[cc]
    fake = fakers(country.locale)
    lang = "en"
    native = country.native_language
    if native and rng.random() < odds.native_language[label]:
        lang = native
        if label != "genuine" and scheme not in messages(native):
            lang = "en"
    nonnative = cc not in c.native_english and rng.random() < (0.35 if cc in c.second_language_english else 0.6)
    tz = zone_for(rng, cc, c.major_zones)
    received = _send_time(rng, weighted(rng, odds.send_mode[label]), cc, tz)

    name = _person(fake, cc, lang)
    company = _company(fake, cc, lang) if rng.random() < (0.85 if label == "genuine" else 0.7) else ""
    domain_kind = "free_mail" if rng.random() < odds.free_mail[label] or not company else "corporate"
    website_check = weighted(rng, odds.website_check[label][domain_kind])
    if website_check != "none" and not company:
        website_check = "none"
    user = _user(fake, name)
    if domain_kind == "free_mail":
        domain = fake.free_email_domain() if rng.random() < 0.6 else rng.choice(c.free_mail_extra)
        if rng.random() < 0.5:
            user += str(rng.randrange(1, 9999))
        website = {
            "none": "",
            "mismatch": f"www.{_slug(fake, company)}.{fake.tld()}",
            "new_domain": f"www.{_slug(fake, company)}.{rng.choice(['com', 'shop', 'store'])}",
        }.get(website_check, "")
    else:
        domain = f"{_slug(fake, company)}.{fake.tld()}"
        if rng.random() < 0.3:
            user = rng.choice(["sales", "info", "purchasing", "import", "office"])
        website = {
            "ok": f"www.{domain}",
            "new_domain": f"www.{domain}",
            "mismatch": f"www.{fake.domain_word()}-{rng.choice(['group', 'trade', 'shop'])}.com",
            "none": "",
        }[website_check]
    ip_country = (
        cc
        if rng.random() < odds.same_ip[label]
        else (
            rng.choice(["CN", "CN", "HK"])
            if label == "spy" and rng.random() < 0.8
            else rng.choice(list(c.travel_ips) if label == "genuine" else countries + list(c.travel_ips))
        )
    )

    pkey = rng.choice(list(c.products))
    product = c.products[pkey]
    qty = rng.choice([50, 100, 200, 300, 500, 1000, 2000, 3000, 5000])
    biz = rng.choice(c.businesses)
    link_host = (
        f"{rng.choice(['trade', 'secure', 'order', 'docs', 'supplier'])}-"
        f"{rng.choice(['docs', 'po-view', 'mail', 'b2b-portal', 'verify'])}{rng.randrange(10, 99)}"
    )
    ctx = dict(
        contact=c.seller_contact,
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
        big=rng.choice([20000, 50000, 100000]),
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
    if scheme in ("fake_po_signin", "phishing_link", "overpayment"):  # sent where a link can be clicked
        return rng.choice(["email", "email", "inquiry_form"])
    return weighted(rng, content().odds.channel[label])


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    rng = stream(seed, "inquiries")
    fakers = Fakers(seed)
    n = content().count
    n_spy = n_fraud = n // 5
    n_fraud -= 1  # John Tom is the last fraud row
    plan = [("genuine", "")] * (n - n_spy - n_fraud - 1)
    for label, count in (("spy", n_spy), ("fraud", n_fraud)):
        schemes = VALUES.schemes[label]
        plan += [(label, schemes[i % len(schemes)]) for i in range(count)]
    rows = [_inquiry(rng, fakers, label, scheme) for label, scheme in plan]
    rows.sort(key=lambda r: r["received"])
    k = int(JOHN_TOM_ID.split("-")[1]) - 1  # John Tom lands at a fixed id, between two neighbours in time
    between = rows[k - 1]["received"] + (rows[k]["received"] - rows[k - 1]["received"]) / 2
    rows.insert(k, _john_tom(fakers, between.replace(microsecond=0)))
    for i, row in enumerate(rows, start=1):
        received: datetime = row.pop("received")
        row["inquiry_id"] = f"INQ-{i:04d}"
        row["received_utc"] = received.strftime("%Y-%m-%d %H:%M:%S+00:00")
        row["sent_local_sender"] = received.astimezone(ZoneInfo(row["sender_tz"])).strftime("%Y-%m-%d %H:%M:%S")
        row["sent_local_seller"] = received.astimezone(ZoneInfo(SELLER_TZ)).strftime("%Y-%m-%d %H:%M:%S")
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
        "sent_local_sender": Column("datetime"),
        "sent_local_seller": Column("datetime"),
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
