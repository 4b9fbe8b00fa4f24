// Data coverage in the pure core (issue 11): what each rule kind declares it judges a record by, the
// required inputs a watch or a load lacks, the currency of thresholds, refunds and credit notes for
// kinds that judge payments only, and how a rule's SQL leaves out and counts what it cannot judge.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "oversight/core/batch_sql.hpp"
#include "oversight/core/error.hpp"
#include "oversight/core/sql_names.hpp"
#include "rule_fixtures.hpp"

using namespace oversight::core;

namespace {

const std::set<std::string> &link_tables() {
	static const std::set<std::string> links = {
	    "oversight.payment_signoff", "oversight.discretion_band", "oversight.bid_tenderer",  "oversight.contract",
	    "oversight.party",           "oversight.person_account",  "oversight.budget_project"};
	return links;
}

TableShape canonical_payments() {
	TableShape s;
	s.kind = RecordKind::Payment;
	s.table_name = "oversight.payment";
	for (const auto &f : record_fields(RecordKind::Payment))
		s.fields.push_back({field_index(RecordKind::Payment, f.name), f.name, sql_type_name(f.type)});
	s.key_columns = {"payment_code"};
	s.quoted_key_columns = {"payment_code"};
	s.provenance_column = "load_id";
	return s;
}

} // namespace

TEST(CoverageTest, EveryKindDeclaresWhatItReads) {
	for (const auto &k : rule_kinds()) {
		// Data-driven kinds (matter rules) read what their parameters name: a condition over NULL is not true.
		if (std::string(k.kind) != "test_failure" && !k.fields_of) {
			EXPECT_FALSE(k.required_inputs.empty()) << k.kind;
		}
		std::set<std::string> declared;
		for (const auto *list : {&k.required_inputs, &k.optional_inputs})
			for (const char *entry : *list)
				for (const auto &field : input_alternatives(entry)) {
					declared.insert(field);
					for (auto rk : k.record_kinds)
						EXPECT_GE(field_index(rk, field), 0)
						    << k.kind << ": " << field << " is not a field of " << record_kind_name(rk);
				}
		for (const auto *list : {&k.required_links, &k.optional_links})
			for (const char *link : *list)
				EXPECT_TRUE(link_tables().count(link))
				    << k.kind << ": unknown link table " << link << " (oversight.rule_coverage lists the link tables)";
		// What the C++ check, pre-filter and pair probe read is declared.
		const std::vector<const char *> pair_fields = k.pairs ? k.pairs->fields : std::vector<const char *>{};
		for (const auto *list : {&k.row_fields, &k.prefilter_fields, &pair_fields})
			for (const char *field : *list)
				EXPECT_TRUE(declared.count(field)) << k.kind << " reads " << field << " without declaring it";
		if (k.payments_only) {
			EXPECT_TRUE(declared.count("payment_kind")) << k.kind;
		}
		if (k.thresholds == ThresholdCurrency::Param) {
			EXPECT_TRUE(std::any_of(k.params.begin(), k.params.end(), [](const ParamSpec &p) {
				return std::string(p.name) == "currency";
			})) << k.kind;
		}
		if (k.thresholds != ThresholdCurrency::None) {
			EXPECT_TRUE(declared.count("currency")) << k.kind;
		}
		// The fields the set-based SQL reads from the batch (b.) and the stored rows (h.) are declared.
		auto r = fixtures::compile_with_defaults(k);
		if (r.evaluation() == Evaluation::Row || std::string(k.kind) == "test_failure")
			continue;
		std::string sql = rule_sql(r);
		static const std::regex field_ref("\\b[bh]\\.([a-z_]+)\\b");
		for (auto it = std::sregex_iterator(sql.begin(), sql.end(), field_ref); it != std::sregex_iterator(); ++it) {
			std::string field = (*it)[1];
			if (field.rfind("__", 0) == 0)
				continue;
			EXPECT_TRUE(declared.count(field) || field_index(k.record_kinds.front(), field) < 0)
			    << k.kind << "'s SQL reads " << field << " without declaring it";
		}
	}
}

TEST(CoverageTest, MissingInputsHonourAlternatives) {
	auto dup = CompiledRule::compile(1, "PAY.DUPLICATE", "payment_duplicate", "payment", "{}", false);
	auto has = [](std::set<std::string> fields) {
		return [fields](const std::string &f) { return fields.count(f) > 0; };
	};
	EXPECT_EQ(missing_inputs(dup, has({"invoice_no", "amount", "payee_name"})), std::vector<std::string>{});
	EXPECT_EQ(missing_inputs(dup, has({"invoice_no", "amount", "payee_account"})), std::vector<std::string>{});
	EXPECT_EQ(missing_inputs(dup, has({"amount"})),
	          (std::vector<std::string>{"invoice_no", "payee_account|payee_name"}));
	auto fine = CompiledRule::compile(2, "ENF.FINE_UNPAID", "fine_unpaid", "enforcement", "{}", false);
	EXPECT_EQ(missing_inputs(fine, has({"penalty_kind", "fine_amount", "decided_on"})),
	          std::vector<std::string>{"paid_on"});
}

TEST(CoverageTest, ThresholdCurrency) {
	EXPECT_EQ(threshold_currency(CompiledRule::compile(1, "T", "cash_single", "payment", "{}", false), "GBP"), "CNY");
	EXPECT_EQ(threshold_currency(
	              CompiledRule::compile(1, "T", "cash_single", "payment", R"({"currency": "GBP"})", false), "CNY"),
	          "GBP");
	EXPECT_EQ(threshold_currency(CompiledRule::compile(1, "T", "round_amount", "payment", "{}", false), "GBP"), "GBP");
	EXPECT_EQ(threshold_currency(CompiledRule::compile(1, "T", "payment_duplicate", "payment", "{}", false), "GBP"),
	          "");
}

TEST(CoverageTest, SqlLeavesOutLoadsThatLackInputs) {
	TableShape shape = canonical_payments();
	auto fine = CompiledRule::compile(3, "ENF.FINE_UNPAID", "fine_unpaid", "enforcement", "{}", false);
	EXPECT_EQ(load_lacks_inputs(fine, "l"),
	          "l.fields_provided IS NOT NULL AND NOT (l.fields_provided && "
	          "ARRAY['enforcement.penalty_kind']::pg_catalog.text[] "
	          "AND l.fields_provided && ARRAY['enforcement.fine_amount']::pg_catalog.text[] AND l.fields_provided && "
	          "ARRAY['enforcement.decided_on']::pg_catalog.text[] AND l.fields_provided && "
	          "ARRAY['enforcement.paid_on']::pg_catalog.text[])");
	auto dup = CompiledRule::compile(1, "PAY.DUPLICATE", "payment_duplicate", "payment", "{}", false);
	EXPECT_NE(load_lacks_inputs(dup, "l").find("ARRAY['payment.payee_account', 'payment.payee_name']"),
	          std::string::npos);

	// A sweep: stored rows of such loads are left out of {hist} and counted per load.
	auto signoff = CompiledRule::compile(2, "PAY.MISSING_SIGNOFF", "missing_signoff", "payment", "{}", false);
	std::string sql = instantiate(signoff, shape);
	EXPECT_NE(sql.find("v.__load IS NULL OR v.__load NOT IN (SELECT l.load_id FROM oversight.load l WHERE"),
	          std::string::npos);
	EXPECT_NE(sql.find("'cannot_evaluate', 'not_provided'"), std::string::npos);
	EXPECT_NE(sql.find("'cannot_evaluate', 'other_currency'"), std::string::npos);
	EXPECT_NE(sql.find("'cannot_evaluate', 'no_link_rows'"), std::string::npos);
	EXPECT_NE(sql.find("'cannot_evaluate', 'link_not_loaded'"), std::string::npos);
	EXPECT_NE(sql.find("EXISTS (SELECT FROM oversight.payment_signoff)"), std::string::npos);
	EXPECT_EQ(unqualified_names(sql), std::vector<std::string>{});

	// A table without a provenance column has no loads: nothing is left out.
	TableShape dba = shape;
	dba.provenance_column.clear();
	std::string dba_sql = instantiate(signoff, dba);
	EXPECT_EQ(dba_sql.find("oversight.load l"), std::string::npos);
	EXPECT_NE(dba_sql.find("NULL::pg_catalog.int8 AS __load"), std::string::npos);

	// A write: rules that judge history leave those loads out of it; pairwise rules need not.
	auto cash = CompiledRule::compile(4, "CASH.MONTHLY", "cash_cumulative", "payment", R"({"limit": 1})", false);
	EXPECT_NE(instantiate(cash, shape).find("NOT IN (SELECT l.load_id FROM oversight.load l"), std::string::npos);
	EXPECT_EQ(instantiate(dup, shape).find("oversight.load l"), std::string::npos);
}

TEST(CoverageTest, ScopeLeavesOutWrittenRows) {
	TableShape shape = canonical_payments();
	auto near = CompiledRule::compile(5, "PAY.NEAR_DUPLICATE", "payment_near_duplicate", "payment", "{}", false);
	std::string plain = instantiate(near, shape);
	EXPECT_EQ(plain.find("(SELECT * FROM (SELECT"), std::string::npos)
	    << "nothing left out: the batch is the plain view";
	RuleScope scope;
	scope.excluded_loads = {7, 9};
	scope.batch_currency = "CNY";
	scope.base_currency = "GBP";
	std::string sql = instantiate(near, shape, scope);
	EXPECT_NE(
	    sql.find("v WHERE (v.__load IS NULL OR v.__load <> ALL ('{7,9}'::pg_catalog.int8[])) AND coalesce(v.currency, "
	             "'GBP') = 'CNY')"),
	    std::string::npos)
	    << sql;
	EXPECT_EQ(unqualified_names(sql), std::vector<std::string>{});
	std::string rec = recording_query({&near}, shape, "statement", true, {scope});
	EXPECT_NE(rec.find("'{7,9}'"), std::string::npos);
	EXPECT_EQ(unqualified_names(rec), std::vector<std::string>{});
}

TEST(CoverageTest, RequiredLinksGateTheRule) {
	TableShape shape = canonical_payments();
	auto staff = CompiledRule::compile(6, "PAY.STAFF_PAYEE", "payee_staff_account", "payment", "{}", false);
	std::string sql = instantiate(staff, shape);
	EXPECT_NE(sql.find(") q WHERE EXISTS (SELECT FROM oversight.person_account)\n UNION ALL\n"), std::string::npos)
	    << sql;
	EXPECT_NE(
	    sql.find("WHERE NOT (EXISTS (SELECT FROM oversight.person_account)) AND (x.payee_account IS NOT NULL) AND "
	             "coalesce(x.payment_kind, 'payment') = 'payment' GROUP BY x.__load"),
	    std::string::npos)
	    << sql;
	auto round = CompiledRule::compile(7, "PAY.ROUND_AMOUNT", "round_amount", "payment", "{}", false);
	EXPECT_THROW(instantiate(round, shape), Error); // a row rule has no SQL
}

TEST(CoverageTest, RecordingSendsCannotEvaluateRowsToRecordCoverage) {
	TableShape shape = canonical_payments();
	auto signoff = CompiledRule::compile(2, "PAY.MISSING_SIGNOFF", "missing_signoff", "payment", "{}", false);
	std::string rec = recording_query({&signoff}, shape, "sweep", false);
	EXPECT_NE(rec.find("oversight.record_coverage(a.g, 'sweep')"), std::string::npos);
	EXPECT_NE(rec.find("coalesce(q.m IS NULL AND q.d ? 'cannot_evaluate', false) AS ce"), std::string::npos);
	EXPECT_NE(rec.find("pg_catalog.array_agg(q.m) FILTER (WHERE NOT q.ce)"), std::string::npos);
	EXPECT_EQ(unqualified_names(rec), std::vector<std::string>{});
}
