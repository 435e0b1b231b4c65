"""Builds the bundled sample case (ingest/sample_case/) and its gold (ingest/sample_case_gold.json).

Operación Telar — an INVENTED case: every person, phone number, ID number, e-mail
address and booking reference below is made up; places, airlines and terminals are
real public names. The story: recruiters in Pereira ("El Paisa") and Cali ("La
Madrina") offer young women work abroad; the women travel by bus through the terminals
of Pereira, Cali and Cúcuta to Bogotá, and fly from El Dorado to Madrid and Mexico City,
where a Spanish and a Mexican phone number receive them.

The narrative documents and their gold were written by hand; the follow-up reports,
the CDR, the manifests and the ticket list are generated from the same story with a
fixed seed. Run `python -m ingest.sample_case_builder` to rebuild; the output is committed.
"""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from backend.domain.vocabulary import EntityType
from ingest.generator import stable_zip

FOLDER = Path(__file__).parent / "sample_case"
GOLD_PATH = Path(__file__).parent / "sample_case_gold.json"
CASE_NAME = "Operación Telar"

# -------------------------------------------------------------------------------- the cast
PAISA = "Jhon Fredy Cardona Restrepo"
MADRINA = "María Eugenia Salazar Ocampo"
CONDUCTOR = "Wilmer Andrés Quintero Lasso"
MEXICANO = "Rodrigo Zamudio Ibarra"
ESPAÑOLA = "Carmen Lucía Beltrán Ruiz"
YULIANA = "Yuliana Andrea Ríos Castaño"
LEIDY = "Leidy Johana Marín Ospina"
KAREN = "Karen Dayana Mosquera Palacios"
DANIELA = "Daniela Valencia Arboleda"
GENESIS = "Génesis Carolina Urbina Pérez"
MADRE = "Gloria Inés Castaño de Ríos"
INVESTIGADOR = "Hernán Darío Gómez Villa"
INVESTIGADORA = "Sandra Milena Rojas Peña"

PAISA_PHONE = "+573147823390"
PAISA_PHONE_2 = "+573215560914"
MADRINA_PHONE = "+573182246701"
CONDUCTOR_PHONE = "+573004189922"
MEXICANO_PHONE = "+525534127789"
ESPAÑOLA_PHONE = "+34622418305"
YULIANA_PHONE = "+573126740021"
KAREN_PHONE = "+573168871204"

DOCUMENTS: dict[str, dict] = {}  # file name -> {"text" or "data", "gold"}


def gold(**kinds: list[str]) -> dict[str, list[str]]:
    return {kind: sorted(set(values)) for kind, values in kinds.items()}


# -------------------------------------------------------------------------------- hand-written
DOCUMENTS["01_denuncia_madre_pereira.txt"] = {
    "text": """FISCALÍA GENERAL DE LA NACIÓN
FORMATO ÚNICO DE NOTICIA CRIMINAL
Número único de noticia criminal: 660016000035201800412
Departamento: Risaralda. Municipio: Pereira. Fecha de recepción: 15 de marzo de 2018.

DATOS DEL DENUNCIANTE
Nombre: CASTAÑO DE RÍOS GLORIA INÉS, cédula de ciudadanía No. 42.087.316 de Pereira.
Teléfono de contacto: 311 772 4580.

RELATO DE LOS HECHOS
Manifiesta la denunciante que su hija Yuliana Andrea Ríos Castaño, de 19 años, identificada con C.C. 1.088.345.672, salió de la casa el 9 de marzo de 2018 diciendo que viajaba a Bogotá para un trabajo en un restaurante. La joven le contó que un señor de nombre Jhon Fredy Cardona, a quien en el barrio conocen como alias 'El Paisa', le había ofrecido trabajo como mesera en España con un sueldo de dos mil euros. Desde el 12 de marzo no contesta su celular 312 674 0021. Una amiga de su hija le dijo que Yuliana se fue con otra muchacha de Dosquebradas, Leidy Marín, y que El Paisa les pagó los pasajes.

La denunciante aporta el número del señor, 314 782 3390, que su hija tenía guardado como "Paisa trabajo".
""",
    "gold": gold(
        Person=[MADRE, YULIANA, "Jhon Fredy Cardona", "Leidy Marín"],
        Phone=["+573117724580", YULIANA_PHONE, PAISA_PHONE],
        IdentityDocument=["CC:42087316", "CC:1088345672"],
        Location=["Pereira", "Bogotá", "Dosquebradas", "España", "Risaralda"],
        Flight=[],
        Airport=[],
        BusTerminal=[],
        RouteLeg=[],
    ),
}

DOCUMENTS["02_informe_investigador_pereira.txt"] = {
    "text": f"""POLICÍA NACIONAL – DIRECCIÓN DE INVESTIGACIÓN CRIMINAL E INTERPOL (DIJÍN)
INFORME DE INVESTIGADOR DE CAMPO – FPJ-11
Noticia criminal: 660016000035201800412. Delito: Trata de personas (art. 188A C.P.)
Fecha del informe: 28/03/2018

1. ACTIVIDADES REALIZADAS
Se realizó consulta en bases de datos de la Registraduría sobre el indiciado CARDONA RESTREPO JHON FREDY, identificado con cédula de ciudadanía 10.138.554, alias El Paisa, con residencia en el barrio Cuba de Pereira. Según información de fuente humana, el indiciado frecuenta la Terminal de Transportes de Pereira, donde aborda a mujeres jóvenes que esperan bus.

Se estableció que el indiciado utiliza los abonados 314-7823390 y 321 556 0914. Este último aparece registrado a nombre de un tercero.

2. RESULTADOS
Revisados los tiquetes de la empresa Expreso Bolivariano, se encontró que el 9 de marzo de 2018 Yuliana Andrea Ríos Castaño y LEIDY JOHANA MARÍN OSPINA viajaron en bus desde la Terminal de Transportes de Pereira hasta la Terminal Salitre en Bogotá, en el servicio de las 22:30. Los tiquetes fueron comprados en efectivo por Cardona Restrepo.

Posteriormente, el 12 de marzo de 2018 ambas abordaron el vuelo AV 010 de Avianca con destino a Madrid, desde el Aeropuerto Internacional El Dorado. En Madrid las esperaba una mujer de nombre Carmen Lucía Beltrán Ruiz, con abonado español +34 622 418 305.

Investigador: Subintendente {INVESTIGADOR.upper()}
""",
    "gold": gold(
        Person=[PAISA, YULIANA, LEIDY, ESPAÑOLA, INVESTIGADOR],
        Phone=[PAISA_PHONE, PAISA_PHONE_2, ESPAÑOLA_PHONE],
        IdentityDocument=["CC:10138554"],
        Location=["Pereira", "Bogotá", "Madrid", "Cuba"],
        Flight=["AV10"],
        Airport=["BOG"],
        BusTerminal=["terminal:pereira", "terminal:bogota-salitre"],
        RouteLeg=["Pereira→Bogotá", "Bogotá→Madrid"],
    ),
}

DOCUMENTS["03_entrevista_yuliana.txt"] = {
    "text": f"""ENTREVISTA – FPJ-14
Lugar: Bogotá D.C., Centro de Atención a Víctimas. Fecha: 2 de julio de 2018. Hora: 10:15.
Entrevistada: Yuliana Andrea Ríos Castaño, C.C. 1088345672, natural de Pereira.
Entrevistadora: {INVESTIGADORA}, investigadora del Grupo contra la Trata de Personas.

PREGUNTADO: Diga cómo conoció a la persona que le ofreció el trabajo.
CONTESTÓ: A él le dicen El Paisa, se llama Jhon Fredy, yo lo conocí en la terminal de Pereira porque él siempre estaba por ahí. Me dijo que en Madrid había trabajo en un restaurante de una señora colombiana y que me pagaban el pasaje.

PREGUNTADO: Diga cómo fue el viaje.
CONTESTÓ: Nos fuimos con Leidy en bus de Pereira a Bogotá, llegamos al Salitre como a las seis de la mañana. El Paisa nos había dado la plata del tiquete. Después un señor que se llama Wilmer nos llevó en una camioneta al aeropuerto y el 12 de marzo nos montamos en el avión de Avianca para Madrid.

PREGUNTADO: Diga qué pasó al llegar a Madrid.
CONTESTÓ: En el aeropuerto nos recogió la señora Carmen, ella nos quitó los pasaportes y nos dijo que debíamos 6.000 euros del viaje. Nos llevaron a un piso y nos obligaron a trabajar en un club. Yo me comunicaba con El Paisa por WhatsApp al 321 556 0914 y él decía que tenía que pagar la deuda.

PREGUNTADO: Tiene algo más que agregar.
CONTESTÓ: Que a otra muchacha de Cali, Karen, la mandaron a México con la misma gente.
""",
    "gold": gold(
        Person=[YULIANA, INVESTIGADORA, "Jhon Fredy", "Leidy", "Wilmer", "Carmen", "Karen"],
        Phone=[PAISA_PHONE_2],
        IdentityDocument=["CC:1088345672"],
        Location=["Bogotá", "Pereira", "Madrid", "Cali", "México"],
        Flight=[],
        Airport=[],
        BusTerminal=["terminal:pereira", "terminal:bogota-salitre"],
        RouteLeg=["Pereira→Bogotá", "Bogotá→Madrid"],
    ),
}

DOCUMENTS["04_entrevista_leidy.txt"] = {
    "text": """ENTREVISTA FPJ-14
Fecha: 3 de julio de 2018. Lugar: Dosquebradas, Risaralda.
Entrevistada: LEIDY JOHANA MARÍN OSPINA, cédula 1.004.567.213.

La entrevistada manifiesta que conoció a Yuliana Ríos en el colegio y que fue Yuliana quien le presentó a alias El Paisa. Refiere que El Paisa le ofreció trabajo como niñera en Madrid y que le dijo que no le contara a nadie. Señala que el 9 de marzo salieron de la Terminal de Pereira hacia Bogotá en un bus de Expreso Bolivariano, y que en Bogotá durmieron una noche en un hotel cerca de la terminal.

Indica que el conductor que las llevó al aeropuerto El Dorado se llamaba Wilmer Andrés Quintero y que tenía el celular 300 418 9922. Agrega que en el vuelo a Madrid viajaban otras dos muchachas colombianas que ella no conocía.

Refiere que en España la recibió la señora Carmen Lucía Beltrán, quien la llamaba desde el 0034 622 418 305.
""",
    "gold": gold(
        Person=[LEIDY, "Yuliana Ríos", "El Paisa", "Wilmer Andrés Quintero", "Carmen Lucía Beltrán"],
        Phone=[CONDUCTOR_PHONE, ESPAÑOLA_PHONE],
        IdentityDocument=["CC:1004567213"],
        Location=["Dosquebradas", "Risaralda", "Madrid", "Bogotá", "España"],
        Flight=[],
        Airport=["BOG"],
        BusTerminal=["terminal:pereira"],
        RouteLeg=["Pereira→Bogotá", "Bogotá→Madrid"],
    ),
}

PDF_PAGES = [
    f"""POLICÍA NACIONAL - SIJÍN VALLE
INFORME DE INVESTIGADOR DE CAMPO FPJ-11
Noticia criminal 760016000193201800877 - Trata de personas
Fecha: 30 de abril de 2018

Por información de la Fiscalía Seccional de Cali se estableció que la señora {MADRINA.upper()}, conocida como La Madrina, identificada con C.C. 31.987.654, recluta jóvenes en el barrio Siloé de Cali ofreciéndoles trabajo como modelos en México. La indiciada utiliza el abonado celular 318 224 6701 y el correo lamadrina.empleos@gmail.com.

Karen Dayana Mosquera Palacios, de 20 años, fue captada por La Madrina en febrero de 2018.""",
    f"""Continuación del informe.

Según los registros de la empresa Expreso Palmira, el 20 de abril de 2018 Karen Dayana Mosquera y Daniela Valencia Arboleda viajaron en bus de la Terminal de Cali a la Terminal del Sur de Bogotá.

El 23 de abril de 2018 las dos jóvenes abordaron el vuelo AV 204 de Bogotá a Ciudad de México. En México las recibió un hombre que se identificó como {MEXICANO}, cuyo número es +52 55 3412 7789.

Investigador: Patrullero Julián Andrés Lozano Mejía""",
]
DOCUMENTS["05_informe_sijin_cali.pdf"] = {
    "pages": PDF_PAGES,
    "gold": gold(
        Person=[MADRINA, KAREN, DANIELA, MEXICANO, "Julián Andrés Lozano Mejía"],
        Phone=[MADRINA_PHONE, MEXICANO_PHONE],
        IdentityDocument=["CC:31987654"],
        Location=["Cali", "México", "Bogotá", "Ciudad de México", "Siloé"],
        Flight=["AV204"],
        Airport=[],
        BusTerminal=["terminal:cali", "terminal:bogota-sur"],
        RouteLeg=["Cali→Bogotá", "Bogotá→Ciudad de México"],
    ),
}

DOCX_PARAGRAPHS = [
    "ENTREVISTA A VÍCTIMA - FPJ-14",
    "Fecha: 14 de agosto de 2018. Lugar: Cali, Valle del Cauca.",
    "Entrevistada: Karen Dayana Mosquera Palacios, identificada con cédula 1.143.876.902, celular 316 887 1204.",
    "PREGUNTADO: Cómo la contactaron. CONTESTÓ: La señora María Eugenia, la que todos llaman La Madrina, me escribió por Facebook y después me llamó del 318 224 6701. Me ofreció trabajar de modelo en Cancún.",
    "PREGUNTADO: Cómo viajó. CONTESTÓ: Con Daniela nos fuimos en bus de Cali a Bogotá y de allí en avión a Ciudad de México. Los pasajes los pagó La Madrina.",
    "PREGUNTADO: Qué pasó en México. CONTESTÓ: Nos recogió Rodrigo, el mexicano, y nos encerró en una casa. Él llamaba a La Madrina todos los días.",
]
DOCUMENTS["06_entrevista_karen.docx"] = {
    "paragraphs": DOCX_PARAGRAPHS,
    "gold": gold(
        Person=[KAREN, "María Eugenia", "Daniela", "Rodrigo"],
        Phone=[KAREN_PHONE, MADRINA_PHONE],
        IdentityDocument=["CC:1143876902"],
        Location=["Cali", "Valle del Cauca", "Cancún", "Bogotá", "Ciudad de México", "México"],
        Flight=[],
        Airport=[],
        BusTerminal=[],
        RouteLeg=["Cali→Bogotá", "Bogotá→Ciudad de México"],
    ),
}

DOCUMENTS["07_interpol_liaison_note.txt"] = {
    "text": f"""INTERPOL NCB BOGOTÁ – LIAISON NOTE
To: NCB Madrid, Spanish National Police (UCRIF)
Date: 9 August 2018
Subject: Operación Telar – Colombian victims of trafficking in Madrid

1. On 12 March 2018 two Colombian women, Yuliana Andrea Ríos Castaño (Colombian passport AT482915) and Leidy Johana Marín Ospina (passport AT517340), travelled from Bogotá to Madrid on Avianca flight AV 010.

2. On arrival at Madrid-Barajas they were met by {ESPAÑOLA}, a Colombian national resident in Madrid, known as 'La Paisa'. Her Spanish mobile number is +34 622 418 305.

3. The victims report that Ms Beltrán kept their passports and forced them to work in a club in the south of Madrid. Colombian investigators believe she is in daily contact with {PAISA}, who uses +57 321 556 0914.

Please advise whether Ms Beltrán or the number above are known to your services.
""",
    "gold": gold(
        Person=[YULIANA, LEIDY, ESPAÑOLA, PAISA],
        Phone=[ESPAÑOLA_PHONE, PAISA_PHONE_2],
        IdentityDocument=["PASSPORT:AT482915", "PASSPORT:AT517340"],
        Location=["Bogotá", "Madrid"],
        Flight=["AV10"],
        Airport=["MAD"],
        BusTerminal=[],
        RouteLeg=["Bogotá→Madrid"],
    ),
}

EMAIL_BODY = """Hola Daniela, mucho gusto.

Te escribo de parte de Karen. Como te conté por teléfono, en México hay trabajo de modelo para niñas bonitas, se gana muy bien y nosotros te prestamos para el tiquete y los papeles. Viajarías con Karen el 23 de abril en el vuelo de Avianca AV204 desde Bogotá.

Allá las recibe mi socio Rodrigo Zamudio, su número es +52 55 3412 7789. Cualquier cosa me llamas al 318 224 6701.

Te mando adjunto el itinerario.

Besos,
María Eugenia Salazar
"""
ITINERARY = """ITINERARIO DE VIAJE
Pasajera: VALENCIA ARBOLEDA DANIELA
Documento: C.C. 1.144.203.558
20/04/2018 - Bus Expreso Palmira, Terminal de Cali - Terminal del Sur de Bogotá, salida 21:00
23/04/2018 - Vuelo AV 204, Bogotá (BOG) - Ciudad de México (MEX)
Contacto en destino: +52 55 3412 7789
"""
DOCUMENTS["08_correo_oferta_trabajo.eml"] = {
    "email": {
        "from": "María Eugenia Salazar <lamadrina.empleos@gmail.com>",
        "to": "Daniela Valencia <dani.valencia.a@hotmail.com>",
        "date": "Mon, 09 Apr 2018 19:42:10 -0500",
        "subject": "Trabajo en México",
        "body": EMAIL_BODY,
        "attachment": ("itinerario_daniela.txt", ITINERARY),
    },
    "gold": gold(
        Person=["Daniela Valencia", "Karen", "Rodrigo Zamudio", "María Eugenia Salazar"],
        Phone=[MEXICANO_PHONE, MADRINA_PHONE],
        IdentityDocument=[],
        Location=["México", "Bogotá"],
        Flight=["AV204"],
        Airport=[],
        BusTerminal=[],
        RouteLeg=[],
    ),
}
ATTACHMENT_GOLD = gold(
    Person=[DANIELA],
    Phone=[MEXICANO_PHONE],
    IdentityDocument=["CC:1144203558"],
    Location=["Bogotá", "Ciudad de México"],
    Flight=["AV204"],
    Airport=["BOG", "MEX"],
    BusTerminal=["terminal:cali", "terminal:bogota-sur"],
    RouteLeg=["Cali→Bogotá", "Bogotá→Ciudad de México"],
)

SCAN_LINES = [
    "MIGRACIÓN COLOMBIA",
    "PUESTO DE CONTROL MIGRATORIO AEROPUERTO EL DORADO",
    "ACTA DE ENTREVISTA EN FILTRO MIGRATORIO",
    "",
    "Fecha: 23 de abril de 2018",
    "",
    "En el filtro de salida internacional se entrevistó a la",
    "pasajera KAREN DAYANA MOSQUERA PALACIOS, cédula",
    "1.143.876.902, quien viajaba en el vuelo AV 204 con",
    "destino a Ciudad de México junto con Daniela Valencia",
    "Arboleda. Manifestó que viajaba como turista.",
    "",
    "Oficial de migración: Luz Marina Cuesta Rentería",
]
DOCUMENTS["09_acta_migracion_escaneada.png"] = {
    "scan": SCAN_LINES,
    "gold": gold(
        Person=[KAREN, DANIELA, "Luz Marina Cuesta Rentería"],
        Phone=[],
        IdentityDocument=["CC:1143876902"],
        Location=["Ciudad de México"],
        Flight=["AV204"],
        Airport=["BOG"],
        BusTerminal=[],
        RouteLeg=["Bogotá→Ciudad de México"],
    ),
}

DOCUMENTS["10_informe_migrante_venezolana.txt"] = {
    "text": f"""POLICÍA NACIONAL – DIJÍN – GRUPO CONTRA LA TRATA DE PERSONAS
INFORME EJECUTIVO – FPJ-3
Fecha: 5 de mayo de 2018

El día 2 de mayo de 2018, en la Terminal de Transportes de Bogotá (Salitre), personal de Policía de Turismo identificó a la ciudadana venezolana Génesis Carolina Urbina Pérez, con cédula venezolana V-24.567.890 y PEP 956732184051992, quien había llegado en bus desde la Terminal de Cúcuta.

La ciudadana manifestó que el 30 de abril cruzó a pie por el Puente Internacional Simón Bolívar desde San Cristóbal hasta Cúcuta, y que allí un hombre al que llaman "El Flaco" le entregó el tiquete de bus. Refiere que en Bogotá la esperaba el señor {CONDUCTOR}, quien la llevaría a Cali para trabajar en una casa de familia.

Se verificó que el celular que Génesis tenía anotado, 300 418 9922, corresponde al abonado utilizado por Quintero Lasso, el mismo conductor mencionado en las entrevistas de las víctimas de Pereira. Su teléfono venezolano es +58 414 7720913.

Investigadora: {INVESTIGADORA}
""",
    "gold": gold(
        Person=[GENESIS, CONDUCTOR, INVESTIGADORA, "El Flaco"],
        Phone=[CONDUCTOR_PHONE, "+584147720913"],
        IdentityDocument=["VE_CI:24567890", "PEP:956732184051992"],
        Location=["San Cristóbal", "Cúcuta", "Bogotá", "Cali", "Pereira", "Puente Internacional Simón Bolívar"],
        Flight=[],
        Airport=[],
        BusTerminal=["terminal:bogota-salitre", "terminal:cucuta"],
        RouteLeg=["San Cristóbal→Cúcuta", "Cúcuta→Bogotá"],
    ),
}


# -------------------------------------------------------------------------------- generated from the story
def _tables(rng: random.Random) -> None:
    phones = [PAISA_PHONE, PAISA_PHONE_2, MADRINA_PHONE, CONDUCTOR_PHONE, MEXICANO_PHONE, ESPAÑOLA_PHONE, YULIANA_PHONE, KAREN_PHONE]
    pairs = [(PAISA_PHONE, YULIANA_PHONE), (PAISA_PHONE_2, ESPAÑOLA_PHONE), (PAISA_PHONE, CONDUCTOR_PHONE),
             (MADRINA_PHONE, KAREN_PHONE), (MADRINA_PHONE, MEXICANO_PHONE), (PAISA_PHONE_2, MADRINA_PHONE),
             (CONDUCTOR_PHONE, MADRINA_PHONE)]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Número origen", "Número destino", "Fecha y hora", "Duración (s)", "Celda", "IMEI"])
    used = set()
    for i in range(60):
        a, b = rng.choice(pairs)
        if rng.random() < 0.4:
            a, b = b, a
        used.update((a, b))
        day = 1 + i // 4
        written_a = a[1:] if a.startswith("+57") else a
        writer.writerow([written_a, b, f"{day:02d}/03/2018 {rng.randint(7, 23):02d}:{rng.randint(0, 59):02d}", rng.randint(8, 1200),
                         f"732-101-{rng.choice([4411, 4412, 5120, 6001])}", "35" + "".join(str(rng.randint(0, 9)) for _ in range(13))])  # fmt: skip
    DOCUMENTS["11_cdr_abonados_paisa.csv"] = {
        "data": out.getvalue().encode("utf-8"),
        "gold": gold(
            Person=[],
            Phone=sorted(used & set(phones)),
            IdentityDocument=[],
            Location=[],
            Flight=[],
            Airport=[],
            BusTerminal=[],
            RouteLeg=[],
        ),
    }

    def manifest(name, flight, day, origin, destination, passengers, english):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["Passenger", "Document", EntityType.FLIGHT, "Date", "From", "To", "Booking reference", "Seat"] if english
                        else ["Pasajero", "Documento", "Vuelo", "Fecha", "Origen", "Destino", "Reserva", "Silla"])  # fmt: skip
        persons, ids = [], []
        for full, surname_first, document in passengers:
            persons.append(full)
            ids.append(("PASSPORT:" + document) if document[0].isalpha() else "CC:" + document)
            writer.writerow([surname_first, document, flight, day, origin, destination,
                             "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6)), f"{rng.randint(10, 40)}{rng.choice('ABCDEF')}"])  # fmt: skip
        return out.getvalue().encode("utf-8"), persons, ids

    extra = [("Paola Andrea Giraldo Henao", "GIRALDO HENAO PAOLA ANDREA", "1053812447"),
             ("Luis Alberto Mejía Toro", "MEJIA TORO LUIS ALBERTO", "AT339021"),
             ("Natalia Ocampo Duque", "OCAMPO DUQUE NATALIA", "1088276530")]  # fmt: skip
    data, persons, ids = manifest(
        "av010", "AV010", "2018-03-12", "BOG", "MAD",
        [(YULIANA, "RIOS CASTAÑO YULIANA ANDREA", "AT482915"), (LEIDY, "MARIN OSPINA LEIDY JOHANA", "AT517340"), *extra], english=False,
    )  # fmt: skip
    DOCUMENTS["12_manifiesto_av010_bog_mad.csv"] = {
        "data": data,
        "gold": gold(
            Person=persons,
            Phone=[],
            IdentityDocument=ids,
            Location=[],
            Flight=["AV10"],
            Airport=["BOG", "MAD"],
            BusTerminal=[],
            RouteLeg=["Bogotá→Madrid"],
        ),
    }
    data, persons, ids = manifest(
        "av204", "AV 204", "23/04/2018", "BOG", "MEX",
        [(KAREN, "MOSQUERA PALACIOS KAREN DAYANA", "1143876902"), (DANIELA, "VALENCIA ARBOLEDA DANIELA", "1144203558"),
         ("Jorge Iván Henao Ruiz", "HENAO RUIZ JORGE IVAN", "AT220187")], english=True,
    )  # fmt: skip
    DOCUMENTS["13_manifest_av204_bog_mex.csv"] = {
        "data": data,
        "gold": gold(
            Person=persons,
            Phone=[],
            IdentityDocument=ids,
            Location=[],
            Flight=["AV204"],
            Airport=["BOG", "MEX"],
            BusTerminal=[],
            RouteLeg=["Bogotá→Ciudad de México"],
        ),
    }

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tiquetes"
    sheet.append(["EXPRESO BOLIVARIANO S.A. - RELACIÓN DE TIQUETES SOLICITADA POR LA FISCALÍA"])
    sheet.append(["Pasajero", "Documento", "Empresa", "Terminal origen", "Destino", "Fecha salida", "Silla"])
    rows = [
        (YULIANA, "1088345672", "Terminal de Transportes de Pereira", "Bogotá Salitre", "09/03/2018 22:30", 14),
        (LEIDY, "1004567213", "Terminal de Transportes de Pereira", "Bogotá Salitre", "09/03/2018 22:30", 15),
        (KAREN, "1143876902", "Terminal de Cali", "Terminal del Sur Bogotá", "20/04/2018 21:00", 7),
        (DANIELA, "1144203558", "Terminal de Cali", "Terminal del Sur Bogotá", "20/04/2018 21:00", 8),
        (GENESIS, "V-24567890", "Terminal de Cúcuta", "Bogotá Salitre", "01/05/2018 06:00", 22),
    ]
    for full, document, origin, destination, when, seat in rows:
        sheet.append([full.upper(), document, "Expreso Bolivariano", origin, destination, when, seat])
    out = io.BytesIO()
    workbook.properties.created = workbook.properties.modified = datetime(2018, 5, 10)
    workbook.save(out)
    out = io.BytesIO(stable_zip(out.getvalue()))
    DOCUMENTS["14_tiquetes_expreso_bolivariano.xlsx"] = {
        "data": out.getvalue(),
        "gold": gold(
            Person=[r[0] for r in rows],
            Phone=[],
            IdentityDocument=["CC:1088345672", "CC:1004567213", "CC:1143876902", "CC:1144203558", "VE_CI:24567890"],
            Location=[],
            Flight=[],
            Airport=[],
            BusTerminal=["terminal:pereira", "terminal:bogota-salitre", "terminal:cali", "terminal:bogota-sur", "terminal:cucuta"],
            RouteLeg=["Pereira→Bogotá", "Cali→Bogotá", "Cúcuta→Bogotá"],
        ),
    }


FOLLOW_UPS = [
    # (date, place sentence, who, phone, gold locations, gold terminals)
    ("5 de marzo de 2018", "en la Terminal de Transportes de Pereira", PAISA, PAISA_PHONE, [], ["terminal:pereira"]),
    ("6 de marzo de 2018", "en el centro de Pereira", PAISA, PAISA_PHONE_2, ["Pereira"], []),
    ("7 de marzo de 2018", "en el parque de Dosquebradas", PAISA, PAISA_PHONE, ["Dosquebradas"], []),
    ("10 de marzo de 2018", "en la terminal del Salitre", CONDUCTOR, CONDUCTOR_PHONE, [], ["terminal:bogota-salitre"]),
    ("11 de marzo de 2018", "en un hotel del barrio Salitre de Bogotá", CONDUCTOR, CONDUCTOR_PHONE, ["Bogotá", "Salitre"], []),
    ("12 de marzo de 2018", "en el Aeropuerto Internacional El Dorado", CONDUCTOR, CONDUCTOR_PHONE, [], []),
    ("2 de abril de 2018", "en la Terminal de Cali", MADRINA, MADRINA_PHONE, [], ["terminal:cali"]),
    ("5 de abril de 2018", "en el barrio Siloé de Cali", MADRINA, MADRINA_PHONE, ["Cali", "Siloé"], []),
    ("18 de abril de 2018", "en un centro comercial de Cali", MADRINA, MADRINA_PHONE, ["Cali"], []),
    ("21 de abril de 2018", "en la Terminal Satélite del Sur", CONDUCTOR, CONDUCTOR_PHONE, [], ["terminal:bogota-sur"]),
    ("23 de abril de 2018", "en el aeropuerto de Bogotá", CONDUCTOR, CONDUCTOR_PHONE, [], []),
    ("2 de mayo de 2018", "en la Terminal de Transportes de Bogotá", CONDUCTOR, CONDUCTOR_PHONE, [], ["terminal:bogota-salitre"]),
    ("15 de mayo de 2018", "en la terminal de Pereira", PAISA, PAISA_PHONE_2, [], ["terminal:pereira"]),
    ("20 de mayo de 2018", "en el barrio Cuba de Pereira", PAISA, PAISA_PHONE, ["Pereira", "Cuba"], []),
    ("1 de junio de 2018", "en la Terminal de Transportes de Pereira", PAISA, PAISA_PHONE, [], ["terminal:pereira"]),
    ("4 de junio de 2018", "en la terminal de buses de Cali", MADRINA, MADRINA_PHONE, [], ["terminal:cali"]),
]
_ALIAS = {PAISA: "El Paisa", MADRINA: "La Madrina", CONDUCTOR: None}


def _follow_ups(rng: random.Random) -> None:
    for number, (day, place, who, phone, locations, terminals) in enumerate(FOLLOW_UPS, start=1):
        airport = ["BOG"] if "Dorado" in place or "aeropuerto de Bogotá" in place else []
        alias = _ALIAS.get(who)
        named = f"{who.upper()}, alias {alias}," if alias else f"{who},"
        digits = phone[3:] if phone.startswith("+57") else phone
        written = rng.choice([f"{digits[:3]} {digits[3:6]} {digits[6:]}", f"{digits[:3]}-{digits[3:]}", digits])
        text = f"""POLICÍA NACIONAL – DIJÍN
INFORME DE SEGUIMIENTO No. {number:02d} – Operación Telar
Fecha: {day}

Siendo las {rng.randint(7, 20)}:{rng.choice(["00", "15", "30", "45"])} horas del {day}, se realizó vigilancia {place}, donde se observó al indiciado {named} realizando llamadas desde el abonado {written}. {rng.choice(["No se observaron víctimas en el lugar.", "El indiciado conversó durante varios minutos con dos mujeres jóvenes.", "Se tomaron fotografías que se anexan al presente informe.", "El indiciado se retiró del lugar en un taxi."])}

Se continúa con las labores de verificación.
"""
        DOCUMENTS[f"{14 + number:02d}_informe_seguimiento_{number:02d}.txt"] = {
            "text": text,
            "gold": gold(
                Person=[who],
                Phone=[phone],
                IdentityDocument=[],
                Location=locations,
                Flight=[],
                Airport=airport,
                BusTerminal=terminals,
                RouteLeg=[],
            ),  # fmt: skip
        }


# -------------------------------------------------------------------------------- writing files
def _pdf(pages: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2018, 4, 30))
    pdf.set_title("Informe SIJÍN Cali - La Madrina")
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "Entrevista Karen Dayana Mosquera"
    document.core_properties.created = document.core_properties.modified = datetime(2018, 8, 14)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return stable_zip(out.getvalue())


def _scan(lines: list[str]) -> bytes:
    """A page as a scanner gives it: dark text on off-white, slightly rotated, grey noise."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    page = Image.new("L", (1500, 80 + 46 * len(lines)), 245)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((70, 40 + 46 * i), line, fill=25, font=font)
    rng = random.Random(9)
    for _ in range(1500):
        draw.point((rng.randrange(page.width), rng.randrange(page.height)), fill=rng.randint(120, 200))
    page = page.rotate(0.6, fillcolor=245, resample=Image.BICUBIC).filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    page.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _email(spec: dict) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Date"], message["Subject"] = spec["from"], spec["to"], spec["date"], spec["subject"]
    message["Message-ID"] = "<20180409194210.5521@mail.invented.example>"
    message.set_content(spec["body"])
    filename, content = spec["attachment"]
    message.add_attachment(content.encode("utf-8"), maintype="text", subtype="plain", filename=filename)
    message.set_boundary("===============telar-2018-04-09==")  # fixed, so a rebuild writes the same bytes
    return bytes(message)


def build() -> dict[str, dict]:
    rng = random.Random(2018)
    _tables(rng)
    _follow_ups(rng)
    FOLDER.mkdir(exist_ok=True)
    for old in FOLDER.iterdir():
        old.unlink()
    gold_documents = {}
    for name, spec in sorted(DOCUMENTS.items()):
        if "text" in spec:
            data = spec["text"].encode("utf-8")
        elif "pages" in spec:
            data = _pdf(spec["pages"])
        elif "paragraphs" in spec:
            data = _docx(spec["paragraphs"])
        elif "scan" in spec:
            data = _scan(spec["scan"])
        elif "email" in spec:
            data = _email(spec["email"])
            gold_documents[f"{name}#{spec['email']['attachment'][0]}"] = ATTACHMENT_GOLD
        else:
            data = spec["data"]
        (FOLDER / name).write_bytes(data)
        gold_documents[name] = spec["gold"]
    GOLD_PATH.write_text(
        json.dumps(
            {"schema": "telarana.gold/1", "case": CASE_NAME, "documents": gold_documents}, ensure_ascii=False, indent=1, sort_keys=True
        )
        + "\n",
        "utf-8",
    )
    return DOCUMENTS


if __name__ == "__main__":
    build()
    print(f"{len(list(FOLDER.iterdir()))} files in {FOLDER}; gold in {GOLD_PATH}")
