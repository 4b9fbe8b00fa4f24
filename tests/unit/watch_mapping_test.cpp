// The mapping of a watch (oversight/core/watch_mapping.hpp): value aliases, constants and defaults, checked
// against the record kinds, and applied the same way by the set-based SQL and the C++ row pass.
#include <gtest/gtest.h>

#include "oversight/core/batch_sql.hpp"
#include "oversight/core/error.hpp"
#include "oversight/core/watch_mapping.hpp"

using namespace oversight::core;

namespace {
// The treasury table of issue 13: Chinese codes, no currency column.
const char *zfpz = R"({"payment_code": "pzh", "amount": "je",
  "payment_method": {"column": "zffs", "values": {"现金": "cash", "转账": "transfer", "公务卡": "official_card"}},
  "expense_type": {"column": "zclx", "values": {"咨询费": "consulting", "办公费": "office"}},
  "status": {"column": "zt", "values": {"已支付": "paid"}, "default": "paid"},
  "currency": {"const": "CNY"}, "@key": ["pzh"]})";

int payment_field(const char *name) {
	return field_index(RecordKind::Payment, name);
}

// The message of the error parse_watch_mapping raises for mapping (22023), or "" when it accepts it.
std::string refusal(const std::string &mapping, RecordKind kind = RecordKind::Payment) {
	try {
		parse_watch_mapping(kind, parse_json(mapping));
	} catch (const Error &e) {
		EXPECT_STREQ(e.sqlstate(), "22023") << e.what();
		return e.what();
	}
	return "";
}
} // namespace

TEST(WatchMappingTest, ColumnsAliasesConstantsAndDefaultsAreReadInFieldOrder) {
	WatchMapping m = parse_watch_mapping(RecordKind::Payment, parse_json(zfpz));
	EXPECT_EQ(m.columns_json(), Json::parse(R"({"amount": "je", "expense_type": "zclx", "payment_code": "pzh",
	                                             "payment_method": "zffs", "status": "zt"})"));
	ASSERT_TRUE(m.key);
	EXPECT_EQ(*m.key, std::vector<std::string>{"pzh"});
	ASSERT_EQ(m.values.fields.size(), 4u);
	EXPECT_EQ(m.values.fields[0].field, payment_field("currency")); // table order, not the JSON's
	EXPECT_EQ(m.values.fields[3].field, payment_field("status"));
	const FieldValues *method = m.values.find(payment_field("payment_method"));
	ASSERT_NE(method, nullptr);
	EXPECT_EQ(method->aliases.at("现金"), "cash");
	EXPECT_FALSE(method->provides_without_column());
	EXPECT_EQ(*m.values.find(payment_field("currency"))->constant, "CNY");
	EXPECT_TRUE(m.values.find(payment_field("currency"))->provides_without_column());
	EXPECT_EQ(*m.values.find(payment_field("status"))->default_value, "paid");
	EXPECT_EQ(m.values.find(payment_field("payee_name")), nullptr);
}

TEST(WatchMappingTest, TheStoredFormReadsBackToTheSameMapping) {
	const ValueMapping values = parse_watch_mapping(RecordKind::Payment, parse_json(zfpz)).values;
	const Json stored = values.json(RecordKind::Payment);
	EXPECT_EQ(stored["currency"], Json::parse(R"({"const": "CNY"})"));
	EXPECT_EQ(stored["status"], Json::parse(R"({"values": {"已支付": "paid"}, "default": "paid"})"));
	WatchMapping again = parse_watch_mapping(RecordKind::Payment, stored);
	EXPECT_TRUE(again.columns.empty());
	EXPECT_EQ(again.values.json(RecordKind::Payment), stored);
}

TEST(WatchMappingTest, AColumnMayListSeveralNamesTheFirstPresentWins) {
	// A stored .map names a field's column by its header names: the table's column is the first it has.
	WatchMapping m = parse_watch_mapping(
	    RecordKind::Payment, parse_json(R"({"payee_name": {"column": ["收款人", "收款单位"]}, "amount": {"column": ["je"]}})"));
	EXPECT_EQ(m.columns.at("payee_name"), (std::vector<std::string>{"收款人", "收款单位"}));
	EXPECT_EQ(m.columns_json(), Json::parse(R"({"payee_name": ["收款人", "收款单位"], "amount": ["je"]})"));
	EXPECT_NE(refusal(R"({"payee_name": {"column": []}})").find("an array of them"), std::string::npos);
	EXPECT_NE(refusal(R"({"payee_name": {"column": ["a", 3]}})").find("an array of them"), std::string::npos);
}

TEST(WatchMappingTest, NumbersAndDatesAreKeptInCanonicalForm) {
	WatchMapping m = parse_watch_mapping(
	    RecordKind::Payment, parse_json(R"({"amount": {"const": "1200.50"}, "paid_on": {"default": "2025-06-03"}})"));
	EXPECT_EQ(*m.values.find(payment_field("amount"))->constant, "1200.5");
	EXPECT_EQ(*m.values.find(payment_field("paid_on"))->default_value, "2025-06-03");
	Value amount = field_value(FieldType::Decimal, "1200.5");
	EXPECT_FALSE(amount.null);
	EXPECT_EQ(amount.dec, Decimal::parse("1200.50"));
	EXPECT_EQ(field_value(FieldType::Date, "2025-06-03").date, days_from_civil(2025, 6, 3));
	EXPECT_EQ(field_value(FieldType::Integer, "2025").integer, 2025);
	EXPECT_EQ(field_value(FieldType::Text, "CNY").text, "CNY");
	WatchMapping year = parse_watch_mapping(RecordKind::Procurement, parse_json(R"({"fiscal_year": {"const": 2025}})"));
	EXPECT_EQ(*year.values.fields.at(0).constant, "2025");
}

TEST(WatchMappingTest, RefusesUnknownFieldsNamingThemInChineseAndEnglish) {
	std::string why = refusal(R"({"payee": "skr"})");
	EXPECT_NE(why.find("\"payee\" 不是记录类型 payment 的字段"), std::string::npos) << why;
	EXPECT_NE(why.find("mapping names \"payee\", which is not a field of record kind payment"), std::string::npos)
	    << why;
	EXPECT_NE(refusal(R"({"payment_method": {"column": "zffs", "colour": "red"}})").find("unknown key \"colour\""),
	          std::string::npos);
	EXPECT_NE(refusal(R"(["pzh"])").find("JSON object"), std::string::npos);
	EXPECT_NE(refusal(R"({"@key": "pzh"})").find("\"@key\""), std::string::npos);
	EXPECT_NE(refusal(R"({"payment_method": 7})").find("payment_method"), std::string::npos);
	EXPECT_NE(refusal(R"({"payment_method": {}})").find("is empty"), std::string::npos);
}

TEST(WatchMappingTest, RefusesTargetsTheFieldCannotTake) {
	std::string why = refusal(R"({"payment_method": {"column": "zffs", "values": {"现金": "cash", "银行": "bank"}}})");
	EXPECT_NE(why.find("字段 payment_method 的值映射 \"银行\" → \"bank\""), std::string::npos) << why;
	EXPECT_NE(why.find("transfer、cash、official_card"), std::string::npos) << why;
	EXPECT_NE(
	    why.find("value mapping of field payment_method: \"银行\" → \"bank\": the target is not one of transfer, cash, "
	             "official_card"),
	    std::string::npos)
	    << why;
	EXPECT_NE(refusal(R"({"status": {"column": "zt", "values": {"已支付": "PAID"}}})").find("\"PAID\""),
	          std::string::npos);
	EXPECT_NE(refusal(R"({"payment_kind": {"default": "rebate"}})").find("rebate"), std::string::npos);
	EXPECT_NE(refusal(R"({"payment_method": {"column": "zffs", "values": {"现金": 1}}})").find("must be a string"),
	          std::string::npos);
	// A text field without an enumeration takes any non-empty value (the bureau's own expense codes).
	EXPECT_EQ(refusal(R"({"expense_type": {"column": "zclx", "values": {"咨询费": "consulting"}}})"), "");
	EXPECT_NE(refusal(R"({"expense_type": {"column": "zclx", "values": {"咨询费": ""}}})").find("is empty"),
	          std::string::npos);
}

TEST(WatchMappingTest, RefusesConstantsAndDefaultsOfTheWrongType) {
	std::string why = refusal(R"({"currency": {"const": "人民币"}})");
	EXPECT_NE(why.find("字段 currency 的常量 \"人民币\" 不是 ISO 4217 币种代码"), std::string::npos) << why;
	EXPECT_NE(why.find("the const \"人民币\" of field currency is not an ISO 4217 currency code"), std::string::npos)
	    << why;
	EXPECT_NE(refusal(R"({"amount": {"const": "abc"}})").find("is not a number"), std::string::npos);
	EXPECT_NE(refusal(R"({"amount": {"const": -5}})").find("is not an amount"), std::string::npos);
	EXPECT_NE(refusal(R"({"amount": {"const": "1.23456"}})").find("at most 4 decimals"), std::string::npos);
	EXPECT_NE(refusal(R"({"paid_on": {"default": "2025-02-30"}})").find("is not a date"), std::string::npos);
	EXPECT_NE(refusal(R"({"paid_on": {"default": "yesterday"}})").find("is not a date"), std::string::npos);
	EXPECT_NE(refusal(R"({"approved_at": {"const": "2025-06-03 10:00+08"}})").find("time stamps"), std::string::npos);
	EXPECT_NE(refusal(R"({"currency": {"const": null}})").find("must be a string or a number"), std::string::npos);
	EXPECT_NE(refusal(R"({"fiscal_year": {"const": 1850}})", RecordKind::Procurement).find("1990"), std::string::npos);
	EXPECT_NE(refusal(R"({"number_of_tenderers": {"default": "2.5"}})", RecordKind::Procurement).find("whole number"),
	          std::string::npos);
	EXPECT_NE(refusal(R"({"amount": {"column": "je", "values": {"一百": "100"}}})").find("apply to text fields"),
	          std::string::npos);
}

TEST(WatchMappingTest, RefusesWhatTheLoaderRefusesToo) {
	EXPECT_NE(refusal(R"({"currency": {"column": "bz", "const": "CNY"}})").find("cannot be combined"),
	          std::string::npos);
	EXPECT_NE(refusal(R"({"currency": {"const": "CNY", "default": "USD"}})").find("cannot be combined"),
	          std::string::npos);
	EXPECT_NE(
	    refusal(R"({"payment_method": {"const": "cash", "values": {"现金": "cash"}}})").find("cannot be combined"),
	    std::string::npos);
}

TEST(WatchMappingTest, MappedFieldSqlIsCaseLiteralAndCoalesce) {
	FieldValues v;
	v.aliases = {{"现金", "cash"}, {"it's", "transfer"}};
	EXPECT_EQ(mapped_field_sql(v, FieldType::Text, "t.zffs"),
	          "CASE t.zffs WHEN 'it''s' THEN 'transfer' WHEN '现金' THEN 'cash' ELSE t.zffs END");
	v.default_value = "transfer";
	EXPECT_EQ(mapped_field_sql(v, FieldType::Text, "t.zffs"),
	          "COALESCE(CASE t.zffs WHEN 'it''s' THEN 'transfer' WHEN '现金' THEN 'cash' ELSE t.zffs END, "
	          "'transfer'::pg_catalog.text)");
	FieldValues only_default;
	only_default.default_value = "2025-06-03";
	EXPECT_EQ(mapped_field_sql(only_default, FieldType::Date, ""), "'2025-06-03'::pg_catalog.date");
	EXPECT_EQ(mapped_field_sql(only_default, FieldType::Date, "t.d"), "COALESCE(t.d, '2025-06-03'::pg_catalog.date)");
	FieldValues constant;
	constant.constant = "CNY";
	EXPECT_EQ(mapped_field_sql(constant, FieldType::Text, ""), "'CNY'::pg_catalog.text");
	FieldValues backslash; // a value is never SQL: quotes and backslashes stay data
	backslash.aliases = {{"a\\' OR true --", "cash"}};
	EXPECT_EQ(mapped_field_sql(backslash, FieldType::Text, "t.c"),
	          "CASE t.c WHEN E'a\\\\'' OR true --' THEN 'cash' ELSE t.c END");
}

namespace {
// treasury.zfpz (pzh, dwbm varchar, je, zfrq, zffs: Chinese codes) watched as payments with mapping.
TableShape coded_treasury(const std::string &mapping) {
	TableShape s;
	s.kind = RecordKind::Payment;
	s.table_name = "treasury.zfpz";
	s.fields = {{payment_field("payment_code"), "pzh", "text"},
	            {payment_field("payer_unit_code"), "dwbm", "character varying"},
	            {payment_field("amount"), "je", "numeric"},
	            {payment_field("paid_on"), "zfrq", "date"},
	            {payment_field("payment_method"), "zffs", "text"}};
	s.key_columns = {"pzh"};
	s.quoted_key_columns = {"pzh"};
	s.values = parse_watch_mapping(RecordKind::Payment, parse_json(mapping)).values;
	return s;
}
// The same with a mapping of the method column only.
TableShape coded_method(const char *method_mapping) {
	return coded_treasury(std::string(R"({"payment_method": )") + method_mapping + "}");
}
} // namespace

TEST(WatchMappingTest, RelationViewAppliesTheMappingToFieldsAndUnit) {
	TableShape s = coded_treasury(R"({"payment_method": {"values": {"现金": "cash"}, "default": "transfer"},
	                                  "payer_unit_code": {"values": {"财政局": "FIN"}}, "currency": {"const": "CNY"}})");
	std::string v = relation_view(s, batch_relation);
	EXPECT_NE(v.find("COALESCE(CASE t.zffs WHEN '现金' THEN 'cash' ELSE t.zffs END, 'transfer'::pg_catalog.text) AS "
	                 "payment_method, "),
	          std::string::npos)
	    << v;
	EXPECT_NE(v.find("'CNY'::pg_catalog.text AS currency, "), std::string::npos) << v;
	EXPECT_NE(v.find("t.je AS amount, "), std::string::npos) << v;
	EXPECT_NE(v.find("(CASE (t.dwbm)::pg_catalog.text WHEN '财政局' THEN 'FIN' ELSE (t.dwbm)::pg_catalog.text END)::"
	                 "pg_catalog.text AS __unit, "),
	          std::string::npos)
	    << v;
	s.values = {}; // without a mapping, the view is the plain one
	EXPECT_NE(relation_view(s, batch_relation).find("NULL::pg_catalog.text AS currency, "), std::string::npos);
}

TEST(WatchMappingTest, ACheckListingTheColumnsCodesIsRead) {
	EXPECT_EQ(column_check_values("CHECK ((zffs = ANY (ARRAY['现金'::text, '转账'::text])))", "zffs"),
	          (std::vector<std::string>{"现金", "转账"}));
	EXPECT_EQ(column_check_values("CHECK (((zffs)::text = ANY ((ARRAY['现金'::character varying, 'it''s'::character "
	                              "varying])::text[])))",
	                              "zffs"),
	          (std::vector<std::string>{"现金", "it's"}));
	EXPECT_EQ(column_check_values("CHECK ((\"支付方式\" = ANY (ARRAY['现金'::text])))", "\"支付方式\""),
	          (std::vector<std::string>{"现金"}));
	// Anything else says nothing about the codes.
	EXPECT_FALSE(column_check_values("CHECK ((zffs = ANY (ARRAY['现金'::text])))", "zt"));
	EXPECT_FALSE(column_check_values("CHECK ((je > (0)::numeric))", "je"));
	EXPECT_FALSE(column_check_values("CHECK (((zffs = ANY (ARRAY['现金'::text])) OR (je > (0)::numeric)))", "zffs"));
	EXPECT_FALSE(column_check_values("CHECK ((zffs <> ALL (ARRAY['现金'::text])))", "zffs"));
}


TEST(WatchMappingTest, ARulesCanonicalValueReachesTheColumnsOwnCodes) {
	const std::string rule = "SELECT 1 FROM {batch} b WHERE b.payment_method = 'cash' AND b.amount > 0\n"
	                         " CROSS JOIN LATERAL (SELECT 1 FROM {hist} h WHERE h.payer_unit_code = b.payer_unit_code "
	                         "AND h.payment_method = 'cash'\n AND h.paid_on IS NOT NULL) s";
	TableShape s = coded_method(R"({"values": {"现金": "cash", "提现": "cash", "转账": "transfer"}})");
	// Every code that maps to cash, and cash itself (an unlisted value passes as it is).
	std::string out = source_comparisons(rule, s);
	EXPECT_NE(out.find("WHERE (b.__src_payment_method IN ('提现', '现金', 'cash')) AND b.amount > 0"), std::string::npos) << out;
	EXPECT_NE(out.find("AND (h.__src_payment_method IN ('提现', '现金', 'cash'))\n AND h.paid_on"), std::string::npos) << out;
	// The column's CHECK lists its codes: only those can be there, and one code is an equality a partial
	// index on it (WHERE zffs = '现金') serves.
	s.fields[4].admitted_values = std::vector<std::string>{"现金", "转账"};
	out = source_comparisons(rule, s);
	EXPECT_NE(out.find("AND (h.__src_payment_method = '现金')\n"), std::string::npos) << out;
	// The view exposes the column as __src_payment_method.
	EXPECT_NE(relation_view(s, "treasury.zfpz").find("t.zffs AS __src_payment_method, "), std::string::npos);
	// A default that is the value: NULL is it; another default: NULL is not it (false, not NULL).
	out = source_comparisons(rule, coded_method(R"({"values": {"现金": "cash"}, "default": "cash"})"));
	EXPECT_NE(out.find("(h.__src_payment_method IN ('现金', 'cash') OR h.__src_payment_method IS NULL)"),
	          std::string::npos)
	    << out;
	out = source_comparisons(rule, coded_method(R"({"values": {"现金": "cash"}, "default": "transfer"})"));
	EXPECT_NE(out.find("(h.__src_payment_method IS NOT NULL AND h.__src_payment_method IN ('现金', 'cash'))"),
	          std::string::npos)
	    << out;
	// cash listed as a code of something else: only 现金 is cash.
	out = source_comparisons(rule, coded_method(R"({"values": {"现金": "cash", "cash": "transfer"}})"));
	EXPECT_NE(out.find("(h.__src_payment_method = '现金')"), std::string::npos) << out;
	// Left alone: other relations, other operators, a comparison inside a larger expression, a field
	// without aliases.
	const std::string untouched = "SELECT 1 FROM {hist} h JOIN oversight.contract c ON c.payment_method = 'cash' "
	                              "WHERE h.payment_method <> 'cash' AND 'x' || h.payment_method = 'cash' AND "
	                              "h.payment_method = 'cash' || 'x' AND h.status = 'paid'";
	EXPECT_EQ(source_comparisons(untouched, coded_method(R"({"values": {"现金": "cash"}})")), untouched);
}

TEST(WatchMappingTest, TheCumulativeCashRuleFiltersOnTheColumnsCodes) {
	auto rule = CompiledRule::compile(3, "CASH.MONTHLY", "cash_cumulative", "payment", R"({"limit": 200000})", false);
	TableShape s = coded_method(R"({"values": {"现金": "cash", "转账": "transfer"}})");
	s.fields[4].admitted_values = std::vector<std::string>{"现金", "转账"};
	std::string sql = instantiate(rule, s);
	EXPECT_NE(sql.find("WHERE (b.__src_payment_method = '现金') AND b.paid_on IS NOT NULL"), std::string::npos) << sql;
	EXPECT_NE(sql.find("AND (h.__src_payment_method = '现金')"), std::string::npos) << sql;
	EXPECT_EQ(sql.find(".payment_method = 'cash'"), std::string::npos) << sql;
}
