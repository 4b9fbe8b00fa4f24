#!/usr/bin/env bash
# Issue 11: a name that matches several parties or units is quarantined with the candidates; assignments that
# break "one leader in charge and one chief per unit and day", and a login already someone else's, are
# quarantined row by row with the reason while the rest of the file loads (they used to abort the load, exit 5).
source "$(dirname "$0")/lib.sh"
new_database names
write_units "$WORK/units.csv"
printf 'unit_code,name_zh,name_en,unit_kind,parent_code\nHLT03,市中心医院,Central Hospital (East),budget_unit,FIN\n' >"$WORK/units2.csv"
printf 'party_code,name\n91330100MA2H0005XE,浙杭信息技术有限公司\n91330100MA2H0099XX,浙杭信息技术有限责任公司\n91330100MA2H0003XC,之江会议服务有限公司\n' >"$WORK/parties.csv"
for k in org-units:units org-units:units2 parties:parties; do
	load "${k%%:*}" -q "$WORK/${k#*:}.csv" >/dev/null 2>&1 || { echo "Bail out! cannot load ${k#*:}"; exit 1; }
done
reason() { q "SELECT coalesce(field, '-') || ': ' || reason FROM oversight.quarantine q JOIN oversight.load l USING (load_id) WHERE l.file_name = '$1' AND line_no = $2 ORDER BY load_id DESC LIMIT 1"; }

printf '[columns]\npayer_unit_code = by_name:单位\npayee_name = 收款人\npayee_party_code = by_name:收款人\n' >"$WORK/by-name.map"
cat >"$WORK/pay.csv" <<'CSV'
payment_code,单位,收款人,amount,payment_method,paid_on
N1,市第一中学,之江会议服务（有限）,100,transfer,2024-05-01
N2,市第一中学,浙杭信息技术有限公司,200,transfer,2024-05-02
N3,市中心医院,之江会议服务有限公司,300,transfer,2024-05-03
N4,City No. 1 Middle School,之江会议服务有限公司,400,transfer,2024-05-04
CSV
q "UPDATE oversight.org_unit SET name_en = 'City No. 1 Middle School' WHERE unit_code = 'EDU01'" >/dev/null
out=$(load payments --mapping "$WORK/by-name.map" --json -q "$WORK/pay.csv" 2>/dev/null)
is "$?" 4 "ambiguous names: committed, exit 4"
like "$out" '"rows_read":4,"rows_loaded":2,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":2' "2 loaded, 2 quarantined"
is "$(q "SELECT string_agg(payment_code || '=' || payer_unit_code || '/' || payee_party_code, ',' ORDER BY payment_code) FROM oversight.payment")" \
	"N1=EDU01/91330100MA2H0003XC,N4=EDU01/91330100MA2H0003XC" "names found: （有限） folded, the unit by its English name"
like "$(reason "$WORK/pay.csv" 3)" '^payee_party_code: matches 2 parties: 91330100MA2H0005XE \(浙杭信息技术有限公司\); 91330100MA2H0099XX \(浙杭信息技术有限责任公司\) — give the party.s code' \
	"a name two parties share is quarantined with both candidates"
like "$(reason "$WORK/pay.csv" 4)" '^payer_unit_code: matches 2 org units: HLT02 \(市中心医院\); HLT03 \(市中心医院\) — map the name to one code under \[values.payer_unit_code\]' \
	"a unit name two units share is quarantined with both candidates"
is "$(q "SELECT count(*) FROM oversight.party")" 3 "no party created for an ambiguous name"

# Assignments: one chief and one leader in charge per unit and day.
printf 'person_code,full_name,login_role\nP1,甲,login_a\nP2,乙,\nP3,丙,\nP4,丁,\nP5,戊,\n' >"$WORK/people.csv"
load people -q "$WORK/people.csv" >/dev/null 2>&1
printf 'person_code,unit_code,assignment_role,valid_from,valid_to\nP1,FIN-TREAS,section_chief,2022-01-01,\nP2,FIN-TREAS,leader_in_charge,2022-01-01,\n' >"$WORK/a1.csv"
load assignments -q "$WORK/a1.csv" >/dev/null 2>&1
cat >"$WORK/a2.csv" <<'CSV'
person_code,unit_code,assignment_role,valid_from,valid_to
P3,FIN-TREAS,unit_head,2023-06-01,
P4,FIN-TREAS,leader_in_charge,2024-01-01,
P5,FIN-TREAS,leader_in_charge,2024-06-01,
P3,EDU01,section_chief,2024-01-01,
P4,EDU01,section_chief,2024-03-01,
P5,FIN-TREAS,handler,2024-01-01,
CSV
out=$(load assignments --json -q "$WORK/a2.csv" 2>/dev/null)
is "$?" 4 "clashing assignments: exit 4, not 5"
like "$out" '"rows_read":6,"rows_loaded":2,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":4' "the 2 that clash with nothing load, 4 are quarantined"
like "$(reason "$WORK/a2.csv" 2)" '^valid_from: clashes with the stored assignment of P1 as section_chief of FIN-TREAS from 2022-01-01 to open end: a unit has one leader in charge and one chief' "a second chief while one is stored"
like "$(reason "$WORK/a2.csv" 3)" '^valid_from: clashes with the stored assignment of P2 as leader_in_charge of FIN-TREAS' "a second leader in charge while one is stored"
like "$(reason "$WORK/a2.csv" 4)" '^valid_from: clashes with the stored assignment of P2 as leader_in_charge' "and another"
like "$(reason "$WORK/a2.csv" 6)" '^valid_from: clashes with line 5 of this file \(P3 as section_chief of EDU01 from 2024-01-01 to open end\).*the earlier line is kept' "two chiefs of one unit in one file: the later line is quarantined"
is "$(q "SELECT string_agg(person_code || ' ' || assignment_role || ' ' || unit_code, ',' ORDER BY person_code, unit_code) FROM oversight.assignment")" \
	"P1 section_chief FIN-TREAS,P2 leader_in_charge FIN-TREAS,P3 section_chief EDU01,P5 handler FIN-TREAS" "the rest is loaded"

# A handover in one file: the stored chief's end and the successor's start load together.
printf 'person_code,unit_code,assignment_role,valid_from,valid_to\nP1,FIN-TREAS,section_chief,2022-01-01,2024-07-01\nP3,FIN-TREAS,unit_head,2024-07-01,\n' >"$WORK/a3.csv"
out=$(load assignments --json -q "$WORK/a3.csv" 2>/dev/null)
is "$?" 0 "a handover in one file: exit 0"
like "$out" '"rows_loaded":1,"rows_updated":1,' "the end of one and the start of the other"
out=$(load assignments --json -q "$WORK/a3.csv" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":2' "a reload changes nothing"
# A file without valid_to keeps the stored ends (and is checked against them).
printf 'person_code,unit_code,assignment_role,valid_from\nP1,FIN-TREAS,section_chief,2022-01-01\nP4,FIN-TREAS,section_chief,2024-07-01\n' >"$WORK/a4.csv"
out=$(load assignments --json -q "$WORK/a4.csv" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":0,"rows_unchanged":1,"rows_quarantined":1' "without valid_to: the stored end kept, a clash with the new chief P3 found"
is "$(q "SELECT valid_to FROM oversight.assignment WHERE person_code = 'P1' AND unit_code = 'FIN-TREAS'")" 2024-07-01 "the stored end is not blanked"

# Logins: one person each.
cat >"$WORK/people2.csv" <<'CSV'
person_code,full_name,login_role
P2,乙,login_a
P3,丙,login_c
P4,丁,login_c
P5,戊,login_e
CSV
out=$(load people --json -q "$WORK/people2.csv" 2>/dev/null)
is "$?" 4 "duplicate logins: exit 4, not 5"
like "$out" '"rows_read":4,"rows_loaded":0,"rows_updated":2,"rows_unchanged":0,"rows_quarantined":2' "2 updated, 2 quarantined"
like "$(reason "$WORK/people2.csv" 2)" '^login_role: "login_a" is already the login of P1 \(甲\): a login belongs to one person' "a login already another person's"
like "$(reason "$WORK/people2.csv" 4)" '^login_role: "login_c" is also the login of P3 at line 3 of this file' "the same login twice in one file"
# Moving a login from one person to another in one file is no clash, whichever comes first in key order.
printf 'person_code,full_name,login_role\nP1,甲,login_z\nP2,乙,login_a\nP3,丙,login_e\nP4,丁,login_c\nP5,戊,login_f\n' >"$WORK/people3.csv"
out=$(load people --json -q "$WORK/people3.csv" 2>/dev/null)
is "$?" 0 "a login moved within one file: exit 0"
is "$(q "SELECT string_agg(person_code || '=' || login_role, ',' ORDER BY person_code) FROM oversight.person WHERE login_role IS NOT NULL")" \
	"P1=login_z,P2=login_a,P3=login_e,P4=login_c,P5=login_f" "the logins as the file says (P3 takes P5's, P4 P3's)"
# A file without the login column leaves the logins alone.
printf 'person_code,full_name\nP1,甲\nP4,丁丁\n' >"$WORK/people4.csv"
out=$(load people --json -q "$WORK/people4.csv" 2>/dev/null)
like "$out" '"rows_loaded":0,"rows_updated":1,"rows_unchanged":1' "a narrower people file: only the name changes"
is "$(q "SELECT login_role FROM oversight.person WHERE person_code = 'P4'")" login_c "the login is kept"
done_testing
