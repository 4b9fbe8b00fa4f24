// Messages of findings (oversight/core/messages.hpp): the renderer, and every rule kind's title and
// templates in Chinese and English, each placeholder a value its findings provide — row kinds by firing
// them, set-based kinds by their SQL building the member.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "oversight/core/error.hpp"
#include "oversight/core/messages.hpp"
#include "oversight/core/rules.hpp"
#include "rule_fixtures.hpp"

using namespace oversight::core;

namespace {
std::string en(const char *tmpl, const char *details) {
	return render_template(tmpl, parse_finding(details), Language::En).text;
}
std::string zh(const char *tmpl, const char *details) {
	return render_template(tmpl, parse_finding(details), Language::Zh).text;
}
bool has_cjk(const std::string &s) {
	for (unsigned char c : s)
		if (c >= 0xE4 && c <= 0xE9) // lead byte of the CJK unified ideographs in UTF-8
			return true;
	return false;
}
} // namespace

TEST(RendererTest, FillsPlaceholdersWithValuesAsWritten) {
	// Numbers keep their text: jsonb prints a numeric(…, 2) as 60000.00, and so does the message.
	EXPECT_EQ(en("cash payment of {amount} {currency}", R"({"amount": 60000.00, "currency": "CNY"})"),
	          "cash payment of 60000.00 CNY");
	EXPECT_EQ(en("{a} {b} {c}", R"({"a": 1e6, "b": -3, "c": true})"), "1e6 -3 true");
	EXPECT_EQ(en("{{literal}} {x}", R"({"x": "y"})"), "{literal} y");
	EXPECT_EQ(en("路径 {a.b} {a.c.1}", R"({"a": {"b": "B", "c": [10, 20]}})"), "路径 B 20");
}

TEST(RendererTest, NullIsEmptyMissingIsIncomplete) {
	FindingValue v = parse_finding(R"({"currency": null})");
	Rendered r = render_template("amount {currency} x", v, Language::En);
	EXPECT_EQ(r.text, "amount  x");
	EXPECT_TRUE(r.complete);
	r = render_template("amount {absent} x", v, Language::En);
	EXPECT_EQ(r.text, "amount  x");
	EXPECT_FALSE(r.complete);
	EXPECT_FALSE(render_template("{a.9}", parse_finding(R"({"a": [1]})"), Language::En).complete);
	// No details at all: no values.
	EXPECT_TRUE(render_template("never reported", parse_finding(""), Language::En).complete);
	EXPECT_TRUE(render_template("x", parse_finding("null"), Language::Zh).complete);
}

TEST(RendererTest, ListsTermsKeysAndObjects) {
	const char *d = R"({"levels": ["handler", "section_chief"], "key": {"payment_code": "P1", "seq": 2},
	                    "category": "goods", "unknown": "zzz", "cur": "CNY"})";
	EXPECT_EQ(en("{levels}", d), "handler, section_chief");
	EXPECT_EQ(zh("{levels|term}", d), "经办人、科长");
	EXPECT_EQ(en("{levels|term}", d), "handler, section_chief"); // English shows the codes
	EXPECT_EQ(zh("{category|term} {unknown|term} {cur|term}", d), "货物 zzz 元");
	// An object is shown as jsonb prints it (what key::text gave the English messages) or by its values.
	EXPECT_EQ(en("payment {key}", d), R"(payment {"payment_code": "P1", "seq": 2})");
	EXPECT_EQ(zh("付款 {key|key}", d), "付款 P1、2");
	EXPECT_EQ(FindingValue(parse_finding(R"({"s": "a\"b\\c\nd", "n": null, "l": [1, "x"]})")).json(),
	          R"({"s": "a\"b\\c\nd", "n": null, "l": [1, "x"]})");
}

TEST(RendererTest, SectionsRepeatPerElementWithTheOuterValuesInReach) {
	const char *d = R"({"account": "A1", "matches": [{"full_name": "Staff One", "relation": "spouse"},
	                                                  {"full_name": "Staff Two", "relation": "self"}]})";
	EXPECT_EQ(en("{account}: {#matches}{full_name} ({relation}, {account}){/matches}", d),
	          "A1: Staff One (spouse, A1), Staff Two (self, A1)");
	EXPECT_EQ(zh("{#matches}{full_name}（{relation|term}）{/matches}", d), "Staff One（配偶）、Staff Two（本人）");
	EXPECT_EQ(en("[{#none}x{/none}]", R"({"none": []})"), "[]");
	EXPECT_EQ(en("[{#n}x{/n}]", R"({"n": null})"), "[]");
}

TEST(RendererTest, BrokenTemplatesAreRefusedByName) {
	for (const char *bad : {"{open", "a } b", "{}", "{#s}no end", "{/s}", "{x|upper}", "{|term}"})
		EXPECT_THROW(template_placeholders(bad), Error) << bad;
	EXPECT_EQ(template_placeholders("{a} {b|term} {#m}{c}{/m} {{d}}"),
	          (std::vector<std::string>{"a", "b", "m", "m.c"}));
	EXPECT_THROW(parse_finding("{\"a\": "), Error);
}

TEST(RendererTest, TheFindingChoosesAmongSeveralTemplates) {
	std::vector<MessageTemplate> t = {{"weekend", "周末（{d}）", "a weekend ({d})"},
	                                  {"holiday", "节假日（{d}）", "a public holiday ({d})"}};
	FindingMessages m = render_messages(t, parse_finding(R"({"finding": "holiday", "d": "2025-10-01"})"));
	EXPECT_EQ(m.en, "a public holiday (2025-10-01)");
	EXPECT_EQ(m.zh, "节假日（2025-10-01）");
	EXPECT_TRUE(m.complete);
	m = render_messages(t, parse_finding(R"({"d": "2025-10-01"})")); // details of an old alert: no "finding"
	EXPECT_EQ(m.en, "a weekend (2025-10-01)");
	EXPECT_FALSE(m.complete);
	EXPECT_EQ(parse_language("zh"), Language::Zh);
	EXPECT_EQ(parse_language("en"), Language::En);
	EXPECT_FALSE(parse_language("fr"));
}

// --- every kind ------------------------------------------------------------------------------------
TEST(KindMessagesTest, EveryKindHasTitlesAndTemplatesInBothLanguages) {
	for (const auto &k : rule_kinds()) {
		ASSERT_TRUE(k.title_zh && k.title_en) << k.kind << ": a title in Chinese and English";
		EXPECT_TRUE(has_cjk(k.title_zh)) << k.kind << ": " << k.title_zh;
		EXPECT_FALSE(std::string(k.title_en).empty()) << k.kind;
		if (k.forms_matters) // a matter rule's text is the matter's title, given by the rule (title_zh, title_en)
			continue;
		ASSERT_FALSE(k.messages.empty()) << k.kind << ": at least one message template";
		std::set<std::string> findings;
		for (const auto &m : k.messages) {
			ASSERT_TRUE(m.zh && m.en) << k.kind;
			EXPECT_TRUE(has_cjk(m.zh)) << k.kind << ": the Chinese template is Chinese: " << m.zh;
			EXPECT_NO_THROW(template_placeholders(m.zh)) << k.kind;
			EXPECT_NO_THROW(template_placeholders(m.en)) << k.kind;
			EXPECT_EQ(m.finding == nullptr, k.messages.size() == 1)
			    << k.kind << ": a kind with several templates names the finding of each, and only then";
			if (m.finding) {
				EXPECT_TRUE(findings.insert(m.finding).second) << k.kind << ": finding " << m.finding << " twice";
			}
		}
	}
}

// Set-based kinds: every value a template reads is a member their SQL builds (a literal 'name' followed
// by a value in jsonb_build_object), and every finding a template names is a value of "finding".
TEST(KindMessagesTest, SetBasedFindingsProvideEveryPlaceholder) {
	for (const auto &k : rule_kinds()) {
		auto r = fixtures::compile_with_defaults(k);
		if (r.evaluation() == Evaluation::Row)
			continue;
		const std::string sql = rule_sql(r);
		for (const auto &m : k.messages) {
			for (const char *tmpl : {m.zh, m.en})
				for (const auto &path : template_placeholders(tmpl)) {
					// a.b (a member of a section's element) and a.0 (a list element): each named segment
					size_t start = 0;
					while (start <= path.size()) {
						size_t dot = path.find('.', start);
						std::string segment =
						    path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
						bool index = !segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos;
						if (!index) {
							EXPECT_NE(sql.find("'" + segment + "', "), std::string::npos)
							    << k.kind << ": the template reads " << segment << ", which the SQL never builds";
						}
						if (dot == std::string::npos)
							break;
						start = dot + 1;
					}
				}
			if (m.finding) {
				EXPECT_NE(sql.find("'finding', "), std::string::npos) << k.kind;
				EXPECT_NE(sql.find("'" + std::string(m.finding) + "'"), std::string::npos)
				    << k.kind << ": finding " << m.finding << " is never produced";
			}
		}
		// The SQL no longer assembles sentences: no message column, only values.
		EXPECT_EQ(sql.find(" AS message"), std::string::npos) << k.kind;
	}
}

namespace {
using fixtures::record;

struct RowCase {
	const char *record_kind;
	const char *params;
	Record rec;
	const char *expected_en; // the English message, as the kind wrote it before its templates
	const char *expected_zh;
};

// A firing record of every row kind (each shape of finding of a kind with several): its messages in
// both languages, rendered from its details only.
std::multimap<std::string, RowCase> row_cases() {
	using RK = RecordKind;
	std::multimap<std::string, RowCase> c;
	c.insert({"cash_single",
	          {"payment", R"({"limit": 50000})",
	           record(RK::Payment, {{"payment_method", "cash"}, {"amount", "50000.01"}, {"payee_name", "张三"}}),
	           "cash payment of 50000.01 CNY exceeds the single-withdrawal limit of 50000",
	           "单笔现金支付 50000.01 元，超过单笔提取现金限额 50000"}});
	c.insert({"cash_official_card_type",
	          {"payment", "{}",
	           record(RK::Payment, {{"payment_method", "cash"}, {"expense_type", "travel"}, {"amount", "800"}}),
	           "cash used for expense type \"travel\", which must be settled by official card (公务卡)",
	           "差旅费（travel）以现金支付 800，按公务卡强制结算目录应使用公务卡结算"}});
	c.insert({"round_amount",
	          {"payment", "{}", record(RK::Payment, {{"amount", "60000"}}), "round amount 60000 (a multiple of 10000)",
	           "整数金额支付 60000（10000 的整倍数）"}});
	c.insert({"nonworking_day_approval",
	          {"payment", "{}", record(RK::Payment, {{"approved_at", "2025-06-01"}}),
	           "payment approved on a weekend (2025-06-01)", "支付在周末（2025-06-01）审批"}});
	c.insert({"nonworking_day_approval",
	          {"payment", "{}", record(RK::Payment, {{"approved_at", "2025-10-01"}}),
	           "payment approved on a public holiday (2025-10-01)", "支付在法定节假日（2025-10-01）审批"}});
	c.insert({"handler_is_approver",
	          {"fund_allocation", "{}", record(RK::FundAllocation, {{"handler_code", "H1"}, {"approver_code", "H1"}}),
	           "the same person (H1) handled and approved this fund_allocation",
	           "同一人（H1）既是该资金分配事项的经办人，又是审批人"}});
	c.insert({"method_threshold",
	          {"procurement", "{}",
	           record(RK::Procurement, {{"procurement_method", "limited"},
	                                    {"estimated_value", "2500000.00"},
	                                    {"main_procurement_category", "goods"}}),
	           "non-open method \"limited\" for goods worth 2500000, at or above the public-tender threshold 2000000, "
	           "without prior approval",
	           "货物采购预算 2500000，达到公开招标数额标准 2000000，未经批准采用非公开方式“竞争性谈判或磋商”"}});
	c.insert({"tender_period_short",
	          {"procurement", "{}",
	           record(RK::Procurement, {{"procurement_method", "open"},
	                                    {"tender_period_start", "2025-06-01"},
	                                    {"tender_period_end", "2025-06-11"}}),
	           "tender period of 10 days for a open procedure, under the minimum of 20",
	           "公开招标的招标期限仅 10 日，少于法定最短期限 20 日"}});
	c.insert({"single_bid",
	          {"procurement", "{}",
	           record(RK::Procurement, {{"procurement_method", "selective"}, {"number_of_tenderers", "1"}}),
	           "only one tenderer in a selective procedure", "邀请招标仅有一家投标人"}});
	c.insert(
	    {"fine_collected_by_agency",
	     {"enforcement", "{}", record(RK::Enforcement, {{"collected_by", "deciding_agency"}, {"fine_amount", "5000"}}),
	      "fine collected by the deciding agency itself (罚缴分离 requires payment to the designated bank)",
	      "作出处罚决定的行政机关自行收缴罚款，违反罚缴分离规定（罚款应由当事人缴至指定银行）"}});
	return c;
}
} // namespace

TEST(KindMessagesTest, RowFindingsRenderBothMessagesFromTheirDetails) {
	Calendar cal;
	cal.holidays.insert(days_from_civil(2025, 10, 1));
	cal.loaded_years.insert(2025);
	auto cases = row_cases();
	for (const auto &k : rule_kinds()) {
		if (k.evaluation != Evaluation::Row || std::string(k.kind) == "test_failure" || k.forms_matters)
			continue;
		std::set<std::string> shapes;
		auto [from, to] = cases.equal_range(k.kind);
		EXPECT_NE(from, to) << k.kind << ": a row kind needs a firing case here";
		for (auto it = from; it != to; ++it) {
			const RowCase &c = it->second;
			auto r = CompiledRule::compile(1, "T", k.kind, c.record_kind, c.params, false);
			Hit hit;
			ASSERT_TRUE(evaluate_row(r, c.rec, cal, hit)) << k.kind;
			EXPECT_EQ(hit.message, c.expected_en) << k.kind;
			EXPECT_EQ(hit.message_zh, c.expected_zh) << k.kind;
			FindingMessages again = finding_messages(k, hit.details);
			EXPECT_TRUE(again.complete) << k.kind << ": the details hold every value: " << hit.details;
			EXPECT_EQ(again.en, hit.message);
			if (const FindingValue *f = parse_finding(hit.details).member("finding"))
				shapes.insert(f->text);
		}
		if (k.messages.size() > 1) {
			EXPECT_EQ(shapes.size(), k.messages.size()) << k.kind << ": a firing case for every shape of finding";
		}
	}
}

// The details the set-based SQL builds, as jsonb prints them, give the English messages the SQL used to
// assemble itself, byte for byte, and a Chinese one.
TEST(KindMessagesTest, SetBasedMessagesKeepTheirEnglishText) {
	struct Case {
		const char *kind, *details, *en, *zh;
	};
	const Case cases[] = {
	    {"payment_duplicate",
	     R"({"payee": "ACC1", "amount": 26680.25, "currency": "CNY", "invoice_no": "INV-9", "duplicate_of": {"payment_code": "PAY-1"}})",
	     R"(duplicate payment: same payee, amount 26680.25 CNY and invoice INV-9 as payment {"payment_code": "PAY-1"})",
	     "重复支付：收款人、金额（26680.25 元）和发票号（INV-9）均与付款 PAY-1 相同"},
	    {"payment_near_duplicate",
	     R"({"amounts": [12000.00, 12050.00], "days_apart": 3, "payee_name": "某公司", "similar_to": {"payment_code": "P1"}})",
	     R"(possible double payment to 某公司: 12000.00 and 12050.00 within 3 days (payment {"payment_code": "P1"}))",
	     "疑似重复支付：3 天内向 某公司 支付 12000.00 和 12050.00（另见付款 P1）"},
	    {"payment_before_contract_signed",
	     R"({"finding": "unsigned", "signed_on": null, "payment_date": "2025-06-01", "contract_code": "K1"})",
	     "payment on contract K1, which has no signature date", "合同 K1 没有签订日期，却已据此付款"},
	    {"payee_staff_account",
	     R"({"matches": [{"relation": "spouse", "full_name": "Staff One", "holder_name": "S", "person_code": "E1"}], "payee_account": "622"})",
	     "payee account 622 belongs to staff Staff One (spouse)",
	     "收款账户 622 属于本单位职工或其亲属：Staff One（配偶）"},
	    {"cash_cumulative",
	     R"({"limit": 200000, "total": 210000.00, "period": "month", "currency": "CNY", "payments": 3, "unit_code": "U1", "period_label": "2025-06"})",
	     "cash paid by unit U1 in 2025-06 totals 210000.00 CNY, above the monthly limit of 200000",
	     "单位 U1 在 2025-06 累计提取现金 210000.00 元，超过月度限额 200000"},
	    {"missing_signoff",
	     R"({"amount": 600000.00, "currency": "CNY", "min_amount": 500000, "missing_levels": ["section_chief", "leader_in_charge"]})",
	     "payment of 600000.00 CNY lacks sign-off by section_chief, leader_in_charge",
	     "大额支付 600000.00 元 缺少逐级审签：科长、分管领导"},
	    {"penalty_outside_band",
	     R"({"finding": "above_band", "max_fine": 5000.00, "min_fine": 1000.00, "fine_amount": 8000.00, "violation_code": "V1"})",
	     "fine of 8000.00 above the discretion band 1000.00–5000.00 of violation V1",
	     "罚款 8000.00 高于违法行为 V1 的裁量基准 1000.00–5000.00"},
	};
	for (const auto &c : cases) {
		const RuleKindSpec *k = find_rule_kind(c.kind);
		ASSERT_TRUE(k) << c.kind;
		FindingMessages m = finding_messages(*k, c.details);
		EXPECT_TRUE(m.complete) << c.kind;
		EXPECT_EQ(m.en, c.en) << c.kind;
		EXPECT_EQ(m.zh, c.zh) << c.kind;
	}
}
