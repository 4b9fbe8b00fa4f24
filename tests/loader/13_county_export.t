#!/usr/bin/env bash
# Issue 11, the county bureau's own export (tests/loader/data/county, the README walkthrough): its own Chinese
# headers, GB18030, three date forms, thousands separators, no currency column, trailing columns left out,
# payer units and suppliers by name, Chinese text values with aliases — loaded by a mapping file alone.
source "$(dirname "$0")/lib.sh"
new_database county
C=$OVERSIGHT_ROOT/tests/loader/data/county
F=$C/county-payments-2024Q1.csv
load org-units -q "$C/county-units.csv" >/dev/null 2>&1 && load parties -q "$C/county-parties.csv" >/dev/null 2>&1 ||
	{ echo "Bail out! cannot load the county's units and parties"; exit 1; }

# The shipped payments.map does not know these headers: the load stops and says where to look.
out=$(load payments -q "$F" 2>&1)
is "$?" 3 "with the shipped mapping: exit 3"
like "$out" 'no column for required field\(s\) payment_code, payer_unit_code' "names the required fields nothing provides"
like "$out" '--mapping FILE' "points to --mapping"
like "$out" 'oversight-load fields payments' "points to fields"
like "$out" "oversight-load check-mapping payments $F" "points to check-mapping"

# check-mapping: how each field will be filled, without a database.
out=$("$LOADER" check-mapping payments --mapping "$C/county-payments.map" "$F")
is "$?" 0 "check-mapping with the county's mapping: exit 0"
like "$out" "payments ← $F \(GB18030\)" "the file's encoding, from the mapping"
like "$out" "payment_code +key built from 'CTY' \+ column 2 \"凭证编号\", joined by -" "the key from a literal and a column"
like "$out" 'payer_unit_code +by name: column 3 "预算单位" → oversight.org_unit' "payer units by name"
like "$out" 'payee_party_code +column 5 "统一社会信用代码"; else by name: column 4 "收款单位" → oversight.party' "suppliers by code, else by name"
like "$out" 'currency +blind \(not provided\)' "no currency: blind (the database's default applies)"
like "$out" 'expense_type +column 7 "支出类别"; values through \[values.expense_type\]' "a Chinese text value through its aliases"
like "$out" 'payment_method +column 10 "结算方式"; else default transfer \(mapping\)' "a mapping default"
like "$out" 'column "序号" is not mapped: ignored' "unmapped columns are listed"
like "$out" 'loadable: every required field is provided' "loadable"

# A dry run names no reject file: it writes none.
before=$(digest)
out=$(load payments --mapping "$C/county-payments.map" --dry-run --max-messages 1 --reject-dir "$WORK" "$F" 2>&1)
is "$?" 4 "dry run: exit 4 (rows would be quarantined)"
like "$out" '… and 1 more refused rows \(a dry run keeps none of them: rerun it with --max-messages 2 to see them all\)' "the dry run says how to see the rows it did not print"
ok "$(printf '%s' "$out" | grep -qi 'reject file'; [ $? -ne 0 ]; echo $?)" "and mentions no reject file"
ok "$([ ! -e "$WORK/county-payments-2024Q1.csv.rejects.csv" ]; echo $?)" "no reject file written"
is "$(digest)" "$before" "nothing written"

out=$(load payments --mapping "$C/county-payments.map" --json -q --reject-dir "$WORK" "$F" 2>/dev/null)
is "$?" 4 "the county's export loads: exit 4 (2 rows quarantined)"
like "$out" '"encoding":"GB18030","rows_read":9,"rows_loaded":7,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":2' "9 read: 7 loaded (the refund too), 2 quarantined"
like "$out" '"details":\{"parties_created":3\}' "3 parties created (one by its code, two by name)"
like "$out" '"warnings":\{"short_rows":2\}' "2 short rows counted as a warning"
is "$(q "SELECT string_agg(payment_code || ' ' || payer_unit_code || ' ' || payee_party_code || ' ' || amount || ' ' || currency || ' ' || expense_type || ' ' || payment_method || ' ' || paid_on, E'\n' ORDER BY payment_code) FROM oversight.payment")" \
	"CTY-2024000101 CTY-EDU01 91330100MA2H0001XA 12345.60 CNY office transfer 2024-03-05
CTY-2024000102 CTY-EDU01 91330100MA2H0002XB 3200.00 CNY printing transfer 2024-03-06
CTY-2024000103 CTY-HOS01 91330185MA2K0007XG 86000.00 CNY materials transfer 2024-03-07
CTY-2024000104 CTY-HOS01 91330185MA2K0007XG 1580.00 CNY travel transfer 2024-03-08
CTY-2024000105 CTY-AGR name:县农技推广服务中心 4800.00 CNY training official_card 2024-03-11
CTY-2024000106 CTY-EDU01 name:张记餐饮店 680.00 CNY hospitality cash 2024-03-12
CTY-2024000108 CTY-EDUB 91330100MA2H0002XB 1200.00 CNY printing transfer 2024-03-15" \
	"keys scoped by CTY, units and suppliers by name (有限责任公司, （有限） and a space folded), CNY from the database, aliases, three date forms"
is "$(q "SELECT string_agg(payment_code || ' ' || payment_kind || ' ' || amount, ', ' ORDER BY payment_code) FROM oversight.payment WHERE payment_kind <> 'payment'")" \
	"CTY-2024000108 refund 1200.00" "the printing refund in brackets, (1,200.00), is a refund of 1,200.00 (the amount is the magnitude)"
is "$(q "SELECT count(*) FROM oversight.payment WHERE payment_kind = 'payment'")" 6 "the other rows are payments"
is "$(q "SELECT name FROM oversight.party WHERE party_code = '91330185MA2K0007XG'")" "临安医疗器械有限公司" "a party named with its code for the first time is created with that code"
reason() { q "SELECT coalesce(field, '-') || ': ' || reason FROM oversight.quarantine q JOIN oversight.load l USING (load_id) WHERE l.file_name = '$F' AND l.status = 'committed' AND line_no = $1"; }
like "$(reason 8)" '^amount: is missing: the row has 4 fields but the header has 11' "a row cut short before the amount is quarantined"
like "$(reason 10)" '^payer_unit_code: is not the name \(name_zh or name_en\) of a known org unit' "an unknown unit name is quarantined"
like "$(sed -n 3p "$WORK/county-payments-2024Q1.csv.rejects.csv")" '^9,2024000109,县卫健局,.*,10,payer_unit_code,' "the reject file keeps the rows as read (GB18030 decoded)"

# Reload: nothing changes, no party is created twice.
before=$(digest)
out=$(load payments --mapping "$C/county-payments.map" --json -q --reject-dir "$WORK" "$F" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":7,"rows_quarantined":2' "a reload changes nothing"
like "$out" '"parties_created":0' "and creates no party"
is "$(digest)" "$before" "the database is identical"

# The fiscal year from a date column (budget allocations).
out=$(load budget-projects --mapping "$C/county-budget.map" --json -q "$C/county-budget-2024.csv" 2>/dev/null)
like "$out" '"rows_read":2,"rows_loaded":2,' "budget allocations load"
is "$(q "SELECT string_agg(unit_code || ' ' || fiscal_year, ',' ORDER BY project_code) FROM oversight.budget_project")" "CTY-EDU01 2024,CTY-HOS01 2024" "fiscal_year = year:批复日期"

# No currency column, no --currency, no constant: the column's database default, whatever it is (not a CNY of
# the loader's own); --currency gives every row of one file its currency.
printf '凭证编号,预算单位,收款单位,金额,支付日期\n77,县第一中学,张记餐饮店,10,2024/4/1\n' | iconv -f UTF-8 -t GB18030 >"$WORK/one.csv"
q "ALTER TABLE oversight.payment ALTER COLUMN currency SET DEFAULT 'HKD'" >/dev/null
load payments --mapping "$C/county-payments.map" -q "$WORK/one.csv" >/dev/null 2>&1
is "$(q "SELECT currency FROM oversight.payment WHERE payment_code = 'CTY-77'")" HKD "an absent currency takes the database's default"
q "ALTER TABLE oversight.payment ALTER COLUMN currency SET DEFAULT 'CNY'" >/dev/null
sed 's/^77,/78,/' "$WORK/one.csv" >"$WORK/two.csv"
load payments --mapping "$C/county-payments.map" --currency usd -q "$WORK/two.csv" >/dev/null 2>&1
is "$(q "SELECT currency FROM oversight.payment WHERE payment_code = 'CTY-78'")" USD "--currency usd: every row in USD"
"$LOADER" --dsn "dbname=$DB" people --currency CNY "$WORK/two.csv" >/dev/null 2>&1
is "$?" 2 "--currency for a kind without a currency: exit 2"

# A mapping never fails silently: what the loader would not use is an error with file, line and key.
printf 'encoding = gb18030\n[columns]\npayment_code = 凭证编号\n[values.expense_typ]\noffice = 办公费\n' >"$WORK/typo.map"
out=$(load payments --mapping "$WORK/typo.map" "$F" 2>&1)
is "$?" 3 "a misspelt [values.FIELD]: exit 3"
like "$out" 'typo.map:4: no field "expense_typ" in record kind payments' "names file, line and key"
printf 'encodng = gb18030\n' >"$WORK/typo2.map"
out=$(load payments --mapping "$WORK/typo2.map" "$F" 2>&1)
like "$out" 'typo2.map:1: unknown setting "encodng"' "an unknown setting names file, line and key"
done_testing
