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

# Correction: V3 was cash for 8000; the corrected export says transfer for 8,500. A changed amount (payee, date)
# of a stored payment may as well be another payment under the same number: without --correction it is
# quarantined as a suspected key collision, both versions shown, and nothing changes.
sed -i 's/^V3,HLT02,City Printing,8000,cash/V3,HLT02,City Printing,"8,500",transfer/' "$WORK/pay.csv"
out=$(load payments --json -q "$WORK/pay.csv" 2>/dev/null)
like "$out" '"rows_read":3,"rows_loaded":0,"rows_updated":0,"rows_unchanged":2,"rows_quarantined":1' "a changed amount without --correction is quarantined"
like "$(q "SELECT field || ': ' || reason FROM oversight.quarantine ORDER BY load_id DESC LIMIT 1")" \
	'^payment_code: suspected key collision: payment_code "V3" is stored as \(payee_name City Printing, amount 8000(\.00)?, paid_on 2024-04-03\) and this row has \(payee_name City Printing, amount 8500, paid_on 2024-04-03\).*--correction' \
	"the reason shows the stored and the incoming version"
is "$(q "SELECT amount || ' ' || payment_method FROM oversight.payment WHERE payment_code = 'V3'")" "8000 cash" "the stored payment is left as it was"
out=$(load payments --correction --json -q "$WORK/pay.csv" 2>/dev/null)
like "$out" '"rows_read":3,"rows_loaded":0,"rows_updated":1,"rows_unchanged":2' "with --correction the corrected row counts as updated"
is "$(q "SELECT amount || ' ' || payment_method FROM oversight.payment WHERE payment_code = 'V3'")" "8500 transfer" "record corrected"
is "$(q "SELECT count(*) FROM oversight.audit_log WHERE action = 'update' AND table_name = 'oversight.payment' AND object_key = '{\"payment_code\": \"V3\"}'")" 1 "the correction is audited"
like "$(q "SELECT (old_row->>'amount') || ' -> ' || (new_row->>'amount') || ' | ' || reason FROM oversight.audit_log WHERE action = 'update' AND table_name = 'oversight.payment'")" \
	'^8000 -> 8500 \| oversight-load: load [0-9]+ of .*pay.csv \(payments, --correction\)$' "audit entry keeps old and new values and names the load and --correction"
is "$(q "SELECT problem IS NULL FROM oversight.verify_audit_chain()")" t "audit chain intact"

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
