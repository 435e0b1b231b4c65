"""The cues that relationships are read from, as tables: which words in a sentence make which
relationship, by which method, at which confidence. ingest/relationships.py reads them with
one small function per family (ownership of identifiers, travel, ties between persons);
docs/extract.md lists the same rows, and a test keeps the two equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backend.domain.vocabulary import EntityType, RelType


@dataclass(frozen=True)
class OwnershipCue:
    """A person holds or uses an identifier named in the same sentence."""

    mention_type: EntityType
    relationship: RelType
    # Words the sentence must hold (None: the identifier alone says it is someone's).
    cue: re.Pattern | None
    method: str
    confidence: float


@dataclass(frozen=True)
class TieCue:
    """One person does something to another: ASSOCIATED_WITH of this kind.

    The passive form ("fue captada por X") ties the first person after the cue to every
    person before it; the active form ("X le ofreció trabajo a Y") ties the person nearest
    before the cue to every person after it. The passive form is tried first.
    """

    kind: str
    active: re.Pattern
    passive: re.Pattern | None
    method: str
    confidence: float
    # Words the sentence must also hold ("pagó" counts only with a ticket in the sentence).
    requires: re.Pattern | None = None
    # A detail kept as a property of the link: (property name, pattern whose group 1 is the value).
    detail: tuple[str, re.Pattern] | None = None
    # The doer named after the verb, the one acted upon by a pronoun before the verb (group "dative"):
    # "El que les consiguió ese trabajo es un tal Jhon", "los pasajes los pagaba don Hernán".
    # Tried after the passive and the active forms, when they tie no one.
    inverted: re.Pattern | None = None


@dataclass(frozen=True)
class TravelCue:
    """A sentence that moves people between places: route legs, and passengers of flights."""

    relationship: RelType
    cue: re.Pattern
    method: str
    confidence: float


@dataclass(frozen=True)
class ModeCue:
    """How a leg was travelled, from the words of its part of the sentence (first match wins)."""

    mode: str
    cue: re.Pattern


PHONE_WORDS = re.compile(
    r"celular|tel[eé]fono|n[uú]mero|abonado|l[ií]nea|whats\s?app|m[oó]vil|phone|mobile|number|contacto|comunica|llamab|marcaba"
    r"|\b(?:cel|tel|m[oó]v|tlf|ph)\b\.?",
    re.I,
)
EMAIL_WORDS = re.compile(r"correo|e-?mail|escrib|wrote|address", re.I)
TRAVEL_WORDS = re.compile(
    r"viaj|sal[ií]|part[ií]|traslad|llev[oóa]|abord|vol[oóa]|fl[eoy]w?|travel|\bbus\b|buseta|vuelo|desplaz|transport|envi[óa]|"
    r"lleg|moved|took|drove|embarc|ruta|route|dirig|regres|return|avi[oó]n|tiquete|pasaje|boarded|destino|"
    r"cruz[aoóé]\w*|crossed|continu\w*|camin\w*|a\s+pie|on\s+foot",
    re.I,
)
AIR_WORDS = re.compile(r"vuelo|avi[oó]n|a[eé]re[oa]|aeropuerto|flight|plane|flew|fly|airport|aerol[ií]nea", re.I)
BUS_WORDS = re.compile(r"\bbus(es)?\b|buseta|flota|terrestre|autob[uú]s|coach|terminal|expreso|tiquete de bus", re.I)
BORDER_WORDS = re.compile(r"frontera|trocha|puente internacional|rumichaca|border|paso fronterizo|a pie|caminando|on foot", re.I)
RECRUITED_PASSIVE = re.compile(r"\b(?:captad|reclutad|contactad|enganchad|convencid|recruited|approached)[oa]?s?\s+(?:por|by)\b", re.I)
RECRUITED_ACTIVE = re.compile(
    r"\b(?:capt[oó]|reclut[oó]|enganch[oó]|convenci[oó]|(?:le|les)\s+ofreci[oó]|ofreci[oó]\s+(?:trabajo|empleo)|prometi[oó]|recruited|offered)\b",
    re.I,
)
JOB_OFFERED = re.compile(r"(?:trabajo|empleo|job|work)\s+(?:como|de|as)\s+([^,.;]{3,60})", re.I)
TRAVELLED_WITH = re.compile(
    r"\b(?:(?:viaj\w+|sal\w+|lleg\w+|se\s+fue|se\s+fueron)\s+(?:junto\s+)?con|en\s+compañ[ií]a\s+de|junto\s+(?:a|con)|"
    r"acompañad[oa]s?\s+por|travell?ed\s+with|together\s+with|accompanied\s+by)\b",
    re.I,
)
PAID_ACTIVE = re.compile(r"\b(?:pag[oó]|compr[oó]|cancel[oó]|paid\s+for|bought)\b", re.I)
PAID_PASSIVE = re.compile(r"\b(?:pagad|comprad|costead)[oa]s\s+por\b|\bpaid\s+(?:for\s+)?by\b", re.I)
TICKET_WORDS = re.compile(r"tiquete|pasaje|boleto|vuelo|ticket|fare|billete", re.I)
# Received or harboured: "recibió a las jóvenes", "las alojó", "fueron alojadas por X". A bare
# "recibió" is left out: "X recibió una llamada de Y" says nothing about harbouring.
HOSTED_ACTIVE = re.compile(
    r"\b(?:(?:l[ae]s?|los)\s+(?:recibi[oó]|recogi[oó])|(?:recibi[oó]|recogi[oó])\s+a)\b"
    r"|\b(?:aloj[oó]|hosped[oó]|alberg[oó]|ocult[oó]|harbou?red|housed|sheltered)\b",
    re.I,
)
HOSTED_PASSIVE = re.compile(
    r"\b(?:recibid|recogid|alojad|hospedad|albergad)[oa]s?\s+por\b|\b(?:harbou?red|housed|sheltered|picked\s+up)\s+by\b", re.I
)

OWNERSHIP_CUES: tuple[OwnershipCue, ...] = (
    OwnershipCue(EntityType.IDENTITY_DOCUMENT, RelType.HOLDS_ID, None, "pattern:holds_id", 0.85),
    OwnershipCue(EntityType.PHONE, RelType.USES_PHONE, PHONE_WORDS, "pattern:uses_phone", 0.8),
    OwnershipCue(EntityType.EMAIL, RelType.USES_EMAIL, EMAIL_WORDS, "pattern:uses_email", 0.8),
)
# With no person in the sentence, the one person of the sentence before owns the value, less surely.
CARRIED_OWNER_FACTOR = 0.65

# Who owns a number, read from the words around it rather than from nearness alone.
# The words between a number and the person named right after it that make that person its
# holder: "el abonado 310…, atribuido a X", "la línea 321…, a nombre de X", "… que pertenece a X",
# "el 320… de la joven X", "the number … registered to X".
OWNER_NAMED_AFTER = re.compile(
    r"[\s,;:)]*(?:(?:que\s+)?(?:pertenece|corresponde|perteneciente)\s+(?:a|al)"
    r"|(?:atribuid|asignad|registrad|inscrit|activad)[oa]s?\s+(?:a\s+nombre\s+del?|a|al)"
    r"|a\s+nombre\s+del?|de\s+propiedad\s+del?|propiedad\s+del?|del?|de\s+la|de\s+las|de\s+los"
    r"|(?:that\s+)?belong(?:s|ing)?\s+to|registered\s+(?:to|in\s+the\s+name\s+of)|subscribed\s+to|of)"
    r"\s+(?:(?:alias|señor|señora|señorita|sr\.?|sra\.?|don|doña|joven|menor|indiciad[oa]|víctima|victima|ciudadan[oa]"
    r"|el|la|mr\.?|mrs\.?|ms\.?|the)\s+)*",
    re.I,
)
# The words between a person and the numbers right after them that make them the holder:
# "las líneas de alias EL MONO (310… y 317…)", "el celular de Daniela: 312…".
OWNER_NAMED_BEFORE = re.compile(r"(?:l[ií]neas?|abonados?|celular(?:es)?|n[uú]meros?|tel[eé]fonos?|whats\s?app|m[oó]vil(?:es)?|phones?|numbers?|lines?)"
                                r"\s+(?:de|del|of)\s+(?:(?:alias|señor|señora|don|doña|la|el)\s+)*$", re.I)  # fmt: skip
# Between that person and the number: nothing but a bracket, a colon, "es (el)" or other numbers.
OWNER_TO_NUMBER = re.compile(r"[\s,:(]*(?:(?:es|son|is|are)\s+(?:el|la|los|las)?\s*)?(?:[+\d][\d\s().+-]*\s*(?:,|y|and)\s*)*", re.I)
# The number was registered to someone the sentence does not name: no owner from nearness.
THIRD_PARTY_AFTER = re.compile(r"[\s,;:)]*(?:registrad|inscrit|activad)[oa]s?\s+a\s+nombre\s+de\s+(?:un|una|otr[oa])\s", re.I)
# The number is one the sentence's subject called or was in touch with, not the subject's own:
# "se comunica con la línea 317…", "llamadas al abonado 320…", "contacto común el abonado 300…".
CONTACT_BEFORE = re.compile(
    r"(?:comunic\w*|llam(?!a\b|an\b)\w*|marc[oóaé]\w*|contacto(?:\s+com[uú]n)?|contact(?:ed|s)?"
    r"|called|calls|dialled|dialed|texted|escribi[oó]|mensajes?)"
    r"\s+(?:(?:con|a|al|hacia|to|with|desde\s+y\s+hacia)\s+)?(?:(?:el|la|los|las|the|un|una|a)\s+)?"
    r"(?:(?:l[ií]nea|abonado|n[uú]mero|celular|tel[eé]fono|m[oó]vil|number|line|phone)s?\s+)?(?:\w+\s+){0,2}$",
    re.I,
)
# A person who handed the number over ("Daniela me lo dio", "she gave me his number") is not its holder.
GIVER_AFTER = re.compile(
    r"\s+(?:me|nos|le|les)\s+(?:lo\s+|la\s+|los\s+)?(?:dio|dieron|pas[oó]|pasaron|entreg[oó]|facilit[oó])\b|\s+gave\s+(?:me|us)\b", re.I
)
OWNER_BY_WORDS_CONFIDENCE = 0.85

# "El que les consiguió ese trabajo es un tal Jhon": who did it, named after "es".
RECRUITED_CLEFT = re.compile(
    r"\b(?:el|la|quien)\s+(?:que\s+)?(?P<dative>le|les|me|nos|la|las|lo|los)\s+"
    r"(?:consigui[oó]|ofreci[oó]|prometi[oó]|capt[oó]|contact[oó]|reclut[oó]|convenci[oó]|propuso|enganch[oó])\b[^.;]{0,80}?\b(?:es|era|fue)\b",
    re.I,
)
# "los pasajes los pagaba el patrón", "los tiquetes se los compró X": the payer named after the verb.
PAID_FRONTED = re.compile(
    r"\b(?:los|las|el|la)\s+(?:pasajes?|tiquetes?|boletos?|vuelos?|tickets?)\s+(?:se\s+)?(?:(?P<dative>me|nos)\s+)?(?:los|las|lo|la)\s+"
    r"(?:pag\w+|compr\w+|cubr\w+|coste\w+)\b",
    re.I,
)

TIE_CUES: tuple[TieCue, ...] = (
    TieCue("recruited", RECRUITED_ACTIVE, RECRUITED_PASSIVE, "pattern:recruited", 0.7, detail=("offer", JOB_OFFERED),
           inverted=RECRUITED_CLEFT),
    TieCue("travelled_with", TRAVELLED_WITH, None, "pattern:travelled_with", 0.7),
    TieCue("paid_for", PAID_ACTIVE, PAID_PASSIVE, "pattern:paid_for", 0.7, requires=TICKET_WORDS, inverted=PAID_FRONTED),
    TieCue("hosted", HOSTED_ACTIVE, HOSTED_PASSIVE, "pattern:hosted", 0.7),
)  # fmt: skip

TRAVEL_CUES: dict[RelType, TravelCue] = {
    RelType.TRAVELLED: TravelCue(RelType.TRAVELLED, TRAVEL_WORDS, "pattern:travel", 0.75),
    RelType.PASSENGER_ON: TravelCue(RelType.PASSENGER_ON, TRAVEL_WORDS, "pattern:passenger_on", 0.75),
}
# A first-person traveller: "salí", "viajé" (the speaker alone) or "llegamos", "nos montamos en
# otro bus" (the speaker with whoever the document was about): in a first-person document, the
# speaker is among those who travelled.
FIRST_PERSON_TRAVEL_ALONE = re.compile(
    r"\b(?:sal[ií]|llegu[eé]|viaj[eé]|me\s+fui|abord[eé]|tom[eé]|cog[ií]|cruc[eé]|pas[eé]|me\s+mont[eé]|me\s+sub[ií]|"
    r"I\s+(?:left|travell?ed|arrived|flew|boarded|took))\b",
    re.I,
)
FIRST_PERSON_TRAVEL_TOGETHER = re.compile(
    r"\b(?:salimos|llegamos|viajamos|nos\s+fuimos|nos\s+montamos|nos\s+subimos|abordamos|tomamos|cogimos|cruzamos|pasamos|"
    r"continuamos|we\s+(?:left|travell?ed|arrived|flew|boarded|took|crossed))\b",
    re.I,
)
# A leg whose origin the sentence does not name (taken from the leg before) is less sure.
ASSUMED_ORIGIN_FACTOR = 0.8
# Travellers named only as "ellas" / "they" are the persons of the sentence before, less surely.
CARRIED_SUBJECT_FACTOR = 0.65

MODE_CUES: tuple[ModeCue, ...] = (
    ModeCue("air", AIR_WORDS),
    ModeCue("border_crossing", BORDER_WORDS),
    ModeCue("bus", BUS_WORDS),
)

# A pronoun for the one acted upon right before the verb: "X les ofreció trabajo", "quien le ofreció".
OBJECT_PRONOUN_BEFORE = re.compile(r"\b(?:le|les|la|las|lo|los)\s+\w+$|^(?:le|les)\s", re.I)


@dataclass(frozen=True)
class FirstPersonTieCue:
    """A tie between the person the sentence names and a party it names only by a pronoun: the
    speaker of a first-person document ("A mí me contactó fue doña Adriana", "Conmigo iba
    Wilmer"), or in a message the one it is written to ("en Bogotá te recibe la señora Luz").
    The pattern's group `who` holds the pronoun (PARTY_PRONOUNS says whom it means)."""

    kind: str
    pattern: re.Pattern
    method: str
    confidence: float
    # Whether that party is the one acted upon (recruited, paid for, received) or acts alongside.
    party_is_target: bool


# Whom a pronoun of FIRST_PERSON_TIES means: the speaker, or the addressee of a message.
PARTY_PRONOUNS = {"me": "speaker", "nos": "speaker", "us": "speaker", "my": "speaker", "our": "speaker",
                  "conmigo": "speaker", "nosotros": "speaker", "nosotras": "speaker", "te": "addressee", "contigo": "addressee"}  # fmt: skip

FIRST_PERSON_TIES: tuple[FirstPersonTieCue, ...] = (
    FirstPersonTieCue("recruited", re.compile(
        r"\b(?P<who>me|nos|te)\s+(?:contact[oó]|capt[oó]|reclut[oó]|ofreci[oó]|propuso|consigui[oó]|convenci[oó]|enganch[oó])\b"
        r"|\b(?:recruited|approached|contacted)\s+(?P<who2>me|us)\b|\boffered\s+(?P<who3>me|us)\b", re.I),
        "pattern:recruited", 0.7, party_is_target=True),
    FirstPersonTieCue("paid_for", re.compile(
        r"\b(?P<who>me|nos|te)\s+(?:pag[oó]|compr[oó])\s+(?:el|los|la|las)\s+(?:tiquetes?|pasajes?|boletos?|vuelos?)\b"
        r"|\b(?:paid\s+for|bought)\s+(?P<who2>my|our)\s+(?:tickets?|fares?|flights?)\b", re.I),
        "pattern:paid_for", 0.7, party_is_target=True),
    FirstPersonTieCue("travelled_with", re.compile(
        r"\b(?P<who>conmigo|contigo|con\s+(?:nosotr[oa]s))\s+(?:iba|iban|viaj[oó]|viajaba|fue|lleg[oó]|va|viaja)\b"
        r"|\btravell?ed\s+with\s+(?P<who2>me|us)\b", re.I),
        "pattern:travelled_with", 0.7, party_is_target=False),
    FirstPersonTieCue("hosted", re.compile(
        r"\b(?P<who>me|nos|te)\s+(?:recibi[oó]|recibe|recibir[aá]|recogi[oó]|recoge|recoger[aá]|aloj[oó]|hosped[oó]|alberg[oó]|escondi[oó])\b"
        r"|\bpicked\s+(?P<who2>me|us)\s+up\b|\b(?:housed|harbou?red|sheltered)\s+(?P<who3>me|us)\b", re.I),
        "pattern:hosted", 0.7, party_is_target=True),
)  # fmt: skip


def party_pronoun(match: re.Match) -> str:
    """The pronoun of a FIRST_PERSON_TIES match, folded to the keys of PARTY_PRONOUNS."""
    said = next(value for key, value in match.groupdict().items() if key.startswith("who") and value)
    return said.lower().split()[-1]


# Where a first-person document names its speaker: the "Nombre:" field of a police form, "yo soy X".
SPEAKER_NAMED = re.compile(
    r"^[ \t]*nombres?(?:\s+y\s+apellidos)?(?:\s+del?\s+(?:entrevistad[oa]|denunciante))?\s*:\s*|\b(?:yo\s+soy|mi\s+nombre\s+es|me\s+llamo|my\s+name\s+is)\s+",
    re.I | re.M,
)

# In a message (an e-mail, a chat export) the header lines name who wrote it and to whom.
MESSAGE_SENDER_LINE = re.compile(r"^[ \t]*(?:from|de|remitente|sender)[ \t]*:", re.I | re.M)
MESSAGE_RECIPIENT_LINE = re.compile(r"^[ \t]*(?:to|para|destinatario|recipient)[ \t]*:", re.I | re.M)
MESSAGE_HEADER_SPAN = 1500  # header lines are read only near the top
# A message that offers work ("la vacante es de anfitriona", "oferta de empleo") recruits its
# addressee, less surely than words that say so.
JOB_OFFER = re.compile(
    r"\b(?:vacantes?|ofertas?\s+(?:de\s+)?(?:trabajo|empleo|laboral)|puestos?\s+de\s+trabajo|te\s+ofrezco|te\s+ofrecemos"
    r"|job\s+offers?|vacanc(?:y|ies)|we\s+offer\s+you)\b",
    re.I,
)
MESSAGE_OFFER_METHOD = "pattern:recruited_by_message"
MESSAGE_OFFER_CONFIDENCE = 0.6
# A travel sentence about the addressee's own journey: "tu vuelo sería el 21", "your flight".
ADDRESSEE_TRAVELS = re.compile(
    r"\b(?:tu|tus)\s+(?:vuelos?|viajes?|bus|pasajes?|tiquetes?)\b|\b(?:viajas|viajar[aá]s|te\s+vas|sales|saldr[aá]s)\b"
    r"|\byour\s+(?:flight|trip|bus|ticket)s?\b",
    re.I,
)
# A subject pronoun or a definite role noun not followed by a name points back to the persons
# named before: in "Ella se fue con la Karen", "ella" is the Daniela named before, so "les" after
# that means both; in "se estableció que la joven abordó … junto con X", "la joven" is the one
# named before, not X; "La víctima … fue captada por Y" is that same one, not everyone.
ANAPHOR = re.compile(
    r"\b(?:ella|él|ellas|ellos|she|he|they"
    r"|(?:la|el|las|los|dicha|dicho|dichas|dichos|the|this|these)\s+(?:joven|jóvenes|víctimas?|menor(?:es)?|indiciad[oa]s?"
    r"|investigad[oa]s?|ciudadan[oa]s?|denunciante|entrevistad[oa]|victims?|woman|women|girls?|suspects?|defendants?))\b",
    re.I,
)
PLURAL_ANAPHORS = re.compile(r"(?:s|they|women)$", re.I)

# Two persons in one sentence with nothing stronger between them: the weak fallback.
CO_MENTION_METHOD = "cooccurrence:sentence"
CO_MENTION_CONFIDENCE = 0.3
MAX_CO_MENTIONED_PERSONS = 6


def cue_rows() -> list[tuple[str, str, str, float]]:
    """Every cue as (relationship type, kind, method, confidence): the table docs/extract.md lists."""
    rows = [(str(c.relationship), "", c.method, c.confidence) for c in OWNERSHIP_CUES]
    rows += [(str(c.relationship), "", c.method, c.confidence) for c in TRAVEL_CUES.values()]
    rows += [(str(RelType.ASSOCIATED_WITH), c.kind, c.method, c.confidence) for c in TIE_CUES]
    rows += [(str(RelType.ASSOCIATED_WITH), f"{c.kind} (first person)", c.method, c.confidence) for c in FIRST_PERSON_TIES]
    rows.append((str(RelType.ASSOCIATED_WITH), "recruited (job offer in a message)", MESSAGE_OFFER_METHOD, MESSAGE_OFFER_CONFIDENCE))
    rows.append((str(RelType.ASSOCIATED_WITH), "co_mentioned", CO_MENTION_METHOD, CO_MENTION_CONFIDENCE))
    return rows
