"""Person names as Colombian case files write them.

Two given names and two surnames ("Juan Carlos Pérez Gómez"), often surname-first and in
capitals ("PÉREZ GÓMEZ JUAN CARLOS"), with particles ("de la Cruz", "del Río") and married
names ("María López de Ruiz"). `normalize_person_name` gives the reading order a person
would write ("Juan Carlos Pérez Gómez"); folding (accents, case) is left to search and
entity resolution.
"""

from __future__ import annotations

import re

from backend.domain.text import fold

PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "van", "von", "da", "di"})

# Common given names in Colombian and Venezuelan records (folded). A sequence of capitalised
# words is read as a person's name when it holds one of these; it also tells which end of a
# surname-first name ("PÉREZ GÓMEZ JUAN CARLOS") the given names are on.
GIVEN_NAMES = frozenset(
    fold(n)
    for n in """
    Juan Carlos José Luis Jorge Andrés Andres Felipe Diego Alejandro Santiago Sebastián Daniel David Camilo
    Miguel Ángel Angel Pedro Pablo Manuel Antonio Fernando Ricardo Eduardo Javier Óscar Oscar Mauricio
    Jhon John Jhonny Wilson Wilmer Wilber Édgar Edgar Hernán Hernan Jairo Fabio Gustavo Alberto Rafael
    Héctor Hector Iván Ivan Julián Julian Mario Nelson Orlando Rubén Ruben Sergio Víctor Victor William
    Yesid Jhonatan Jonathan Brayan Bryan Kevin Cristian Christian Esteban Mateo Nicolás Nicolas Simón
    Samuel Tomás Tomas Emilio Gabriel Germán German Arley Albeiro Alirio Libardo Leonardo Hugo Raúl Raul
    Enrique Francisco Gonzalo Humberto Ramiro Rodrigo Álvaro Alvaro Arturo Darío Dario Elkin Fredy Freddy
    Harold Jaime Jesús Jesus Marco Marcos Norberto Omar Reinaldo Rolando Yeison Yonatan Duván Duvan
    María Maria Ana Luisa Carolina Andrea Paola Natalia Diana Catalina Juliana Valentina Daniela Camila
    Laura Sofía Sofia Isabel Fernanda Alejandra Marcela Patricia Claudia Sandra Martha Marta Gloria
    Luz Dary Nelly Rosa Carmen Elena Lucía Lucia Beatriz Teresa Adriana Angélica Angelica Mónica Monica
    Liliana Lina Paula Tatiana Viviana Yuliana Yuli Yurani Yurany Leidy Lady Jessica Yessica Karen Karina
    Katherine Estefanía Estefania Stefany Jennifer Jenny Johana Yohana Erika Érika Sara Sarah Manuela
    Mariana Gabriela Verónica Veronica Sonia Olga Esperanza Gladys Amparo Consuelo Milena Yolanda Doris
    Nancy Rocío Rocio Alba Blanca Inés Ines Cecilia Lorena Ximena Jimena Xiomara Yenny Yeimi Dayana Deisy
    Daisy Mayerly Maryury Nataly Heidy Astrid Francy Ingrid Zulma Yaneth Janeth Yamile Jazmín Jazmin
    Vanessa Melissa Michelle Valeria Antonella Isabella Luciana Salomé Salome Ashley Brenda Eliana
    Emily Maribel Marisol Noemí Noemi Rosalba Yuri Yury Wendy Yulieth Yuleidy
    Jack Michael James Robert Thomas Peter Mark Paul Steven Anna Emma Mary Elizabeth Helen Susan
    Lizeth Lisseth Yesenia Yessenia Jhoana Deicy Yessica Yeny Dora Aura Luzmila Edilma Nubia Fanny Yolima
    Richard Charles Joseph Christopher Matthew Anthony Donald Kenneth Joshua Brian George Edward Ronald
    Timothy Jason Jeffrey Ryan Gary Eric Stephen Larry Justin Scott Brandon Benjamin Frank Gregory Raymond
    Patrick Alexander Dennis Jerry Tyler Aaron Henry Douglas Adam Nathan Zachary Walter Kyle Carl Jeremy
    Keith Roger Gerald Ethan Arthur Terry Joe Loretta Linda Barbara Deborah Betty Margaret Kimberly Donna
    Dorothy Carol Amanda Stephanie Rebecca Sharon Cynthia Kathleen Amy Shirley Angela Pamela Nicole
    Samantha Christine Debra Rachel Catherine Carolyn Janet Ruth Heather Diane Virginia Julie Joyce
    Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith Megan Cheryl Hannah Jacqueline Frances Ann
    Kathryn Janice Jean Alice Madison Abigail Julia Judy Grace Denise Amber Marilyn Beverly Danielle
    Theresa Sophia Marie Brittany Natalie Charlotte Alexis Kayla
    Julio César Cesar Eugenio Rodolfo Alfonso Alfredo Armando Ernesto Guillermo Ignacio Joaquín Joaquin Lorenzo
    Marcelo Martín Martin Octavio Ramón Ramon Roberto Teodoro Vicente Abel Adolfo Agustín Agustin Aurelio Benjamín
    Clemente Domingo Efraín Efrain Eladio Emiliano Evaristo Faustino Félix Felix Gilberto Gregorio Horacio Ismael
    Isaac Leonel Lisandro Marino Mariano Maximiliano Moisés Moises Nicanor Osvaldo Oswaldo Rigoberto Saúl Saul
    Silvio Tobías Tobias Ulises Wilfredo Yamid Jhonier Alexánder Alexander Stella Estela Irma Norma Lucy Elsa Edith
    Irene Josefina Julieta Leticia Lourdes Mercedes Miriam Myriam Nora Pilar Raquel Rebeca Rita Rosario Silvia
    Susana Zoila Candelaria Eva Elvira Graciela Hilda Inés Aracely Araceli Yadira Yazmín Lida Ligia Mireya Marleny
    Jim Greg Alex Tom Mike Bill Bob Dan Kurt Chris Matt Nick Tony Andy Ben Jeff Ken Rick Steve Jon Josh Dave Tim
    Phil Ted Fred Ray Roy Lee Dean Glenn Wayne Gene Earl Ralph Russell Howard Louis Eugene Philip Bruce Willie
    """.split()
)
# Generational suffixes written after a name ("James T. Hayes, Jr."): part of the name, not a surname.
_SUFFIX = re.compile(r",?\s+(Jr\.?|Sr\.?|II|III|IV)\s*$")

# Words that start capitalised in reports but are never part of a person's name.
NOT_NAME_WORDS = frozenset(
    fold(w)
    for w in """
    Fiscalía Fiscalia Policía Policia Nacional Dijín Dijin Sijín Sijin Migración Migracion Colombia
    República Republica Informe Ejecutivo Investigador Investigadora Patrullero Patrullera Subintendente
    Intendente Capitán Teniente Sargento Agente Señor Señora Señorita Don Doña Sr Sra Srta Dr Dra Mr Mrs Ms
    Entrevista Denuncia Noticia Criminal Radicado Anexo Asunto Fecha Hora Lugar Ciudad Terminal Aeropuerto
    Transportes Transporte Bus Vuelo Cédula Cedula Ciudadanía Ciudadania Pasaporte Teléfono Telefono
    Celular Correo Unidad Grupo Trata Personas Delito Artículo Articulo Ley Código Codigo Penal Juzgado
    Juez Fiscal Víctima Victima Testigo Indiciado Indiciada Alias Calle Carrera Avenida Barrio Hotel
    Interpol Liaison Officer Subject Re Dear Regards From To Date Note Airlines Airline Avianca Latam
    Copa Iberia Wingo Satena Europa Turkish American Expreso Bolivariano Flota Magdalena Rápido Rapido
    Tolima Occidental Coomotor Brasilia Valle España Espana México Mexico Venezuela Ecuador Panamá Panama
    Madrid Bogotá Bogota Cali Pereira Medellín Medellin Norte Sur Salitre El Los Las Del De La Y En Con
    Por Para Que Se Su Sus Al Un Una Según Segun Luego Después Despues Allí Alli Ella Él Ellos Ellas
    Nota Página Pagina Folio Caso Expediente Oficio Comandante Estación Estacion Centro Total
    Operación Operacion Hola Her His Spanish Colombian Preguntado Contestó Contesto Entrevistada Entrevistado
    Entrevistadora Entrevistador Nombre Documento Pasajera Pasajero Contacto Viaje Itinerario Oficial Puesto
    Control Filtro Acta Servicio Besos Saludos Atentamente Cordialmente Please Subsecretaría Dirección Direccion
    Coordinador Coordinadora Director Directora Jefe Jefa Gerente Analista Asesor Asesora Secretario Secretaria
    Presidente Presidenta Magistrado Magistrada Ponente Procurador Procuradora Defensor Defensora Inspector
    Inspectora Comisario Comisaria Talento Humano Humanos Recursos Notificación Notificacion Roja Notice
    Coordinator Manager Chief Deputy Assistant Attorney Attorneys Prosecutor Prosecutors Special Agent Agents
    Charge Acting Homeland Security Investigations Investigation Department Justice Bureau Division Section
    Office Sheriff Marshal Marshals Embassy Embajada Consulado Consulate Cónsul Consul Task Force Team
    General Judge Senator Governor Secretary President Detective Sergeant Lieutenant Captain Commissioner
    Counsel Litigation Police Field Executive Principal Associate Supervisory Official Officials
    Magistrados Magistradas Consejero Consejera Consejeros Actor Actora Demandante Demandantes Demandado Demandada
    Accionante Accionado Accionada Procesado Procesada Comisionado Comisionada Gobernador Gobernadora Licenciado
    Licenciada Lic Doctor Doctora Sala Sección Seccion Primera Segunda Tercera Cuarta Quinta Sexta Séptima Septima
    Octava Plena Rama Judicial Tribunal Superior Corte Consejo Estado Nación Nacion Distrito Circuito Civil
    Municipal Administrativo Administrativa Instituto Comisión Comision Ministerio Secretaría Alcaldía Alcaldia
    Gobernación Gobernacion Otro Otra Otros Otras Nombres Apellidos Apellido Datos Delitos Corrupción Corrupcion
    Funcionarios Funcionario Presidencia República
    One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Hundred Thousand First Second Third
    Uno Dos Tres Cuatro Cinco Seis Siete Ocho Nueve Diez
    Guatemalan Guatemalans Mexican Mexicans Honduran Hondurans Salvadoran Salvadorans Cuban Cubans Haitian
    Haitians Venezuelan Venezuelans Ecuadorian Peruvian Dominican Brazilian Chinese Thai American Americans
    Central South North Latin Hispanic Guatemalteco Guatemalteca Mexicano Mexicana Venezolano Venezolana
    Hondureño Hondureña Salvadoreño Salvadoreña Cubano Cubana Haitiano Haitiana Ecuatoriano Ecuatoriana
    Peruano Peruana Dominicano Dominicana Colombiano Colombiana Estadounidense
    """.split()
)

_HONORIFIC = re.compile(
    r"^(?:(?:el|la)\s+)?(?:señor|señora|señorita|sr\.?|sra\.?|srta\.?|don|doña|dr\.?|dra\.?|mr\.?|mrs\.?|ms\.?|miss)\s+",
    re.IGNORECASE,
)


def is_given_name(word: str) -> bool:
    return fold(word) in GIVEN_NAMES


def looks_like_name_word(word: str) -> bool:
    """Capitalised, letters only, and not a word that is never a name."""
    folded = fold(word)
    return word[:1].isupper() and bool(re.fullmatch(r"[a-zñ'-]+", folded)) and folded not in NOT_NAME_WORDS


def _title(word: str) -> str:
    if fold(word) in PARTICLES:
        return word.lower()
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def normalize_person_name(text: str) -> str:
    """Reading order and capitalisation of a written name; empty if nothing name-like is left.

    "PÉREZ GÓMEZ JUAN CARLOS" -> "Juan Carlos Pérez Gómez";
    "PÉREZ GÓMEZ, Juan Carlos" -> "Juan Carlos Pérez Gómez";
    "la señora María López de Ruiz" -> "María López de Ruiz".
    """
    text = re.sub(r"\s+", " ", text.strip(" \t\n,;:'\"“”‘’()"))
    text = re.sub(r" [\"“][^\"”]{1,20}[\"”] ", " ", text)  # a nickname inside: "Robert W. “Wes” Wheeler" is Robert W. Wheeler
    suffix = _SUFFIX.search(text)
    if suffix:
        text = text[: suffix.start()]
    text = text.strip(" .")
    text = _HONORIFIC.sub("", text)
    comma = "," in text
    if comma:
        surnames, _, given = text.partition(",")
        text = f"{given.strip()} {surnames.strip()}"
    words = [w for w in text.split(" ") if w]
    if not words:
        return ""
    shouting = all(w.isupper() or fold(w) in PARTICLES for w in words if any(c.isalpha() for c in w))
    words = [_title(w) if w.isupper() and len(w) > 1 else w for w in words]
    if shouting and not comma:
        words = _given_names_first(words)
    if suffix:
        words.append(suffix.group(1).rstrip(".") + ("." if suffix.group(1).startswith(("Jr", "Sr")) else ""))
    return " ".join(words)


def _given_names_first(words: list[str]) -> list[str]:
    """Capitalised records put two surnames first ("MONTOYA TORRES MARLENY STEFANY"): when
    the name starts with a word that is not a given name and one of its last two words is,
    the given names are what follows the first two surnames (particles ride with them)."""
    if len(words) < 3 or is_given_name(words[0]) or not any(is_given_name(w) for w in words[-2:]):
        return words
    # Where every word from some point on is a given name, the surnames end there
    # ("WILLIAMS JOHN PETER": one surname, two given names).
    for split in range(1, len(words) - 1):
        if all(is_given_name(w) for w in words[split:]):
            return words[split:] + words[:split]
    surnames_seen = 0
    for index, word in enumerate(words):
        if fold(word) not in PARTICLES:
            surnames_seen += 1
        if surnames_seen == 2:
            split = index + 1
            break
    else:
        return words
    if split >= len(words):
        return words
    return words[split:] + words[:split]


def name_tokens(name: str) -> frozenset[str]:
    return frozenset(fold(w) for w in name.split() if fold(w) not in PARTICLES)
