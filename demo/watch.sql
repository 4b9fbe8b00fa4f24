-- Demo, step 4b: a payments table the treasury already keeps, with its own column names, Chinese codes
-- (支付方式 现金, 支出类别 咨询费, 状态 已支付) and no currency column, attached with oversight.watch() and a
-- value mapping (README, "Your codes, your missing columns"), stored once by name in oversight.mapping (the
-- same dictionary `oversight-load payments --mapping-name treasury-zfpz` loads the treasury's exports with);
-- its rows are judged as canonical payments and never rewritten, and each alert names the mapping version it
-- was computed under. Run by demo/run.sh.
\set ON_ERROR_STOP 1
\echo '== 4b. 国库科自有的支付表（中文代码、无币种列）按值映射接入监控 / The treasury''s own payments table, Chinese codes and no currency column, watched through a value mapping'
CREATE SCHEMA treasury;
CREATE TABLE treasury.zfpz (pzh text PRIMARY KEY, dwbm text, skr text, je numeric(14,2), zclx text, zffs text, zfrq date, jbr text, spr text, zt text);
SELECT mapping_name AS "映射 mapping", version AS "版本 version"
  FROM oversight.save_mapping('treasury-zfpz', 'payment', '{
    "payment_code": "pzh", "payer_unit_code": "dwbm", "payee_name": "skr", "amount": "je", "paid_on": "zfrq",
    "handler_code": "jbr", "approver_code": "spr",
    "expense_type": {"column": "zclx", "values": {"咨询费": "consulting", "办公费": "office", "其他": "misc"}},
    "payment_method": {"column": "zffs", "values": {"现金": "cash", "转账": "transfer", "公务卡": "official_card"}},
    "status": {"column": "zt", "values": {"已支付": "paid", "已审批": "approved"}, "default": "paid"},
    "currency": {"const": "CNY"}}', NULL, '国库科支付表的代码字典 / the treasury table''s code dictionary');
SELECT mapped_fields AS "映射的列 mapped", value_mapped_fields AS "值映射 value-mapped", constant_fields AS "常量 constant",
       mapping_version AS "映射版本 mapping version"
  FROM oversight.watch('treasury.zfpz', 'payment', p_mapping_name => 'treasury-zfpz');
INSERT INTO treasury.zfpz VALUES
  ('ZF-2024-0701', 'FIN-TREAS', '某咨询公司', 6000.00, '咨询费', '现金', '2024-07-12', 'P0103', 'P0102', '已支付'),
  ('ZF-2024-0702', 'FIN-TREAS', '备用金', 60000.00, '其他', '现金', '2024-07-12', 'P0103', 'P0103', '已支付'),
  ('ZF-2024-0703', 'FIN-TREAS', '文具店', 480.00, '办公费', '公务卡', '2024-07-12', 'P0103', 'P0102', NULL);
SELECT a.object_key ->> 'pzh' AS "凭证号 voucher", a.rule_code, a.message_zh AS "告警 alert",
       v.mapping_name || ' v' || v.mapping_name_version AS "映射 mapping"
  FROM oversight.alert a JOIN oversight.watch_mapping_version v USING (mapping_version_id)
 WHERE a.object_table = 'treasury.zfpz' ORDER BY 1, 2;
