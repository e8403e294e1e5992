"""The reply pre-check: read an agent's reply (and the buyer's message it answers) and list,
for each check, what it found and what that means. It explains; it does not grade.

```python
from borderdesk.reply_check import check_reply, render_text, render_html
findings = check_reply("Hi Tom,\\nyour parcel ...", message_row)   # a row of buyer_messages, or the text
print(render_text(findings))
```

Learners see it in a drill widget, graders beside the written answers (``borderdesk
precheck``), anyone in a terminal (``borderdesk check-reply``). Word lists cover English,
Spanish and German (the course's working languages); the language check also knows French,
Italian, Portuguese, Japanese and Chinese. Its precision and recall per check are measured by
``benchmarks/reply_check.py`` on a labelled set of replies.

Platform rules behind the policy check (checked 2026): Amazon's Prohibited seller activities
(Seller Central help 200386250: no e-mails, links or web addresses that lead buyers off
Amazon), Amazon's Communication Guidelines (permitted messages; Seller Forums summary by
Amazon staff) and Amazon's Solicitations guidance (developer docs "Solicit feedback for an
order": no asking only for positive reviews, no asking to change a review, no incentives).
That links to product or storefront pages are not permitted either comes from secondary
summaries of the Communication Guidelines (the guidelines page itself could not be opened).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from .errors import BorderDeskError

__all__ = ["CHECKS", "Finding", "ReplyCheckError", "check_reply", "render_html", "render_text", "split_sentences"]

CHECKS = (
    "greeting",
    "form_of_address",
    "order_reference",
    "next_step",
    "absolute_claims",
    "policy",
    "language",
    "locale_format",
    "readability",
    "length",
)
TITLES = {
    "greeting": "Greeting mirrors the buyer",
    "form_of_address": "Formal address (Sie, usted)",
    "order_reference": "Order number",
    "next_step": "Next step (and a date after an apology)",
    "absolute_claims": "No absolute claims",
    "policy": "Platform messaging rules",
    "language": "Buyer's language",
    "locale_format": "Money and dates in the buyer's format",
    "readability": "Readability",
    "length": "Length",
}
WORDS_MIN, WORDS_MAX = 15, 180


def _defect_checks() -> dict[str, str]:
    from .cases.c02_language import VALUES

    return dict(VALUES.defects)


class ReplyCheckError(BorderDeskError, ValueError):
    """The reply (or the message) given to the pre-check cannot be checked."""


@dataclass(frozen=True)
class Finding:
    """What one check found: ``passed`` is None when the check does not apply."""

    check: str
    title: str
    passed: bool | None
    found: list[str] = field(default_factory=list)
    explanation: str = ""
    value: float | int | None = None


# --------------------------------------------------------------------------- word lists
def _rx(*parts: str) -> re.Pattern:
    return re.compile("|".join(parts), re.IGNORECASE)


GREETING = {
    "formal": _rx(
        r"^dear\b",
        r"^sehr geehrte[rn]?\b",
        r"^liebe[rn]?\b",
        r"^estimad[oa]s?\b",
        r"^querid[oa]s?\b",
        r"^madame\b|^monsieur\b|^cher\b|^chère\b",
        r"^gentil[ei]\b",
        r"^prezad[oa]s?\b",
    ),
    "neutral": _rx(
        r"^hello\b",
        r"^good (morning|afternoon|evening|day)\b",
        r"^guten (tag|morgen|abend)\b",
        r"^buen[oa]s (días|tardes|noches)\b",
        r"^bonjour\b|^buongiorno\b|^bom dia\b|^olá\b",
    ),
    "informal": _rx(
        r"^hi\b",
        r"^hey\b",
        r"^hallo\b",
        r"^moin\b",
        r"^servus\b",
        r"^hola\b",
        r"^buenas\b",
        r"^ciao\b|^salut\b|^coucou\b|^oi\b|^salve\b",
    ),
}
TITLE_WORDS = re.compile(r"\b(Mr|Mrs|Ms|Miss|Herr|Frau|Sr|Sra|Srta|señor|señora|Don|Doña)\b\.?", re.IGNORECASE)
GENERIC_NAMES = re.compile(
    r"\b(customer|sir|madam|team|friend|kunde|kundin|damen|herren|cliente|señores|vendedor|seller)\b", re.IGNORECASE
)

INFORMAL_ADDRESS = {
    "de": re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines|euch|euer|eure)\b", re.IGNORECASE),
    "es": re.compile(
        r"\b(tú|tu|tus|te|ti|contigo|tienes|puedes|quieres|necesitas|prefieres|escríbeme|escríbenos|avísame|dime|"
        r"recibirás|verás|podrás)\b",
        re.IGNORECASE,
    ),
}

ORDER_ID = re.compile(r"\b\d{3}-\d{7}-\d{7}\b|\b\d{2}-\d{5}-\d{5}\b|\b8\d{15}\b")

APOLOGY = _rx(
    r"\b(sorry|apologi[sz]e\w*|apologies|regret)\b",
    r"\b(entschuldig\w*|tut (mir|uns) (sehr )?leid|bedauer\w*)\b",
    r"\b(disculp\w*|lamento|lamentamos|sentimos|perdón|perdone)\b",
)
NEXT_STEP = _rx(
    # English: who does what
    r"\b(I|we)('ve|’ve| have) (now |just )?(sent|reshipped|opened|issued|started|asked|arranged|refunded|uploaded|booked|contacted|requested|reshipped)\b",
    r"\byou should (receive|get|see)\b",
    r"\bplease (send|reply|check|start|use|return|confirm|share|click|open|attach|upload|request|tell us (which|whether))\b",
    # Spanish
    r"\b(le |les |te )?(enviaremos|enviaré|escribiré|revisaré|consultaré|reembolsaremos|subiré|cancelaré|confirmaré|"
    r"mandaré|mandaremos|llamaremos|gestionaré|tramitaremos|devolveremos|repondremos|comprobaré)\b",
    r"\b(recibirá|verá|encontrará|tendrá|debería (recibir|llegar)|saldrá|llegará)\b",
    r"\bhe (abierto|enviado|solicitado|pedido|iniciado|tramitado|reembolsado)\b",
    r"\b(por favor,? )?(envíe|inicie|utilice|responda|compruebe|indíquenos|adjunte)\b",
    # German
    r"\b(ich|wir) (werde|werden|sende|senden|schicke|schicken|frage|prüfe|prüfen|erstatte|erstatten|lade|versende|"
    r"versenden|melde|storniere|bestätige|kümmere|veranlasse|veranlassen)\b",
    r"\b(ich|wir) (habe|haben) .{0,60}?(gestellt|geschickt|gesendet|veranlasst|beauftragt|erstattet|storniert|eröffnet|"
    r"nachgefragt|angefragt|beantragt|hochgeladen)\b",
    r"\bSie (erhalten|sehen|finden|bekommen|sollten)\b",
    r"\b(verlässt|erreicht|ankommen|eintreffen)\b",
    r"\bbitte (senden|starten|nutzen|prüfen|schicken|antworten|bestätigen|teilen)\b",
    r"\b(lade|schicke|sende|melde|prüfe|erstatte|storniere|bestätige|kümmere|frage|kläre)\s+ich\b",
    r"\bmelde (ich )?mich\b",
    r"\b(laden|schicken|senden|melden|prüfen|erstatten|stornieren|bestätigen|klären|versenden)\s+wir\b",
    r"\b(le|te|les|lo|la|se lo|se la|te lo|te la) (mando|envío|escribo|confirmo|reembolso|devuelvo|llamo|aviso|cancelo|cambio|"
    r"reservo|preparo|tramito|reenvío)\b",
    r"\b(contestaré|responderé|llamaré|avisaré|cambiaremos|repondré)\b",
    r"\b(wird|werden) (\w+ ){0,6}(verschickt|versendet|erstattet|storniert|zugestellt|geliefert|bearbeitet|ersetzt|"
    r"überwiesen|gutgeschrieben|hochgeladen|zugeschickt|abgeholt)\b",
    r"\b\w{3,}(ará|erá|irá|arán|erán|irán)\b",  # Spanish future, third person: aparecerá, estará
    # the present used for a planned step ("it ships on Monday", "lo enviamos el viernes", "finden Sie ab morgen")
    r"\b(ships|leaves|goes out|arrives|is delivered|is shipped|gets delivered)\b",
    r"\b(kommt|geht|verlässt|erreicht)\b.{0,40}\b(an|raus|ab|morgen|heute|am|bis)\b",
    r"\b(finden|erhalten|bekommen|sehen) Sie\b",
    r"\b(enviamos|mandamos|devolvemos|reembolsamos|cambiamos|cancelamos|revisamos|preparamos|reenviamos)\b",
    r"\b(?!(?:qu|esp)eremos\b)\w{2,}(aremos|eremos|iremos|aré|eré|iré)\b",  # Spanish future: resolveremos, enviaré
    # a future or expected event with a deadline
    r"\b(should|will)\b.{0,60}\bby\b",
    r"\b(sollte|sollten|wird|werden)\b.{0,60}\bbis\b",
    r"\b(debería|deberá|llegará|estará)\b.{0,60}\bantes del?\b",
)
# A sentence that sets a time ahead ("by Friday", "bis Montag", "antes del viernes", "sofort") is a
# step too, unless it reports the past or only says what the buyer may do.
FUTURE_TIME = _rx(
    r"\b(tomorrow|tonight|later today|this (afternoon|evening)|next week|right away|immediately|as soon as|"
    r"no later than|until|within|in the (next|coming))\b",
    r"\bby (tomorrow|tonight|the end|\w+day|\d{1,2}\b|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*)",
    r"\b(morgen|übermorgen|noch heute|heute noch|heute Abend|spätestens|bis|ab sofort|sofort|ab morgen|sobald|"
    r"innerhalb|binnen|nächste Woche|in den (nächsten|kommenden))\b",
    r"\b(mañana|pasado mañana|hoy mismo|antes del?|hasta el|en cuanto(?! a\b)|dentro de|la próxima semana|esta tarde|"
    r"enseguida|inmediatamente|ahora mismo|esta misma (tarde|noche|semana)|en (las|los) próxim[oa]s)\b",
    r"\b(will|wird|werden|va a|vamos a)\b.{0,40}\d{1,2}[./]\d{1,2}",
)
PAST_OR_OPTION = _rx(
    r"\b(was|were|had|did|went|arrived|shipped|left|received|delivered|yesterday|ago|since|can|may|could)\b",
    r"\b(wurde|wurden|war|waren|hatte|hatten|gestern|vor \d+|seit|können|kann|dürfen|darf)\b",
    r"\b(fue|fueron|salió|llegó|envió|ayer|hace \d+|puede|pueden|podemos|podría)\b",
)
GENERIC_QUESTION = _rx(
    r"anything else",
    r"any (other|more|further) questions",
    r"can I help",
    r"(noch|weitere) Fragen",
    r"sonst noch",
    r"algo más",
    r"otra (pregunta|consulta)",
)
# Structural signs of a next step (issue 12c), so that a phrasing the lists above miss is not a false
# alarm: a verb in the future, an instruction at the start of a sentence or clause, a menu path.
FUTURE = _rx(
    r"\b(will|shall|going to)\b|['’]ll\b",
    r"\b(werde|werden|wird)\b(\s+\S+){0,8}?\s+\w+(en|ern|eln)\s*([,.;!]|$)",  # the infinitive ends the clause
    r"\b(voy|vamos|va|van) a \w+r\b",
)
CLAUSE_START = r"(?:^|[;:]\s*)(?:please |just |simply |kindly |bitte |por favor,? )?"
INSTRUCTION = _rx(
    CLAUSE_START + r"(go|open|click|tap|keep|send|check|choose|select|print|drop|take|reply|tell|write|return|"
    r"use|log in|sign in|follow|try|wait|give|let|attach|add|pick|bring|look|leave)\b",
    CLAUSE_START + r"\w+en Sie\b",  # German: the verb first, then Sie ("Drucken Sie das Etikett aus")
    CLAUSE_START + r"(vaya|entre|pulse|haga clic|acceda|envíe\w*|escríb\w*|indíque\w*|responda|compruebe|"
    r"conserve|guarde|imprima|lleve|deje|elija|seleccione|adjunte)\b",
    r"\bplease\b|\bbitte\b(?! entschuldig)|\bpor favor\b",
)
OFFER = _rx(  # the agent offers a step ("we can send a new one"), unlike "you can", which leaves it to the buyer
    r"\b(we|I) (can|could)\b(?!['’]t| not| confirm)",
    r"\b(wir|ich) (können|kann)\b(?! (leider )?(nicht|nichts|keine))|\b(können|kann) (wir|ich)\b(?! (leider )?(nicht|nichts|keine|bestätigen))",
    r"(?<!no )\b(podemos|puedo)\b",
)
# Clauses that are not a step even when they sound like one: a polite formula ("let us know if you have
# any other questions"), a promise about the past problem ("it will not happen again").
NOT_A_STEP = re.compile(
    r"[^,;.]*("
    + GENERIC_QUESTION.pattern
    + r"|happen again|wieder (vorkommen|passieren)|volver(á|a) a (pasar|ocurrir))"
    r"[^,;.]*",
    re.IGNORECASE,
)
MENU_PATH = re.compile(r"\w\s*[>›→]\s*\w")
MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|ene|abr|ago|dic|okt|dez|"
    r"januar|jänner|februar|märz|mai|juni|juli|oktober|dezember|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
)
WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo"
)
DATE_WORDS = _rx(
    r"\b\d{1,2}[./]\d{1,2}([./]\d{2,4})?\b",
    r"\b\d{4}-\d{2}-\d{2}\b",
    rf"\b\d{{1,2}}\.? (de )?({MONTHS})\b",
    rf"\b({MONTHS}) \d{{1,2}}\b",
    rf"\b({WEEKDAYS})\b",
    r"\b(today|tomorrow|tonight|heute|morgen|übermorgen|hoy|mañana|pasado mañana|ahora mismo|hoy mismo)\b",
    r"\b(within|in) (the next )?\d+( to \d+)? (hours?|days?|business days?|working days?)\b",
    r"\b(innerhalb|binnen|in) (von )?\d+( bis \d+)? (Stunden|Tagen|Werktagen|Arbeitstagen)\b",
    r"\b(en|dentro de) (las próximas )?\d+( a \d+)? (horas|días|días hábiles|días laborables)\b",
    r"\b(end of the week|this week|next week|diese[rn]? Woche|nächste[rn]? Woche|esta semana|la próxima semana)\b",
)

ABSOLUTE = _rx(
    r"(?<!a-to-z )(?<!money back )\bguarantee[ds]?\b",
    # "100 % cotton" is a fact about the material, not a promise
    r"\b100\s?%(?!\s?(cotton|wool|silk|linen|polyester|leather|natural|recycled|Baumwolle|Wolle|Seide|Leinen|Leder|"
    r"algodón|lana|seda|lino|cuero|reciclad))|\bhundred per ?cent\b|\bhundertprozentig\w*|\bcien por cien(to)?\b",
    r"\bnever\b(?! hesitate)",
    r"\balways\b(?! (happy|glad|here|available|pleased|ready))",
    r"\b(definitely|certainly will|for sure|without (any )?(doubt|fail)|impossible|no risk|absolutely (sure|certain|no|reliable|safe|perfect))\b",
    r"(?<!a-bis-z-)\bgarantier\w*|(?<!a-bis-z-)\bgarantie\b",
    r"\bnie(mals)?\b",
    r"\bimmer\b(?! (gern|gerne|für Sie da))",
    r"\b(auf jeden Fall|definitiv|ausgeschlossen|unmöglich|ohne Zweifel|ohne Ausnahme|ausnahmslos)\b",
    r"\b(without exception|sin excepción)\b",
    r"\b(we promise|I promise|promised|a promise|versprochen|verspreche\w*|prometemos|prometo|le prometo)\b",
    # an assurance that the problem cannot come back (blind batches bd-*, be-*)
    r"\b(I|we) (can )?assure you\b|\b(le|les|te) asegur(o|amos)\b|\bversicher(e|n) (Ihnen|dir)\b",
    r"\b(won['’]t|will not|will never) happen again\b|\bnicht (wieder|noch einmal) vor(kommen|kommt)\b|"
    r"\bno (volverá|vuelve) a (pasar|ocurrir)\b",
    r"\bzero (chance|risk)\b|\b(hundert|100) Prozent\b|\bnull Risiko\b|\bcero riesgo\b",
    r"\b(ganz sicher|todo seguro|seguro al 100)\b",
    r"\b(can ?not|can't|won't ever|kann nicht|können nicht|no puede|no pueden) (break|fail|go wrong|kaputtgehen|"
    r"ausfallen|romperse|fallar)\b",
    r"\bgarantiz\w*|\bgarantía\b(?! de la a a la z)",
    r"\b(nunca|jamás)\b",
    r"\bsiempre\b(?! (a su disposición|estamos (encantados|dispuestos)|encantados|dispuestos))",
    r"\b(sin duda|sin falta|imposible|definitivamente)\b",
)

PLATFORM_DOMAINS = {
    "amazon": r"amazon\.[a-z.]+|amzn\.[a-z]+",
    "ebay": r"ebay\.[a-z.]+",
    "aliexpress": r"aliexpress\.[a-z.]+",
}
# Links to the platform's own order, return and help pages are fine; on Amazon, product and
# storefront pages are marketing (secondary summaries of Amazon's Communication Guidelines, checked 2026).
LISTING_PATH = re.compile(r"/(dp|gp/product|stores)/", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")
RELAY_EMAIL = re.compile(r"@(marketplace\.amazon\.[a-z.]+|members\.ebay\.[a-z.]+)$", re.IGNORECASE)
URL = re.compile(
    r"\bhttps?://[^\s<>\"')]+|\bwww\.[^\s<>\"')]+|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|net|org|de|es|shop|store|io|co|info|biz|cn|top|xyz|me|link|ly)(/[^\s<>\"')]*)?(?![\w@])",
    re.IGNORECASE,
)
PHONE = re.compile(
    r"\+\d{1,3}[\s().-]*\d[\d\s().-]{6,}\d|(?<![\w-])00\d{1,3}[\s().-]*\d[\d\s().-]{6,}\d|"
    r"\b(Tel|Tél|Telefon|Teléfono|Phone|Mobile|Handy|Móvil)\.?:?\s*\(?\d[\d\s().-]{6,}\d",
    re.IGNORECASE,
)
CONTACT_WORDS = _rx(
    r"\b(whats ?app|wechat|weixin|telegram|skype|viber|line id|signal app|instagram|facebook|tiktok|messenger)\b",
    r"(?<![\w.])@[a-z0-9_.]{3,}\b",  # a social-media handle (an e-mail address has a word before its @)
    r"\b(call|text|ring) (us|me)\b",
    r"\brufen Sie (uns|mich)\b|\bunter der Nummer\b",
    r"\bllám(enos|eme|anos)\b|\bescríb(anos|ame) (por|al) (whatsapp|correo|e-?mail)\b",
    r"\b(e-?mail|mail|schreiben Sie|write to) (us|me|uns|mir)? ?(directly|direkt|directamente)\b",
)
POSITIVE_FEEDBACK = _rx(
    r"\b(positive|good|great|nice|excellent|glowing|5[- ]?star|five[- ]star)\s+(feedback|review|rating|evaluation)s?\b",
    r"\bpositiven? Rückmeldung\w*|\b(comentario|opinión) positiv[oa]\b",
    r"\b(5|five) stars\b",
    r"\b(positive|gute|sehr gute)n?\s+Bewertung\w*",
    r"\b(5|fünf)[- ]?Sterne\w*",
    r"\b(valoración|reseña|opinión|calificación) (positiva|de (5|cinco) estrellas)\b",
    r"\b(5|cinco) estrellas\b",
)
FEEDBACK_WORDS = _rx(
    r"\b(feedback|review|rating|comment)s?\b",
    r"\bBewertung\w*|\bKommentar\w*",
    r"\b(valoración|reseña|opinión|calificación|comentario)\w*",
)
CHANGE_WORDS = _rx(
    r"\b(remove|delete|change|update|revise|edit|withdraw|take down)\b",
    r"\b(löschen|entfernen|ändern|zurückziehen|anpassen)\b",
    r"\b(elimin\w+|borr\w+|cambi\w+|modific\w+|retir\w+)\b",
)
INCENTIVE_WORDS = _rx(
    r"\b(refund\w*|voucher|coupon|discount|gift|free|bonus|compensation|money back|in exchange|reward|credit)\b",
    r"\b(erstatt\w*|Gutschein\w*|Rabatt\w*|gratis|kostenlos\w*|Geschenk\w*|schenke\w*|im Gegenzug|Gutschrift)\b",
    r"\b(reembols\w*|cupón|descuento|regal\w*|gratis|a cambio|compensación|saldo)\b",
)

AMOUNT = re.compile(
    r"(?P<pre>US\$|A\$|AU\$|C\$|CA\$|MX\$|R\$|\$|€|£|CHF|EUR|USD|GBP|MXN|BRL|CAD|AUD)\s?(?P<n1>\d[\d.,\u00a0\u202f]*\d|\d)"
    r"|(?P<n2>\d[\d.,\u00a0\u202f]*\d|\d)\s?(?P<post>US\$|A\$|AU\$|C\$|CA\$|MX\$|R\$|\$|€|£|CHF|EUR|USD|GBP|MXN|BRL|CAD|AUD)"
)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})\b")
DEFAULT_LOCALE = {"de": "de_DE", "es": "es_ES", "fr": "fr_FR", "it": "it_IT", "pt": "pt_PT"}

DETECTED = ("en", "es", "de", "fr", "it", "pt", "ja", "zh")
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "de": "German",
    "fr": "French",
    "it": "Italian",
    "pt": "Portuguese",
    "ja": "Japanese",
    "zh": "Chinese",
}
WORD_LISTS = ("en", "es", "de")  # languages whose greeting, next-step and claim words are listed here


# --------------------------------------------------------------------------- the message
@dataclass
class _Message:
    text: str = ""
    language: str | None = None
    buyer_name: str | None = None
    salutation: str | None = None
    register: str | None = None
    order_id: str | None = None
    platform: str | None = None
    locale: str | None = None


FIELDS = ("message", "language", "buyer_name", "salutation", "register", "order_id", "platform", "locale")
SIGN_OFF_WORDS = _rx(
    r"^(kind|best|warm)? ?regards,?",
    r"^(thanks|thank you|cheers|best),?",
    r"^(mit )?freundliche[n]? grüße[n]?",
    r"^(viele )?grüße|^gruß|^lg\b|^danke( und viele grüße)?|^vielen dank",
    r"^(atentamente|saludos|un saludo( cordial)?|un abrazo|gracias),?",
)


def _read_message(message) -> _Message:
    if message is None:
        return _Message()
    if isinstance(message, str):
        return _from_text(message)
    if isinstance(message, Mapping) or hasattr(message, "to_dict"):
        row = dict(message.to_dict() if hasattr(message, "to_dict") else message)
        found = _from_text(str(row.get("message") or ""))
        for name in FIELDS[1:]:
            value = row.get(name)
            if isinstance(value, str) and name in row:
                setattr(found, name, value or ("" if name in ("salutation", "order_id") else None))
        return found
    raise ReplyCheckError(
        f"message must be the buyer's text, a row of buyer_messages (a dict or a pandas row) or None; got {type(message).__name__}"
    )


def _from_text(text: str) -> _Message:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    m = _Message(text=text)
    if not lines:
        return m
    first = lines[0].rstrip(",:!")
    if _greeting_register(first) and len(first.split()) <= 6:
        m.salutation = first
    else:
        m.salutation = ""
    ids = ORDER_ID.findall(text)
    m.order_id = ids[0] if ids else ""
    last = SIGN_OFF_WORDS.sub("", lines[-1]).strip(" ,")
    if len(lines) > 1 and 0 < len(last.split()) <= 3 and all(w[:1].isupper() for w in last.split()):
        m.buyer_name = last
    if m.text and len(m.text.split()) >= 3:
        m.language = _detect(text)[0]
    informal = INFORMAL_ADDRESS.get(m.language or "")
    if informal and informal.search(text):
        m.register = "informal"
    elif m.salutation:
        kind = _greeting_register(m.salutation)
        m.register = {"formal": "formal", "informal": "informal"}.get(kind)
    return m


# --------------------------------------------------------------------------- helpers
def _greeting_register(line: str) -> str | None:
    for kind in ("formal", "informal", "neutral"):
        if GREETING[kind].search(line.strip()):
            return kind
    return None


@cache
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in DETECTED]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _detect(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence) of the most likely language, among DETECTED."""
    cleaned = EMAIL.sub(" ", URL.sub(" ", ORDER_ID.sub(" ", text)))
    cleaned = re.sub(r"\d+", " ", cleaned)
    if len(cleaned.split()) < 2:
        return None, 0.0
    values = _detector().compute_language_confidence_values(cleaned)
    if not values:
        return None, 0.0
    top = values[0]
    return top.language.iso_code_639_1.name.lower(), float(top.value)


def _lines(reply: str) -> list[str]:
    return [line.strip() for line in reply.strip().splitlines() if line.strip()]


SENTENCE_BREAK = re.compile(
    # ".", "!" or "?", then any closing quotes, brackets or markdown emphasis (`**Drill.** Do`, `"Where is it?" I`),
    # then a space; but not the full stop of a German date ("bis 9. Oktober")
    rf"(?<=[.!?])(?!(?:(?<=\b\d\.)|(?<=\b\d\d\.))\s+(?:{MONTHS})\b)[\"”’)\]*_]*\s+"
    # a line break ends a sentence only after punctuation or at a blank line: markdown answers wrap lines
    r"|(?<=[,:;])[ \t]*\n|\n[ \t]*\n",
    re.IGNORECASE,
)


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (a reply, or a paragraph of lesson prose), each on one line, blanks dropped.

    The one splitter of the project: the pre-check's checks and benchmarks/sentence_length.py both use it.
    """
    return [" ".join(s.split()) for s in SENTENCE_BREAK.split(text) if s.strip()]


def _names(name: str | None) -> list[str]:
    return [p for p in re.split(r"[\s,]+", name or "") if len(p) > 1]


def _words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


# --------------------------------------------------------------------------- checks
def _check_greeting(reply: str, msg: _Message) -> Finding:
    lines = _lines(reply)
    first = lines[0] if lines else ""
    kind = _greeting_register(first)
    title = TITLES["greeting"]
    if kind is None:
        return Finding(
            "greeting",
            title,
            False,
            [],
            'The reply does not open with a greeting. Start with one that mirrors the buyer\'s, e.g. "Hi Tom," to "Hi", "Sehr geehrte Frau Weber," to "Sehr geehrte Damen und Herren".',
        )
    greeting = first.rstrip(",:!")
    problems = []
    names = _names(msg.buyer_name)
    if names and not any(re.search(rf"\b{re.escape(n)}\b", greeting, re.IGNORECASE) for n in names):
        problems.append(f"it does not use the buyer's name ({msg.buyer_name})")
    elif not names and GENERIC_NAMES.search(greeting) and msg.buyer_name is not None:
        problems.append("it addresses nobody in particular")
    titled = bool(TITLE_WORDS.search(greeting))
    effective = "neutral" if (kind == "informal" and titled) else kind
    buyer_kind = _greeting_register(msg.salutation) if msg.salutation else None
    if msg.salutation:
        buyer_formal = buyer_kind == "formal" or (buyer_kind == "neutral" and msg.register == "formal")
        buyer_informal = buyer_kind == "informal" or (buyer_kind == "neutral" and msg.register == "informal")
        if buyer_formal and effective == "informal":
            problems.append(f'the buyer wrote formally ("{msg.salutation}") but the reply opens casually')
        if buyer_informal and effective == "formal" and buyer_kind == "informal":
            problems.append(f'the buyer wrote casually ("{msg.salutation}") but the reply opens stiffly')
    elif msg.register == "formal" and effective == "informal":
        problems.append("the buyer wrote formally but the reply opens casually")
    if msg.text == "" and msg.salutation is None and msg.buyer_name is None:
        return Finding(
            "greeting",
            title,
            True,
            [greeting],
            "The reply opens with a greeting. Give the buyer's message to check that it mirrors their salutation and name.",
        )
    if problems:
        return Finding(
            "greeting", title, False, [greeting], "The greeting does not mirror the buyer: " + "; ".join(problems) + "."
        )
    return Finding(
        "greeting",
        title,
        True,
        [greeting],
        "The greeting mirrors the buyer's salutation" + (" and uses their name." if names else "."),
    )


def _check_form_of_address(reply: str, msg: _Message, reply_language: str | None) -> Finding:
    title = TITLES["form_of_address"]
    pattern = INFORMAL_ADDRESS.get(reply_language or "")
    if pattern is None:
        return Finding(
            "form_of_address", title, None, [], "Only checked for German and Spanish replies (Sie/du, usted/tú)."
        )
    found = sorted({m.group(0) for m in pattern.finditer(reply)}, key=str.lower)
    if not found:
        return Finding(
            "form_of_address", title, True, [], "The reply keeps the formal form (Sie / usted), the safe default."
        )
    if msg.register == "informal":
        return Finding(
            "form_of_address",
            title,
            True,
            found,
            "The reply uses the informal form, as the buyer did. That is fine when you mirror the buyer; formal is never wrong.",
        )
    return Finding(
        "form_of_address",
        title,
        False,
        found,
        "The reply uses the informal form (du / tú) with a buyer who did not. Use Sie / usted unless the buyer writes informally first.",
    )


def _check_order_reference(reply: str, msg: _Message) -> Finding:
    title = TITLES["order_reference"]
    in_reply = ORDER_ID.findall(reply)
    if not msg.order_id:
        why = (
            "The buyer gave no order number, so none is needed."
            if msg.order_id == ""
            else "Give the buyer's message to check the order number."
        )
        return Finding("order_reference", title, None, in_reply, why)
    if msg.order_id in reply:
        return Finding(
            "order_reference",
            title,
            True,
            [msg.order_id],
            "The reply repeats the buyer's order number, so both sides know which order it is about.",
        )
    other = f" It mentions {', '.join(in_reply)} instead: check the number." if in_reply else ""
    return Finding(
        "order_reference",
        title,
        False,
        in_reply,
        f"The buyer gave order {msg.order_id}; the reply does not repeat it.{other}",
    )


def _is_step(sentence: str) -> bool:
    """Does the sentence say what happens next: a step, the future, an instruction, or a time ahead?"""
    sentence = NOT_A_STEP.sub(" ", sentence)
    if any(p.search(sentence) for p in (NEXT_STEP, FUTURE, INSTRUCTION, OFFER, MENU_PATH)):
        return True
    # a time ahead ("by Friday", "sale el lunes 12 de octubre"), unless the sentence reports the past
    ahead = FUTURE_TIME.search(sentence) or DATE_WORDS.search(sentence)
    return bool(ahead) and not PAST_OR_OPTION.search(sentence)


def _check_next_step(reply: str) -> Finding:
    title = TITLES["next_step"]
    sentences = split_sentences(reply)
    apologies = [m.group(0) for m in APOLOGY.finditer(reply)]
    steps = [s for s in sentences if _is_step(s)]
    questions = [s for s in sentences if s.endswith("?") and not GENERIC_QUESTION.search(s)]
    dated = [s for s in steps if DATE_WORDS.search(s) or FUTURE_TIME.search(s)]
    found = apologies + [s for s in steps + questions][:3]
    if not steps and not questions:
        why = 'I found no next step. Say who does what, and by when ("We will send a new one by 3 October."), or close with a question.'
        if apologies:
            why = "The reply apologises, but I found no concrete next step. After an apology, say what you will do and by when."
        # measured: this check misses some phrasings (benchmarks/reply_check.py), so it says so
        why += " If your reply has one, I missed its wording: read it again yourself."
        return Finding("next_step", title, False, found, why)
    if apologies and not dated and not questions:
        return Finding(
            "next_step",
            title,
            False,
            found,
            'The reply apologises and names a step, but no date. Add when it will happen ("by Friday", "by 3 October").',
        )
    return Finding(
        "next_step",
        title,
        True,
        found,
        "The reply tells the buyer what happens next" + (" and when." if dated else "."),
    )


def _check_absolute_claims(reply: str, reply_language: str | None) -> Finding:
    title = TITLES["absolute_claims"]
    found = [m.group(0) for m in ABSOLUTE.finditer(reply)]
    if reply_language not in WORD_LISTS and not found:
        return Finding(
            "absolute_claims", title, None, [], "Absolute-claim words are listed for English, Spanish and German only."
        )
    if found:
        return Finding(
            "absolute_claims",
            title,
            False,
            found,
            'Absolute claims promise what nobody can promise and invite disputes when they fail. Say what you will do, and what is likely ("It usually arrives in 5 days").',
        )
    return Finding("absolute_claims", title, True, [], "No absolute claims (guaranteed, never, 100 % ...) found.")


def _check_policy(reply: str, platform: str | None) -> Finding:
    title = TITLES["policy"]
    allowed = [PLATFORM_DOMAINS[platform]] if platform in PLATFORM_DOMAINS else list(PLATFORM_DOMAINS.values())
    own = re.compile(r"(^|[./])(" + "|".join(allowed) + r")(/|$)", re.IGNORECASE)
    problems, found = [], []
    emails = [m.group(0) for m in EMAIL.finditer(reply) if not RELAY_EMAIL.search(m.group(0))]
    without_emails = EMAIL.sub(" ", reply)
    links = []
    listings = []
    for m in URL.finditer(without_emails):
        link = m.group(0).rstrip(".,;:")
        host = re.sub(r"^https?://", "", link, flags=re.IGNORECASE).split("/")[0]
        if not own.search(host + "/"):
            links.append(link)
        elif "amazon" in host.lower() and LISTING_PATH.search(link):
            listings.append(link)
    if links:
        problems.append("a link that leads the buyer off the platform")
        found += links
    if listings:
        problems.append("a link to a product or shop page (marketing, not needed for the order)")
        found += listings
    contact = (
        emails
        + [m.group(0).strip() for m in PHONE.finditer(ORDER_ID.sub(" ", reply))]  # order numbers are not phones
        + [m.group(0) for m in CONTACT_WORDS.finditer(reply)]
    )
    if contact:
        problems.append("contact outside the platform's messaging (e-mail, phone, chat apps)")
        found += contact
    positive = [m.group(0) for m in POSITIVE_FEEDBACK.finditer(reply)]
    if positive:
        problems.append("a request for positive feedback or a good rating")
        found += positive
    for sentence in split_sentences(reply):
        if FEEDBACK_WORDS.search(sentence) and CHANGE_WORDS.search(sentence) and INCENTIVE_WORDS.search(sentence):
            problems.append("an offer in exchange for changing or removing feedback")
            found.append(sentence)
    if problems:
        where = {"amazon": "Amazon", "ebay": "eBay", "aliexpress": "AliExpress"}.get(platform or "", "the platform")
        return Finding(
            "policy",
            title,
            False,
            found,
            f"This breaks {where}'s messaging rules: "
            + "; ".join(problems)
            + ". Keep the conversation, links and feedback requests inside the platform's own tools, and ask for feedback neutrally if at all.",
        )
    return Finding(
        "policy",
        title,
        True,
        [],
        "No external links, off-platform contact or feedback requests that break the platform's rules.",
    )


def _check_language(reply: str, msg: _Message) -> tuple[Finding, str | None]:
    title = TITLES["language"]
    detected, confidence = _detect(reply)
    shown = [f"{LANGUAGE_NAMES.get(detected, detected)} ({confidence:.0%})"] if detected else []
    if detected is None:
        return Finding("language", title, None, [], "The reply is too short to tell its language."), None
    expected = msg.language
    if not expected:
        return Finding(
            "language",
            title,
            None,
            shown,
            f"The reply looks {LANGUAGE_NAMES.get(detected, detected)}. Give the buyer's message to compare.",
        ), detected
    if detected == expected:
        return Finding(
            "language",
            title,
            True,
            shown,
            f"The reply is in {LANGUAGE_NAMES.get(expected, expected)}, the buyer's language.",
        ), detected
    if confidence < 0.5:
        return Finding(
            "language", title, None, shown, "The detector is not sure of the reply's language; read it again yourself."
        ), expected
    return Finding(
        "language",
        title,
        False,
        shown,
        f"The buyer wrote in {LANGUAGE_NAMES.get(expected, expected)}, the reply is in {LANGUAGE_NAMES.get(detected, detected)}. Answer in the buyer's language when you can.",
    ), detected


def _locale_rules(locale: str | None, language: str | None) -> tuple[str | None, str | None, str | None]:
    """(decimal sign, numeric-date separator, day/month order "dm"/"md"/None) of the buyer's locale."""
    from babel.dates import get_date_format
    from babel.numbers import get_decimal_symbol

    locale = locale or DEFAULT_LOCALE.get(language or "")
    if locale is None:
        return ("." if language == "en" else None), None, None
    pattern = get_date_format("short", locale=locale).pattern
    letters = "".join(ch for ch in pattern if ch in "dMy")
    sep = next((ch for ch in pattern if ch in "./-"), None)
    order = "dm" if letters.index("d") < letters.index("M") else "md"
    if letters.startswith("y"):  # year first (en_CA): slashes are read either way
        order, sep = None, "/"
    return get_decimal_symbol(locale), sep, order


def _check_locale_format(reply: str, msg: _Message) -> Finding:
    title = TITLES["locale_format"]
    decimal, sep, order = _locale_rules(msg.locale, msg.language)
    where = msg.locale or msg.language or "the buyer's locale"
    amounts = [m.group(0) for m in AMOUNT.finditer(reply)]
    dates = [m.group(0) for m in NUMERIC_DATE.finditer(reply)]
    if not amounts and not dates:
        return Finding("locale_format", title, None, [], "No amounts or numeric dates to check.")
    wrong = []
    for m in AMOUNT.finditer(reply):
        number = (m.group("n1") or m.group("n2")).replace("\u00a0", "").replace("\u202f", "")
        tail = re.search(r"([.,])\d{2}$", number)
        if decimal and tail and tail.group(1) != decimal:
            wrong.append(f"{m.group(0)} (decimal sign should be '{decimal}')")
    for m in NUMERIC_DATE.finditer(reply):
        a, s, b = int(m.group(1)), m.group(2), int(m.group(3))
        if sep and s != sep:
            wrong.append(f"{m.group(0)} (dates are written with '{sep}' in {where})")
        elif order == "dm" and b > 12:
            wrong.append(f"{m.group(0)} (day comes first in {where}: month {b} does not exist)")
        elif order == "md" and a > 12:
            wrong.append(f"{m.group(0)} (month comes first in {where}: month {a} does not exist)")
        elif sep is None and msg.language == "en" and s == ".":
            wrong.append(f"{m.group(0)} (English dates are not written with dots)")
    if wrong:
        return Finding(
            "locale_format",
            title,
            False,
            wrong,
            f"Write money and dates as {where} writes them (Babel's format_currency and format_date do it for you).",
        )
    if decimal is None and sep is None:
        return Finding(
            "locale_format", title, None, amounts + dates, "Give the buyer's locale to check money and dates."
        )
    return Finding(
        "locale_format", title, True, amounts + dates, f"Money and dates are written the way {where} writes them."
    )


READABILITY = {
    # language: (textstat function, label, threshold, higher is easier)
    "en": ("flesch_reading_ease", "Flesch reading ease", 50, True),
    "es": ("fernandez_huerta", "Fernández Huerta", 60, True),
    "de": ("wiener_sachtextformel", "Wiener Sachtextformel", 10, False),
    "fr": ("flesch_reading_ease", "Flesch reading ease (French)", 50, True),
    "it": ("flesch_reading_ease", "Flesch reading ease (Italian)", 50, True),
    "pt": ("flesch_reading_ease", "Flesch reading ease", 50, True),
}


def _body(reply: str) -> str:
    """The reply without its greeting line and sign-off (two short last lines)."""
    lines = _lines(reply)
    if lines and _greeting_register(lines[0]):
        lines = lines[1:]
    while len(lines) > 1 and len(lines[-1].split()) <= 4:
        lines = lines[:-1]
    return " ".join(lines)


def _check_readability(reply: str, language: str | None) -> Finding:
    title = TITLES["readability"]
    if language not in READABILITY:
        return Finding("readability", title, None, [], "No readability formula for this language.")
    import textstat

    function, label, threshold, higher_easier = READABILITY[language]
    textstat.set_lang(language)
    text = _body(reply)
    if _words(text) < 5:
        return Finding("readability", title, None, [], "Too short to measure readability.")
    score = float(
        getattr(textstat, function)(text, 1)
        if function == "wiener_sachtextformel"
        else getattr(textstat, function)(text)
    )
    score = round(score, 1)
    easy = score >= threshold if higher_easier else score <= threshold
    direction = "at least" if higher_easier else "at most"
    words_per_sentence = _words(text) / max(1, len(split_sentences(text)))
    hint = (
        ""
        if easy
        else " Use shorter sentences and everyday words; a buyer reading in a second language will thank you."
    )
    return Finding(
        "readability",
        title,
        easy,
        [f"{label} {score}", f"{words_per_sentence:.0f} words a sentence"],
        f"{label} is {score} ({direction} {threshold} reads easily).{hint}",
        score,
    )


CHARS_MIN, CHARS_MAX = 40, 500  # Japanese and Chinese: characters, not words


def _check_length(reply: str, language: str | None = None) -> Finding:
    title = TITLES["length"]
    if language in ("ja", "zh"):
        n = len(re.sub(r"\s", "", reply))
        ok = CHARS_MIN <= n <= CHARS_MAX
        why = f"{n} characters: " + (
            "complete but concise." if ok else f"aim for {CHARS_MIN} to {CHARS_MAX} characters."
        )
        return Finding("length", title, ok, [f"{n} characters"], why, n)
    n = _words(reply)
    if n < WORDS_MIN:
        return Finding(
            "length",
            title,
            False,
            [f"{n} words"],
            f"{n} words is very short: a reply usually needs a greeting, the answer, the next step and a sign-off.",
            n,
        )
    if n > WORDS_MAX:
        return Finding(
            "length",
            title,
            False,
            [f"{n} words"],
            f"{n} words is long for a service message; keep to what the buyer needs ({WORDS_MAX} words at most).",
            n,
        )
    return Finding("length", title, True, [f"{n} words"], f"{n} words: complete but concise.", n)


def _not_listed(check: str, language: str | None) -> Finding:
    name = LANGUAGE_NAMES.get(language or "", language)
    return Finding(
        check, TITLES[check], None, [], f"Not checked in {name}: the word lists cover English, Spanish and German."
    )


# --------------------------------------------------------------------------- public API
def check_reply(
    reply: str,
    message=None,
    *,
    buyer_name: str | None = None,
    order_id: str | None = None,
    platform: str | None = None,
    language: str | None = None,
    salutation: str | None = None,
    locale: str | None = None,
    register: str | None = None,
) -> list[Finding]:
    """One :class:`Finding` per check of ``CHECKS``, in order.

    ``message`` is the buyer's message: its text, a row of ``buyer_messages`` (dict or pandas
    row) or None. Keyword arguments override what is read from it.
    """
    if not isinstance(reply, str):
        raise ReplyCheckError(f"the reply must be text (str), got {type(reply).__name__}")
    if not reply.strip():
        raise ReplyCheckError("the reply is empty: write the reply text first")
    msg = _read_message(message)
    for name, value in dict(
        buyer_name=buyer_name,
        order_id=order_id,
        platform=platform,
        language=language,
        salutation=salutation,
        locale=locale,
        register=register,
    ).items():
        if value is not None:
            setattr(msg, name, value)
    if msg.platform and msg.platform not in PLATFORM_DOMAINS:
        raise ReplyCheckError(f"unknown platform {msg.platform!r}; use one of {', '.join(PLATFORM_DOMAINS)}")
    language_finding, reply_language = _check_language(reply, msg)
    reply_language = reply_language or msg.language
    listed = reply_language in WORD_LISTS or reply_language is None
    return [
        _check_greeting(reply, msg) if listed else _not_listed("greeting", reply_language),
        _check_form_of_address(reply, msg, reply_language),
        _check_order_reference(reply, msg),
        _check_next_step(reply) if listed else _not_listed("next_step", reply_language),
        _check_absolute_claims(reply, reply_language),
        _check_policy(reply, msg.platform),
        language_finding,
        _check_locale_format(reply, msg),
        _check_readability(reply, reply_language),
        _check_length(reply, reply_language),
    ]


def __getattr__(name: str):
    if name == "DEFECT_CHECK":  # read from chapter 02's values.yaml on first use
        return _defect_checks()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MARK = {True: "✓", False: "✗", None: "–"}


def render_text(findings: list[Finding]) -> str:
    """The checklist for a terminal: one line per check, then what it found."""
    lines = []
    for f in findings:
        lines.append(f"{MARK[f.passed]} {f.title}: {f.explanation}")
        if f.found:
            lines.append("    found: " + " | ".join(f.found))
    return "\n".join(lines)


COLOURS = {True: "#1a7f37", False: "#cf222e", None: "#6e7781"}


def render_html(findings: list[Finding]) -> str:
    """The checklist as an HTML fragment (inline styles, no scripts) for a widget or a page."""
    rows = []
    for f in findings:
        found = "".join(
            f"<code style='background:#f6f8fa;padding:0 3px;margin-right:4px'>{html.escape(x)}</code>" for x in f.found
        )
        rows.append(
            "<tr>"
            f"<td style='color:{COLOURS[f.passed]};font-weight:bold;padding:2px 6px;vertical-align:top'>{MARK[f.passed]}</td>"
            f"<td style='padding:2px 6px;vertical-align:top'><b>{html.escape(f.title)}</b><br>{html.escape(f.explanation)}"
            f"{'<br>' + found if found else ''}</td>"
            "</tr>"
        )
    return (
        "<table class='borderdesk-reply-check' style='border-collapse:collapse;text-align:left'>"
        + "".join(rows)
        + "</table>"
    )


# --------------------------------------------------------------------------- command
def _read_file(path: str, what: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise ReplyCheckError(
            f"{what} file {path} not found: give the path of a text file, or - to read standard input"
        ) from None
    except UnicodeDecodeError:
        raise ReplyCheckError(f"{what} file {path} is not UTF-8 text") from None
    except IsADirectoryError:
        raise ReplyCheckError(f"{what} file {path} is a folder, not a text file") from None


def _message_row(message_id: str):
    from .datasets import load

    frame = load("buyer_messages")
    hits = frame[frame["message_id"] == message_id]
    if hits.empty:
        raise ReplyCheckError(f"no message {message_id!r} in buyer_messages (ids look like MSG-00042)")
    return hits.iloc[0]


def cmd_check_reply(args: argparse.Namespace) -> int:
    reply = _read_file(args.reply, "reply")
    if args.message and args.message_id:
        raise ReplyCheckError("give either --message FILE or --message-id ID, not both")
    message = None
    if args.message:
        message = _read_file(args.message, "message")
        if not message.strip():
            raise ReplyCheckError(f"the message file {args.message} is empty")
    elif args.message_id:
        message = _message_row(args.message_id)
    findings = check_reply(reply, message, platform=args.platform, language=args.language)
    print(render_text(findings))
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "check-reply",
        help="pre-check a reply to a buyer: greeting, next step, absolute claims, platform rules, language ...",
        description=(
            "Read a reply (a file, or - for standard input) and, if given, the buyer's message it answers, "
            "and print the pre-check's checklist. It explains what it found; it does not grade."
        ),
    )
    p.add_argument("reply", help="file with the reply text, or - to read standard input")
    p.add_argument("--message", metavar="FILE", help="file with the buyer's message (or - for standard input)")
    p.add_argument("--message-id", metavar="ID", help="a message of data/buyer_messages.csv, e.g. MSG-00042")
    p.add_argument("--platform", choices=sorted(PLATFORM_DOMAINS), help="the platform the reply is sent on")
    p.add_argument("--language", help="the buyer's language (ISO code, e.g. de), if not read from the message")
    p.set_defaults(func=cmd_check_reply)
