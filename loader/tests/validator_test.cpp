// Mapping files, header binding, row validation and the generated merge SQL of a CSV load.
#include "core/csv_source.hpp"
#include "core/mapping.hpp"
#include "core/merge_sql.hpp"
#include "core/row_validator.hpp"
#include "core/values.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace oversight::loader;
using namespace std::string_literals;

namespace {

const RecordKind &payments() {
	return *find_record_kind("payments");
}

Mapping payment_mapping() {
	return Mapping::parse(
	    "[columns]\npayment_code = 支付凭证号\npayer_unit_code = 单位编码\npayee_name = 收款人\namount = 金额（元）\n"
	    "payment_method = 支付方式\npaid_on = 支付日期\n[values.payment_method]\ncash = 现金\ntransfer = 转账 | "
	    "银行转账\n",
	    "test.map", payments());
}

} // namespace

TEST(Mapping, ParsesAndRefusesUnknownFieldsWithTheLine) {
	Mapping m = payment_mapping();
	EXPECT_EQ(m.canonical_value("payment_method", " 银行转账 "), "transfer");
	EXPECT_EQ(m.canonical_value("payment_method", "other"), "other");
	try {
		Mapping::parse("[columns]\nno_such_field = x\n", "bad.map", payments());
		FAIL();
	} catch (const MappingError &e) {
		EXPECT_STREQ(e.what(), "bad.map:2: no field \"no_such_field\" in record kind payments (oversight-load fields "
		                       "payments lists them)");
	}
	EXPECT_THROW(Mapping::parse("[values.payment_method]\ncheque = 支票\n", "bad.map", payments()), MappingError);
}

TEST(HeaderBinding, MatchesAliasesCanonicalNamesAndFullWidthForms) {
	Mapping m = payment_mapping();
	auto b =
	    bind_header({"\xEF\xBB\xBF支付凭证号", "单位编码", "收款人", "金额(元)", "Payment_Method", "支付日期", "备注"},
	                m, payments());
	EXPECT_EQ(b.column_of_field[static_cast<size_t>(payments().field_index("payment_code"))], 0);
	EXPECT_EQ(b.column_of_field[static_cast<size_t>(payments().field_index("amount"))], 3); // （元） matches (元)
	EXPECT_EQ(b.column_of_field[static_cast<size_t>(payments().field_index("payment_method"))], 4);
	EXPECT_EQ(b.unmapped_headers, std::vector<std::string>{"备注"});
	EXPECT_TRUE(b.missing_required.empty());
	auto missing = bind_header({"支付凭证号", "收款人"}, m, payments());
	EXPECT_EQ(missing.missing_required, (std::vector<std::string>{"payer_unit_code", "amount", "payment_method"}));
}

TEST(RowValidator, CanonicalValuesDefaultsAndErrors) {
	Mapping m = payment_mapping();
	std::vector<std::string> header{"支付凭证号", "单位编码", "收款人", "金额（元）", "支付方式", "支付日期"};
	RowValidator v(payments(), m, bind_header(header, m, payments()), header.size());
	std::vector<std::optional<std::string>> values;
	ASSERT_FALSE(v.validate({"P1", "EDU01", "张三", "1,234.50", "现金", "2024年3月5日"}, values));
	EXPECT_EQ(*values[static_cast<size_t>(payments().field_index("amount"))], "1234.50");
	EXPECT_EQ(*values[static_cast<size_t>(payments().field_index("payment_method"))], "cash");
	EXPECT_FALSE(values[static_cast<size_t>(payments().field_index("currency"))]); // the database's default
	EXPECT_EQ(*values[static_cast<size_t>(payments().field_index("status"))], "paid");

	// Amounts already canonical are taken as they are; the others are rewritten.
	for (auto [in, out] :
	     std::vector<std::pair<std::string, std::string>>{{"12.5", "12.5"},
	                                                      {"0012.5", "12.5"},
	                                                      {"5.", "5"},
	                                                      {".5", "0.5"},
	                                                      {"0.0001", "0.0001"},
	                                                      {"999999999999999.9999", "999999999999999.9999"}}) {
		ASSERT_FALSE(v.validate({"P1", "EDU01", "张三", in, "现金", "2024-03-05"}, values)) << in;
		EXPECT_EQ(*values[static_cast<size_t>(payments().field_index("amount"))], out) << in;
	}
	for (std::string bad : {"1000000000000000", "1.23456", "0.00", "00", "1e5", "1.2.3"})
		EXPECT_TRUE(v.validate({"P1", "EDU01", "张三", bad, "现金", "2024-03-05"}, values)) << bad;

	auto e = v.validate({"P1", "EDU01", "张三", "12,3x", "现金", "2024-03-05"}, values);
	ASSERT_TRUE(e);
	EXPECT_EQ(RowValidator::message("payments.csv", 17, *e, "12,3x"),
	          "payments.csv:17: field amount: \"12,3x\" is not a number");
	EXPECT_EQ(v.validate({"P1", "EDU01", "张三", "0", "现金", "2024-03-05"}, values)->reason, "must be greater than 0");
	EXPECT_EQ(v.validate({"P1", "EDU01", "张三", "1", "支票", "2024-03-05"}, values)->field, "payment_method");
	EXPECT_EQ(v.validate({"P1", "EDU01", "", "1", "现金", "2024-03-05"}, values)->reason, "is required but empty");
	// status defaults to paid, and a paid payment needs its date (CHECK payment_paid_has_date).
	EXPECT_EQ(v.validate({"P1", "EDU01", "张三", "1", "现金", ""}, values)->field, "paid_on");
	auto cut = v.validate({"P1", "EDU01"}, values); // a required field among the missing trailing columns
	EXPECT_EQ(cut->field, "payee_name");
	EXPECT_NE(cut->reason.find("is missing: the row has 2 fields but the header has 6"), std::string::npos);
	EXPECT_NE(
	    v.validate({"P1", "EDU01", "张三", "1", "现金", "2024-03-05", "extra"}, values)->reason.find("extra columns"),
	    std::string::npos);
}

// A NUL in a cell: the message is not cut at the NUL.
TEST(RowValidator, NulInACellIsShownEscapedInTheMessage) {
	RowError e{"payee_name", "contains a NUL byte"};
	EXPECT_EQ(RowValidator::message("p.csv", 2, e, "a\0b"s),
	          "p.csv:2: field payee_name: \"a\\x00b\" contains a NUL byte");
}

// U+FEFF mid-file (a second file's byte-order mark) never makes a second, look-alike key.
TEST(RowValidator, ZeroWidthNoBreakSpaceAroundAValueIsTrimmedInsideRefused) {
	EXPECT_EQ(trim("\xEF\xBB\xBF"
	               "D-BOM-1"),
	          "D-BOM-1");
	EXPECT_EQ(trim("D-BOM-1\xEF\xBB\xBF "), "D-BOM-1");
	EXPECT_EQ(invisible_character("D-1\x01"), "U+0001");
	EXPECT_EQ(invisible_character("D-\xEF\xBB\xBF"
	                              "1"),
	          "U+FEFF");
	EXPECT_EQ(invisible_character("张三-1"), std::nullopt);

	std::string path = ::testing::TempDir() + "bom-mid.csv";
	std::ofstream(path, std::ios::binary) << "payment_code,payer_unit_code,payee_name,amount,payment_method,paid_on\n"
	                                         "D-BOM-1,EDU01,x,10,transfer,2024-03-05\n"
	                                         "D-BOM-1\xEF\xBB\xBF,EDU01,x,10,transfer,2024-03-05\n"
	                                         "\xEF\xBB\xBF"
	                                         "D-BOM-2,EDU01,x,10,transfer,2024-03-05\n"
	                                         "D-\xEF\xBB\xBF"
	                                         "BOM-3,EDU01,x,10,transfer,2024-03-05\n"
	                                         "D-4\x01,EDU01,x,10,transfer,2024-03-05\n"
	                                         "D-5,EDU01,x\xEF\xBB\xBFy,10,transfer,2024-03-05\n";
	const RecordKind &kind = *find_record_kind("payments");
	Mapping mapping = Mapping::parse("[columns]\n", "empty.map", kind); // canonical headers only
	CsvSource source(path, std::nullopt);
	std::optional<RowValidator> validator;
	std::vector<std::string> outcome;
	RowValues values;
	source.run(
	    [&](const CsvRow &h) {
		    validator.emplace(kind, mapping, bind_header(h.cell_strings(), mapping, kind), h.cells.size());
	    },
	    [&](const CsvRow &row) {
		    auto e = validator->validate(row.cells, values, !row.plain);
		    outcome.push_back(e ? e->field + ": " + e->reason
		                        : std::string(*values[static_cast<size_t>(kind.field_index("payment_code"))]));
	    },
	    [](std::uint64_t) {});
	ASSERT_EQ(outcome.size(), 6u);
	EXPECT_EQ(outcome[0], "D-BOM-1");
	EXPECT_EQ(outcome[1], "D-BOM-1"); // the same key: the merge then finds the duplicate
	EXPECT_EQ(outcome[2], "D-BOM-2");
	EXPECT_EQ(outcome[3], "payment_code: holds U+FEFF (zero-width no-break space, an invisible byte-order mark) "
	                      "inside the value: remove it");
	EXPECT_EQ(outcome[4], "payment_code: holds the invisible character U+0001: a key must not, it would look like "
	                      "another key");
	EXPECT_EQ(outcome[5], "payee_name: holds U+FEFF (zero-width no-break space, an invisible byte-order mark) "
	                      "inside the value: remove it");
}

TEST(MergeSql, UpsertComparesNonKeyColumnsAndChecksReferences) {
	Mapping m = payment_mapping();
	std::vector<std::string> header{"支付凭证号", "单位编码", "收款人", "金额（元）", "支付方式", "支付日期"};
	RowValidator v(payments(), m, bind_header(header, m, payments()), header.size());
	CsvMergePlan plan = plan_csv_merge(payments(), v.staged_fields());
	EXPECT_NE(
	    plan.upsert.find("ON CONFLICT (payment_code) DO UPDATE SET \"payer_unit_code\" = EXCLUDED.\"payer_unit_code\""),
	    std::string::npos);
	EXPECT_NE(plan.upsert.find("IS DISTINCT FROM"), std::string::npos);
	EXPECT_EQ(plan.upsert.find("SET \"payment_code\""), std::string::npos); // the key is never updated
	ASSERT_EQ(plan.quarantine_checks.size(), 1u); // only payer_unit_code is a staged reference
	EXPECT_NE(plan.quarantine_checks[0].find(
	              "NOT EXISTS (SELECT FROM oversight.\"org_unit\" t WHERE t.\"unit_code\" = s.\"payer_unit_code\")"),
	          std::string::npos);
	EXPECT_NE(plan.quarantine_duplicate_keys.find("PARTITION BY \"payment_code\""), std::string::npos);
	EXPECT_NE(plan.create_stage.find("\"amount\" numeric"), std::string::npos);
	// Unit hierarchy: a parent may come in the same file, so the check also looks in staging.
	const RecordKind &units = *find_record_kind("org-units");
	CsvMergePlan unit_plan = plan_csv_merge(units, {0, 1, 3, 4});
	ASSERT_EQ(unit_plan.quarantine_self_references.size(), 1u);
	EXPECT_NE(
	    unit_plan.quarantine_self_references[0].find(stage_table + " o WHERE o.\"unit_code\" = s.\"parent_code\""),
	    std::string::npos);
}

TEST(MergeSql, CompositeKeysInDuplicateDetection) {
	const RecordKind &a = *find_record_kind("assignments");
	CsvMergePlan plan = plan_csv_merge(a, {0, 1, 2, 4});
	EXPECT_NE(plan.quarantine_duplicate_keys.find(
	              "PARTITION BY \"person_code\", \"unit_code\", \"assignment_role\", \"valid_from\""),
	          std::string::npos);
	EXPECT_NE(plan.quarantine_duplicate_keys.find(
	              "concat_ws(', ', r.\"person_code\", r.\"unit_code\", r.\"assignment_role\", r.\"valid_from\")"),
	          std::string::npos);
	// Assignments merge by UPDATE then INSERT (the single-holder trigger fires before ON CONFLICT).
	EXPECT_NE(plan.upsert.find("INSERT INTO oversight.\"assignment\""), std::string::npos);
	EXPECT_NE(
	    plan.upsert.find(
	        "WHERE NOT EXISTS (SELECT FROM oversight.\"assignment\" t WHERE t.\"person_code\" = s.\"person_code\""),
	    std::string::npos);
}

TEST(MergeSql, QuotesIdentifiersAndLiterals) {
	EXPECT_EQ(quote_ident("a\"b"), "\"a\"\"b\"");
	EXPECT_EQ(quote_literal("it's"), "'it''s'");
}

TEST(RecordKinds, EveryKindHasAMappingFileField) {
	for (const auto &k : record_kinds()) {
		EXPECT_FALSE(k.key.empty()) << k.command;
		for (const auto &key : k.key)
			EXPECT_GE(k.field_index(key), 0) << k.command << " key " << key;
		for (const auto &rule : k.rules)
			EXPECT_GE(k.field_index(rule.field), 0) << k.command;
	}
}
