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
       CASE WHEN b.budget_project_code IS NULL THEN 'allocation of ' || b.amount || ' without a budget project'
            WHEN p.project_code IS NULL THEN 'allocation of ' || b.amount || ' to unknown budget project ' || b.budget_project_code
            ELSE 'allocation dated ' || b.allocated_on || ' charged to budget project ' || p.project_code || ' of FY' || p.fiscal_year END,
       pg_catalog.jsonb_build_object('budget_project_code', b.budget_project_code, 'amount', b.amount)
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
	k.sql = [](const CompiledRule &) -> std::string { return sql_without_budget; };
	k.required_inputs = {"budget_project_code"};
	k.optional_inputs = {"allocated_on", "amount"};
	k.required_links = {"oversight.budget_project"};
	return k;
}

// --- allocation_over_budget ----------------------------------------------------------------------
const char *sql_over_budget = R"SQL(
SELECT 'oversight.budget_project', pg_catalog.jsonb_build_object('project_code', p.project_code), '', p.unit_code,
       'allocations on budget project ' || p.project_code || ' total ' || s.total || ' ' || p.currency || ', above its budget of ' || p.budget_amount,
       pg_catalog.jsonb_build_object('allocated', s.total, 'budget', p.budget_amount, 'allocations', s.n, 'tolerance_pct', {p:tolerance_pct})
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
       'special fund ' || p.project_code || ' (purpose: ' || p.special_purpose || ') allocated for "' || coalesce(b.purpose, '') || '"',
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
