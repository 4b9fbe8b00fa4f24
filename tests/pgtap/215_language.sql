-- Chinese first (issue 8): the database's setting "language" (zh by default) and the session's
-- oversight.language choose the language of rule titles and alert messages in the views, the notices
-- listeners read and the blocking message; both languages stay queryable; a bad value is refused.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(30);
\ir include/rules_u1.psql
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, payee_account, amount, currency, payment_method, invoice_no, paid_on, approved_at)
VALUES ('L-1', 'U1', '某公司', 'ACC-1', 26680.25, 'CNY', 'transfer', 'INV-9', '2025-06-03', '2025-06-03 10:00+08'),
       ('L-2', 'U1', '某公司', 'ACC-1', 26680.25, 'CNY', 'transfer', 'INV-9', '2025-06-04', '2025-06-04 10:00+08'),
       ('L-3', 'U1', '现金领取人', NULL, 60000.50, 'CNY', 'cash', NULL, '2025-06-04', '2025-06-04 10:00+08');
CREATE TEMP VIEW seen AS
  SELECT rule_code, rule_title, message FROM oversight.open_alerts WHERE rule_code IN ('PAY.DUPLICATE', 'CASH.SINGLE');

-- The database's default is Chinese.
SELECT is(oversight.language(), 'zh', 'the database''s language is Chinese by default');
SELECT is((SELECT setting_value || '/' || default_value FROM oversight.settings WHERE setting_key = 'language'), 'zh/zh',
          'the setting "language" is listed with its default');

-- A Chinese session: Chinese titles and messages.
SELECT set_eq('SELECT rule_code, rule_title, message FROM seen',
  $$ VALUES ('PAY.DUPLICATE', '重复支付（同一收款人、金额和发票）', '重复支付：收款人、金额（26680.25 元）和发票号（INV-9）均与付款 L-1 相同'),
            ('CASH.SINGLE', '单笔大额提取现金', '单笔现金支付 60000.5 元，超过单笔提取现金限额 50000') $$,
  'a Chinese session sees Chinese rule titles and messages in open_alerts (a row rule and a set-based rule)');
SELECT is((SELECT title FROM oversight.rules WHERE rule_code = 'CASH.SINGLE'), '单笔大额提取现金', 'rules: the title in Chinese');
SELECT is((SELECT title FROM oversight.rule_noise WHERE rule_code = 'CASH.SINGLE'), '单笔大额提取现金', 'rule_noise: the title in Chinese');
SELECT is((SELECT title FROM oversight.rule_kinds WHERE rule_kind = 'purchase_splitting'), '化整为零规避公开招标', 'rule_kinds: the kind''s title in Chinese');
SELECT is((SELECT notice ->> 'message' FROM oversight.alert_notices(ARRAY(SELECT alert_id FROM oversight.alert WHERE rule_code = 'CASH.SINGLE'))),
          '单笔现金支付 60000.5 元，超过单笔提取现金限额 50000', 'the notice a listener reads is in Chinese…');
SELECT is((SELECT (notice ->> 'rule_title') || ' ' || (notice ->> 'language') FROM oversight.alert_notices(ARRAY(SELECT alert_id FROM oversight.alert WHERE rule_code = 'CASH.SINGLE'))),
          '单笔大额提取现金 zh', '…with the rule''s Chinese title, and says so');

-- An English session: English titles and messages, the English texts as before.
SET LOCAL oversight.language = 'en';
SELECT is(oversight.language(), 'en', 'SET oversight.language = ''en'' makes the session English');
SELECT set_eq('SELECT rule_code, rule_title, message FROM seen',
  $$ VALUES ('PAY.DUPLICATE', 'Duplicate payment (same payee, amount and invoice)',
             'duplicate payment: same payee, amount 26680.25 CNY and invoice INV-9 as payment {"payment_code": "L-1"}'),
            ('CASH.SINGLE', 'Large single cash withdrawal', 'cash payment of 60000.5 CNY exceeds the single-withdrawal limit of 50000') $$,
  'an English session sees English rule titles and messages in open_alerts');
SELECT is((SELECT title FROM oversight.rules WHERE rule_code = 'CASH.SINGLE'), 'Large single cash withdrawal', 'rules: the title in English');
SELECT is((SELECT title FROM oversight.rule_noise WHERE rule_code = 'CASH.SINGLE'), 'Large single cash withdrawal', 'rule_noise: the title in English');
SELECT is((SELECT title FROM oversight.rule_kinds WHERE rule_kind = 'purchase_splitting'), 'Purchase splitting (化整为零)', 'rule_kinds: the kind''s title in English');
SELECT is((SELECT (notice ->> 'message') || ' / ' || (notice ->> 'language') FROM oversight.alert_notices(ARRAY(SELECT alert_id FROM oversight.alert WHERE rule_code = 'CASH.SINGLE'))),
          'cash payment of 60000.5 CNY exceeds the single-withdrawal limit of 50000 / en', 'the notice a listener reads is in English');
-- Both languages stay queryable, whatever the session shows.
SELECT is((SELECT message_zh || ' | ' || message_en || ' | ' || rule_title_zh || ' | ' || rule_title_en FROM oversight.open_alerts WHERE rule_code = 'CASH.SINGLE'),
          '单笔现金支付 60000.5 元，超过单笔提取现金限额 50000 | cash payment of 60000.5 CNY exceeds the single-withdrawal limit of 50000 | 单笔大额提取现金 | Large single cash withdrawal',
          'open_alerts has both messages and both titles in their own columns');
SELECT is((SELECT title_zh || ' | ' || title_en FROM oversight.rules WHERE rule_code = 'PAY.DUPLICATE'),
          '重复支付（同一收款人、金额和发票） | Duplicate payment (same payee, amount and invoice)', 'rules has both titles');
SELECT ok((SELECT bool_and(title_zh IS NOT NULL AND title_en IS NOT NULL AND (forms_matters OR jsonb_array_length(messages) >= 1)) FROM oversight.rule_kinds),
          'every rule kind has a title in both languages and its message templates (a matter rule''s text is the matter''s title it gives)');

-- The database's setting decides for sessions that set nothing; a session's choice wins over it.
RESET oversight.language;
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('language', 'en', 'an English-speaking audit team');
SELECT is(oversight.language(), 'en', 'a database set to English…');
SELECT is((SELECT rule_title FROM seen WHERE rule_code = 'CASH.SINGLE'), 'Large single cash withdrawal', '…shows English to a session that sets nothing');
SET LOCAL oversight.language = 'zh';
SELECT is((SELECT rule_title FROM seen WHERE rule_code = 'CASH.SINGLE'), '单笔大额提取现金', 'a Chinese session still sees Chinese');
RESET oversight.language;
UPDATE oversight.setting SET setting_value = 'zh', changed_reason = 'back to Chinese' WHERE setting_key = 'language';

-- A rule of the bureau's without a Chinese title shows its English one.
SELECT oversight.define_rule('T.LANG', 'round_amount', 'payment', 'FUND.PAY.REVIEW', 'Round sums (bureau rule)', '{"min_amount": 70000}', 'low');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES ('L-4', 'U1', 'x', 80000, 'transfer', '2025-06-05');
SELECT is((SELECT rule_title || ' | ' || message FROM oversight.open_alerts WHERE rule_code = 'T.LANG'),
          'Round sums (bureau rule) | 整数金额支付 80000（10000 的整倍数）', 'a rule without a Chinese title: its English title, the kind''s Chinese message');

-- The blocking message (OV100) is in the writer's language.
SELECT oversight.define_rule('T.BLOCK', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', 'Cash hold', '{"limit": 100000}', 'high', true);
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES ('L-5', 'U1', 'x', 150000.5, 'cash', '2025-06-05') $$,
                 'OV100', '监控规则阻止写入：规则 T.BLOCK（第 1 版）：单笔现金支付 150000.5 元，超过单笔提取现金限额 100000',
                 'a blocked write is told why in Chinese…');
SET LOCAL oversight.language = 'en';
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES ('L-5', 'U1', 'x', 150000.5, 'cash', '2025-06-05') $$,
                 'OV100', 'write blocked by oversight rule: rule T.BLOCK v1: cash payment of 150000.5 CNY exceeds the single-withdrawal limit of 100000',
                 '…or in English');
RESET oversight.language;

-- The renderer is callable from SQL: one implementation for both paths.
SELECT is(oversight.finding_messages('round_amount', '{"amount": 60000, "modulus": 10000}'),
          ARRAY['round amount 60000 (a multiple of 10000)', '整数金额支付 60000（10000 的整倍数）'], 'finding_messages renders both languages');
SELECT is(oversight.finding_messages('cash_single', '{"amount": 60000, "limit": 50000}', true), NULL,
          'strict: NULL when the details lack a value a template reads (the currency)');
SELECT throws_ok($$ SELECT oversight.finding_messages('no_such_kind', '{}') $$, '22023', NULL, 'an unknown kind is an error');

-- Bad values are refused, with a clear error.
SELECT ok(oversight.rule_kind_catalog() IS NOT NULL, '(the extension''s library is loaded in this session)');
SELECT throws_ok($$ SET oversight.language = 'fr' $$, '22023', 'invalid value for parameter "oversight.language": "fr"',
                 'SET oversight.language to anything but zh or en is refused');
SELECT throws_ok($$ UPDATE oversight.setting SET setting_value = 'fr' WHERE setting_key = 'language' $$,
                 '23514', NULL, 'so is a database setting language other than zh or en');

-- The settings' descriptions (SHOW ALL, pg_settings) are read before any language applies: both, Chinese first.
SELECT oversight.language();
SELECT is((SELECT count(*)::int FROM pg_settings WHERE name LIKE 'oversight.%'
            AND short_desc ~ '^[^A-Za-z]*[一-龥]' AND short_desc ~ '[A-Za-z]{4,}'
            AND extra_desc ~ '^[^A-Za-z]*[一-龥]' AND extra_desc ~ '[A-Za-z]{4,}'),
          (SELECT count(*)::int FROM pg_settings WHERE name LIKE 'oversight.%'),
          'every oversight.* setting is described in Chinese, then English');

SELECT * FROM finish();
ROLLBACK;
