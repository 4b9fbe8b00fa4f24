// The one definition of the record kinds (oversight/core/record_kinds.hpp), and the rule-kind registry
// built on it: each kind's operations fit its evaluation and its record kinds.
#include <gtest/gtest.h>

#include <set>

#include "oversight/core/record_kinds.hpp"
#include "oversight/core/rules.hpp"
#include "rule_fixtures.hpp"

using namespace oversight::core;

TEST(RecordKindsTest, CanonicalFieldsAreTheMarkedColumnsInTableOrder) {
	ASSERT_EQ(record_kinds().size(), record_kind_count);
	for (size_t i = 0; i < record_kind_count; ++i) {
		const RecordKindSpec &k = record_kinds()[i];
		EXPECT_EQ(static_cast<size_t>(k.kind), i) << k.name;
		EXPECT_EQ(&record_kind(k.kind), &k);
		EXPECT_EQ(parse_record_kind(k.name), k.kind);
		std::vector<std::string> marked, fields;
		std::set<std::string> names;
		for (const auto &c : k.columns) {
			EXPECT_TRUE(names.insert(c.name).second) << k.name << "." << c.name << " twice";
			if (c.canonical)
				marked.push_back(c.name);
			if (c.values) {
				EXPECT_FALSE(c.values->empty()) << k.name << "." << c.name;
			}
		}
		for (const auto &f : k.fields)
			fields.push_back(f.name);
		EXPECT_EQ(fields, marked) << k.name;
		for (const char *key : k.key) {
			ASSERT_NE(k.column(key), nullptr) << k.name << " key " << key;
			EXPECT_TRUE(k.column(key)->canonical) << k.name << " key " << key;
		}
		if (k.unit_field) {
			EXPECT_GE(field_index(k.kind, k.unit_field), 0) << k.name;
			EXPECT_STREQ(unit_field(k.kind), k.unit_field);
		}
	}
	EXPECT_FALSE(parse_record_kind("payments"));
	EXPECT_EQ(unit_field(RecordKind::Bid), nullptr);
}

TEST(RecordKindsTest, EnumerationsRulesName) {
	const auto *method = record_kind(RecordKind::Procurement).column("procurement_method");
	ASSERT_NE(method, nullptr);
	EXPECT_EQ(method->values, &procurement_methods());
	EXPECT_EQ(procurement_methods(), (Values{"open", "selective", "limited", "direct"}));
	EXPECT_EQ(non_open_procurement_methods(), (Values{"selective", "limited", "direct"}));
	EXPECT_EQ(record_kind(RecordKind::Payment).column("payment_method")->values, &payment_methods());
	EXPECT_EQ(record_kind(RecordKind::Procurement).column("main_procurement_category")->values,
	          &procurement_categories());
	EXPECT_EQ(json_string_list({"a", "b\"c"}), "[\"a\", \"b\\\"c\"]");
	EXPECT_EQ(parse_json(json_string_list(non_open_procurement_methods())),
	          parse_json(R"(["selective", "limited", "direct"])"));
	// the parameter defaults that name methods come from the enumeration
	auto splitting = validate_params("purchase_splitting", Json::object());
	EXPECT_EQ(splitting["non_open_methods"].get<Values>(), non_open_procurement_methods());
}

TEST(RuleKindRegistryTest, EachKindHasTheOperationsOfItsEvaluation) {
	std::set<std::string> names;
	for (const auto &k : rule_kinds()) {
		EXPECT_TRUE(names.insert(k.kind).second) << k.kind << " registered twice";
		EXPECT_EQ(find_rule_kind(k.kind), &k);
		EXPECT_FALSE(k.record_kinds.empty()) << k.kind;
		const bool row = k.evaluation == Evaluation::Row;
		EXPECT_EQ(k.check_row != nullptr, row) << k.kind;
		EXPECT_EQ(k.sql != nullptr, !row || k.evaluation_of != nullptr) << k.kind;
		// a row kind names its fields, or the parameters do (fields_of: the data-driven matter rules)
		EXPECT_EQ(k.row_fields.empty() && !k.fields_of, !row || k.evaluation_of != nullptr) << k.kind;
		if (k.evaluation != Evaluation::Batch) {
			EXPECT_TRUE(k.prefilter_fields.empty() && !k.may_fire) << k.kind;
		}
		EXPECT_EQ(k.prefilter_fields.empty(), k.may_fire == nullptr) << k.kind;
		if (k.needs_calendar) {
			EXPECT_TRUE(row) << k.kind;
		}
		auto r = fixtures::compile_with_defaults(k);
		EXPECT_EQ(r.spec, &k);
	}
	EXPECT_EQ(find_rule_kind("no_such_kind"), nullptr);
	EXPECT_EQ(rule_kinds().size(), 32u); // with matter_when, payment_split_under_limit and cardinal_indicator (0.4.0)
}
