UNWIND $ids AS id
MATCH (ev:Evidence {relationship_id: id})
WITH id, collect(ev)[0] AS ev
RETURN id, ev.rel_type AS type, ev.rel_source AS source_id, ev.rel_target AS target_id
