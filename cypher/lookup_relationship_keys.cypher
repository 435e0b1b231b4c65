// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
// A relationship's key is on each of its evidence: one is read, not all.
UNWIND $ids AS id
CALL (id) {
  MATCH (ev:Evidence {relationship_id: id})
  RETURN ev
  LIMIT 1
}
WITH id, ev.rel_type AS type, ev.rel_source AS source_id, ev.rel_target AS target_id
RETURN collect({id: id, type: type, source_id: source_id, target_id: target_id}) AS rows
