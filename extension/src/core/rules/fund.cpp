// Rule kinds of fund allocations: budget, over-budget, special funds.
#include "kinds.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core::kinds {
namespace {

bool has_budget_project(const CompiledRule &rule, const Record &record) {
	return !Fields(rule, record)("budget_project_code").null;
}

// --- allocation_without_budget -------------------------------------------------------------------
const char *sql_without_budget = R"SQL(
SELECT {table}, b.__key, '', b.__unit,
       pg_catalog.jsonb_build_object('budget_project_code', b.budget_project_code, 'amount', b.amount,
         'allocated_on', b.allocated_on, 'fiscal_year', p.fiscal_year,
         'finding', CASE WHEN b.budget_project_code IS NULL THEN 'no_project' WHEN p.project_code IS NULL THEN 'unknown_project'
                         ELSE 'other_year' END)
  FROM {batch} b
  LEFT JOIN oversight.budget_project p ON p.project_code = b.budget_project_code
 WHERE b.budget_project_code IS NULL OR p.project_code IS NULL
    OR (b.allocated_on IS NOT NULL AND p.fiscal_year <> EXTRACT(year FROM b.allocated_on)::integer)
)SQL";

RuleKindSpec allocation_without_budget() {
	RuleKindSpec k{"allocation_without_budget",
	               {RK::FundAllocation},
	               Evaluation::Batch,
	               {},
	               "Allocation with no budget project, an unknown one, or one of another fiscal year."};
	k.title_zh = "无预算安排资金";
	k.title_en = "Allocation without budget";
	k.messages = {
	    {"no_project", "资金分配 {amount} 没有预算项目（无预算安排资金）",
	     "allocation of {amount} without a budget project"},
	    {"unknown_project", "资金分配 {amount} 记入不存在的预算项目 {budget_project_code}",
	     "allocation of {amount} to unknown budget project {budget_project_code}"},
	    {"other_year",
	     "{allocated_on} 的资金分配记入 {fiscal_year} 财年的预算项目 {budget_project_code}（跨年度安排资金）",
	     "allocation dated {allocated_on} charged to budget project {budget_project_code} of FY{fiscal_year}"}};
	k.sql = [](const CompiledRule &) -> std::string { return sql_without_budget; };
	k.required_inputs = {"budget_project_code"};
	k.optional_inputs = {"allocated_on", "amount"};
	k.required_links = {"oversight.budget_project"};
	return k;
}

// --- allocation_over_budget ----------------------------------------------------------------------
const char *sql_over_budget = R"SQL(
SELECT 'oversight.budget_project', pg_catalog.jsonb_build_object('project_code', p.project_code), '', p.unit_code,
       pg_catalog.jsonb_build_object('allocated', s.total, 'budget', p.budget_amount, 'allocations', s.n, 'tolerance_pct', {p:tolerance_pct},
         'project_code', p.project_code, 'currency', p.currency)
  FROM (SELECT DISTINCT b.budget_project_code AS bp FROM {batch} b WHERE b.budget_project_code IS NOT NULL) g
  JOIN oversight.budget_project p ON p.project_code = g.bp
 CROSS JOIN LATERAL (SELECT pg_catalog.sum(h.amount) AS total, pg_catalog.count(*) AS n FROM {hist} h
                      WHERE h.budget_project_code = p.project_code AND coalesce(h.currency, p.currency) = p.currency) s
 WHERE s.total > p.budget_amount * (1 + {p:tolerance_pct} / 100.0)
)SQL";

RuleKindSpec allocation_over_budget() {
	RuleKindSpec k{
	    "allocation_over_budget",
	    {RK::FundAllocation},
	    Evaluation::Batch,
	    {{"tolerance_pct", P::Decimal, "0", "Allocations may exceed the budget by this percentage.", "0", "100"}},
	    "Allocations charged to a budget project total more than its budget."};
	k.title_zh = "超预算安排资金";
	k.title_en = "Allocations beyond the budget";
	k.messages = {
	    {nullptr, "预算项目 {project_code} 累计分配资金 {allocated} {currency|term}，超过预算 {budget}",
	     "allocations on budget project {project_code} total {allocated} {currency}, above its budget of {budget}"}};
	k.prefilter_fields = {"budget_project_code"};
	k.may_fire = has_budget_project;
	k.sql = [](const CompiledRule &) -> std::string { return sql_over_budget; };
	k.required_inputs = {"budget_project_code", "amount"};
	k.optional_inputs = {"currency"};
	k.required_links = {"oversight.budget_project"};
	k.judges_history = true;
	return k;
}

// --- special_fund_misuse -------------------------------------------------------------------------
const char *sql_special_misuse = R"SQL(
SELECT {table}, b.__key, '', b.__unit,
       pg_catalog.jsonb_build_object('special_purpose', p.special_purpose, 'stated_purpose', b.purpose, 'budget_project_code', p.project_code)
  FROM {batch} b
  JOIN oversight.budget_project p ON p.project_code = b.budget_project_code AND p.is_special_fund
 WHERE pg_catalog.strpos(pg_catalog.lower(coalesce(b.purpose, '')), pg_catalog.lower(p.special_purpose)) = 0
)SQL";

RuleKindSpec special_fund_misuse() {
	RuleKindSpec k{"special_fund_misuse",
	               {RK::FundAllocation},
	               Evaluation::Batch,
	               {},
	               "Allocation from a special fund whose stated purpose does not contain the fund's purpose."};
	k.title_zh = "专项资金未按规定用途使用";
	k.title_en = "Special fund used outside its purpose";
	k.messages = {
	    {nullptr,
	     "专项资金 {budget_project_code}（规定用途：{special_purpose}）被用于“{stated_purpose}”，不符合规定用途",
	     "special fund {budget_project_code} (purpose: {special_purpose}) allocated for \"{stated_purpose}\""}};
	k.prefilter_fields = {"budget_project_code"};
	k.may_fire = has_budget_project;
	k.sql = [](const CompiledRule &) -> std::string { return sql_special_misuse; };
	k.required_inputs = {"budget_project_code", "purpose"};
	k.required_links = {"oversight.budget_project"};
	return k;
}

} // namespace

std::vector<RuleKindSpec> fund_kinds() {
	return {allocation_without_budget(), allocation_over_budget(), special_fund_misuse()};
}

} // namespace oversight::core::kinds
