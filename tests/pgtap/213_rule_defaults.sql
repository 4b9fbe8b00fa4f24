-- Shipped rules as rows (oversight.rule_default): every row names a kind that applies to its record
-- kind, valid parameters and a node of the default catalog; install_default_rules() installs exactly
-- those rows, with Chinese and English titles, approved — or, under four-eyes, as drafts for another
-- administrator; a new default rule is one more row.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(9);
SELECT oversight.set_clock('2025-06-30 10:00+08', true);

SELECT is_empty($$ SELECT d.rule_code FROM oversight.rule_default d
                   WHERE NOT EXISTS (SELECT FROM oversight.rule_kinds k WHERE k.rule_kind = d.rule_kind AND d.record_kind = ANY (k.record_kinds)) $$,
  'every shipped rule names a rule kind that applies to its record kind');
SELECT lives_ok($$ SELECT oversight.validate_rule_params(d.rule_kind, d.record_kind, d.params) FROM oversight.rule_default d $$,
  'every shipped rule''s parameters are valid for its kind');
SELECT oversight.install_default_catalog();
SELECT is_empty($$ SELECT d.rule_code FROM oversight.rule_default d WHERE NOT EXISTS (SELECT FROM oversight.key_node k WHERE k.node_code = d.node_code) $$,
  'every shipped rule guards a node of the default catalog');

SELECT is((SELECT rules_added || '/' || versions_approved FROM oversight.install_default_rules()), (SELECT count(*) || '/' || count(*) FROM oversight.rule_default),
  'install_default_rules() installs and approves every row of rule_default');
SELECT is_empty($$ SELECT rule_code, title, title_zh FROM oversight.rule EXCEPT SELECT rule_code, title_en, title_zh FROM oversight.rule_default $$,
  'each installed rule carries the shipped titles, in English and Chinese');
SELECT is((SELECT rules_added FROM oversight.install_default_rules()), 0, 'installing again adds nothing');

-- A new default rule in a later version is one row of its upgrade script.
INSERT INTO oversight.rule_default (rule_code, rule_kind, record_kind, node_code, title_zh, title_en, severity, params, since_version)
VALUES ('CASH.SINGLE_STRICT', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', '单笔提取现金超过2万元', 'Cash withdrawal over 20,000', 'low', '{"limit": 20000}', '9.9.9');
SELECT is((SELECT rules_added || '/' || versions_approved FROM oversight.install_default_rules()), '1/1', 'a new row is a new rule at the next install');

-- Four-eyes: the installer's versions wait for another administrator.
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('rules.four_eyes', 'true', 'test');
INSERT INTO oversight.rule_default (rule_code, rule_kind, record_kind, node_code, title_zh, title_en, severity, params, since_version)
VALUES ('CASH.SINGLE_STRICTER', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', '单笔提取现金超过1万元', 'Cash withdrawal over 10,000', 'low', '{"limit": 10000}', '9.9.9');
SELECT is((SELECT rules_added || '/' || versions_approved FROM oversight.install_default_rules()), '1/0', 'under four-eyes the shipped version is installed as a draft');
SELECT is((SELECT status FROM oversight.rule_version WHERE rule_code = 'CASH.SINGLE_STRICTER'), 'draft', 'and waits for another administrator''s approval');

SELECT * FROM finish();
ROLLBACK;
