-- The analysts' SQL reports under reports/, run on the demo bureau at a fixed date: they must keep
-- running and keep saying the same thing.
SET datestyle = ISO;
\getenv root OVERSIGHT_ROOT
SET oversight.now = '2025-06-30 17:00+08';
\o /dev/null
\i :root/tests/regress/fixtures/bureau.sql
\o
-- One node with no owner, to show the gap report.
INSERT INTO oversight.area (area_code, name_zh, name_en) VALUES ('TAX_REFUND', '退税返还', 'Tax refunds');
INSERT INTO oversight.power_item (item_code, area_code, name_zh, name_en, power_kind) VALUES ('TAX.REFUND', 'TAX_REFUND', '退库审核', 'Refund review', 'review');
INSERT INTO oversight.key_node (node_code, item_code, name_zh, name_en, risk_criteria, risk_grade, identified_by)
  VALUES ('TAX.REFUND.APPROVE', 'TAX.REFUND', '退库审批', 'Refund approval', ARRAY['large_fund_flow'], 3, 'superior_decision');
\i :root/reports/power_register.sql
-- Alerts: the default rules on a few payments of the test bureau, then the discipline office's work list.
\o /dev/null
SELECT * FROM oversight.install_default_rules();
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, payee_account, amount, payment_method, expense_type, invoice_no, paid_on) VALUES
  ('PAY-1', 'JYJ', '某科技有限公司', 'ACC-1', 26680.25, 'transfer', 'office', 'INV-1', '2025-03-10'),
  ('PAY-2', 'JYJ', '某科技有限公司', 'ACC-1', 26680.25, 'transfer', 'office', 'INV-1', '2025-06-10'),
  ('PAY-3', 'WJW', '会议中心', NULL, 8000, 'cash', 'meeting', 'INV-9', '2025-04-01');
\o
\i :root/reports/alert_worklist.sql
