// Matter rules (kind matter_when, src/core/rules/matter.cpp): parameters checked when a version is saved,
// each error naming its parameter; what a record meeting the condition hands to oversight.record_matters
// (title, date of the act, handler, hold, facts); the fields the engine converts for it.
#include <gtest/gtest.h>

#include "oversight/core/error.hpp"
#include "rule_fixtures.hpp"
#include "oversight/core/rules.hpp"

using namespace oversight::core;

namespace {

using fixtures::record;

// The default large-payment matter rule (oversight.rule_default FUND.PAY.LARGE_MATTER), as shipped.
const char *large_payment = R"J({
  "condition": "amount >= :large_payment AND (currency IS NULL OR currency = 'CNY') AND (payment_kind IS NULL OR payment_kind = 'payment') AND (status IS NULL OR status IN ('approved', 'held', 'paid'))",
  "constants": {"large_payment": 500000},
  "title_zh": "大额支付：{payee_name} {amount} 元",
  "title_en": "Large payment: {amount} CNY to {payee_name}",
  "event_date": ["approved_at", "paid_on", "requested_on"],
  "handler": "handler_code",
  "hold": true
})J";

std::string error_of(const char *record_kind, const std::string &params) {
	try {
		validate_params("matter_when", *parse_record_kind(record_kind), parse_json(params));
	} catch (const Error &e) {
		EXPECT_STREQ(e.sqlstate(), "22023");
		return e.what();
	}
	return "";
}

} // namespace

TEST(MatterRuleTest, IsARowKindThatFormsMatters) {
	const RuleKindSpec *k = find_rule_kind("matter_when");
	ASSERT_NE(k, nullptr);
	EXPECT_TRUE(k->forms_matters);
	EXPECT_EQ(k->evaluation, Evaluation::Row);
	EXPECT_EQ(k->record_kinds.size(), record_kind_count); // every record kind
	for (const auto &other : rule_kinds())
		EXPECT_EQ(other.forms_matters, std::string(other.kind) == "matter_when") << other.kind;
}

TEST(MatterRuleTest, LargePaymentFormsAMatterWithEverythingItNeeds) {
	auto r = CompiledRule::compile(7, "FUND.PAY.LARGE_MATTER", "matter_when", "payment", large_payment, false);
	Calendar cal;
	Hit hit;
	Record big = record(RecordKind::Payment, {{"payment_code", "BIG-1"},
	                                          {"payee_name", "某建设公司"},
	                                          {"amount", "3000000"},
	                                          {"currency", "CNY"},
	                                          {"payment_kind", "payment"},
	                                          {"status", "approved"},
	                                          {"requested_on", "2024-10-18"},
	                                          {"paid_on", "2024-10-22"},
	                                          {"handler_code", "H1"}});
	ASSERT_TRUE(evaluate_row(r, big, cal, hit));
	EXPECT_EQ(hit.message, "大额支付：某建设公司 3000000 元");
	Json d = parse_json(hit.details);
	EXPECT_EQ(d["title_en"], "Large payment: 3000000 CNY to 某建设公司");
	EXPECT_EQ(d["event_date"], "2024-10-22"); // approved_at not set: the next field of the list
	EXPECT_EQ(d["event_date_field"], "paid_on");
	EXPECT_EQ(d["handler_code"], "H1");
	EXPECT_EQ(d["hold"], true);
	EXPECT_EQ(d["confidential"], false);
	EXPECT_EQ(d["facts"]["amount"].dump(), "3000000");
	EXPECT_EQ(d["facts"]["payee_name"], "某建设公司");
	EXPECT_TRUE(d["facts"]["approved_at"].is_null());
	EXPECT_EQ(d["facts"].size(), 9u); // what the rule reads: condition, titles, dates, handler

	// the threshold, exactly
	Record at = big, under = big;
	at.fields[static_cast<size_t>(field_index(RecordKind::Payment, "amount"))].dec = Decimal::parse("500000");
	under.fields[static_cast<size_t>(field_index(RecordKind::Payment, "amount"))].dec = Decimal::parse("499999.99");
	EXPECT_TRUE(evaluate_row(r, at, cal, hit));
	EXPECT_FALSE(evaluate_row(r, under, cal, hit));
	// a refund or a credit note is not a large payment; nor a payment in another currency, or one only requested
	EXPECT_FALSE(evaluate_row(
	    r, record(RecordKind::Payment, {{"amount", "3000000"}, {"payment_kind", "refund"}, {"status", "paid"}}), cal,
	    hit));
	EXPECT_FALSE(evaluate_row(r, record(RecordKind::Payment, {{"amount", "3000000"}, {"payment_kind", "credit_note"}}),
	                          cal, hit));
	EXPECT_FALSE(evaluate_row(r, record(RecordKind::Payment, {{"amount", "3000000"}, {"currency", "USD"}}), cal, hit));
	EXPECT_FALSE(
	    evaluate_row(r, record(RecordKind::Payment, {{"amount", "3000000"}, {"status", "requested"}}), cal, hit));
	// a table that maps neither kind nor status nor currency: a payment all the same
	EXPECT_TRUE(evaluate_row(r, record(RecordKind::Payment, {{"amount", "3000000"}}), cal, hit));
	Json d2 = parse_json(hit.details);
	EXPECT_TRUE(d2["event_date"].is_null()); // no date: the day of the write (oversight.record_matters)
	EXPECT_TRUE(d2["handler_code"].is_null());
	// a payment already paid is not held
	Record paid = big;
	paid.fields[static_cast<size_t>(field_index(RecordKind::Payment, "status"))].text = "paid";
	ASSERT_TRUE(evaluate_row(r, paid, cal, hit));
	EXPECT_EQ(parse_json(hit.details)["hold"], false);
}

TEST(MatterRuleTest, ReadsOnlyTheFieldsItNeeds) {
	auto r = CompiledRule::compile(1, "M", "matter_when", "procurement",
	                               R"({"condition": "procurement_method <> 'open'", "title_zh": "{ocid}",
	                                   "event_date": ["tender_period_start"], "detail_fields": ["estimated_value"]})",
	                               false);
	EXPECT_EQ(row_rule_fields(r),
	          (std::vector<std::string>{"ocid", "procurement_method", "estimated_value", "tender_period_start"}));
	auto held = CompiledRule::compile(1, "M", "matter_when", "payment", large_payment, false);
	auto fields = row_rule_fields(held);
	EXPECT_NE(std::find(fields.begin(), fields.end(), "status"), fields.end());
}

// Data coverage: a matter rule cannot judge a record without the fields its condition can never hold
// without (a load without amounts forms no large-payment matter: it says so instead).
TEST(MatterRuleTest, RequiredInputsAreTheFieldsItsConditionNeeds) {
	auto held = CompiledRule::compile(1, "M", "matter_when", "payment", large_payment, false);
	EXPECT_EQ(required_inputs(held), std::vector<std::string>{"amount"});
	EXPECT_EQ(missing_inputs(held, [](const std::string &f) { return f != "amount"; }),
	          std::vector<std::string>{"amount"});
	EXPECT_EQ(missing_inputs(held, [](const std::string &f) { return f == "amount"; }), std::vector<std::string>{});
	auto method = CompiledRule::compile(1, "M", "matter_when", "procurement",
	                                    R"({"condition": "procurement_method <> 'open'", "title_zh": "{ocid}"})", false);
	EXPECT_EQ(required_inputs(method), std::vector<std::string>{"procurement_method"});
}

TEST(MatterRuleTest, ParametersAreCheckedWhenSavedNamingThem) {
	auto refused = [](const char *kind, const std::string &params, const char *fragment) {
		std::string m = error_of(kind, params);
		EXPECT_NE(m.find(fragment), std::string::npos) << params << " → " << m;
	};
	refused("payment", R"({"title_zh": "x"})", "parameter \"condition\" is required");
	refused("payment", R"({"condition": "amount >= 1"})", "parameter \"title_zh\" is required");
	refused("payment", R"({"condition": "amout >= 1", "title_zh": "x"})",
	        "rule kind matter_when: parameter \"condition\": unknown field \"amout\" of payment at character 1");
	refused("payment", R"({"condition": "amount >= 'a lot'", "title_zh": "x"})",
	        "parameter \"condition\": cannot compare field amount (number) with 'a lot' (text)");
	refused("payment", R"({"condition": "amount >=", "title_zh": "x"})", "parameter \"condition\": expected a field");
	refused("payment", R"({"condition": "amount >= :t", "title_zh": "x"})",
	        "parameter \"condition\": unknown constant :t");
	refused("payment", R"({"condition": "amount >= 1", "constants": [1], "title_zh": "x"})",
	        "parameter \"constants\" must be a JSON object");
	refused("payment", R"({"condition": "amount >= 1", "title_zh": "支付 {payee}"})",
	        "parameter \"title_zh\": unknown field {payee} of payment");
	refused("payment", R"({"condition": "amount >= 1", "title_zh": "x", "title_en": "{amount"})",
	        "parameter \"title_en\": unclosed");
	refused("payment", R"({"condition": "amount >= 1", "title_zh": "x", "event_date": ["payee_name"]})",
	        "parameter \"event_date\" names \"payee_name\", which is not a date or a timestamp");
	refused("payment", R"({"condition": "amount >= 1", "title_zh": "x", "event_date": ["paid"]})",
	        "parameter \"event_date\" names \"paid\", which is not a field of payment");
	refused("payment", R"({"condition": "amount >= 1", "title_zh": "x", "handler": "amount"})",
	        "parameter \"handler\" names \"amount\", which is not a text field");
	refused("contract", R"({"condition": "amount >= 1", "title_zh": "x", "hold": true})",
	        "parameter \"hold\" applies to payments only");
	refused("payment", R"({"condition": "amount >= 1", "title_zh": "x", "detail_fields": ["nope"]})",
	        "parameter \"detail_fields\" names \"nope\"");
	refused("payment", R"({"condition": "amount >= 1", "title_zh": "x", "hold": "yes"})",
	        "parameter \"hold\" must be true or false");
	// the same condition, valid for one record kind, is refused for another
	EXPECT_EQ(error_of("fund_allocation", R"({"condition": "fund_kind = 'special'", "title_zh": "x"})"), "");
	refused("payment", R"({"condition": "fund_kind = 'special'", "title_zh": "x"})", "unknown field \"fund_kind\"");
	// defaults filled in
	Json p = validate_params("matter_when", RecordKind::Payment,
	                         parse_json(R"({"condition": "amount >= 1", "title_zh": "x"})"));
	EXPECT_EQ(p["hold"], false);
	EXPECT_EQ(p["confidential"], false);
	EXPECT_TRUE(p["title_en"].is_null());
	EXPECT_TRUE(p["event_date"].is_null());
	EXPECT_EQ(p["constants"], Json::object());
}

TEST(MatterRuleTest, EveryRecordKindCanFormMatters) {
	const char *conditions[] = {"amount > 0",
	                            "procurement_method IN ('selective', 'limited', 'direct')",
	                            "amount > 0",
	                            "parent_contract_code IS NOT NULL",
	                            "fund_kind = 'special' AND amount > 0",
	                            "penalty_kind = 'fine' AND fine_amount >= 10000"};
	for (size_t i = 0; i < record_kind_count; ++i) {
		const char *rk = record_kind_name(static_cast<RecordKind>(i));
		std::string params = std::string(R"({"condition": ")") + conditions[i] + R"(", "title_zh": "事项"})";
		EXPECT_EQ(error_of(rk, params), "") << rk;
	}
}
