"""The legal elements of trafficking in persons, as data: the action–means–purpose model of the
Palermo Protocol (art. 3) as Colombia's Penal Code words it (art. 188A: "el que capte, traslade,
acoja o reciba a una persona … con fines de explotación"). Pages, reports and the tagger read
the elements and their names in both languages from here.

A victim under 18 makes the means unnecessary (Palermo Protocol art. 3(c); Law 985 of 2005):
the action and the purpose are enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ElementGroup(StrEnum):
    ACTION = "action"
    MEANS = "means"
    PURPOSE = "purpose"


@dataclass(frozen=True)
class LegalElement:
    key: str
    group: ElementGroup
    label_es: str
    label_en: str


_ELEMENTS = (
    LegalElement("recruitment", ElementGroup.ACTION, "captación", "recruitment"),
    LegalElement("transfer", ElementGroup.ACTION, "traslado", "transfer or transport"),
    LegalElement("harbouring", ElementGroup.ACTION, "acogida", "harbouring"),
    LegalElement("receipt", ElementGroup.ACTION, "recepción", "receipt"),
    LegalElement("deception", ElementGroup.MEANS, "engaño", "deception or fraud"),
    LegalElement("threat_force", ElementGroup.MEANS, "amenaza, fuerza o coacción", "threat, force or coercion"),
    LegalElement(
        "abuse_of_vulnerability", ElementGroup.MEANS, "abuso de una situación de vulnerabilidad", "abuse of a position of vulnerability"
    ),
    LegalElement(
        "payment", ElementGroup.MEANS, "pagos o beneficios a quien tiene autoridad", "payments or benefits to a person in control"
    ),
    LegalElement("debt", ElementGroup.MEANS, "deuda", "debt"),
    LegalElement("document_retention", ElementGroup.MEANS, "retención de documentos", "retention of identity documents"),
    LegalElement("sexual_exploitation", ElementGroup.PURPOSE, "explotación sexual", "sexual exploitation"),
    LegalElement("forced_labour", ElementGroup.PURPOSE, "trabajos o servicios forzados", "forced labour or services"),
    LegalElement("servitude_slavery", ElementGroup.PURPOSE, "servidumbre o esclavitud", "servitude or slavery"),
    LegalElement("begging", ElementGroup.PURPOSE, "explotación de la mendicidad ajena", "exploitation of begging"),
    LegalElement("servile_marriage", ElementGroup.PURPOSE, "matrimonio servil", "servile marriage"),
    LegalElement("organ_removal", ElementGroup.PURPOSE, "extracción de órganos", "removal of organs"),
)
LEGAL_ELEMENTS: dict[str, LegalElement] = {e.key: e for e in _ELEMENTS}


def elements_of(group: ElementGroup) -> list[LegalElement]:
    return [e for e in _ELEMENTS if e.group is group]
