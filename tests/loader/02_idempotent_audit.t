#!/usr/bin/env bash
# Idempotency and corrections: loading the same file twice changes nothing the second time (all rows
# unchanged, no audit entries); a corrected row updates its record, counted as updated and audited in
# oversight.audit_log with the load named as the reason.
source "$(dirname "$0")/lib.sh"
new_database idempotent
write_units "$WORK/units.csv"
load org-units -q "$WORK/units.csv" >/dev/null 2>&1
cat >"$WORK/pay.csv" <<'CSV'
voucher_no,payer_unit,payee,amount,method,payment date,invoice,expense type
V1,EDU01,Office Depot,"1,200.00",transfer,2024-04-01,INV-1,office
V2,EDU01,Grand Hotel,30000,official card,2024-04-02,INV-2,hospitality
V3,HLT02,City Printing,8000,cash,2024-04-03,INV-3,printing
CSV
out=$(load payments --json -q "$WORK/pay.csv" 2>/dev/null)
is "$?" 0 "first load exits 0"
like "$out" '"rows_read":3,"rows_loaded":3,"rows_updated":0,"rows_unchanged":0' "first load inserts 3"
first=$(digest)
audit_before=$(q "SELECT count(*) FROM oversight.audit_log")

out=$(load payments --json -q "$WORK/pay.csv" 2>/dev/null)
is "$?" 0 "second load exits 0"
like "$out" '"rows_read":3,"rows_loaded":0,"rows_updated":0,"rows_unchanged":3' "second load: all unchanged"
is "$(digest)" "$first" "second load leaves the records identical"
is "$(q "SELECT count(*) FROM oversight.audit_log")" "$audit_before" "no audit entry for unchanged rows"
is "$(q "SELECT count(*) FROM oversight.load WHERE status = 'committed' AND record_kind = 'payments'")" 2 "both loads are in the ledger"
is "$(q "SELECT count(DISTINCT file_sha256) FROM oversight.load WHERE record_kind = 'payments'")" 1 "with the same SHA-256"

# Correction: V3 was cash for 8000; the corrected export (the same file, pay.csv) says transfer for 8,500. A
# corrected rerun of the file that wrote the record is a correction: no --correction needed.
load_of_v3=$(q "SELECT load_id FROM oversight.payment WHERE payment_code = 'V3'")
sed -i 's/^V3,HLT02,City Printing,8000,cash/V3,HLT02,City Printing,"8,500",transfer/' "$WORK/pay.csv"
out=$(load payments --json -q "$WORK/pay.csv" 2>/dev/null)
is "$?" 0 "the same file corrected: exit 0"
like "$out" '"rows_read":3,"rows_loaded":0,"rows_updated":1,"rows_unchanged":2,"rows_quarantined":0' "the corrected row of the same file counts as updated"
is "$(q "SELECT amount || ' ' || payment_method FROM oversight.payment WHERE payment_code = 'V3'")" "8500 transfer" "record corrected"
is "$(q "SELECT p.load_id = l.load_id FROM oversight.payment p, oversight.load l WHERE p.payment_code = 'V3' AND l.load_id = (SELECT max(load_id) FROM oversight.load)")" t \
	"the corrected record names the load that changed it"
is "$(q "SELECT count(*) FROM oversight.payment WHERE payment_code IN ('V1', 'V2') AND load_id = $load_of_v3")" 2 "the unchanged ones keep the load that wrote them"
is "$(q "SELECT count(*) FROM oversight.audit_log WHERE action = 'update' AND table_name = 'oversight.payment' AND object_key = '{\"payment_code\": \"V3\"}'")" 1 "the correction is audited"
like "$(q "SELECT (old_row->>'amount') || ' -> ' || (new_row->>'amount') || ' | ' || reason FROM oversight.audit_log WHERE action = 'update' AND table_name = 'oversight.payment'")" \
	'^8000 -> 8500 \| oversight-load: load [0-9]+ of .*pay.csv \(payments\)$' "audit entry keeps old and new values and names the load"

# Another file under the same key with other facts: two sources numbering their payments the same way more
# likely than a correction. Quarantined as a suspected key collision, both versions shown, nothing changes.
sed 's/^V3,HLT02,City Printing,"8,500",transfer,2024-04-03/V3,HLT02,Riverside Catering,640,transfer,2024-04-05/' "$WORK/pay.csv" >"$WORK/other-source.csv"
out=$(load payments --json -q "$WORK/other-source.csv" 2>/dev/null)
is "$?" 4 "another file changing a stored payment's payee, amount and date: exit 4"
like "$out" '"rows_read":3,"rows_loaded":0,"rows_updated":0,"rows_unchanged":2,"rows_quarantined":1' "it is quarantined"
like "$(q "SELECT field || ': ' || reason FROM oversight.quarantine ORDER BY load_id DESC LIMIT 1")" \
	'^payment_code: suspected key collision: payment_code "V3" is stored as \(payee_name City Printing, amount 8500(\.00)?, paid_on 2024-04-03\) and this row has \(payee_name Riverside Catering, amount 640, paid_on 2024-04-05\).*--correction' \
	"the reason shows the stored and the incoming version"
like "$(q "SELECT reason FROM oversight.quarantine ORDER BY load_id DESC LIMIT 1")" \
	"\\(payee_name Riverside Catering, amount 640, paid_on 2024-04-05\\); the stored one was written by load $(q "SELECT load_id FROM oversight.payment WHERE payment_code = 'V3'") of $WORK/pay.csv\\. If it is another record" \
	"and which load of which file wrote the stored one"
is "$(q "SELECT payee_name || ' ' || amount FROM oversight.payment WHERE payment_code = 'V3'")" "City Printing 8500" "the stored payment is left as it was"
# A file of the same name in another directory is the same file (compared by base name).
mkdir -p "$WORK/elsewhere" && sed 's/^V3,HLT02,City Printing,"8,500",transfer/V3,HLT02,City Printing,"8,400",transfer/' "$WORK/pay.csv" >"$WORK/elsewhere/pay.csv"
out=$(load payments --json -q --reject-dir "$WORK" "$WORK/elsewhere/pay.csv" 2>/dev/null)
like "$out" '"rows_updated":1,"rows_unchanged":2,"rows_quarantined":0' "pay.csv from another directory corrects its own record"
# A record nobody loaded (NULL load_id: written by someone else) counts as another source's.
q "UPDATE oversight.payment SET load_id = NULL WHERE payment_code = 'V3'" >/dev/null
out=$(load payments --json -q "$WORK/pay.csv" 2>/dev/null)
like "$out" '"rows_updated":0,"rows_unchanged":2,"rows_quarantined":1' "a record not written by oversight-load is not corrected without --correction"
like "$(q "SELECT reason FROM oversight.quarantine ORDER BY load_id DESC LIMIT 1")" '; the stored one was not written by oversight-load\. If it is another record' "the reason says so"
# --correction: the file corrects the stored record, whoever wrote it.
out=$(load payments --correction --json -q "$WORK/other-source.csv" 2>/dev/null)
like "$out" '"rows_read":3,"rows_loaded":0,"rows_updated":1,"rows_unchanged":2' "with --correction the other file's row counts as updated"
is "$(q "SELECT payee_name || ' ' || amount || ' ' || paid_on FROM oversight.payment WHERE payment_code = 'V3'")" "Riverside Catering 640 2024-04-05" "record corrected"
like "$(q "SELECT reason FROM oversight.audit_log WHERE action = 'update' AND table_name = 'oversight.payment' ORDER BY audit_id DESC LIMIT 1")" \
	'^oversight-load: load [0-9]+ of .*other-source.csv \(payments, --correction\)$' "the audit reason names the load and --correction"
is "$(q "SELECT problem IS NULL FROM oversight.verify_audit_chain()")" t "audit chain intact"
# Back to pay.csv's version, as its own correction now needs --correction (other-source.csv wrote it last).
out=$(load payments --correction --json -q "$WORK/pay.csv" 2>/dev/null)
like "$out" '"rows_updated":1,' "pay.csv restored with --correction"

# A file without some optional column does not wipe it: invoice numbers stay.
cat >"$WORK/pay-no-invoice.csv" <<'CSV'
voucher_no,payer_unit,payee,amount,method,payment date,expense type
V1,EDU01,Office Depot,1200.00,transfer,2024-04-01,office
V2,EDU01,Grand Hotel,30000,official card,2024-04-02,hospitality
V3,HLT02,City Printing,"8,500",transfer,2024-04-03,printing
CSV
out=$(load payments --json -q "$WORK/pay-no-invoice.csv" 2>/dev/null)
like "$out" '"rows_unchanged":3' "a narrower export of the same rows changes nothing"
is "$(q "SELECT count(invoice_no) FROM oversight.payment")" 3 "columns absent from the file are left as they are"
done_testing
