#!/usr/bin/env bash
# A NUL byte, bytes that are not UTF-8 or "\u0000" in a string quarantine their own line, row or release (the
# raw text written \xNN, which PostgreSQL can store) while the rest of the file loads; "\u000012345" never
# becomes the amount 12345, "\u0000ABC" never the id ABC.
source "$(dirname "$0")/lib.sh"
new_database nul
write_units "$WORK/units.csv"
load org-units -q "$WORK/units.csv" >/dev/null 2>&1
is "$?" 0 "org units load with exit 0"
reason() { q "SELECT coalesce(field, '-') || ': ' || reason FROM oversight.quarantine WHERE file_name = '$1' AND line_no = $2"; }

# JSON Lines with one NUL byte, one invalid UTF-8 line and "\u0000" in a string.
{
	printf '{"ocid":"ocds-h-1","tender":{"title":"good","value":{"amount":100,"currency":"CNY"}}}\n'
	printf '{"ocid":"ocds-h-2","tender":{"title":"NUL byte \x00 here"}}\n'
	printf '{"ocid":"ocds-h-3","tender":{"title":"\xe5\xbc\xa0\xff"}}\n'
	printf '{"ocid":"ocds-h-4","tender":{"title":"B\\u0000"}}\n'
	printf '{"ocid":"ocds-h-5","tender":{"title":"also good"}}\n'
} >"$WORK/hostile.jsonl"
f="$WORK/hostile.jsonl"
out=$(load ocds --json "$f" 2>"$WORK/err")
is "$?" 4 "JSON Lines with a NUL byte, invalid UTF-8 and \\u0000: committed with quarantined rows (exit 4)"
like "$out" '"rows_read":5,"rows_loaded":2,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":3' "the two good lines load, the three bad ones are quarantined"
like "$(reason "$f" 2)" '^-: invalid JSON: a NUL byte \(0x00\) at byte 48$' "NUL byte: its line quarantined, with the byte"
like "$(reason "$f" 3)" '^-: invalid JSON: not UTF-8 at byte 42' "invalid UTF-8: its line quarantined, with the byte"
like "$(reason "$f" 4)" '^-: holds U\+0000 \(\\u0000, NUL\) in tender.title: PostgreSQL cannot store it' "\\u0000 in a string: its release quarantined, with the path"
like "$(cat "$WORK/err")" 'hostile.jsonl:4: holds U\+0000' "the message names file and line"
is "$(q "SELECT raw_text FROM oversight.quarantine WHERE file_name = '$f' AND line_no = 2")" \
	'{"ocid":"ocds-h-2","tender":{"title":"NUL byte \x00 here"}}' "raw text kept, the NUL byte written \\x00"
is "$(q "SELECT raw_text FROM oversight.quarantine WHERE file_name = '$f' AND line_no = 3")" \
	'{"ocid":"ocds-h-3","tender":{"title":"张\xFF"}}' "raw text kept, the invalid byte written \\xFF"
is "$(q "SELECT string_agg(ocid, ',' ORDER BY ocid) FROM oversight.procurement_process")" "ocds-h-1,ocds-h-5" "the rest of the file loaded"
is "$(($(wc -l <"$f.rejects.csv") - 1))" 3 "the reject file lists the three lines"
out=$(load ocds --json -q "$f" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":2,"rows_quarantined":3' "loading it again changes nothing"

# A release package: the release holding \u0000 is refused alone, the other release of its ocid still loads.
cat >"$WORK/package.json" <<'JSON'
{"version":"1.1","releases":[
 {"ocid":"ocds-p-1","id":"1","date":"2024-01-01T00:00:00Z","tender":{"title":"first"}},
 {"ocid":"ocds-p-1","id":"2","date":"2024-02-01T00:00:00Z","tender":{"title":"second\u0000"}},
 {"ocid":"ocds-p-2","id":"1","date":"2024-01-01T00:00:00Z","tender":{"title":"other"}}]}
JSON
out=$(load ocds --json -q "$WORK/package.json" 2>/dev/null)
is "$?" 4 "a package with one \\u0000 release: exit 4"
like "$out" '"rows_read":3,"rows_loaded":2,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":1' "one release quarantined, both processes loaded"
is "$(q "SELECT title FROM oversight.procurement_process WHERE ocid = 'ocds-p-1'")" "first" "ocds-p-1 compiled from its other release only"

# A NUL byte in a CSV cell: that row is quarantined, the rest loads.
{
	printf 'payment_code,payer_unit_code,payee_name,amount,payment_method,paid_on\n'
	printf 'N-1,EDU01,good,10,transfer,2024-03-05\n'
	printf 'N-2,EDU01,a\x00b,10,transfer,2024-03-05\n'
	printf 'N-3,EDU01,good,10,transfer,2024-03-05\n'
} >"$WORK/nul.csv"
f="$WORK/nul.csv"
out=$(load payments "$f" 2>&1)
is "$?" 4 "CSV with a NUL byte in a cell: exit 4"
like "$out" '3 rows read: 2 loaded, 0 updated, 0 unchanged, 1 quarantined' "the other rows load"
like "$out" 'nul.csv:3: field payee_name: "a\\x00b" contains a NUL byte' "the message names file, line and field, not cut at the NUL"
is "$(q "SELECT raw_text FROM oversight.quarantine WHERE file_name = '$f' AND line_no = 3")" 'N-2,EDU01,a\x00b,10,transfer,2024-03-05' "raw text kept, the NUL written \\x00"

# "\u000012345" as an amount or "\u0000ABC" as an id never becomes another value.
{
	printf '{"ocid":"ocds-v-1","tender":{"value":{"amount":"\\u000012345","currency":"CNY"}}}\n'
	printf '{"ocid":"ocds-v-2","awards":[{"id":"\\u0000ABC","status":"active"}]}\n'
	printf '{"ocid":"ocds-v-3","tender":{"title":"good"}}\n'
} >"$WORK/values.jsonl"
f="$WORK/values.jsonl"
out=$(load ocds --json -q "$f" 2>/dev/null)
is "$?" 4 "\\u0000 before an amount or an id: exit 4"
is "$(q "SELECT count(*) FROM oversight.procurement_process WHERE estimated_value = 12345 OR ocid IN ('ocds-v-1', 'ocds-v-2')")" 0 "\\u000012345 never became the number 12345"
is "$(q "SELECT count(*) FROM oversight.award WHERE award_id = 'ABC'")" 0 "\\u0000ABC never became the id ABC"
like "$(reason "$f" 1)" 'in tender.value.amount' "the amount's release quarantined, with the path"
like "$(reason "$f" 2)" 'in awards\[0\].id' "the id's release quarantined, with the path"

done_testing
