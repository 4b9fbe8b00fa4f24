// The condition language of data-driven rules (oversight/core/condition.hpp): parsing, checking when a
// rule is saved (unknown fields and constants, type mismatches, impossible enumerated values, syntax,
// each with where), evaluation with exact decimals and SQL's three-valued logic; and text templates.
#include <gtest/gtest.h>

#include "oversight/core/condition.hpp"
#include "oversight/core/error.hpp"
#include "rule_fixtures.hpp"

using namespace oversight::core;

namespace {

using fixtures::record;
Record pay(std::initializer_list<std::pair<const char *, const char *>> values) {
	return record(RecordKind::Payment, values);
}

Condition cond(const std::string &text, RecordKind kind = RecordKind::Payment, const char *constants = "{}") {
	return Condition::compile(text, kind, parse_json(constants));
}

// The message of the error compiling text (and checks it is 22023), or "" when it compiles.
std::string error_of(const std::string &text, RecordKind kind = RecordKind::Payment, const char *constants = "{}") {
	try {
		cond(text, kind, constants);
	} catch (const Error &e) {
		EXPECT_STREQ(e.sqlstate(), "22023") << text;
		return e.what();
	}
	return "";
}

#define EXPECT_REFUSED(text, fragment)                                                                                 \
	do {                                                                                                               \
		std::string m_ = error_of(text);                                                                               \
		EXPECT_NE(m_.find(fragment), std::string::npos) << (text) << " → " << m_;                                      \
	} while (0)

} // namespace

TEST(ConditionTest, ComparesNumbersAsExactDecimals) {
	auto c = cond("amount >= 1000000");
	EXPECT_EQ(c.evaluate(pay({{"amount", "1000000"}})), Truth::True);
	EXPECT_EQ(c.evaluate(pay({{"amount", "999999.9999"}})), Truth::False);
	EXPECT_EQ(c.evaluate(pay({{"amount", "1000000.0001"}})), Truth::True);
	EXPECT_TRUE(cond("amount = 0.1").holds(pay({{"amount", "0.10"}})));
	EXPECT_TRUE(cond("amount > -1").holds(pay({{"amount", "0"}})));
	EXPECT_TRUE(cond("amount = 1e6").holds(pay({{"amount", "1000000"}})));
	EXPECT_TRUE(cond("1000000 <= amount").holds(pay({{"amount", "1000000"}}))); // the field on either side
	// integer fields compare with decimals too
	EXPECT_TRUE(cond("fiscal_year BETWEEN 2024 AND 2025", RecordKind::Procurement)
	                .holds(record(RecordKind::Procurement, {{"fiscal_year", "2025"}})));
	EXPECT_FALSE(cond("number_of_tenderers > 1.5", RecordKind::Procurement)
	                 .holds(record(RecordKind::Procurement, {{"number_of_tenderers", "1"}})));
}

TEST(ConditionTest, TextListsAndEnumerations) {
	auto c = cond("procurement_method IN ('selective', 'limited', 'direct')", RecordKind::Procurement);
	EXPECT_TRUE(c.holds(record(RecordKind::Procurement, {{"procurement_method", "direct"}})));
	EXPECT_FALSE(c.holds(record(RecordKind::Procurement, {{"procurement_method", "open"}})));
	EXPECT_EQ(c.evaluate(record(RecordKind::Procurement, {})), Truth::Unknown);
	auto n = cond("procurement_method NOT IN ('open')", RecordKind::Procurement);
	EXPECT_TRUE(n.holds(record(RecordKind::Procurement, {{"procurement_method", "limited"}})));
	EXPECT_EQ(n.evaluate(record(RecordKind::Procurement, {})), Truth::Unknown);
	EXPECT_TRUE(cond("fund_kind = 'special' AND amount > 0", RecordKind::FundAllocation)
	                .holds(record(RecordKind::FundAllocation, {{"fund_kind", "special"}, {"amount", "1"}})));
	EXPECT_TRUE(cond("penalty_kind = 'fine' AND fine_amount >= 10000", RecordKind::Enforcement)
	                .holds(record(RecordKind::Enforcement, {{"penalty_kind", "fine"}, {"fine_amount", "10000"}})));
	EXPECT_TRUE(cond("status = 'paid'").holds(pay({{"status", "paid"}})));
	EXPECT_TRUE(cond("payee_name = '某建设公司'").holds(pay({{"payee_name", "某建设公司"}})));
	EXPECT_TRUE(cond("payee_name = 'O''Brien & Co'").holds(pay({{"payee_name", "O'Brien & Co"}})));
	EXPECT_TRUE(cond("handler_code = approver_code").holds(pay({{"handler_code", "H"}, {"approver_code", "H"}})));
}

TEST(ConditionTest, ThreeValuedLogicAsInSql) {
	Record none = pay({});
	EXPECT_EQ(cond("amount > 5").evaluate(none), Truth::Unknown);
	EXPECT_EQ(cond("NOT amount > 5").evaluate(none), Truth::Unknown); // not true: NOT of unknown
	EXPECT_EQ(cond("amount > 5 OR status IS NULL").evaluate(none), Truth::True);
	EXPECT_EQ(cond("amount > 5 AND status IS NOT NULL").evaluate(none), Truth::False);
	EXPECT_EQ(cond("amount > 5 AND status IS NULL").evaluate(none), Truth::Unknown);
	EXPECT_TRUE(cond("payment_kind IS NULL OR payment_kind = 'payment'").holds(none));
	EXPECT_FALSE(cond("payment_kind IS NULL OR payment_kind = 'payment'").holds(pay({{"payment_kind", "refund"}})));
	EXPECT_EQ(cond("amount NOT BETWEEN 1 AND 5").evaluate(pay({{"amount", "6"}})), Truth::True);
	EXPECT_EQ(cond("amount NOT BETWEEN 1 AND 5").evaluate(pay({{"amount", "5"}})), Truth::False);
}

TEST(ConditionTest, PrecedenceAndParentheses) {
	// NOT binds tighter than AND, AND tighter than OR
	Record r = pay({{"amount", "10"}, {"status", "paid"}});
	EXPECT_TRUE(cond("status = 'approved' AND amount > 100 OR amount = 10").holds(r));
	EXPECT_FALSE(cond("status = 'approved' AND (amount > 100 OR amount = 10)").holds(r));
	EXPECT_TRUE(cond("NOT status = 'approved' AND amount = 10").holds(r));
	EXPECT_FALSE(cond("NOT (status = 'paid' AND amount = 10)").holds(r));
	EXPECT_TRUE(cond("((amount = 10))").holds(r));
	EXPECT_TRUE(cond("amount=10 and not status<>'paid' Or Amount Is Null").holds(r)); // keywords and fields in any case
}

TEST(ConditionTest, DatesAndTimestampsByLocalDate) {
	auto c = cond("approved_at >= DATE '2025-01-01' AND paid_on < '2025-07-01'");
	EXPECT_TRUE(c.holds(pay({{"approved_at", "2025-01-01"}, {"paid_on", "2025-06-30"}})));
	EXPECT_FALSE(c.holds(pay({{"approved_at", "2024-12-31"}, {"paid_on", "2025-06-30"}})));
	EXPECT_FALSE(c.holds(pay({{"approved_at", "2025-03-01"}, {"paid_on", "2025-07-01"}})));
	EXPECT_TRUE(
	    cond("delivered_on BETWEEN '2024-02-01' AND '2024-02-29'").holds(pay({{"delivered_on", "2024-02-29"}})));
}

TEST(ConditionTest, NamedConstants) {
	auto c = cond("amount >= :large AND currency = :ccy", RecordKind::Payment, R"({"large": 500000, "ccy": "CNY"})");
	EXPECT_TRUE(c.holds(pay({{"amount", "500000"}, {"currency", "CNY"}})));
	EXPECT_FALSE(c.holds(pay({{"amount", "499999.99"}, {"currency", "CNY"}})));
	EXPECT_TRUE(cond("approved_at >= :from", RecordKind::Payment, R"({"from": "2025-01-01"})")
	                .holds(pay({{"approved_at", "2025-01-02"}})));
	auto missing = [](const char *text, const char *constants) {
		try {
			cond(text, RecordKind::Payment, constants);
		} catch (const Error &e) {
			return std::string(e.what()) + " | " + e.hint();
		}
		return std::string();
	};
	EXPECT_NE(missing("amount >= :larg", R"({"large": 1})").find("unknown constant :larg"), std::string::npos);
	EXPECT_NE(missing("amount >= :larg", R"({"large": 1})").find("Constants: :large"), std::string::npos);
	EXPECT_NE(missing("amount >= 1", R"({"large": 1})").find("constant \"large\" is never used"), std::string::npos);
	EXPECT_NE(missing("amount >= :x", R"({"x": [1]})").find("must be a number or a string"), std::string::npos);
	EXPECT_NE(missing("amount >= :X", R"({"X": 1})").find("not a valid name"), std::string::npos);
	EXPECT_NE(missing("amount >= :s", R"({"s": "many"})").find("cannot compare field amount (number) with :s (text)"),
	          std::string::npos);
}

TEST(ConditionTest, FieldsReadOnceInRecordOrder) {
	auto c = cond("status = 'paid' AND amount > 1 OR amount < 0 AND payee_name IS NULL");
	std::vector<int> expected = {field_index(RecordKind::Payment, "payee_name"),
	                             field_index(RecordKind::Payment, "amount"),
	                             field_index(RecordKind::Payment, "status")};
	std::sort(expected.begin(), expected.end());
	EXPECT_EQ(c.fields(), expected);
}

// The fields without which a condition can never hold (data coverage of matter rules).
TEST(ConditionTest, NecessaryFieldsAreThoseWhoseAbsenceNeverHolds) {
	auto names = [](const Condition &c) {
		std::vector<std::string> out;
		for (int f : c.necessary_fields())
			out.push_back(record_fields(RecordKind::Payment)[static_cast<size_t>(f)].name);
		return out;
	};
	// A NULL currency or payment kind is allowed by its own IS NULL branch; a NULL amount is never >= .
	EXPECT_EQ(names(cond("amount >= 500000 AND (currency IS NULL OR currency = 'CNY') AND "
	                     "(payment_kind IS NULL OR payment_kind = 'payment')")),
	          std::vector<std::string>{"amount"});
	// Either side of an OR can hold alone: neither field is necessary.
	EXPECT_EQ(names(cond("amount >= 1 OR payment_method = 'cash'")), std::vector<std::string>{});
	// Both sides of an AND are.
	EXPECT_EQ(names(cond("payment_method = 'cash' AND amount BETWEEN 1 AND 5")),
	          (std::vector<std::string>{"amount", "payment_method"}));
	// IS NOT NULL needs the field; NOT (x IS NULL) too; NOT over an unknown stays unknown.
	EXPECT_EQ(names(cond("payee_account IS NOT NULL")), std::vector<std::string>{"payee_account"});
	EXPECT_EQ(names(cond("NOT (payee_account IS NULL)")), std::vector<std::string>{"payee_account"});
	EXPECT_EQ(names(cond("NOT (amount < 100)")), std::vector<std::string>{"amount"});
	// IS NULL holds precisely when the field is absent; NOT IN with a NULL field is unknown, as eval says.
	EXPECT_EQ(names(cond("payee_account IS NULL")), std::vector<std::string>{});
	EXPECT_EQ(names(cond("status NOT IN ('returned')")), std::vector<std::string>{"status"});
	// Consistent with evaluation: with a necessary field NULL the condition never holds.
	auto c = cond("amount >= 10 AND (payment_kind IS NULL OR payment_kind = 'payment')");
	EXPECT_FALSE(c.holds(pay({{"payment_kind", "payment"}})));
	EXPECT_TRUE(c.holds(pay({{"amount", "20"}})));
}

TEST(ConditionTest, RefusesWhatCanNeverBeRightNamingWhere) {
	EXPECT_REFUSED("amout >= 1000000", "unknown field \"amout\" of payment at character 1");
	EXPECT_REFUSED("amount >= '1000000'", "cannot compare field amount (number) with '1000000' (text)");
	EXPECT_REFUSED("payment_method = 5", "cannot compare field payment_method (text) with 5 (number)");
	EXPECT_REFUSED("payee_name > 'M'", "text can only be compared with = or <>");
	EXPECT_REFUSED("payment_method = 'cheque'",
	               "'cheque' is never a value of payment_method (transfer, cash, official_card)");
	EXPECT_REFUSED("status IN ('paid', 'payed')", "'payed' is never a value of status");
	EXPECT_REFUSED("paid_on > '2025-13-01'", "'2025-13-01' is not a date (yyyy-mm-dd)");
	EXPECT_REFUSED("paid_on > DATE '2025-02-30'", "is not a date");
	EXPECT_REFUSED("paid_on > 5", "cannot compare field paid_on (date) with 5 (number)");
	EXPECT_REFUSED("1 = 1", "compares two values");
	EXPECT_REFUSED("amount = NULL", "write field IS NULL");
	EXPECT_REFUSED("'x' IS NULL", "IS NULL applies to a field");
	EXPECT_REFUSED("amount IN (1, amount)", "holds values");
	EXPECT_REFUSED("amount >= 1 AND", "expected a field or a value, found end of the condition");
	EXPECT_REFUSED("amount >= 1 status = 'paid'", "unexpected \"status\" (an AND or OR missing?) at character 13");
	EXPECT_REFUSED("(amount >= 1", "expected \")\" to close the parenthesis");
	EXPECT_REFUSED("amount", "expected a comparison (=, <>, <, <=, >, >=), IS NULL, IN or BETWEEN after field amount");
	EXPECT_REFUSED("amount IS 5", "expected NULL after IS");
	EXPECT_REFUSED("payee_name = 'x", "unterminated string");
	EXPECT_REFUSED("amount >= 1 ; DROP TABLE x", "unexpected character \";\"");
	EXPECT_REFUSED("amount >= 12ab", "malformed number");
	EXPECT_REFUSED("", "the condition is empty");
	EXPECT_REFUSED("payee_name = '中' AND amout > 1", "at character 22"); // characters, not bytes
	EXPECT_REFUSED("fund_kind = 'special'", "unknown field \"fund_kind\" of payment");
	// the hint lists the fields of the record kind
	try {
		cond("amout > 1");
		FAIL();
	} catch (const Error &e) {
		EXPECT_NE(e.hint().find("Fields of payment: payment_code, payer_unit_code"), std::string::npos) << e.hint();
	}
}

TEST(TemplateTest, RendersFieldsExactly) {
	auto t = TextTemplate::compile("大额支付：{payee_name} {amount} 元（{approved_at}）{{备注}}", RecordKind::Payment);
	EXPECT_EQ(t.render(pay({{"payee_name", "某建设公司"}, {"amount", "3000000.50"}, {"approved_at", "2024-10-21"}})),
	          "大额支付：某建设公司 3000000.5 元（2024-10-21）{备注}");
	EXPECT_EQ(t.render(pay({})), "大额支付：  元（）{备注}"); // NULL fields write nothing
	EXPECT_EQ(t.fields().size(), 3u);
	auto n = TextTemplate::compile("{ number_of_tenderers } bids", RecordKind::Procurement);
	EXPECT_EQ(n.render(record(RecordKind::Procurement, {{"number_of_tenderers", "1"}})), "1 bids");
	auto refused = [](const char *text) {
		try {
			TextTemplate::compile(text, RecordKind::Payment);
		} catch (const Error &e) {
			EXPECT_STREQ(e.sqlstate(), "22023");
			return std::string(e.what());
		}
		return std::string();
	};
	EXPECT_NE(refused("支付 {payee}").find("unknown field {payee} of payment at character 4"), std::string::npos);
	EXPECT_NE(refused("支付 {amount").find("unclosed \"{\""), std::string::npos);
	EXPECT_NE(refused("支付 amount}").find("unmatched \"}\""), std::string::npos);
}

TEST(ValueTest, TextAndJsonOfEachType) {
	Value v;
	EXPECT_EQ(value_text(v, FieldType::Decimal), "");
	EXPECT_TRUE(value_json(v, FieldType::Decimal).is_null());
	v.null = false;
	v.dec = Decimal::parse("1234567.89");
	EXPECT_EQ(value_text(v, FieldType::Decimal), "1234567.89");
	EXPECT_EQ(value_json(v, FieldType::Decimal).dump(), "1234567.89");
	v.integer = 42;
	EXPECT_EQ(value_json(v, FieldType::Integer).dump(), "42");
	v.date = days_from_civil(2024, 10, 21);
	EXPECT_EQ(value_json(v, FieldType::Timestamp).dump(), "\"2024-10-21\"");
	v.text = "x";
	EXPECT_EQ(value_json(v, FieldType::Text).dump(), "\"x\"");
}
