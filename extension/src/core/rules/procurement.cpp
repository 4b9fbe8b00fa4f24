// Rule kinds of procurement: method and thresholds, splitting, top-ups, tender periods, single bids,
// collusion signals among bids.
#include "kinds.hpp"

#include "oversight/core/cpp_only.hpp"
#include "oversight/core/indicators.hpp"

namespace oversight::core::kinds {
namespace {

namespace M = procurement_method;

// --- method_threshold ----------------------------------------------------------------------------
RuleKindSpec method_threshold() {
	RuleKindSpec k{"method_threshold",
	               {RK::Procurement},
	               Evaluation::Row,
	               {{"threshold_goods", P::Decimal, "2000000", "Public-tender threshold for goods.", "0"},
	                {"threshold_services", P::Decimal, "2000000", "Public-tender threshold for services.", "0"},
	                {"threshold_works", P::Decimal, "4000000", "Public-tender threshold for works.", "0"},
	                {"open_methods", P::TextList, json_string_list({M::open}), "Methods that count as public tender."},
	                {"currency", P::Text, "\"CNY\"", "Currency of the thresholds."}},
	               "Non-open method at or above the public-tender threshold without a prior approval reference "
	               "(政府采购法 第27条)."};
	k.title_zh = "达到公开招标数额标准未经批准采用非公开方式";
	k.title_en = "Non-open method at or above the threshold without approval";
	k.messages = {{nullptr,
	               "{category|term}采购预算 {estimated_value}，达到公开招标数额标准 "
	               "{threshold}，未经批准采用非公开方式“{method|term}”",
	               "non-open method \"{method}\" for {category} worth {estimated_value}, at or above the public-tender "
	               "threshold {threshold}, without prior approval"}};
	k.row_fields = {"procurement_method", "estimated_value", "main_procurement_category", "method_approval_ref",
	                "currency"};
	k.check_row = [](const CompiledRule &rule, const Record &record, const Calendar &, Hit &hit) {
		Fields f(rule, record);
		const Value &method = f("procurement_method"), &value = f("estimated_value"),
		            &cat = f("main_procurement_category");
		if (method.null || value.null || in_list(rule.list("open_methods"), method.text))
			return false;
		if (!f("method_approval_ref").null && !f("method_approval_ref").text.empty())
			return false;
		if (!currency_is(f("currency"), rule.text("currency")))
			return false;
		Decimal threshold = rule.dec("threshold_goods");
		std::string category = cat.null ? procurement_category::goods : cat.text;
		if (category == procurement_category::services)
			threshold = rule.dec("threshold_services");
		else if (category == procurement_category::works)
			threshold = rule.dec("threshold_works");
		if (value.dec < threshold)
			return false;
		hit.details = details({{"method", jtext(method)},
		                       {"estimated_value", jdec(value.dec)},
		                       {"threshold", jdec(threshold)},
		                       {"category", Json(category)}});
		return true;
	};
	// Without the approval reference a non-open purchase cannot be told approved or not.
	k.required_inputs = {"procurement_method", "estimated_value", "method_approval_ref"};
	k.optional_inputs = {"main_procurement_category", "currency"};
	k.thresholds = ThresholdCurrency::Param;
	return k;
}

// --- purchase_splitting and near_threshold_purchases ---------------------------------------------
// A non-open purchase with a budget project and a category: a candidate of both splitting kinds.
bool non_open_with_project(const CompiledRule &rule, const Record &record) {
	Fields f(rule, record);
	return !f("procurement_method").null && in_list(rule.list("non_open_methods"), f("procurement_method").text) &&
	       !f("budget_project_code").null && !f("category_code").null;
}

// 政府采购法实施条例 第28条: in one fiscal year, one budget project, one category, purchases by non-open
// methods whose cumulative amount exceeds (超过) the public-tender threshold. A non-open purchase at or
// above the threshold is a member of the group too (and, without approval, also the method-vs-threshold
// finding of PROC.METHOD_THRESHOLD).
const char *sql_splitting = R"SQL(
SELECT {table}, pg_catalog.jsonb_build_object('budget_project_code', g.bp, 'category_code', g.cat), 'FY' || g.fy, s.unit,
       pg_catalog.jsonb_build_object('purchases', s.keys, 'total', s.total, 'threshold', {p:threshold}, 'count', s.n,
         'category_code', g.cat, 'budget_project_code', g.bp, 'fiscal_year', g.fy)
  FROM (SELECT DISTINCT b.budget_project_code AS bp, b.category_code AS cat, b.fiscal_year AS fy FROM {batch} b
         WHERE b.procurement_method = ANY ({p:non_open_methods}) AND b.budget_project_code IS NOT NULL
           AND b.category_code IS NOT NULL AND b.fiscal_year IS NOT NULL) g
 CROSS JOIN LATERAL (SELECT pg_catalog.count(*) AS n, pg_catalog.sum(h.estimated_value) AS total,
                            pg_catalog.jsonb_agg(h.__key ORDER BY h.__key) AS keys, pg_catalog.min(h.__unit) AS unit
                       FROM {hist} h
                      WHERE h.budget_project_code = g.bp AND h.category_code = g.cat AND h.fiscal_year = g.fy
                        AND h.procurement_method = ANY ({p:non_open_methods}) AND h.estimated_value IS NOT NULL
                        AND (h.method_approval_ref IS NULL OR h.method_approval_ref = '')
                        AND coalesce(h.currency, {base_currency}) = {p:currency}
                        AND coalesce(h.tender_status, '') <> 'cancelled') s
  LEFT JOIN oversight.budget_project bp ON bp.project_code = g.bp
 WHERE s.n >= {p:min_count} AND s.total > {p:threshold}
   AND NOT ({p:honor_budget_adjustment} AND bp.adjusted_on IS NOT NULL)
)SQL";

RuleKindSpec purchase_splitting() {
	RuleKindSpec k{
	    "purchase_splitting",
	    {RK::Procurement},
	    Evaluation::Batch,
	    {{"threshold", P::Decimal, "2000000", "Public-tender threshold the split purchases stay under.", "0"},
	     {"min_count", P::Integer, "2", "At least this many non-open purchases.", "2", "1000"},
	     {"non_open_methods", P::TextList, json_string_list(non_open_procurement_methods()),
	      "Methods that count as non-open."},
	     {"honor_budget_adjustment", P::Bool, "true",
	      "No alert when the budget project records an approved adjustment."},
	     {"currency", P::Text, "\"CNY\"", "Currency of the threshold."}},
	    "化整为零 (政府采购法实施条例 第28条): in one fiscal year, one budget project and one category, several "
	    "purchases by non-open methods (without approval) whose total exceeds the threshold."};
	k.title_zh = "化整为零规避公开招标";
	k.title_en = "Purchase splitting (化整为零)";
	k.messages = {
	    {nullptr,
	     "预算项目 {budget_project_code} 在 {fiscal_year} 财年以非公开方式采购品目 {category_code} {count} 次，合计 "
	     "{total}，超过公开招标数额标准 {threshold}，涉嫌化整为零规避公开招标",
	     "{count} non-open purchases of category {category_code} on budget project {budget_project_code} in "
	     "FY{fiscal_year} total {total}, above the public-tender threshold {threshold} (化整为零)"}};
	k.prefilter_fields = {"procurement_method", "budget_project_code", "category_code"};
	k.may_fire = non_open_with_project;
	k.sql = [](const CompiledRule &) -> std::string { return sql_splitting; };
	k.required_inputs = {"procurement_method", "estimated_value", "budget_project_code",
	                     "category_code",      "fiscal_year",     "method_approval_ref"};
	k.optional_inputs = {"currency", "tender_status"};
	k.optional_links = {"oversight.budget_project"};
	k.thresholds = ThresholdCurrency::Param;
	k.judges_history = true;
	return k;
}

const char *sql_near_threshold = R"SQL(
SELECT {table}, pg_catalog.jsonb_build_object('budget_project_code', g.bp, 'category_code', g.cat), 'FY' || g.fy, s.unit,
       pg_catalog.jsonb_build_object('purchases', s.keys, 'threshold', {p:threshold}, 'near_ratio', {p:near_ratio}, 'count', s.n,
         'category_code', g.cat, 'budget_project_code', g.bp, 'fiscal_year', g.fy)
  FROM (SELECT DISTINCT b.budget_project_code AS bp, b.category_code AS cat, b.fiscal_year AS fy FROM {batch} b
         WHERE b.procurement_method = ANY ({p:non_open_methods}) AND b.budget_project_code IS NOT NULL
           AND b.category_code IS NOT NULL AND b.fiscal_year IS NOT NULL) g
 CROSS JOIN LATERAL (SELECT pg_catalog.count(*) AS n, pg_catalog.jsonb_agg(h.__key ORDER BY h.__key) AS keys, pg_catalog.min(h.__unit) AS unit
                       FROM {hist} h
                      WHERE h.budget_project_code = g.bp AND h.category_code = g.cat AND h.fiscal_year = g.fy
                        AND h.procurement_method = ANY ({p:non_open_methods})
                        AND h.estimated_value >= {p:threshold} * {p:near_ratio} AND h.estimated_value < {p:threshold}
                        AND coalesce(h.currency, {base_currency}) = {p:currency}
                        AND coalesce(h.tender_status, '') <> 'cancelled') s
 WHERE s.n >= {p:min_count}
)SQL";

RuleKindSpec near_threshold_purchases() {
	RuleKindSpec k{
	    "near_threshold_purchases",
	    {RK::Procurement},
	    Evaluation::Batch,
	    {{"threshold", P::Decimal, "2000000", "Public-tender threshold.", "0"},
	     {"near_ratio", P::Decimal, "0.9",
	      "A purchase at or above threshold × near_ratio and under the threshold is near it.", "0.01", "0.999999"},
	     {"min_count", P::Integer, "2", "At least this many near-threshold non-open purchases.", "2", "1000"},
	     {"non_open_methods", P::TextList, json_string_list(non_open_procurement_methods()),
	      "Methods that count as non-open."},
	     {"currency", P::Text, "\"CNY\"", "Currency of the threshold."}},
	    "Near-threshold variant of splitting: several non-open purchases just under the threshold, same "
	    "project, category and year."};
	k.title_zh = "多次采购金额略低于限额标准";
	k.title_en = "Repeated purchases just under the threshold";
	k.messages = {{nullptr,
	               "预算项目 {budget_project_code} 在 {fiscal_year} 财年有 {count} 次品目 {category_code} "
	               "的非公开采购金额略低于限额标准 {threshold}",
	               "{count} non-open purchases just under the threshold {threshold} (category {category_code}, project "
	               "{budget_project_code}, FY{fiscal_year})"}};
	k.prefilter_fields = {"procurement_method", "budget_project_code", "category_code"};
	k.may_fire = non_open_with_project;
	k.sql = [](const CompiledRule &) -> std::string { return sql_near_threshold; };
	k.required_inputs = {"procurement_method", "estimated_value", "budget_project_code", "category_code",
	                     "fiscal_year"};
	k.optional_inputs = {"currency", "tender_status"};
	k.thresholds = ThresholdCurrency::Param;
	k.judges_history = true;
	return k;
}

// --- single_source_topup (contracts) -------------------------------------------------------------
const char *sql_topup = R"SQL(
SELECT {table}, p.__key, '', p.__unit,
       pg_catalog.jsonb_build_object('supplements', s.keys, 'added', s.total, 'original', p.amount, 'max_pct', {p:max_pct},
         'count', s.n, 'currency', p.currency, 'contract_code', p.contract_code, 'added_pct', pg_catalog.round(s.total * 100 / p.amount, 2))
  FROM (SELECT DISTINCT b.parent_contract_code AS parent FROM {batch} b WHERE b.parent_contract_code IS NOT NULL) g
  JOIN {hist} p ON p.contract_code = g.parent
 CROSS JOIN LATERAL (SELECT pg_catalog.sum(c.amount) AS total, pg_catalog.count(*) AS n, pg_catalog.jsonb_agg(c.__key ORDER BY c.__key) AS keys FROM {hist} c
                      WHERE c.parent_contract_code = p.contract_code AND c.currency IS NOT DISTINCT FROM p.currency
                        AND coalesce(c.status, '') NOT IN ('cancelled')) s
 WHERE p.amount > 0 AND s.total > p.amount * {p:max_pct} / 100
)SQL";

RuleKindSpec single_source_topup() {
	RuleKindSpec k{
	    "single_source_topup",
	    {RK::Contract},
	    Evaluation::Batch,
	    {{"max_pct", P::Decimal, "10",
	      "Supplementary contracts may add up to this percentage of the original (政府采购法 第31条).", "0", "100"}},
	    "Supplementary contracts of an original contract total more than the allowed percentage of it."};
	k.title_zh = "单一来源追加采购超过规定比例";
	k.title_en = "Single-source top-ups over the allowed share";
	k.messages = {{nullptr,
	               "合同 {contract_code}（金额 {original} {currency|term}）的 {count} 份补充合同追加 {added}，占原合同 "
	               "{added_pct}%，超过 {max_pct}% 的上限",
	               "{count} supplementary contract(s) add {added} {currency} to contract {contract_code} of {original} "
	               "({added_pct}%, limit {max_pct}%)"}};
	k.prefilter_fields = {"parent_contract_code"};
	k.may_fire = [](const CompiledRule &rule, const Record &record) {
		return !Fields(rule, record)("parent_contract_code").null;
	};
	k.sql = [](const CompiledRule &) -> std::string { return sql_topup; };
	k.required_inputs = {"parent_contract_code", "amount"};
	k.optional_inputs = {"currency", "status"};
	k.judges_history = true;
	return k;
}

// --- tender_period_short -------------------------------------------------------------------------
RuleKindSpec tender_period_short() {
	RuleKindSpec k{"tender_period_short",
	               {RK::Procurement},
	               Evaluation::Row,
	               {{"min_days_open", P::Integer, "20",
	                 "Minimum days from tender documents to bid deadline for open and selective tenders.", "0", "365"},
	                {"min_days_limited", P::Integer, "10",
	                 "Minimum days for competitive consultation/negotiation (limited).", "0", "365"}},
	               "Tender period shorter than the legal minimum (whole days, truncated; 政府采购法 第35条, "
	               "财库〔2014〕214号)."};
	k.title_zh = "招标期限不足法定期限";
	k.title_en = "Tender period under the legal minimum";
	k.messages = {{nullptr, "{method|term}的招标期限仅 {days} 日，少于法定最短期限 {min_days} 日",
	               "tender period of {days} days for a {method} procedure, under the minimum of {min_days}"}};
	k.row_fields = {"procurement_method", "tender_period_start", "tender_period_end", "tender_status"};
	k.check_row = [](const CompiledRule &rule, const Record &record, const Calendar &, Hit &hit) {
		Fields f(rule, record);
		const Value &method = f("procurement_method"), &start = f("tender_period_start"), &end = f("tender_period_end");
		if (method.null || start.null || end.null)
			return false;
		if (is(f("tender_status"), "cancelled")) // a cancelled tender's period is not judged (as Cardinal's R003)
			return false;
		int64_t min_days;
		if (method.text == M::open || method.text == M::selective)
			min_days = rule.integer("min_days_open");
		else if (method.text == M::limited)
			min_days = rule.integer("min_days_limited");
		else
			return false;
		int64_t days; // Cardinal's R003 is this check with its own minimum (indicators.hpp)
		if (!indicators::period_too_short(start.micros, end.micros, min_days, days))
			return false;
		hit.details = details({{"days", Json(days)}, {"min_days", Json(min_days)}, {"method", jtext(method)}});
		return true;
	};
	k.required_inputs = {"procurement_method", "tender_period_start", "tender_period_end"};
	k.optional_inputs = {"tender_status"};
	return k;
}

// --- single_bid ----------------------------------------------------------------------------------
RuleKindSpec single_bid() {
	RuleKindSpec k{"single_bid",
	               {RK::Procurement},
	               Evaluation::Row,
	               {{"methods", P::TextList, json_string_list({M::open, M::selective}),
	                 "Methods in which a single tenderer is a red flag (OCP R018)."}},
	               "Only one tenderer in a competitive tender."};
	k.title_zh = "竞争性采购仅一家投标";
	k.title_en = "Single bid in a competitive tender";
	k.messages = {{nullptr, "{method|term}仅有一家投标人", "only one tenderer in a {method} procedure"}};
	k.row_fields = {"number_of_tenderers", "procurement_method", "tender_status"};
	k.check_row = [](const CompiledRule &rule, const Record &record, const Calendar &, Hit &hit) {
		Fields f(rule, record);
		const Value &n = f("number_of_tenderers"), &method = f("procurement_method");
		if (n.null || method.null || n.integer != 1 || !in_list(rule.list("methods"), method.text))
			return false;
		if (is(f("tender_status"), "cancelled"))
			return false;
		hit.details = details({{"number_of_tenderers", Json(1)}, {"method", jtext(method)}});
		return true;
	};
	k.required_inputs = {"number_of_tenderers", "procurement_method"};
	k.optional_inputs = {"tender_status"};
	return k;
}

// --- collusion among bids ------------------------------------------------------------------------
// Collusion signals share one shape: bids of one process grouped by a shared value, told apart by their
// tenderers (oversight.bid_tenderer) with the one decision of core/collusion.hpp (oversight.tenderers_verdict,
// which Cardinal's R028 uses too). The bids of one tenderer (a company bidding on two lots) are never
// "different tenderers". A bid whose tenderers are not known cannot be told apart: a group that has
// fewer than two known tenderer sets but bids of unknown tenderers is reported as cannot-evaluate
// (link_missing), never fired on a guess. Bids of a cancelled tender are not judged. These kinds are
// evaluated at the end of the writing transaction (at_commit_group), over the whole process, so the
// tenderer links written after the bids are seen.
std::string collusion_sql(const std::string &value_expr, const std::string &label, const std::string &extra_group) {
	std::string sql = R"SQL(
WITH g AS (
  SELECT DISTINCT b.ocid{extra_cols}, {value_b} AS v FROM {batch} b
   WHERE {value_b} IS NOT NULL AND {value_b} <> '' AND coalesce(b.status, '') NOT IN ('invited', 'withdrawn')),
x AS (
  SELECT g.ocid{extra_g}, g.v, h.__key, h.__load,
         (SELECT pg_catalog.string_agg(t.party_code, ',' ORDER BY t.party_code) FROM oversight.bid_tenderer t
           WHERE t.ocid = h.ocid AND t.bid_id = h.bid_id) AS tset
    FROM g JOIN {hist} h ON h.ocid = g.ocid{extra_match} AND {value_h} = g.v AND coalesce(h.status, '') NOT IN ('invited', 'withdrawn')
   WHERE NOT EXISTS (SELECT FROM oversight.procurement_process c WHERE c.ocid = g.ocid AND c.tender_status = 'cancelled')),
s AS (
  SELECT x.ocid{extra_x}, x.v, pg_catalog.count(*) AS n, pg_catalog.count(DISTINCT x.tset) AS sets,
         oversight.tenderers_verdict(pg_catalog.array_agg(coalesce('#' || x.tset, ''))) AS verdict,
         pg_catalog.jsonb_agg(x.__key ORDER BY x.__key) AS keys
    FROM x GROUP BY x.ocid{extra_x}, x.v HAVING pg_catalog.count(*) >= 2)
SELECT {table}, pg_catalog.jsonb_build_object('ocid', s.ocid{extra_key}, '{label}', s.v), '', pr.buyer_unit_code,
       pg_catalog.jsonb_build_object('bids', s.keys, 'tenderer_sets', s.sets, 'count', s.n, 'ocid', s.ocid, 'value', s.v)
  FROM s LEFT JOIN oversight.procurement_process pr ON pr.ocid = s.ocid
 WHERE s.verdict = 'different_tenderers'
 UNION ALL
SELECT {table}, NULL::pg_catalog.jsonb, '', NULL::pg_catalog.text,
       pg_catalog.jsonb_build_object('cannot_evaluate', 'link_missing', 'missing', pg_catalog.jsonb_build_array('oversight.bid_tenderer'),
         'load_id', x.__load, 'records', pg_catalog.count(*))
  FROM s JOIN x ON x.ocid = s.ocid{extra_same} AND x.v = s.v
 WHERE s.verdict = 'cannot_evaluate' AND x.tset IS NULL
 GROUP BY x.__load
)SQL";
	auto replace_all = [&](const std::string &from, const std::string &to) {
		size_t pos = 0;
		while ((pos = sql.find(from, pos)) != std::string::npos) {
			sql.replace(pos, from.size(), to);
			pos += to.size();
		}
	};
	std::string vb = value_expr, vh = value_expr;
	replace_all("{value_b}", substitute(vb, "t", "b"));
	replace_all("{value_h}", substitute(vh, "t", "h"));
	replace_all("{label}", label);
	if (extra_group.empty()) {
		for (const char *p : {"{extra_key}", "{extra_cols}", "{extra_g}", "{extra_x}", "{extra_match}", "{extra_same}"})
			replace_all(p, "");
	} else {
		replace_all("{extra_key}", ", 'lot_id', s.lot_id, 'currency', s.currency");
		replace_all("{extra_cols}", ", b.lot_id, b.currency");
		replace_all("{extra_g}", ", g.lot_id, g.currency");
		replace_all("{extra_x}", ", x.lot_id, x.currency");
		replace_all("{extra_match}",
		            " AND h.lot_id IS NOT DISTINCT FROM g.lot_id AND h.currency IS NOT DISTINCT FROM g.currency");
		replace_all("{extra_same}",
		            " AND x.lot_id IS NOT DISTINCT FROM s.lot_id AND x.currency IS NOT DISTINCT FROM s.currency");
	}
	return sql;
}

RuleKindSpec collusion_same_contact() {
	RuleKindSpec k{
	    "collusion_same_contact",
	    {RK::Bid},
	    Evaluation::Batch,
	    {},
	    "Bids of different tenderers in one process name the same contact or project manager (财政部令第87号 "
	    "第37条)."};
	k.title_zh = "串标迹象：不同投标人的联系人相同";
	k.title_en = "Collusion signal: same contact in bids of different tenderers";
	k.messages = {{nullptr, "采购项目 {ocid} 中不同投标人的 {count} 份投标联系人相同（{value}），涉嫌串通投标",
	               "{count} bids of different tenderers in process {ocid} share the same contact {value}"}};
	k.prefilter_fields = {"contact_name"};
	k.may_fire = [](const CompiledRule &rule, const Record &record) {
		return !Fields(rule, record)("contact_name").null;
	};
	k.sql = [](const CompiledRule &) {
		return collusion_sql("pg_catalog.lower(pg_catalog.btrim({t}.contact_name))", "contact", "");
	};
	k.required_inputs = {"ocid", "contact_name"};
	k.optional_inputs = {"status", "bid_id"};
	k.optional_links = {"oversight.bid_tenderer"};
	k.judges_history = true;
	k.at_commit_group = "ocid";
	return k;
}

RuleKindSpec collusion_same_bond_account() {
	RuleKindSpec k{"collusion_same_bond_account",
	               {RK::Bid},
	               Evaluation::Batch,
	               {},
	               "Bid bonds of different tenderers in one process came from the same account."};
	k.title_zh = "串标迹象：投标保证金出自同一账户";
	k.title_en = "Collusion signal: bid bonds from the same account";
	k.messages = {{nullptr, "采购项目 {ocid} 中不同投标人的 {count} 份投标保证金出自同一账户（{value}），涉嫌串通投标",
	               "{count} bids of different tenderers in process {ocid} share the same bond account {value}"}};
	k.prefilter_fields = {"bond_account"};
	k.may_fire = [](const CompiledRule &rule, const Record &record) {
		return !Fields(rule, record)("bond_account").null;
	};
	k.sql = [](const CompiledRule &) {
		return collusion_sql("pg_catalog.btrim({t}.bond_account)", "bond_account", "");
	};
	k.required_inputs = {"ocid", "bond_account"};
	k.optional_inputs = {"status", "bid_id"};
	k.optional_links = {"oversight.bid_tenderer"};
	k.judges_history = true;
	k.at_commit_group = "ocid";
	return k;
}

RuleKindSpec collusion_identical_price() {
	RuleKindSpec k{"collusion_identical_price",
	               {RK::Bid},
	               Evaluation::Batch,
	               {},
	               "Two submitted bids of different tenderers in one process and lot with the same amount and currency "
	               "(OCP R028)."};
	k.title_zh = "串标迹象：投标报价相同";
	k.title_en = "Collusion signal: identical bid prices";
	k.messages = {{nullptr, "采购项目 {ocid} 中不同投标人的 {count} 份投标报价相同（{value}），涉嫌串通投标",
	               "{count} bids of different tenderers in process {ocid} share the same price {value}"}};
	k.prefilter_fields = {"amount"};
	k.may_fire = [](const CompiledRule &rule, const Record &record) { return !Fields(rule, record)("amount").null; };
	k.sql = [](const CompiledRule &) { return collusion_sql("{t}.amount::pg_catalog.text", "amount", "lot"); };
	k.required_inputs = {"ocid", "amount"};
	k.optional_inputs = {"status", "bid_id", "lot_id", "currency"};
	k.optional_links = {"oversight.bid_tenderer"};
	k.judges_history = true;
	k.at_commit_group = "ocid";
	return k;
}

} // namespace

std::vector<RuleKindSpec> procurement_kinds() {
	return {method_threshold(),       purchase_splitting(),          near_threshold_purchases(),
	        single_source_topup(),    tender_period_short(),         single_bid(),
	        collusion_same_contact(), collusion_same_bond_account(), collusion_identical_price()};
}

} // namespace oversight::core::kinds
