#!/usr/bin/env bash
# U+FEFF inside a file (a second export's byte-order mark after `cat`) never makes a look-alike key: around a
# value it is dropped (D-BOM-1<U+FEFF> is D-BOM-1, then a duplicate), inside one it is refused with the reason.
source "$(dirname "$0")/lib.sh"
new_database bom
write_units "$WORK/units.csv"
load org-units -q "$WORK/units.csv" >/dev/null 2>&1
is "$?" 0 "org units load with exit 0"
reason() { q "SELECT coalesce(field, '-') || ': ' || reason FROM oversight.quarantine WHERE file_name = '$1' AND line_no = $2"; }

# U+FEFF inside a file (a second file's byte-order mark) never makes a look-alike key.
{
	printf 'payment_code,payer_unit_code,payee_name,amount,payment_method,paid_on,purpose\n'
	printf 'D-BOM-1,EDU01,x,10,transfer,2024-03-05,first\n'                    # 2 good
	printf 'D-BOM-1\xef\xbb\xbf,EDU01,x,10,transfer,2024-03-05,trailing\n'     # 3 the same key: a duplicate
	printf '\xef\xbb\xbfD-BOM-2,EDU01,x,10,transfer,2024-03-05,second file\n'  # 4 good, the mark dropped
	printf 'D-\xef\xbb\xbfBOM-3,EDU01,x,10,transfer,2024-03-05,inside\n'       # 5 inside a key: refused
} >"$WORK/bom.csv"
f="$WORK/bom.csv"
out=$(load payments "$f" 2>&1)
is "$?" 4 "CSV with U+FEFF inside: exit 4"
like "$out" '4 rows read: 2 loaded, 0 updated, 0 unchanged, 2 quarantined' "summary balances"
is "$(q "SELECT string_agg(payment_code || '=' || octet_length(payment_code), ',' ORDER BY payment_code) FROM oversight.payment WHERE payment_code LIKE 'D-%'")" \
	"D-BOM-1=7,D-BOM-2=7" "U+FEFF around a key is dropped: no look-alike key"
like "$(reason "$f" 3)" '^payment_code: "D-BOM-1" appears again: duplicate payment_code within the file \(first at line 2' "D-BOM-1<U+FEFF> is the same key: a duplicate"
like "$(reason "$f" 5)" '^payment_code: holds U\+FEFF \(zero-width no-break space' "U+FEFF inside a key: quarantined with the reason"
out=$(load payments --json -q "$f" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":2,"rows_quarantined":2' "loading it again changes nothing"

done_testing
