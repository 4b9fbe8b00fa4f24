-- oversight 0.2.0 → 0.3.0 — security: the engine can no longer be turned against the database, the
-- audit trail cannot be forged, forked or quietly shortened, alerts no longer leak through LISTEN,
-- every unit-scoped table has row-level security, the clock cannot be set back by anyone, and watched
-- tables survive being renamed, altered or dropped (README "Security rules").
--
-- Hardening as before: every reference schema-qualified, every SQL function pins
-- search_path = pg_catalog, pg_temp, every object has a COMMENT. CREATE OR REPLACE only for functions
-- this version really replaces.

\echo Use "ALTER EXTENSION oversight UPDATE TO '0.3.0'" to load this file. \quit

SET LOCAL search_path = pg_catalog, pg_temp;

INSERT INTO oversight.setting_default (setting_key, default_value, description, source) VALUES
  ('clock.injectable', 'false',
   'When true, the session setting oversight.now replaces the transaction time (tests, demos, replays of past data). Leave false in production: then every time the extension records is the real one, and a session that sets oversight.now gets an error (OV002).',
   'README "Security rules"');

-------------------------------------------------------------------------------------------------------
-- Facts from the server that SQL cannot give exactly (C, extension/src/functions/audit_support.cpp).
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.next_xid() RETURNS bigint
  AS 'MODULE_PATHNAME', 'oversight_next_xid' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION oversight.next_xid() IS
  'The next transaction id the server will assign (64-bit): the horizon the audit sealer waits for. Internal.';
CREATE FUNCTION oversight.in_extension_script() RETURNS boolean
  AS 'MODULE_PATHNAME', 'oversight_in_extension_script' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION oversight.in_extension_script() IS
  'True while CREATE or ALTER EXTENSION runs a script: rows the scripts write are shipped data, not audited. Internal.';

-------------------------------------------------------------------------------------------------------
-- The clock: injectable only where an administrator allowed it (setting clock.injectable, audited).
-------------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION oversight.now() RETURNS timestamptz
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE v text := pg_catalog.current_setting('oversight.now', true);
BEGIN
  IF v IS NULL OR v = '' THEN
    RETURN pg_catalog.now();
  END IF;
  IF NOT oversight.setting_value('clock.injectable')::boolean THEN
    IF oversight.in_extension_script() THEN
      RETURN pg_catalog.now(); -- the extension's own scripts record real time, whatever the session set
    END IF;
    RAISE EXCEPTION '本库不接受注入的时钟（oversight.now = "%"）/ this database does not accept an injected clock (oversight.now = "%")', v, v
      USING ERRCODE = 'OV002',
            HINT = '生产库的一切时间取事务的真实时间；测试、演示、历史回放库可由管理员开启设置 clock.injectable（记入审计）。/ '
                   'Production writes use the real transaction time. An administrator can allow an injected clock for tests, demos or replays with setting clock.injectable (audited).';
  END IF;
  BEGIN
    RETURN v::timestamptz;
  EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
    RAISE EXCEPTION '设置 oversight.now = "%" 不是时间 / setting oversight.now = "%" is not a timestamp', v, v USING ERRCODE = '22007',
      HINT = 'Use an ISO 8601 timestamp with offset, e.g. 2025-03-05 09:30+08, or reset it to use the wall clock.';
  END;
END $$;
COMMENT ON FUNCTION oversight.now() IS
  'The one clock of the extension: the transaction''s now(); the session setting oversight.now instead only where setting clock.injectable allows it (tests, demos, replays), else OV002. Everything uses this instead of now().';

CREATE OR REPLACE FUNCTION oversight.set_clock(p_at timestamptz, p_local boolean DEFAULT false) RETURNS timestamptz
  LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM pg_catalog.set_config('oversight.now', p_at::text, p_local);
  RETURN oversight.now(); -- refuses (OV002) where the clock is not injectable
END $$;
COMMENT ON FUNCTION oversight.set_clock(timestamptz, boolean) IS
  'Freezes oversight.now() at p_at for the session (or the transaction when p_local); for tests, demos and replays, where setting clock.injectable allows it (else OV002).';

-------------------------------------------------------------------------------------------------------
-- Audit trail, 0.3.0: entries are written without any lock or hash and sealed
-- later, in batches, into a hash chain of seals (oversight.audit_seal). A seal covers a contiguous range
-- of entry numbers and is made only once no transaction that could still add an entry to the range is
-- running, so the chain is the same under every isolation level and writers never wait for each other.
-- The head of the chain (oversight.audit_head()) is exported for anchoring outside the database; the
-- verifier, given an exported head, detects a trail cut short or rewritten after it.
-- Entries written before 0.3.0 keep their linear chain (previous_hash) and are verified by it too.
-------------------------------------------------------------------------------------------------------
COMMENT ON COLUMN oversight.audit_log.acting_role IS
  'Role whose privileges made the change: the writer''s current role for row changes (the audit trigger records it), the extension''s owner for steps taken through its own functions.';
COMMENT ON COLUMN oversight.audit_log.previous_hash IS
  'entry_hash of the previous entry, for entries written before 0.3.0 (their linear chain); NULL since 0.3.0, where seals chain the entries (oversight.audit_seal).';
COMMENT ON COLUMN oversight.audit_log.entry_hash IS
  'For entries written before 0.3.0: sha256 over previous_hash and the entry''s content (oversight.audit_entry_hash). NULL since 0.3.0: an entry is hashed by the seal that covers it.';
COMMENT ON TABLE oversight.audit_log IS
  'Append-only audit trail: who changed what, when and why, system actions included. Every change to a table people write is recorded (row by row; inserts of finance records one entry per statement with the keys inserted). Entries are written without any lock; oversight.seal_audit() seals them, in batches, into a hash chain of seals; oversight.verify_audit_chain() detects edits and removals of sealed entries and, against an exported head, truncation and rewriting.';

-- Entries since 0.3.0 are hashed when they are sealed, not when they are written: the write path only
-- inserts (no lock, no hash), and a hash taken at write time would prove nothing against someone able to
-- edit the table (they would rehash): the seal and its exported head are what prove.
ALTER TABLE oversight.audit_log ALTER COLUMN entry_hash DROP NOT NULL;

CREATE OR REPLACE FUNCTION oversight.audit(p_action text, p_table text, p_key jsonb, p_old jsonb, p_new jsonb, p_reason text)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE id bigint;
BEGIN
  -- The transaction id before the entry number: the sealer's horizon relies on every transaction that
  -- holds an entry number having its id already (see oversight.seal_audit()).
  PERFORM pg_catalog.txid_current();
  INSERT INTO oversight.audit_log (recorded_at, actor, acting_role, action, table_name, object_key, old_row, new_row, reason, transaction_id)
  VALUES (oversight.now(), session_user, current_user, p_action, p_table, p_key, p_old, p_new,
          COALESCE(p_reason, NULLIF(pg_catalog.current_setting('oversight.reason', true), '')), pg_catalog.txid_current())
  RETURNING audit_id INTO id;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.audit(text, text, jsonb, jsonb, jsonb, text) IS
  'Appends one entry to the audit trail, without any lock, for a step taken by the extension''s own functions (lifecycle transitions, reopenings; acting_role is then the extension''s owner). Internal: nobody may call it directly. Row changes are recorded by the audit trigger (oversight.audit_row_change()).';
REVOKE ALL ON FUNCTION oversight.audit(text, text, jsonb, jsonb, jsonb, text) FROM oversight_admin;

-- The row trigger, now in C: it records the writer's own role, refuses any table outside schema
-- oversight, and handles statement-level inserts too (extension/src/engine/audit_trigger.cpp).
CREATE OR REPLACE FUNCTION oversight.audit_row_change() RETURNS trigger
  AS 'MODULE_PATHNAME', 'oversight_audit_row_change' LANGUAGE C;
COMMENT ON FUNCTION oversight.audit_row_change() IS
  'Audit trigger of the extension''s tables (arguments: key columns). AFTER ROW: one entry per changed row with the row before and after and the writer''s role. AFTER INSERT FOR EACH STATEMENT with REFERENCING NEW TABLE: one entry per statement with the number of rows and their keys. Refuses tables outside schema oversight.';

CREATE TABLE oversight.audit_seal (
  seal_no            bigint PRIMARY KEY CONSTRAINT audit_seal_numbered CHECK (seal_no >= 1),
  first_audit_id     bigint NOT NULL,
  last_audit_id      bigint NOT NULL,
  entry_count        bigint NOT NULL,
  entries_hash       bytea NOT NULL,
  previous_seal_hash bytea,
  seal_hash          bytea NOT NULL,
  sealed_at          timestamptz NOT NULL,
  sealed_by          text NOT NULL,
  CONSTRAINT audit_seal_range_ordered CHECK (first_audit_id <= last_audit_id + 1),
  CONSTRAINT audit_seal_first_has_no_previous CHECK ((seal_no = 1) = (previous_seal_hash IS NULL))
);
CREATE UNIQUE INDEX audit_seal_contiguous ON oversight.audit_seal (first_audit_id);
COMMENT ON INDEX oversight.audit_seal_contiguous IS 'Two seals never start at the same entry: a stale sealer cannot fork the chain.';
COMMENT ON TABLE oversight.audit_seal IS
  'Seals of the audit trail, a hash chain: seal n covers the entries first_audit_id..last_audit_id (every entry numbered in that range, gaps being numbers no committed transaction used), hashes them in order (entries_hash) and chains to seal n-1 (previous_seal_hash). Append-only. Written by oversight.seal_audit().';
COMMENT ON COLUMN oversight.audit_seal.seal_no IS 'Position in the chain of seals, 1, 2, … (no gaps: the primary key and the check in seal_audit()).';
COMMENT ON COLUMN oversight.audit_seal.first_audit_id IS 'First entry number covered (the previous seal''s last + 1).';
COMMENT ON COLUMN oversight.audit_seal.last_audit_id IS 'Last entry number covered.';
COMMENT ON COLUMN oversight.audit_seal.entry_count IS 'Entries that exist in the range.';
COMMENT ON COLUMN oversight.audit_seal.entries_hash IS 'sha256 over the content hash (oversight.audit_entry_hash) of every entry in the range, in order.';
COMMENT ON COLUMN oversight.audit_seal.previous_seal_hash IS 'seal_hash of the previous seal (NULL for the first).';
COMMENT ON COLUMN oversight.audit_seal.seal_hash IS 'sha256 over the previous seal''s hash and this seal''s fields: the head to anchor outside the database.';
COMMENT ON COLUMN oversight.audit_seal.sealed_at IS 'oversight.now() when sealed.';
COMMENT ON COLUMN oversight.audit_seal.sealed_by IS 'session_user who sealed (a scheduled job, the sweeper).';
CREATE TRIGGER audit_seal_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON oversight.audit_seal
  FOR EACH STATEMENT EXECUTE FUNCTION oversight.audit_log_is_append_only();
COMMENT ON TRIGGER audit_seal_append_only ON oversight.audit_seal IS 'Refuses UPDATE, DELETE and TRUNCATE, whatever rows they touch: the seals are append-only.';
CREATE OR REPLACE FUNCTION oversight.audit_log_is_append_only() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION '% 只能追加 / % is append-only: % is not allowed', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
    TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP USING ERRCODE = '42501';
END $$;
COMMENT ON FUNCTION oversight.audit_log_is_append_only() IS 'Trigger function refusing UPDATE, DELETE and TRUNCATE on the audit trail and its seals.';

CREATE TABLE oversight.audit_seal_horizon (
  up_to_audit_id bigint PRIMARY KEY,
  horizon_xid    bigint NOT NULL,
  proposed_at    timestamptz NOT NULL
);
COMMENT ON TABLE oversight.audit_seal_horizon IS
  'Ranges of audit entries waiting to be sealed: entries up to up_to_audit_id can be sealed once every transaction with an id below horizon_xid has ended (then none of them can still add an entry to the range). Working state of oversight.seal_audit(); not dumped (after a restore every transaction of the old cluster has ended).';
COMMENT ON COLUMN oversight.audit_seal_horizon.up_to_audit_id IS 'Highest entry number handed out when the range was proposed.';
COMMENT ON COLUMN oversight.audit_seal_horizon.horizon_xid IS 'oversight.next_xid() right after: every transaction holding a number in the range has a smaller id.';
COMMENT ON COLUMN oversight.audit_seal_horizon.proposed_at IS 'When proposed.';

CREATE FUNCTION oversight.audit_seal_hash(p_previous bytea, p_seal_no bigint, p_first bigint, p_last bigint, p_count bigint,
                                          p_entries_hash bytea, p_sealed_at timestamptz, p_sealed_by text)
  RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.sha256(COALESCE(p_previous, ''::bytea) || pg_catalog.convert_to(pg_catalog.concat_ws(E'\x1f',
    p_seal_no, p_first, p_last, p_count, pg_catalog.encode(p_entries_hash, 'hex'), p_sealed_at AT TIME ZONE 'UTC', p_sealed_by), 'UTF8'))
$$;
COMMENT ON FUNCTION oversight.audit_seal_hash(bytea, bigint, bigint, bigint, bigint, bytea, timestamptz, text) IS
  'The chain hash of one seal; used when sealing and when verifying.';

CREATE FUNCTION oversight.seal_audit()
  RETURNS TABLE (seal_no bigint, first_audit_id bigint, last_audit_id bigint, entry_count bigint, seal_hash text, pending_entries bigint)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  last_seal oversight.audit_seal;
  ready oversight.audit_seal_horizon;
  v_xmin bigint;
  handed_out bigint;
  s oversight.audit_seal;
  bad bigint;
BEGIN
  -- One sealer at a time; another one at work simply does this call's work.
  IF NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('oversight.seal_audit')) THEN
    RETURN;
  END IF;
  -- Numbers handed out from a backend's sequence cache could be older than the proposal's horizon.
  IF (SELECT q.seqcache FROM pg_catalog.pg_sequence q WHERE q.seqrelid = 'oversight.audit_log_audit_id_seq'::pg_catalog.regclass) <> 1 THEN
    RAISE EXCEPTION '审计序列须为 CACHE 1 方可封存 / oversight.audit_log_audit_id_seq must have CACHE 1 for sealing' USING ERRCODE = '55000';
  END IF;
  SELECT * INTO last_seal FROM oversight.audit_seal a ORDER BY a.seal_no DESC LIMIT 1;
  -- 1. Seal the longest proposed range whose horizon has passed: no transaction below it is running
  --    (with an old snapshot, under REPEATABLE READ, xmin is older and sealing only waits longer).
  v_xmin := pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot())::text::bigint;
  SELECT * INTO ready FROM oversight.audit_seal_horizon h
   WHERE h.horizon_xid <= v_xmin AND h.up_to_audit_id > COALESCE(last_seal.last_audit_id, 0)
   ORDER BY h.up_to_audit_id DESC LIMIT 1;
  IF FOUND THEN
    s.seal_no := COALESCE(last_seal.seal_no, 0) + 1;
    s.first_audit_id := COALESCE(last_seal.last_audit_id, 0) + 1;
    s.last_audit_id := ready.up_to_audit_id;
    -- A seal never certifies an entry written before 0.3.0 whose content no longer matches its hash.
    SELECT min(a.audit_id) INTO bad FROM oversight.audit_log a
     WHERE a.audit_id BETWEEN s.first_audit_id AND s.last_audit_id
       AND a.entry_hash IS NOT NULL AND a.entry_hash IS DISTINCT FROM oversight.audit_entry_hash(a.previous_hash, a);
    IF bad IS NOT NULL THEN
      RAISE EXCEPTION '审计条目 % 与其哈希不符，不予封存 / audit entry % does not match its hash: not sealed', bad, bad
        USING ERRCODE = 'XX001', HINT = 'Run oversight.verify_audit_chain() and investigate: the trail was altered.';
    END IF;
    SELECT pg_catalog.count(*), pg_catalog.sha256(COALESCE(pg_catalog.string_agg(oversight.audit_entry_hash(a.previous_hash, a), ''::bytea ORDER BY a.audit_id), ''::bytea))
      INTO s.entry_count, s.entries_hash
      FROM oversight.audit_log a WHERE a.audit_id BETWEEN s.first_audit_id AND s.last_audit_id;
    s.previous_seal_hash := last_seal.seal_hash;
    s.sealed_at := oversight.now();
    s.sealed_by := session_user;
    s.seal_hash := oversight.audit_seal_hash(s.previous_seal_hash, s.seal_no, s.first_audit_id, s.last_audit_id, s.entry_count,
                                             s.entries_hash, s.sealed_at, s.sealed_by);
    INSERT INTO oversight.audit_seal SELECT s.*;
    DELETE FROM oversight.audit_seal_horizon h WHERE h.up_to_audit_id <= s.last_audit_id;
    last_seal := s;
    PERFORM pg_catalog.pg_notify('oversight_audit_head', oversight.audit_head()::text);
  END IF;
  -- 2. Propose the entries handed out since, with the horizon to wait for. The entry number is read
  --    before the horizon: every transaction holding a number up to it took its id before (the audit
  --    trigger fires after its row was written; oversight.audit() takes the id first), so it is below.
  handed_out := pg_catalog.pg_sequence_last_value('oversight.audit_log_audit_id_seq'::pg_catalog.regclass);
  IF handed_out > COALESCE((SELECT max(h.up_to_audit_id) FROM oversight.audit_seal_horizon h), last_seal.last_audit_id, 0) THEN
    INSERT INTO oversight.audit_seal_horizon (up_to_audit_id, horizon_xid, proposed_at)
    VALUES (handed_out, oversight.next_xid(), oversight.now());
  END IF;
  seal_no := last_seal.seal_no;
  first_audit_id := last_seal.first_audit_id;
  last_audit_id := last_seal.last_audit_id;
  entry_count := last_seal.entry_count;
  seal_hash := pg_catalog.encode(last_seal.seal_hash, 'hex');
  SELECT pg_catalog.count(*) INTO pending_entries FROM oversight.audit_log a WHERE a.audit_id > COALESCE(last_seal.last_audit_id, 0);
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.seal_audit() IS
  'Seals the audit entries whose transactions have all ended into the next seal of the chain, and proposes the newer ones for the next call; returns the head and the entries still pending. Schedule it (pg_cron, every minute); oversight.sweep() calls it too. Entries are sealed one call after they were written, at the earliest.';

CREATE FUNCTION oversight.audit_head() RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.jsonb_build_object('database', pg_catalog.current_database(),
           'seal_no', s.seal_no, 'last_audit_id', s.last_audit_id, 'seal_hash', pg_catalog.encode(s.seal_hash, 'hex'),
           'sealed_at', s.sealed_at)
    FROM (SELECT NULL::bigint AS dummy) d
    LEFT JOIN LATERAL (SELECT * FROM oversight.audit_seal a ORDER BY a.seal_no DESC LIMIT 1) s ON true
$$;
COMMENT ON FUNCTION oversight.audit_head() IS
  'The head of the sealed audit chain as JSON (database, seal_no, last_audit_id, seal_hash, sealed_at): keep it outside the database (print it, mail it, store it elsewhere) and give it to oversight.verify_audit_chain() to detect a trail cut short or rewritten. Also sent on channel oversight_audit_head at every seal.';

DROP FUNCTION oversight.verify_audit_chain();
CREATE FUNCTION oversight.verify_audit_chain(p_anchor jsonb DEFAULT NULL)
  RETURNS TABLE (checked bigint, first_broken_id bigint, problem text, sealed_entries bigint, pending_entries bigint, head_seal_no bigint)
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e oversight.audit_log;
  s oversight.audit_seal;
  prev_entry bytea := NULL;
  prev_seal oversight.audit_seal;
  recount bigint;
  rehash bytea;
  anchor_hash text;
BEGIN
  checked := 0; sealed_entries := 0; pending_entries := 0;
  -- 1. The chain of seals: numbered without gaps, contiguous ranges, each hash recomputed.
  FOR s IN SELECT * FROM oversight.audit_seal ORDER BY seal_no LOOP
    IF s.seal_no <> COALESCE(prev_seal.seal_no, 0) + 1 OR s.first_audit_id <> COALESCE(prev_seal.last_audit_id, 0) + 1 THEN
      first_broken_id := s.first_audit_id;
      problem := pg_catalog.format('封存 %s 不接续封存 %s（封存被删除）/ seal %s does not follow seal %s (a seal was removed)',
                                   s.seal_no, COALESCE(prev_seal.seal_no, 0), s.seal_no, COALESCE(prev_seal.seal_no, 0));
      RETURN NEXT; RETURN;
    END IF;
    IF s.previous_seal_hash IS DISTINCT FROM prev_seal.seal_hash
       OR s.seal_hash IS DISTINCT FROM oversight.audit_seal_hash(s.previous_seal_hash, s.seal_no, s.first_audit_id, s.last_audit_id,
                                                                 s.entry_count, s.entries_hash, s.sealed_at, s.sealed_by) THEN
      first_broken_id := s.first_audit_id;
      problem := pg_catalog.format('封存 %s 与其哈希或前一封存不符（封存被改动）/ seal %s does not match its hash or the seal before (a seal was altered)',
                                   s.seal_no, s.seal_no);
      RETURN NEXT; RETURN;
    END IF;
    SELECT pg_catalog.count(*), pg_catalog.sha256(COALESCE(pg_catalog.string_agg(oversight.audit_entry_hash(a.previous_hash, a), ''::bytea ORDER BY a.audit_id), ''::bytea))
      INTO recount, rehash FROM oversight.audit_log a WHERE a.audit_id BETWEEN s.first_audit_id AND s.last_audit_id;
    IF recount <> s.entry_count OR rehash <> s.entries_hash THEN
      first_broken_id := s.first_audit_id;
      problem := pg_catalog.format('条目 %s..%s 与封存 %s 不符（封存 %s 条，现有 %s 条：条目被删除、增加或改动）/ the entries %s..%s no longer match seal %s (%s entries sealed, %s found: an entry was removed, added or altered)',
                                   s.first_audit_id, s.last_audit_id, s.seal_no, s.entry_count, recount,
                                   s.first_audit_id, s.last_audit_id, s.seal_no, s.entry_count, recount);
      RETURN NEXT; RETURN;
    END IF;
    sealed_entries := sealed_entries + s.entry_count;
    prev_seal := s;
  END LOOP;
  head_seal_no := prev_seal.seal_no;
  -- 2. The anchor: the exported head must still be in the chain, unchanged.
  IF p_anchor IS NOT NULL THEN
    SELECT pg_catalog.encode(a.seal_hash, 'hex') INTO anchor_hash FROM oversight.audit_seal a WHERE a.seal_no = (p_anchor ->> 'seal_no')::bigint;
    IF anchor_hash IS NULL THEN
      problem := pg_catalog.format('锚定的封存 %s 已不存在：审计轨迹被截短（现止于封存 %s）/ seal %s of the anchor is missing: the trail was cut short (it ends at seal %s)',
                                   p_anchor ->> 'seal_no', COALESCE(head_seal_no::text, '无'), p_anchor ->> 'seal_no', COALESCE(head_seal_no::text, 'none'));
      RETURN NEXT; RETURN;
    END IF;
    IF anchor_hash <> p_anchor ->> 'seal_hash' THEN
      problem := pg_catalog.format('封存 %s 与锚定不符：审计轨迹被改写 / seal %s differs from the anchor: the trail was rewritten',
                                   p_anchor ->> 'seal_no', p_anchor ->> 'seal_no');
      RETURN NEXT; RETURN;
    END IF;
  END IF;
  -- 3. Every entry against its own content; entries written before 0.3.0 also against their chain.
  FOR e IN SELECT * FROM oversight.audit_log ORDER BY audit_id LOOP
    IF e.previous_hash IS NOT NULL AND e.previous_hash IS DISTINCT FROM prev_entry THEN
      first_broken_id := e.audit_id; problem := '前一条目哈希不符（条目被删除或改动）/ previous_hash does not match the entry before (an entry was removed or altered)';
      RETURN NEXT; RETURN;
    END IF;
    IF e.entry_hash IS NOT NULL AND e.entry_hash IS DISTINCT FROM oversight.audit_entry_hash(e.previous_hash, e) THEN
      first_broken_id := e.audit_id; problem := '条目哈希与内容不符（条目被改动）/ entry_hash does not match the entry''s content (the entry was altered)';
      RETURN NEXT; RETURN;
    END IF;
    prev_entry := COALESCE(e.entry_hash, prev_entry);
    checked := checked + 1;
    IF e.audit_id > COALESCE(prev_seal.last_audit_id, 0) THEN
      pending_entries := pending_entries + 1;
    END IF;
  END LOOP;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.verify_audit_chain(jsonb) IS
  'Verifies the audit trail: the chain of seals (numbering, ranges, hashes), every sealed range against the content of its entries, entries written before 0.3.0 against their own hash and linear chain, and, given an exported head (oversight.audit_head()), that the trail still reaches it unchanged. Returns the entries checked, sealed and pending, the head seal, and the first problem found, if any. An entry not yet sealed can be altered or removed without trace until it is sealed: seal often.';

-- What the trail promises (README "Audit trail"): every change to every table people write is
-- recorded. Catalog, organisation, access and settings tables: every insert, update and delete, row by
-- row, with the row before and after. Finance records and the other tables the loader fills: every
-- update and delete row by row, and every INSERT statement as one entry with the number of rows and
-- the key of each (a million-row load is one entry, not a million). Not audited as such: the alert
-- tables (their lifecycle functions write alert_event and audit entries), the load ledger and
-- quarantine (themselves the record of each load), the grading history (written by the audited
-- key_node trigger) and the trail itself. tests/pgtap/091_audit_coverage.sql checks it mechanically.
DO $audit$
DECLARE
  t record;
  key_args text;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('area', ARRAY['area_code'], 'row'), ('implementing_rule', ARRAY['rule_doc_code'], 'row'),
      ('power_item', ARRAY['item_code'], 'row'), ('node_supervision', ARRAY['node_code', 'supervision_mode'], 'row'),
      ('node_owner', ARRAY['node_code', 'valid_from'], 'row'), ('person_account', ARRAY['account_no', 'person_code'], 'row'),
      ('unit_access', ARRAY['role_name', 'unit_code'], 'row'), ('setting', ARRAY['setting_key'], 'row'),
      ('discretion_band', ARRAY['violation_code', 'valid_from'], 'row'), ('watched_table', ARRAY['relid'], 'row'),
      ('party', ARRAY['party_code'], 'bulk'), ('procurement_lot', ARRAY['ocid', 'lot_id'], 'bulk'),
      ('bid', ARRAY['ocid', 'bid_id'], 'bulk'), ('bid_tenderer', ARRAY['ocid', 'bid_id', 'party_code'], 'bulk'),
      ('award', ARRAY['ocid', 'award_id'], 'bulk'), ('award_supplier', ARRAY['ocid', 'award_id', 'party_code'], 'bulk'),
      ('payment_signoff', ARRAY['payment_code', 'signoff_level'], 'bulk'), ('org_unit', ARRAY['unit_code'], 'bulk'),
      ('person', ARRAY['person_code'], 'bulk'), ('post', ARRAY['post_code'], 'bulk'),
      ('calendar_year', ARRAY['calendar_year'], 'bulk'), ('calendar_day', ARRAY['calendar_date'], 'bulk'),
      ('budget_project', ARRAY['project_code'], 'inserts'), ('procurement_process', ARRAY['ocid'], 'inserts'),
      ('contract', ARRAY['contract_code'], 'inserts'), ('payment', ARRAY['payment_code'], 'inserts'),
      ('fund_allocation', ARRAY['allocation_code'], 'inserts'), ('enforcement_case', ARRAY['case_code'], 'inserts')
    ) AS v(table_name, key_columns, coverage) LOOP
    key_args := (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(c), ', ') FROM pg_catalog.unnest(t.key_columns) c);
    IF t.coverage = 'row' THEN
      EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON oversight.%I FOR EACH ROW '
                                'EXECUTE FUNCTION oversight.audit_row_change(%s)', t.table_name || '_audit', t.table_name, key_args);
      EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON oversight.%I IS %L', t.table_name || '_audit', t.table_name,
                                'Audits every insert, update and delete, row by row.');
    END IF;
    IF t.coverage = 'bulk' THEN
      EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER UPDATE OR DELETE ON oversight.%I FOR EACH ROW '
                                'EXECUTE FUNCTION oversight.audit_row_change(%s)', t.table_name || '_audit', t.table_name, key_args);
      EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON oversight.%I IS %L', t.table_name || '_audit', t.table_name,
                                'Audits corrections and deletions, row by row.');
    END IF;
    IF t.coverage IN ('bulk', 'inserts') THEN
      EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT ON oversight.%I REFERENCING NEW TABLE AS oversight_inserted '
                                'FOR EACH STATEMENT EXECUTE FUNCTION oversight.audit_row_change(%s)',
                                t.table_name || '_audit_insert', t.table_name, key_args);
      EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON oversight.%I IS %L', t.table_name || '_audit_insert', t.table_name,
                                'Audits each INSERT statement: one entry with the number of rows and their keys.');
    END IF;
  END LOOP;
END
$audit$;

-- The grading history may only be written for oversight.key_node (not from a table of the caller's
-- choosing with the same shape).
CREATE OR REPLACE FUNCTION oversight.key_node_record_grading() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_RELID <> 'oversight.key_node'::pg_catalog.regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' THEN
    RAISE EXCEPTION 'oversight.key_node_record_grading() 只能挂在 oversight.key_node 上 / may only be attached to oversight.key_node'
      USING ERRCODE = '42501';
  END IF;
  IF TG_OP = 'INSERT' OR (OLD.risk_grade, OLD.risk_basis, OLD.risk_criteria) IS DISTINCT FROM (NEW.risk_grade, NEW.risk_basis, NEW.risk_criteria) THEN
    INSERT INTO oversight.risk_grading (node_code, graded_at, risk_grade, risk_basis, risk_criteria, reason, graded_by)
    VALUES (NEW.node_code, oversight.now(), NEW.risk_grade, NEW.risk_basis, NEW.risk_criteria,
            COALESCE(NULLIF(pg_catalog.current_setting('oversight.reason', true), ''), CASE WHEN TG_OP = 'INSERT' THEN 'initial grading' END),
            session_user)
    ON CONFLICT (node_code, graded_at) DO UPDATE
      SET risk_grade = EXCLUDED.risk_grade, risk_basis = EXCLUDED.risk_basis, risk_criteria = EXCLUDED.risk_criteria, reason = EXCLUDED.reason;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION oversight.key_node_record_grading() IS
  'AFTER trigger function of oversight.key_node (refuses any other table): appends to oversight.risk_grading when a node is created or its grade, basis or criteria change.';

-------------------------------------------------------------------------------------------------------
-- Alerts reach listeners by number only; the listener reads them through row-level security.
-------------------------------------------------------------------------------------------------------

CREATE FUNCTION oversight.alert_notices(p_alert_ids bigint[])
  RETURNS TABLE (alert_id bigint, notice jsonb)
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT a.alert_id, oversight.alert_payload(a.alert_id, a.rule_code, v.version, a.rule_version_id, a.severity, a.status, a.object_table,
                                             a.object_key, a.period, a.unit_code, a.fingerprint, a.repeat_count, a.message, a.last_fired_at,
                                             a.last_path, a.node_code, a.blocking)
    FROM pg_catalog.unnest(p_alert_ids) WITH ORDINALITY AS n(id, ord)
    JOIN oversight.alert a ON a.alert_id = n.id
    JOIN oversight.rule_version v ON v.rule_version_id = a.rule_version_id
   ORDER BY n.ord
$$;
COMMENT ON FUNCTION oversight.alert_notices(bigint[]) IS
  'The alerts behind notifications on channel oversight_alerts (whose payload is {"alert_id": n}), as the documented JSON of oversight.alert_payload(), in the order given. Runs with the caller''s rights: an alert outside the caller''s units (row-level security) is simply not returned.';

-- (record_hits follows, replaced whole: only its notification changed.)
CREATE OR REPLACE FUNCTION oversight.record_hits(p_rule_version_ids bigint[], p_object_tables text[], p_object_keys jsonb[], p_periods text[],
                                      p_unit_codes text[], p_messages text[], p_details jsonb[], p_path text)
  RETURNS TABLE (hits integer, opened integer, reopened integer, notified integer, muted integer, blocking_message text)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
  SET jit = off -- the array sizes are unknown to the planner; JIT compilation would cost more than the statement
  -- Every table access here is a keyed lookup (fingerprint, alert id, rule version): never a scan. Its
  -- cached plan would otherwise keep the sequential scan of oversight.alert chosen while the table was
  -- small, and row-level evaluation of a long load would slow down as the alerts grow.
  SET enable_seqscan = off
AS $$
DECLARE
  v_now timestamptz := oversight.now();
  v_reopened bigint[];
  reopened_alert record;
BEGIN
  WITH h AS (
    SELECT DISTINCT ON (f.fp) u.rv, u.tb, u.k, COALESCE(u.per, '') AS per, u.unit, u.msg, u.det, v.rule_code, v.version, v.severity,
           v.blocking, r.node_code, f.fp
      FROM ROWS FROM (pg_catalog.unnest(p_rule_version_ids), pg_catalog.unnest(p_object_tables), pg_catalog.unnest(p_object_keys),
                      pg_catalog.unnest(p_periods), pg_catalog.unnest(p_unit_codes), pg_catalog.unnest(p_messages), pg_catalog.unnest(p_details))
             WITH ORDINALITY AS u(rv, tb, k, per, unit, msg, det, ord)
      JOIN oversight.rule_version v ON v.rule_version_id = u.rv
      JOIN oversight.rule r ON r.rule_code = v.rule_code
     CROSS JOIN LATERAL (SELECT pg_catalog.md5(v.rule_code || '|' || u.tb || '|' || u.k::text || '|' || COALESCE(u.per, ''))) AS f(fp)
     ORDER BY f.fp, u.ord),
  prev AS (
    SELECT a.alert_id, a.fingerprint, a.status,
           (a.snoozed_until IS NOT NULL AND a.snoozed_until > v_now) AS snoozed,
           EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now) AS waived
      -- one probe of the fingerprint index per finding (LIMIT keeps the lookup a parameterised index
      -- scan: a join could hash the whole alert table, per written row at row level)
      FROM h CROSS JOIN LATERAL (SELECT * FROM oversight.alert x WHERE x.fingerprint = h.fp LIMIT 1) a),
  up AS (
    INSERT INTO oversight.alert AS a (fingerprint, rule_code, rule_version_id, first_rule_version_id, node_code, severity, blocking,
                                      object_table, object_key, period, unit_code, message, details, status, repeat_count,
                                      first_fired_at, last_fired_at, last_path)
    SELECT h.fp, h.rule_code, h.rv, h.rv, h.node_code, h.severity, h.blocking, h.tb, h.k, h.per, h.unit, h.msg, h.det, 'open', 1,
           v_now, v_now, p_path
      FROM h
    ON CONFLICT (fingerprint) DO UPDATE SET
      repeat_count = a.repeat_count + 1,
      last_fired_at = EXCLUDED.last_fired_at,
      rule_version_id = EXCLUDED.rule_version_id,
      severity = EXCLUDED.severity,
      blocking = EXCLUDED.blocking,
      message = EXCLUDED.message,
      details = EXCLUDED.details,
      unit_code = EXCLUDED.unit_code,
      last_path = EXCLUDED.last_path,
      status = CASE WHEN a.status IN ('closed', 'corrected')
                     AND NOT EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
                    THEN 'open' ELSE a.status END,
      status_changed_at = CASE WHEN a.status IN ('closed', 'corrected')
                     AND NOT EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
                    THEN v_now ELSE a.status_changed_at END,
      status_changed_by = CASE WHEN a.status IN ('closed', 'corrected')
                     AND NOT EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
                    THEN 'system' ELSE a.status_changed_by END,
      muted_count = a.muted_count + CASE WHEN (a.snoozed_until IS NOT NULL AND a.snoozed_until > v_now)
                     OR EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
                    THEN 1 ELSE 0 END,
      last_muted_at = CASE WHEN (a.snoozed_until IS NOT NULL AND a.snoozed_until > v_now)
                     OR EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
                    THEN v_now ELSE a.last_muted_at END
    RETURNING a.*),
  classified AS (
    -- (the rule version's number by its id: no join back to h on the fingerprint, which sorted every
    -- upserted row on bulk loads)
    SELECT up.*, p.alert_id IS NULL AS is_new, (p.status IS NOT NULL AND p.status <> up.status) AS is_reopened,
           COALESCE(p.snoozed OR p.waived, false) AS is_muted, v.version
      FROM up JOIN oversight.rule_version v ON v.rule_version_id = up.rule_version_id
      LEFT JOIN prev p ON p.fingerprint = up.fingerprint),
  ev AS (
    INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, from_status, to_status, reason, rule_version_id)
    SELECT c.alert_id, v_now, session_user, CASE WHEN c.is_new THEN 'opened' ELSE 'reopened' END,
           CASE WHEN c.is_new THEN NULL ELSE (SELECT p.status FROM prev p WHERE p.alert_id = c.alert_id) END, c.status,
           CASE WHEN c.is_new THEN 'rule fired' ELSE 'the matter recurred' END, c.rule_version_id
      FROM classified c WHERE c.is_new OR c.is_reopened
    RETURNING 1),
  nt AS (
    -- The notification carries the alert's number only: LISTEN needs no privilege, so anything more
    -- would reach every role of the database. A listener reads the alert through row-level security
    -- (oversight.alert_notice(alert_id)).
    SELECT pg_catalog.pg_notify('oversight_alerts', pg_catalog.jsonb_build_object('alert_id', c.alert_id)::text) AS sent
      FROM classified c WHERE NOT c.is_muted)
  SELECT (SELECT count(*) FROM h)::integer,
         (SELECT count(*) FROM classified WHERE is_new)::integer,
         (SELECT count(*) FROM classified WHERE is_reopened)::integer,
         (SELECT count(*) FROM nt)::integer + (SELECT count(*) FROM ev)::integer * 0,
         (SELECT count(*) FROM classified WHERE is_muted)::integer,
         (SELECT 'rule ' || c.rule_code || ' v' || c.version || ': ' || c.message FROM classified c
           WHERE c.blocking AND NOT EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = c.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
           ORDER BY c.alert_id LIMIT 1),
         (SELECT pg_catalog.array_agg(alert_id) FROM classified WHERE is_reopened)
    INTO hits, opened, reopened, notified, muted, blocking_message, v_reopened;
  -- Reopenings are lifecycle steps taken by the system: audited like manual transitions.
  FOR reopened_alert IN SELECT al.alert_id, al.rule_code, al.object_table, al.object_key FROM oversight.alert al
                         WHERE al.alert_id = ANY (COALESCE(v_reopened, '{}')) LOOP
    PERFORM oversight.audit('transition', 'oversight.alert', pg_catalog.jsonb_build_object('alert_id', reopened_alert.alert_id),
                            NULL, pg_catalog.jsonb_build_object('status', 'open', 'rule_code', reopened_alert.rule_code,
                                                                'object_key', reopened_alert.object_key),
                            'reopened: the matter recurred');
  END LOOP;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.record_hits(bigint[], text[], jsonb[], text[], text[], text[], jsonb[], text) IS
  'Records the findings of one rule evaluation set-based: upserts alerts by fingerprint (repeat count, reopening), logs opened/reopened events, and notifies channel oversight_alerts with {"alert_id": n} unless the alert is snoozed or waived (listeners read the alert with oversight.alert_notices()). Returns counts and the first unwaived blocking finding. Engine-internal.';

CREATE OR REPLACE FUNCTION oversight.record_fault(p_rule_version_id bigint, p_object_table text, p_object_key jsonb, p_sqlstate text,
                                                  p_message text, p_detail text, p_path text, p_batch_rows bigint)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  id bigint;
  code text;
BEGIN
  SELECT v.rule_code INTO code FROM oversight.rule_version v WHERE v.rule_version_id = p_rule_version_id;
  INSERT INTO oversight.engine_fault (occurred_at, rule_version_id, rule_code, object_table, object_key, sqlstate, message, detail, path, batch_rows, actor)
  VALUES (oversight.now(), p_rule_version_id, code, p_object_table, p_object_key, p_sqlstate, p_message, p_detail, p_path, p_batch_rows, session_user)
  RETURNING fault_id INTO id;
  -- The number only, as for alerts: faults are read through row-level security.
  PERFORM pg_catalog.pg_notify('oversight_faults', pg_catalog.json_build_object('fault_id', id)::text);
  RAISE WARNING 'oversight：% 在 % 上出错 / % failed on %: % (SQLSTATE %); 数据已保留 / the data was kept, see oversight.engine_fault %',
    COALESCE('规则 ' || code, '引擎'), p_object_table, COALESCE('rule ' || code, 'the engine'), p_object_table, p_message, p_sqlstate, id;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.record_fault(bigint, text, jsonb, text, text, text, text, bigint) IS
  'Records an engine fault, notifies channel oversight_faults with {"fault_id": n} and warns the writer. Engine-internal.';

-------------------------------------------------------------------------------------------------------
-- Row-level security on every table that carries a unit's data: bids, awards, lots and their parties
-- follow their procurement process; sign-offs follow their payment; engine faults are bureau-wide only.
-------------------------------------------------------------------------------------------------------
DO $rls$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('procurement_lot', 'procurement_process', 'ocid', 'ocid', 'process'), ('bid', 'procurement_process', 'ocid', 'ocid', 'process'),
      ('bid_tenderer', 'procurement_process', 'ocid', 'ocid', 'process'), ('award', 'procurement_process', 'ocid', 'ocid', 'process'),
      ('award_supplier', 'procurement_process', 'ocid', 'ocid', 'process'),
      ('payment_signoff', 'payment', 'payment_code', 'payment_code', 'payment')
    ) AS v(table_name, parent, parent_key, child_key, label) LOOP
    EXECUTE pg_catalog.format('ALTER TABLE oversight.%I ENABLE ROW LEVEL SECURITY', t.table_name);
    EXECUTE pg_catalog.format(
      'CREATE POLICY parent_scope ON oversight.%I USING ((SELECT oversight.sees_all_units()) OR EXISTS '
      '(SELECT FROM oversight.%I p WHERE p.%I = %I.%I)) WITH CHECK ((SELECT oversight.sees_all_units()))',
      t.table_name, t.parent, t.parent_key, t.table_name, t.child_key);
    EXECUTE pg_catalog.format('COMMENT ON POLICY parent_scope ON oversight.%I IS %L', t.table_name,
      pg_catalog.format('Rows of the %s the role can see (row-level security of oversight.%s); bureau-wide roles see and write all.', t.label, t.parent));
  END LOOP;
END
$rls$;
ALTER TABLE oversight.engine_fault ENABLE ROW LEVEL SECURITY;
CREATE POLICY bureau_only ON oversight.engine_fault USING ((SELECT oversight.sees_all_units()));
COMMENT ON POLICY bureau_only ON oversight.engine_fault IS 'Engine faults name tables, keys and messages of any unit: bureau-wide roles only.';
-- The policies' re-check after a row-lock wait (two loaders on one row) reads the grants.
GRANT SELECT ON oversight.unit_access TO oversight_loader;

-------------------------------------------------------------------------------------------------------
-- Rule versions: authors and approvers come from the session, never from the row.
-------------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION oversight.rule_version_check() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE r oversight.rule;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'rule % version % is %: it is locked and cannot be deleted', OLD.rule_code, OLD.version, OLD.status
        USING ERRCODE = '55000', HINT = 'Retire it with oversight.retire_rule_version().';
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status <> 'draft' THEN
    IF OLD.status = 'approved' AND NEW.status = 'retired'
       AND (OLD.rule_code, OLD.version, OLD.params, OLD.severity, OLD.blocking, OLD.change_note, OLD.authored_by, OLD.authored_at, OLD.approved_by, OLD.approved_at)
           IS NOT DISTINCT FROM
           (NEW.rule_code, NEW.version, NEW.params, NEW.severity, NEW.blocking, NEW.change_note, NEW.authored_by, NEW.authored_at, NEW.approved_by, NEW.approved_at) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'rule % version % is %: it is locked', OLD.rule_code, OLD.version, OLD.status
      USING ERRCODE = '55000', HINT = 'Draft a new version with oversight.draft_rule_version().';
  END IF;
  -- Who wrote and who approved a version is never taken from the row: a version is drafted by the
  -- session that inserts it, and approved only by the session that moves it to approved (four-eyes:
  -- never its author, when rules.four_eyes is on).
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'draft' THEN
      RAISE EXCEPTION '规则版本只能以草稿创建 / a rule version is created as a draft, not %', NEW.status USING ERRCODE = '42501',
        HINT = 'Draft it with oversight.draft_rule_version(), then approve it with oversight.approve_rule_version().';
    END IF;
    NEW.authored_by := session_user;
    NEW.authored_at := oversight.now();
    NEW.approved_by := NULL; NEW.approved_at := NULL; NEW.retired_at := NULL;
  ELSE -- an update of a draft
    IF (NEW.authored_by, NEW.authored_at) IS DISTINCT FROM (OLD.authored_by, OLD.authored_at) THEN
      RAISE EXCEPTION '规则 % 第 % 版：版本作者不可更改 / rule % version %: the author of a version cannot be changed',
        OLD.rule_code, OLD.version, OLD.rule_code, OLD.version USING ERRCODE = '42501';
    END IF;
    IF NEW.status = 'approved' THEN
      IF oversight.setting_value('rules.four_eyes')::boolean AND OLD.authored_by = session_user THEN
        RAISE EXCEPTION '规则 % 第 % 版：作者（%）不能自行批准（双人审核 rules.four_eyes）/ rule % version %: the author (%) cannot approve it (four-eyes setting rules.four_eyes)',
          OLD.rule_code, OLD.version, OLD.authored_by, OLD.rule_code, OLD.version, OLD.authored_by
          USING ERRCODE = '42501';
      END IF;
      NEW.approved_by := session_user;
      NEW.approved_at := oversight.now();
    ELSIF NEW.status <> 'draft' THEN
      RAISE EXCEPTION '规则 % 第 % 版：草稿只能被批准，不能改为 % / rule % version %: a draft can only be approved, not %',
        OLD.rule_code, OLD.version, NEW.status, OLD.rule_code, OLD.version, NEW.status USING ERRCODE = '55000';
    ELSE
      NEW.approved_by := NULL; NEW.approved_at := NULL; NEW.retired_at := NULL;
    END IF;
  END IF;
  SELECT * INTO r FROM oversight.rule WHERE rule_code = NEW.rule_code;
  -- Validation when saved (C++ core): a bad parameter fails here, naming it, never at evaluation time.
  NEW.params := oversight.validate_rule_params(r.rule_kind, r.record_kind, NEW.params);
  RETURN NEW;
END $$;
COMMENT ON FUNCTION oversight.rule_version_check() IS 'BEFORE trigger function of oversight.rule_version: versions are inserted as drafts by their author (the session user), approved only by the approving session (never the author under rules.four_eyes), parameters validated and completed by the C++ core, approved and retired versions locked.';
CREATE OR REPLACE FUNCTION oversight.approve_rule_version(p_rule_version_id bigint, p_note text DEFAULT NULL) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE v oversight.rule_version;
BEGIN
  SELECT * INTO v FROM oversight.rule_version WHERE rule_version_id = p_rule_version_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown rule version %', p_rule_version_id USING ERRCODE = '22023';
  END IF;
  IF v.status <> 'draft' THEN
    RAISE EXCEPTION 'rule % version % is % and cannot be approved', v.rule_code, v.version, v.status USING ERRCODE = '55000';
  END IF;
  -- Four-eyes (rules.four_eyes) is enforced where every approval passes: oversight.rule_version_check().
  PERFORM pg_catalog.set_config('oversight.reason', COALESCE(p_note, 'rule version approved'), true);
  UPDATE oversight.rule_version SET status = 'retired', retired_at = oversight.now()
   WHERE rule_code = v.rule_code AND status = 'approved';
  UPDATE oversight.rule_version SET status = 'approved' WHERE rule_version_id = p_rule_version_id; -- approver and time set by the trigger
  PERFORM pg_catalog.set_config('oversight.reason', '', true);
  RETURN p_rule_version_id;
END $$;
COMMENT ON FUNCTION oversight.approve_rule_version(bigint, text) IS 'Approves a draft: it comes into force and is locked; the previously approved version of the rule is retired in the same step.';

-------------------------------------------------------------------------------------------------------
-- Watched tables survive DDL: columns are bound by attribute number (a rename keeps the mapping), a
-- dropped mapped column disables the watch with a recorded fault, a dropped table is forgotten; never
-- does the business table or the sweeper fail because of the watch.
-------------------------------------------------------------------------------------------------------
ALTER TABLE oversight.watched_table
  ADD COLUMN field_attnums jsonb,
  ADD COLUMN key_attnums smallint[],
  ADD COLUMN disabled_reason text,
  ADD COLUMN disabled_at timestamptz;
COMMENT ON COLUMN oversight.watched_table.column_mapping IS 'Mapping canonical field → column name of the table, as it reads today (kept current when columns are renamed); unmapped fields are NULL to the rules.';
COMMENT ON COLUMN oversight.watched_table.key_columns IS 'Columns identifying a row (object_key of its alerts), by name as they read today.';
COMMENT ON COLUMN oversight.watched_table.field_attnums IS 'Mapping canonical field → attribute number: what the engine binds to, so a renamed column keeps its mapping.';
COMMENT ON COLUMN oversight.watched_table.key_attnums IS 'Attribute numbers of the key columns.';
COMMENT ON COLUMN oversight.watched_table.disabled_reason IS 'Why the watch was disabled (a mapped or key column was dropped); NULL while active. oversight.watch() again re-enables it.';
COMMENT ON COLUMN oversight.watched_table.disabled_at IS 'When it was disabled.';
-- Watches of tables dropped under 0.2.0 are gone; a mapping whose column was renamed before this
-- version cannot be bound any more and is disabled.
DELETE FROM oversight.watched_table w WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = w.relid);
UPDATE oversight.watched_table w
   SET field_attnums = COALESCE((SELECT pg_catalog.jsonb_object_agg(m.key, a.attnum) FROM pg_catalog.jsonb_each_text(w.column_mapping) m
                                   JOIN pg_catalog.pg_attribute a ON a.attrelid = w.relid AND a.attname = m.value AND NOT a.attisdropped), '{}'),
       key_attnums = ARRAY(SELECT a.attnum FROM pg_catalog.unnest(w.key_columns) WITH ORDINALITY AS k(c, o)
                             JOIN pg_catalog.pg_attribute a ON a.attrelid = w.relid AND a.attname = k.c AND NOT a.attisdropped ORDER BY k.o);
UPDATE oversight.watched_table w
   SET disabled_reason = 'a mapped column was renamed or dropped before 0.3.0: call oversight.watch() again', disabled_at = oversight.now()
 WHERE (SELECT pg_catalog.count(*) FROM pg_catalog.jsonb_object_keys(w.field_attnums)) <> (SELECT pg_catalog.count(*) FROM pg_catalog.jsonb_object_keys(w.column_mapping))
    OR pg_catalog.cardinality(w.key_attnums) <> pg_catalog.cardinality(w.key_columns);
ALTER TABLE oversight.watched_table ALTER COLUMN field_attnums SET NOT NULL, ALTER COLUMN key_attnums SET NOT NULL;

CREATE FUNCTION oversight.require_builtin_column(p_table regclass, p_column name) RETURNS void
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE t oid;
BEGIN
  SELECT a.atttypid INTO t FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = p_column;
  WHILE (SELECT y.typtype FROM pg_catalog.pg_type y WHERE y.oid = t) = 'd' LOOP
    t := (SELECT y.typbasetype FROM pg_catalog.pg_type y WHERE y.oid = t);
  END LOOP;
  -- The engine reads and casts mapped columns as the schema owner: only the server's own types, whose
  -- casts and output functions nobody else can have written.
  IF t >= 16384 THEN
    RAISE EXCEPTION '表 % 的列 "%" 的类型 % 不是内置类型 / column "%" of % has type %, which is not a built-in type',
      p_table, p_column, t::regtype, p_column, p_table, t::regtype USING ERRCODE = '42804',
      HINT = 'Map a column of a built-in type (or a domain over one), e.g. through a view-free cast column of the table.';
  END IF;
END $$;
COMMENT ON FUNCTION oversight.require_builtin_column(regclass, name) IS
  'Refuses (42804) a column whose type is not built in (after domains): used by oversight.watch() for mapped and key columns.';

CREATE FUNCTION oversight.disable_watch(p_table regclass, p_reason text) RETURNS void
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  UPDATE oversight.watched_table SET disabled_reason = p_reason, disabled_at = oversight.now()
   WHERE relid = p_table AND disabled_reason IS NULL;
  IF FOUND THEN
    PERFORM oversight.record_fault(NULL, p_table::text, NULL, '42703', '监控已停用 / watch disabled: ' || p_reason, NULL, 'statement', NULL);
  END IF;
END $$;
COMMENT ON FUNCTION oversight.disable_watch(regclass, text) IS
  'Disables the watch of a table whose mapping no longer fits it (audited, with an engine fault); the table''s writes go on unchecked until oversight.watch() is called again. Internal.';

CREATE OR REPLACE FUNCTION oversight.watch(p_table regclass, p_record_kind text, p_column_mapping jsonb DEFAULT '{}', p_trigger_level text DEFAULT 'statement')
  RETURNS TABLE (mapped_fields text[], unmapped_fields text[], key_columns text[])
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  fields jsonb := oversight.record_kind_fields(p_record_kind);
  rel pg_catalog.pg_class;
  qualified text;
  resolved jsonb := '{}';
  attnums jsonb := '{}';
  key_numbers smallint[];
  keys text[];
  f text;
  col text;
  m record;
BEGIN
  SELECT * INTO rel FROM pg_catalog.pg_class WHERE oid = p_table;
  IF rel.relkind NOT IN ('r', 'p') THEN
    RAISE EXCEPTION '% is not a table', p_table USING ERRCODE = '42809';
  END IF;
  IF rel.relispartition THEN
    RAISE EXCEPTION '% is a partition: watch its partitioned table instead', p_table USING ERRCODE = '0A000';
  END IF;
  IF p_trigger_level NOT IN ('statement', 'row') THEN
    RAISE EXCEPTION 'trigger level must be statement or row, not "%"', p_trigger_level USING ERRCODE = '22023';
  END IF;
  IF pg_catalog.jsonb_typeof(p_column_mapping) <> 'object' THEN
    RAISE EXCEPTION 'the column mapping must be a JSON object {canonical field: column}' USING ERRCODE = '22023';
  END IF;
  qualified := pg_catalog.format('%I.%I', rel.relnamespace::regnamespace::text, rel.relname);
  FOR m IN SELECT key, value FROM pg_catalog.jsonb_each(p_column_mapping) LOOP
    IF m.key = '@key' THEN
      IF pg_catalog.jsonb_typeof(m.value) <> 'array' THEN
        RAISE EXCEPTION 'mapping "@key" must be an array of column names' USING ERRCODE = '22023';
      END IF;
      keys := ARRAY(SELECT pg_catalog.jsonb_array_elements_text(m.value));
      CONTINUE;
    END IF;
    IF NOT fields ? m.key THEN
      RAISE EXCEPTION 'mapping names "%", which is not a field of record kind %', m.key, p_record_kind USING ERRCODE = '22023',
        HINT = pg_catalog.format('Fields: %s.', (SELECT pg_catalog.string_agg(k, ', ') FROM pg_catalog.jsonb_object_keys(fields) k));
    END IF;
    IF pg_catalog.jsonb_typeof(m.value) <> 'string' THEN
      RAISE EXCEPTION 'mapping of field "%" must be a column name (string)', m.key USING ERRCODE = '22023';
    END IF;
  END LOOP;
  FOR f IN SELECT pg_catalog.jsonb_object_keys(fields) LOOP
    col := COALESCE(p_column_mapping ->> f, CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = f
                                                                  AND a.attnum > 0 AND NOT a.attisdropped) THEN f END);
    IF col IS NULL THEN
      CONTINUE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped) THEN
      RAISE EXCEPTION 'table % has no column "%" (mapped from field %)', p_table, col, f USING ERRCODE = '42703';
    END IF;
    PERFORM oversight.require_builtin_column(p_table, col);
    resolved := resolved || pg_catalog.jsonb_build_object(f, col);
    attnums := attnums || pg_catalog.jsonb_build_object(f, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = col));
  END LOOP;
  IF keys IS NULL THEN
    SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord) INTO keys
      FROM pg_catalog.pg_constraint c
      CROSS JOIN LATERAL pg_catalog.unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
     WHERE c.conrelid = p_table AND c.contype = 'p';
  END IF;
  IF keys IS NULL OR cardinality(keys) = 0 THEN
    RAISE EXCEPTION 'table % has no primary key: name the columns identifying a row in the mapping as "@key": [...]', p_table
      USING ERRCODE = '22023';
  END IF;
  FOREACH col IN ARRAY keys LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped) THEN
      RAISE EXCEPTION 'table % has no key column "%"', p_table, col USING ERRCODE = '42703';
    END IF;
    PERFORM oversight.require_builtin_column(p_table, col);
  END LOOP;
  key_numbers := ARRAY(SELECT a.attnum FROM pg_catalog.unnest(keys) WITH ORDINALITY AS k(c, o)
                         JOIN pg_catalog.pg_attribute a ON a.attrelid = p_table AND a.attname = k.c ORDER BY k.o);
  IF NOT resolved ? 'amount' AND p_record_kind IN ('payment', 'fund_allocation') THEN
    RAISE EXCEPTION 'record kind % needs the field amount mapped', p_record_kind USING ERRCODE = '22023';
  END IF;

  -- Re-watching replaces the previous watch.
  FOR col IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = p_table
                AND t.tgname IN ('oversight_engine_insert', 'oversight_engine_update', 'oversight_engine_row') LOOP
    EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', col, qualified);
  END LOOP;
  DELETE FROM oversight.watched_table w WHERE w.relid = p_table;

  IF p_trigger_level = 'statement' THEN
    EXECUTE pg_catalog.format('CREATE TRIGGER oversight_engine_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS oversight_new '
                              'FOR EACH STATEMENT EXECUTE FUNCTION oversight.engine_trigger()', qualified);
    EXECUTE pg_catalog.format('CREATE TRIGGER oversight_engine_update AFTER UPDATE ON %s REFERENCING NEW TABLE AS oversight_new '
                              'FOR EACH STATEMENT EXECUTE FUNCTION oversight.engine_trigger()', qualified);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER oversight_engine_insert ON %s IS %L', qualified,
                              'oversight rule engine: evaluates each INSERT statement''s rows in one batch (oversight.watch)');
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER oversight_engine_update ON %s IS %L', qualified,
                              'oversight rule engine: evaluates each UPDATE statement''s new rows in one batch (oversight.watch)');
  ELSE
    EXECUTE pg_catalog.format('CREATE TRIGGER oversight_engine_row AFTER INSERT OR UPDATE ON %s '
                              'FOR EACH ROW EXECUTE FUNCTION oversight.engine_trigger()', qualified);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER oversight_engine_row ON %s IS %L', qualified,
                              'oversight rule engine: evaluates every written row (oversight.watch)');
  END IF;
  -- Audited by the table's trigger (the extension script's own watches of the canonical tables are not:
  -- CREATE EXTENSION recreates them on restore).
  INSERT INTO oversight.watched_table (relid, record_kind, column_mapping, key_columns, trigger_level, is_canonical, watched_at, watched_by,
                                       field_attnums, key_attnums)
  VALUES (p_table, p_record_kind, resolved, keys, p_trigger_level,
          rel.relnamespace = 'oversight'::regnamespace, oversight.now(), session_user, attnums, key_numbers);
  mapped_fields := ARRAY(SELECT pg_catalog.jsonb_object_keys(resolved) ORDER BY 1);
  unmapped_fields := ARRAY(SELECT k FROM pg_catalog.jsonb_object_keys(fields) k WHERE NOT resolved ? k ORDER BY 1);
  key_columns := keys;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.watch(regclass, text, jsonb, text) IS
  'Attaches the rule engine to a table: maps its columns onto a record kind ({"canonical field": "column"}, same-named columns map themselves, "@key": [...] overrides the primary key) and creates AFTER triggers (statement level with transition tables by default, or row level). Mapped and key columns must be of built-in types (or domains over them). The mapping follows renamed columns; a dropped mapped column disables the watch with a recorded fault; a dropped table is forgotten. The table, its owner and its rows are not changed. Audited.';

CREATE OR REPLACE FUNCTION oversight.unwatch(p_table regclass) RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  qualified text;
  trigger_name name;
BEGIN
  SELECT pg_catalog.format('%I.%I', c.relnamespace::regnamespace::text, c.relname) INTO qualified FROM pg_catalog.pg_class c WHERE c.oid = p_table;
  IF NOT EXISTS (SELECT FROM oversight.watched_table w WHERE w.relid = p_table) THEN
    RETURN false;
  END IF;
  FOR trigger_name IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = p_table
                        AND t.tgname IN ('oversight_engine_insert', 'oversight_engine_update', 'oversight_engine_row') LOOP
    EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', trigger_name, qualified);
  END LOOP;
  DELETE FROM oversight.watched_table w WHERE w.relid = p_table; -- audited by the table's trigger
  RETURN true;
END $$;
COMMENT ON FUNCTION oversight.unwatch(regclass) IS 'Removes the rule engine''s triggers from a table and forgets its mapping; the table is left exactly as it was (its alerts are kept). Returns false when it was not watched. Audited.';

CREATE FUNCTION oversight.watch_follow_ddl() RETURNS event_trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  obj record;
BEGIN
  IF TG_EVENT = 'sql_drop' THEN
    FOR obj IN SELECT * FROM pg_catalog.pg_event_trigger_dropped_objects() d
                WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                  AND EXISTS (SELECT FROM oversight.watched_table w WHERE w.relid = d.objid) LOOP
      IF obj.objsubid = 0 THEN
        DELETE FROM oversight.watched_table w WHERE w.relid = obj.objid; -- audited
      ELSIF EXISTS (SELECT FROM oversight.watched_table w WHERE w.relid = obj.objid
                       AND (obj.objsubid = ANY (w.key_attnums)
                            OR EXISTS (SELECT FROM pg_catalog.jsonb_each_text(w.field_attnums) f WHERE f.value::integer = obj.objsubid))) THEN
        PERFORM oversight.disable_watch(obj.objid::pg_catalog.regclass,
                                        pg_catalog.format('column %s of %s was dropped', obj.address_names[pg_catalog.array_length(obj.address_names, 1)],
                                                          obj.objid::pg_catalog.regclass));
      END IF;
    END LOOP;
  ELSE -- ddl_command_end of ALTER TABLE: names follow renamed columns
    UPDATE oversight.watched_table w
       SET column_mapping = COALESCE((SELECT pg_catalog.jsonb_object_agg(f.key, a.attname)
                                        FROM pg_catalog.jsonb_each_text(w.field_attnums) f
                                        JOIN pg_catalog.pg_attribute a ON a.attrelid = w.relid AND a.attnum = f.value::integer
                                                                      AND NOT a.attisdropped), '{}'),
           key_columns = ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(w.key_attnums) WITH ORDINALITY AS k(n, o)
                                 JOIN pg_catalog.pg_attribute a ON a.attrelid = w.relid AND a.attnum = k.n AND NOT a.attisdropped
                                ORDER BY k.o)
     WHERE w.disabled_reason IS NULL
       AND w.relid::oid IN (SELECT c.objid FROM pg_catalog.pg_event_trigger_ddl_commands() c
                             WHERE c.classid = 'pg_catalog.pg_class'::pg_catalog.regclass); -- audited (an unchanged row is not)
  END IF;
EXCEPTION WHEN OTHERS THEN
  -- Never block a DBA's DDL: the engine checks the mapping again at every write.
  RAISE WARNING 'oversight: could not follow % on a watched table: % (SQLSTATE %)', TG_TAG, SQLERRM, SQLSTATE;
END $$;
COMMENT ON FUNCTION oversight.watch_follow_ddl() IS
  'Event trigger function: forgets the watch of a dropped table, disables (with a fault) a watch whose mapped or key column was dropped, and renames columns in a watch''s mapping when the table''s columns are renamed. Never fails the DDL.';
CREATE EVENT TRIGGER oversight_watch_drop ON sql_drop EXECUTE FUNCTION oversight.watch_follow_ddl();
COMMENT ON EVENT TRIGGER oversight_watch_drop IS 'oversight: watches follow dropped tables and columns.';
CREATE EVENT TRIGGER oversight_watch_alter ON ddl_command_end WHEN TAG IN ('ALTER TABLE')
  EXECUTE FUNCTION oversight.watch_follow_ddl();
COMMENT ON EVENT TRIGGER oversight_watch_alter IS 'oversight: watches follow renamed columns.';

CREATE OR REPLACE FUNCTION oversight.sweep(p_as_of timestamptz DEFAULT NULL)
  RETURNS TABLE (tables_swept integer, rules_run integer, snoozes_expired integer, waivers_expired integer, faults integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  as_of timestamptz := COALESCE(p_as_of, oversight.now());
  t regclass;
  first_fault bigint := COALESCE((SELECT max(fault_id) FROM oversight.engine_fault), 0);
  w record;
BEGIN
  -- A sweep as of a later time would expire snoozes and waivers early: only where the clock is injectable.
  IF as_of > oversight.now() AND NOT oversight.setting_value('clock.injectable')::boolean THEN
    RAISE EXCEPTION '不能按未来时间 % 清扫 / cannot sweep as of %, a time still to come', as_of, as_of USING ERRCODE = '22023';
  END IF;
  tables_swept := 0; rules_run := 0; snoozes_expired := 0; waivers_expired := 0;
  -- Watches of tables dropped while event triggers were off (restores, replica mode) are removed.
  FOR w IN DELETE FROM oversight.watched_table x WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = x.relid)
           RETURNING x.relid::oid AS relid LOOP
    PERFORM oversight.record_fault(NULL, w.relid::text, NULL, '42P01', 'watched table ' || w.relid || ' no longer exists: watch removed', NULL, 'sweep', NULL);
  END LOOP;
  FOR t IN SELECT relid FROM oversight.watched_table WHERE disabled_reason IS NULL ORDER BY relid::text LOOP
    rules_run := rules_run + oversight.sweep_table(t, as_of);
    tables_swept := tables_swept + 1;
  END LOOP;
  WITH s AS (UPDATE oversight.alert SET snoozed_until = NULL WHERE snoozed_until IS NOT NULL AND snoozed_until <= as_of RETURNING alert_id),
       e AS (INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, reason)
             SELECT alert_id, oversight.now(), session_user, 'snooze_expired', 'snooze ended' FROM s RETURNING 1)
  SELECT count(*) INTO snoozes_expired FROM e;
  FOR w IN UPDATE oversight.waiver SET status = 'expired' WHERE status = 'approved' AND expires_at <= as_of RETURNING waiver_id, alert_id LOOP
    waivers_expired := waivers_expired + 1;
    INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, from_status, to_status, reason, waiver_id)
    SELECT w.alert_id, oversight.now(), session_user, 'waiver_expired', a.status, 'open', 'waiver expired: back to review', w.waiver_id
      FROM oversight.alert a WHERE a.alert_id = w.alert_id;
    UPDATE oversight.alert SET status = 'open', status_changed_at = oversight.now(), status_changed_by = 'system'
     WHERE alert_id = w.alert_id AND status <> 'open';
    PERFORM oversight.audit('transition', 'oversight.waiver', pg_catalog.jsonb_build_object('waiver_id', w.waiver_id),
                            pg_catalog.jsonb_build_object('status', 'approved'), pg_catalog.jsonb_build_object('status', 'expired'),
                            'waiver expired: alert back to review');
  END LOOP;
  SELECT count(*) INTO faults FROM oversight.engine_fault f WHERE f.fault_id > first_fault;
  PERFORM oversight.seal_audit();
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.sweep(timestamptz) IS
  'The deadline sweeper: runs the sweep rules (overdue SME payments, unpaid fines, missing sign-offs) of every watched table as of p_as_of (default oversight.now()), ends expired snoozes and sends alerts whose waiver expired back to review, skips disabled watches and removes those of dropped tables, then seals the audit trail (oversight.seal_audit()). A time later than now is refused unless the clock is injectable. Run it on a schedule (e.g. pg_cron, hourly).';

-------------------------------------------------------------------------------------------------------
-- Privileges: PUBLIC executes nothing of the extension; the four roles get exactly the API they use
-- (tests/pgtap/090_security_attacks.sql lists what PUBLIC and each role may execute).
-------------------------------------------------------------------------------------------------------
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA oversight FROM PUBLIC;
-- Read-only helpers every role's queries, views and policies call.
GRANT EXECUTE ON FUNCTION oversight.now(), oversight.today(), oversight.set_clock(timestamptz, boolean), oversight.reset_clock(),
  oversight.setting_value(text), oversight.is_working_day(date), oversight.add_working_days(date, integer),
  oversight.working_days_between(date, date), oversight.risk_grade_from_criteria(text[]), oversight.unit_responsible(text, date),
  oversight.responsible_for(text, date), oversight.sees_all_units(), oversight.visible_units(), oversight.record_kind_fields(text),
  oversight.rule_kind_catalog(), oversight.validate_rule_params(text, text, jsonb)
  TO oversight_admin, oversight_loader, oversight_analyst, oversight_inspector;
GRANT EXECUTE ON FUNCTION oversight.alert_payload(bigint, text, integer, bigint, text, text, text, jsonb, text, text, text, integer, text, timestamptz, text, text, boolean),
  oversight.alert_notices(bigint[])
  TO oversight_admin, oversight_analyst, oversight_inspector;
-- The audit trail is read by inspectors and administrators.
GRANT EXECUTE ON FUNCTION oversight.audit_entry_hash(bytea, oversight.audit_log),
  oversight.audit_seal_hash(bytea, bigint, bigint, bigint, bigint, bytea, timestamptz, text), oversight.verify_audit_chain(jsonb),
  oversight.audit_head(), oversight.seal_audit()
  TO oversight_admin, oversight_inspector;
GRANT SELECT ON oversight.audit_seal TO oversight_admin, oversight_inspector;
-- Administration (grants of 0.1.0 and 0.2.0 on these stand): the catalog, and watch() (which runs
-- with the caller's rights) needs the helpers it calls.
GRANT EXECUTE ON FUNCTION oversight.install_default_catalog(), oversight.regrade_node(text, text[], text),
  oversight.require_builtin_column(regclass, name)
  TO oversight_admin;

-------------------------------------------------------------------------------------------------------
-- pg_dump: the seals are the bureau's data; the pending horizons are working state.
-------------------------------------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('oversight.audit_seal', '');
