// Issue 11: mapping files that say everything a source needs — constants, defaults, derived values, value
// aliases for every field kind, keys from several columns, encoding and date order — and the errors for
// anything a mapping says that the loader would not use; ragged rows, negative amounts, --currency.
#include "core/mapping.hpp"
#include "core/merge_sql.hpp"
#include "core/row_validator.hpp"

#include <gtest/gtest.h>

using namespace oversight::loader;

namespace {

const RecordKind &kind(const char *command) {
	return *find_record_kind(command);
}

size_t at(const char *command, const char *field) {
	return static_cast<size_t>(kind(command).field_index(field));
}

std::string error_of(const std::string &text, const char *command = "payments") {
	try {
		Mapping::parse(text, "m.map", kind(command));
	} catch (const MappingError &e) {
		return e.what();
	}
	return "no error";
}

// A validator over `header` with `map`; the mapping must outlive it.
struct Fixture {
	Mapping mapping;
	std::vector<std::string> header;
	RowValidator validator;
	Fixture(const char *command, const std::string &map, std::vector<std::string> h,
	        const std::map<std::string, std::string> &overrides = {})
	    : mapping(Mapping::parse(map, "m.map", kind(command))), header(std::move(h)),
	      validator(kind(command), mapping, bind_header(header, mapping, kind(command), overrides), header.size()) {}
	std::optional<RowError> row(const std::vector<std::string> &cells, std::vector<std::optional<std::string>> &v) {
		return validator.validate(cells, v);
	}
};

} // namespace

TEST(MappingFile, ParsesEverySource) {
	Mapping m = Mapping::parse("encoding = GBK\n"
	                           "date_order = dmy\n"
	                           "key = 'CTY' + 凭证编号\n"
	                           "[columns]\n"
	                           "currency = const:cny\n"
	                           "payment_method = 支付方式 | default:transfer\n"
	                           "payer_unit_code = 单位编码 | by_name:预算单位 | by_name:单位名称\n"
	                           "paid_on = 日期 | default:05/03/2024\n"
	                           "purpose = \"note: purpose\" | 用途\n"
	                           "[values.expense_type]\n"
	                           "office = 办公费 | 办公用品\n",
	                           "m.map", kind("payments"));
	EXPECT_EQ(m.encoding, Encoding::gb18030);
	EXPECT_EQ(m.date_order, DateOrder::dmy);
	ASSERT_EQ(m.key.size(), 2u);
	EXPECT_TRUE(m.key[0].literal);
	EXPECT_EQ(m.key[0].text, "CTY");
	EXPECT_EQ(m.key[1].text, "凭证编号");
	EXPECT_EQ(m.constants.at("currency"), "CNY"); // canonical: upper-cased
	EXPECT_EQ(m.defaults.at("paid_on"), "2024-03-05");
	EXPECT_EQ(m.by_name.at("payer_unit_code"), (std::vector<std::string>{"预算单位", "单位名称"}));
	EXPECT_EQ(m.column_aliases.at("purpose"), (std::vector<std::string>{"note: purpose", "用途"}));
	EXPECT_EQ(m.canonical_value("expense_type", " 办公用品 "), "office");
	Mapping y = Mapping::parse("[columns]\nfiscal_year = 年度 | year:批复日期\n", "m.map", kind("budget-projects"));
	EXPECT_EQ(y.year_of.at("fiscal_year"), std::vector<std::string>{"批复日期"});
}

TEST(MappingFile, EverythingUnusedIsAnErrorNamingFileLineAndKey) {
	EXPECT_EQ(error_of("[column]\n"), "m.map:1: unknown section [column] (expected [columns] or [values.FIELD])");
	EXPECT_EQ(error_of("encodng = gbk\n"), "m.map:1: unknown setting \"encodng\" (the settings before any section are "
	                                       "encoding, date_order and key; fields go under [columns])");
	EXPECT_NE(error_of("encoding = klingon\n").find("m.map:1: unknown encoding \"klingon\""), std::string::npos);
	EXPECT_NE(error_of("encoding = utf-16\n").find("cannot be read as CSV"), std::string::npos);
	EXPECT_EQ(error_of("date_order = dym\n"), "m.map:1: date_order must be dmy, mdy or ymd, not \"dym\"");
	EXPECT_EQ(error_of("[values.expense_typ]\n"),
	          "m.map:1: no field \"expense_typ\" in record kind payments (oversight-load fields payments lists them)");
	EXPECT_EQ(error_of("[columns]\ncurrency = lookup:币种\n"),
	          "m.map:2: unknown directive \"lookup:\" (const:, default:, year:, by_name: or key:; a header that "
	          "really starts so is written in double quotes: \"lookup:币种\")");
	EXPECT_EQ(error_of("[columns]\namount = default:-5\n", "allocations"),
	          "m.map:2: default \"-5\" of amount is negative: only payments can be refunds or credit notes");
	EXPECT_EQ(error_of("[columns]\namount = default:-5\n"), "no error"); // a payment's: a refund
	EXPECT_EQ(error_of("[columns]\npayment_code = key:'X' + 号\n"),
	          "m.map:2: the key payment_code is built by key = before any section, not by key: under [columns]");
	EXPECT_EQ(error_of("[columns]\npaid_on = key:'X' + 号\n"),
	          "m.map:2: key: builds a code from columns and 'literals'; paid_on is not a code");
	EXPECT_EQ(error_of("[columns]\nrefund_of = 原单号 | key:'X' + 号\n"),
	          "m.map:2: key: builds refund_of from columns and 'literals'; it cannot be combined with headers, const:, "
	          "default:, year: or by_name:");
	EXPECT_EQ(error_of("[columns]\ncurrency = const:人民币\n"),
	          "m.map:2: constant \"人民币\" of currency is not an ISO 4217 currency code (e.g. CNY)");
	EXPECT_EQ(error_of("[columns]\ncurrency = 币种 | const:CNY\n"),
	          "m.map:2: const: gives every row of currency the same value; it cannot be combined with headers, "
	          "default:, year:, by_name: or key =");
	EXPECT_EQ(error_of("[columns]\namount = year:日期\n"),
	          "m.map:2: year: fills a whole-number field such as fiscal_year, not amount");
	EXPECT_EQ(error_of("[columns]\npayee_name = by_name:收款人\n"),
	          "m.map:2: by_name: finds parties and org units by name; payee_name refers to no table");
	EXPECT_EQ(error_of("[values.payment_method]\ncheque = 支票\n"),
	          "m.map:2: value \"cheque\" of payment_method is not one of transfer, cash, official_card (add an alias "
	          "under [values.payment_method] in the mapping file)");
	EXPECT_EQ(error_of("[values.payment_method]\ncash = 现金\ntransfer = 现金\n"),
	          "m.map:3: \"现金\" is already an alias of cash under [values.payment_method]");
	EXPECT_EQ(error_of("key = a + b\n", "bids"),
	          "m.map:1: key = builds a one-field key; the key of bids is (ocid, bid_id): give each of its fields a "
	          "column under [columns]");
	EXPECT_EQ(error_of("key = 'X' + 编号\n[columns]\npayment_code = 凭证号\n"),
	          "m.map:3: key = builds payment_code from several columns; it cannot also have columns under [columns]");
	EXPECT_EQ(error_of("currency CNY\n"), "m.map:1: expected NAME = VALUE");
	EXPECT_EQ(error_of("date_order = dmy\ndate_order = mdy\n"), "m.map:2: date_order is set twice (first at line 1)");
	EXPECT_EQ(error_of("[columns]\ncurrency = default:\n"), "m.map:2: default: needs a value");
}

TEST(HeaderBinding, SourcesAndWhatCheckMappingSays) {
	Mapping m = Mapping::parse("date_order = dmy\nkey = 'CTY' + 凭证编号\n[columns]\ncurrency = const:CNY\n"
	                           "payer_unit_code = by_name:预算单位\npayee_name = 收款单位\n"
	                           "payee_party_code = 信用代码 | by_name:收款单位\namount = 金额\npayment_method = "
	                           "default:transfer\npaid_on = 日期\n[values.expense_type]\noffice = 办公费\n",
	                           "m.map", kind("payments"));
	std::vector<std::string> header{"凭证编号", "预算单位", "收款单位", "金额", "日期", "expense_type", "备注"};
	HeaderBinding b = bind_header(header, m, kind("payments"));
	EXPECT_TRUE(b.missing_required.empty());
	EXPECT_EQ(b.unmapped_headers, std::vector<std::string>{"备注"});
	EXPECT_TRUE(b.has(static_cast<int>(at("payments", "payment_code"))));
	EXPECT_TRUE(b.has(static_cast<int>(at("payments", "currency"))));
	EXPECT_FALSE(b.has(static_cast<int>(at("payments", "invoice_no"))));
	auto says = [&](const char *field) {
		return describe_source(b, header, m, kind("payments"), at("payments", field));
	};
	EXPECT_EQ(says("payment_code"), "key built from 'CTY' + column 1 \"凭证编号\", joined by -");
	EXPECT_EQ(says("payer_unit_code"), "by name: column 2 \"预算单位\" → oversight.org_unit (name_zh or name_en)");
	EXPECT_EQ(says("payee_party_code"),
	          "by name: column 3 \"收款单位\" → oversight.party (a party is created when no name matches)");
	EXPECT_EQ(says("currency"), "constant CNY");
	EXPECT_EQ(says("payment_method"), "default transfer (mapping)");
	EXPECT_EQ(says("status"), "default paid (record kind)");
	EXPECT_EQ(says("paid_on"), "column 5 \"日期\"; date_order dmy");
	EXPECT_EQ(says("expense_type"), "column 6 \"expense_type\"; values through [values.expense_type] (1 aliases)");
	EXPECT_EQ(says("invoice_no"), "blind (not provided)");
	auto missing = bind_header({"预算单位"}, m, kind("payments"));
	EXPECT_EQ(missing.missing_required, (std::vector<std::string>{"payment_code", "payee_name", "amount"}));
}

TEST(RowValidator, TextAliasesConstantsDefaultsKeysAndDerivedYears) {
	Fixture f(
	    "payments",
	    "date_order = dmy\nkey = 'CTY' + 凭证编号\n[columns]\ncurrency = const:CNY\npayer_unit_code = 单位\n"
	    "payee_name = 收款单位\namount = 金额\npayment_method = 方式 | default:transfer\npaid_on = 日期\n"
	    "expense_type = 类别\n[values.expense_type]\noffice = 办公费 | 办公用品\n[values.payer_unit_code]\nEDU01 = "
	    "市第一中学\n",
	    {"凭证编号", "单位", "收款单位", "金额", "方式", "日期", "类别"});
	std::vector<std::optional<std::string>> v;
	ASSERT_FALSE(f.row({"0017", "市第一中学", "张三", "1,000", "", "05/03/2024", "办公用品"}, v));
	EXPECT_EQ(v[at("payments", "payment_code")], "CTY-0017");
	EXPECT_EQ(v[at("payments", "payer_unit_code")], "EDU01"); // a code from a name through [values.F]
	EXPECT_EQ(v[at("payments", "currency")], "CNY");
	EXPECT_EQ(v[at("payments", "payment_method")], "transfer");
	EXPECT_EQ(v[at("payments", "paid_on")], "2024-03-05");
	EXPECT_EQ(v[at("payments", "expense_type")], "office"); // a text value's alias, no longer ignored
	auto e = f.row({"", "市第一中学", "张三", "1", "", "05/03/2024", ""}, v);
	ASSERT_TRUE(e);
	EXPECT_EQ(e->reason, "cannot be built: its key part \"凭证编号\" is empty");
	e = f.row({"1", "第二中学", "张三", "1", "", "05/03/2024", ""}, v);
	EXPECT_EQ(e->reason, "is not a valid code (letters, digits, _ . - ; at most 64), nor a value under "
	                     "[values.payer_unit_code]");

	Fixture y("budget-projects",
	          "date_order = dmy\n[columns]\nproject_code = 编号\nfiscal_year = year:批复日期\nunit_code = 单位\n"
	          "name = 名称\nbudget_amount = 金额\n",
	          {"编号", "批复日期", "单位", "名称", "金额"});
	ASSERT_FALSE(y.row({"BP1", "15/01/2025", "EDU01", "x", "10"}, v));
	EXPECT_EQ(v[at("budget-projects", "fiscal_year")], "2025");
	EXPECT_EQ(y.row({"BP1", "2025-13-01", "EDU01", "x", "10"}, v)->reason,
	          "comes from the date \"2025-13-01\", which is not a real calendar date");
}

TEST(RowValidator, ShortRowsNegativeAmountsAndTheCurrencyOfTheLoad) {
	Fixture f("payments", "[columns]\n",
	          {"payment_code", "payer_unit_code", "payee_name", "amount", "payment_method", "paid_on", "currency",
	           "invoice_no", "purpose"},
	          {{"currency", "GBP"}});
	std::vector<std::optional<std::string>> v;
	RowValues values;
	std::vector<std::string_view> cells{"P1", "U1", "x", "10", "transfer", "2024-03-05"}; // 3 trailing missing
	ASSERT_FALSE(f.validator.validate(cells, values));
	EXPECT_TRUE(values.short_row);
	EXPECT_EQ(values[at("payments", "currency")], "GBP");
	EXPECT_FALSE(values[at("payments", "invoice_no")]);
	auto cut = f.row({"P1", "U1", "x", "10"}, v);
	EXPECT_EQ(cut->field, "payment_method");
	EXPECT_EQ(cut->reason, "is missing: the row has 4 fields but the header has 9 (a line cut short?)");
	auto other = f.row({"P1", "U1", "x", "10", "transfer", "2024-03-05", "EUR"}, v);
	EXPECT_EQ(other->reason, "is EUR but the load says --currency GBP for the whole file");
	EXPECT_FALSE(f.row({"P1", "U1", "x", "10", "transfer", "2024-03-05", "gbp"}, v));
	// A negative amount is a refund: staged with its sign, stored as its magnitude with payment_kind refund (the
	// merge derives the kind when the file gives none: no column more to stage per row).
	for (std::string credit : {"(50.00)", "-50.00", "50.00-", "£(50.00)", "−50.00"}) {
		ASSERT_FALSE(f.row({"P1", "U1", "x", credit, "transfer", "2024-03-05"}, v)) << credit;
		EXPECT_EQ(v[at("payments", "amount")], "-50.00") << credit;
		EXPECT_FALSE(v[at("payments", "payment_kind")]) << credit;
	}
	ASSERT_FALSE(f.row({"P1", "U1", "x", "50", "transfer", "2024-03-05"}, v));
	EXPECT_FALSE(v[at("payments", "payment_kind")]); // a payment: the column's default
	EXPECT_EQ(f.row({"P1", "U1", "x", "-0.00", "transfer", "2024-03-05"}, v)->reason, "must be greater than 0");
}

TEST(RowValidator, RefundsAndCreditNotes) {
	Fixture f(
	    "payments",
	    "[columns]\npayment_kind = 类型\nrefund_of = 原支付单号\n[values.payment_kind]\n"
	    "credit_note = 冲红 | Credit Note\nrefund = 退款\n",
	    {"payment_code", "payer_unit_code", "payee_name", "amount", "payment_method", "paid_on", "类型", "原支付单号"});
	std::vector<std::optional<std::string>> v;
	auto kind_of = [&](std::vector<std::string> cells) -> std::string {
		auto e = f.row(cells, v);
		if (e)
			return e->field + ": " + e->reason;
		return *v[at("payments", "amount")] + " " + v[at("payments", "payment_kind")].value_or("(default)") + " " +
		       v[at("payments", "refund_of")].value_or("-");
	};
	EXPECT_EQ(kind_of({"R1", "U1", "x", "(50.00)", "transfer", "2024-03-05", "冲红", "P1"}), "-50.00 credit_note P1");
	EXPECT_EQ(kind_of({"R1", "U1", "x", "-50", "transfer", "2024-03-05", "credit note", ""}), "-50 credit_note -");
	EXPECT_EQ(kind_of({"R1", "U1", "x", "-50", "transfer", "2024-03-05", "", "P1"}), "-50 refund P1");
	EXPECT_EQ(kind_of({"R1", "U1", "x", "50", "transfer", "2024-03-05", "退款", "P1"}), "50 refund P1");
	EXPECT_EQ(kind_of({"P1", "U1", "x", "50", "transfer", "2024-03-05", "payment", ""}), "50 payment -");
	EXPECT_EQ(kind_of({"R1", "U1", "x", "-50", "transfer", "2024-03-05", "payment", ""}),
	          "amount: is negative (-50), a refund or credit note, but payment_kind is payment: a negative amount "
	          "needs payment_kind refund or credit_note (or empty); correct the sign or the payment_kind");
	EXPECT_EQ(kind_of({"R1", "U1", "x", "50", "transfer", "2024-03-05", "", "P1"}),
	          "refund_of: names the payment this row reverses, but the row is a payment: only a refund or credit_note "
	          "reverses one (give payment_kind refund or credit_note, or a negative amount)");
	EXPECT_EQ(kind_of({"R1", "U1", "x", "-50", "transfer", "2024-03-05", "", "R1"}),
	          "refund_of: must differ from payment_code");
	EXPECT_EQ(
	    kind_of({"R1", "U1", "x", "-50", "transfer", "2024-03-05", "void", ""}).rfind("payment_kind: is not one of", 0),
	    0u);

	// A mapping's default yields to the sign when it says payment, not when it says credit note.
	Fixture d("payments", "[columns]\npayment_kind = default:payment\n",
	          {"payment_code", "payer_unit_code", "payee_name", "amount", "payment_method", "paid_on"});
	ASSERT_FALSE(d.row({"R1", "U1", "x", "-5", "transfer", "2024-03-05"}, v));
	EXPECT_EQ(v[at("payments", "payment_kind")], "refund");
	Fixture c("payments", "[columns]\npayment_kind = default:credit_note\n",
	          {"payment_code", "payer_unit_code", "payee_name", "amount", "payment_method", "paid_on"});
	ASSERT_FALSE(c.row({"R1", "U1", "x", "-5", "transfer", "2024-03-05"}, v));
	EXPECT_EQ(v[at("payments", "payment_kind")], "credit_note");
	Fixture k("payments", "[columns]\npayment_kind = const:payment\n",
	          {"payment_code", "payer_unit_code", "payee_name", "amount", "payment_method", "paid_on"});
	EXPECT_EQ(k.row({"R1", "U1", "x", "-5", "transfer", "2024-03-05"}, v)->field, "amount");

	// Other kinds keep refusing negative amounts, and say where refunds go.
	Fixture a("allocations", "[columns]\n", {"allocation_code", "recipient_name", "amount", "purpose", "allocated_on"});
	auto e = a.row({"A1", "x", "-5", "y", "2024-03-05"}, v);
	ASSERT_TRUE(e);
	EXPECT_EQ(e->field, "amount");
	EXPECT_EQ(e->reason, "is negative (-5): only payments can be refunds or credit notes (oversight-load payments "
	                     "stores a negative amount as a refund, or as a credit note when payment_kind says so); "
	                     "amount of fund_allocation cannot be negative");
}

TEST(RowValidator, ACodeBuiltLikeTheKey) {
	// A council's transaction numbers are scoped by key = 'FYLDE' + …; the payment a credit note reverses is
	// given by its number too, scoped the same way.
	Fixture f("payments",
	          "key = 'FYLDE' + Transaction Number\n[columns]\nrefund_of = key:'FYLDE' + Original Transaction\n",
	          {"Transaction Number", "payer_unit_code", "payee_name", "amount", "payment_method", "paid_on",
	           "Original Transaction"});
	std::vector<std::optional<std::string>> v;
	ASSERT_FALSE(f.row({"100302", "U1", "x", "(300.00)", "transfer", "2024-05-07", "100237"}, v));
	EXPECT_EQ(v[at("payments", "payment_code")], "FYLDE-100302");
	EXPECT_EQ(v[at("payments", "refund_of")], "FYLDE-100237");
	ASSERT_FALSE(f.row({"100301", "U1", "x", "1100", "transfer", "2024-05-02", ""}, v));
	EXPECT_FALSE(v[at("payments", "refund_of")]); // reverses nothing
	EXPECT_EQ(
	    describe_source(f.validator.binding(), f.header, f.mapping, kind("payments"), at("payments", "refund_of")),
	    "built from 'FYLDE' + column 7 \"Original Transaction\", joined by - (none when those columns are empty)");
	// Without the column (an export of payments only), the field is not provided.
	Fixture g("payments", "key = 'FYLDE' + No\n[columns]\nrefund_of = key:'FYLDE' + Original Transaction\n",
	          {"No", "payer_unit_code", "payee_name", "amount", "payment_method", "paid_on"});
	EXPECT_FALSE(g.validator.binding().has(static_cast<int>(at("payments", "refund_of"))));
	Fixture h(
	    "payments", "[columns]\nrefund_of = key:年度 + 原单号\n",
	    {"payment_code", "payer_unit_code", "payee_name", "amount", "payment_method", "paid_on", "年度", "原单号"});
	auto e = h.row({"P1", "U1", "x", "-5", "transfer", "2024-05-02", "2024", ""}, v);
	ASSERT_TRUE(e);
	EXPECT_EQ(e->reason, "cannot be built: its key part \"原单号\" is empty");
}

TEST(HeaderBinding, PaymentKindFollowsTheSignOfTheAmount) {
	const RecordKind &p = kind("payments");
	std::vector<std::string> header{"payment_code", "payer_unit_code", "payee_name",
	                                "amount",       "payment_method",  "paid_on"};
	Mapping m = Mapping::parse("[columns]\n", "m.map", p);
	HeaderBinding b = bind_header(header, m, p);
	size_t k = at("payments", "payment_kind");
	EXPECT_FALSE(b.has(static_cast<int>(k)));     // not staged: the merge derives it from the amount's sign
	EXPECT_TRUE(b.provides(static_cast<int>(k))); // but provided (fields_provided)
	EXPECT_EQ(
	    describe_source(b, header, m, p, k),
	    "the sign of amount: refund when negative (the magnitude is stored), else payment (the column's default)");
	header.push_back("payment kind");
	Mapping shipped = Mapping::load(std::string(LOADER_DIR) + "/mappings/payments.map", p);
	b = bind_header(header, shipped, p);
	EXPECT_EQ(describe_source(b, header, shipped, p, k).rfind("column 7 \"payment kind\"; else the sign of amount", 0),
	          0u);
	EXPECT_FALSE(b.has(static_cast<int>(at("payments", "refund_of")))); // optional, blind without a column
	EXPECT_EQ(shipped.canonical_value("payment_kind", "冲红"), "credit_note");
	EXPECT_EQ(shipped.canonical_value("payment_kind", "退款"), "refund");
	EXPECT_EQ(shipped.canonical_value("payment_kind", "Credit Note"), "credit_note");
	EXPECT_EQ(shipped.sha256.size(), 64u);
}

TEST(RowValidator, OrgUnitsNeedAChineseOrAnEnglishName) {
	Fixture f("org-units", "[columns]\n", {"unit_code", "name_zh", "name_en", "unit_kind"});
	std::vector<std::optional<std::string>> v;
	EXPECT_FALSE(f.row({"FYLDE", "", "Fylde Borough Council", "budget_unit"}, v));
	EXPECT_FALSE(f.row({"EDU01", "市第一中学", "", "budget_unit"}, v));
	auto e = f.row({"X", "", "", "budget_unit"}, v);
	ASSERT_TRUE(e);
	EXPECT_EQ(e->field, "name_zh");
	EXPECT_EQ(e->reason, "is empty, and so is name_en: an org unit needs a name, in Chinese (name_zh) or in English "
	                     "(name_en) or both");
	Fixture en("org-units", "[columns]\n", {"unit_code", "name_en", "unit_kind"});
	EXPECT_FALSE(en.row({"FYLDE", "Fylde Borough Council", "budget_unit"}, v));
	const RecordKind &u = kind("org-units");
	Mapping m = Mapping::parse("[columns]\n", "m.map", u);
	HeaderBinding b = bind_header({"unit_code", "unit_kind"}, m, u);
	ASSERT_EQ(b.missing_required.size(), 1u);
	EXPECT_EQ(b.missing_required[0], "name_zh or name_en");
}

TEST(RowValidator, NamesResolveThroughTheIndex) {
	Fixture f("payments",
	          "[columns]\npayer_unit_code = by_name:单位\npayee_name = 收款单位\npayee_party_code = 信用代码 | "
	          "by_name:收款单位\n[values.payer_unit_code]\nHLT02 = 医院\n",
	          {"payment_code", "单位", "收款单位", "信用代码", "amount", "payment_method", "paid_on"});
	NameIndex units("org_unit"), parties("party");
	units.add("EDU01", "市第一中学");
	units.add("EDU01", "No. 1 Middle School");
	units.add("X1", "同名单位");
	units.add("X2", "同名单位");
	parties.add("91330100MA2H0001XA", "杭州文汇办公用品有限公司");
	f.validator.set_resolver(static_cast<int>(at("payments", "payer_unit_code")), &units);
	f.validator.set_resolver(static_cast<int>(at("payments", "payee_party_code")), &parties);
	std::vector<std::optional<std::string>> v;
	ASSERT_FALSE(f.row({"P1", "NO.1 MIDDLE SCHOOL", "杭州文汇办公用品有限责任公司", "", "1", "cash", "2024-03-05"}, v));
	EXPECT_EQ(v[at("payments", "payer_unit_code")], "EDU01");
	EXPECT_EQ(v[at("payments", "payee_party_code")], "91330100MA2H0001XA");
	ASSERT_FALSE(f.row({"P2", "医院", "新供应商（有限）", "", "1", "cash", "2024-03-05"}, v));
	EXPECT_EQ(v[at("payments", "payer_unit_code")], "HLT02"); // the mapping's alias, no lookup
	EXPECT_EQ(v[at("payments", "payee_party_code")], "name:新供应商有限公司");
	ASSERT_FALSE(f.row({"P3", "市第一中学", "另一家", "91330100MA2H0099XX", "1", "cash", "2024-03-05"}, v));
	EXPECT_EQ(v[at("payments", "payee_party_code")], "91330100MA2H0099XX"); // the code wins
	EXPECT_EQ(parties.created().size(), 2u);
	auto e = f.row({"P4", "同名单位", "x", "", "1", "cash", "2024-03-05"}, v);
	ASSERT_TRUE(e);
	EXPECT_EQ(e->field, "payer_unit_code");
	EXPECT_EQ(e->reason, "matches 2 org units: X1 (同名单位); X2 (同名单位) — map the name to one code under "
	                     "[values.payer_unit_code]");
	EXPECT_EQ(f.validator.cell_column(static_cast<int>(at("payments", "payer_unit_code"))), 1);
}

TEST(MergeSql, DefaultsCollisionsNewPartiesAndTwoStepAssignments) {
	const RecordKind &p = kind("payments");
	std::vector<int> staged;
	for (const char *f : {"payment_code", "payer_unit_code", "payee_name", "payee_party_code", "amount", "currency",
	                      "payment_method", "paid_on"})
		staged.push_back(p.field_index(f));
	CsvMergeOptions o;
	o.column_defaults["currency"] = "'CNY'::text";
	o.creating_fields = {p.field_index("payee_party_code")};
	CsvMergePlan plan = plan_csv_merge(p, staged, o);
	EXPECT_NE(plan.upsert.find("COALESCE(s.\"currency\", 'CNY'::text)"), std::string::npos);
	EXPECT_NE(plan.quarantine_collisions.find("suspected key collision"), std::string::npos);
	EXPECT_NE(plan.quarantine_collisions.find("t.\"amount\" <> pg_catalog.abs(s.\"amount\")"), std::string::npos);
	// The amount is staged signed: stored as its magnitude, the kind from the sign when the file gives none.
	EXPECT_NE(plan.upsert.find("pg_catalog.abs(s.\"amount\")"), std::string::npos);
	EXPECT_NE(plan.upsert.find("CASE WHEN s.\"amount\" < 0 THEN 'refund' ELSE 'payment' END"), std::string::npos);
	EXPECT_NE(plan.quarantine_collisions.find("<> CASE WHEN s.\"amount\" < 0 THEN 'refund' ELSE 'payment' END"),
	          std::string::npos);
	EXPECT_EQ(plan.create_stage.find("payment_kind"), std::string::npos); // not a staging column
	EXPECT_NE(plan.create_parties.find("INSERT INTO oversight.party (party_code, name)"), std::string::npos);
	EXPECT_NE(plan.create_stage.find("oversight_new_party"), std::string::npos);
	bool checks_new_parties = false;
	for (const auto &c : plan.quarantine_checks)
		checks_new_parties = checks_new_parties || c.find(new_party_table + " n WHERE") != std::string::npos;
	EXPECT_TRUE(checks_new_parties);
	// Only a record another file (or someone else) wrote is a suspected collision; provenance is written, not compared.
	EXPECT_NE(plan.quarantine_collisions.find("NOT EXISTS (SELECT FROM oversight.load l WHERE l.load_id = "
	                                          "t.\"load_id\" AND pg_catalog.regexp_replace(l.file_name, '^.*/', '') = "
	                                          "pg_catalog.regexp_replace($2::text, '^.*/', ''))"),
	          std::string::npos);
	EXPECT_TRUE(plan.merge_takes_load_id);
	EXPECT_NE(plan.upsert.find("\"load_id\" = EXCLUDED.\"load_id\" WHERE"), std::string::npos);
	EXPECT_NE(plan.upsert.find(", $1::bigint FROM pg_temp.oversight_stage s"), std::string::npos);
	EXPECT_EQ(plan.upsert.find("t.\"load_id\""), std::string::npos); // no part of "is distinct"
	o.correction = true;
	EXPECT_TRUE(plan_csv_merge(p, staged, o).quarantine_collisions.empty());
	o.correction = false;
	// The direction is part of a payment's identity, shown only for a refund or credit note.
	staged.push_back(p.field_index("payment_kind"));
	o.column_defaults["payment_kind"] = "'payment'::text";
	std::string kinds = plan_csv_merge(p, staged, o).quarantine_collisions;
	EXPECT_NE(kinds.find("t.\"payment_kind\" <> COALESCE(s.\"payment_kind\", 'payment'::text)"), std::string::npos);
	EXPECT_NE(kinds.find("CASE WHEN (t.\"payment_kind\" IS DISTINCT FROM 'payment'::text"), std::string::npos);
	EXPECT_EQ(fields_provided(p, staged),
	          (std::vector<std::string>{"payment.payment_code", "payment.payer_unit_code", "payment.payee_name",
	                                    "payment.payee_party_code", "payment.amount", "payment.currency",
	                                    "payment.payment_method", "payment.paid_on", "payment.payment_kind"}));
	EXPECT_EQ(text_array_literal({"payment.amount", "a\"b"}), "{\"payment.amount\",\"a\\\"b\"}");
	EXPECT_EQ(text_array_literal({}), "{}");

	const RecordKind &a = kind("assignments");
	CsvMergePlan ap = plan_csv_merge(a, {0, 1, 2, 4}); // no valid_to column: staged from the stored rows
	ASSERT_EQ(ap.fill_absent.size(), 1u);
	EXPECT_NE(ap.fill_absent[0].find("SET \"valid_to\" = t.\"valid_to\""), std::string::npos);
	EXPECT_EQ(ap.copy_columns.size(), 5u); // line_no and the four columns of the file
	EXPECT_NE(ap.update_first.find("UPDATE oversight.\"assignment\""), std::string::npos);
	EXPECT_EQ(ap.upsert.find("UPDATE"), std::string::npos);
	EXPECT_FALSE(ap.merge_takes_load_id);                                          // assignments record no provenance
	EXPECT_EQ(fields_provided(a, {0, 1, 2, 4}).front(), "assignment.person_code"); // a kind no rule watches: its table
	size_t clash_checks = 0;
	for (const auto &c : ap.quarantine_checks)
		clash_checks += c.find("a unit has one leader in charge") != std::string::npos;
	EXPECT_EQ(clash_checks, 2u); // against stored assignments, and against earlier lines of the file
}

TEST(RecordKinds, NewKindsOfIssue11) {
	for (const char *k : {"payment-signoffs", "bid-tenderers", "award-suppliers", "discretion-bands"})
		ASSERT_TRUE(find_record_kind(k)) << k;
	EXPECT_EQ(kind("discretion-bands").writer_role, "oversight_admin");
	EXPECT_EQ(kind("payments").writer_role, "oversight_loader");
	Fixture f("discretion-bands", "[columns]\n", {"violation_code", "valid_from", "min_fine", "max_fine"});
	std::vector<std::optional<std::string>> v;
	EXPECT_FALSE(f.row({"V1", "2024-01-01", "900", "1,000"}, v));
	auto e = f.row({"V1", "2024-01-01", "1000", "999.99"}, v); // compared as numbers, not as text
	ASSERT_TRUE(e);
	EXPECT_EQ(e->field, "max_fine");
	EXPECT_EQ(e->reason, "is below min_fine (1000)");
}

TEST(MappingFile, EveryShippedMappingFileParses) {
	for (const auto &k : record_kinds()) {
		std::string path = std::string(LOADER_DIR) + "/mappings/" + k.command + ".map";
		EXPECT_NO_THROW(Mapping::load(path, k)) << path;
	}
}
