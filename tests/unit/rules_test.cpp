// The pure rule core: decimals, JSON, dates and calendar, parameter validation, row-local rules and
// the SQL of set-based rules (placeholders all substituted, parameters quoted).
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "oversight/core/error.hpp"
#include "oversight/core/rules.hpp"
#include "rule_fixtures.hpp"

using namespace oversight::core;

TEST(DecimalTest, ParsesAndPrintsExactly) {
	EXPECT_EQ(Decimal::parse("2000000").str(), "2000000");
	EXPECT_EQ(Decimal::parse("0.1").str(), "0.1");
	EXPECT_EQ(Decimal::parse("-3.25").str(), "-3.25");
	EXPECT_EQ(Decimal::parse("1e6").str(), "1000000");
	EXPECT_EQ(Decimal::parse("1999999.9999").str(), "1999999.9999");
	EXPECT_TRUE(Decimal::parse("1999999.9999") < Decimal::parse("2000000"));
	EXPECT_TRUE(Decimal::parse("2000000.00") == Decimal::parse("2e6"));
	EXPECT_THROW(Decimal::parse("12a"), Error);
	EXPECT_THROW(Decimal::parse(""), Error);
	EXPECT_THROW(Decimal::parse("."), Error);
}

TEST(DecimalTest, MultipleOf) {
	EXPECT_TRUE(Decimal::parse("60000").is_multiple_of(Decimal::parse("10000")));
	EXPECT_FALSE(Decimal::parse("60000.5").is_multiple_of(Decimal::parse("10000")));
	EXPECT_FALSE(Decimal::parse("5").is_multiple_of(Decimal::parse("0")));
}

TEST(JsonTest, ParsesWithNlohmannAndKeepsKeyOrder) {
	Json j = parse_json(R"({"b": [1, 2.50, "x\"y"], "a": {"n": null, "t": true}, "u": "\u4e2d"})");
	ASSERT_TRUE(j.is_object());
	EXPECT_EQ(json_decimal(j["b"][1]).str(), "2.5");
	EXPECT_EQ(j["u"].get<std::string>(), "中");
	EXPECT_EQ(j.dump(), R"({"a":{"n":null,"t":true},"b":[1,2.5,"x\"y"],"u":"中"})");
	EXPECT_EQ(json_quote("a\"b\\c\n中"), R"("a\"b\\c\n中")");
}

TEST(JsonTest, RejectsMalformedInputWithSqlState) {
	try {
		parse_json("{\"a\": }");
		FAIL();
	} catch (const Error &e) {
		EXPECT_STREQ(e.sqlstate(), "22P02");
	}
	EXPECT_THROW(parse_json("[1, 2"), Error);
	EXPECT_THROW(parse_json("{} x"), Error);
}

// Thresholds go JSON text -> nlohmann (int64 or double) -> Decimal and back without any rounding.
TEST(JsonTest, DecimalsRoundTripExactly) {
	for (const char *text :
	     {"2000000", "0.1", "1234567.89", "0.05", "-3.25", "50000.01", "999999999.999999", "123456789012345"}) {
		Json j = parse_json(std::string("[") + text + "]");
		Decimal d = json_decimal(j[0]);
		EXPECT_EQ(d, Decimal::parse(text)) << text;
		Json back = decimal_json(d);
		EXPECT_EQ(back.dump(), Decimal::parse(text).str()) << text; // shortest round-trip form = the exact decimal
		EXPECT_EQ(json_decimal(parse_json(back.dump())), d) << text;
	}
	EXPECT_TRUE(decimal_json(Decimal::parse("2000000")).is_number_integer());
	EXPECT_EQ(json_decimal(parse_json("1e6")), Decimal::parse("1000000"));
	EXPECT_EQ(json_decimal(parse_json("\"1234567.89\"")), Decimal::parse("1234567.89"));
	// jsonb prints numerics with their scale: 0.10 and 2000000.00 are the same thresholds.
	EXPECT_EQ(json_decimal(parse_json("0.10")), Decimal::parse("0.1"));
	EXPECT_EQ(json_decimal(parse_json("2000000.00")), Decimal::parse("2000000"));
	// A number a double cannot hold exactly is refused, not rounded.
	EXPECT_THROW(parse_json("[1234567890123.456789]"), Error);
	EXPECT_THROW(decimal_json(Decimal::parse("1234567890123.456789")), Error);
}

TEST(JsonTest, ThresholdsSurviveValidationAndStorage) {
	// validate -> jsonb text -> compile: the rule sees exactly the decimal that was saved.
	for (const char *limit : {"2000000", "0.1", "1234567.89"}) {
		Json p = validate_params("cash_single", parse_json(std::string(R"({"limit": )") + limit + "}"));
		EXPECT_EQ(p["limit"].dump(), limit);
		CompiledRule r = CompiledRule::compile(1, "R", "cash_single", "payment", p.dump(), false);
		EXPECT_EQ(r.dec("limit"), Decimal::parse(limit)) << limit;
	}
	try {
		validate_params("cash_single", parse_json(R"({"limit": "1234567890123.456789"})"));
		FAIL();
	} catch (const Error &e) {
		EXPECT_STREQ(e.sqlstate(), "22023");
		EXPECT_NE(std::string(e.what()).find("\"limit\""), std::string::npos) << e.what();
	}
}

TEST(DateTest, CivilRoundTripAndWeekday) {
	EXPECT_EQ(days_from_civil(2000, 1, 1), 0);
	EXPECT_EQ(iso_dow(0), 6); // Saturday
	int32_t d = days_from_civil(2025, 6, 30);
	EXPECT_EQ(iso_dow(d), 1); // Monday
	EXPECT_EQ(date_text(d), "2025-06-30");
	int y, m, dd;
	civil_from_days(days_from_civil(1999, 12, 31), y, m, dd);
	EXPECT_EQ(y, 1999);
	EXPECT_EQ(m, 12);
	EXPECT_EQ(dd, 31);
}

TEST(CalendarTest, HolidaysAndMovedWorkdays) {
	Calendar c;
	c.loaded_years.insert(2025);
	c.holidays.insert(days_from_civil(2025, 6, 2));
	c.adjusted_workdays.insert(days_from_civil(2025, 9, 28));
	bool known;
	EXPECT_FALSE(c.is_working_day(days_from_civil(2025, 6, 2), known)); // Monday holiday
	EXPECT_TRUE(known);
	EXPECT_TRUE(c.is_working_day(days_from_civil(2025, 9, 28), known)); // Sunday worked
	EXPECT_TRUE(c.is_working_day(days_from_civil(2025, 6, 3), known));
	EXPECT_FALSE(c.is_working_day(days_from_civil(2031, 6, 7), known)); // Saturday, year not loaded
	EXPECT_FALSE(known);
}

// The engine's indexed calendar (one status per day) answers as the sets do, day by day, across years loaded
// with a gap between them and the unloaded years around them, and again once the sets change.
TEST(CalendarTest, IndexAnswersAsTheSets) {
	Calendar sets;
	for (int y : {2024, 2026})
		sets.loaded_years.insert(y);
	for (auto [y, m, d] : {std::tuple{2024, 1, 1}, {2024, 10, 7}, {2025, 5, 1}, {2026, 2, 17}, {2026, 12, 31}})
		sets.holidays.insert(days_from_civil(y, m, d));
	for (auto [y, m, d] : {std::tuple{2024, 2, 4}, {2026, 1, 4}, {2026, 12, 27}})
		sets.adjusted_workdays.insert(days_from_civil(y, m, d));
	Calendar indexed = sets;
	indexed.index();
	for (int32_t day = days_from_civil(2023, 12, 1); day < days_from_civil(2027, 2, 1); ++day) {
		bool known_sets, known_indexed;
		const bool working_sets = sets.is_working_day(day, known_sets);
		ASSERT_EQ(indexed.is_working_day(day, known_indexed), working_sets) << date_text(day);
		ASSERT_EQ(known_indexed, known_sets) << date_text(day);
	}
	bool known;
	EXPECT_FALSE(indexed.is_working_day(days_from_civil(2026, 2, 17), known));
	EXPECT_TRUE(known);
	EXPECT_TRUE(indexed.is_working_day(days_from_civil(2025, 5, 1), known)); // 2025 not loaded: only the weekday
	EXPECT_FALSE(known);
	indexed.holidays.erase(days_from_civil(2026, 2, 17)); // a holiday moved, indexed again
	indexed.holidays.insert(days_from_civil(2026, 2, 18));
	indexed.index();
	EXPECT_TRUE(indexed.is_working_day(days_from_civil(2026, 2, 17), known));
	EXPECT_FALSE(indexed.is_working_day(days_from_civil(2026, 2, 18), known));
}

TEST(ValidateTest, FillsDefaultsAndNormalisesNumbers) {
	Json p = validate_params("cash_single", parse_json(R"({"limit": "50000.00"})"));
	EXPECT_EQ(p["limit"].dump(), "50000");
	EXPECT_EQ(p["currency"].get<std::string>(), "CNY");
}

static std::string error_of(const char *kind, const char *params) {
	try {
		validate_params(kind, parse_json(params));
	} catch (const Error &e) {
		EXPECT_STREQ(e.sqlstate(), "22023");
		return e.what();
	}
	return "";
}

TEST(ValidateTest, ErrorsNameTheParameter) {
	EXPECT_NE(error_of("cash_cumulative", "{}").find("\"limit\" is required"), std::string::npos);
	EXPECT_NE(error_of("cash_single", R"({"limit": -1})").find("\"limit\" must be at least 0"), std::string::npos);
	EXPECT_NE(error_of("cash_single", R"({"limit": "abc"})").find("\"limit\" must be a number"), std::string::npos);
	EXPECT_NE(error_of("cash_single", R"({"limits": 5})").find("\"limits\" is not a parameter"), std::string::npos);
	EXPECT_NE(error_of("cash_cumulative", R"({"limit": 5, "period": "week"})")
	              .find("\"period\" must be one of month, quarter, year"),
	          std::string::npos);
	EXPECT_NE(error_of("purchase_splitting", R"({"min_count": 2.5})").find("\"min_count\" must be a whole number"),
	          std::string::npos);
	EXPECT_NE(error_of("purchase_splitting", R"({"non_open_methods": []})")
	              .find("\"non_open_methods\" must be a non-empty array"),
	          std::string::npos);
	EXPECT_NE(error_of("nonworking_day_approval", R"({"include_holidays": "yes"})").find("must be true or false"),
	          std::string::npos);
	EXPECT_NE(error_of("no_such_kind", "{}").find("unknown rule kind"), std::string::npos);
	EXPECT_NE(error_of("cash_single", "[]").find("must be a JSON object"), std::string::npos);
}

namespace {
Record payment(std::initializer_list<std::pair<const char *, const char *>> values) {
	Record r;
	r.fields.resize(record_fields(RecordKind::Payment).size());
	for (const auto &[k, v] : values) {
		int i = field_index(RecordKind::Payment, k);
		EXPECT_GE(i, 0) << k;
		Value &f = r.fields[static_cast<size_t>(i)];
		f.null = false;
		f.text = v;
		if (record_fields(RecordKind::Payment)[static_cast<size_t>(i)].type == FieldType::Decimal)
			f.dec = Decimal::parse(v);
	}
	return r;
}
CompiledRule rule(const char *kind, const char *params, const char *record_kind = "payment") {
	return CompiledRule::compile(1, "T", kind, record_kind, params, false);
}
} // namespace

TEST(RowRuleTest, CashSingleBoundaryAndCurrency) {
	Calendar cal;
	Hit hit;
	auto r = rule("cash_single", R"({"limit": 50000})");
	EXPECT_FALSE(
	    evaluate_row(r, payment({{"payment_method", "cash"}, {"amount", "50000"}}), cal, hit)); // at limit: allowed
	EXPECT_TRUE(evaluate_row(r, payment({{"payment_method", "cash"}, {"amount", "50000.01"}}), cal, hit));
	EXPECT_NE(hit.message.find("50000.01"), std::string::npos);
	EXPECT_FALSE(evaluate_row(r, payment({{"payment_method", "transfer"}, {"amount", "90000"}}), cal, hit));
	EXPECT_FALSE(
	    evaluate_row(r, payment({{"payment_method", "cash"}, {"amount", "90000"}, {"currency", "USD"}}), cal, hit));
	EXPECT_TRUE(
	    evaluate_row(r, payment({{"payment_method", "cash"}, {"amount", "90000"}, {"currency", "CNY"}}), cal, hit));
}

TEST(RowRuleTest, RoundAmountAndOfficialCard) {
	Calendar cal;
	Hit hit;
	auto round = rule("round_amount", "{}");
	EXPECT_TRUE(evaluate_row(round, payment({{"amount", "50000"}}), cal, hit));
	EXPECT_FALSE(evaluate_row(round, payment({{"amount", "40000"}}), cal, hit)); // under min_amount
	EXPECT_FALSE(evaluate_row(round, payment({{"amount", "50001"}}), cal, hit));
	auto card = rule("cash_official_card_type", "{}");
	EXPECT_TRUE(evaluate_row(card, payment({{"payment_method", "cash"}, {"expense_type", "travel"}, {"amount", "10"}}),
	                         cal, hit));
	EXPECT_FALSE(evaluate_row(card, payment({{"payment_method", "cash"}, {"expense_type", "salary"}, {"amount", "10"}}),
	                          cal, hit));
	EXPECT_FALSE(evaluate_row(
	    card, payment({{"payment_method", "official_card"}, {"expense_type", "travel"}, {"amount", "10"}}), cal, hit));
}

TEST(RowRuleTest, HandlerIsApprover) {
	Calendar cal;
	Hit hit;
	auto r = rule("handler_is_approver", "{}");
	EXPECT_TRUE(evaluate_row(r, payment({{"handler_code", "H1"}, {"approver_code", "H1"}}), cal, hit));
	EXPECT_FALSE(evaluate_row(r, payment({{"handler_code", "H1"}, {"approver_code", "A1"}}), cal, hit));
	EXPECT_FALSE(evaluate_row(r, payment({{"handler_code", "H1"}}), cal, hit));
}

TEST(RowRuleTest, TestFailureThrows) {
	Calendar cal;
	Hit hit;
	auto r = rule("test_failure", "{}");
	EXPECT_EQ(r.evaluation(), Evaluation::Row);
	EXPECT_THROW(evaluate_row(r, payment({}), cal, hit), std::exception);
	EXPECT_EQ(rule("test_failure", R"({"mode": "sql_error"})").evaluation(), Evaluation::Batch);
}

TEST(SqlTest, EverySetBasedKindHasCompleteSql) {
	for (const auto &k : rule_kinds()) {
		auto r = fixtures::compile_with_defaults(k);
		if (r.evaluation() == Evaluation::Row) {
			EXPECT_THROW(rule_sql(r), Error) << k.kind;
			continue;
		}
		std::string sql = rule_sql(r);
		for (const char *token : {"{p:", "{base_currency}", "{as_of"})
			EXPECT_EQ(sql.find(token), std::string::npos) << k.kind << " leaves " << token;
		EXPECT_NE(sql.find(k.evaluation == Evaluation::Sweep ? "{hist}" : "{batch}"), std::string::npos) << k.kind;
		int depth = 0;
		bool quoted = false;
		for (char c : sql) {
			if (c == '\'')
				quoted = !quoted;
			if (quoted)
				continue;
			depth += c == '(' ? 1 : c == ')' ? -1 : 0;
			EXPECT_GE(depth, 0) << k.kind << ": unbalanced ')'";
		}
		EXPECT_EQ(depth, 0) << k.kind << ": unbalanced parentheses";
	}
}

TEST(SqlTest, LiteralsAreQuoted) {
	EXPECT_EQ(sql_literal("a'b"), "'a''b'");
	EXPECT_EQ(sql_literal("a\\b"), "E'a\\\\b'");
	EXPECT_EQ(sql_text_array({"x", "y'z"}), "ARRAY['x', 'y''z']::pg_catalog.text[]");
	auto r = rule("payee_staff_account", R"({"relations": ["self", "o'brien"]})");
	EXPECT_NE(rule_sql(r).find("'o''brien'"), std::string::npos);
}

TEST(PrefilterTest, SkipsRowsThatCannotTakePart) {
	auto cash = rule("cash_cumulative", R"({"limit": 1})");
	EXPECT_TRUE(may_fire(cash, payment({{"payment_method", "cash"}})));
	EXPECT_FALSE(may_fire(cash, payment({{"payment_method", "transfer"}})));
	auto near = rule("payment_near_duplicate", "{}");
	EXPECT_FALSE(may_fire(near, payment({{"amount", "9999.99"}})));
	EXPECT_TRUE(may_fire(near, payment({{"amount", "10000"}})));
	auto contract = rule("payment_exceeds_contract", "{}");
	EXPECT_FALSE(may_fire(contract, payment({{"amount", "5"}})));
	EXPECT_TRUE(may_fire(contract, payment({{"contract_code", "K1"}})));
	EXPECT_TRUE(may_fire(rule("test_failure", R"({"mode": "sql_error"})"), payment({})));
	for (const auto &k : rule_kinds()) // every pre-filter field is a field of the kind's record
		for (auto rk : k.record_kinds) {
			std::string params = std::string(k.kind) == "cash_cumulative" ? R"({"limit": 1})" : "{}";
			auto r = CompiledRule::compile(1, "T", k.kind, record_kind_name(rk),
			                               fixtures::params_for(k.kind, rk, params), false);
			for (const auto &f : prefilter_fields(r))
				EXPECT_GE(field_index(rk, f), 0) << k.kind << "." << f;
			for (const auto &f : row_rule_fields(r))
				EXPECT_GE(field_index(rk, f), 0) << k.kind << "." << f;
		}
}

// Refunds and credit notes: kinds that judge payments only say no to them (row checks and pre-filters),
// and read payment_kind to know; a record without one is a payment; segregation of duties judges every kind.
TEST(RefundTest, PaymentsOnlyKindsSkipRefundsAndCreditNotes) {
	Calendar cal;
	Hit hit;
	auto cash = rule("cash_single", "{}");
	auto refund = payment({{"payment_method", "cash"}, {"amount", "60000"}, {"payment_kind", "refund"}});
	EXPECT_TRUE(skips_record(cash, refund));
	EXPECT_FALSE(evaluate_row(cash, refund, cal, hit));
	EXPECT_TRUE(evaluate_row(
	    cash, payment({{"payment_method", "cash"}, {"amount", "60000"}, {"payment_kind", "payment"}}), cal, hit));
	EXPECT_TRUE(evaluate_row(cash, payment({{"payment_method", "cash"}, {"amount", "60000"}}), cal, hit));
	auto fields = row_rule_fields(cash);
	EXPECT_NE(std::find(fields.begin(), fields.end(), "payment_kind"), fields.end());
	auto dup = rule("payment_duplicate", "{}");
	EXPECT_FALSE(may_fire(dup, payment({{"invoice_no", "I"}, {"payment_kind", "credit_note"}})));
	EXPECT_TRUE(may_fire(dup, payment({{"invoice_no", "I"}})));
	fields = prefilter_fields(dup);
	EXPECT_NE(std::find(fields.begin(), fields.end(), "payment_kind"), fields.end());
	auto sod = rule("handler_is_approver", "{}");
	EXPECT_FALSE(skips_record(sod, refund));
	EXPECT_TRUE(evaluate_row(sod, payment({{"handler_code", "H"}, {"approver_code", "H"}, {"payment_kind", "refund"}}),
	                         cal, hit));
	for (const char *kind :
	     {"payment_duplicate", "payment_near_duplicate", "payment_exceeds_contract", "payment_before_contract_signed",
	      "cash_single", "cash_cumulative", "cash_official_card_type", "sme_payment_overdue", "payee_staff_account",
	      "round_amount", "nonworking_day_approval", "missing_signoff"})
		EXPECT_TRUE(find_rule_kind(kind)->payments_only) << kind;
	EXPECT_FALSE(find_rule_kind("handler_is_approver")->payments_only);
}

// payment_split_under_limit (0.4.0): a pattern of a day's payments, judged by the sweeper over the recent
// days (nothing on the write path); the limit, the count and the window are parameters of the SQL.
TEST(PaymentSplitTest, SweepAndParameters) {
	auto split = rule("payment_split_under_limit", R"({"approval_limit": 500000})");
	EXPECT_EQ(split.evaluation(), Evaluation::Sweep);
	std::string sql =
	    rule_sql(rule("payment_split_under_limit", R"({"approval_limit": 200000, "min_count": 3, "lookback_days": 7})"));
	EXPECT_NE(sql.find("pg_catalog.max(h.amount) < (200000)"), std::string::npos);
	EXPECT_NE(sql.find("pg_catalog.count(*) >= (3)"), std::string::npos);
	EXPECT_NE(sql.find("- (7) AND"), std::string::npos);
	EXPECT_THROW(validate_params("payment_split_under_limit", parse_json(R"({"min_count": 1})")), Error);
	EXPECT_THROW(validate_params("payment_split_under_limit", parse_json(R"({"lookback_days": 400})")), Error);
}
