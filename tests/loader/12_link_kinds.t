#!/usr/bin/env bash
# Issue 11: the kinds that had no subcommand — payment sign-offs, bid tenderers, award suppliers (parties by code
# or by name, created when unknown) and discretion bands (oversight_admin only) — load from their shipped mapping
# files with Chinese and with English headers; unknown references are quarantined with the reason while the rest
# loads; a reload changes nothing.
source "$(dirname "$0")/lib.sh"
new_database kinds
write_units "$WORK/units.csv"
load org-units -q "$WORK/units.csv" >/dev/null 2>&1
printf 'person_code,full_name\nP01,张三\nP02,李四\nP03,王五\n' >"$WORK/people.csv"
printf 'payment_code,payer_unit_code,payee_name,amount,payment_method,paid_on\nV1,EDU01,A,100000,transfer,2024-04-01\nV2,EDU01,B,200,cash,2024-04-02\n' >"$WORK/pay.csv"
printf 'party_code,name\n91330100MA2H0001XA,杭州文汇办公用品有限公司\n91330100MA2H0002XB,西湖印务有限公司\n' >"$WORK/parties.csv"
printf 'ocid,title\nZB-1,办公设备\nZB-2,印刷服务\n' >"$WORK/proc.csv"
printf 'ocid,bid_id\nZB-1,B1\nZB-1,B2\nZB-2,B1\n' >"$WORK/bids.csv"
printf 'ocid,award_id\nZB-1,A1\nZB-2,A1\n' >"$WORK/awards.csv"
for k in people:people parties:parties payments:pay procurement:proc bids:bids awards:awards; do
	load "${k%%:*}" -q "$WORK/${k#*:}.csv" >/dev/null 2>&1 || { echo "Bail out! cannot load ${k#*:}"; exit 1; }
done
reason() { q "SELECT coalesce(field, '-') || ': ' || reason FROM oversight.quarantine q JOIN oversight.load l USING (load_id) WHERE l.file_name = '$1' AND line_no = $2 ORDER BY load_id DESC LIMIT 1"; }

# Payment sign-offs, Chinese headers.
cat >"$WORK/signoffs.csv" <<'CSV'
支付凭证号,签批环节,签批人编号,签批时间
V1,经办,P01,2024-04-01 09:00
V1,科长审核,P02,2024-04-01 10:00
V1,分管领导,P03,2024年4月2日 9时30分
V2,经办,P01,2024-04-02 09:00
V9,经办,P01,2024-04-02 09:00
V2,科长,P99,2024-04-02 10:00
V2,会计,P01,2024-04-02 11:00
CSV
out=$(load payment-signoffs --json -q "$WORK/signoffs.csv" 2>/dev/null)
is "$?" 4 "sign-offs: committed with quarantined rows"
like "$out" '"rows_read":7,"rows_loaded":4,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":3' "sign-offs: 4 loaded, 3 quarantined"
like "$(reason "$WORK/signoffs.csv" 6)" '^payment_code: "V9" is not a known payment \(load it first: oversight-load payments\)' "an unknown payment is quarantined"
like "$(reason "$WORK/signoffs.csv" 7)" '^person_code: "P99" is not a known person' "an unknown person is quarantined"
like "$(reason "$WORK/signoffs.csv" 8)" '^signoff_level: is not one of handler, section_chief, leader_in_charge' "an unknown level is quarantined"
is "$(q "SELECT string_agg(signoff_level || '=' || person_code, ',' ORDER BY signed_at) FROM oversight.payment_signoff WHERE payment_code = 'V1'")" \
	"handler=P01,section_chief=P02,leader_in_charge=P03" "the three levels of V1 are stored"
out=$(load payment-signoffs --json -q "$WORK/signoffs.csv" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":4,"rows_quarantined":3' "sign-offs: a reload changes nothing"
printf 'voucher_no,sign-off level,signed by,signed at\nV2,section chief,P02,2024-04-02T10:00:00+08:00\n' >"$WORK/signoffs-en.csv"
out=$(load payment-signoffs --json -q "$WORK/signoffs-en.csv" 2>/dev/null)
like "$out" '"rows_read":1,"rows_loaded":1,' "sign-offs: English headers load too"

# Bid tenderers, Chinese headers: by code, by name (a variant of a stored name), a new name (a party is created).
cat >"$WORK/tenderers.csv" <<'CSV'
采购项目编号,投标编号,投标人,统一社会信用代码
ZB-1,B1,杭州文汇办公用品有限公司,91330100MA2H0001XA
ZB-1,B2,西湖印务（有限）,
ZB-1,B2,新联合体成员有限责任公司,
ZB-1,B9,某公司,
ZB-9,B1,另一家公司,
CSV
parties_before=$(q "SELECT count(*) FROM oversight.party")
out=$(load bid-tenderers --json -q "$WORK/tenderers.csv" 2>/dev/null)
is "$?" 4 "tenderers: committed with quarantined rows"
like "$out" '"rows_read":5,"rows_loaded":3,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":2' "tenderers: 3 loaded, 2 quarantined"
like "$out" '"parties_created":1' "one party created: the new consortium member"
is "$(q "SELECT count(*) FROM oversight.party")" "$((parties_before + 1))" "no party for the names of quarantined rows"
is "$(q "SELECT string_agg(bid_id || '=' || party_code, ',' ORDER BY bid_id, party_code) FROM oversight.bid_tenderer WHERE ocid = 'ZB-1'")" \
	"B1=91330100MA2H0001XA,B2=91330100MA2H0002XB,B2=name:新联合体成员有限公司" "by code, by a variant of a stored name, and a created party"
is "$(q "SELECT name FROM oversight.party WHERE party_code = 'name:新联合体成员有限公司'")" "新联合体成员有限责任公司" "the created party keeps the name as written"
like "$(reason "$WORK/tenderers.csv" 5)" '^bid_id: "B9" names a bid its process does not have' "an unknown bid is quarantined"
like "$(reason "$WORK/tenderers.csv" 6)" '^ocid: "ZB-9" is not a known procurement_process' "an unknown process is quarantined"
out=$(load bid-tenderers --json -q "$WORK/tenderers.csv" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":3,"rows_quarantined":2' "tenderers: a reload changes nothing"
like "$out" '"parties_created":0' "and creates no party again"
printf 'project no,bid no,tenderer\nZB-2,B1,XIHU PRINTING LTD\n' >"$WORK/tenderers-en.csv"
out=$(load bid-tenderers --json -q "$WORK/tenderers-en.csv" 2>/dev/null)
like "$out" '"rows_read":1,"rows_loaded":1,' "tenderers: English headers load too"

# Award suppliers, Chinese then English headers.
printf '采购项目编号,中标编号,中标供应商,统一社会信用代码\nZB-1,A1,杭州文汇办公用品有限责任公司,\nZB-1,A7,西湖印务有限公司,\n' >"$WORK/suppliers.csv"
out=$(load award-suppliers --json -q "$WORK/suppliers.csv" 2>/dev/null)
like "$out" '"rows_read":2,"rows_loaded":1,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":1' "suppliers: 1 loaded, 1 quarantined"
is "$(q "SELECT party_code FROM oversight.award_supplier WHERE ocid = 'ZB-1' AND award_id = 'A1'")" 91330100MA2H0001XA "a supplier found by a variant of its name"
like "$(reason "$WORK/suppliers.csv" 3)" '^award_id: "A7" names an award its process does not have' "an unknown award is quarantined"
out=$(load award-suppliers --json -q "$WORK/suppliers.csv" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":1,"rows_quarantined":1' "suppliers: a reload changes nothing"
printf 'project no,award no,supplier code\nZB-2,A1,91330100MA2H0002XB\n' >"$WORK/suppliers-en.csv"
out=$(load award-suppliers --json -q "$WORK/suppliers-en.csv" 2>/dev/null)
like "$out" '"rows_read":1,"rows_loaded":1,' "suppliers: English headers load too"

# Discretion bands: the administrators' table. A loader login is told so before anything is read.
new_role LOADER_ROLE loader oversight_loader
new_role ADMIN_ROLE admin oversight_admin oversight_loader
cat >"$WORK/bands.csv" <<'CSV'
违法行为编码,执行日期,罚款下限,罚款上限,法律依据,裁量基准文件
FIN-001,2024-01-01,"1,000","10,000",会计法第四十二条,财政行政处罚裁量基准（2024）
FIN-002,2024-01-01,500,20000,预算法第九十三条,财政行政处罚裁量基准（2024）
FIN-003,2024-01-01,"5,000",999.99,政府采购法第七十一条,财政行政处罚裁量基准（2024）
CSV
out=$("$LOADER" --dsn "dbname=$DB user=$LOADER_ROLE" discretion-bands -q "$WORK/bands.csv" 2>&1)
is "$?" 5 "discretion bands as a loader login: exit 5"
like "$out" "oversight.discretion_band is written by members of oversight_admin only, and $LOADER_ROLE is not one" "the message names the role that may write it"
like "$out" 'nothing was read or written' "and says nothing was written"
is "$(q "SELECT count(*) FROM oversight.load WHERE record_kind = 'discretion-bands'")" 0 "no ledger row"
out=$("$LOADER" --dsn "dbname=$DB user=$ADMIN_ROLE" discretion-bands --json -q "$WORK/bands.csv" 2>/dev/null)
like "$out" '"rows_read":3,"rows_loaded":2,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":1' "as an administrator: 2 loaded, 1 quarantined"
like "$(reason "$WORK/bands.csv" 4)" '^max_fine: is below min_fine \(5000\)' "a band whose maximum is below its minimum is quarantined (compared as numbers)"
is "$(q "SELECT min_fine || '-' || max_fine || ' ' || currency FROM oversight.discretion_band WHERE violation_code = 'FIN-001'")" "1000-10000 CNY" "the band is stored, currency from the database's default"
out=$("$LOADER" --dsn "dbname=$DB user=$ADMIN_ROLE" discretion-bands --json -q "$WORK/bands.csv" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":2,"rows_quarantined":1' "bands: a reload changes nothing"
printf 'violation code,effective from,min fine,max fine,currency\nFIN-004,2025-01-01,100,200,cny\n' >"$WORK/bands-en.csv"
out=$("$LOADER" --dsn "dbname=$DB user=$ADMIN_ROLE" discretion-bands --json -q "$WORK/bands-en.csv" 2>/dev/null)
like "$out" '"rows_read":1,"rows_loaded":1,' "bands: English headers load too"

# The subcommands document themselves.
out=$("$LOADER" fields discretion-bands)
like "$out" 'discretion-bands → oversight.discretion_band \(key: violation_code, valid_from\); written by members of oversight_admin' "fields names the table, its key and who writes it"
like "$out" 'headers: 违法行为编码 \| 违法行为代码 \| 违法行为编号 \| violation code \| violation' "and the Chinese and English headers it accepts"
like "$("$LOADER" fields bid-tenderers)" 'by_name:投标人' "tenderers: the shipped mapping finds parties by name"
out=$("$LOADER" --help)
for k in payment-signoffs bid-tenderers award-suppliers discretion-bands check-mapping 'const:CNY' 'default:paid' 'year:' 'by_name:' 'date_order = dmy' 'key        ='; do
	like "$out" "$k" "--help shows $k"
done
done_testing
