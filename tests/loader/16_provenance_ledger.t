#!/usr/bin/env bash
# Issue 11, 0.4.0: every record a load inserts or changes names the load (load_id), an unchanged one keeps its
# own; the ledger records the SHA-256 of the mapping file used and the canonical fields the load provided
# (CSV: from a column, a constant, a default or a derivation; OCDS: fields with a value in the merged rows);
# refunds and credit notes keep their own records, reference their payment, and are collisions of their own;
# other kinds still refuse negative amounts and say where refunds go.
source "$(dirname "$0")/lib.sh"
new_database provenance
write_units "$WORK/units.csv"
load org-units -q "$WORK/units.csv" >/dev/null 2>&1 || { echo "Bail out! cannot load the units"; exit 1; }
last_load() { q "SELECT max(load_id) FROM oversight.load"; }

# The shipped mapping counts too: its SHA-256 is the one of loader/mappings/payments.map.
cat >"$WORK/pay.csv" <<'CSV'
支付凭证号,付款单位编码,收款人,金额,支付方式,支付日期,支付类型,原支付单号
P1,EDU01,杭州文汇办公用品有限公司,"1,000.00",转账,2024-04-01,,
P2,EDU01,西湖印务有限公司,500,转账,2024-04-02,,
R1,EDU01,杭州文汇办公用品有限公司,-200,转账,2024-04-10,,P1
C1,EDU01,西湖印务有限公司,500,转账,2024-04-11,冲红,P2
R2,EDU01,西湖印务有限公司,-50,转账,2024-04-12,退款,P9
R3,EDU01,西湖印务有限公司,-20,转账,2024-04-12,,R2
CSV
out=$(load payments --json -q --reject-dir "$WORK" "$WORK/pay.csv" 2>/dev/null)
is "$?" 4 "payments with refunds and credit notes: exit 4 (one names an unknown payment)"
like "$out" '"rows_read":6,"rows_loaded":4,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":2' "6 read: 4 loaded, 2 quarantined"
first=$(last_load)
like "$out" "\"mapping_sha256\":\"$(sha256sum "$OVERSIGHT_ROOT/loader/mappings/payments.map" | cut -d' ' -f1)\"" "--json shows the SHA-256 of the shipped mapping file"
is "$(q "SELECT mapping_sha256 FROM oversight.load WHERE load_id = $first")" "$(sha256sum "$OVERSIGHT_ROOT/loader/mappings/payments.map" | cut -d' ' -f1)" \
	"the ledger's mapping_sha256 is sha256sum of the mapping file"
is "$(q "SELECT string_agg(payment_code || ' ' || payment_kind || ' ' || amount || ' ' || coalesce(refund_of, '-'), ', ' ORDER BY payment_code) FROM oversight.payment")" \
	"C1 credit_note 500 P2, P1 payment 1000.00 -, P2 payment 500 -, R1 refund 200 P1" \
	"-200 is a refund of 200 (of P1, same file); 冲红 with 500 a credit note of P2"
reason() { q "SELECT coalesce(field, '-') || ': ' || reason FROM oversight.quarantine WHERE load_id = $first AND line_no = $1"; }
like "$(reason 6)" '^refund_of: "P9" is not a known payment \(load it first: oversight-load payments\)' "an unknown payment reversed is quarantined"
like "$(reason 7)" '^refund_of: "R2" is not a known payment' "a refund of a row that was itself refused is quarantined too"
like "$(cat "$WORK/pay.csv.rejects.csv")" 'R2,EDU01,西湖印务有限公司,.?-50,transfer,2024-04-12,refund,P9,6,refund_of' "the reject file writes a refused refund's amount negative again"
is "$(q "SELECT count(*) FROM oversight.payment WHERE load_id = $first")" 4 "every record inserted names the load"
is "$(q "SELECT array_to_string(fields_provided, ',') FROM oversight.load WHERE load_id = $first")" \
	"payment.payment_code,payment.payer_unit_code,payment.payee_name,payment.amount,payment.payment_method,payment.paid_on,payment.payment_kind,payment.refund_of" \
	"fields_provided: the fields of the header, and payment_kind"
like "$out" '"fields_provided":\["payment.payment_code",' "--json shows fields_provided"

# A rerun changes nothing and keeps the records' load; a corrected row takes the correcting load's number.
out=$(load payments --json -q --reject-dir "$WORK" "$WORK/pay.csv" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":4,"rows_quarantined":2' "the rerun: 4 unchanged"
is "$(q "SELECT count(*) FROM oversight.payment WHERE load_id = $first")" 4 "unchanged records keep the load that wrote them"
sed -i 's/^P2,EDU01,西湖印务有限公司,500,转账,2024-04-02/P2,EDU01,西湖印务有限公司,500,转账,2024-04-03/' "$WORK/pay.csv"
out=$(load payments --json -q --reject-dir "$WORK" "$WORK/pay.csv" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":1,"rows_unchanged":3,' "the same file corrected: 1 updated, no --correction"
is "$(q "SELECT load_id FROM oversight.payment WHERE payment_code = 'P2'")" "$(last_load)" "the corrected record names the correcting load"

# A refund has a code of its own: under a stored payment's code, from another file, it is a collision even with
# the same payee, amount and date, and its kind is shown.
printf 'payment_code,payer_unit_code,payee_name,amount,payment_method,paid_on\nP1,EDU01,杭州文汇办公用品有限公司,-1000,transfer,2024-04-01\n' >"$WORK/other.csv"
out=$(load payments --json -q "$WORK/other.csv" 2>/dev/null)
like "$out" '"rows_updated":0,"rows_unchanged":0,"rows_quarantined":1' "a refund under a stored payment's code, from another file: quarantined"
like "$(q "SELECT reason FROM oversight.quarantine WHERE file_name = '$WORK/other.csv'")" \
	'^suspected key collision: payment_code "P1" is stored as \(payee_name 杭州文汇办公用品有限公司, amount 1000.00, paid_on 2024-04-01, payment_kind payment\) and this row has \(payee_name 杭州文汇办公用品有限公司, amount 1000, paid_on 2024-04-01, payment_kind refund\)' \
	"the reason shows the two directions"

# fields_provided lists what the file gave, not what it lacks: a mapping of one's own, without paid_on.
printf '[columns]\npayment_code = 单号\npayer_unit_code = 单位\npayee_name = 收款人\namount = 金额\npayment_method = const:transfer\nstatus = default:approved\n' >"$WORK/no-date.map"
printf '单号,单位,收款人,金额\nA1,EDU01,之江会议服务有限公司,300\n' >"$WORK/approved.csv"
out=$(load payments --mapping "$WORK/no-date.map" --json -q "$WORK/approved.csv" 2>/dev/null)
is "$?" 0 "approved payments without a payment date load"
is "$(q "SELECT mapping_sha256 FROM oversight.load WHERE load_id = $(last_load)")" "$(sha256sum "$WORK/no-date.map" | cut -d' ' -f1)" "mapping_sha256 of a mapping file of one's own"
is "$(q "SELECT array_to_string(fields_provided, ',') FROM oversight.load WHERE load_id = $(last_load)")" \
	"payment.payment_code,payment.payer_unit_code,payment.payee_name,payment.amount,payment.payment_method,payment.status,payment.payment_kind" \
	"const: and default: count as provided"
is "$(q "SELECT 'payment.paid_on' = ANY (fields_provided) FROM oversight.load WHERE load_id = $(last_load)")" f "a file without paid_on does not provide payment.paid_on"
is "$(q "SELECT 'payment.paid_on' = ANY (fields_provided) FROM oversight.load WHERE load_id = $first")" t "one with it does"
"$LOADER" check-mapping payments --mapping "$WORK/no-date.map" "$WORK/approved.csv" >"$WORK/check.out"
like "$(cat "$WORK/check.out")" 'fields provided: payment.payment_code, payment.payer_unit_code, payment.payee_name, payment.amount, payment.payment_method, payment.status, payment.payment_kind' \
	"check-mapping says what the ledger would record"
like "$(cat "$WORK/check.out")" "mapping sha256: $(sha256sum "$WORK/no-date.map" | cut -d' ' -f1)" "and the mapping's SHA-256"
# A kind no rule watches is named by its table; it records no provenance.
is "$(q "SELECT array_to_string(fields_provided, ',') FROM oversight.load WHERE record_kind = 'org-units'")" \
	"org_unit.unit_code,org_unit.name_zh,org_unit.unit_kind,org_unit.parent_code" "org-units: org_unit.FIELD"

# Other kinds refuse negative amounts, and say where refunds go.
printf 'allocation_code,recipient_name,amount,purpose,allocated_on\nA-1,市第一中学,-500,退回,2024-04-01\nA-2,市第一中学,500,教学,2024-04-01\n' >"$WORK/alloc.csv"
out=$(load allocations --json -q "$WORK/alloc.csv" 2>/dev/null)
like "$out" '"rows_loaded":1,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":1' "a negative allocation is quarantined, the other loads"
is "$(q "SELECT field || ': ' || reason FROM oversight.quarantine WHERE file_name = '$WORK/alloc.csv'")" \
	"amount: is negative (-500): only payments can be refunds or credit notes (oversight-load payments stores a negative amount as a refund, or as a credit note when payment_kind says so); amount of fund_allocation cannot be negative" \
	"the reason says only payments can be refunds or credit notes, and how to load one"
is "$(q "SELECT load_id FROM oversight.fund_allocation WHERE allocation_code = 'A-2'")" "$(last_load)" "an allocation names its load too"

# OCDS: no mapping file (mapping_sha256 NULL); fields_provided per table from the rows merged; the process, its
# bids and contracts name the load; a reload keeps their load.
cat >"$WORK/no-period.jsonl" <<'JSONL'
{"ocid":"ocds-prov-1","id":"1","date":"2024-01-10T00:00:00Z","tag":["compiled"],"buyer":{"id":"B1","name":"City Hospital"},"tender":{"title":"Beds","procurementMethod":"open","value":{"amount":120000,"currency":"CNY"}},"bids":{"details":[{"id":"bid-1","status":"valid","value":{"amount":119000,"currency":"CNY"},"tenderers":[{"id":"S1","name":"Bed Co"}]}]},"awards":[{"id":"a1","status":"active","suppliers":[{"id":"S1","name":"Bed Co"}]}],"contracts":[{"id":"c1","awardID":"a1","value":{"amount":119000,"currency":"CNY"}}]}
{"ocid":"ocds-prov-2","id":"1","date":"2024-01-11T00:00:00Z","tender":{"title":"Paper","procurementMethod":"limited"}}
JSONL
out=$(load ocds --json -q "$WORK/no-period.jsonl" 2>/dev/null)
is "$?" 0 "OCDS without tender periods: exit 0"
like "$out" '"mapping_sha256":null' "--json: no mapping file, no SHA-256"
ocds_load=$(last_load)
is "$(q "SELECT mapping_sha256 IS NULL FROM oversight.load WHERE load_id = $ocds_load")" t "the ledger's mapping_sha256 is NULL for OCDS"
is "$(q "SELECT 'procurement.tender_period_start' = ANY (fields_provided) OR 'procurement.tender_period_end' = ANY (fields_provided) FROM oversight.load WHERE load_id = $ocds_load")" f \
	"releases without a tender period provide no procurement.tender_period_start"
fields=$(q "SELECT array_to_string(fields_provided, ',') FROM oversight.load WHERE load_id = $ocds_load")
like "$fields" '(^|,)procurement.ocid,.*procurement.procurement_method,.*procurement.estimated_value,' "the procurement fields the releases fill"
like "$fields" '(^|,)bid.amount,' "bid.amount (a bid has one)"
like "$fields" '(^|,)contract.amount,' "contract.amount"
ok "$(printf '%s' "$fields" | grep -qE '(^|,)(procurement.title|bid.source_document|contract.signed_on)(,|$)'; [ $? -ne 0 ]; echo $?)" \
	"no stored-only column, no document, no field without a value"
like "$fields" '(^|,)party.name,' "tables no rule watches by their own name (party.name)"
is "$(q "SELECT (SELECT count(*) FROM oversight.procurement_process WHERE load_id = $ocds_load) || ' ' || (SELECT count(*) FROM oversight.bid WHERE load_id = $ocds_load) || ' ' || (SELECT count(*) FROM oversight.contract WHERE load_id = $ocds_load)")" \
	"2 1 1" "the processes, the bid and the contract name the load"
cat >"$WORK/period.jsonl" <<'JSONL'
{"ocid":"ocds-prov-3","id":"1","date":"2024-02-10T00:00:00Z","tender":{"title":"Desks","procurementMethod":"open","tenderPeriod":{"startDate":"2024-02-10T09:00:00+08:00","endDate":"2024-03-05T09:00:00+08:00"}}}
JSONL
load ocds -q "$WORK/period.jsonl" >/dev/null 2>&1
is "$(q "SELECT 'procurement.tender_period_start' = ANY (fields_provided) FROM oversight.load WHERE load_id = $(last_load)")" t "releases with a tender period provide it"
out=$(load ocds --json -q "$WORK/no-period.jsonl" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":2,' "the OCDS reload changes nothing"
is "$(q "SELECT count(*) FROM oversight.procurement_process WHERE load_id = $ocds_load") $(q "SELECT count(*) FROM oversight.bid WHERE load_id = $ocds_load")" "2 1" \
	"and the records keep the load that wrote them"
done_testing
