#!/usr/bin/env bash
# The bundled demo inputs (demo/data) load in order through every CSV kind used there and OCDS: their
# malformed rows, and only those, are quarantined; every kind reloads unchanged (calendar years and
# assignments included, whose triggers refuse naive re-inserts).
source "$(dirname "$0")/lib.sh"
new_database demo
D=$OVERSIGHT_ROOT/demo/data
run() { load "$1" --json -q --no-progress --reject-dir "$WORK" "$D/$2" 2>/dev/null; }
expect() { # KIND FILE READ QUARANTINED
	local out
	out=$(run "$1" "$2")
	like "$out" "\"rows_read\":$3,.*\"rows_quarantined\":$4," "$2: $3 read, $4 quarantined"
}
expect org-units org-units.csv 7 0
expect people people.csv 7 0
expect assignments assignments.csv 8 0
expect parties parties.csv 6 0
expect budget-projects budget-projects.csv 3 0
expect calendar calendar-2027.csv 5 0
expect payments payments-2024Q1.csv 134 4
expect payments payments-2024Q2-gb18030.csv 105 2
expect ocds procurement-ocds.jsonl 6 2
is "$(q "SELECT file_encoding FROM oversight.load WHERE file_name LIKE '%gb18030.csv'")" GB18030 "the GB18030 export is detected as such"
is "$(q "SELECT count(*) FROM oversight.payment WHERE payment_method = 'cash' AND payment_code IN ('ZF2024Q1-9002', 'ZF2024Q1-9003', 'ZF2024Q2-9001')")" 3 \
	"the cash payments of official-card expense types are there for the rules (现金 mapped to cash)"
like "$(q "SELECT count(*) FROM oversight.payment WHERE payment_code LIKE 'ZF2024Q1-95%'")" '^5$' "the split purchase rows are there for the rules"
is "$(q "SELECT amount || ' ' || payment_kind FROM oversight.payment WHERE payment_code = 'ZF2024Q1-9904'")" "4000.00 refund" \
	"the negative amount (-4,000.00) is a refund of 4,000 (0.4.0), no longer quarantined"
is "$(q "SELECT number_of_tenderers FROM oversight.procurement_process WHERE ocid = 'ocds-demo-2024-0002'")" 1 "the single-bid process is there"
before=$(digest)
changed=0
for k in org-units:org-units.csv people:people.csv assignments:assignments.csv parties:parties.csv budget-projects:budget-projects.csv \
	calendar:calendar-2027.csv payments:payments-2024Q1.csv payments:payments-2024Q2-gb18030.csv ocds:procurement-ocds.jsonl; do
	run "${k%%:*}" "${k#*:}" | grep -q '"rows_loaded":0,"rows_updated":0,' || { changed=$((changed + 1)); diag "$k changed on reload"; }
done
is "$changed" 0 "every demo file reloads with nothing loaded or updated"
is "$(digest)" "$before" "and the database is identical"
done_testing
