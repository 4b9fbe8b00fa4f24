#!/usr/bin/env bash
# Issue 13: a mapping written once loads a CSV file and watches a table with the same results. A bureau's
# .map (Chinese headers, Chinese codes in method, expense type and status, no currency column) is stored with
# `oversight-load mapping import`; the export is loaded with it (--mapping-name), and a table of the bureau's
# own holding the same rows under the same column names is watched with it (oversight.watch(...,
# p_mapping_name => ...)): both raise the same alerts, rule by rule and key by key. What a table mapping
# cannot say is refused in Chinese and English.
source "$(dirname "$0")/lib.sh"
new_database shared
write_units "$WORK/units.csv"
printf 'person_code,full_name\nH1,经办人甲\nA1,审批人乙\n' >"$WORK/people.csv"
for k in org-units:units people:people; do
	load "${k%%:*}" -q "$WORK/${k#*:}.csv" >/dev/null 2>&1 || { echo "Bail out! cannot load ${k#*:}"; exit 1; }
done
q "SELECT count(*) FROM oversight.install_default_rules()" >/dev/null

cat >"$WORK/zfpz.map" <<'MAP'
# 国库支付凭证表 zfpz: the bureau's one dictionary, for its exports and its own table
[columns]
payment_code    = 凭证号
payer_unit_code = 单位编码
payee_name      = 收款人
payee_account   = 收款账号
amount          = 金额
expense_type    = 支出类别
payment_method  = 支付方式
invoice_no      = 发票号
paid_on         = 支付日期
approved_at     = 审批时间
handler_code    = 经办人
approver_code   = 审批人
status          = 状态 | default:paid
currency        = const:CNY
[values.payment_method]
cash          = 现金
transfer      = 转账
official_card = 公务卡
[values.expense_type]
consulting = 咨询费
office     = 办公费
goods      = 货物
misc       = 其他
[values.status]
paid     = 已支付
approved = 已审批
MAP
# The same facts as pgTAP 217: a duplicate pair, cash over the single and monthly limits, cash for a consulting
# fee (official-card type), handler = approver, a round amount, a row without status (default paid).
cat >"$WORK/zfpz.csv" <<'CSV'
凭证号,单位编码,收款人,收款账号,金额,支出类别,支付方式,发票号,支付日期,审批时间,经办人,审批人,状态
D1,EDU01,ACME,ACC-1,12345.67,货物,转账,INV-9,2025-06-09,2025-06-09 09:00:00+08,H1,A1,已支付
D2,EDU01,ACME,ACC-1,12345.67,货物,转账,INV-9,2025-06-10,2025-06-10 09:00:00+08,H1,A1,已支付
C1,HLT02,Cash desk,,80000.00,其他,现金,,2025-06-04,2025-06-04 09:00:00+08,H1,A1,已支付
C2,HLT02,Cash desk,,45000.00,其他,现金,,2025-06-16,2025-06-16 09:00:00+08,H1,A1,已支付
C3,HLT02,Cash desk,,90000.00,其他,现金,,2025-06-20,2025-06-20 09:00:00+08,H1,A1,已支付
K1,HLT02,Advisers,,6000.00,咨询费,现金,,2025-06-05,2025-06-05 09:00:00+08,H1,A1,已审批
O1,FIN-TREAS,Stationer,,480.00,办公费,公务卡,,2025-06-06,2025-06-06 09:00:00+08,H1,A1,已支付
S1,FIN-TREAS,Self,ACC-S,3000.00,咨询费,转账,INV-S,2025-06-04,2025-06-04 09:00:00+08,H1,H1,已支付
R1,FIN-TREAS,Round Co,ACC-R,100000.00,货物,转账,INV-R,2025-06-07,2025-06-07 11:00:00+08,H1,A1,
CSV

out=$(load mapping import payments "$WORK/zfpz.map" --name zfpz --reason 'the bureau dictionary' 2>&1)
is "$?" 0 "mapping import: exit 0"
like "$out" '^mapping zfpz version 1 stored \(sha256 [0-9a-f]{64}\)' "the .map is stored as version 1"
out=$(load mapping import payments "$WORK/zfpz.map" --name zfpz 2>&1)
like "$out" '^mapping zfpz version 1 unchanged' "importing it again changes nothing"
is "$(q "SELECT definition -> 'payment_method' FROM oversight.mapping WHERE mapping_name = 'zfpz'")" \
	'{"column": ["支付方式"], "values": {"现金": "cash", "转账": "transfer", "公务卡": "official_card"}}' \
	"stored in the watch() language"
is "$(q "SELECT reason || ' / ' || (source_text LIKE '# 国库支付凭证表%') FROM oversight.mapping WHERE mapping_name = 'zfpz'")" \
	"the bureau dictionary / true" "with the reason and the .map text"

# The file, loaded with the stored mapping.
out=$(load payments --mapping-name zfpz --json -q "$WORK/zfpz.csv" 2>&1)
is "$?" 0 "the export loads with the stored mapping"
like "$out" '"rows_read":9,"rows_loaded":9' "every row loaded"
is "$(q "SELECT l.mapping_sha256 = m.sha256 FROM oversight.load l, oversight.mapping m WHERE l.file_name LIKE '%zfpz.csv' AND m.mapping_name = 'zfpz'")" \
	t "the ledger names the stored mapping by its SHA-256"
is "$(q "SELECT string_agg(payment_code || ':' || payment_method || '/' || coalesce(expense_type, '-') || '/' || status || '/' || currency, ' ' ORDER BY payment_code) FROM oversight.payment")" \
	"C1:cash/misc/paid/CNY C2:cash/misc/paid/CNY C3:cash/misc/paid/CNY D1:transfer/goods/paid/CNY D2:transfer/goods/paid/CNY K1:cash/consulting/approved/CNY O1:official_card/office/paid/CNY R1:transfer/goods/paid/CNY S1:transfer/consulting/paid/CNY" \
	"codes became canonical values, the constant and the default applied"

# The bureau's own table: the same rows under the same column names, watched with the same stored mapping.
q "CREATE SCHEMA treasury;
   CREATE TABLE treasury.zfpz (凭证号 text PRIMARY KEY, 单位编码 text NOT NULL, 收款人 text NOT NULL, 收款账号 text, 金额 numeric(14,2) NOT NULL,
     支出类别 text, 支付方式 text NOT NULL, 发票号 text, 支付日期 date, 审批时间 timestamptz, 经办人 text, 审批人 text, 状态 text)" >/dev/null
is "$(q "SELECT mapping_version || ' ' || array_to_string(value_mapped_fields, ',') || ' ' || array_to_string(constant_fields, ',')
         FROM oversight.watch('treasury.zfpz', 'payment', p_mapping_name => 'zfpz')")" \
	"1 expense_type,payment_method,status currency" "the table is watched by the mapping's name"
is "$(q "SELECT mapping_name || ' v' || mapping_name_version FROM oversight.watch_mapping_version WHERE table_name = 'treasury.zfpz'")" \
	"zfpz v1" "its mapping version records the stored mapping"
psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -c "\\copy treasury.zfpz FROM '$WORK/zfpz.csv' (FORMAT csv, HEADER)" >/dev/null 2>&1
is "$?" 0 "the DBA copies the same rows into the table"

alerts() { # alerts TABLE: rule, key values, period, message per alert
	q "SELECT rule_code || ' ' || (SELECT string_agg(value, ',' ORDER BY key) FROM jsonb_each_text(object_key)) || ' ' || period || ' ' || message_zh
	     FROM oversight.alert WHERE object_table = '$1' AND rule_code NOT LIKE 'MATTER.%' ORDER BY 1"
}
file_alerts=$(alerts oversight.payment)
table_alerts=$(alerts treasury.zfpz)
is "$table_alerts" "$file_alerts" "the file and the table raise the same alerts, rule by rule and key by key, with the same messages"
is "$(q "SELECT string_agg(DISTINCT rule_code, ',' ORDER BY rule_code) FROM oversight.alert WHERE object_table = 'treasury.zfpz'")" \
	"CASH.MONTHLY,CASH.OFFICIAL_CARD,CASH.SINGLE,PAY.DUPLICATE,PAY.NONWORKING_APPROVAL,PAY.ROUND_AMOUNT,SOD.PAYMENT" \
	"and they are the findings the facts call for (R1 was approved on a Saturday)"
is "$(q "SELECT count(*) FILTER (WHERE a.mapping_version_id = v.mapping_version_id) || '/' || count(*)
         FROM oversight.alert a, oversight.watch_mapping_version v WHERE a.object_table = 'treasury.zfpz' AND v.table_name = 'treasury.zfpz'")" \
	"$(q "SELECT count(*) || '/' || count(*) FROM oversight.alert WHERE object_table = 'treasury.zfpz'")" \
	"every alert on the table records the mapping version"

# What only a file mapping can say is refused, in Chinese and English.
printf 'date_order = dmy\n[columns]\npayee_party_code = by_name:收款人\n' >"$WORK/file-only.map"
out=$(load mapping import payments "$WORK/file-only.map" --name file-only 2>&1)
is "$?" 3 "a .map a table cannot use: exit 3"
like "$out" 'date_order =（表的映射不能使用） / date_order = cannot be used for a table' "refused with the reason in both languages"
is "$(q "SELECT count(*) FROM oversight.mapping WHERE mapping_name = 'file-only'")" 0 "and nothing stored"
printf '[columns]\namount = 金额\n[values.amount]\n100 = 一百\n' >"$WORK/amount-values.map"
out=$(load mapping import payments "$WORK/amount-values.map" --name amount-values 2>&1)
like "$out" 'value mappings apply to text fields; field amount is numeric' "aliases a table mapping cannot apply are refused by the database's check"
out=$(load payments --mapping-name nowhere -q "$WORK/zfpz.csv" 2>&1)
is "$?" 3 "loading with an unknown stored mapping: exit 3"
like "$out" '没有存储映射 nowhere / no stored mapping nowhere' "named in both languages"
done_testing
