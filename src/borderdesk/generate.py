"""Generate the synthetic case data of chapter 01 (inquiries, orders, disputes).

Everything here is invented: names, companies and e-mail addresses come from
Faker's locale providers, time zones from ``zoneinfo``/``tzdata``, public
holidays from ``holidays``. The same seed gives the same bytes::

    python -m borderdesk.generate data/          # or: borderdesk data

Labels of the inquiries follow the *behaviour* written into the message
(links, fees, requests for personal data, fishing for price lists ...), never
the sender's country. Context signals (free mail, IP country, send hour,
website check) are drawn with label-dependent odds that overlap, so they are
weak evidence, as in real life.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import numpy as np
from faker import Faker

from borderdesk.datasets import AS_OF, JOHN_TOM_ID, SELLER_TZ, STATUS_DATE

DEFAULT_SEED = 20260930
FIRST_ORDER_DAY = date(2026, 5, 1)
LAST_DAY = AS_OF.date()
STATUS_DAY = STATUS_DATE.date()  # order statuses (shipping, delivery, feedback, claims) as recorded then
INQUIRY_START = date(2026, 7, 1)
N_INQUIRIES = 420
SELLER_CONTACT = "Lily"  # the seller's English working name used by buyers who read the profile

# --------------------------------------------------------------------------- helpers


def _iso(d: date | None) -> str:
    return "" if d is None else d.isoformat()


def _money(x: float) -> str:
    return f"{x:.2f}"


def _write_csv(path: Path, columns: list[str], rows: list[dict], key: str) -> Path:
    rows = sorted(rows, key=lambda r: r[key])
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row[c] for c in columns})
    return path


def _weighted(rng: random.Random, table: dict):
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


@cache
def _zone_tab() -> dict[str, list[str]]:
    text = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text()
    zones: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        if line and not line.startswith("#"):
            cc, _, zone = line.split("\t")[:3]
            zones[cc].append(zone)
    return zones


# Countries with several zones: the populous ones (zone.tab lists them geographically).
MAJOR_ZONES = {
    "US": ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"],
    "CA": ["America/Toronto", "America/Vancouver"],
    "AU": ["Australia/Sydney", "Australia/Perth"],
    "BR": ["America/Sao_Paulo"],
    "RU": ["Europe/Moscow"],
    "MX": ["America/Mexico_City"],
    "AR": ["America/Argentina/Buenos_Aires"],
    "ID": ["Asia/Jakarta"],
}


def _zone_for(rng: random.Random, cc: str) -> str:
    return rng.choice(MAJOR_ZONES.get(cc) or _zone_tab()[cc][:1])


@cache
def _calendar(cc: str):
    return holidays.country_holidays(cc, years=[2026])


def _is_business_day(cc: str, d: date) -> bool:
    cal = _calendar(cc)
    return d.weekday() not in cal.weekend and d not in cal


# --------------------------------------------------------------------------- inquiries
# country: (faker locale, weight, English name, native language or None)
COUNTRIES = {
    "US": ("en_US", 14, "the USA", None),
    "GB": ("en_GB", 7, "the UK", None),
    "DE": ("de_DE", 7, "Germany", "de"),
    "FR": ("fr_FR", 4, "France", None),
    "ES": ("es_ES", 5, "Spain", "es"),
    "IT": ("it_IT", 3, "Italy", None),
    "NL": ("nl_NL", 2, "the Netherlands", None),
    "PL": ("pl_PL", 2, "Poland", None),
    "AT": ("de_AT", 1, "Austria", "de"),
    "CH": ("de_CH", 1, "Switzerland", "de"),
    "PT": ("pt_PT", 1, "Portugal", "pt"),
    "CA": ("en_CA", 3, "Canada", None),
    "MX": ("es_MX", 4, "Mexico", "es"),
    "BR": ("pt_BR", 5, "Brazil", "pt"),
    "AR": ("es_AR", 2, "Argentina", "es"),
    "CO": ("es_CO", 2, "Colombia", "es"),
    "CL": ("es_CL", 2, "Chile", "es"),
    "RU": ("ru_RU", 5, "Russia", "ru"),
    "TR": ("tr_TR", 4, "Turkey", None),
    "SA": ("ar_SA", 3, "Saudi Arabia", None),
    "AE": ("ar_SA", 3, "the UAE", None),
    "EG": ("ar_SA", 2, "Egypt", None),
    "IN": ("en_IN", 6, "India", None),
    "PK": ("en_PK", 3, "Pakistan", None),
    "BD": ("en_BD", 1, "Bangladesh", None),
    "NG": ("en_NG", 4, "Nigeria", None),
    "KE": ("en_KE", 2, "Kenya", None),
    "ZA": ("zu_ZA", 2, "South Africa", None),
    "JP": ("ja_JP", 3, "Japan", None),
    "AU": ("en_AU", 3, "Australia", None),
    "ID": ("id_ID", 2, "Indonesia", None),
    "PH": ("en_PH", 2, "the Philippines", None),
    "VN": ("vi_VN", 1, "Vietnam", None),
    "TH": ("en_TH", 1, "Thailand", None),
}
NATIVE_ENGLISH = {"US", "GB", "CA", "AU"}
SECOND_LANGUAGE_ENGLISH = {"IN", "PK", "BD", "NG", "KE", "ZA", "PH"}
FREE_MAIL_EXTRA = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com"]

# product key: names by language, English specs, component for factory questions, FOB USD
PRODUCTS = {
    "earbuds": (
        {
            "en": "wireless earbuds",
            "es": "auriculares inalámbricos",
            "de": "kabellose Ohrhörer",
            "pt": "fones de ouvido sem fio",
            "ru": "беспроводные наушники",
        },
        ["with Bluetooth 5.3", "with active noise cancelling", "in matt black"],
        "Bluetooth chips",
        6.5,
    ),
    "powerbank": (
        {
            "en": "10000 mAh power banks",
            "es": "baterías externas de 10000 mAh",
            "de": "Powerbanks mit 10000 mAh",
            "pt": "carregadores portáteis de 10000 mAh",
            "ru": "внешние аккумуляторы на 10000 мА·ч",
        },
        ["with 22.5 W fast charging", "with USB-C in and out", "with a digital display"],
        "battery cells",
        7.8,
    ),
    "cable": (
        {
            "en": "USB-C charging cables",
            "es": "cables de carga USB-C",
            "de": "USB-C-Ladekabel",
            "pt": "cabos de carregamento USB-C",
            "ru": "кабели USB-C",
        },
        ["1 m and 2 m long", "braided nylon", "rated for 60 W"],
        "copper wire",
        0.9,
    ),
    "lamp": (
        {
            "en": "LED desk lamps",
            "es": "lámparas LED de escritorio",
            "de": "LED-Schreibtischlampen",
            "pt": "luminárias LED de mesa",
            "ru": "настольные светодиодные лампы",
        },
        ["with three colour temperatures", "with a wireless charger in the base", "foldable"],
        "LED modules",
        9.5,
    ),
    "watch": (
        {
            "en": "smart watches",
            "es": "relojes inteligentes",
            "de": "Smartwatches",
            "pt": "relógios inteligentes",
            "ru": "смарт-часы",
        },
        ["with heart-rate sensor", "waterproof to IP68", "with Spanish and Arabic menus"],
        "display panels",
        14.0,
    ),
    "sweater": (
        {
            "en": "knitted sweaters",
            "es": "suéteres de punto",
            "de": "Strickpullover",
            "pt": "suéteres de tricô",
            "ru": "вязаные свитера",
        },
        ["in sizes S to XXL", "in 100% cotton", "in five colours"],
        "yarn",
        8.0,
    ),
    "yogamat": (
        {
            "en": "yoga mats",
            "es": "esterillas de yoga",
            "de": "Yogamatten",
            "pt": "tapetes de ioga",
            "ru": "коврики для йоги",
        },
        ["6 mm thick", "made of TPE", "with a carrying strap"],
        "TPE foam",
        4.2,
    ),
    "holder": (
        {
            "en": "car phone holders",
            "es": "soportes de móvil para coche",
            "de": "Handyhalterungen fürs Auto",
            "pt": "suportes de celular para carro",
            "ru": "автомобильные держатели для телефона",
        },
        ["with a magnetic mount", "for air vents", "with wireless charging"],
        "magnets",
        2.1,
    ),
}

# Message fragments: lists of (text, flags). Flags are the behaviour the text shows.
G = "generic_greeting"
EN = {
    "greet_named": ["Dear {contact},", "Hi {contact},", "Hello {contact},", "Good day {contact},"],
    "greet_generic": [
        "Dear Sir/Madam,",
        "Dear Seller,",
        "Hello,",
        "Dear Supplier,",
        "Good morning sir,",
        "Hello dear,",
    ],
    "intro": [
        "I am {name}, purchasing manager at {company} in {country}.",
        "We are {company}, {biz} based in {country}.",
        "My name is {name} and I run a small online shop in {country}.",
        "We found your store while looking for new suppliers of {product}.",
        "I buy for a chain of {biz_pl} in {country} and your {product} caught my eye.",
    ],
    "intro_nn": [
        "This is {name} from {company}, {country}.",
        "We are importer in {country} and we are interesting in your {product}.",
        "I saw your products on the website and I am very interest.",
        "Our company is doing the business of {product} in {country} since many years.",
        "I am {name}, we are buying {product} for our shops in {country}.",
    ],
    "request": [
        "Please quote your best price for {qty} pcs of {product} {spec}.",
        "We would like a quotation for {qty} units of {product}, {spec}.",
        "Could you send price and lead time for {qty} pcs of {product}?",
        "We plan a first order of {qty} pieces of {product} and, if the quality is good, regular monthly orders.",
    ],
    "request_nn": [
        "Kindly quote us for {qty}pcs {product} {spec}.",
        "Pls send me the price of {product}, quantity {qty} pcs.",
        "We need {qty} pcs {product}, what is your best price?",
        "I want buy {qty} pcs of {product} {spec}, please give me price.",
    ],
    "request_noqty": [
        "What is your MOQ for {product} {spec}, and the price at that quantity?",
        "Please tell me the price of {product} {spec} and the minimum order.",
    ],
    "vague": [
        "Please send me the price. Thanks.",
        "I am interested in this product, please send details.",
        "Interested in your product. Price?",
        "Send me more information please.",
    ],
    "detail": [
        "Do you have CE and RoHS certificates for this model?",
        "Can you print our logo on the product and on the gift box?",
        "What is the production lead time after the deposit?",
        "Please quote FOB Shenzhen and also CIF to {country}.",
        "We usually pay 30% deposit and 70% before shipment by T/T. Is that fine for you?",
        "We would pay through Trade Assurance.",
        "Can you send one sample first? We will pay for the sample and the courier.",
        "What is the carton size and gross weight?",
        "Do you have it in stock or is it made to order?",
    ],
    "detail_nn": [
        "Logo printing is possible?",
        "How many days for production?",
        "Pls tell me shipping cost to {country} by sea.",
        "Sample is available? We pay for it.",
        "Which payment you accept, T/T or L/C?",
    ],
    "urgency": [
        "We need your offer today because our customer is waiting.",
        "Urgent please, we must confirm the order this week.",
    ],
    "close": [
        "Looking forward to your reply.",
        "Thank you in advance.",
        "Waiting your quick reply.",
        "Have a nice day.",
        "Hope to start a long cooperation.",
    ],
    "sign": ["Best regards, {name}", "Regards, {name}, {company}", "Kind regards, {name}", "{name} | {company}"],
    # spy: fishing for information a real buyer of one item does not need
    "price_list": [
        (
            "Please send us your complete price list for every product you make, with prices for each quantity level.",
            "asks_full_price_list",
        ),
        ("Kindly send full price list of all models, we will choose later.", "asks_full_price_list"),
        (
            "Before we talk about one item we need the price of every item in your range, ex-factory.",
            "asks_full_price_list",
        ),
    ],
    "catalogue": [
        (
            "Please send your full catalogue with all models, including new designs that are not online yet.",
            "asks_catalogue",
        ),
        ("Can you e-mail the complete catalogue and the specification sheet of every model?", "asks_catalogue"),
        (
            "Send me all your catalogues please, the newest ones, with price of each model.",
            "asks_catalogue;asks_full_price_list",
        ),
    ],
    "customer_names": [
        (
            "Which companies in {country} do you already supply? Please give us their names so "
            "we can check references.",
            "asks_customer_list",
        ),
        ("To trust you we need the names and contacts of your customers in Europe and the USA.", "asks_customer_list"),
        (
            "Who are your biggest buyers for this item? We want to be sure we do not sell against them.",
            "asks_customer_list",
        ),
    ],
    "factory_details": [
        (
            "How many production lines and workers do you have, and who supplies your {component}?",
            "asks_factory_details",
        ),
        (
            "Please tell us your factory address, your monthly capacity and your material cost per unit.",
            "asks_factory_details",
        ),
        ("Which {component} supplier do you use, and what price do you pay them?", "asks_factory_details"),
    ],
    "spy_product": [
        "We are interested in {product} and other items.",
        "Quantity will be big.",
        "We buy many kinds of {product}.",
    ],
    # fraud
    "phishing_link": [
        ("Please see our product requirements and drawings in the file here: {link}", "external_link"),
        (
            "The specification of the {product} we need is on our server, open the link to download it: {link}",
            "external_link",
        ),
        ("Check the order list at {link} and give us your quotation today.", "external_link;urgency"),
    ],
    "fake_po_signin": [
        (
            "A buyer has sent you purchase order PO-{num}. Sign in with your seller account "
            "to view and confirm it: {link}",
            "external_link;signin_request",
        ),
        (
            "Your order confirmation is pending. Log in with your e-mail and password at {link} "
            "within 24 hours or the order will be cancelled.",
            "external_link;signin_request;urgency",
        ),
    ],
    "advance_fee": [
        (
            "Before we place the order of {qty} pcs our government needs a product registration "
            "certificate from {agency}. The fee is USD {fee}; please pay the agency directly and "
            "we send the PO right after.",
            "fee_request",
        ),
        (
            "We only work with suppliers tested by {agency}. You must pay the testing fee of "
            "USD {fee} first; we refund it with our first payment.",
            "fee_request",
        ),
        (
            "We can also supply you {component} at less than half of the market price, you only "
            "pay a registration fee of USD {fee} to {agency}.",
            "fee_request;price_far_below_market",
        ),
    ],
    "personal_data": [
        (
            "For our supplier file please send a copy of your passport or ID card, your home "
            "address and your personal mobile number.",
            "personal_data_request",
        ),
        (
            "Our accountant must verify you: send the card number and expiry date of the "
            "company card and the full name of the holder.",
            "card_details_request;personal_data_request",
        ),
        ("Please send your date of birth, ID number and home address to open the contract.", "personal_data_request"),
    ],
    "sample_scam": [
        (
            "We only need free samples of all your models first, please send them by express at your "
            "cost; after testing we will order {big} pcs.",
            "sample_only",
        ),
        ("Send the samples first. We never pay for samples, but the order will be very big.", "sample_only"),
    ],
    "overpayment": [
        (
            "Our payment will be USD {amount}, more than your invoice. Please send the difference "
            "to our shipping agent by Western Union.",
            "overpayment_offer",
        ),
        (
            "By mistake we transferred USD {amount} too much, kindly refund the balance to our forwarder today.",
            "overpayment_offer;urgency",
        ),
    ],
    "subject_genuine": [
        "Inquiry about {product}",
        "Quotation request: {product}",
        "RFQ - {product}",
        "{product} price",
        "Question about your {product}",
    ],
    "subject_spy": ["Cooperation", "Inquiry", "New project", "Business proposal"],
    "subject_price_list": ["Price list request", "Full price list"],
    "subject_catalogue": ["Catalogue please", "Request for catalogue"],
    "subject_fraud": ["Inquiry", "Urgent order", "New order"],
    "subject_phishing_link": ["Product requirements", "Order list attached"],
    "subject_fake_po_signin": ["Purchase Order PO-{num}", "Re: order confirmation", "Action required: PO-{num}"],
    "subject_advance_fee": ["Supplier registration", "Certification before order"],
    "subject_sample_scam": ["Samples request", "Free samples"],
    "subject_overpayment": ["Payment notice", "Payment sent - please check"],
}

OTHER = {
    "es": {
        "greet_named": ["Hola {contact},", "Estimada {contact}:"],
        "greet_generic": ["Buenos días,", "Estimados señores:", "Hola,"],
        "intro": [
            "Soy {name}, de {company}.",
            "Tenemos una tienda online y buscamos proveedor de {product}.",
            "Me llamo {name} y compro para varias tiendas.",
        ],
        "request": [
            "Necesitamos {qty} unidades de {product}, ¿cuál sería el precio?",
            "Por favor, envíenos cotización para {qty} piezas de {product}.",
        ],
        "request_noqty": ["¿Cuál es el pedido mínimo de {product} y su precio?"],
        "vague": ["Me interesa el producto, ¿precio?", "Envíeme información, por favor."],
        "detail": [
            "¿Pueden poner nuestro logo?",
            "¿Cuánto tarda la producción?",
            "¿Cuánto cuesta el envío marítimo a nuestro puerto?",
            "Pagamos la muestra, ¿es posible?",
        ],
        "urgency": ["Es urgente, necesitamos respuesta hoy."],
        "close": ["Quedo atento a su respuesta.", "Gracias de antemano."],
        "sign": ["Saludos, {name}", "Un saludo, {name}"],
        "price_list": [("Envíenos la lista completa de precios de todos sus productos.", "asks_full_price_list")],
        "catalogue": [("Mándenos el catálogo completo, también los modelos nuevos.", "asks_catalogue")],
        "spy_product": ["Compramos de todo, la cantidad será grande."],
        "fake_po_signin": [
            (
                "Le hemos enviado la orden de compra PO-{num}. Inicie sesión para verla: {link}",
                "external_link;signin_request",
            )
        ],
        "advance_fee": [("Antes del pedido debe pagar el certificado de {agency}, USD {fee}.", "fee_request")],
        "subject_genuine": ["Consulta {product}", "Cotización {product}"],
        "subject_spy": ["Lista de precios", "Catálogo"],
        "subject_fraud": ["Orden de compra PO-{num}", "Pedido urgente"],
    },
    "de": {
        "greet_named": ["Hallo {contact},", "Sehr geehrte Frau {contact},"],
        "greet_generic": ["Sehr geehrte Damen und Herren,", "Guten Tag,"],
        "intro": [
            "mein Name ist {name} von {company}.",
            "wir sind ein Onlinehändler und suchen {product}.",
            "ich kaufe für mehrere Geschäfte ein.",
        ],
        "request": [
            "Bitte senden Sie uns ein Angebot für {qty} Stück {product}.",
            "Wir benötigen {qty} Stück {product}. Wie ist Ihr Preis?",
        ],
        "request_noqty": ["Wie hoch ist die Mindestbestellmenge für {product} und der Preis?"],
        "vague": ["Bitte Preis senden.", "Ich interessiere mich für das Produkt, bitte mehr Infos."],
        "detail": [
            "Haben Sie eine CE-Konformitätserklärung?",
            "Ist ein Logodruck möglich?",
            "Wie lange dauert die Produktion?",
            "Können wir ein Muster kaufen?",
        ],
        "urgency": ["Es ist dringend, wir brauchen das Angebot heute."],
        "close": ["Vielen Dank im Voraus.", "Ich freue mich auf Ihre Antwort."],
        "sign": ["Mit freundlichen Grüßen, {name}", "Viele Grüße, {name}"],
        "price_list": [
            ("Senden Sie uns bitte Ihre vollständige Preisliste für alle Produkte.", "asks_full_price_list")
        ],
        "catalogue": [("Bitte schicken Sie den kompletten Katalog mit allen Modellen.", "asks_catalogue")],
        "spy_product": ["Die Menge wird groß sein."],
        "fake_po_signin": [
            ("Eine Bestellung PO-{num} wartet auf Sie. Melden Sie sich hier an: {link}", "external_link;signin_request")
        ],
        "advance_fee": [
            ("Vor der Bestellung müssen Sie die Zertifizierung bei {agency} bezahlen (USD {fee}).", "fee_request")
        ],
        "subject_genuine": ["Anfrage {product}", "Preisanfrage {product}"],
        "subject_spy": ["Preisliste", "Katalog"],
        "subject_fraud": ["Bestellung PO-{num}", "Dringende Bestellung"],
    },
    "pt": {
        "greet_named": ["Olá {contact},", "Prezada {contact},"],
        "greet_generic": ["Bom dia,", "Prezados,", "Olá,"],
        "intro": [
            "Sou {name}, da {company}.",
            "Temos uma loja virtual e procuramos {product}.",
            "Meu nome é {name}, compro para algumas lojas.",
        ],
        "request": [
            "Precisamos de {qty} unidades de {product}, qual o preço?",
            "Por favor, envie cotação para {qty} peças de {product}.",
        ],
        "request_noqty": ["Qual é o pedido mínimo de {product} e o preço?"],
        "vague": ["Tenho interesse, qual o preço?", "Mande mais informações, por favor."],
        "detail": [
            "Vocês colocam nossa logo?",
            "Qual o prazo de produção?",
            "Quanto custa o frete até o Brasil?",
            "Podemos comprar uma amostra?",
        ],
        "urgency": ["É urgente, preciso da resposta hoje."],
        "close": ["Aguardo retorno.", "Obrigado desde já."],
        "sign": ["Abraço, {name}", "Atenciosamente, {name}"],
        "price_list": [("Envie a tabela de preços completa de todos os produtos.", "asks_full_price_list")],
        "catalogue": [("Mande o catálogo completo, com os lançamentos também.", "asks_catalogue")],
        "spy_product": ["A quantidade vai ser grande."],
        "fake_po_signin": [("Enviamos o pedido PO-{num}. Faça login para ver: {link}", "external_link;signin_request")],
        "advance_fee": [("Antes do pedido é preciso pagar o registro na {agency}, USD {fee}.", "fee_request")],
        "subject_genuine": ["Cotação {product}", "Dúvida sobre {product}"],
        "subject_spy": ["Tabela de preços", "Catálogo"],
        "subject_fraud": ["Pedido PO-{num}", "Pedido urgente"],
    },
    "ru": {
        "greet_named": ["Здравствуйте, {contact}!", "Добрый день, {contact}!"],
        "greet_generic": ["Здравствуйте!", "Добрый день!"],
        "intro": [
            "Меня зовут {name}, компания {company}.",
            "Мы интернет-магазин, ищем поставщика: {product}.",
            "Я закупаю товары для нескольких магазинов.",
        ],
        "request": [
            "Нужно {qty} шт., товар: {product}. Какая цена?",
            "Пришлите, пожалуйста, предложение на {qty} шт. ({product}).",
        ],
        "request_noqty": ["Какой минимальный заказ ({product}) и цена?"],
        "vague": ["Интересует товар, цена?", "Пришлите информацию, пожалуйста."],
        "detail": [
            "Можно нанести наш логотип?",
            "Сколько дней производство?",
            "Сколько стоит доставка до Москвы?",
            "Можно купить образец?",
        ],
        "urgency": ["Срочно, ответ нужен сегодня."],
        "close": ["Жду ответа.", "Заранее спасибо."],
        "sign": ["С уважением, {name}", "{name}"],
        "price_list": [("Пришлите полный прайс-лист на всю продукцию.", "asks_full_price_list")],
        "catalogue": [("Пришлите полный каталог, включая новые модели.", "asks_catalogue")],
        "spy_product": ["Объём будет большой."],
        "fake_po_signin": [
            (
                "Для вас размещён заказ PO-{num}. Войдите в аккаунт, чтобы его увидеть: {link}",
                "external_link;signin_request",
            )
        ],
        "advance_fee": [("Перед заказом нужно оплатить сертификат в {agency}, USD {fee}.", "fee_request")],
        "subject_genuine": ["Запрос цены", "Вопрос по товару"],
        "subject_spy": ["Прайс-лист", "Каталог"],
        "subject_fraud": ["Заказ PO-{num}", "Срочный заказ"],
    },
}

SCHEMES = {
    "spy": ["price_list", "catalogue", "customer_names", "factory_details"],
    "fraud": ["phishing_link", "fake_po_signin", "advance_fee", "personal_data", "sample_scam", "overpayment"],
}
BIZ = [
    ("a retailer of consumer electronics", "electronics stores"),
    ("a wholesaler", "discount stores"),
    ("a distributor", "sports shops"),
    ("an online store", "gift shops"),
    ("an importer", "fashion boutiques"),
]
AGENCY_WORDS = [
    "International Quality Bureau",
    "Global Standards Registry",
    "Import Certification Office",
    "Trade Compliance Agency",
]
LINK_PATHS = ["po/view", "secure/login", "docs/order.html", "account/verify", "files/rfq.pdf.html"]

# Context odds by label (weak signals that overlap on purpose)
FREE_MAIL_P = {"genuine": 0.42, "spy": 0.55, "fraud": 0.72}
WEBSITE_ODDS = {  # (label, domain_kind) -> website_check odds
    ("genuine", "corporate"): {"ok": 88, "new_domain": 7, "mismatch": 5},
    ("genuine", "free_mail"): {"none": 50, "mismatch": 40, "new_domain": 10},
    ("spy", "corporate"): {"ok": 60, "new_domain": 25, "mismatch": 15},
    ("spy", "free_mail"): {"none": 60, "mismatch": 30, "new_domain": 10},
    ("fraud", "corporate"): {"ok": 20, "new_domain": 50, "mismatch": 30},
    ("fraud", "free_mail"): {"none": 60, "mismatch": 25, "new_domain": 15},
}
SEND_MODE = {
    "genuine": {"business": 82, "offhours": 12, "china": 6},
    "spy": {"china": 60, "business": 30, "offhours": 10},
    "fraud": {"any": 45, "business": 30, "offhours": 20, "china": 5},
}
NATIVE_LANGUAGE_P = {"genuine": 0.6, "spy": 0.35, "fraud": 0.25}
SAME_IP_P = {"genuine": 0.86, "spy": 0.45, "fraud": 0.4}
TRAVEL_IPS = ["CN", "HK", "AE", "SG", "US", "DE"]


class _Fakers:
    """One seeded Faker per locale, created on first use."""

    def __init__(self, seed: int):
        self.seed = seed
        self._cache: dict[str, Faker] = {}

    def __call__(self, locale: str) -> Faker:
        if locale not in self._cache:
            fake = Faker(locale)
            fake.seed_instance(f"{self.seed}-{locale}")
            self._cache[locale] = fake
        return self._cache[locale]


def _ascii(fake: Faker, text: str) -> str:
    internet = next(p for p in fake.get_providers() if type(p).__module__.startswith("faker.providers.internet"))
    return internet._to_ascii(text)


def _person(fake: Faker, cc: str, language: str) -> str:
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
        name = _ascii(fake, name).title()
    return name


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 for ch in text)


def _company(fake: Faker, cc: str, language: str) -> str:
    company = fake.company()
    if cc == "JP":  # Faker's Japanese companies are in kanji; buyers write them in Latin letters
        return f"{fake.last_romanized_name()} {fake.random.choice(['Shoji', 'Trading', 'Corporation'])}"
    if cc == "RU" and language != "ru":
        return re.sub(r"[\"<>]", "", _ascii(fake, company)).title()
    return company


def _user(fake: Faker, name: str) -> str:
    """The local part of an e-mail address: from the name when it is in Latin letters."""
    base = _ascii(fake, name) if _is_latin(name) else fake.user_name()
    base = base.replace(" ", fake.random.choice([".", "_", ""])).lower()
    return re.sub(r"[^a-z0-9._-]", "", base) or fake.user_name()


def _slug(fake: Faker, company: str) -> str:
    if not _is_latin(company):
        return re.sub(r"[^a-z0-9-]", "", fake.domain_word()) or "trade"
    slug = re.sub(r"[^a-z0-9]+", "-", _ascii(fake, company).lower()).strip("-")
    slug = re.sub(r"-(inc|ltd|llc|gmbh|sa|s-a|plc|group|e-g|kg|ag|me|tbk|pt|a-s)$", "", slug)
    return slug if len(slug) >= 4 else fake.domain_word()


def _send_time(rng: random.Random, mode: str, cc: str, tz: str) -> datetime:
    """A UTC send time drawn by mode: business hours where the sender claims to be, off hours there,
    Chinese working hours, or any time."""
    span = (LAST_DAY - INQUIRY_START).days
    local_cc, local_tz, hours = cc, tz, range(8, 19)
    if mode == "china":
        local_cc, local_tz, hours = "CN", SELLER_TZ, range(9, 18)
    elif mode == "offhours":
        hours = [20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6]
    elif mode == "any":
        hours = range(24)
    while True:
        d = INQUIRY_START + timedelta(days=rng.randrange(span + 1))
        if mode in ("any", "offhours") or _is_business_day(local_cc, d):
            break
    local = datetime(
        d.year, d.month, d.day, rng.choice(list(hours)), rng.randrange(60), rng.randrange(60), tzinfo=ZoneInfo(local_tz)
    )
    return local.astimezone(UTC)


def _fill(template: str, ctx: dict) -> str:
    return template.format(**ctx)


def _pick(rng: random.Random, items: list, ctx: dict) -> str:
    usable = [t for t in items if "{company}" not in t or ctx["company"]]
    return _fill(rng.choice(usable), ctx)


def _compose(rng: random.Random, label: str, scheme: str, lang: str, nonnative: bool, ctx: dict):
    """Return (subject, message, flags, states_quantity)."""
    pool = EN if lang == "en" else OTHER[lang]

    def nn(key: str) -> list:
        return EN[key + "_nn"] if lang == "en" and nonnative and rng.random() < 0.7 else pool[key]

    flags: list[str] = []
    named = label == "genuine" and rng.random() < 0.45 or label == "spy" and rng.random() < 0.3
    greet = _fill(rng.choice(pool["greet_named" if named else "greet_generic"]), ctx)
    if not named:
        flags.append(G)
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
        asks = [scheme] + (
            [rng.choice([s for s in SCHEMES["spy"] if s in pool and s != scheme])] if rng.random() < 0.35 else []
        )
        for ask in asks:
            text, fl = rng.choice(pool[ask])
            parts.append(_fill(text, ctx))
            flags += fl.split(";")
        parts.append(_fill(rng.choice(pool["spy_product"]), ctx))
        if rng.random() < 0.6:
            flags.append("no_product_detail")
    else:
        text, fl = rng.choice(pool[scheme])
        parts.append(_fill(text, ctx))
        flags += fl.split(";")
        states_qty = "{qty}" in text
        if "{qty}" not in text and "{product}" not in text:
            flags.append("no_product_detail")
    if rng.random() < (0.08 if label == "genuine" else 0.25) and "urgency" not in flags:
        parts.append(rng.choice(pool["urgency"]))
        flags.append("urgency")
    parts += [rng.choice(pool["close"]), _pick(rng, pool["sign"], ctx)]
    subjects = pool.get(f"subject_{scheme}", []) + (
        pool[f"subject_{label}"] if label != "fraud" or f"subject_{scheme}" not in pool else []
    )
    subject = _fill(rng.choice(subjects), ctx)
    if lang == "en" and label == "genuine":
        subject = subject[0].upper() + subject[1:]
    return subject, re.sub(r"\.\.(?=\s|$)", ".", " ".join(parts)), sorted(set(flags)), states_qty


def _john_tom(fakers: _Fakers, received: datetime) -> dict:
    fake = fakers("en_US")
    domain = fake.free_email_domain()
    message = (
        "Dear customer service, I am John Tom and would like to order sweaters from your company. Kindly "
        "reply by e-mail with the sizes, styles and prices you have in stock now, and tell me which credit "
        "cards you take for payment. Please also e-mail me your full name and a phone number where I can "
        "call you to place the order. Yours, Mr. John Tom"
    )
    tz = "America/New_York"
    return dict(
        received=received,
        sender_tz=tz,
        channel="email",
        sender_name="John Tom",
        sender_email=f"john_tom36@{domain}",
        email_domain=domain,
        domain_kind="free_mail",
        claimed_company="",
        claimed_website="",
        website_check="none",
        claimed_country="US",
        ip_country="US",
        language="en",
        product=PRODUCTS["sweater"][0]["en"],
        quantity="",
        subject="Order of Sweater",
        message=message,
        label="fraud",
        scheme="personal_data",
        red_flags="card_details_request;generic_greeting;no_product_detail;personal_data_request",
    )


def _inquiry(rng: random.Random, fakers: _Fakers, label: str, scheme: str) -> dict:
    countries = list(COUNTRIES)
    cc = rng.choices(countries, weights=[COUNTRIES[c][1] for c in countries])[0]  # same for every label
    locale, _, country_name, native = COUNTRIES[cc]
    fake = fakers(locale)
    lang = "en"
    if native and rng.random() < NATIVE_LANGUAGE_P[label]:
        lang = native
        if label != "genuine" and scheme not in OTHER[native]:
            lang = "en"
    nonnative = cc not in NATIVE_ENGLISH and rng.random() < (0.35 if cc in SECOND_LANGUAGE_ENGLISH else 0.6)
    tz = _zone_for(rng, cc)
    received = _send_time(rng, _weighted(rng, SEND_MODE[label]), cc, tz)

    name = _person(fake, cc, lang)
    company = _company(fake, cc, lang) if rng.random() < (0.85 if label == "genuine" else 0.7) else ""
    domain_kind = "free_mail" if rng.random() < FREE_MAIL_P[label] or not company else "corporate"
    website_check = _weighted(rng, WEBSITE_ODDS[(label, domain_kind)])
    if website_check != "none" and not company:
        website_check = "none"
    user = _user(fake, name)
    if domain_kind == "free_mail":
        domain = fake.free_email_domain() if rng.random() < 0.6 else rng.choice(FREE_MAIL_EXTRA)
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
        if rng.random() < SAME_IP_P[label]
        else (
            rng.choice(["CN", "CN", "HK"])
            if label == "spy" and rng.random() < 0.8
            else rng.choice(TRAVEL_IPS if label == "genuine" else countries + TRAVEL_IPS)
        )
    )

    pkey = rng.choice(list(PRODUCTS))
    names, specs, component, fob = PRODUCTS[pkey]
    qty = rng.choice([50, 100, 200, 300, 500, 1000, 2000, 3000, 5000])
    biz, biz_pl = rng.choice(BIZ)
    link_host = (
        f"{rng.choice(['trade', 'secure', 'order', 'docs', 'supplier'])}-"
        f"{rng.choice(['docs', 'po-view', 'mail', 'b2b-portal', 'verify'])}{rng.randrange(10, 99)}"
    )
    ctx = dict(
        contact=SELLER_CONTACT,
        name=name,
        company=company,
        country=country_name,
        product=names[lang],
        spec=rng.choice(specs),
        qty=qty,
        component=component,
        biz=biz,
        biz_pl=biz_pl,
        link=f"http://{link_host}.{rng.choice(['com', 'net', 'top', 'xyz'])}/{rng.choice(LINK_PATHS)}",
        fee=rng.choice([180, 250, 350, 480, 600]),
        agency=rng.choice(AGENCY_WORDS),
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
        product=PRODUCTS[pkey][0]["en"],
        quantity=str(qty) if states_qty else "",
        subject=subject,
        message=message,
        label=label,
        scheme=scheme,
        red_flags=";".join(flags),
    )


def _channel(rng: random.Random, label: str, scheme: str) -> str:
    if scheme in ("fake_po_signin", "phishing_link", "overpayment"):
        return rng.choice(["email", "email", "inquiry_form"])
    odds = {
        "genuine": {"inquiry_form": 45, "chat": 20, "email": 15, "rfq": 20},
        "spy": {"inquiry_form": 50, "chat": 25, "email": 20, "rfq": 5},
    }.get(label, {"inquiry_form": 50, "chat": 20, "email": 30})
    return _weighted(rng, odds)


INQUIRY_COLUMNS = [
    "inquiry_id",
    "received_utc",
    "sender_tz",
    "sent_local_sender",
    "sent_local_seller",
    "channel",
    "sender_name",
    "sender_email",
    "email_domain",
    "domain_kind",
    "claimed_company",
    "claimed_website",
    "website_check",
    "claimed_country",
    "ip_country",
    "language",
    "product",
    "quantity",
    "subject",
    "message",
    "label",
    "scheme",
    "red_flags",
]


def make_inquiries(seed: int = DEFAULT_SEED) -> list[dict]:
    rng = random.Random(f"{seed}-inquiries")
    fakers = _Fakers(seed)
    n_spy = n_fraud = N_INQUIRIES // 5
    n_fraud -= 1  # John Tom is the last fraud row
    plan = [("genuine", "")] * (N_INQUIRIES - n_spy - n_fraud - 1)
    for label, count in (("spy", n_spy), ("fraud", n_fraud)):
        plan += [(label, SCHEMES[label][i % len(SCHEMES[label])]) for i in range(count)]
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


# --------------------------------------------------------------------------- orders
MARKETS = {
    # daily orders, currency, price range, handling business days, promise days after ship-by, id prefixes
    "amazon.com": dict(
        daily=22,
        currency="USD",
        price=(9, 90),
        handling=2,
        promise=16,
        prefixes=["111", "112", "113", "114"],
        carriers={"USPS": 30, "UPS": 15, "FedEx": 10, "YunExpress": 25, "Yanwen": 10, "4PX": 10},
    ),
    "amazon.co.uk": dict(
        daily=9,
        currency="GBP",
        price=(7, 70),
        handling=2,
        promise=15,
        prefixes=["202", "203"],
        carriers={"Royal Mail": 35, "Evri": 25, "YunExpress": 25, "4PX": 15},
    ),
    "amazon.de": dict(
        daily=10,
        currency="EUR",
        price=(8, 80),
        handling=2,
        promise=15,
        prefixes=["302", "303", "304"],
        carriers={"DHL": 35, "Hermes": 15, "DPD": 15, "YunExpress": 25, "Yanwen": 10},
    ),
    "amazon.es": dict(
        daily=6,
        currency="EUR",
        price=(8, 75),
        handling=2,
        promise=16,
        prefixes=["405", "406"],
        carriers={"Correos": 40, "SEUR": 20, "YunExpress": 25, "4PX": 15},
    ),
    "amazon.co.jp": dict(
        daily=7,
        currency="JPY",
        price=(1200, 12000),
        handling=3,
        promise=14,
        prefixes=["249", "250", "503"],
        carriers={"Japan Post": 35, "Yamato": 25, "YunExpress": 20, "Yanwen": 20},
    ),
    "amazon.sa": dict(
        daily=6,
        currency="SAR",
        price=(35, 330),
        handling=3,
        promise=18,
        prefixes=["171", "402"],
        carriers={"Aramex": 40, "SMSA": 30, "YunExpress": 20, "4PX": 10},
    ),
}
EXPRESS = {"UPS", "FedEx", "DHL", "SEUR", "Yamato", "Aramex"}
CROSS_BORDER = {"Yanwen", "4PX", "YunExpress"}

# The story behind the breaches (documented in data/README.md):
LATE_SHIP_P = {"normal": 0.012, ("amazon.de", date(2026, 9, 14)): 0.10}  # DE: warehouse backlog from 14 Sep
INVALID_TRACKING_P = {"normal": 0.008, ("amazon.co.jp", date(2026, 9, 1)): 0.10}  # JP: untracked service in Sep
DEFECT_BOOST = {("amazon.sa", date(2026, 8, 1)): 7.0}  # SA: courier problems Aug-Sep
CANCEL_7D = {"amazon.com": (0.011, 0.03)}  # (seller, buyer) share in the 7-day window; default below
CANCEL_DEFAULT = (0.005, 0.012)
CANCEL_P = (0.008, 0.02)  # outside the 7-day window


def _since(table: dict, market: str, day: date) -> float:
    for key, value in table.items():
        if key != "normal" and key[0] == market and day >= key[1]:
            return value
    return table.get("normal", 1.0)


def _add_business_days(d: date, n: int, is_holiday=lambda d: False) -> date:
    while n:
        d += timedelta(days=1)
        if d.weekday() < 5 and not is_holiday(d):
            n -= 1
    return d


def _tracking_id(rng: random.Random, carrier: str) -> str:
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    letters = lambda n: "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))  # noqa: E731
    return {
        "USPS": lambda: "9400" + digits(18),
        "UPS": lambda: "1Z" + letters(2) + digits(14),
        "FedEx": lambda: digits(12),
        "Royal Mail": lambda: letters(2) + digits(9) + "GB",
        "Evri": lambda: "H" + digits(15),
        "DHL": lambda: "00340" + digits(15),
        "Hermes": lambda: digits(14),
        "DPD": lambda: "0" + digits(13),
        "Correos": lambda: "PQ" + letters(2) + digits(15) + "ES",
        "SEUR": lambda: digits(13),
        "Japan Post": lambda: digits(11),
        "Yamato": lambda: digits(12),
        "Aramex": lambda: digits(11),
        "SMSA": lambda: "29" + digits(10),
        "Yanwen": lambda: "UG" + digits(9) + "YP",
        "4PX": lambda: "4PX30" + digits(13) + "CN",
        "YunExpress": lambda: "YT" + digits(16),
    }[carrier]()


ORDER_COLUMNS = [
    "order_id",
    "marketplace",
    "order_date",
    "ship_by_date",
    "shipped_date",
    "carrier",
    "tracking_id",
    "tracking_valid",
    "latest_est_delivery",
    "delivered_date",
    "cancelled_by",
    "feedback_stars",
    "atoz_claim",
    "chargeback",
    "order_total",
    "currency",
]


def make_orders(seed: int = DEFAULT_SEED) -> list[dict]:
    rng = random.Random(f"{seed}-orders")
    counts = np.random.default_rng(seed).poisson
    days = [FIRST_ORDER_DAY + timedelta(days=i) for i in range((LAST_DAY - FIRST_ORDER_DAY).days + 1)]
    skeleton: list[tuple[str, date]] = []
    for day in days:
        season = 1.0 + 0.25 * (day - FIRST_ORDER_DAY).days / len(days) + (0.1 if day.weekday() >= 5 else 0.0)
        for market, spec in MARKETS.items():
            skeleton += [(market, day)] * int(counts(spec["daily"] * season))

    # cancellations: drawn freely, then set exactly inside the 7-day window so the verdicts are stable
    cancelled = [
        rng.choices(["seller", "buyer", "none"], weights=[CANCEL_P[0], CANCEL_P[1], 1 - sum(CANCEL_P)])[0]
        for _ in skeleton
    ]
    window_start = LAST_DAY - timedelta(days=6)
    for market in MARKETS:
        idx = [i for i, (m, d) in enumerate(skeleton) if m == market and d >= window_start]
        seller_share, buyer_share = CANCEL_7D.get(market, CANCEL_DEFAULT)
        n_seller, n_buyer = round(seller_share * len(idx)), round(buyer_share * len(idx))
        chosen = rng.sample(idx, n_seller + n_buyer)
        for i in idx:
            cancelled[i] = "none"
        for j, i in enumerate(chosen):
            cancelled[i] = "seller" if j < n_seller else "buyer"

    used_ids: set[str] = set()
    rows = []
    for (market, day), cancel in zip(skeleton, cancelled):
        spec = MARKETS[market]
        while True:
            oid = f"{rng.choice(spec['prefixes'])}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
            if oid not in used_ids:
                used_ids.add(oid)
                break
        lo, hi = spec["price"]
        total = rng.uniform(lo, hi)
        total = round(total) if spec["currency"] == "JPY" else round(total, 2)
        ship_by = _add_business_days(day, spec["handling"])
        latest = ship_by + timedelta(days=spec["promise"])
        row = dict(
            order_id=oid,
            marketplace=market,
            order_date=_iso(day),
            ship_by_date=_iso(ship_by),
            shipped_date="",
            carrier="",
            tracking_id="",
            tracking_valid="False",
            latest_est_delivery=_iso(latest),
            delivered_date="",
            cancelled_by=cancel,
            feedback_stars="",
            atoz_claim="none",
            chargeback="False",
            order_total=_money(total),
            currency=spec["currency"],
        )
        rows.append(row)
        if cancel != "none":
            continue
        if rng.random() < _since(LATE_SHIP_P, market, day):
            shipped = ship_by + timedelta(days=rng.randint(1, 4))
        else:
            shipped = day + timedelta(days=rng.randint(0 if rng.random() < 0.3 else 1, (ship_by - day).days))
        if shipped > STATUS_DAY:
            continue  # not shipped yet when the statuses were recorded
        carrier = _weighted(rng, spec["carriers"])
        transit = (
            rng.randint(3, 7)
            if carrier in EXPRESS
            else (rng.randint(8, 15) if carrier in CROSS_BORDER else rng.randint(5, 11))
        )
        if rng.random() < 0.05:
            transit += rng.randint(2, 5)  # a customs or hub delay
        invalid = rng.random() < _since(INVALID_TRACKING_P, market, day)
        tracking = "" if invalid and rng.random() < 0.6 else _tracking_id(rng, carrier)
        if invalid and tracking:
            tracking = tracking[:-3]  # truncated upload: the carrier never scans it
        delivered = shipped + timedelta(days=min(transit, 20))
        lost = rng.random() < 0.004
        row.update(
            shipped_date=_iso(shipped),
            carrier=carrier,
            tracking_id=tracking,
            tracking_valid=str(not invalid),
            delivered_date="" if lost or delivered > STATUS_DAY else _iso(delivered),
        )
        _defects(rng, row, market, day, delivered if row["delivered_date"] else None, latest)
    return rows


def _defects(rng: random.Random, row: dict, market: str, day: date, delivered: date | None, latest: date) -> None:
    boost = _since(DEFECT_BOOST, market, day)
    late = delivered is None or delivered > latest
    if delivered and delivered + timedelta(days=2) <= STATUS_DAY and rng.random() < 0.05:
        bad = 0.35 if late else 0.04 * boost
        stars = rng.choice([1, 2]) if rng.random() < bad else rng.choices([3, 4, 5], weights=[8, 22, 70])[0]
        row["feedback_stars"] = str(stars)
    claim_possible = (delivered is not None) or latest + timedelta(days=3) <= STATUS_DAY
    if claim_possible and rng.random() < (0.03 if delivered is None else 0.002) * boost:
        row["atoz_claim"] = "granted" if rng.random() < 0.6 else "denied"
    if delivered and rng.random() < 0.0006 * boost:
        row["chargeback"] = "True"


# --------------------------------------------------------------------------- disputes
REASONS = {
    "not_received": {
        "customs_hold": 14,
        "in_transit": 30,
        "returned_to_sender": 8,
        "wrong_address": 6,
        "delivered_not_received": 17,
        "no_tracking": 6,
    },
    "not_as_described": {"quality": 40, "counterfeit": 6, "short_shipment": 14, "damaged": 25},
}
EVIDENCE_FOR = {
    "customs_hold": ["tracking_proof", "customs_documents", "invoice"],
    "in_transit": ["tracking_proof", "chat_history"],
    "returned_to_sender": ["tracking_proof", "chat_history"],
    "wrong_address": ["tracking_proof", "chat_history", "delivery_confirmation"],
    "delivered_not_received": ["tracking_proof", "delivery_confirmation", "chat_history"],
    "no_tracking": ["invoice", "chat_history"],
    "quality": ["photos_before_shipping", "chat_history", "buyer_photos"],
    "counterfeit": ["invoice", "photos_before_shipping"],
    "short_shipment": ["photos_before_shipping", "invoice", "buyer_photos"],
    "damaged": ["photos_before_shipping", "buyer_photos", "chat_history"],
}
STRONG = {
    "delivered_not_received": {"delivery_confirmation"},
    "wrong_address": {"delivery_confirmation"},
    "customs_hold": {"customs_documents"},
    "quality": {"photos_before_shipping"},
    "counterfeit": {"invoice"},
    "short_shipment": {"photos_before_shipping"},
}
BUYERS = {
    "aliexpress": {
        "US": 14,
        "ES": 12,
        "FR": 10,
        "BR": 12,
        "PL": 8,
        "NL": 5,
        "IL": 5,
        "SA": 6,
        "MX": 7,
        "CL": 6,
        "DE": 6,
        "GB": 5,
        "KR": 4,
    },
    "ebay": {"US": 45, "GB": 25, "DE": 15, "AU": 8, "CA": 7},
}
EBAY_CURRENCY = {"GB": "GBP", "DE": "EUR"}
DISPUTE_COLUMNS = [
    "dispute_id",
    "platform",
    "order_id",
    "buyer_country",
    "opened_date",
    "reason_group",
    "reason",
    "respond_by",
    "seller_response_date",
    "evidence",
    "outcome",
    "refund_amount",
    "currency",
]


def respond_by(platform: str, opened: date) -> date:
    """AliExpress: opened + 5 calendar days. eBay: opened + 3 business days (Mon-Fri, no US federal holiday)."""
    if platform == "aliexpress":
        return opened + timedelta(days=5)
    us = _calendar("US")
    return _add_business_days(opened, 3, lambda d: d in us)


def _outcome(
    rng: random.Random, reason: str, evidence: set, answered_in_time: bool, answered: bool, opened: date
) -> str:
    if (LAST_DAY - opened).days < 8 and rng.random() < 0.7:
        return "open"
    if not answered_in_time:
        return "full_refund" if rng.random() < (0.9 if not answered else 0.75) else "buyer_cancelled"
    strong = STRONG.get(reason, set()) & evidence
    if reason in ("in_transit", "customs_hold") and rng.random() < 0.45:
        return "buyer_cancelled" if rng.random() < 0.6 else "reship"
    if strong and rng.random() < 0.7:
        return "seller_won"
    odds = {"full_refund": 30, "partial_refund": 35, "reship": 20, "seller_won": 5 + 10 * len(evidence)}
    if not evidence:
        odds["full_refund"] += 40
    return _weighted(rng, odds)


def make_disputes(seed: int = DEFAULT_SEED, n: int = 360) -> list[dict]:
    rng = random.Random(f"{seed}-disputes")
    rows = []
    start = date(2026, 6, 1)
    for i in range(n):
        platform = "aliexpress" if rng.random() < 0.62 else "ebay"
        cc = _weighted(rng, BUYERS[platform])
        opened = start + timedelta(days=rng.randrange((LAST_DAY - start).days + 1))
        group = "not_received" if rng.random() < 0.6 else "not_as_described"
        reason = _weighted(rng, REASONS[group])
        deadline = respond_by(platform, opened)
        r = rng.random()
        if r < 0.12:
            answered = None
        elif r < 0.22:
            answered = deadline + timedelta(days=rng.randint(1, 4))
        else:
            answered = opened + timedelta(days=rng.randint(0, (deadline - opened).days))
        if answered and answered > LAST_DAY:
            answered = None
        options = EVIDENCE_FOR[reason]
        evidence = set(rng.sample(options, k=rng.randint(0, len(options)))) if answered else set()
        outcome = _outcome(rng, reason, evidence, bool(answered and answered <= deadline), bool(answered), opened)
        amount = round(rng.uniform(4, 120), 2)
        refund = {"full_refund": amount, "partial_refund": round(amount * rng.choice([0.2, 0.3, 0.4, 0.5]), 2)}
        if platform == "aliexpress":
            oid = f"81{rng.randrange(10**14):014d}"
        else:
            oid = f"{rng.randrange(10, 28)}-{rng.randrange(10**5):05d}-{rng.randrange(10**5):05d}"
        rows.append(
            dict(
                dispute_id=f"DSP-{i + 1:04d}",
                platform=platform,
                order_id=oid,
                buyer_country=cc,
                opened_date=_iso(opened),
                reason_group=group,
                reason=reason,
                respond_by=_iso(deadline),
                seller_response_date=_iso(answered),
                evidence=";".join(sorted(evidence)),
                outcome=outcome,
                refund_amount=_money(refund.get(outcome, 0.0)),
                currency=EBAY_CURRENCY.get(cc, "USD") if platform == "ebay" else "USD",
            )
        )
    return rows


# --------------------------------------------------------------------------- entry points


def write_all(out_dir: Path, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write inquiries.csv, orders.csv and disputes.csv into ``out_dir``; return their paths by name."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        "inquiries": _write_csv(out_dir / "inquiries.csv", INQUIRY_COLUMNS, make_inquiries(seed), "inquiry_id"),
        "orders": _write_csv(out_dir / "orders.csv", ORDER_COLUMNS, make_orders(seed), "order_id"),
        "disputes": _write_csv(out_dir / "disputes.csv", DISPUTE_COLUMNS, make_disputes(seed), "dispute_id"),
    }


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path("data")
    seed = int(args[1]) if len(args) > 1 else DEFAULT_SEED
    for name, path in write_all(out, seed).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
