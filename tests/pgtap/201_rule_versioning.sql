-- Rules as versioned data: parameter validation on save (C++ core, error naming the parameter),
-- draft → approved → retired, locking of approved/retired versions, one approved version per rule,
-- alerts recording the version that fired, the four-eyes setting, and the rule-kind catalogue.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(22);
SELECT oversight.set_clock('2025-06-30 10:00+08', true);
SELECT oversight.install_default_catalog();

SELECT has_table('oversight', 'rule', 'rule table exists');
SELECT has_table('oversight', 'rule_version', 'rule_version table exists');
SELECT ok((SELECT count(*) FROM oversight.rule_kinds) >= 28, 'the engine publishes its rule kinds');

SELECT lives_ok($$SELECT oversight.create_rule('T.CASH', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', 'test cash')$$, 'rule created');
SELECT throws_ok($$SELECT oversight.create_rule('T.BAD', 'no_such_kind', 'payment', 'DEPT.CASH.WITHDRAW', 'x')$$,
                 '22023', 'unknown rule kind "no_such_kind"', 'unknown kind refused');
SELECT throws_ok($$SELECT oversight.create_rule('T.BAD', 'cash_single', 'bid', 'DEPT.CASH.WITHDRAW', 'x')$$,
                 '22023', NULL, 'kind/record-kind mismatch refused');
SELECT throws_ok($$SELECT oversight.draft_rule_version('T.CASH', '{"limit": -5}', 'medium')$$,
                 '22023', 'rule kind cash_single: parameter "limit" must be at least 0, not -5', 'bad parameter refused on save, naming it');
SELECT throws_ok($$SELECT oversight.draft_rule_version('T.CASH', '{"limt": 5}', 'medium')$$,
                 '22023', 'rule kind cash_single: parameter "limt" is not a parameter of this kind', 'misspelt parameter refused');
SELECT throws_ok($$INSERT INTO oversight.rule (rule_code, rule_kind, record_kind, node_code, title, created_at, created_by)
                   VALUES ('T.CUM', 'cash_cumulative', 'payment', 'DEPT.CASH.WITHDRAW', 'x', now(), 'me');
                   INSERT INTO oversight.rule_version (rule_code, version, params, severity, authored_by, authored_at)
                   VALUES ('T.CUM', 1, '{}', 'low', 'me', now())$$,
                 '22023', 'rule kind cash_cumulative: parameter "limit" is required', 'required parameter enforced by the trigger');

SELECT is(oversight.draft_rule_version('T.CASH', '{"limit": "1000.00"}', 'medium') IS NOT NULL, true, 'valid draft saved');
SELECT is((SELECT params FROM oversight.rule_version WHERE rule_code = 'T.CASH' AND version = 1),
          '{"limit": 1000, "currency": "CNY"}'::jsonb, 'parameters normalised and completed with defaults');
SELECT lives_ok($$UPDATE oversight.rule_version SET params = '{"limit": 2000}' WHERE rule_code = 'T.CASH' AND version = 1$$, 'a draft is editable');
SELECT lives_ok($$SELECT oversight.approve_rule_version((SELECT rule_version_id FROM oversight.rule_version WHERE rule_code = 'T.CASH' AND version = 1))$$,
                'draft approved');
SELECT throws_ok($$UPDATE oversight.rule_version SET params = '{"limit": 3000}' WHERE rule_code = 'T.CASH' AND version = 1$$,
                 '55000', NULL, 'an approved version is locked');
SELECT throws_ok($$DELETE FROM oversight.rule_version WHERE rule_code = 'T.CASH' AND version = 1$$, '55000', NULL, 'an approved version cannot be deleted');

-- Version 2 supersedes version 1; alerts record which version fired.
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '单位一', 'budget_unit');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES ('P1', 'U1', 'A', 2500, 'cash', '2025-06-03');
SELECT is((SELECT v.version FROM oversight.alert a JOIN oversight.rule_version v ON v.rule_version_id = a.rule_version_id WHERE a.rule_code = 'T.CASH'),
          1, 'alert records version 1');
SELECT oversight.approve_rule_version(oversight.draft_rule_version('T.CASH', '{"limit": 100}', 'high', false, 'lower limit'));
SELECT is((SELECT status FROM oversight.rule_version WHERE rule_code = 'T.CASH' AND version = 1), 'retired', 'approving v2 retires v1');
SELECT is((SELECT count(*)::int FROM oversight.rule_version WHERE rule_code = 'T.CASH' AND status = 'approved'), 1, 'one approved version per rule');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES ('P2', 'U1', 'A', 500, 'cash', '2025-06-03');
SELECT is((SELECT v.version FROM oversight.alert a JOIN oversight.rule_version v ON v.rule_version_id = a.rule_version_id
            WHERE a.rule_code = 'T.CASH' AND a.object_key = '{"payment_code": "P2"}'), 2, 'new alert records version 2');
SELECT throws_ok($$UPDATE oversight.rule_version SET status = 'approved' WHERE rule_code = 'T.CASH' AND version = 1$$,
                 '55000', NULL, 'a retired version cannot come back');

-- Four eyes: with the setting on, the author cannot approve.
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('rules.four_eyes', 'true', 'test');
SELECT throws_ok($$SELECT oversight.approve_rule_version(oversight.draft_rule_version('T.CASH', '{"limit": 50}', 'high'))$$,
                 '42501', NULL, 'four-eyes: the author cannot approve');
SELECT is((SELECT count(*)::int FROM oversight.audit_log WHERE table_name = 'oversight.rule_version'), 6,
          'drafts, edits and approvals of rule versions are audited');

SELECT * FROM finish();
ROLLBACK;
