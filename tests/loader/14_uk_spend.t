#!/usr/bin/env bash
# Issue 11, UK council "spend over £500" files (tests/loader/data/fylde): Windows-1252, day-first dates and month
# names, credit notes in brackets, the paying body and the suppliers by name, transaction numbers unique only
# within one council, councils with English names only. The encoding is never guessed; a key from another
# source never overwrites silently; refunds and credit notes are stored as the magnitude and their kind.
source "$(dirname "$0")/lib.sh"
new_database spend
U=$OVERSIGHT_ROOT/tests/loader/data/fylde
F=$U/fylde-spend-2024-04.csv

# The councils have English names only (0.4.0: a unit needs a Chinese or an English name, or both).
out=$(load org-units --json -q "$U/fylde-units.csv" 2>/dev/null)
is "$?" 0 "councils with an English name only load: exit 0"
like "$out" '"rows_read":2,"rows_loaded":2,' "both councils loaded"
is "$(q "SELECT string_agg(unit_code || ' ' || coalesce(name_zh, '(no Chinese name)') || ' | ' || name_en, ', ' ORDER BY unit_code) FROM oversight.org_unit")" \
	"BLACKPOOL (no Chinese name) | Blackpool Council, FYLDE (no Chinese name) | Fylde Borough Council" "stored without a Chinese name"
printf 'unit_code,name_zh,name_en,unit_kind\nLYTHAM,,Lytham St Annes Town Council,budget_unit\nNONAME,,,budget_unit\nWYRE,怀尔区议会,,budget_unit\n' >"$WORK/units.csv"
out=$(load org-units --json -q --reject-dir "$WORK" "$WORK/units.csv" 2>/dev/null)
is "$?" 4 "a unit with neither name: exit 4"
like "$out" '"rows_read":3,"rows_loaded":2,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":1' "English-only and Chinese-only units load, the nameless one is quarantined"
is "$(q "SELECT field || ': ' || reason FROM oversight.quarantine WHERE file_name = '$WORK/units.csv'")" \
	"name_zh: is empty, and so is name_en: an org unit needs a name, in Chinese (name_zh) or in English (name_en) or both" \
	"the reason names both columns"
printf 'unit_code,unit_kind\nX,budget_unit\n' >"$WORK/nameless.csv"
out=$(load org-units -q "$WORK/nameless.csv" 2>&1)
is "$?" 3 "a units file with no name column at all: exit 3"
like "$out" 'no column for required field\(s\) name_zh or name_en' "says which columns it needs"

# Not UTF-8, not plausibly Chinese: the load stops and asks (it once stored "Fylde Coast Women抯 Aid").
out=$(load payments --mapping "$U/fylde-spend.map" --currency GBP --reject-dir "$WORK" "$F" 2>&1)
is "$?" 3 "Windows-1252 without --encoding: exit 3"
like "$out" "cannot tell the file's encoding: it is not UTF-8 .* not plausibly Chinese. Name it: --encoding NAME, or encoding = NAME in the mapping file" "asks for --encoding instead of guessing"
is "$(q "SELECT count(*) FROM oversight.load WHERE record_kind = 'payments'")" 0 "nothing loaded, no ledger row"

out=$(load payments --mapping "$U/fylde-spend.map" --encoding windows-1252 --currency GBP --json -q --reject-dir "$WORK" "$F" 2>/dev/null)
is "$?" 0 "with --encoding windows-1252: exit 0 (the credit note loads)"
like "$out" '"encoding":"WINDOWS-1252","rows_read":5,"rows_loaded":5,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":0' "5 read: 5 loaded"
like "$out" '"parties_created":4' "4 suppliers created by name (ACME SPORTS LIMITED and Acme Sports Ltd. are one)"
is "$(q "SELECT string_agg(payment_code || ' | ' || payer_unit_code || ' | ' || payee_name || ' | ' || payee_party_code || ' | ' || amount || ' ' || currency || ' | ' || paid_on || ' | ' || expense_type || ' | ' || payment_kind, E'\n' ORDER BY payment_code) FROM oversight.payment")" \
	"FYLDE-100234 | FYLDE | Fylde Coast Women’s Aid | name:fyldecoastwomensaid | 1250.00 GBP | 2024-04-03 | grant | payment
FYLDE-100235 | FYLDE | Café Rouge Ltd | name:caférougeltd | 50.00 GBP | 2024-04-05 | refund | refund
FYLDE-100236 | FYLDE | ACME SPORTS LIMITED | name:acmesportsltd | 612.50 GBP | 2024-04-03 | equipment | payment
FYLDE-100237 | FYLDE | Acme Sports Ltd. | name:acmesportsltd | 2400.00 GBP | 2024-04-08 | equipment | payment
FYLDE-100238 | FYLDE | Lytham Surveyors | name:lythamsurveyors | 980.00 GBP | 2024-04-09 | consultancy | payment" \
	"Women’s decoded, £ read, 03-Apr-24 / 3 April 2024 / 08/04/2024 (dmy), the council by its English name (it has no Chinese one), GBP for the file; (50.00) a refund of 50.00"

# The encoding may live in the mapping file too; a reload changes nothing.
{ echo 'encoding = windows-1252'; cat "$U/fylde-spend.map"; } >"$WORK/fylde.map"
before=$(digest)
out=$(load payments --mapping "$WORK/fylde.map" --currency GBP --json -q --reject-dir "$WORK" "$F" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":5,"rows_quarantined":0' "encoding = windows-1252 in the mapping: the reload changes nothing"
is "$(digest)" "$before" "the database is identical"

# Day-first dates are never guessed: without date_order the numeric ones are refused, month names still read.
grep -v '^date_order' "$WORK/fylde.map" >"$WORK/no-order.map"
out=$(load payments --mapping "$WORK/no-order.map" --currency GBP --dry-run --json -q "$F" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":2,"rows_quarantined":3' "without date_order: 08/04/2024 and 09/04/2024 refused, 03-Apr-24 and 3 April 2024 read"
out=$(load payments --mapping "$WORK/no-order.map" --currency GBP --dry-run "$F" 2>&1)
like "$out" 'fylde-spend-2024-04.csv:5: field paid_on: "08/04/2024" is a day-month date in an order not declared .* declare date_order = dmy, mdy or ymd' "the refusal says to declare date_order"

# May's export says which rows are credit notes and which payment each reverses (Transaction Type, Original
# Transaction: a number of this council, scoped like the key). A credit note may reverse a payment of the same file.
M=$U/fylde-spend-2024-05.csv
out=$("$LOADER" check-mapping payments --mapping "$U/fylde-spend.map" --encoding windows-1252 "$M")
like "$out" 'payment_kind +column 8 "Transaction Type"; else the sign of amount: refund when negative \(the magnitude is stored\), else payment' "check-mapping: the kind from its column, else from the sign"
like "$out" "refund_of +built from 'FYLDE' \+ column 9 \"Original Transaction\", joined by -" "check-mapping: the payment reversed, scoped like the key"
out=$(load payments --mapping "$U/fylde-spend.map" --encoding windows-1252 --currency GBP --json -q "$M" 2>/dev/null)
is "$?" 0 "May: exit 0"
like "$out" '"rows_read":4,"rows_loaded":4,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":0' "4 read, 4 loaded"
is "$(q "SELECT string_agg(payment_code || ' ' || payment_kind || ' ' || amount || ' ' || coalesce(refund_of, '-'), E'\n' ORDER BY payment_code) FROM oversight.payment WHERE paid_on >= '2024-05-01'")" \
	"FYLDE-100301 payment 1100.00 -
FYLDE-100302 credit_note 300.00 FYLDE-100237
FYLDE-100303 refund 250.00 FYLDE-100234
FYLDE-100304 credit_note 75.00 FYLDE-100301" \
	"Invoice: a payment; (300.00) Credit Note: a credit note of 300.00; -250.00 without a type: a refund; 75.00 Credit Note: a credit note of a payment of the same file"
out=$(load payments --mapping "$U/fylde-spend.map" --encoding windows-1252 --currency GBP --json -q "$M" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":4,' "the reload changes nothing"

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
