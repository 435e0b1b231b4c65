// Applied at every start; each statement is idempotent (IF NOT EXISTS).
CREATE CONSTRAINT case_id IF NOT EXISTS FOR (n:Case) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT telarana_meta_key IF NOT EXISTS FOR (n:TelaranaMeta) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT mention_id IF NOT EXISTS FOR (n:Mention) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (n:Evidence) REQUIRE n.id IS UNIQUE;
CREATE INDEX evidence_relationship IF NOT EXISTS FOR (n:Evidence) ON (n.relationship_id);
CREATE INDEX entity_type IF NOT EXISTS FOR (n:Entity) ON (n.type);
CREATE CONSTRAINT judgement_id IF NOT EXISTS FOR (n:Judgement) REQUIRE n.id IS UNIQUE;
CREATE INDEX judgement_left IF NOT EXISTS FOR (n:Judgement) ON (n.left_id);
CREATE INDEX judgement_right IF NOT EXISTS FOR (n:Judgement) ON (n.right_id);
CREATE CONSTRAINT uses_phone_id IF NOT EXISTS FOR ()-[r:USES_PHONE]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT uses_email_id IF NOT EXISTS FOR ()-[r:USES_EMAIL]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT called_id IF NOT EXISTS FOR ()-[r:CALLED]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT holds_id_id IF NOT EXISTS FOR ()-[r:HOLDS_ID]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT passenger_on_id IF NOT EXISTS FOR ()-[r:PASSENGER_ON]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT departs_from_id IF NOT EXISTS FOR ()-[r:DEPARTS_FROM]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT arrives_at_id IF NOT EXISTS FOR ()-[r:ARRIVES_AT]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT travelled_id IF NOT EXISTS FOR ()-[r:TRAVELLED]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT via_id IF NOT EXISTS FOR ()-[r:VIA]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT associated_with_id IF NOT EXISTS FOR ()-[r:ASSOCIATED_WITH]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT member_of_id IF NOT EXISTS FOR ()-[r:MEMBER_OF]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT located_in_id IF NOT EXISTS FOR ()-[r:LOCATED_IN]-() REQUIRE r.id IS UNIQUE;
// standard-folding folds accents and case: "perez" finds "PÉREZ".
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.search_names]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}};
CREATE FULLTEXT INDEX document_text IF NOT EXISTS FOR (n:Document) ON EACH [n.title, n.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}};
CREATE CONSTRAINT mark_id IF NOT EXISTS FOR (n:Mark) REQUIRE n.id IS UNIQUE;
CREATE INDEX mark_entity IF NOT EXISTS FOR (n:Mark) ON (n.entity_id);
CREATE CONSTRAINT correction_id IF NOT EXISTS FOR (n:Correction) REQUIRE n.id IS UNIQUE;
CREATE INDEX correction_case IF NOT EXISTS FOR (n:Correction) ON (n.case_id);
