-- Demo, step 4b: a payments table the treasury already keeps, with its own column names, Chinese codes
-- (支付方式 现金, 支出类别 咨询费, 状态 已支付) and no currency column, attached with oversight.watch() and a
-- value mapping (README, "Your codes, your missing columns"); its rows are judged as canonical payments and
-- never rewritten. Run by demo/run.sh.
\set ON_ERROR_STOP 1
\echo '== 4b. 国库科自有的支付表（中文代码、无币种列）按值映射接入监控 / The treasury''s own payments table, Chinese codes and no currency column, watched through a value mapping'
CREATE SCHEMA treasury;
CREATE TABLE treasury.zfpz (pzh text PRIMARY KEY, dwbm text, skr text, je numeric(14,2), zclx text, zffs text, zfrq date, jbr text, spr text, zt text);
SELECT mapped_fields AS "映射的列 mapped", value_mapped_fields AS "值映射 value-mapped", constant_fields AS "常量 constant"
  FROM oversight.watch('treasury.zfpz', 'payment', '{
    "payment_code": "pzh", "payer_unit_code": "dwbm", "payee_name": "skr", "amount": "je", "paid_on": "zfrq",
    "handler_code": "jbr", "approver_code": "spr",
    "expense_type": {"column": "zclx", "values": {"咨询费": "consulting", "办公费": "office", "其他": "misc"}},
    "payment_method": {"column": "zffs", "values": {"现金": "cash", "转账": "transfer", "公务卡": "official_card"}},
    "status": {"column": "zt", "values": {"已支付": "paid", "已审批": "approved"}, "default": "paid"},
    "currency": {"const": "CNY"}}');
INSERT INTO treasury.zfpz VALUES
  ('ZF-2024-0701', 'FIN-TREAS', '某咨询公司', 6000.00, '咨询费', '现金', '2024-07-12', 'P0103', 'P0102', '已支付'),
  ('ZF-2024-0702', 'FIN-TREAS', '备用金', 60000.00, '其他', '现金', '2024-07-12', 'P0103', 'P0103', '已支付'),
  ('ZF-2024-0703', 'FIN-TREAS', '文具店', 480.00, '办公费', '公务卡', '2024-07-12', 'P0103', 'P0102', NULL);
SELECT object_key ->> 'pzh' AS "凭证号 voucher", rule_code, message_zh AS "告警 alert"
  FROM oversight.alert WHERE object_table = 'treasury.zfpz' ORDER BY 1, 2;
