-------------------------------------------------------------------------------------------------------
-- OCDS releases as received (issue 12, item 1): order-independent procurement data. Every release (or
-- compiled release) oversight-load reads is kept here, once: its identity is its content, so a release
-- already stored is a no-op. Each process a load touches is then compiled by the loader from ALL its
-- stored releases (the OCDS merge, in date order; loader/README.md, "OCDS"), and the canonical procurement
-- tables hold that compilation: the same releases give the same rows and compiled document, whatever the
-- files and their order. Append-only for every role: nobody updates or deletes what was received.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.ocds_release (
  ocid          text NOT NULL CONSTRAINT ocds_release_ocid_present CHECK (pg_catalog.btrim(ocid) <> ''),
  release_hash  text NOT NULL CONSTRAINT ocds_release_hash_format CHECK (release_hash ~ '^[0-9a-f]{64}$'),
  release_kind  text NOT NULL CONSTRAINT ocds_release_kind_known CHECK (release_kind IN ('release', 'compiled')),
  release_id    text,
  release_date  timestamptz,
  document      jsonb NOT NULL CONSTRAINT ocds_release_document_object CHECK (pg_catalog.jsonb_typeof(document) = 'object'),
  load_id       bigint REFERENCES oversight.load,
  line_no       bigint CONSTRAINT ocds_release_line_positive CHECK (line_no > 0),
  PRIMARY KEY (ocid, release_hash),
  CONSTRAINT ocds_release_document_ocid CHECK (document ->> 'ocid' = ocid)
);
COMMENT ON TABLE oversight.ocds_release IS
  'OCDS releases as received (收到的 OCDS 发布), one row per distinct release of a contracting process: the procurement tables hold the compilation of all of a process''s rows here (oversight-load compiles them with the OCDS merge rules, in date order), so loading the same releases in any order, in any files, gives the same database. Append-only; a release received again is not stored twice.';
COMMENT ON COLUMN oversight.ocds_release.ocid IS 'Contracting process (Open Contracting ID).';
COMMENT ON COLUMN oversight.ocds_release.release_hash IS 'SHA-256 (hex) of the document''s jsonb text: the identity of a release, so the same release received twice is one row.';
COMMENT ON COLUMN oversight.ocds_release.release_kind IS 'release, or compiled (a record''s compiledRelease, or a release tagged "compiled"): compiled releases are merged after the releases of the same date.';
COMMENT ON COLUMN oversight.ocds_release.release_id IS 'The release''s id as published (two different releases under one id are both kept).';
COMMENT ON COLUMN oversight.ocds_release.release_date IS 'The release''s date; releases are compiled in the order of their dates (NULL: no readable date, compiled first).';
COMMENT ON COLUMN oversight.ocds_release.document IS 'The release as received (normalised: objects where OCDS expects arrays wrapped, numeric identifiers as strings).';
COMMENT ON COLUMN oversight.ocds_release.load_id IS 'Load that first received the release (NULL: kept by the 0.4.0 upgrade from a process loaded before).';
COMMENT ON COLUMN oversight.ocds_release.line_no IS 'Line (JSON Lines) or position (package) of the release in that load''s file.';
CREATE INDEX ocds_release_load ON oversight.ocds_release (load_id);
COMMENT ON INDEX oversight.ocds_release_load IS 'The releases a load received.';

-- Processes loaded from OCDS before 0.4.0 kept only their compiled release: it becomes their first stored
-- (compiled) release, so a later release is compiled onto it instead of replacing it.
INSERT INTO oversight.ocds_release (ocid, release_hash, release_kind, release_id, release_date, document)
SELECT p.ocid, pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(p.source_document::text, 'UTF8')), 'hex'),
       'compiled', p.source_document ->> 'id', p.published_at, p.source_document
  FROM oversight.procurement_process p
 WHERE pg_catalog.jsonb_typeof(p.source_document) = 'object' AND p.source_document ->> 'ocid' = p.ocid;

-- Audited as the other loaded tables: each INSERT statement with its keys; an update or delete (which no
-- role is granted) row by row.
CREATE TRIGGER ocds_release_audit AFTER UPDATE OR DELETE ON oversight.ocds_release
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('ocid', 'release_hash');
COMMENT ON TRIGGER ocds_release_audit ON oversight.ocds_release IS 'Audits corrections and deletions, row by row.';
CREATE TRIGGER ocds_release_audit_insert AFTER INSERT ON oversight.ocds_release REFERENCING NEW TABLE AS oversight_inserted
  FOR EACH STATEMENT EXECUTE FUNCTION oversight.audit_row_change('ocid', 'release_hash');
COMMENT ON TRIGGER ocds_release_audit_insert ON oversight.ocds_release IS 'Audits each INSERT statement: one entry with the number of rows and their keys.';

-------------------------------------------------------------------------------------------------------
-- Which organisation details a party takes when processes describe it differently (a buyer's address in
-- one process, a newer one in another): the mention of the process with the latest compiled release
-- (then the greatest ocid), among the mentions of every process's current compilation, kept here. A load
-- replaces the mentions of the processes it compiles, then writes each party it touched from its winning
-- mention: the party rows too are the same whatever the order of the files.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.ocds_party_mention (
  party_code        text NOT NULL,
  ocid              text NOT NULL,
  published_at      timestamptz,
  name              text,
  identifier_scheme text,
  identifier_id     text,
  address           text,
  contact_name      text,
  contact_email     text,
  contact_phone     text,
  source_document   jsonb,
  PRIMARY KEY (party_code, ocid)
);
COMMENT ON TABLE oversight.ocds_party_mention IS
  'How the current compiled release of each OCDS process describes each organisation it names (当前编译发布对各方的描述): oversight.party takes, per party, the mention of the process with the latest compiled release (then the greatest ocid), so its row does not depend on the order in which the processes were loaded. Written by oversight-load.';
COMMENT ON COLUMN oversight.ocds_party_mention.party_code IS 'Party (oversight.party.party_code: identifier scheme-id, else the OCDS party id).';
COMMENT ON COLUMN oversight.ocds_party_mention.ocid IS 'Process whose compiled release names the party.';
COMMENT ON COLUMN oversight.ocds_party_mention.published_at IS 'Date of that compiled release (its latest release): the later mention wins.';
COMMENT ON COLUMN oversight.ocds_party_mention.name IS 'Name as the process gives it.';
COMMENT ON COLUMN oversight.ocds_party_mention.identifier_scheme IS 'Identifier scheme as the process gives it.';
COMMENT ON COLUMN oversight.ocds_party_mention.identifier_id IS 'Identifier as the process gives it.';
COMMENT ON COLUMN oversight.ocds_party_mention.address IS 'Address (one line) as the process gives it.';
COMMENT ON COLUMN oversight.ocds_party_mention.contact_name IS 'Contact point name as the process gives it.';
COMMENT ON COLUMN oversight.ocds_party_mention.contact_email IS 'Contact point e-mail as the process gives it.';
COMMENT ON COLUMN oversight.ocds_party_mention.contact_phone IS 'Contact point telephone as the process gives it.';
COMMENT ON COLUMN oversight.ocds_party_mention.source_document IS 'The organisation object as the process gives it.';
CREATE INDEX ocds_party_mention_ocid ON oversight.ocds_party_mention (ocid);
COMMENT ON INDEX oversight.ocds_party_mention_ocid IS 'The mentions of a process, replaced when it is compiled again.';
CREATE TRIGGER ocds_party_mention_audit AFTER UPDATE OR DELETE ON oversight.ocds_party_mention
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('party_code', 'ocid');
COMMENT ON TRIGGER ocds_party_mention_audit ON oversight.ocds_party_mention IS 'Audits corrections and deletions, row by row.';
CREATE TRIGGER ocds_party_mention_audit_insert AFTER INSERT ON oversight.ocds_party_mention REFERENCING NEW TABLE AS oversight_inserted
  FOR EACH STATEMENT EXECUTE FUNCTION oversight.audit_row_change('party_code', 'ocid');
COMMENT ON TRIGGER ocds_party_mention_audit_insert ON oversight.ocds_party_mention IS 'Audits each INSERT statement: one entry with the number of rows and their keys.';

-- A release, and a process's mention of a party, are seen by whoever sees the process: bureau-wide roles
-- all, an analyst those of the processes of the units granted to it (procurement_process's own policy,
-- through the subquery), as for bids and awards.
DO $rls$
DECLARE t name;
BEGIN
  FOREACH t IN ARRAY ARRAY['ocds_release', 'ocds_party_mention']::name[] LOOP
    EXECUTE pg_catalog.format('ALTER TABLE oversight.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE pg_catalog.format(
      'CREATE POLICY parent_scope ON oversight.%I USING ((SELECT oversight.sees_all_units()) OR EXISTS '
      '(SELECT FROM oversight.procurement_process p WHERE p.ocid = %I.ocid)) WITH CHECK ((SELECT oversight.sees_all_units()))', t, t);
    EXECUTE pg_catalog.format('COMMENT ON POLICY parent_scope ON oversight.%I IS %L', t,
      'Rows of the process the role can see (row-level security of oversight.procurement_process); bureau-wide roles see and write all.');
  END LOOP;
END
$rls$;

-- Least privilege: the loader stores and reads releases, never changes one, and replaces the mentions of
-- the processes it compiles; the readers read.
REVOKE ALL ON oversight.ocds_release, oversight.ocds_party_mention FROM PUBLIC;
GRANT SELECT, INSERT ON oversight.ocds_release TO oversight_loader;
GRANT SELECT, INSERT, UPDATE, DELETE ON oversight.ocds_party_mention TO oversight_loader;
GRANT SELECT ON oversight.ocds_release, oversight.ocds_party_mention TO oversight_admin, oversight_analyst, oversight_inspector;
-- The compilation replaces a process's lots, bids, awards and contracts: what its compiled release no
-- longer names is deleted (only rows an OCDS load wrote; audited row by row).
GRANT DELETE ON oversight.procurement_lot, oversight.bid, oversight.award, oversight.contract TO oversight_loader;

SELECT pg_catalog.pg_extension_config_dump('oversight.ocds_release', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.ocds_party_mention', '');
