-- Rules evaluated on complete facts, at the end of the writing transaction (since 0.4.0; the engine side
-- is extension/src/engine/at_commit.cpp). Kinds whose findings depend on rows of other tables written
-- later (collusion signals need each bid's tenderers, oversight.bid_tenderer, which can only be written
-- after the bid) are not evaluated with a statement's rows: the groups they judge (processes) are
-- queued here, by the engine for written records and by the triggers below for link rows, and a
-- deferred constraint trigger evaluates them once when the transaction commits.

CREATE UNLOGGED TABLE oversight.pending_evaluation (
  xact_id     xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
  relid       oid NOT NULL,
  group_value text NOT NULL,
  CONSTRAINT pending_evaluation_pkey PRIMARY KEY (xact_id, relid, group_value)
);
COMMENT ON TABLE oversight.pending_evaluation IS
  'Engine-internal queue of groups (e.g. procurement processes) to evaluate when the writing transaction commits, for the rule kinds that judge complete facts (oversight.rule_kinds.at_commit_group). Empty outside a writing transaction: each transaction takes its own entries at commit. Unlogged: it never outlives the transaction that filled it. 待提交时评估的队列（引擎内部）。';
COMMENT ON COLUMN oversight.pending_evaluation.xact_id IS 'Transaction that queued the group.';
COMMENT ON COLUMN oversight.pending_evaluation.relid IS 'Watched table whose records of the group are evaluated.';
COMMENT ON COLUMN oversight.pending_evaluation.group_value IS 'Value of the group field (the process ocid).';
REVOKE ALL ON oversight.pending_evaluation FROM PUBLIC;

CREATE FUNCTION oversight.evaluate_pending() RETURNS trigger
  AS 'MODULE_PATHNAME', 'oversight_evaluate_pending' LANGUAGE C;
COMMENT ON FUNCTION oversight.evaluate_pending() IS
  'Deferred constraint trigger of oversight.pending_evaluation: at commit, the first firing evaluates every group the transaction queued (the rules of kinds with an at_commit_group, over all stored records of those groups) and records their findings, as the engine does for a batch; later firings find the queue empty. SET CONSTRAINTS oversight.pending_evaluation_at_commit IMMEDIATE evaluates at once.';
REVOKE ALL ON FUNCTION oversight.evaluate_pending() FROM PUBLIC;

CREATE CONSTRAINT TRIGGER pending_evaluation_at_commit AFTER INSERT ON oversight.pending_evaluation
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION oversight.evaluate_pending();
COMMENT ON TRIGGER pending_evaluation_at_commit ON oversight.pending_evaluation IS
  'Evaluates the queued groups when the transaction commits (deferred).';

-- A bid's tenderers change what the collusion rules find for its process: writing, changing or removing
-- them queues the process for every watched bid table (the engine skips tables whose watch is gone).
CREATE FUNCTION oversight.queue_tenderer_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO oversight.pending_evaluation (relid, group_value)
    SELECT DISTINCT w.relid, n.ocid FROM new_links n CROSS JOIN oversight.watched_table w WHERE w.record_kind = 'bid'
    ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO oversight.pending_evaluation (relid, group_value)
    SELECT DISTINCT w.relid, c.ocid FROM (SELECT n.ocid FROM new_links n UNION SELECT o.ocid FROM old_links o) c
     CROSS JOIN oversight.watched_table w WHERE w.record_kind = 'bid'
    ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO oversight.pending_evaluation (relid, group_value)
    SELECT DISTINCT w.relid, o.ocid FROM old_links o CROSS JOIN oversight.watched_table w WHERE w.record_kind = 'bid'
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION oversight.queue_tenderer_change() IS
  'Statement trigger of oversight.bid_tenderer: queues the processes whose tenderer links were written, changed or removed, for evaluation at commit (oversight.pending_evaluation). Runs as the extension owner: writers of links have no right on the queue.';
REVOKE ALL ON FUNCTION oversight.queue_tenderer_change() FROM PUBLIC;

CREATE TRIGGER bid_tenderer_queue_insert AFTER INSERT ON oversight.bid_tenderer
  REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION oversight.queue_tenderer_change();
COMMENT ON TRIGGER bid_tenderer_queue_insert ON oversight.bid_tenderer IS 'Queues the processes of new tenderer links for evaluation at commit.';
CREATE TRIGGER bid_tenderer_queue_update AFTER UPDATE ON oversight.bid_tenderer
  REFERENCING NEW TABLE AS new_links OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION oversight.queue_tenderer_change();
COMMENT ON TRIGGER bid_tenderer_queue_update ON oversight.bid_tenderer IS 'Queues the processes of changed tenderer links for evaluation at commit.';
CREATE TRIGGER bid_tenderer_queue_delete AFTER DELETE ON oversight.bid_tenderer
  REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION oversight.queue_tenderer_change();
COMMENT ON TRIGGER bid_tenderer_queue_delete ON oversight.bid_tenderer IS 'Queues the processes of removed tenderer links for evaluation at commit.';

-- The collusion signals' one decision (extension/include/oversight/core/collusion.hpp), shared with the
-- indicator R028: bids sharing a value come from different tenderers, or cannot be told apart.
CREATE FUNCTION oversight.tenderers_verdict(p_tenderer_sets text[]) RETURNS text
  AS 'MODULE_PATHNAME', 'oversight_tenderers_verdict' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION oversight.tenderers_verdict(text[]) IS
  'For the bids of one process sharing a value (price, contact, bond account), each bid''s tenderer set as text ('''' when its tenderers are not known): different_tenderers when two known sets differ, cannot_evaluate when bids of unknown tenderers could make the difference, else none. The decision of the collusion rules (PROC.COLLUSION_*) and of Cardinal''s R028, in one C++ function. Engine-internal.';
REVOKE ALL ON FUNCTION oversight.tenderers_verdict(text[]) FROM PUBLIC;

-- Findings and faults of that evaluation carry the path "commit".
ALTER TABLE oversight.alert DROP CONSTRAINT alert_path_known,
  ADD CONSTRAINT alert_path_known CHECK (last_path IN ('row', 'statement', 'sweep', 'commit'));
ALTER TABLE oversight.engine_fault DROP CONSTRAINT engine_fault_path_known,
  ADD CONSTRAINT engine_fault_path_known CHECK (path IN ('row', 'statement', 'sweep', 'commit'));
