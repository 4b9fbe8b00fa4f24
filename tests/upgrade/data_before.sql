-- Filled at the oldest released version, before the upgrade; data_after.sql checks it survived.
\set ON_ERROR_STOP 1
SELECT oversight.set_clock('2025-06-30 10:00+08');
SELECT * FROM oversight.install_default_catalog();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '单位一', 'budget_unit');
INSERT INTO oversight.person (person_code, full_name) VALUES ('P1', '张三');
INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from) VALUES ('P1', 'U1', 'unit_head', '2025-01-01');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  VALUES ('PAY-1', 'U1', '供应商', 1234.5, 'transfer', '2025-06-01');
UPDATE oversight.payment SET amount = 1234.56 WHERE payment_code = 'PAY-1';
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('base_currency', 'CNY', 'kept');
CREATE VIEW public.my_payments AS SELECT payment_code, amount FROM oversight.payment; -- a user object depending on ours
