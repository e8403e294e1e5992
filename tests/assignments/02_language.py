"""Known-wrong answers to assignment 02, for the shared suite (tests/test_assignments.py).

``WRONG_ANSWERS`` is keyed by the grade_id of the answer cell; each value is a whole answer
cell. The solution notebook with that cell swapped in must lose exactly the points of the
test cell ``test_<grade_id>`` and keep every other point. They are plausible learner
mistakes. A visible test catches some of them, and ``MESSAGES`` holds the words its message
must contain; the others pass every visible test, and only a hidden test fails them
(``HIDDEN_ONLY``). tests/assignment_suite.py describes the format.
"""

WRONG_ANSWERS = {
    # Formats money by hand, the English way. Caught by the visible German amount check.
    "fill_template": """
def fill_template(template, order, locale):
    values = {}
    for name in re.findall(r"{(\\w+)}", template):
        if name == "amount":
            values[name] = f"{order['amount']:,.2f} {order['currency']}"
        elif name == "date":
            values[name] = format_date(order["date"], "long", locale=locale)
        else:
            values[name] = str(order[name])
    return template.format(**values)
""",
    # Matches the words anywhere, not as whole words, and forgets the polite formulas.
    # Caught by the visible test: "Never hesitate to contact us." counts as a claim.
    "find_absolute_claims": """
def find_absolute_claims(reply):
    return [s for s in sentences(reply) if any(w.lower() in s.lower() for w in ABSOLUTE_WORDS)]
""",
    # Forgets that French, Italian and Portuguese buyers get the English greeting (KeyError).
    # The visible tests use only en, es and de: a hidden test fails it.
    "mirror_salutation": """
def mirror_salutation(salutation, buyer_name, language):
    words = re.findall(r"\\w+", salutation or "")
    register = REGISTER_BY_FIRST_WORD.get(words[0].lower(), "formal") if words else "formal"
    full_name = " ".join(buyer_name.split())
    return GREETINGS[(language, register)].format(full_name=full_name, first_name=full_name.split()[0])
""",
    # Reads the global table instead of its argument. Passes the visible tests.
    "pick_opener": """
def pick_opener(table, language, buyer_status):
    if buyer_status not in ("new", "returning"):
        raise ValueError(f"unknown buyer_status {buyer_status!r}")
    openers = templates[(templates["part"] == "opener") & (templates["buyer_status"] == buyer_status)]
    if language not in set(openers["language"]):
        language = "en"
    return openers.loc[openers["language"] == language, "text"].iloc[0]
""",
    # English keywords only. Caught by the visible accuracy test on the English, Spanish and German messages.
    "classify_reason": """
def classify_reason(message):
    text = message.lower()
    for reason, keywords in [
        ("invoice_request", ["invoice", "receipt"]), ("cancel_order", ["cancel"]), ("refund_status", ["refund"]),
        ("return_request", ["return"]), ("wrong_item", ["wrong"]), ("damaged_item", ["damaged", "broken"]),
        ("not_received", ["delivered", "not received"]), ("where_is_my_order", ["where", "when it"]),
    ]:
        if any(keyword in text for keyword in keywords):
            return reason
    return "product_question"
""",
    # Divides by the actual counts: that is recall. Caught by the visible test.
    "precision": """
def precision(predicted, actual):
    actual = actual.reindex(predicted.index)
    labels = sorted(set(predicted) | set(actual))
    return pd.Series([float((predicted[actual == label] == label).mean()) for label in labels], index=labels)
""",
    # Sends every detected language to its own desk: French goes to "desk_fr". Caught by the visible sample test.
    "route_message": """
from lingua import Language, LanguageDetectorBuilder

detector = LanguageDetectorBuilder.from_languages(
    Language.ENGLISH, Language.SPANISH, Language.GERMAN, Language.FRENCH, Language.ITALIAN, Language.PORTUGUESE
).build()


def route_message(text):
    language = detector.detect_language_of(text) if text.strip() else None
    return f"desk_{language.iso_code_639_1.name.lower()}" if language is not None else "desk_en_plain"
""",
}

MESSAGES = {
    "fill_template": "Did you use format_currency with the locale?",
    "find_absolute_claims": "only the 'guaranteed' one",
    "classify_reason": "at least 80% is needed",
    "precision": "that is recall",
    "route_message": "Does French, Italian or Portuguese go to desk_en_plain?",
}

HIDDEN_ONLY = {"mirror_salutation", "pick_opener"}
