-- Rules on complete facts (issue 12, item 2): the collusion signals judge a process's bids with their
-- tenderers as they stand when the writing transaction commits, whichever table's rows came first. One
-- company's bids are never "different tenderers"; bids whose tenderers are not known are reported as
-- cannot-evaluate, not fired on a guess; a cancelled tender is not judged; tenderer links written,
-- changed or removed later make the process be judged again; a cancelled tender's period is not judged either; the queue is transactional; a loader needs
-- no right on the queue, and cannot use its functions.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(26);
\ir include/city_roles.psql
\ir include/commit_point.psql
INSERT INTO oversight.party (party_code, name) VALUES ('ACME', 'Acme Ltd'), ('BETA', 'Beta Ltd'), ('GAMMA', 'Gamma Ltd');
INSERT INTO oversight.procurement_process (ocid, buyer_unit_code, procurement_method, tender_status) VALUES
  ('P-SAME', 'EDU', 'open', 'active'), ('P-DIFF', 'EDU', 'open', 'active'), ('P-LOTS', 'EDU', 'open', 'active'),
  ('P-UNKNOWN', 'EDU', 'open', 'active'), ('P-CANCEL', 'EDU', 'open', 'cancelled'), ('P-LATE', 'EDU', 'open', 'active'),
  ('P-ROLLBACK', 'EDU', 'open', 'active');
CREATE FUNCTION pg_temp.fired(p_rule text, p_ocid text) RETURNS boolean LANGUAGE sql AS $$
  SELECT EXISTS (SELECT FROM oversight.alert WHERE rule_code = p_rule AND object_key ->> 'ocid' = p_ocid)
$$;
CREATE FUNCTION pg_temp.queued() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM oversight.pending_evaluation $$;
CREATE FUNCTION pg_temp.link_missing(p_rule text) RETURNS bigint LANGUAGE sql AS $$
  SELECT coalesce(sum(records), 0)::bigint FROM oversight.coverage_gap WHERE rule_code = p_rule AND reason = 'link_missing'
$$;

-- The issue's cases, written as a loader writes them: the bids, then (FK order) their tenderers.
INSERT INTO oversight.bid (ocid, bid_id, lot_id, amount, currency, status, contact_name) VALUES
  ('P-SAME', 'b1', NULL, 500000, 'CNY', 'valid', NULL), ('P-SAME', 'b2', NULL, 500000, 'CNY', 'valid', NULL),
  ('P-DIFF', 'b1', NULL, 500000, 'CNY', 'valid', NULL), ('P-DIFF', 'b2', NULL, 500000, 'CNY', 'valid', NULL),
  ('P-LOTS', 'b1', 'L1', 100000, 'CNY', 'valid', 'Wang Wu'), ('P-LOTS', 'b2', 'L2', 200000, 'CNY', 'valid', 'Wang Wu');
SELECT is(pg_temp.queued(), 3::bigint, 'writing bids queues their processes, once each, for evaluation at commit');
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE rule_code LIKE 'PROC.COLLUSION%'), 'nothing is judged before the transaction commits');
INSERT INTO oversight.bid_tenderer (ocid, bid_id, party_code) VALUES
  ('P-SAME', 'b1', 'ACME'), ('P-SAME', 'b2', 'ACME'), ('P-DIFF', 'b1', 'ACME'), ('P-DIFF', 'b2', 'BETA'),
  ('P-LOTS', 'b1', 'ACME'), ('P-LOTS', 'b2', 'ACME');
SELECT pg_temp.commit_point();
SELECT is(pg_temp.queued(), 0::bigint, 'the commit takes the whole queue');
SELECT ok(NOT pg_temp.fired('PROC.COLLUSION_PRICE', 'P-SAME'), 'one company''s two bids at the same price are not "bids of different tenderers"');
SELECT ok(pg_temp.fired('PROC.COLLUSION_PRICE', 'P-DIFF'), 'two companies'' bids at the same price fire');
SELECT is((SELECT (details ->> 'tenderer_sets')::int FROM oversight.alert WHERE rule_code = 'PROC.COLLUSION_PRICE' AND object_key ->> 'ocid' = 'P-DIFF'),
          2, 'the finding counts the two tenderers');
SELECT ok(NOT pg_temp.fired('PROC.COLLUSION_CONTACT', 'P-LOTS'), 'one company bidding on two lots with one contact is not a collusion signal');
SELECT is((SELECT last_path FROM oversight.alert WHERE rule_code = 'PROC.COLLUSION_PRICE' AND object_key ->> 'ocid' = 'P-DIFF'),
          'commit', 'the finding says it was made at commit');

-- Tenderers not known: cannot tell, and says so (never a finding on a guess, never silence).
INSERT INTO oversight.bid (ocid, bid_id, amount, currency, status, contact_name) VALUES
  ('P-UNKNOWN', 'b1', 700000, 'CNY', 'valid', 'Zhao Liu'), ('P-UNKNOWN', 'b2', 700000, 'CNY', 'valid', 'Zhao Liu');
SELECT pg_temp.commit_point();
SELECT ok(NOT pg_temp.fired('PROC.COLLUSION_PRICE', 'P-UNKNOWN') AND NOT pg_temp.fired('PROC.COLLUSION_CONTACT', 'P-UNKNOWN'),
          'bids whose tenderers are not known do not fire');
SELECT is(pg_temp.link_missing('PROC.COLLUSION_PRICE'), 2::bigint, 'the two bids are counted as cannot-evaluate (link_missing) for the price signal');
SELECT is(pg_temp.link_missing('PROC.COLLUSION_CONTACT'), 2::bigint, 'and for the contact signal');
SELECT is((SELECT missing FROM oversight.coverage_gap WHERE rule_code = 'PROC.COLLUSION_PRICE' AND reason = 'link_missing'),
          ARRAY['oversight.bid_tenderer'], 'the gap names what is missing');
SELECT is(oversight.coverage_reason_text('link_missing', ARRAY['oversight.bid_tenderer']),
          '部分记录在 oversight.bid_tenderer 中缺少关联数据（如投标人未知的投标）', 'the reason reads in Chinese by default');

-- The tenderers arrive in a later transaction (a CSV export of bid tenderers loaded after the bids):
-- the process is judged again on the complete facts.
INSERT INTO oversight.bid_tenderer (ocid, bid_id, party_code) VALUES ('P-UNKNOWN', 'b1', 'BETA'), ('P-UNKNOWN', 'b2', 'GAMMA');
SELECT is(pg_temp.queued(), 1::bigint, 'writing tenderer links queues their process');
SELECT pg_temp.commit_point();
SELECT ok(pg_temp.fired('PROC.COLLUSION_PRICE', 'P-UNKNOWN') AND pg_temp.fired('PROC.COLLUSION_CONTACT', 'P-UNKNOWN'),
          'once the tenderers are known, the signals fire');
SELECT is(pg_temp.link_missing('PROC.COLLUSION_PRICE'), 2::bigint, 'and no further cannot-evaluate is counted');

-- A cancelled tender is not judged.
INSERT INTO oversight.bid (ocid, bid_id, amount, currency, status) VALUES
  ('P-CANCEL', 'b1', 800000, 'CNY', 'valid'), ('P-CANCEL', 'b2', 800000, 'CNY', 'valid');
INSERT INTO oversight.bid_tenderer (ocid, bid_id, party_code) VALUES ('P-CANCEL', 'b1', 'ACME'), ('P-CANCEL', 'b2', 'BETA');
SELECT pg_temp.commit_point();
SELECT ok(NOT pg_temp.fired('PROC.COLLUSION_PRICE', 'P-CANCEL'), 'identical prices in a cancelled tender do not fire');
INSERT INTO oversight.procurement_process (ocid, buyer_unit_code, procurement_method, tender_status, tender_period_start, tender_period_end) VALUES
  ('P-SHORT-CANCELLED', 'EDU', 'open', 'cancelled', '2025-06-01 09:00+08', '2025-06-06 09:00+08'),
  ('P-SHORT', 'EDU', 'open', 'active', '2025-06-01 09:00+08', '2025-06-06 09:00+08');
SELECT ok(NOT pg_temp.fired('PROC.TENDER_PERIOD', 'P-SHORT-CANCELLED'), 'a cancelled tender''s short period is not judged');
SELECT ok(pg_temp.fired('PROC.TENDER_PERIOD', 'P-SHORT'), 'the same period in an active tender fires');

-- Transactional: what a rolled-back savepoint wrote is not judged.
SAVEPOINT before_bids;
INSERT INTO oversight.bid (ocid, bid_id, amount, currency, status) VALUES
  ('P-ROLLBACK', 'b1', 900000, 'CNY', 'valid'), ('P-ROLLBACK', 'b2', 900000, 'CNY', 'valid');
INSERT INTO oversight.bid_tenderer (ocid, bid_id, party_code) VALUES ('P-ROLLBACK', 'b1', 'ACME'), ('P-ROLLBACK', 'b2', 'BETA');
ROLLBACK TO SAVEPOINT before_bids;
SELECT is(pg_temp.queued(), 0::bigint, 'a rolled-back savepoint takes its queue entries with it');

-- As a loader: bids and links in one transaction, judged at commit with no right on the queue or alerts.
SET LOCAL ROLE oversight_test_loader;
SELECT lives_ok($$ INSERT INTO oversight.bid (ocid, bid_id, amount, currency, status) VALUES
                     ('P-LATE', 'b1', 300000, 'CNY', 'valid'), ('P-LATE', 'b2', 300000, 'CNY', 'valid');
                   INSERT INTO oversight.bid_tenderer (ocid, bid_id, party_code) VALUES ('P-LATE', 'b1', 'ACME'), ('P-LATE', 'b2', 'BETA');
                   SELECT pg_temp.commit_point() $$,
                'a loader writes bids and tenderers; the commit evaluates them');
SELECT throws_ok($$ SELECT * FROM oversight.pending_evaluation $$, '42501', NULL, 'the loader cannot read the queue');
SELECT throws_ok($$ INSERT INTO oversight.pending_evaluation (relid, group_value) VALUES ('oversight.bid'::regclass, 'P-SAME') $$,
                 '42501', NULL, 'the loader cannot queue anything directly');
CREATE TEMP TABLE links_of_my_own (ocid text);
SELECT throws_ok($$ CREATE TRIGGER t AFTER INSERT ON links_of_my_own REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT
                    EXECUTE FUNCTION oversight.queue_tenderer_change() $$,
                 '42501', 'permission denied for function oversight.queue_tenderer_change', 'the loader cannot attach the extension''s queueing function to a table of its own');
RESET ROLE;
SELECT ok(pg_temp.fired('PROC.COLLUSION_PRICE', 'P-LATE'), 'the loader''s bids were judged at commit');
SET LOCAL ROLE oversight_test_outsider;
SELECT throws_ok($$ SELECT oversight.evaluate_pending() $$, NULL, NULL, 'nobody calls the deferred evaluation outside its trigger');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
