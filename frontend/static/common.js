// Shared by every page: translations, the API client, and DOM helpers.
// Text that came from a document is only ever put in the page with textContent (through
// el() / text()), never as HTML: a person named "<img src=x onerror=...>" shows as written.
"use strict";

const MESSAGES = {
  es: {
    app_name: "Telaraña", nav_search: "Buscar", nav_paths: "Rutas entre entidades", nav_review: "Revisión",
    nav_stats: "Estadísticas", nav_api: "API", language: "Idioma", analyst: "Analista",
    login_title: "Ingresar", user_name: "Usuario", password: "Contraseña", sign_in: "Ingresar",
    sign_out: "Salir", signed_in_as: "Sesión de", every_case: "todos los casos", no_case: "ningún caso", login_failed: "No se pudo ingresar",
    analyst_placeholder: "su usuario", search_placeholder: "Nombre, teléfono, documento, vuelo…",
    search_button: "Buscar", no_results: "Sin resultados.", results: "Resultados",
    kind_entity: "entidad", kind_document: "documento", loading: "Cargando…",
    attributes: "Atributos", aliases: "Alias", mentions: "Menciones", relationships: "Relaciones",
    same_person: "Misma persona (resolución)", history: "Historial de resolución", network: "Red",
    evidence: "Evidencia", evidence_hint: "Haga clic en un nodo o una relación para ver las frases que lo sustentan; doble clic para expandir.",
    hops: "Saltos", limit: "Máx. nodos", types: "Tipos", date_from: "Desde", date_to: "Hasta",
    min_confidence: "Confianza mín.", case_id: "Caso", apply: "Aplicar", size_by: "Tamaño según",
    degree: "grado", betweenness: "intermediación", legend: "Leyenda", truncated: "Vista recortada al máximo de nodos.",
    document: "Documento", page: "página", row: "fila", confidence: "confianza", method: "método",
    open_profile: "Abrir perfil", open_document: "Abrir documento", download_original: "Descargar original",
    original_missing: "El archivo original no se conserva en este servidor.",
    source: "Origen", target: "Destino", find_paths: "Buscar rutas", alternatives: "Alternativas",
    max_hops: "Máx. saltos", no_paths: "No hay rutas entre estas entidades dentro del límite de saltos.",
    path: "Ruta", steps: "pasos", choose_entity: "Escriba y elija una entidad",
    review_queue: "Cola de revisión", review_empty: "No hay pares pendientes de revisión.",
    waiting: "pares esperan decisión", score: "puntuación", features: "Rasgos que explican la puntuación",
    same: "Es la misma persona", different: "No es la misma", unsure: "No estoy seguro",
    undo: "Deshacer", undo_reason: "Motivo para deshacer", reason: "Motivo",
    reason_placeholder: "por qué (queda en el registro)", need_analyst: "Escriba su usuario de analista arriba antes de decidir.",
    need_reason: "Escriba un motivo.", recorded: "Decisión registrada.", undone: "Decisión deshecha.",
    seen_in: "Aparece en", tied_to: "Vinculado a", merged_with: "Ya unido con",
    split: "Separar de esta persona", split_done: "Entidad separada.",
    by: "por", at: "el", decision: "decisión", retracts: "deshace",
    statistics: "Estadísticas del caso", counts: "Recuentos", entities: "Entidades", documents: "Documentos",
    evidence_items: "Evidencias", cases: "Casos", most_connected: "Personas con más relaciones",
    judgements: "Decisiones de resolución", waiting_review: "Pendientes de revisión",
    error: "Error", not_found: "No encontrado.", relationship: "Relación", date: "fecha",
    error_busy: "El servidor está atendiendo otras consultas. Vuelva a intentarlo en un momento.",
    error_too_slow: "La consulta tardó más de lo permitido. Acótela (un caso, menos saltos, un rango de fechas) y vuelva a intentarlo.",
    error_too_large: "La respuesta sería demasiado grande. Acote la consulta y vuelva a intentarlo.",
    mentions_in_document: "menciones", pages: "páginas", media_type: "tipo", sha256: "SHA-256",
    decision_same: "misma", decision_different: "distinta", decision_unsure: "dudosa",
    rule: "regla", analyst_kind: "analista", none: "—",
    nav_analysis: "Análisis", analysis: "Análisis del caso", all_cases: "todos los casos", load: "Cargar",
    brokers: "Intermediarios y comunidades", network_persons: "red de personas", network_all: "todas las entidades",
    community: "comunidad", colour_by: "Color según", type: "tipo", communities: "comunidades",
    co_travel: "Viajes en común", window_hours: "Ventana (± horas)", kind: "clase", vehicle: "vehículo / tramo", when: "cuándo",
    kind_flight: "mismo vuelo", kind_bus_departure: "misma salida de bus", kind_route_leg: "mismo tramo de ruta",
    calls: "Registros de llamadas", add_phone: "Añadir teléfono o persona", common_contacts: "Contactos en común",
    direct_calls: "Llamadas directas entre ellos", top_contacts: "Contactos más frecuentes de", calls_count: "llamadas",
    first_contact: "primer contacto", last_contact: "último contacto", total_duration: "duración total",
    burners: "Posibles teléfonos desechables", burner_none: "Ningún teléfono activo solo en una ventana corta.",
    active_hours: "horas activo", records_cover: "Los registros cubren", cross_border: "Vínculos transfronterizos",
    country: "País", all_countries: "todos", tied_persons: "personas vinculadas",
    border_foreign_phone: "teléfono extranjero", border_foreign_id: "documento extranjero",
    border_international_flight: "vuelo internacional", border_border_crossing: "cruce de frontera",
    timeline: "Línea de tiempo", event_call: "llamada", event_journey: "viaje", event_relationship: "relación", event_document: "documento",
    event_judgement: "decisión", time_and_place: "Tiempo y lugar", period: "Período", whole_case: "todo el caso", clear_period: "Quitar el período",
    timeline_histogram: "Eventos por fecha", events: "eventos", per_day: "por día", per_week: "por semana",
    brush_hint: "arrastre sobre las barras para ver solo ese período en el mapa, la red y las tablas; clic para quitarlo",
    map: "Mapa", places: "lugares", legs: "trayectos", border_crossings: "cruces de frontera", foreign_destinations: "con destino en el exterior",
    unplaced: "sin ubicar", travellers: "viajeros", leg_home: "trayecto nacional", leg_border: "cruce de frontera", leg_abroad: "destino en el exterior",
    map_placement: "terminales y aeropuertos se dibujan en su ciudad; países y departamentos, en su centro",
    map_libraries_missing: "Las bibliotecas del mapa no están instaladas en este servidor (make install).",
    exports: "Exportar", export_view: "Exportar esta vista", report: "Informe de evidencia de asociación",
    report_html: "Ver informe", report_pdf: "Descargar PDF", pseudonymise: "Seudonimizar víctimas",
    legal_elements: "Elementos del delito de trata (art. 188A C.P.)", element_gaps: "Sin evidencia aún de",
    element_minor: "Víctima menor de edad: los medios no son necesarios", element_none: "sin frases todavía",
    element_rejected: "Rechazados por analistas", reject_element: "No evidencia este elemento", add_element: "Añadir un elemento",
    element_quote: "frase o cita en que se apoya", element_added: "Añadido.", element_sentence_gone: "(la frase ya no se lee)", element_rule: "regla",
    element_hint: "Frases sobre esta persona que evidencian cada elemento (acción, medio, finalidad), con su regla y confianza.",
    mark_victim: "Marcar como víctima", unmark_victim: "Quitar marca de víctima", marked_victim: "Marcada como víctima",
    need_two: "Elija al menos dos.", nothing_found: "Nada encontrado.",
    members: "registros unidos", documents_seen: "Documentos donde aparece", history_all: "Historial: decisiones y correcciones",
    corrections: "Corregir el grafo", merge_with: "Unir con otra entidad", merge: "Unir", merged: "Unidas.",
    reject_link: "Rechazar vínculo", reject_evidence: "Rechazar esta evidencia", rejected: "Rechazado.", confirm: "Confirmar",
    add_link: "Añadir vínculo", link_type: "Tipo de vínculo", other_entity: "Otra entidad", association_kind: "Clase",
    add: "Añadir", added: "Añadido.", annotate: "Anotar", note: "Nota", note_placeholder: "nota para el expediente",
    annotated: "Nota registrada.", add_entity: "Añadir entidad", entity_type: "Tipo", entity_name: "Nombre",
    assertion: "Aserción del analista", not_a_document: "no es un documento", withdrawn: "deshecho",
    link_history: "Historial", working_case: "Caso", any_case: "(según el registro)", need_pick: "Elija una entidad.",
    need_note: "Escriba la nota.", calls_between: "llamadas", first: "primera", last: "última",
    case_unknown: "Caso desconocido:", of_records: "registros", asserted: "afirmado por el analista", mention_one: "mención",
    my_cases: "Mis casos", no_cases_yet: "Todavía no trabaja en ningún caso.", open_case: "Abrir el análisis del caso",
    corrections_made: "correcciones", brokers_of_case: "Intermediarios", no_brokers: "Ninguna persona une a otras en este caso.",
    latest_documents: "Últimos documentos", recent_corrections: "Últimas correcciones", last_ingest: "Última ingesta",
    no_run: "Ninguna ingesta registrada.", files: "archivos", stored: "guardados", failed: "fallidos", warnings: "avisos",
    warnings_and_failures: "Avisos y archivos fallidos", run_running: "en curso", run_done: "terminada",
    run_interrupted: "interrumpida", run_failed: "fallida",
    run_receiving: "recibiendo archivos", run_queued: "en espera", run_cancelled: "cancelada",
    nav_upload: "Subir documentos", upload_title: "Subir documentos a un caso",
    upload_hint: "Elija archivos o una carpeta (o un .zip de ella). Se envían a este servidor y el mismo proceso de ingesta los lee en segundo plano: puede cerrar la página y volver.",
    choose_files: "Archivos", choose_folder: "Carpeta", nothing_chosen: "Nada elegido todavía.",
    upload_and_read: "Subir y leer", sending: "Enviando", sent: "Enviados", upload_progress: "Lectura de los documentos",
    cancel_upload: "Cancelar", eta: "tiempo restante", limits: "Límites", per_file: "por archivo",
    recent_runs: "Ingestas recientes", outcome_stored: "guardado", outcome_reread: "releído", outcome_unchanged: "sin cambios (ya estaba)",
    outcome_failed: "fallido", outcome_skipped: "omitido", col_file: "Archivo", col_status: "Resultado", col_mentions: "Menciones",
    col_relationships: "Relaciones", col_document: "Documento", col_warnings: "Avisos o motivo",
    undo_move: "mover", undo_expand: "expandir", show_hidden: "Mostrar ocultos", export_image: "Exportar imagen",
    summary_drawn: "Resumen: se dibujan las entidades más centrales y el resto agrupado por tipo —", draw_whole: "Dibujar todo",
    summary_node_hint: "Agrupa las entidades de este tipo que el resumen no dibuja; use «Dibujar todo» para verlas.",
    phones_grouped: "teléfonos", group_hint: "Teléfonos agrupados bajo la persona: doble clic para separarlos.",
    undo_group: "agrupar", undo_ungroup: "separar", undo_pin: "fijar", undo_unpin: "soltar", undo_hide: "ocultar", undo_show_hidden: "mostrar ocultos",
    menu_ungroup: "Separar los teléfonos", menu_expand_all: "Expandir: todo", menu_expand_type: "Expandir:", menu_pin: "Fijar aquí",
    menu_unpin: "Soltar", menu_hide: "Ocultar", menu_group_phones: "Agrupar sus teléfonos bajo esta persona", menu_paths_to: "Buscar rutas hasta…",
    menu_open_source: "Abrir la fuente", menu_hide_edge: "Ocultar la relación",
    nav_import: "Importar tabla", import_title: "Importar una tabla (CSV / XLSX)",
    nav_screening: "Control en terminales", screening_title: "Control en terminales y aeropuertos",
    screening_hint: "Filas de listas de tiquetes y manifiestos que coinciden con un indicador de trata; cada bandera cita sus filas y se revisa como un par: confirmar o descartar con motivo.",
    flags: "Banderas", flag_status: "Estado", indicator: "Indicador", score: "Puntaje", rows_cited: "Filas", no_flags: "Ninguna bandera en este estado.",
    confirm_flag: "Confirmar", dismiss_flag: "Descartar", reopen_flag: "Reabrir", reviewed_by: "revisada por",
    watchlist: "Lista de vigilancia", watch_add: "Vigilar", watch_value: "nombre, número o documento", watch_lift: "Quitar de la lista",
    watch_empty: "Nadie en la lista de vigilancia.", alerts: "Alertas de la lista de vigilancia", no_alerts: "Ninguna alerta.",
    alert_in: "aparece en", open_flags: "banderas por revisar en terminales", passenger: "Pasajero", departure: "Salida",
    buyer: "Comprador", booked: "Compra", one_way: "solo ida", round_trip: "ida y regreso", age: "Edad", sex: "Sexo", id_number: "Documento",
    nav_report: "Informe para fiscalía", all: "todas", report_builder: "Informe para la fiscalía",
    report_builder_hint: "Elija las personas, las reglas y los vínculos: el informe (HTML o PDF) contiene exactamente lo marcado, con la matriz de elementos del delito y los originales anexos con su SHA-256.",
    report_entities: "Personas o datos del informe", report_rules: "Reglas de inclusión", rule_weak: "Excluir co-menciones débiles",
    rule_hubs: "Excluir caminos por lugares concurridos (vínculos ≥)", annex_originals: "Anexar los originales dentro del PDF",
    report_prepare: "Preparar el informe", report_links: "Vínculos que incluye (desmarque para excluir)", left_out: "Excluidos y por qué",
    annexes: "anexos", annexes_title: "Anexos", attached: "adjunto al PDF", citations: "citas", data_version: "Versión de los datos", remove: "Quitar", origin: "Origen", destination: "Destino",
    import_hint: "Elija el archivo: se proponen la fila de encabezados, el perfil y la columna de cada campo. Cambie lo que haga falta, revise los registros que se crearán y guarde el mapeo como perfil para la próxima vez.",
    table_file: "Archivo", header_row: "Fila de encabezados", import_profile: "Perfil", choose_profile: "— elija un perfil —",
    choose_profile_first: "Elija un perfil para asignar sus campos.", not_mapped: "— sin asignar —", column: "columna",
    required: "obligatorio", still_missing: "Faltan campos obligatorios", records_rows: "filas con registros", rows_refused: "filas rechazadas",
    preview_row: "Fila", preview_entities: "Entidades", preview_relationships: "Relaciones", preview_problem: "Problema",
    first_rows_of: "Primeras filas de", rows: "filas", column_mapping: "Columnas", records_preview: "Registros que se crearán",
    saved_profiles: "Perfiles guardados", keep_and_import: "Guardar el perfil e importar", profile_name: "Nombre del perfil",
    save_and_import: "Guardar perfil e importar",
    save_chart: "Guardar gráfico", chart_title: "título del gráfico", chart_note: "nota (opcional)", need_title: "Escriba un título.",
    chart_saved: "Gráfico guardado:", saved_charts: "Gráficos guardados", no_charts: "Ningún gráfico guardado.",
    chart_left_out: "nodos guardados que usted ya no ve en el grafo", nodes: "nodos",
  },
  en: {
    app_name: "Telaraña", nav_search: "Search", nav_paths: "Paths between entities", nav_review: "Review",
    nav_stats: "Statistics", nav_api: "API", language: "Language", analyst: "Analyst",
    login_title: "Sign in", user_name: "User name", password: "Password", sign_in: "Sign in",
    sign_out: "Sign out", signed_in_as: "Signed in as", every_case: "every case", no_case: "no case", login_failed: "Could not sign in",
    analyst_placeholder: "your user name", search_placeholder: "Name, phone, ID, flight…",
    search_button: "Search", no_results: "No results.", results: "Results",
    kind_entity: "entity", kind_document: "document", loading: "Loading…",
    attributes: "Attributes", aliases: "Aliases", mentions: "Mentions", relationships: "Relationships",
    same_person: "Same person (resolution)", history: "Resolution history", network: "Network",
    evidence: "Evidence", evidence_hint: "Click a node or a relationship to see the sentences behind it; double-click to expand.",
    hops: "Hops", limit: "Max nodes", types: "Types", date_from: "From", date_to: "To",
    min_confidence: "Min. confidence", case_id: "Case", apply: "Apply", size_by: "Size by",
    degree: "degree", betweenness: "betweenness", legend: "Legend", truncated: "View cut at the node limit.",
    document: "Document", page: "page", row: "row", confidence: "confidence", method: "method",
    open_profile: "Open profile", open_document: "Open document", download_original: "Download original",
    original_missing: "The original file is not kept on this server.",
    source: "From", target: "To", find_paths: "Find paths", alternatives: "Alternatives",
    max_hops: "Max hops", no_paths: "No path between these entities within the hop limit.",
    path: "Path", steps: "steps", choose_entity: "Type and pick an entity",
    review_queue: "Review queue", review_empty: "No pairs waiting for review.",
    waiting: "pairs wait for a decision", score: "score", features: "Features behind the score",
    same: "Same person", different: "Not the same", unsure: "Not sure",
    undo: "Undo", undo_reason: "Reason to undo", reason: "Reason",
    reason_placeholder: "why (kept on record)", need_analyst: "Enter your analyst user name above before deciding.",
    need_reason: "Enter a reason.", recorded: "Decision recorded.", undone: "Decision undone.",
    seen_in: "Seen in", tied_to: "Tied to", merged_with: "Already joined with",
    split: "Split from this person", split_done: "Entity split off.",
    by: "by", at: "at", decision: "decision", retracts: "undoes",
    statistics: "Case statistics", counts: "Counts", entities: "Entities", documents: "Documents",
    evidence_items: "Evidence items", cases: "Cases", most_connected: "Persons with most relationships",
    judgements: "Resolution decisions", waiting_review: "Waiting for review",
    error: "Error", not_found: "Not found.", relationship: "Relationship", date: "date",
    error_busy: "The server is answering other requests. Try again in a moment.",
    error_too_slow: "The request took longer than allowed. Narrow it (one case, fewer hops, a date range) and try again.",
    error_too_large: "The answer would be too large. Narrow the request and try again.",
    mentions_in_document: "mentions", pages: "pages", media_type: "type", sha256: "SHA-256",
    decision_same: "same", decision_different: "different", decision_unsure: "unsure",
    rule: "rule", analyst_kind: "analyst", none: "—",
    nav_analysis: "Analysis", analysis: "Case analysis", all_cases: "all cases", load: "Load",
    brokers: "Brokers and communities", network_persons: "persons network", network_all: "all entities",
    community: "community", colour_by: "Colour by", type: "type", communities: "communities",
    co_travel: "Co-travel", window_hours: "Window (± hours)", kind: "kind", vehicle: "vehicle / leg", when: "when",
    kind_flight: "same flight", kind_bus_departure: "same bus departure", kind_route_leg: "same route leg",
    calls: "Call records", add_phone: "Add a phone or person", common_contacts: "Common contacts",
    direct_calls: "Direct calls between them", top_contacts: "Top contacts of", calls_count: "calls",
    first_contact: "first contact", last_contact: "last contact", total_duration: "total duration",
    burners: "Possible burner phones", burner_none: "No phone active only in a short window.",
    active_hours: "hours active", records_cover: "The records cover", cross_border: "Cross-border ties",
    country: "Country", all_countries: "all", tied_persons: "tied persons",
    border_foreign_phone: "foreign phone", border_foreign_id: "foreign ID document",
    border_international_flight: "international flight", border_border_crossing: "border crossing",
    timeline: "Timeline", event_call: "call", event_journey: "journey", event_relationship: "relationship", event_document: "document",
    event_judgement: "decision", time_and_place: "Time and place", period: "Period", whole_case: "the whole case", clear_period: "Clear the period",
    timeline_histogram: "Events by date", events: "events", per_day: "per day", per_week: "per week",
    brush_hint: "drag over the bars to see only that period on the map, the network and the tables; click to clear it",
    map: "Map", places: "places", legs: "legs", border_crossings: "border crossings", foreign_destinations: "ending abroad",
    unplaced: "not placed", travellers: "travellers", leg_home: "domestic leg", leg_border: "border crossing", leg_abroad: "ends abroad",
    map_placement: "terminals and airports are drawn at their city; countries and departments at their centre",
    map_libraries_missing: "The map's libraries are not installed on this server (make install).",
    exports: "Export", export_view: "Export this view", report: "Association-evidence report",
    report_html: "Open report", report_pdf: "Download PDF", pseudonymise: "Pseudonymise victims",
    legal_elements: "Legal elements of trafficking (Palermo Protocol art. 3)", element_gaps: "No evidence yet of",
    element_minor: "A victim under 18: means are not required", element_none: "no sentences yet",
    element_rejected: "Rejected by analysts", reject_element: "Does not evidence this element", add_element: "Add an element",
    element_quote: "sentence or quote it rests on", element_added: "Added.", element_sentence_gone: "(the sentence is no longer read)", element_rule: "rule",
    element_hint: "Sentences about this person that evidence each element (action, means, purpose), with their rule and confidence.",
    mark_victim: "Mark as victim", unmark_victim: "Remove victim mark", marked_victim: "Marked as victim",
    need_two: "Pick at least two.", nothing_found: "Nothing found.",
    members: "joined records", documents_seen: "Documents it appears in", history_all: "History: decisions and corrections",
    corrections: "Correct the graph", merge_with: "Merge with another entity", merge: "Merge", merged: "Merged.",
    reject_link: "Reject link", reject_evidence: "Reject this evidence", rejected: "Rejected.", confirm: "Confirm",
    add_link: "Add a link", link_type: "Link type", other_entity: "Other entity", association_kind: "Kind",
    add: "Add", added: "Added.", annotate: "Annotate", note: "Note", note_placeholder: "a note for the file",
    annotated: "Note recorded.", add_entity: "Add an entity", entity_type: "Type", entity_name: "Name",
    assertion: "Analyst's assertion", not_a_document: "not a document", withdrawn: "undone",
    link_history: "History", working_case: "Case", any_case: "(from the record)", need_pick: "Pick an entity.",
    need_note: "Write the note.", calls_between: "calls", first: "first", last: "last",
    case_unknown: "Unknown case:", of_records: "records", asserted: "asserted by the analyst", mention_one: "mention",
    my_cases: "My cases", no_cases_yet: "You do not work on any case yet.", open_case: "Open the case's analysis",
    corrections_made: "corrections", brokers_of_case: "Brokers", no_brokers: "No person links others in this case.",
    latest_documents: "Latest documents", recent_corrections: "Latest corrections", last_ingest: "Last ingest",
    no_run: "No ingest recorded.", files: "files", stored: "stored", failed: "failed", warnings: "warnings",
    warnings_and_failures: "Warnings and failed files", run_running: "running", run_done: "done",
    run_interrupted: "interrupted", run_failed: "failed",
    run_receiving: "receiving files", run_queued: "queued", run_cancelled: "cancelled",
    nav_upload: "Upload documents", upload_title: "Upload documents into a case",
    upload_hint: "Choose files or a folder (or a .zip of one). They are sent to this server and read by the same ingest job in the background: you may close the page and come back.",
    choose_files: "Files", choose_folder: "Folder", nothing_chosen: "Nothing chosen yet.",
    upload_and_read: "Upload and read", sending: "Sending", sent: "Sent", upload_progress: "Reading the documents",
    cancel_upload: "Cancel", eta: "time left", limits: "Limits", per_file: "per file",
    recent_runs: "Recent ingest runs", outcome_stored: "stored", outcome_reread: "read again", outcome_unchanged: "unchanged (already stored)",
    outcome_failed: "failed", outcome_skipped: "skipped", col_file: "File", col_status: "Outcome", col_mentions: "Mentions",
    col_relationships: "Relationships", col_document: "Document", col_warnings: "Warnings or reason",
    undo_move: "move", undo_expand: "expand", show_hidden: "Show hidden", export_image: "Export image",
    summary_drawn: "Summary: the most central entities are drawn and the rest grouped by type —", draw_whole: "Draw it all",
    summary_node_hint: "Stands for the entities of this type the summary does not draw; use “Draw it all” to see them.",
    phones_grouped: "phones", group_hint: "Phones grouped under the person: double-click to separate them.",
    undo_group: "group", undo_ungroup: "separate", undo_pin: "pin", undo_unpin: "unpin", undo_hide: "hide", undo_show_hidden: "show hidden",
    menu_ungroup: "Separate the phones", menu_expand_all: "Expand: everything", menu_expand_type: "Expand:", menu_pin: "Pin here",
    menu_unpin: "Unpin", menu_hide: "Hide", menu_group_phones: "Group their phones under this person", menu_paths_to: "Find paths to…",
    menu_open_source: "Open the source", menu_hide_edge: "Hide the relationship",
    nav_import: "Import a table", import_title: "Import a table (CSV / XLSX)",
    nav_screening: "Transit screening", screening_title: "Screening at bus terminals and airports",
    screening_hint: "Rows of ticket lists and manifests that match a trafficking indicator; each flag cites its rows and is reviewed like a pair: confirm, or dismiss with a reason.",
    flags: "Flags", flag_status: "Status", indicator: "Indicator", score: "Score", rows_cited: "Rows", no_flags: "No flag in this status.",
    confirm_flag: "Confirm", dismiss_flag: "Dismiss", reopen_flag: "Reopen", reviewed_by: "reviewed by",
    watchlist: "Watchlist", watch_add: "Watch", watch_value: "name, number or ID", watch_lift: "Lift from the list",
    watch_empty: "Nobody on the watchlist.", alerts: "Watchlist alerts", no_alerts: "No alerts.",
    alert_in: "appears in", open_flags: "transit flags to review", passenger: "Passenger", departure: "Departure",
    buyer: "Buyer", booked: "Booked", one_way: "one way", round_trip: "return", age: "Age", sex: "Sex", id_number: "ID",
    nav_report: "Prosecutor's report", all: "all", report_builder: "Report for the prosecutor",
    report_builder_hint: "Choose the persons, the rules and the links: the report (HTML or PDF) holds exactly what is ticked, with the legal-elements matrix and the originals annexed with their SHA-256.",
    report_entities: "Persons or data in the report", report_rules: "Inclusion rules", rule_weak: "Leave out weak co-mentions",
    rule_hubs: "Leave out paths through busy places (links ≥)", annex_originals: "Annex the originals inside the PDF",
    report_prepare: "Prepare the report", report_links: "Links included (untick to leave out)", left_out: "Left out, and why",
    annexes: "annexes", annexes_title: "Annexes", attached: "attached to the PDF", citations: "citations", data_version: "Data version", remove: "Remove", origin: "Origin", destination: "Destination",
    import_hint: "Choose the file: the header row, the profile and each field's column are proposed. Change what is needed, check the records it will make, and keep the mapping as a profile for next time.",
    table_file: "File", header_row: "Header row", import_profile: "Profile", choose_profile: "— choose a profile —",
    choose_profile_first: "Choose a profile to map its fields.", not_mapped: "— not mapped —", column: "column",
    required: "required", still_missing: "Required fields still missing", records_rows: "rows with records", rows_refused: "rows refused",
    preview_row: "Row", preview_entities: "Entities", preview_relationships: "Relationships", preview_problem: "Problem",
    first_rows_of: "First rows of", rows: "rows", column_mapping: "Columns", records_preview: "Records it will make",
    saved_profiles: "Saved profiles", keep_and_import: "Keep the profile and import", profile_name: "Profile name",
    save_and_import: "Save profile and import",
    save_chart: "Save chart", chart_title: "chart title", chart_note: "note (optional)", need_title: "Write a title.",
    chart_saved: "Chart saved:", saved_charts: "Saved charts", no_charts: "No chart saved.",
    chart_left_out: "saved nodes you no longer see in the graph", nodes: "nodes",
  },
};

// The vocabulary (entity and relationship types, their labels in both languages, colours)
// is kept in one place on the server and read from /api/schema; pages start once it is here.
let SCHEMA = { entity_types: [], relationship_types: [] };
const schemaLoaded = fetch("/api/schema", { credentials: "same-origin" })
  .then((response) => (response.ok ? response.json() : SCHEMA))
  .then((loaded) => { SCHEMA = loaded; })
  .catch(() => {});

// Run a page's start once the document is parsed and the vocabulary is loaded.
function whenReady(start) {
  document.addEventListener("DOMContentLoaded", () => { schemaLoaded.then(start); });
}

function entityTypes() { return SCHEMA.entity_types.map((kind) => kind.type); }
function entityKind(type) { return SCHEMA.entity_types.find((kind) => kind.type === type); }
function relationshipKind(type) { return SCHEMA.relationship_types.find((kind) => kind.type === type); }
function typeColour(type) { return entityKind(type)?.colour || "#999"; }

function lang() {
  const chosen = localStorage.getItem("telarana.lang");
  return chosen === "en" ? "en" : "es";
}

function t(key) {
  return MESSAGES[lang()][key] ?? MESSAGES.es[key] ?? key;
}

// The vocabulary's other words (an association's kind, attributes, modes, resolution's levels,
// corrections), as /api/schema serves them; an unknown key shows as it is (a code, a name).
function term(group, key) {
  const found = SCHEMA.terms?.[`${group}:${key}`];
  return found ? found[lang()] : String(key);
}

// An ISO date or time as each language's readers write it: 30/11/2026 (14:05) in Spanish, 2026-11-30 (14:05) in English.
function formatDate(value) {
  const found = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(String(value ?? ""));
  if (!found) return String(value ?? "");
  const [, year, month, day, hour, minute] = found;
  const date = lang() === "es" ? `${day}/${month}/${year}` : `${year}-${month}-${day}`;
  return hour ? `${date} ${hour}:${minute}` : date;
}

const DATE_ATTRIBUTES = new Set(["date", "first_date", "last_date", "asserted_at", "dob"]);
const HIDDEN_ATTRIBUTES = new Set(["relationship_ids"]);

// An attribute's value in words: modes, phone kinds and ID types from the vocabulary, dates as read, lists joined.
function attributeValue(name, value, entityType) {
  if (Array.isArray(value)) return name === "member_ids" ? String(value.length) : value.join(", ");
  if (name === "mode") return term("mode", value);
  if (name === "kind" && entityType === "Phone") return term("phone_kind", value);
  if (name === "kind") return term("association", value);
  if (name === "type" && entityType === "IdentityDocument") return term("id_type", value);
  if (DATE_ATTRIBUTES.has(name)) return formatDate(value);
  if (typeof value === "boolean") return value ? "✓" : "✗";
  return String(value);
}

// Attributes as table rows, each named in the page's language.
function attributeRows(properties, entityType) {
  return Object.entries(properties || {}).filter(([name]) => !HIDDEN_ATTRIBUTES.has(name))
    .map(([name, value]) => el("tr", {}, el("th", {}, term("attribute", name)), el("td", {}, attributeValue(name, value, entityType))));
}

// The case the analyst's decisions and corrections are recorded in ("" : the server finds it from the record).
function workingCase() { return localStorage.getItem("telarana.case") || ""; }
function withCase(body) { const chosen = workingCase(); return chosen ? { ...body, case_id: chosen } : body; }

function typeName(type) { return entityKind(type)?.[`label_${lang()}`] ?? type; }
function relName(type) { return relationshipKind(type)?.[`label_${lang()}`] ?? type; }

// el("a", {href: "/x", class: "y"}, "text", otherNode): children are strings (as text) or nodes.
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

function cookie(name) {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
}

// Set while signing out: requests still in flight then get 401, and their redirect to the
// sign-in page (with ?next=) would race the sign-out's own navigation and abort it.
let signingOut = false;

async function api(path, options = {}) {
  const init = { headers: { Accept: "application/json" }, ...options };
  if (options.json !== undefined) {
    init.method = init.method || "POST";
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.json);
  }
  // Changes made from the browser carry the session's CSRF token (the server checks it).
  if ((init.method || "GET") !== "GET") init.headers["X-CSRF-Token"] = cookie("telarana_csrf");
  const response = await fetch(path, init);
  let body = null;
  try { body = await response.json(); } catch (_) { body = null; }
  if (response.status === 401 && path !== "/api/login" && !signingOut) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => search.append(name, v));
    else search.append(name, value);
  }
  return search.toString();
}

// The server's refusals under load (429, 503, 413), whose own message is English, in the page's words.
const REFUSALS = { busy: "error_busy", too_slow: "error_too_slow", too_large: "error_too_large" };

function showError(container, error) {
  const unknownCase = error instanceof ApiError && error.status === 404 && error.body?.kind === "case";
  const refusal = error instanceof ApiError && Object.hasOwn(REFUSALS, error.body?.error ?? "") ? REFUSALS[error.body.error] : null;
  const message = unknownCase ? `${t("case_unknown")} ${error.body.id}` : refusal ? t(refusal) :
    error instanceof ApiError && error.status === 404 ? `${t("not_found")} ${error.message}` : error.message;
  container.append(el("p", { class: "error", role: "alert" }, `${t("error")}: ${message}`));
}

// The sentence with [start, end) marked; both halves are text nodes.
function highlighted(sentence, start, end) {
  if (start === null || start === undefined || end <= start) return el("span", {}, sentence);
  return el("span", {}, sentence.slice(0, start), el("mark", {}, sentence.slice(start, end)), sentence.slice(end));
}

function entityLink(entity) {
  return el("a", { href: `/entity/${encodeURIComponent(entity.id)}`, class: "entity-link", dataset: { type: entity.type } }, entity.label);
}

function documentLink(documentId, title, start) {
  const anchor = start !== undefined && start !== null ? `#offset-${start}` : "";
  return el("a", { href: `/documents/${encodeURIComponent(documentId)}${anchor}`, class: "document-link" }, title || documentId.slice(0, 12));
}

function analystName() { return (localStorage.getItem("telarana.analyst") || "").trim(); }

function decisionName(decision) { return t(`decision_${decision}`); }

function judgementLine(judgement) {
  const who = judgement.by.startsWith("rule:") ? `${t("rule")} ${judgement.by.slice(5)}` : judgement.by.slice(5);
  const score = judgement.score === null || judgement.score === undefined ? "" : ` · ${t("score")} ${judgement.score.toFixed(2)}`;
  return `${formatDate(judgement.at)} · ${decisionName(judgement.decision)} · ${t("by")} ${who}${score}`;
}

// Why a judgement holds, in words: a rule's compared features from the vocabulary, an analyst's reason as written.
function judgementReason(judgement) {
  if (judgement.by.startsWith("rule:") && judgement.features && Object.keys(judgement.features).length) {
    return Object.entries(judgement.features).map(([name, level]) => `${term("comparison", name)}: ${term("level", level)}`).join("; ");
  }
  return judgement.reason || "";
}

// Where a piece of evidence comes from: the document (page, row), or the analyst who asserted it.
function evidenceSource(ev) {
  if (ev.method === "analyst") {
    return el("span", { class: "assertion" }, `${t("assertion")} (${t("not_a_document")}): ${ev.document_title.split(" · ")[0]} · ${formatDate(ev.document_title.split(" · ")[1])}`);
  }
  const where = [ev.page ? `${t("page")} ${ev.page}` : null, ev.row ? `${t("row")} ${ev.row}` : null,
                 `${t("confidence")} ${ev.confidence.toFixed(2)}`].filter(Boolean).join(" · ");
  return el("span", {}, documentLink(ev.document_id, ev.document_title, ev.start), ` · ${where} · ${t("method")} `, el("code", {}, ev.method));
}

// A button that asks for a reason (or a note), then calls act(text); note says what happened.
function reasonedAction(label, className, act, done = "rejected", placeholder = "reason_placeholder") {
  const reason = el("input", { type: "text", class: "reason", size: 28, placeholder: t(placeholder), hidden: true });
  const note = el("span", { class: "note", role: "status" });
  const confirm = el("button", { type: "button", class: `${className}-confirm`, hidden: true }, t("confirm"));
  const open = el("button", { type: "button", class: className, onclick: () => { reason.hidden = false; confirm.hidden = false; reason.focus(); } }, label);
  confirm.addEventListener("click", async () => {
    if (!readyToDecide(note, reason)) return;
    try { await act(reason.value.trim()); note.textContent = t(done); } catch (error) { note.textContent = `${t("error")}: ${error.message}`; }
  });
  return el("span", { class: "reasoned-action" }, " ", open, " ", reason, " ", confirm, " ", note);
}

// The history of an entity or a link: analysts' corrections and judgements, each undoable while it holds.
function historyList(entries, onChange) {
  if (!entries.length) return el("p", { class: "muted" }, t("none"));
  return el("ol", { class: "history" }, entries.map((entry) => {
    const what = entry.kind === "judgement" ? `${term("correction", "judgement")}: ${term("decision", entry.decision)}` : term("correction", entry.kind);
    const said = [entry.reason, entry.note].filter(Boolean).join(" — ");
    const undoable = entry.standing && entry.kind !== "judgement" && entry.kind !== "undo";
    return el("li", { class: `history-entry kind-${entry.kind}${entry.standing ? "" : " withdrawn"}`, dataset: { id: entry.id } },
      `${formatDate(entry.at)} · ${what} · ${t("by")} ${entry.by.replace(/^user:/, "")}`, entry.standing ? "" : ` · ${t("withdrawn")}`,
      said ? el("div", { class: "muted" }, said) : null,
      undoable ? reasonedAction(t("undo"), "undo-correction", async (reason) => {
        await api(`/api/corrections/${encodeURIComponent(entry.id)}/undo`, { json: { user: analystName(), reason } });
        onChange();
      }) : null);
  }));
}

// Decisions are recorded under the analyst's name, with a reason: false (and says so) if either is missing.
function readyToDecide(note, reasonInput) {
  if (!analystName()) { note.textContent = t("need_analyst"); return false; }
  if (reasonInput && !reasonInput.value.trim()) { note.textContent = t("need_reason"); return false; }
  return true;
}

// An undo button with the reason it needs; onDone() after the undo is recorded.
function undoControl(judgement, onDone) {
  const reason = el("input", { type: "text", class: "reason", size: 24, placeholder: t("undo_reason") });
  const note = el("span", { class: "note", role: "status" });
  const button = el("button", { type: "button", class: "undo", onclick: async () => {
    if (!readyToDecide(note, reason)) return;
    try {
      await api(`/api/judgements/${encodeURIComponent(judgement.id)}/undo`, { json: { user: analystName(), reason: reason.value.trim() } });
      note.textContent = t("undone");
      onDone();
    } catch (error) { note.textContent = `${t("error")}: ${error.message}`; }
  } }, t("undo"));
  return el("span", { class: "undo-control" }, " ", reason, " ", button, " ", note);
}

function renderHeader() {
  const header = document.getElementById("top");
  if (!header) return;
  const languageSelect = el("select", { id: "language", "aria-label": t("language") },
    el("option", { value: "es" }, "Español"), el("option", { value: "en" }, "English"));
  languageSelect.value = lang();
  languageSelect.addEventListener("change", () => {
    localStorage.setItem("telarana.lang", languageSelect.value);
    location.reload();
  });
  // The case an analyst's decisions and corrections go to (they act on that case's views only).
  const caseSelect = el("select", { id: "working-case", "aria-label": t("working_case") }, el("option", { value: "" }, t("any_case")));
  caseSelect.addEventListener("change", () => localStorage.setItem("telarana.case", caseSelect.value));
  const analyst = el("input", { id: "analyst", type: "text", size: 14, placeholder: t("analyst_placeholder"),
                                "aria-label": t("analyst"), value: analystName() });
  analyst.addEventListener("change", () => localStorage.setItem("telarana.analyst", analyst.value.trim()));
  clear(header).append(
    el("a", { href: "/", class: "brand" }, t("app_name")),
    el("nav", {},
      el("a", { href: "/" }, t("nav_search")), el("a", { href: "/paths" }, t("nav_paths")),
      el("a", { href: "/review" }, t("nav_review")), el("a", { href: "/analysis" }, t("nav_analysis")),
      el("a", { href: "/stats" }, t("nav_stats")), el("a", { href: "/upload" }, t("nav_upload")),
      el("a", { href: "/import" }, t("nav_import")), el("a", { href: "/screening" }, t("nav_screening")),
      el("a", { href: "/report" }, t("nav_report")),
      el("a", { href: "/docs" }, t("nav_api"))),
    el("label", {}, `${t("analyst")} `, analyst),
    el("label", {}, `${t("working_case")} `, caseSelect),
    el("label", {}, `${t("language")} `, languageSelect),
  );

  document.documentElement.lang = lang();
  if (location.pathname === "/login") { caseSelect.parentElement.hidden = true; return; }
  api("/api/cases").then((cases) => {
    for (const found of cases) caseSelect.append(el("option", { value: found.id }, found.name));
    caseSelect.value = cases.some((c) => c.id === workingCase()) ? workingCase() : "";
  }).catch(() => {});
  api("/api/me").then((me) => {
    if (me.open) return;  // development without users: no sign-in
    analyst.value = me.name;
    analyst.disabled = true;
    localStorage.setItem("telarana.analyst", me.name);  // decisions are the signed-in user's
    const signOut = el("button", { type: "button", id: "sign-out" }, t("sign_out"));
    signOut.addEventListener("click", async () => {
      signingOut = true;
      await api("/api/logout", { method: "POST" });
      location.assign("/login");
    });
    // What this user's reads are limited to: the server answers only within these cases.
    const cases = me.role === "admin" ? t("every_case") : (me.cases.join(", ") || t("no_case"));
    header.append(el("span", { id: "signed-in", title: cases }, `${t("signed_in_as")} ${me.name} (${me.role} · ${cases}) `), signOut);
  }).catch(() => {});
}

// Pages translate their static labels by data-i18n attributes.
function translateStatic() {
  document.querySelectorAll("[data-i18n]").forEach((node) => { node.textContent = t(node.dataset.i18n); });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((node) => { node.placeholder = t(node.dataset.i18nPlaceholder); });
}

// A search box that lets the user pick one entity; calls onPick(hit).
function entityPicker(input, list, onPick) {
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      clear(list);
      if (q.length < 2) return;
      const hits = (await api(`/api/search?${query({ q, limit: 10 })}`)).filter((h) => h.kind === "entity");
      for (const hit of hits) {
        list.append(el("li", {}, el("button", { type: "button", class: "pick", onclick: () => { clear(list); onPick(hit); } },
          `${hit.label} · ${typeName(hit.type)}${hit.member_count > 1 ? ` · ${hit.member_count} ${t("of_records")}` : ""}`)));
      }
    }, 200);
  });
}

const EXPORT_FORMATS = [["graphml", "GraphML"], ["gexf", "GEXF (Gephi)"], ["i2", "i2 ANB (CSV)"], ["json", "JSON"]];

// Download links for the graph an export scope names (params: scope, case_id, entity_id, hops…).
function exportLinks(params) {
  return el("span", { class: "exports" }, `${t("exports")}: `, EXPORT_FORMATS.flatMap(([format, name], i) =>
    [i ? " · " : "", el("a", { href: `/api/export?${query({ ...params, format })}`, class: "export", dataset: { format } }, name)]));
}

// Links to the association-evidence report of these entities, under the analyst's name.
function reportLinks(ids, pseudonymise) {
  const params = { ids, user: analystName() || "anonimo", pseudonymise: pseudonymise ? "true" : undefined };
  return el("span", { class: "report-links" },
    el("a", { href: `/api/report?${query(params)}`, id: "report-html", target: "_blank", rel: "noopener" }, t("report_html")), " · ",
    el("a", { href: `/api/report?${query({ ...params, format: "pdf" })}`, id: "report-pdf" }, t("report_pdf")));
}

document.addEventListener("DOMContentLoaded", () => { renderHeader(); translateStatic(); });

// Watchlist alerts (screening page, dashboard): who or what was watched, in which newly read document.
function alertList(alerts) {
  if (!alerts.length) return el("p", { class: "muted" }, t("no_alerts"));
  return el("ul", { class: "watch-alerts" }, alerts.map((a) => el("li", {}, `${term("watch_kind", a.kind)} `, el("strong", {}, a.value), " ",
    a.entity_id ? entityLink({ id: a.entity_id, label: a.entity_label, type: "" }) : "", ` ${t("alert_in")} `, documentLink(a.document_id, a.document_title),
    el("span", { class: "muted" }, ` · ${formatDate(a.seen_at)}`))));
}
