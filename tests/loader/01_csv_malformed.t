#!/usr/bin/env bash
# CSV payments: every kind of malformed row is quarantined with its reason (in oversight.quarantine and in the
# reject file) while every good row loads; the ledger balances; UTF-8 and GB18030 (Chinese headers) give the
# same records; --dry-run writes nothing; exit codes.
source "$(dirname "$0")/lib.sh"
new_database malformed
write_units "$WORK/units.csv"
load org-units -q "$WORK/units.csv" >/dev/null 2>&1
is "$?" 0 "org units load with exit 0"

# Line numbers matter: each bad line is checked by number below.
{
	printf '支付凭证号,付款单位编码,收款人,金额（元）,支付方式,支付日期,用途,支出类型\r\n'
	printf 'P001,EDU01,张三文具店,"1,234.50",转账,2024年3月5日,办公用品采购,office\r\n'        # 2 good
	printf 'P002,EDU01,李四,5000,现金,2024/3/6,会议费,meeting\r\n'                              # 3 good
	printf 'P003,EDU99,王五,100,转账,2024-03-07,差旅,travel\r\n'                               # 4 unknown unit
	printf 'P004,EDU01,赵六,"12,3x",转账,2024-03-07,印刷,printing\r\n'                         # 5 bad amount
	printf 'P001,EDU01,张三文具店,999,转账,2024-03-05,重复,office\r\n'                          # 6 duplicate key
	printf 'P005,EDU01,钱七,-5,转账,2024-03-08,退款,other\r\n'                                 # 7 good (a refund)
	printf 'P006,EDU01,孙八,8,转账,2023-02-29,邮寄,post\r\n'                                   # 8 impossible date
	printf 'P007,EDU01,周九,100\r\n'                                                          # 9 missing columns
	printf 'P008,EDU01,吴十,100,转账,2024-03-09,维修,repair,多余\r\n'                           # 10 extra column
	printf 'P009,EDU01,\xd5\xc5\xc8\xfd,100,转账,2024-03-09,培训,training\r\n'           # 11 GBK bytes in a UTF-8 file
	printf 'P010,EDU01,冯十二,"1,000,000,000,000,000",转账,2024-03-09,工程款,works\r\n'           # 12 overflow
	printf 'P011,HLT02,陈十三,"２，５００．００",公务卡,2024-03-10,接待费,hospitality\r\n'          # 13 good (full-width)
	printf 'P012,HLT02,褚十四,300,支票,2024-03-10,物业费,property\r\n'                           # 14 unknown method
	printf 'P013,HLT02,卫十五,400,转账,2024-03-11,"水电费\n（三月）",utilities\r\n'              # 15-16 good, embedded newline
	printf 'P014,HLT02,蒋十六,500,转账,2024-03-12,"没有结束的引号'                               # 17 truncated last line
} >"$WORK/payments.csv"

out=$(load payments --max-messages 100 "$WORK/payments.csv" 2>&1)
is "$?" 4 "a load with quarantined rows commits and exits 4"
like "$out" 'payments.csv:5: field amount: "12,3x" is not a number' "one-line error names file, line, field and value"
like "$out" '15 rows read: 5 loaded, 0 updated, 0 unchanged, 10 quarantined' "summary balances: read = loaded + updated + unchanged + quarantined"

is "$(q "SELECT string_agg(payment_code, ',' ORDER BY payment_code) FROM oversight.payment")" "P001,P002,P005,P011,P013" "every good row is loaded"
is "$(q "SELECT amount || ' ' || payment_kind || ' ' || coalesce(refund_of, '-') FROM oversight.payment WHERE payment_code = 'P005'")" "5 refund -" \
	"a negative amount is a refund, stored as its magnitude (line 7)"
is "$(q "SELECT amount FROM oversight.payment WHERE payment_code = 'P001'")" "1234.50" "thousands separator read (the first P001 kept)"
is "$(q "SELECT amount || ' ' || payment_method FROM oversight.payment WHERE payment_code = 'P011'")" "2500.00 official_card" "full-width digits and 公务卡 mapped"
is "$(q "SELECT purpose FROM oversight.payment WHERE payment_code = 'P013'")" "$(printf '水电费\n（三月）')" "embedded newline kept"

reason() { q "SELECT coalesce(field, '-') || ': ' || reason FROM oversight.quarantine q JOIN oversight.load l USING (load_id) WHERE l.record_kind = 'payments' AND line_no = $1"; }
like "$(reason 4)" '^payer_unit_code: "EDU99" is not a known org_unit' "unknown unit quarantined at merge (line 4)"
like "$(reason 5)" '^amount: is not a number' "bad amount (line 5)"
like "$(reason 6)" '^payment_code: "P001" appears again: duplicate payment_code within the file \(first at line 2' "duplicate key inside the file (line 6)"
like "$(reason 8)" '^paid_on: is not a real calendar date' "impossible date (line 8)"
like "$(reason 9)" '^payment_method: is missing: the row has 4 fields but the header has 8' "a row cut short of a required column (line 9)"
like "$(reason 10)" '^-: has 9 fields but the header has 8 \(extra columns' "extra column (line 10)"
like "$(reason 11)" '^-: is not valid UTF-8 text' "wrong encoding in one row (line 11)"
like "$(reason 12)" '^amount: is too large' "overflowing amount (line 12)"
like "$(reason 14)" '^payment_method: is not one of transfer, cash, official_card' "unknown payment method (line 14)"
like "$(reason 17)" 'ends inside a quoted field at the end of the file' "truncated last line (line 17)"
is "$(q "SELECT rows_read = rows_loaded + rows_updated + rows_unchanged + rows_quarantined AND rows_quarantined = 10 FROM oversight.load WHERE record_kind = 'payments'")" t "ledger row balances"
is "$(q "SELECT file_sha256 FROM oversight.load WHERE record_kind = 'payments'")" "$(sha256sum "$WORK/payments.csv" | cut -d' ' -f1)" "ledger has the file's SHA-256"
like "$(q "SELECT raw_text FROM oversight.quarantine WHERE line_no = 5")" '^P004,EDU01,赵六,"12,3x"' "raw text of a refused row kept"

rej="$WORK/payments.csv.rejects.csv"
ok "$([ -f "$rej" ]; echo $?)" "reject file written beside the input"
is "$(($(wc -l <"$rej") - 1))" 10 "reject file holds the 10 refused rows after its header"
like "$(head -1 "$rej")" 'reject_line,reject_field,reject_reason' "reject file has the reason columns"
like "$(cat "$rej")" 'P003,EDU99,王五,100,transfer,2024-03-07,差旅,travel,4,payer_unit_code' "rows refused at merge time are in the reject file too"

# The same data in GB18030 with a BOM and Excel CRLF, autodetected: same records, nothing new.
{ printf '\x84\x31\x95\x33'; head -c -0 "$WORK/payments.csv" | sed -n '1,3p;13p;15,16p' | iconv -f UTF-8 -t GB18030; } >"$WORK/payments-gb.csv"
out=$(load payments --json -q "$WORK/payments-gb.csv" 2>/dev/null)
is "$?" 0 "GB18030 file loads with exit 0"
like "$out" '"encoding":"GB18030"' "GB18030 detected"
like "$out" '"rows_read":4,"rows_loaded":0,"rows_updated":0,"rows_unchanged":4,"rows_quarantined":0' "GB18030 rows equal the UTF-8 ones: unchanged"

# --encoding overrides detection: the UTF-8 file read as GB18030 turns into different text (mojibake),
# so the rows differ and are updates, which a dry run shows without writing anything.
before=$(digest)
out=$(load payments --dry-run --json -q --encoding gb18030 "$WORK/payments-gb.csv" 2>/dev/null)
like "$out" '"status":"dry_run"' "dry run reports"
is "$(digest)" "$before" "dry run writes nothing"
is "$(q "SELECT count(*) FROM oversight.load WHERE status = 'dry_run'")" 0 "dry run leaves no ledger row"

# Exit codes of unusable input.
load payments -q "$WORK/nope.csv" >/dev/null 2>&1
is "$?" 3 "missing file: exit 3"
printf '支付凭证号,收款人\nX1,Y\n' >"$WORK/nocols.csv"
out=$(load payments "$WORK/nocols.csv" 2>&1)
is "$?" 3 "required column missing: exit 3"
like "$out" 'no column for required field\(s\) payer_unit_code, amount, payment_method' "names the missing columns"
: >"$WORK/empty.csv"
load payments -q "$WORK/empty.csv" >/dev/null 2>&1
is "$?" 3 "empty file: exit 3"
is "$(q "SELECT count(*) FROM oversight.load WHERE file_name LIKE '%nocols%' OR file_name LIKE '%empty%'")" 0 "unusable files leave no ledger row"

# Command line.
"$LOADER" --help >/dev/null 2>&1
is "$?" 0 "--help exits 0"
like "$("$LOADER" payments --help 2>&1)" 'reject-dir' "a kind's --help lists its options"
"$LOADER" no-such-kind x.csv >/dev/null 2>&1
is "$?" 2 "unknown command: exit 2"
"$LOADER" payments --no-such-option x.csv >/dev/null 2>&1
is "$?" 2 "unknown option: exit 2"
"$LOADER" --dsn "host=$WORK/no-server dbname=$DB" payments "$WORK/payments.csv" >/dev/null 2>&1
is "$?" 6 "no server: exit 6"
printf '[columns]\nno_such_field = x\n' >"$WORK/bad.map"
out=$(load payments --mapping "$WORK/bad.map" "$WORK/payments.csv" 2>&1)
is "$?" 3 "bad mapping file: exit 3"
like "$out" 'bad.map:2: no field "no_such_field" in record kind payments' "mapping error names the file and line"
done_testing
