#!/usr/bin/env bash
# Issue 11, UK council "spend over £500" files (tests/loader/data/fylde): Windows-1252, day-first dates and month
# names, credit notes in brackets, the paying body and the suppliers by name, transaction numbers unique only
# within one council. The encoding is never guessed; a key from another source never overwrites silently.
source "$(dirname "$0")/lib.sh"
new_database spend
U=$OVERSIGHT_ROOT/tests/loader/data/fylde
F=$U/fylde-spend-2024-04.csv
load org-units -q "$U/fylde-units.csv" >/dev/null 2>&1 || { echo "Bail out! cannot load the councils"; exit 1; }

# Not UTF-8, not plausibly Chinese: the load stops and asks (it once stored "Fylde Coast Women抯 Aid").
out=$(load payments --mapping "$U/fylde-spend.map" --currency GBP --reject-dir "$WORK" "$F" 2>&1)
is "$?" 3 "Windows-1252 without --encoding: exit 3"
like "$out" "cannot tell the file's encoding: it is not UTF-8 .* not plausibly Chinese. Name it: --encoding NAME, or encoding = NAME in the mapping file" "asks for --encoding instead of guessing"
is "$(q "SELECT count(*) FROM oversight.load WHERE record_kind = 'payments'")" 0 "nothing loaded, no ledger row"

out=$(load payments --mapping "$U/fylde-spend.map" --encoding windows-1252 --currency GBP --json -q --reject-dir "$WORK" "$F" 2>/dev/null)
is "$?" 4 "with --encoding windows-1252: exit 4 (the credit note)"
like "$out" '"encoding":"WINDOWS-1252","rows_read":5,"rows_loaded":4,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":1' "5 read: 4 loaded, 1 quarantined"
like "$out" '"parties_created":3' "3 suppliers created by name (ACME SPORTS LIMITED and Acme Sports Ltd. are one)"
is "$(q "SELECT string_agg(payment_code || ' | ' || payer_unit_code || ' | ' || payee_name || ' | ' || payee_party_code || ' | ' || amount || ' ' || currency || ' | ' || paid_on || ' | ' || expense_type, E'\n' ORDER BY payment_code) FROM oversight.payment")" \
	"FYLDE-100234 | FYLDE | Fylde Coast Women’s Aid | name:fyldecoastwomensaid | 1250.00 GBP | 2024-04-03 | grant
FYLDE-100236 | FYLDE | ACME SPORTS LIMITED | name:acmesportsltd | 612.50 GBP | 2024-04-03 | equipment
FYLDE-100237 | FYLDE | Acme Sports Ltd. | name:acmesportsltd | 2400.00 GBP | 2024-04-08 | equipment
FYLDE-100238 | FYLDE | Lytham Surveyors | name:lythamsurveyors | 980.00 GBP | 2024-04-09 | consultancy" \
	"Women’s decoded, £ read, 03-Apr-24 / 3 April 2024 / 08/04/2024 (dmy), the council by its English name, GBP for the file"
like "$(q "SELECT field || ': ' || reason FROM oversight.quarantine WHERE line_no = 3")" '^amount: refunds and credit notes are not yet stored: the amount is negative \(-50.00\)' "the credit note (50.00) is quarantined with the reason"
like "$(sed -n 2p "$WORK/fylde-spend-2024-04.csv.rejects.csv")" 'Café Rouge Ltd,3,amount,' "the reject file shows the credit note decoded"

# The encoding may live in the mapping file too; a reload changes nothing.
{ echo 'encoding = windows-1252'; cat "$U/fylde-spend.map"; } >"$WORK/fylde.map"
before=$(digest)
out=$(load payments --mapping "$WORK/fylde.map" --currency GBP --json -q --reject-dir "$WORK" "$F" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":4,"rows_quarantined":1' "encoding = windows-1252 in the mapping: the reload changes nothing"
is "$(digest)" "$before" "the database is identical"

# Day-first dates are never guessed: without date_order the numeric ones are refused, month names still read.
grep -v '^date_order' "$WORK/fylde.map" >"$WORK/no-order.map"
out=$(load payments --mapping "$WORK/no-order.map" --currency GBP --dry-run --json -q "$F" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":2,"rows_quarantined":3' "without date_order: 08/04/2024 and 09/04/2024 refused, 03-Apr-24 and 3 April 2024 read"
out=$(load payments --mapping "$WORK/no-order.map" --currency GBP --dry-run "$F" 2>&1)
like "$out" 'fylde-spend-2024-04.csv:5: field paid_on: "08/04/2024" is a day-month date in an order not declared .* declare date_order = dmy, mdy or ymd' "the refusal says to declare date_order"

# Another council numbers its transactions the same way: its own key prefix keeps both records.
B=$U/blackpool-spend-2024-04.csv
out=$(load payments --mapping "$U/blackpool-spend.map" --encoding windows-1252 --currency GBP --json -q "$B" 2>/dev/null)
like "$out" '"rows_read":1,"rows_loaded":1,' "Blackpool's 100234 loads as BLACKPOOL-100234"
is "$(q "SELECT count(*) FROM oversight.payment WHERE payment_code LIKE '%-100234'")" 2 "both councils' 100234 are kept"

# Loaded with Fylde's key by mistake, it would overwrite Fylde's record: quarantined as a suspected key collision.
out=$(load payments --mapping "$U/fylde-spend.map" --encoding windows-1252 --currency GBP --json -q --reject-dir "$WORK" "$B" 2>/dev/null)
is "$?" 4 "a colliding key: exit 4"
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":1' "the row is quarantined"
like "$(q "SELECT reason FROM oversight.quarantine q JOIN oversight.load l USING (load_id) WHERE l.file_name = '$B' ORDER BY load_id DESC LIMIT 1")" \
	'^suspected key collision: payment_code "FYLDE-100234" is stored as \(payee_name Fylde Coast Women’s Aid, amount 1250.00, paid_on 2024-04-03\) and this row has \(payee_name Blackpool Carers Centre, amount 7500.00, paid_on 2024-04-04\)' \
	"the reason shows both versions"
is "$(q "SELECT payee_name FROM oversight.payment WHERE payment_code = 'FYLDE-100234'")" "Fylde Coast Women’s Aid" "the stored record is untouched"
out=$(load payments --mapping "$U/fylde-spend.map" --encoding windows-1252 --currency GBP --correction --json -q "$B" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":1,' "--correction: the row corrects the stored record"
like "$(q "SELECT options::text FROM oversight.load ORDER BY load_id DESC LIMIT 1")" '"correction": true' "the ledger records --correction"
done_testing
