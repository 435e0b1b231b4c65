"""Sentences tagged with the legal element of trafficking they evidence (backend.domain.legal_elements):
the action (recruit, transfer, harbour, receive), the means (deception, threat or force, abuse of
vulnerability, payment, debt, documents held) and the purpose (sexual exploitation, forced labour,
servitude, begging, servile marriage, organ removal), in Spanish and English.

Each element has cues: phrases that state it as a fact of the case, written from the wording of
art. 188A and the Palermo Protocol and from the indicators police and UNODC use (an offer of work
abroad, tickets to be paid back from wages, passports taken on arrival …), not from any one file.
A cue gives a confidence: a word that names the element ("captó", "explotación sexual") more than
one that often does ("viajaron", "la recogió"). Text is compared folded (no accents, lower case).

What is not evidence is left out: the name of the crime or of a statute ("trata de personas",
"art. 188A", "sex trafficking"), police capture ("capturado"), the transport terminal ("Terminal de
Transportes"), and a cue denied right before it ("no le quitaron el pasaporte").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backend.domain.text import fold_with_offsets

STRONG, LIKELY, WEAK = 0.9, 0.75, 0.6
METHOD = "rule:legal_element"


@dataclass(frozen=True)
class Cue:
    element: str
    pattern: re.Pattern[str]
    confidence: float
    deniable: bool = True  # a negation just before it cancels it


def _cues(element: str, confidence: float, *patterns: str, deniable: bool = True) -> list[Cue]:
    return [Cue(element, re.compile(p), confidence, deniable) for p in patterns]


# Folded text: "captó" is "capto", "cédula" is "cedula". \b…\w* takes every inflection.
CUES: list[Cue] = [
    # --------------------------------------------------------------- action: recruitment
    *_cues(
        "recruitment",
        STRONG,
        r"\bcapt(?!ur)\w*",  # captar, captó, captada, captador, captación — not capturar
        r"\breclut\w*",
        r"\benganch(?:o|aron|aba|ada|adas|ador)\b",
        r"\brecruit\w*",
        r"\blur(?:e|ed|es|ing)\b",
        r"\binduc(?:ed|ing|e)\b",
        r"\bentic\w*",
    ),  # fmt: skip
    *_cues(
        "recruitment",
        LIKELY,
        r"\bofrec\w*\s+(?:\w+\s+){0,3}(?:trabajo|empleo|viaje|puesto|vacante)",
        r"\bofert\w*\s+(?:\w+\s+){0,2}(?:de\s+)?(?:trabajo|empleo|laboral)",
        r"\b(?:la|una)\s+vacante\b",
        r"\bpropuesta\s+de\s+(?:trabajo|empleo)",
        r"\bconsigui\w*\s+(?:\w+\s+){0,2}(?:trabajo|empleo|puesto)",
        r"\b(?:le|les|me|nos)\s+(?:habia|habian)\s+salido\s+(?:un|una)\s+(?:trabajo|empleo)",
        r"\b(?:me|la|las|nos|les|le)\s+contact(?:o|aba|aron)\b",
        r"\bcontact\w*\s+(?:a\s+)?(?:las\s+|los\s+)?(?:victimas|jovenes|muchachas|ninas|mujeres)\b",
        r"\bnecesit\w*\s+(?:\w+\s+){0,2}(?:ninas|muchachas|jovenes|mujeres|chicas|modelos|meseras)\b",
        r"\boffer\w*\s+(?:\w+\s+){0,3}(?:job|jobs|work|employment)",
        r"\bpromis\w*\s+(?:\w+\s+){0,3}(?:job|jobs|work|employment)",
    ),  # fmt: skip
    # --------------------------------------------------------------- action: transfer
    *_cues(
        "transfer",
        STRONG,
        r"\btraslad(?!o\s+de\s+(?:la\s+)?(?:denuncia|competencia))\w*",
        r"\btransportador\w*",
        r"\btransport(?:o|aron|aba|ada|adas|ar|arla|arlas|e)\b",
        r"\bdesplazamientos?\s+de\s+(?:la|las|los)\s+victimas",
        r"\btransport(?:ed|ing|s)?\b(?!\s+(?:terminal|company))",
        r"\bsmuggl\w*",
        r"\btraffick(?:ed)\s+(?:her|them|women|girls|victims)\b",
    ),  # fmt: skip
    *_cues(
        "transfer",
        LIKELY,
        r"\b(?:salieron|sali|salio|salimos|partieron)\b[^.]{0,60}\b(?:bus|vuelo|avion|aeropuerto|terminal|frontera)",
        r"\b(?:viajaron|viajo|viajamos|viajaban)\b",
        r"\babord(?:o|aron|amos)\b",
        r"\b(?:cogimos|tomaron|tomo|tomamos)\s+el\s+(?:avion|vuelo|bus)",
        r"\bcruz(?:o|aron|amos)\b",
        r"\bpas(?:amos|aron|o)\s+(?:el\s+puente|la\s+frontera)",
        r"\b(?:nos|se)\s+fuimos\b[^.]{0,40}\b(?:bus|avion|vuelo)",
        r"\b(?:mand|envi)(?:ar|arla|arlas|aron|ado|ada|adas|o)\w*\s+(?:\w+\s+){0,2}(?:para|a|hacia)\s+[a-z]",
        r"\bacompanant\w*\b",
        r"\bacompanad[ao]s?\s+por\b",
        r"\b(?:con\s+nosotras|conmigo|con\s+ellas)\s+iba\b",
        r"\biba\s+con\s+(?:nosotras|las\s+muchachas|ellas|las\s+jovenes)",
        r"\bllevarlas?\s+(?:hasta|a|al)\b",
        r"\barrived\s+at\b",
        r"\bbrought\s+(?:her|them|the\s+victims)\s+to\b",
    ),  # fmt: skip
    # --------------------------------------------------------------- action: harbouring
    *_cues(
        "harbouring",
        LIKELY,
        r"\b(?:acog\w*|hosped\w*|albergu\w*)",
        r"\b(?:nos|las|la|los)\s+(?:llevo|llevaron)\s+a\s+(?:un|una)\s+(?:hotel\w*|casa|apartamento|finca|residencia|pieza)",
        r"\bharbou?r\w*",
        r"\b(?:ordered|forced|made)\s+them\s+to\s+live\b",
        r"\bhoused\b",
        r"\bkept\s+(?:her|them)\s+(?:in|at)\b",
    ),  # fmt: skip
    # --------------------------------------------------------------- action: receipt
    *_cues(
        "receipt",
        LIKELY,
        r"\brecib(?:ir|e|io|ian|ia|ieron)\s+(?:a\s+)?(?:las|los|la)?\s*(?:muchachas|jovenes|victimas|ninas|mujeres)",
        r"\b(?:te|las|nos|la|me)\s+recib(?:e|io|ira|ian|ia)\b",
        r"\b(?:nos|las|la|me|te)\s+recog(?:io|ieron|ia|era)\b",
        r"\bpicked\s+(?:her|them)\s+up\b",
        r"\bmet\s+(?:her|them)\s+at\s+the\s+(?:airport|station|border)",
    ),  # fmt: skip
    # --------------------------------------------------------------- means
    *_cues(
        "deception",
        STRONG,
        r"\benga(?:n|ñ)\w*",
        r"\b(?:ofertas?|promesas?)\s+(?:\w+\s+){0,2}falsas?\b",
        r"\bfalsas?\s+(?:ofertas?|promesas?)",
        r"\bdeceiv\w*",
        r"\bdecept\w*",
        r"\bfraudulent\w*",
        r"\bfalse(?:ly)?\s+promis\w*",
        r"\bwith\s+promises\s+of\b",
        deniable=False,
    ),  # fmt: skip
    *_cues(
        "deception",
        LIKELY,
        # The promise and what the place turned out to be: "allá no era ningún restaurante".
        r"\bno\s+era\s+(?:ninguna?|ningun|un|una|el|la)\s+(?:finca|trabajo|hotel|restaurante|empleo|casa|oficina|fabrica|empresa)",
        r"\bprometi\w*",
        deniable=False,
    ),  # fmt: skip
    *_cues(
        "threat_force",
        STRONG,
        r"\bamenaz\w*",
        r"\bgolpe(?:o|aron|aba|aban|ada|adas)\b",
        r"\bviolencia\b",
        r"\bencerr\w*",
        r"\bsecuestr\w*",
        r"\bno\s+(?:la|las|nos|me|los)\s+dejaban\s+salir\b",
        r"\ba\s+la\s+fuerza\b",
        r"\bthreat\w*",
        r"\bphysical\s+abuse\b",
        r"\bviolence\b",
        r"\bbeat(?:en|ing)?\s+(?:her|them)\b",
        r"\bconfin\w*",
        r"\blocked\s+(?:her|them)\b",
        r"\bisolation\b",
        deniable=False,
    ),  # fmt: skip
    *_cues(
        "abuse_of_vulnerability",
        STRONG,
        r"\bvulnerab\w*",
        r"\bsordomud\w*",
        r"\bdiscapacidad\b",
        r"\bsituacion\s+de\s+(?:pobreza|calle|desplazamiento)",
        r"\bdisabilit\w*",
        r"\baddiction\w*",
        deniable=False,
    ),  # fmt: skip
    *_cues(
        "payment",
        LIKELY,
        r"\b(?:vendio|vendieron|vendida|vendido)\s+(?:a\s+)?(?:la|su|una|el)?\s*(?:nina|hija|menor|joven|bebe|nino|hijo)",
        r"\b(?:le\s+)?pag(?:o|aron)\s+(?:a\s+)?(?:su|la|los)?\s*(?:padre|madre|familia|padres)",
        r"\bsold\s+(?:her|him|them|the\s+(?:girl|child|baby))\b",
        r"\bpaid\s+(?:her|the)\s+(?:family|parents)\b",
    ),  # fmt: skip
    *_cues(
        "debt",
        STRONG,
        r"\bdeuda\w*",
        r"\bcobr\w*\s+(?:\w+\s+){0,2}(?:tiquetes?|pasajes?|viaje|pasaje)",
        r"\bpagar\s+(?:\w+\s+){0,4}(?:del|el|los)\s+(?:viaje|pasajes?|tiquetes?)",
        r"\bdescont\w*\s+(?:\w+\s+){0,2}del\s+(?:sueldo|salario|pago)",
        r"\bdescuent\w*\s+(?:\w+\s+){0,2}del\s+(?:sueldo|salario|pago)",
        r"\bdebt\w*",
        r"\bpay\s+off\b",
        r"\bowe[ds]?\b",
        deniable=False,
    ),  # fmt: skip
    *_cues(
        "document_retention",
        STRONG,
        r"\b(?:quit|retir|retuv|decomis)\w*\s+(?:\w+\s+){0,2}(?:pasaportes?|cedulas?|documentos?)",
        r"\b(?:tenia|tenian|guardaba|guardaban)\b[^.]{0,40}\b(?:pasaportes?|cedulas?|documentos\s+de\s+identidad)",
        r"\b(?:pasaportes?|cedulas?)\s+guardad[ao]s?\b",
        r"\b(?:cedula|pasaporte)\s+(?:\w+\s+)?guardad",
        r"\b(?:took|confiscat\w*|withheld|held|kept|seized)\s+(?:\w+\s+){0,2}(?:passports?|documents|identification)",
    ),  # fmt: skip
    # --------------------------------------------------------------- purpose
    *_cues(
        "sexual_exploitation",
        STRONG,
        r"\bexplotacion\s+sexual\b",
        r"\bprostitu\w*",
        r"\bcomercio\s+sexual\b",
        r"\bservicios\s+sexuales\b",
        r"\bpornograf\w*",
        r"\bturismo\s+sexual\b",
        r"\bsexual\s+exploitation\b",
        r"\bcommercial\s+sex\b",
        r"\bsex\s+acts?\b",
        r"\bprostitution\b",
        deniable=False,
    ),  # fmt: skip
    *_cues(
        "forced_labour",
        STRONG,
        r"\btrabajos?\s+(?:o\s+servicios\s+)?forzad\w*",
        r"\bexplotacion\s+laboral\b",
        # "obligadas a trabajar", "nos obligaron a trabajar", "la forzaban a trabajar"
        r"\b(?:oblig|forz)\w*\s+a\s+trabajar\b",
        r"\b(?:tenia|teniamos|tenian)\s+que\s+trabajar\b",
        r"\bforced\s+labou?r\b",
        r"\bforc\w*\s+(?:\w+\s+){0,2}to\s+work\b",  # "forced to work", "forced them to work", "forcing the women to work"
        deniable=False,
    ),  # fmt: skip
    *_cues(
        "servitude_slavery", STRONG, r"\bservidumbre\b", r"\besclav\w*", r"\bservitude\b", r"\bslaver\w*", r"\benslav\w*", deniable=False
    ),
    *_cues("begging", STRONG, r"\bmendi(?:cidad|gando|gar|gaba|gaban|cante)\w*", r"\bbegging\b", deniable=False),
    *_cues("servile_marriage", STRONG, r"\bmatrimonio\s+(?:servil|forzad\w*)", r"\b(?:servile|forced)\s+marriage\b", deniable=False),
    *_cues("organ_removal", STRONG, r"\b(?:extraccion|trafico)\s+de\s+organos\b", r"\borgan\s+(?:removal|harvesting)\b", deniable=False),
]

# What names the crime or the law, or is police work, not a fact of the case.
NOT_EVIDENCE = [re.compile(p) for p in (
    r"\btrata\s+de\s+personas\b", r"\bart(?:iculo|\.)?\s*188\s*-?\s*a\b", r"\bsex\s+trafficking\b", r"\blabou?r\s+trafficking\b",
    r"\bhuman\s+trafficking\b", r"\bterminal\s+de\s+transportes?\b", r"\bempresa\s+(?:de\s+)?transport\w*",
)]  # fmt: skip
NEGATION = re.compile(r"\b(?:no|nunca|jamas|ni|not|never|didn't|did\s+not|no\s+le|no\s+les|no\s+me)\s+(?:\w+\s+){0,2}$")
SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"”»)]?\s+(?=[\"“«(¿¡]?[A-ZÁÉÍÓÚÑ0-9])|\n\s*\n|\n(?=\s*(?:\d+(?:\.\d+)*\.?\s|[-•*]\s|[A-ZÁÉÍÓÚÑ ]{6,}\n))"
)


@dataclass(frozen=True)
class ElementTag:
    element: str
    sentence_start: int
    sentence_end: int
    start: int  # the cue
    end: int
    cue: str
    confidence: float
    method: str = METHOD


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: a full stop, question or exclamation mark before a capital, a blank line,
    or a line that starts a numbered item or a heading."""
    spans, start = [], 0
    for boundary in SENTENCE_END.finditer(text):
        if text[start : boundary.start()].strip():
            spans.append((start, boundary.start()))
        start = boundary.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def tag_elements(text: str) -> list[ElementTag]:
    """The legal elements each sentence of `text` evidences: one tag per sentence and element,
    from its strongest cue."""
    folded, starts = fold_with_offsets(text)
    # Newlines inside a sentence (wrapped lines, quoted-printable) are spaces to the cues.
    flat = re.sub(r"\s", " ", folded)
    tags: list[ElementTag] = []
    for begin, end in sentences(text):
        f_begin = _folded_index(starts, begin)
        f_end = _folded_index(starts, end)
        sentence = flat[f_begin:f_end]
        masked = sentence
        for name in NOT_EVIDENCE:
            masked = name.sub(lambda m: " " * len(m.group()), masked)
        best: dict[str, tuple[float, int, int]] = {}
        for cue in CUES:
            for match in cue.pattern.finditer(masked):
                if cue.deniable and NEGATION.search(masked[max(0, match.start() - 30) : match.start()]):
                    continue
                if cue.element not in best or best[cue.element][0] < cue.confidence:
                    best[cue.element] = (cue.confidence, match.start(), match.end())
                break
        for element, (confidence, m_start, m_end) in best.items():
            start, stop = starts[f_begin + m_start], starts[min(f_begin + m_end, len(starts) - 1)]
            tags.append(ElementTag(element, begin, end, start, stop, text[start:stop], confidence))
    return tags


def _folded_index(starts: list[int], offset: int) -> int:
    """The index in the folded text of the character at `offset` in the original."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high) // 2
        if starts[middle] < offset:
            low = middle + 1
        else:
            high = middle
    return low
