#!/usr/bin/env bash
# Issue 12, item 3: OCDS mapping completeness. A synthetic process in four release files (planning, tender,
# award, contract) and two one-release processes exercise every mapping: organisations named without an id
# (one party by normalised name, the same across processes, with roles), every item, planning.budget and its
# fiscal year, tender.tenderers → number of tenderers, periods and award criteria, amendments,
# implementation.transactions (kept and linked to the contract, never invented as payments), relatedProcesses,
# awards.relatedBid, bid statuses mapped with the published value kept, a cancelled tender's status kept,
# placeholders (amount 0, a period ending before it starts) read as absent, and a mapping note with its reason
# for everything read as absent or left out. Loaded per file in three shuffled orders and as one package:
# identical databases (the comparison of 18_ocds_release_order.t, lib.sh); reloading changes nothing. On the
# real samples: every award, contract and item of every compiled release is loaded or noted with its reason.
source "$(dirname "$0")/lib.sh"

loaded() { load ocds --json -q --no-progress --reject-dir "$WORK" "$@" 2>/dev/null; }
# The bureau's budget has project P-2024-8 (not P-2024-7): only a project it has becomes budget_project_code.
with_budget() {
	q "INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('EDU01', '市第一中学', 'budget_unit');
	   INSERT INTO oversight.budget_project (project_code, fiscal_year, unit_code, name, budget_amount) VALUES ('P-2024-8', 2024, 'EDU01', '课桌椅', 90000)" >/dev/null
}

mkdir -p "$WORK/syn"
cat >"$WORK/syn/1-planning.json" <<'JSON'
{"ocid":"ocds-syn-1","id":"syn-1-planning","date":"2024-01-01T00:00:00+08:00","tag":["planning"],
 "buyer":{"name":"市第一中学"},
 "planning":{"budget":{"id":"B-1","description":"2024 教学设备","amount":{"amount":250000,"currency":"CNY"},"project":"教学设备更新","projectID":"P-2024-7",
             "period":{"startDate":"2024-01-01T00:00:00+08:00","endDate":"2024-12-31T23:59:59+08:00"}}}}
JSON
cat >"$WORK/syn/2-tender.json" <<'JSON'
{"ocid":"ocds-syn-1","id":"syn-1-tender","date":"2024-02-01T00:00:00+08:00","tag":["tender"],
 "tender":{"id":"T-1","title":"课桌椅采购","status":"active","procurementMethod":"open","value":{"amount":0,"currency":"CNY"},
           "tenderPeriod":{"startDate":"2024-03-01T00:00:00+08:00","endDate":"2024-02-20T00:00:00+08:00"},
           "enquiryPeriod":{"startDate":"2024-02-01T00:00:00+08:00","endDate":"2024-02-10T00:00:00+08:00"},
           "awardCriteria":"priceOnly",
           "items":[{"id":"1","description":"课桌","classification":{"scheme":"CPV","id":"39160000"},"quantity":120,"unit":{"name":"张","value":{"amount":380,"currency":"CNY"}}},
                    {"id":"2","description":"椅子","classification":{"scheme":"CPV","id":"39112000"},"quantity":240,"unit":{"name":"把","value":{"amount":0,"currency":"CNY"}}},
                    {"description":"讲台"}],
           "tenderers":[{"name":"杭州文汇办公用品有限公司"},{"id":"T2","name":"Beta Furniture"}],
           "amendments":[{"id":"am-1","date":"2024-02-05T00:00:00+08:00","rationale":"增加椅子数量"}]}}
JSON
cat >"$WORK/syn/3-award.json" <<'JSON'
{"ocid":"ocds-syn-1","id":"syn-1-award","date":"2024-03-10T00:00:00+08:00","tag":["award"],
 "parties":[{"id":"T2","name":"Beta Furniture","roles":["tenderer"]}],
 "bids":{"details":[{"id":"b1","status":"qualified","value":{"amount":98000,"currency":"CNY"},"tenderers":[{"name":"杭州文汇办公用品有限公司"}]},
                    {"id":"b2","status":"not-qualified","value":{"amount":97000,"currency":"CNY"},"tenderers":[{"id":"T2"}]},
                    {"id":"b3","status":"on hold","tenderers":[{"id":"T2"}]}]},
 "awards":[{"id":"a1","status":"active","relatedBid":"b1","value":{"amount":98000,"currency":"CNY"},
            "suppliers":[{"name":"杭州文汇办公用品有限公司 "}],"items":[{"id":"1","quantity":120}]},
           {"title":"an award without an id","status":"active","value":{"amount":5,"currency":"CNY"}}]}
JSON
cat >"$WORK/syn/4-contract.json" <<'JSON'
{"ocid":"ocds-syn-1","id":"syn-1-contract","date":"2024-04-01T00:00:00+08:00","tag":["contract","implementation"],
 "contracts":[{"id":"c1","awardID":"a1","value":{"amount":98000,"currency":"CNY"},"dateSigned":"2024-04-01T00:00:00+08:00",
               "period":{"startDate":"2024-04-01T00:00:00+08:00","endDate":"2024-06-30T00:00:00+08:00"},
               "amendments":[{"date":"2024-05-01T00:00:00+08:00","rationale":"延期交付"}],
               "implementation":{"transactions":[{"id":"t1","date":"2024-05-10T00:00:00+08:00","value":{"amount":49000,"currency":"CNY"},
                                                  "payer":{"name":"市第一中学"},"payee":{"name":"杭州文汇办公用品有限公司"}},
                                                 {"id":"t2","value":{"amount":0,"currency":"CNY"}}]}},
              {"title":"a contract without an id"}],
 "relatedProcesses":[{"id":"1","relationship":["framework"],"title":"办公家具框架协议","scheme":"ocid","identifier":"ocds-fw-1"}]}
JSON
cat >"$WORK/syn/5-other.json" <<'JSON'
{"ocid":"ocds-syn-2","id":"syn-2-tender","date":"2024-05-01T00:00:00+08:00","tag":["tender"],
 "buyer":{"name":"市第一中学"},"planning":{"budget":{"projectID":"P-2024-8"}},
 "tender":{"title":"书柜","status":"cancelled","tenderers":[{"name":"杭州文汇办公用品有限公司"}]}}
JSON
cat >"$WORK/syn/6-nigeria.json" <<'JSON'
{"ocid":"ocds-syn-ng","id":"ng-1","date":"2024-06-01T00:00:00Z","tag":["tender","award"],
 "tender":{"title":"Borehole","tenderers":[{"id":"NG-RC-1","name":"Only Bidder Ltd"}]},
 "awards":[{"id":"1","suppliers":[{"id":"NG-RC-1","name":"Only Bidder Ltd"}],"value":{"amount":1500000,"currency":"NGN"}}]}
JSON
files=("$WORK"/syn/*.json)
python3 - "$WORK" "${files[@]}" <<'PY'
import json, random, sys
work, files = sys.argv[1], sys.argv[2:]
json.dump({'version': '1.1', 'releases': [json.load(open(f)) for f in reversed(files)]}, open(work + '/syn-package.json', 'w'), ensure_ascii=False)
for seed in (1, 2, 3):
    order = files[:]
    random.Random(seed).shuffle(order)
    open('%s/syn-order%d' % (work, seed), 'w').write('\n'.join(order) + '\n')
PY

load_in_orders map_ "$WORK/syn-order" "${#files[@]}" with_budget
dbs=("${DBS[@]}")
new_database map_package
with_budget
PK=$DB
out=$(loaded "$WORK/syn-package.json")
like "$out" '"rows_read":6,"rows_loaded":6,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":0' "the package: the six releases stored, none quarantined"
same_database "${dbs[0]}" "${dbs[1]}" "shuffled orders 1 and 2: identical databases, mapped details and notes included"
same_database "${dbs[0]}" "${dbs[2]}" "shuffled orders 1 and 3: identical databases"
same_database "${dbs[0]}" "$PK" "one release per file and one package: identical databases"

DB=${dbs[1]}
# Parties by name: the supplier named without an id (spelled with a trailing space once) is one party,
# the same in both processes that name it, with its roles per process.
supplier=$(q "SELECT party_code FROM oversight.party WHERE name LIKE '杭州文汇办公用品有限公司%'")
like "$supplier" '^name:' "an organisation named without an id is a party, identified by its normalised name"
is "$(q "SELECT count(*) FROM oversight.party WHERE name LIKE '杭州文汇%'")" 1 "one party for every spelling of its name"
is "$(q "SELECT string_agg(DISTINCT a.party_code, ',') FROM oversight.award_supplier a WHERE a.ocid = 'ocds-syn-1'")" "$supplier" "it supplies the award"
is "$(q "SELECT string_agg(ocid || ':' || roles::text, ' ' ORDER BY ocid) FROM oversight.ocds_party_mention WHERE party_code = '$supplier'")" \
	'ocds-syn-1:{payee,supplier,tenderer} ocds-syn-2:{tenderer}' "and its roles are recorded per process"
is "$(q "SELECT count(DISTINCT buyer_party_code) || ' ' || min(buyer_party_code) FROM oversight.procurement_process WHERE ocid LIKE 'ocds-syn-_'")" \
	"1 $(q "SELECT party_code FROM oversight.party WHERE name = '市第一中学'")" "the buyer given by name only is one party for both processes"
# Items, budget, tenderers, periods, criteria.
is "$(q "SELECT string_agg(scope || '/' || parent_id || '/' || item_id || '/' || coalesce(classification_id, '-') || '/' || coalesce(quantity::text, '-') || '/' || coalesce(unit_value::text, '-'), ' ' ORDER BY scope, parent_id, item_id) FROM oversight.ocds_item")" \
	'award/a1/1/-/120/- tender//1/39160000/120/380 tender//2/39112000/240/-' "every item with an id, with its classification, quantity and unit price (0 read as absent)"
is "$(q "SELECT budget_amount || ' ' || budget_project_id || ' ' || budget_project || ' ' || award_criteria || ' ' || (enquiry_period_end AT TIME ZONE 'UTC') FROM oversight.ocds_process_detail WHERE ocid = 'ocds-syn-1'")" \
	'250000 P-2024-7 教学设备更新 priceOnly 2024-02-09 16:00:00' "planning.budget, award criteria and the enquiry period"
is "$(q "SELECT ocid || ':' || coalesce(budget_project_code, '-') || ':' || coalesce(fiscal_year::text, '-') FROM oversight.procurement_process WHERE ocid LIKE 'ocds-syn-_' ORDER BY ocid" | tr '\n' ' ')" \
	'ocds-syn-1:-:2024 ocds-syn-2:P-2024-8:- ' "the fiscal year from the budget period; a budget project only when the bureau's budget has it"
is "$(q "SELECT ocid || ':' || number_of_tenderers || ':' || d.tenderers_source FROM oversight.procurement_process JOIN oversight.ocds_process_detail d USING (ocid) ORDER BY ocid" | tr '\n' ' ')" \
	'ocds-syn-1:2:tenderers ocds-syn-2:1:tenderers ocds-syn-ng:1:tenderers ' "number of tenderers from tender.tenderers when numberOfTenderers is not given (one listed: a single bid)"
is "$(q "SELECT count(*) FROM oversight.ocds_tenderer WHERE ocid = 'ocds-syn-1'")" 2 "the tenderer links"
is "$(q "SELECT coalesce(estimated_value::text, '-') || ' ' || currency || ' ' || coalesce(tender_period_start::text, '-') || ' ' || coalesce(tender_period_end::text, '-') FROM oversight.procurement_process WHERE ocid = 'ocds-syn-1'")" \
	'- CNY - -' "placeholders: a value of 0 and a tender period ending before it starts are absent, not judged"
# Statuses, relatedBid, amendments, transactions, related processes.
is "$(q "SELECT string_agg(bid_id || ':' || coalesce(status, '-') || ':' || published_status, ' ' ORDER BY bid_id) FROM oversight.bid")" \
	'b1:valid:qualified b2:disqualified:not-qualified b3:-:on hold' "bid statuses mapped to the codelist, the published value kept; an unmappable one left empty"
is "$(q "SELECT tender_status FROM oversight.procurement_process WHERE ocid = 'ocds-syn-2'")" cancelled "a cancelled tender's status is kept"
is "$(q "SELECT related_bid_id FROM oversight.award WHERE award_id = 'a1'")" b1 "awards.relatedBid"
is "$(q "SELECT string_agg(scope || '/' || parent_id || '/' || position || '/' || rationale, ' ' ORDER BY scope, position) FROM oversight.ocds_amendment")" \
	'contract/c1/1/延期交付 tender//1/增加椅子数量' "amendments of the tender and the contract"
is "$(q "SELECT string_agg(contract_code || '/' || transaction_id || '/' || coalesce(amount::text, '-') || '/' || coalesce(payer_party_code, '-') || '/' || coalesce(payee_party_code, '-'), ' ' ORDER BY transaction_id) FROM oversight.ocds_transaction")" \
	"ocds-syn-1/c1/t1/49000/$(q "SELECT party_code FROM oversight.party WHERE name = '市第一中学'")/$supplier ocds-syn-1/c1/t2/-/-/-" "transactions linked to the contract, payer and payee as parties"
is "$(q "SELECT count(*) FROM oversight.payment")" 0 "and no payment invented from them (no paying unit or payment method in OCDS)"
is "$(q "SELECT scope || ' ' || relationship::text || ' ' || identifier FROM oversight.ocds_related_process")" 'process {framework} ocds-fw-1' "relatedProcesses recorded"
# Everything read as absent or left out has a note naming ocid, release and field, with its reason in both languages.
is "$(q "SELECT string_agg(ocid || ' ' || release_id || ' ' || path || ' ' || reason_code, E'\n' ORDER BY ocid, path) FROM oversight.ocds_mapping_note")" \
"ocds-syn-1 syn-1-contract awards[1] missing_id
ocds-syn-1 syn-1-contract bids.details[2].status unknown_bid_status
ocds-syn-1 syn-1-contract contracts[0].implementation.transactions[0] transaction_not_payment
ocds-syn-1 syn-1-contract contracts[0].implementation.transactions[1] transaction_not_payment
ocds-syn-1 syn-1-contract contracts[0].implementation.transactions[1].value.amount zero_amount
ocds-syn-1 syn-1-contract contracts[1] missing_id
ocds-syn-1 syn-1-contract tender.items[1].unit.value.amount zero_amount
ocds-syn-1 syn-1-contract tender.items[2] missing_id
ocds-syn-1 syn-1-contract tender.tenderPeriod period_end_before_start
ocds-syn-1 syn-1-contract tender.value.amount zero_amount" "every placeholder and every entry left out has a mapping note"
is "$(q "SELECT count(*) FROM oversight.ocds_mapping_note WHERE reason_zh !~ '[一-龥]' OR reason !~ '^[ -~]+$'")" 0 "each reason in Chinese and in English"

# Reloading changes nothing.
canonical "$DB" "$WORK/before.dump"
mapfile -t order <"$WORK/syn-order3"
out=$(loaded "${order[@]}" "$WORK/syn-package.json")
is "$(printf '%s\n' "$out" | grep -c '"rows_loaded":0,"rows_updated":0,')" "$((${#files[@]} + 1))" "every file and the package reloaded: nothing loaded or updated"
canonical "$DB" "$WORK/after.dump"
cmp -s "$WORK/before.dump" "$WORK/after.dump"
ok "$?" "no new or changed row after the reloads"

# ---- The real samples: every award, contract and item of each compiled release is loaded or has a note.
[ -n "${SHARED_DATA:-}" ] && [ -d "$SHARED_DATA/ocds" ] || { echo "ok $((TAP_N + 1)) # SKIP SHARED_DATA not set"; TAP_N=$((TAP_N + 1)); done_testing; exit; }
new_database map_real
real=("$SHARED_DATA"/ocds/real/*/sample/records/*.json "$SHARED_DATA"/ocds/real/*/sample/releases/*.json "$SHARED_DATA"/ocds/fictional/1.1/ocds-213czf-000-00001.json)
out=$(loaded "${real[@]}")
is "$(printf '%s\n' "$out" | grep -c '"status":"committed"')" "${#real[@]}" "the ${#real[@]} real sample files load"
for arr in "awards:award:award" "contracts:contract:contract" "tender,items:ocds_item WHERE scope = 'tender':tender.items"; do
	IFS=: read -r path table prefix <<<"$arr"
	got=$(q "SELECT (SELECT count(*) FROM oversight.$table) + (SELECT count(*) FROM oversight.ocds_mapping_note
	           WHERE reason_code IN ('missing_id', 'duplicate_id') AND path ~ ('^' || replace('$prefix', '.', '\\.') || '\\[[0-9]+\\]$'))")
	want=$(q "SELECT coalesce(sum(jsonb_array_length(CASE jsonb_typeof(source_document #> '{$path}') WHEN 'array' THEN source_document #> '{$path}' ELSE '[]' END)), 0) FROM oversight.procurement_process")
	is "$got" "$want" "real samples: every one of the $want $prefix entries of the compiled releases is loaded or noted"
done
is "$(q "SELECT count(*) FROM oversight.procurement_process WHERE source_document ? 'buyer' AND buyer_party_code IS NULL")" 0 "every process naming a buyer has its buyer party"
is "$(q "SELECT count(*) FROM oversight.bid WHERE published_status IS NOT NULL AND status IS NULL")" \
	"$(q "SELECT count(*) FROM oversight.ocds_mapping_note WHERE reason_code = 'unknown_bid_status'")" \
	"each bid status left unmapped has its note"
is "$(q "SELECT count(*) FROM oversight.ocds_item i WHERE scope <> 'tender' AND NOT EXISTS (SELECT FROM oversight.award a WHERE i.scope = 'award' AND a.ocid = i.ocid AND a.award_id = i.parent_id) AND NOT EXISTS (SELECT FROM oversight.contract c WHERE i.scope = 'contract' AND c.contract_code = i.ocid || '/' || i.parent_id)")" 0 \
	"every award or contract item belongs to a loaded award or contract"
done_testing
