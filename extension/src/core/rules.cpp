#include "oversight/core/rules.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

#include "oversight/core/error.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

// ---------------------------------------------------------------------------------------------------
// JSON (nlohmann) with exact numbers
// ---------------------------------------------------------------------------------------------------
namespace {
// Canonical form of a JSON number text: sign, significant digits without leading/trailing zeros, and
// the decimal exponent of the last digit ("1234567.89" and "1.23456789e6" give the same form).
std::string canonical_number(const std::string &text) {
	std::string digits;
	long exponent = 0;
	bool negative = false, dot = false;
	size_t i = 0;
	if (i < text.size() && (text[i] == '-' || text[i] == '+'))
		negative = text[i++] == '-';
	for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
		if (text[i] == '.')
			dot = true;
		else {
			digits += text[i];
			if (dot)
				--exponent;
		}
	}
	if (i < text.size())
		exponent += std::strtol(text.c_str() + i + 1, nullptr, 10);
	size_t first = digits.find_first_not_of('0');
	if (first == std::string::npos)
		return "0";
	digits.erase(0, first);
	while (digits.back() == '0') {
		digits.pop_back();
		++exponent;
	}
	return (negative ? "-" : "") + digits + "e" + std::to_string(exponent);
}

// SAX handler building the document; a float whose shortest round-trip form is not its source text
// (as a number) is refused instead of being rounded.
class ExactParser : public nlohmann::json_sax<Json> {
public:
	Json root;
	std::string error;

	bool null() override { return put(nullptr); }
	bool boolean(bool b) override { return put(b); }
	bool number_integer(number_integer_t v) override { return put(v); }
	bool number_unsigned(number_unsigned_t v) override { return put(v); }
	bool number_float(number_float_t v, const string_t &raw) override {
		Json j(v);
		if (canonical_number(j.dump()) != canonical_number(raw)) {
			error = "number " + raw + " cannot be kept exactly (at most 15 significant digits)";
			return false;
		}
		return put(std::move(j));
	}
	bool string(string_t &s) override { return put(std::move(s)); }
	bool binary(binary_t &) override {
		error = "binary values are not JSON";
		return false;
	}
	bool start_object(std::size_t) override { return open(Json::object()); }
	bool key(string_t &k) override {
		key_ = std::move(k);
		return true;
	}
	bool end_object() override {
		stack_.pop_back();
		return true;
	}
	bool start_array(std::size_t) override { return open(Json::array()); }
	bool end_array() override {
		stack_.pop_back();
		return true;
	}
	bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &ex) override {
		error = ex.what();
		return false;
	}

private:
	std::vector<Json *> stack_; // open containers; a parent never moves while a child is being filled
	std::string key_;

	Json *place(Json v) {
		if (stack_.empty()) {
			root = std::move(v);
			return &root;
		}
		Json &top = *stack_.back();
		if (top.is_array()) {
			top.push_back(std::move(v));
			return &top.back();
		}
		Json &slot = top[key_];
		slot = std::move(v);
		return &slot;
	}
	bool put(Json v) {
		place(std::move(v));
		return true;
	}
	bool open(Json v) {
		stack_.push_back(place(std::move(v)));
		return true;
	}
};
} // namespace

Json parse_json(const std::string &text) {
	ExactParser parser;
	bool ok = Json::sax_parse(text, &parser);
	if (!ok)
		throw Error("22P02", "invalid JSON: " + (parser.error.empty() ? std::string("malformed input") : parser.error));
	return std::move(parser.root);
}

Decimal json_decimal(const Json &v) {
	if (v.is_number())
		return Decimal::parse(v.dump());
	if (v.is_string())
		return Decimal::parse(v.get_ref<const std::string &>());
	throw Error("22P02", "not a number: " + v.dump());
}

Json decimal_json(const Decimal &d) {
	if (d.units % Decimal::scale == 0) {
		__int128 whole = d.units / Decimal::scale;
		if (whole >= INT64_MIN && whole <= INT64_MAX)
			return Json(static_cast<int64_t>(whole));
	}
	Json j(std::strtod(d.str().c_str(), nullptr));
	if (!(Decimal::parse(j.dump()) == d))
		throw Error(sqlstate::numeric_value_out_of_range,
		            "decimal " + d.str() + " cannot be kept exactly in JSON (at most 15 significant digits)");
	return j;
}

std::string json_quote(const std::string &s) {
	return Json(s).dump();
}

// ---------------------------------------------------------------------------------------------------
// Decimal
// ---------------------------------------------------------------------------------------------------
Decimal Decimal::parse(const std::string &text) {
	auto bad = [&]() -> Error { return Error("22P02", "invalid decimal number \"" + text + "\""); };
	size_t i = 0, n = text.size();
	while (i < n && text[i] == ' ')
		++i;
	bool negative = false;
	if (i < n && (text[i] == '-' || text[i] == '+'))
		negative = text[i++] == '-';
	__int128 mantissa = 0;
	int frac_digits = 0, digits = 0;
	bool dot = false;
	const __int128 limit = static_cast<__int128>(1) << 100;
	for (; i < n; ++i) {
		char c = text[i];
		if (c == '.' && !dot) {
			dot = true;
			continue;
		}
		if (c < '0' || c > '9')
			break;
		++digits;
		if (dot && frac_digits >= 6)
			continue; // truncate beyond 6 decimals (amounts have at most 4)
		mantissa = mantissa * 10 + (c - '0');
		if (mantissa > limit)
			throw Error(sqlstate::numeric_value_out_of_range, "decimal number \"" + text + "\" is too large");
		if (dot)
			++frac_digits;
	}
	if (digits == 0)
		throw bad();
	int exponent = 0;
	if (i < n && (text[i] == 'e' || text[i] == 'E')) {
		++i;
		bool eneg = false;
		if (i < n && (text[i] == '-' || text[i] == '+'))
			eneg = text[i++] == '-';
		int ed = 0;
		while (i < n && text[i] >= '0' && text[i] <= '9') {
			exponent = exponent * 10 + (text[i++] - '0');
			if (++ed > 3)
				throw bad();
		}
		if (ed == 0)
			throw bad();
		if (eneg)
			exponent = -exponent;
	}
	while (i < n && text[i] == ' ')
		++i;
	if (i != n)
		throw bad();
	int shift = 6 - frac_digits + exponent;
	for (; shift > 0; --shift) {
		mantissa *= 10;
		if (mantissa > limit)
			throw Error(sqlstate::numeric_value_out_of_range, "decimal number \"" + text + "\" is too large");
	}
	for (; shift < 0; ++shift)
		mantissa /= 10;
	Decimal d;
	d.units = negative ? -mantissa : mantissa;
	return d;
}

std::string Decimal::str() const {
	__int128 v = units < 0 ? -units : units;
	__int128 whole = v / scale, frac = v % scale;
	std::string w;
	do {
		w.insert(w.begin(), static_cast<char>('0' + static_cast<int>(whole % 10)));
		whole /= 10;
	} while (whole > 0);
	std::string out = units < 0 ? "-" + w : w;
	if (frac) {
		std::string f(6, '0');
		for (int k = 5; k >= 0; --k) {
			f[static_cast<size_t>(k)] = static_cast<char>('0' + static_cast<int>(frac % 10));
			frac /= 10;
		}
		while (!f.empty() && f.back() == '0')
			f.pop_back();
		out += "." + f;
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------
int32_t days_from_civil(int y, int m, int d) { // Howard Hinnant's algorithm, shifted to 2000-01-01
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = static_cast<unsigned>(y - era * 400);
	const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + static_cast<int>(doe) - 719468 - 10957;
}

void civil_from_days(int32_t days, int &y, int &m, int &d) {
	int z = days + 10957 + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = static_cast<unsigned>(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
	m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
	y = static_cast<int>(yoe) + era * 400 + (m <= 2);
}

int iso_dow(int32_t days) {
	return ((days % 7 + 7) % 7 + 5) % 7 + 1;
} // 2000-01-01 was a Saturday

std::string date_text(int32_t days) {
	int y, m, d;
	civil_from_days(days, y, m, d);
	char buf[16];
	std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	return buf;
}

bool Calendar::is_working_day(int32_t day, bool &known) const {
	int y, m, d;
	civil_from_days(day, y, m, d);
	known = loaded_years.count(y) > 0;
	if (known) {
		if (holidays.count(day))
			return false;
		if (adjusted_workdays.count(day))
			return true;
	}
	return iso_dow(day) < 6;
}

// ---------------------------------------------------------------------------------------------------
// Record kinds
// ---------------------------------------------------------------------------------------------------
namespace {
using F = FieldType;
const std::vector<FieldSpec> payment_fields = {{"payment_code", F::Text},
                                               {"payer_unit_code", F::Text},
                                               {"payee_name", F::Text},
                                               {"payee_party_code", F::Text},
                                               {"payee_account", F::Text},
                                               {"amount", F::Decimal},
                                               {"currency", F::Text},
                                               {"purpose", F::Text},
                                               {"expense_type", F::Text},
                                               {"payment_method", F::Text},
                                               {"contract_code", F::Text},
                                               {"invoice_no", F::Text},
                                               {"budget_project_code", F::Text},
                                               {"allocation_code", F::Text},
                                               {"delivered_on", F::Date},
                                               {"requested_on", F::Date},
                                               {"approved_at", F::Timestamp},
                                               {"paid_on", F::Date},
                                               {"handler_code", F::Text},
                                               {"approver_code", F::Text},
                                               {"status", F::Text}};
const std::vector<FieldSpec> procurement_fields = {{"ocid", F::Text},
                                                   {"buyer_unit_code", F::Text},
                                                   {"budget_project_code", F::Text},
                                                   {"fiscal_year", F::Integer},
                                                   {"category_code", F::Text},
                                                   {"main_procurement_category", F::Text},
                                                   {"procurement_method", F::Text},
                                                   {"method_details", F::Text},
                                                   {"method_approval_ref", F::Text},
                                                   {"estimated_value", F::Decimal},
                                                   {"currency", F::Text},
                                                   {"tender_status", F::Text},
                                                   {"tender_period_start", F::Timestamp},
                                                   {"tender_period_end", F::Timestamp},
                                                   {"number_of_tenderers", F::Integer},
                                                   {"handler_code", F::Text},
                                                   {"approver_code", F::Text}};
const std::vector<FieldSpec> bid_fields = {{"ocid", F::Text},         {"bid_id", F::Text},      {"lot_id", F::Text},
                                           {"amount", F::Decimal},    {"currency", F::Text},    {"status", F::Text},
                                           {"bond_account", F::Text}, {"contact_name", F::Text}};
const std::vector<FieldSpec> contract_fields = {{"contract_code", F::Text},
                                                {"ocid", F::Text},
                                                {"buyer_unit_code", F::Text},
                                                {"supplier_party_code", F::Text},
                                                {"amount", F::Decimal},
                                                {"currency", F::Text},
                                                {"status", F::Text},
                                                {"signed_on", F::Date},
                                                {"parent_contract_code", F::Text},
                                                {"payment_term_days", F::Integer}};
const std::vector<FieldSpec> allocation_fields = {
    {"allocation_code", F::Text}, {"budget_project_code", F::Text}, {"recipient_unit_code", F::Text},
    {"recipient_name", F::Text},  {"amount", F::Decimal},           {"currency", F::Text},
    {"purpose", F::Text},         {"fund_kind", F::Text},           {"allocated_on", F::Date},
    {"handler_code", F::Text},    {"approver_code", F::Text}};
const std::vector<FieldSpec> enforcement_fields = {
    {"case_code", F::Text},    {"deciding_unit_code", F::Text}, {"violation_code", F::Text}, {"decided_on", F::Date},
    {"penalty_kind", F::Text}, {"fine_amount", F::Decimal},     {"currency", F::Text},       {"collected_by", F::Text},
    {"paid_on", F::Date},      {"paid_amount", F::Decimal},     {"handler_code", F::Text},   {"approver_code", F::Text},
    {"status", F::Text}};
} // namespace

std::optional<RecordKind> parse_record_kind(const std::string &name) {
	if (name == "payment")
		return RecordKind::Payment;
	if (name == "procurement")
		return RecordKind::Procurement;
	if (name == "bid")
		return RecordKind::Bid;
	if (name == "contract")
		return RecordKind::Contract;
	if (name == "fund_allocation")
		return RecordKind::FundAllocation;
	if (name == "enforcement")
		return RecordKind::Enforcement;
	return std::nullopt;
}

const char *record_kind_name(RecordKind kind) {
	switch (kind) {
	case RecordKind::Payment:
		return "payment";
	case RecordKind::Procurement:
		return "procurement";
	case RecordKind::Bid:
		return "bid";
	case RecordKind::Contract:
		return "contract";
	case RecordKind::FundAllocation:
		return "fund_allocation";
	case RecordKind::Enforcement:
		return "enforcement";
	}
	return "?";
}

const std::vector<FieldSpec> &record_fields(RecordKind kind) {
	switch (kind) {
	case RecordKind::Payment:
		return payment_fields;
	case RecordKind::Procurement:
		return procurement_fields;
	case RecordKind::Bid:
		return bid_fields;
	case RecordKind::Contract:
		return contract_fields;
	case RecordKind::FundAllocation:
		return allocation_fields;
	case RecordKind::Enforcement:
		return enforcement_fields;
	}
	return payment_fields;
}

int field_index(RecordKind kind, const std::string &name) {
	const auto &fields = record_fields(kind);
	for (size_t i = 0; i < fields.size(); ++i)
		if (name == fields[i].name)
			return static_cast<int>(i);
	return -1;
}

const char *sql_type_name(FieldType type) {
	switch (type) {
	case F::Text:
		return "text";
	case F::Decimal:
		return "numeric";
	case F::Integer:
		return "integer";
	case F::Date:
		return "date";
	case F::Timestamp:
		return "timestamptz";
	case F::Bool:
		return "boolean";
	}
	return "text";
}

const char *unit_field(RecordKind kind) {
	switch (kind) {
	case RecordKind::Payment:
		return "payer_unit_code";
	case RecordKind::Procurement:
		return "buyer_unit_code";
	case RecordKind::Bid:
		return nullptr;
	case RecordKind::Contract:
		return "buyer_unit_code";
	case RecordKind::FundAllocation:
		return "recipient_unit_code";
	case RecordKind::Enforcement:
		return "deciding_unit_code";
	}
	return nullptr;
}

// ---------------------------------------------------------------------------------------------------
// Rule-kind catalogue
// ---------------------------------------------------------------------------------------------------
namespace {
using P = ParamType;
using RK = RecordKind;
const char *official_card_types =
    "[\"office\", \"printing\", \"consulting\", \"fees\", \"utilities\", \"post\", \"property_management\", "
    "\"travel\", "
    "\"repair\", \"rental\", \"meeting\", \"training\", \"hospitality\", \"vehicle\", \"transport_other\"]";

const std::vector<RuleKindSpec> kinds = {
    // --- payments -------------------------------------------------------------------------------
    {"payment_duplicate",
     {RK::Payment},
     Evaluation::Batch,
     {{"lookback_days", P::Integer, "400",
       "Only earlier payments paid (or requested) within this many days are compared.", "1", "3660"}},
     "Same payee, amount, currency and invoice number as another payment. The alert is on the later payment (greater "
     "key)."},
    {"payment_near_duplicate",
     {RK::Payment},
     Evaluation::Batch,
     {{"amount_tolerance_pct", P::Decimal, "1", "Amounts within this percentage of the larger one are near-identical.",
       "0", "50"},
      {"window_days", P::Integer, "7", "Payment dates at most this many days apart.", "0", "366"},
      {"min_amount", P::Decimal, "10000", "Ignore payments below this amount.", "0"}},
     "Same payee name, amount within a tolerance, dates within a window, different invoice or none (possible double "
     "payment)."},
    {"payment_exceeds_contract",
     {RK::Payment},
     Evaluation::Batch,
     {{"tolerance_pct", P::Decimal, "0", "Payments may exceed the contract amount by this percentage.", "0", "100"}},
     "Payments on a contract (not returned) total more than the contract amount."},
    {"payment_before_contract_signed",
     {RK::Payment},
     Evaluation::Batch,
     {},
     "Payment dated before its contract was signed, or on a contract with no signature date."},
    {"cash_single",
     {RK::Payment},
     Evaluation::Row,
     {{"limit", P::Decimal, "50000", "Largest cash withdrawal allowed without an alert (exclusive).", "0"},
      {"currency", P::Text, "\"CNY\"", "Currency the limit is in; other currencies are not compared."}},
     "A single cash payment above the limit (大额现金提取)."},
    {"cash_cumulative",
     {RK::Payment},
     Evaluation::Batch,
     {{"limit", P::Decimal, nullptr, "Cash paid by one unit in one period must not exceed this.", "0"},
      {"period",
       P::Choice,
       "\"month\"",
       "Calendar period of the cumulative limit.",
       nullptr,
       nullptr,
       {"month", "quarter", "year"}},
      {"currency", P::Text, "\"CNY\"", "Currency the limit is in."}},
     "Cash paid by one unit in one calendar month, quarter or year above the limit (one alert per unit and period)."},
    {"cash_official_card_type",
     {RK::Payment},
     Evaluation::Row,
     {{"expense_types", P::TextList, official_card_types,
       "Expense types that must be paid with the official card (公务卡强制结算目录)."},
      {"min_amount", P::Decimal, "0", "Ignore cash payments below this amount.", "0"}},
     "Cash used for an expense type that must be settled by official card."},
    {"sme_payment_overdue",
     {RK::Payment},
     Evaluation::Sweep,
     {{"days", P::Integer, "30", "Days after delivery within which an SME must be paid (保障中小企业款项支付条例).",
       "1", "365"},
      {"use_contract_term", P::Bool, "true", "Use the contract's payment_term_days when it has one."},
      {"max_term_days", P::Integer, "60", "A contract term longer than this is capped to it.", "1", "365"}},
     "Payment to an SME still unpaid (or paid) after the deadline counted from delivery."},
    {"payee_staff_account",
     {RK::Payment},
     Evaluation::Batch,
     {{"relations", P::TextList, "[\"self\", \"spouse\", \"child\", \"parent\", \"sibling\", \"other_relative\"]",
       "Relations of oversight.person_account that count."}},
     "Payee account belongs to a staff member or a staff member's relative."},
    {"round_amount",
     {RK::Payment},
     Evaluation::Row,
     {{"modulus", P::Decimal, "10000", "An amount that is a multiple of this is round.", "0.01"},
      {"min_amount", P::Decimal, "50000", "Only amounts at or above this are signalled.", "0"}},
     "Round amount (low-severity signal)."},
    {"nonworking_day_approval",
     {RK::Payment},
     Evaluation::Row,
     {{"include_holidays", P::Bool, "true", "Also signal public holidays of the loaded calendar, not only weekends."}},
     "Payment approved on a weekend or public holiday in the bureau's time zone (low-severity signal)."},
    {"missing_signoff",
     {RK::Payment},
     Evaluation::Sweep,
     {{"min_amount", P::Decimal, "500000", "Payments at or above this need every level.", "0"},
      {"levels", P::TextList, "[\"handler\", \"section_chief\", \"leader_in_charge\"]", "Sign-off levels required."},
      {"grace_days", P::Integer, "0", "Days after approval or payment before a missing level is signalled.", "0",
       "365"},
      {"currency", P::Text, "\"CNY\"", "Currency of min_amount."}},
     "Large approved or paid payment lacking a sign-off level of oversight.payment_signoff."},
    // --- segregation of duties (any record with handler and approver) ---------------------------
    {"handler_is_approver",
     {RK::Payment, RK::Procurement, RK::FundAllocation, RK::Enforcement},
     Evaluation::Row,
     {},
     "The same person handled and approved the record."},
    // --- procurement ----------------------------------------------------------------------------
    {"method_threshold",
     {RK::Procurement},
     Evaluation::Row,
     {{"threshold_goods", P::Decimal, "2000000", "Public-tender threshold for goods.", "0"},
      {"threshold_services", P::Decimal, "2000000", "Public-tender threshold for services.", "0"},
      {"threshold_works", P::Decimal, "4000000", "Public-tender threshold for works.", "0"},
      {"open_methods", P::TextList, "[\"open\"]", "Methods that count as public tender."},
      {"currency", P::Text, "\"CNY\"", "Currency of the thresholds."}},
     "Non-open method at or above the public-tender threshold without a prior approval reference (政府采购法 第27条)."},
    {"purchase_splitting",
     {RK::Procurement},
     Evaluation::Batch,
     {{"threshold", P::Decimal, "2000000", "Public-tender threshold the split purchases stay under.", "0"},
      {"min_count", P::Integer, "2", "At least this many non-open purchases.", "2", "1000"},
      {"non_open_methods", P::TextList, "[\"selective\", \"limited\", \"direct\"]", "Methods that count as non-open."},
      {"honor_budget_adjustment", P::Bool, "true", "No alert when the budget project records an approved adjustment."},
      {"currency", P::Text, "\"CNY\"", "Currency of the threshold."}},
     "化整为零: same budget project, category and fiscal year, several non-open purchases each under the threshold, "
     "together at or above it."},
    {"near_threshold_purchases",
     {RK::Procurement},
     Evaluation::Batch,
     {{"threshold", P::Decimal, "2000000", "Public-tender threshold.", "0"},
      {"near_ratio", P::Decimal, "0.9",
       "A purchase at or above threshold × near_ratio and under the threshold is near it.", "0.01", "0.999999"},
      {"min_count", P::Integer, "2", "At least this many near-threshold non-open purchases.", "2", "1000"},
      {"non_open_methods", P::TextList, "[\"selective\", \"limited\", \"direct\"]", "Methods that count as non-open."},
      {"currency", P::Text, "\"CNY\"", "Currency of the threshold."}},
     "Near-threshold variant of splitting: several non-open purchases just under the threshold, same project, category "
     "and year."},
    {"single_source_topup",
     {RK::Contract},
     Evaluation::Batch,
     {{"max_pct", P::Decimal, "10",
       "Supplementary contracts may add up to this percentage of the original (政府采购法 第31条).", "0", "100"}},
     "Supplementary contracts of an original contract total more than the allowed percentage of it."},
    {"tender_period_short",
     {RK::Procurement},
     Evaluation::Row,
     {{"min_days_open", P::Integer, "20",
       "Minimum days from tender documents to bid deadline for open and selective tenders.", "0", "365"},
      {"min_days_limited", P::Integer, "10", "Minimum days for competitive consultation/negotiation (limited).", "0",
       "365"}},
     "Tender period shorter than the legal minimum (whole days, truncated; 政府采购法 第35条, 财库〔2014〕214号)."},
    {"single_bid",
     {RK::Procurement},
     Evaluation::Row,
     {{"methods", P::TextList, "[\"open\", \"selective\"]",
       "Methods in which a single tenderer is a red flag (OCP R018)."}},
     "Only one tenderer in a competitive tender."},
    {"collusion_same_contact",
     {RK::Bid},
     Evaluation::Batch,
     {},
     "Bids of different tenderers in one process name the same contact or project manager (财政部令第87号 第37条)."},
    {"collusion_same_bond_account",
     {RK::Bid},
     Evaluation::Batch,
     {},
     "Bid bonds of different tenderers in one process came from the same account."},
    {"collusion_identical_price",
     {RK::Bid},
     Evaluation::Batch,
     {},
     "Two submitted bids of different tenderers in one process and lot with the same amount and currency (OCP R028)."},
    // --- fund allocation ------------------------------------------------------------------------
    {"allocation_without_budget",
     {RK::FundAllocation},
     Evaluation::Batch,
     {},
     "Allocation with no budget project, an unknown one, or one of another fiscal year."},
    {"allocation_over_budget",
     {RK::FundAllocation},
     Evaluation::Batch,
     {{"tolerance_pct", P::Decimal, "0", "Allocations may exceed the budget by this percentage.", "0", "100"}},
     "Allocations charged to a budget project total more than its budget."},
    {"special_fund_misuse",
     {RK::FundAllocation},
     Evaluation::Batch,
     {},
     "Allocation from a special fund whose stated purpose does not contain the fund's purpose."},
    // --- enforcement ----------------------------------------------------------------------------
    {"penalty_outside_band",
     {RK::Enforcement},
     Evaluation::Batch,
     {{"flag_missing_band", P::Bool, "false", "Also signal fines whose violation has no discretion band in force."}},
     "Fine outside the discretion band (裁量基准, oversight.discretion_band) of its violation."},
    {"fine_collected_by_agency",
     {RK::Enforcement},
     Evaluation::Row,
     {},
     "Fine collected by the deciding agency instead of the designated bank (罚缴分离, 行政处罚法 第67条)."},
    {"fine_unpaid",
     {RK::Enforcement},
     Evaluation::Sweep,
     {{"days", P::Integer, "15", "Days after the decision within which the fine is due (行政处罚法 第67条).", "1",
       "365"},
      {"surcharge_pct_per_day", P::Decimal, "3", "Late surcharge per day, capped at the fine (第72条).", "0", "100"}},
     "Fine unpaid (or paid late) after the legal period."},
    // --- engine test ----------------------------------------------------------------------------
    {"test_failure",
     {RK::Payment, RK::Procurement, RK::Bid, RK::Contract, RK::FundAllocation, RK::Enforcement},
     Evaluation::Row,
     {{"mode",
       P::Choice,
       "\"cpp_exception\"",
       "cpp_exception: the C++ evaluation throws; sql_error: the rule's SQL raises division_by_zero.",
       nullptr,
       nullptr,
       {"cpp_exception", "sql_error"}}},
     "Deliberately failing rule for testing fault isolation (administrators only)."},
};

[[noreturn]] void param_error(const std::string &kind, const std::string &param, const std::string &what,
                              const std::string &hint = {}) {
	throw Error(sqlstate::invalid_parameter_value, "rule kind " + kind + ": parameter \"" + param + "\" " + what, {},
	            hint);
}
} // namespace

const std::vector<RuleKindSpec> &rule_kinds() {
	return kinds;
}

const RuleKindSpec *find_rule_kind(const std::string &kind) {
	for (const auto &k : kinds)
		if (kind == k.kind)
			return &k;
	return nullptr;
}

Json validate_params(const std::string &kind, const Json &params) {
	const RuleKindSpec *spec = find_rule_kind(kind);
	if (!spec) {
		std::string known;
		for (const auto &k : kinds)
			known += (known.empty() ? "" : ", ") + std::string(k.kind);
		throw Error(sqlstate::invalid_parameter_value, "unknown rule kind \"" + kind + "\"", {},
		            "Known kinds: " + known + ".");
	}
	if (!params.is_object())
		throw Error(sqlstate::invalid_parameter_value, "rule kind " + kind + ": parameters must be a JSON object");
	for (auto member = params.begin(); member != params.end(); ++member) {
		const std::string &name = member.key();
		bool known =
		    std::any_of(spec->params.begin(), spec->params.end(), [&](const ParamSpec &p) { return name == p.name; });
		if (!known) {
			std::string names;
			for (const auto &p : spec->params)
				names += (names.empty() ? "" : ", ") + std::string(p.name);
			param_error(kind, name, "is not a parameter of this kind",
			            names.empty() ? "This kind takes no parameters." : "Parameters: " + names + ".");
		}
	}
	Json out = Json::object();
	for (const auto &p : spec->params) {
		auto given = params.find(p.name);
		Json v;
		if (given == params.end() || given->is_null()) {
			if (!p.default_json)
				param_error(kind, p.name, "is required", p.description);
			v = parse_json(p.default_json);
		} else
			v = *given;
		switch (p.type) {
		case P::Decimal:
		case P::Integer: {
			if (!v.is_number() && !v.is_string())
				param_error(kind, p.name, "must be a number");
			const std::string text = v.is_string() ? v.get<std::string>() : v.dump();
			Decimal d;
			try {
				d = json_decimal(v);
			} catch (const Error &) {
				param_error(kind, p.name, "must be a number, not \"" + text + "\"");
			}
			if (p.type == P::Integer && d.units % Decimal::scale != 0)
				param_error(kind, p.name, "must be a whole number, not " + text);
			if (p.min && d < Decimal::parse(p.min))
				param_error(kind, p.name, "must be at least " + std::string(p.min) + ", not " + d.str());
			if (p.max && d > Decimal::parse(p.max))
				param_error(kind, p.name, "must be at most " + std::string(p.max) + ", not " + d.str());
			try {
				v = decimal_json(d);
			} catch (const Error &) {
				param_error(kind, p.name,
				            "has more significant digits than can be kept exactly (at most 15), not " + d.str());
			}
			break;
		}
		case P::Text:
			if (!v.is_string() || v.get_ref<const std::string &>().empty())
				param_error(kind, p.name, "must be a non-empty string");
			break;
		case P::Choice: {
			if (!v.is_string() ||
			    std::find(p.choices.begin(), p.choices.end(), v.get<std::string>()) == p.choices.end()) {
				std::string c;
				for (const auto &s : p.choices)
					c += (c.empty() ? "" : ", ") + s;
				param_error(kind, p.name, "must be one of " + c);
			}
			break;
		}
		case P::TextList:
			if (!v.is_array() || v.empty())
				param_error(kind, p.name, "must be a non-empty array of strings");
			for (const auto &item : v)
				if (!item.is_string() || item.get_ref<const std::string &>().empty())
					param_error(kind, p.name, "must contain only non-empty strings");
			break;
		case P::Bool:
			if (!v.is_boolean())
				param_error(kind, p.name, "must be true or false");
			break;
		}
		out[p.name] = std::move(v);
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------
// Compiled rules
// ---------------------------------------------------------------------------------------------------
CompiledRule CompiledRule::compile(int64_t version_id, const std::string &rule_code, const std::string &kind,
                                   const std::string &record_kind, const std::string &params_json, bool blocking) {
	CompiledRule r;
	r.version_id = version_id;
	r.rule_code = rule_code;
	r.spec = find_rule_kind(kind);
	if (!r.spec)
		throw Error(sqlstate::invalid_parameter_value, "rule " + rule_code + ": unknown rule kind \"" + kind + "\"");
	auto rk = parse_record_kind(record_kind);
	if (!rk)
		throw Error(sqlstate::invalid_parameter_value,
		            "rule " + rule_code + ": unknown record kind \"" + record_kind + "\"");
	r.record_kind = *rk;
	// Stored parameters were validated (and completed) when the version was saved; validating again
	// here only fills defaults of versions saved before a parameter existed.
	r.params = validate_params(kind, parse_json(params_json));
	r.blocking = blocking;
	r.kind = r.spec->kind;
	for (const auto &p : r.spec->params)
		if (p.type == P::Decimal || p.type == P::Integer)
			r.decimals.emplace_back(p.name, json_decimal(r.params.at(p.name)));
	return r;
}

Evaluation CompiledRule::evaluation() const {
	if (kind == "test_failure")
		return text("mode") == "sql_error" ? Evaluation::Batch : Evaluation::Row;
	return spec->evaluation;
}

namespace {
const Json &param(const CompiledRule &r, const char *name) {
	auto v = r.params.find(name);
	if (v == r.params.end())
		throw Error(sqlstate::internal_error,
		            "rule " + r.rule_code + ": parameter \"" + name + "\" missing after validation");
	return *v;
}
} // namespace

Decimal CompiledRule::dec(const char *name) const {
	for (const auto &[n, d] : decimals)
		if (n == name)
			return d;
	return json_decimal(param(*this, name));
}
int64_t CompiledRule::integer(const char *name) const {
	return static_cast<int64_t>(dec(name).units / Decimal::scale);
}
std::string CompiledRule::text(const char *name) const {
	return param(*this, name).get<std::string>();
}
std::vector<std::string> CompiledRule::list(const char *name) const {
	return param(*this, name).get<std::vector<std::string>>();
}
bool CompiledRule::flag(const char *name) const {
	return param(*this, name).get<bool>();
}

// ---------------------------------------------------------------------------------------------------
// Row-local evaluation
// ---------------------------------------------------------------------------------------------------
namespace {
struct Fields {
	RecordKind kind;
	const Record &r;
	const Value &operator()(const char *name) const {
		// Rules name fields by string literals: their index is looked up once per literal and kind.
		static std::unordered_map<const char *, int> cache[6];
		auto &known = cache[static_cast<size_t>(kind)];
		auto it = known.find(name);
		int i = it != known.end() ? it->second : (known[name] = field_index(kind, name));
		if (i < 0)
			throw Error(sqlstate::internal_error,
			            std::string("field ") + name + " is not a field of " + record_kind_name(kind));
		return r[i];
	}
};

bool in_list(const std::vector<std::string> &list, const std::string &s) {
	return std::find(list.begin(), list.end(), s) != list.end();
}

std::string details(std::initializer_list<std::pair<const char *, Json>> members) {
	Json o = Json::object();
	for (const auto &[k, v] : members)
		o[k] = v;
	return o.dump();
}

Json jtext(const Value &v) {
	return v.null ? Json(nullptr) : Json(v.text);
}
// A decimal in alert details: an exact JSON number, or its exact text when no double holds it.
Json jdec(const Decimal &d) {
	try {
		return decimal_json(d);
	} catch (const Error &) {
		return Json(d.str());
	}
}

// Currency of a record for threshold comparisons: a record without one is in the base currency.
bool currency_is(const Value &currency, const std::string &wanted) {
	return currency.null || currency.text == wanted;
}
} // namespace

std::vector<std::string> row_rule_fields(const CompiledRule &rule) {
	const std::string &kind = rule.kind;
	if (kind == "cash_single")
		return {"payment_method", "amount", "currency", "payee_name"};
	if (kind == "cash_official_card_type")
		return {"payment_method", "expense_type", "amount"};
	if (kind == "round_amount")
		return {"amount"};
	if (kind == "nonworking_day_approval")
		return {"approved_at"};
	if (kind == "handler_is_approver")
		return {"handler_code", "approver_code"};
	if (kind == "method_threshold")
		return {"procurement_method", "estimated_value", "main_procurement_category", "method_approval_ref",
		        "currency"};
	if (kind == "tender_period_short")
		return {"procurement_method", "tender_period_start", "tender_period_end"};
	if (kind == "single_bid")
		return {"number_of_tenderers", "procurement_method", "tender_status"};
	if (kind == "fine_collected_by_agency")
		return {"collected_by", "fine_amount"};
	return {};
}

std::vector<std::string> prefilter_fields(const CompiledRule &rule) {
	const std::string &kind = rule.kind;
	if (kind == "payment_duplicate")
		return {"invoice_no"};
	if (kind == "payment_near_duplicate")
		return {"amount"};
	if (kind == "payment_exceeds_contract" || kind == "payment_before_contract_signed")
		return {"contract_code"};
	if (kind == "cash_cumulative")
		return {"payment_method"};
	if (kind == "payee_staff_account")
		return {"payee_account"};
	if (kind == "purchase_splitting" || kind == "near_threshold_purchases")
		return {"procurement_method", "budget_project_code", "category_code"};
	if (kind == "single_source_topup")
		return {"parent_contract_code"};
	if (kind == "collusion_same_contact")
		return {"contact_name"};
	if (kind == "collusion_same_bond_account")
		return {"bond_account"};
	if (kind == "collusion_identical_price")
		return {"amount"};
	if (kind == "allocation_over_budget" || kind == "special_fund_misuse")
		return {"budget_project_code"};
	if (kind == "penalty_outside_band")
		return {"penalty_kind"};
	return {};
}

bool may_fire(const CompiledRule &rule, const Record &record) {
	const std::string &kind = rule.kind;
	Fields f{rule.record_kind, record};
	if (kind == "payment_duplicate")
		return !f("invoice_no").null;
	if (kind == "payment_near_duplicate")
		return !f("amount").null && f("amount").dec >= rule.dec("min_amount");
	if (kind == "payment_exceeds_contract" || kind == "payment_before_contract_signed")
		return !f("contract_code").null;
	if (kind == "cash_cumulative")
		return !f("payment_method").null && f("payment_method").text == "cash";
	if (kind == "payee_staff_account")
		return !f("payee_account").null;
	if (kind == "purchase_splitting" || kind == "near_threshold_purchases")
		return !f("procurement_method").null && in_list(rule.list("non_open_methods"), f("procurement_method").text) &&
		       !f("budget_project_code").null && !f("category_code").null;
	if (kind == "single_source_topup")
		return !f("parent_contract_code").null;
	if (kind == "collusion_same_contact")
		return !f("contact_name").null;
	if (kind == "collusion_same_bond_account")
		return !f("bond_account").null;
	if (kind == "collusion_identical_price")
		return !f("amount").null;
	if (kind == "allocation_over_budget" || kind == "special_fund_misuse")
		return !f("budget_project_code").null;
	if (kind == "penalty_outside_band")
		return !f("penalty_kind").null && f("penalty_kind").text == "fine";
	return true;
}

bool needs_calendar(const CompiledRule &rule) {
	return std::string(rule.spec->kind) == "nonworking_day_approval";
}

bool evaluate_row(const CompiledRule &rule, const Record &record, const Calendar &calendar, Hit &hit) {
	const std::string &kind = rule.kind;
	Fields f{rule.record_kind, record};
	hit.period.clear();
	if (kind == "cash_single") {
		const Value &amount = f("amount");
		if (f("payment_method").null || f("payment_method").text != "cash" || amount.null ||
		    !currency_is(f("currency"), rule.text("currency")))
			return false;
		Decimal limit = rule.dec("limit");
		if (!(amount.dec > limit))
			return false;
		hit.message = "cash payment of " + amount.dec.str() + " " + rule.text("currency") +
		              " exceeds the single-withdrawal limit of " + limit.str();
		hit.details =
		    details({{"amount", jdec(amount.dec)}, {"limit", jdec(limit)}, {"payee_name", jtext(f("payee_name"))}});
		return true;
	}
	if (kind == "cash_official_card_type") {
		const Value &type = f("expense_type");
		if (f("payment_method").null || f("payment_method").text != "cash" || type.null || f("amount").null)
			return false;
		if (!in_list(rule.list("expense_types"), type.text) || f("amount").dec < rule.dec("min_amount"))
			return false;
		hit.message =
		    "cash used for expense type \"" + type.text + "\", which must be settled by official card (公务卡)";
		hit.details = details({{"expense_type", jtext(type)}, {"amount", jdec(f("amount").dec)}});
		return true;
	}
	if (kind == "round_amount") {
		const Value &amount = f("amount");
		if (amount.null || amount.dec < rule.dec("min_amount") || !amount.dec.is_multiple_of(rule.dec("modulus")))
			return false;
		hit.message = "round amount " + amount.dec.str() + " (a multiple of " + rule.dec("modulus").str() + ")";
		hit.details = details({{"amount", jdec(amount.dec)}, {"modulus", jdec(rule.dec("modulus"))}});
		return true;
	}
	if (kind == "nonworking_day_approval") {
		const Value &at = f("approved_at");
		if (at.null)
			return false;
		bool known = false;
		bool working = calendar.is_working_day(at.date, known);
		bool weekend = iso_dow(at.date) >= 6;
		if (working)
			return false;
		if (!weekend && !rule.flag("include_holidays"))
			return false;
		std::string what = weekend ? "a weekend" : "a public holiday";
		hit.message = "payment approved on " + what + " (" + date_text(at.date) + ")";
		hit.details = details({{"approved_on", Json(date_text(at.date))}, {"calendar_loaded", Json(known)}});
		return true;
	}
	if (kind == "handler_is_approver") {
		const Value &h = f("handler_code"), &a = f("approver_code");
		if (h.null || a.null || h.text != a.text)
			return false;
		hit.message =
		    "the same person (" + h.text + ") handled and approved this " + record_kind_name(rule.record_kind);
		hit.details = details({{"person_code", jtext(h)}});
		return true;
	}
	if (kind == "method_threshold") {
		const Value &method = f("procurement_method"), &value = f("estimated_value"),
		            &cat = f("main_procurement_category");
		if (method.null || value.null || in_list(rule.list("open_methods"), method.text))
			return false;
		if (!f("method_approval_ref").null && !f("method_approval_ref").text.empty())
			return false;
		if (!currency_is(f("currency"), rule.text("currency")))
			return false;
		Decimal threshold = rule.dec("threshold_goods");
		std::string category = cat.null ? "goods" : cat.text;
		if (category == "services")
			threshold = rule.dec("threshold_services");
		else if (category == "works")
			threshold = rule.dec("threshold_works");
		if (value.dec < threshold)
			return false;
		hit.message = "non-open method \"" + method.text + "\" for " + category + " worth " + value.dec.str() +
		              ", at or above the public-tender threshold " + threshold.str() + ", without prior approval";
		hit.details = details({{"method", jtext(method)},
		                       {"estimated_value", jdec(value.dec)},
		                       {"threshold", jdec(threshold)},
		                       {"category", Json(category)}});
		return true;
	}
	if (kind == "tender_period_short") {
		const Value &method = f("procurement_method"), &start = f("tender_period_start"), &end = f("tender_period_end");
		if (method.null || start.null || end.null)
			return false;
		int64_t min_days;
		if (method.text == "open" || method.text == "selective")
			min_days = rule.integer("min_days_open");
		else if (method.text == "limited")
			min_days = rule.integer("min_days_limited");
		else
			return false;
		int64_t days = (end.micros - start.micros) / (86400LL * 1000000LL);
		if (days >= min_days)
			return false;
		hit.message = "tender period of " + std::to_string(days) + " days for a " + method.text +
		              " procedure, under the minimum of " + std::to_string(min_days);
		hit.details = details({{"days", Json(days)}, {"min_days", Json(min_days)}, {"method", jtext(method)}});
		return true;
	}
	if (kind == "single_bid") {
		const Value &n = f("number_of_tenderers"), &method = f("procurement_method");
		if (n.null || method.null || n.integer != 1 || !in_list(rule.list("methods"), method.text))
			return false;
		if (!f("tender_status").null && f("tender_status").text == "cancelled")
			return false;
		hit.message = "only one tenderer in a " + method.text + " procedure";
		hit.details = details({{"number_of_tenderers", Json(1)}, {"method", jtext(method)}});
		return true;
	}
	if (kind == "fine_collected_by_agency") {
		const Value &by = f("collected_by");
		if (by.null || by.text != "deciding_agency")
			return false;
		hit.message = "fine collected by the deciding agency itself (罚缴分离 requires payment to the designated bank)";
		hit.details = details({{"collected_by", jtext(by)},
		                       {"fine_amount", f("fine_amount").null ? Json(nullptr) : jdec(f("fine_amount").dec)}});
		return true;
	}
	if (kind == "test_failure")
		throw std::runtime_error("test_failure rule " + rule.rule_code + ": deliberate C++ evaluation failure");
	throw Error(sqlstate::internal_error, "rule kind " + kind + " is not evaluated row by row");
}

// ---------------------------------------------------------------------------------------------------
// Set-based SQL of the history rules
// ---------------------------------------------------------------------------------------------------
std::string sql_literal(const std::string &s) {
	std::string out = "'";
	bool backslash = false;
	for (char c : s) {
		if (c == '\'')
			out += "''";
		else if (c == '\\') {
			out += "\\\\";
			backslash = true;
		} else
			out += c;
	}
	out += "'";
	return backslash ? "E" + out : out;
}

std::string sql_text_array(const std::vector<std::string> &items) {
	std::string out = "ARRAY[";
	for (size_t i = 0; i < items.size(); ++i)
		out += (i ? ", " : "") + sql_literal(items[i]);
	return out + "]::pg_catalog.text[]";
}

std::string substitute(std::string text, const std::string &name, const std::string &value) {
	const std::string token = "{" + name + "}";
	size_t pos = 0;
	while ((pos = text.find(token, pos)) != std::string::npos) {
		text.replace(pos, token.size(), value);
		pos += value.size();
	}
	return text;
}

namespace {
const char *sql_duplicate = R"SQL(
SELECT {table} AS object_table, GREATEST(b.__key, h.__key) AS object_key, '' AS period,
       CASE WHEN b.__key > h.__key THEN b.__unit ELSE h.__unit END AS unit_code,
       'duplicate payment: same payee, amount ' || b.amount || ' ' || coalesce(b.currency, '') || ' and invoice ' || b.invoice_no
         || ' as payment ' || LEAST(b.__key, h.__key)::pg_catalog.text AS message,
       pg_catalog.jsonb_build_object('duplicate_of', LEAST(b.__key, h.__key), 'payee', coalesce(b.payee_account, b.payee_name),
         'amount', b.amount, 'invoice_no', b.invoice_no) AS details
  FROM {batch} b
  JOIN {hist} h ON h.invoice_no = b.invoice_no AND h.amount = b.amount
 WHERE b.invoice_no IS NOT NULL AND {other_row:h:b}
   AND h.currency IS NOT DISTINCT FROM b.currency
   AND coalesce(h.payee_account, h.payee_name) = coalesce(b.payee_account, b.payee_name)
   AND coalesce(h.status, '') <> 'returned' AND coalesce(b.status, '') <> 'returned'
   AND pg_catalog.abs(coalesce(h.paid_on, h.requested_on, '2000-01-01') - coalesce(b.paid_on, b.requested_on, '2000-01-01')) <= {p:lookback_days}
)SQL";

const char *sql_near_duplicate = R"SQL(
SELECT {table}, GREATEST(b.__key, h.__key), '',
       CASE WHEN b.__key > h.__key THEN b.__unit ELSE h.__unit END,
       'possible double payment to ' || b.payee_name || ': ' || b.amount || ' and ' || h.amount || ' within '
         || pg_catalog.abs(coalesce(b.paid_on, b.requested_on) - coalesce(h.paid_on, h.requested_on)) || ' days (payment '
         || LEAST(b.__key, h.__key)::pg_catalog.text || ')',
       pg_catalog.jsonb_build_object('similar_to', LEAST(b.__key, h.__key), 'amounts', pg_catalog.jsonb_build_array(b.amount, h.amount),
         'days_apart', pg_catalog.abs(coalesce(b.paid_on, b.requested_on) - coalesce(h.paid_on, h.requested_on)))
  FROM {batch} b
  JOIN {hist} h ON h.payee_name = b.payee_name
              AND coalesce(h.paid_on, h.requested_on) BETWEEN coalesce(b.paid_on, b.requested_on) - {p:window_days}
                                                          AND coalesce(b.paid_on, b.requested_on) + {p:window_days}
 WHERE {other_row:h:b} AND b.amount >= {p:min_amount} AND h.amount >= {p:min_amount}
   AND h.currency IS NOT DISTINCT FROM b.currency
   AND pg_catalog.abs(h.amount - b.amount) <= GREATEST(h.amount, b.amount) * {p:amount_tolerance_pct} / 100
   AND NOT (h.amount = b.amount AND h.invoice_no IS NOT DISTINCT FROM b.invoice_no AND b.invoice_no IS NOT NULL)
   AND coalesce(h.status, '') <> 'returned' AND coalesce(b.status, '') <> 'returned'
)SQL";

const char *sql_exceeds_contract = R"SQL(
SELECT 'oversight.contract', pg_catalog.jsonb_build_object('contract_code', c.contract_code), '', c.buyer_unit_code,
       'payments on contract ' || c.contract_code || ' total ' || s.paid || ' ' || c.currency || ', above the contract amount ' || c.amount,
       pg_catalog.jsonb_build_object('paid', s.paid, 'contract_amount', c.amount, 'payments', s.n, 'tolerance_pct', {p:tolerance_pct})
  FROM (SELECT DISTINCT b.contract_code FROM {batch} b WHERE b.contract_code IS NOT NULL) g
  JOIN oversight.contract c ON c.contract_code = g.contract_code AND c.amount IS NOT NULL
 CROSS JOIN LATERAL (SELECT pg_catalog.sum(h.amount) AS paid, pg_catalog.count(*) AS n FROM {hist} h
                      WHERE h.contract_code = c.contract_code AND h.currency IS NOT DISTINCT FROM c.currency
                        AND coalesce(h.status, '') <> 'returned') s
 WHERE s.paid > c.amount * (1 + {p:tolerance_pct} / 100.0)
)SQL";

const char *sql_before_signed = R"SQL(
SELECT {table}, b.__key, '', b.__unit,
       CASE WHEN c.signed_on IS NULL THEN 'payment on contract ' || c.contract_code || ', which has no signature date'
            ELSE 'payment dated ' || coalesce(b.paid_on, b.requested_on) || ' before contract ' || c.contract_code || ' was signed on ' || c.signed_on END,
       pg_catalog.jsonb_build_object('contract_code', c.contract_code, 'signed_on', c.signed_on, 'payment_date', coalesce(b.paid_on, b.requested_on))
  FROM {batch} b
  JOIN oversight.contract c ON c.contract_code = b.contract_code
 WHERE coalesce(b.paid_on, b.requested_on) IS NOT NULL
   AND (c.signed_on IS NULL OR coalesce(b.paid_on, b.requested_on) < c.signed_on)
)SQL";

const char *sql_cash_cumulative = R"SQL(
SELECT {table}, pg_catalog.jsonb_build_object('payer_unit_code', g.unit), g.period_label, g.unit,
       'cash paid by unit ' || g.unit || ' in ' || g.period_label || ' totals ' || s.total || ' ' || {p:currency}
         || ', above the ' || {p:period} || 'ly limit of ' || {p:limit},
       pg_catalog.jsonb_build_object('total', s.total, 'limit', {p:limit}, 'payments', s.n, 'period', {p:period})
  FROM (SELECT DISTINCT b.payer_unit_code AS unit, pg_catalog.date_trunc({p:period}, b.paid_on)::pg_catalog.date AS period_start,
               CASE {p:period} WHEN 'month' THEN pg_catalog.to_char(b.paid_on, 'YYYY-MM')
                               WHEN 'quarter' THEN pg_catalog.to_char(b.paid_on, 'YYYY-"Q"Q')
                               ELSE pg_catalog.to_char(b.paid_on, 'YYYY') END AS period_label
          FROM {batch} b
         WHERE b.payment_method = 'cash' AND b.paid_on IS NOT NULL AND b.payer_unit_code IS NOT NULL
           AND coalesce(b.currency, {base_currency}) = {p:currency}) g
 CROSS JOIN LATERAL (SELECT pg_catalog.sum(h.amount) AS total, pg_catalog.count(*) AS n FROM {hist} h
                      WHERE h.payer_unit_code = g.unit AND h.payment_method = 'cash'
                        AND h.paid_on >= g.period_start AND h.paid_on < g.period_start + ('1 ' || {p:period})::interval
                        AND coalesce(h.currency, {base_currency}) = {p:currency} AND coalesce(h.status, '') <> 'returned') s
 WHERE s.total > {p:limit}
)SQL";

const char *sql_sme_overdue = R"SQL(
SELECT {table}, h.__key, '', h.__unit,
       'payment to SME ' || h.payee_name || ' ' || CASE WHEN h.paid_on IS NULL THEN 'still unpaid on ' || {as_of_date} ELSE 'paid on ' || h.paid_on END
         || ', due ' || d.due || ' (' || d.term || ' days after delivery on ' || h.delivered_on || ')',
       pg_catalog.jsonb_build_object('delivered_on', h.delivered_on, 'due', d.due, 'term_days', d.term,
         'days_late', coalesce(h.paid_on, {as_of_date}) - d.due, 'late_interest_per_day_pct', 0.05)
  FROM {hist} h
  JOIN oversight.party p ON p.party_code = h.payee_party_code AND p.is_sme
  LEFT JOIN oversight.contract c ON c.contract_code = h.contract_code
 CROSS JOIN LATERAL (SELECT CASE WHEN {p:use_contract_term} THEN LEAST(coalesce(c.payment_term_days, {p:days}), {p:max_term_days})
                                 ELSE {p:days} END AS term) t
 CROSS JOIN LATERAL (SELECT h.delivered_on + t.term AS due, t.term) d
 WHERE h.delivered_on IS NOT NULL AND coalesce(h.status, '') <> 'returned'
   AND ((h.paid_on IS NULL AND {as_of_date} > d.due) OR h.paid_on > d.due)
)SQL";

const char *sql_staff_account = R"SQL(
SELECT {table}, b.__key, '', b.__unit,
       'payee account ' || b.payee_account || ' belongs to staff ' || pg_catalog.string_agg(p.full_name || ' (' || a.relation || ')', ', ' ORDER BY p.person_code),
       pg_catalog.jsonb_build_object('payee_account', b.payee_account,
         'matches', pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('person_code', p.person_code, 'relation', a.relation, 'holder_name', a.holder_name) ORDER BY p.person_code))
  FROM {batch} b
  JOIN oversight.person_account a ON a.account_no = b.payee_account
  JOIN oversight.person p ON p.person_code = a.person_code
 WHERE a.relation = ANY ({p:relations})
 GROUP BY b.__key, b.__unit, b.payee_account
)SQL";

const char *sql_missing_signoff = R"SQL(
SELECT {table}, h.__key, '', h.__unit,
       'payment of ' || h.amount || ' ' || coalesce(h.currency, {base_currency}) || ' lacks sign-off by ' || pg_catalog.array_to_string(m.missing, ', '),
       pg_catalog.jsonb_build_object('missing_levels', pg_catalog.to_jsonb(m.missing), 'amount', h.amount, 'min_amount', {p:min_amount})
  FROM {hist} h
 CROSS JOIN LATERAL (SELECT pg_catalog.array_agg(l ORDER BY o) AS missing
                       FROM pg_catalog.unnest({p:levels}) WITH ORDINALITY AS u(l, o)
                      WHERE NOT EXISTS (SELECT FROM oversight.payment_signoff s
                                         WHERE s.payment_code = h.payment_code AND s.signoff_level = u.l)) m
 WHERE h.amount >= {p:min_amount} AND coalesce(h.currency, {base_currency}) = {p:currency}
   AND h.status IN ('approved', 'paid') AND m.missing IS NOT NULL
   AND coalesce((h.approved_at AT TIME ZONE oversight.setting_value('timezone'))::pg_catalog.date, h.paid_on, h.requested_on) + {p:grace_days} <= {as_of_date}
)SQL";

const char *sql_splitting = R"SQL(
SELECT {table}, pg_catalog.jsonb_build_object('budget_project_code', g.bp, 'category_code', g.cat), 'FY' || g.fy, s.unit,
       s.n || ' non-open purchases of category ' || g.cat || ' on budget project ' || g.bp || ' in FY' || g.fy
         || ' total ' || s.total || ', at or above the public-tender threshold ' || {p:threshold} || ' (化整为零)',
       pg_catalog.jsonb_build_object('purchases', s.keys, 'total', s.total, 'threshold', {p:threshold}, 'count', s.n)
  FROM (SELECT DISTINCT b.budget_project_code AS bp, b.category_code AS cat, b.fiscal_year AS fy FROM {batch} b
         WHERE b.procurement_method = ANY ({p:non_open_methods}) AND b.budget_project_code IS NOT NULL
           AND b.category_code IS NOT NULL AND b.fiscal_year IS NOT NULL) g
 CROSS JOIN LATERAL (SELECT pg_catalog.count(*) AS n, pg_catalog.sum(h.estimated_value) AS total, pg_catalog.max(h.estimated_value) AS largest,
                            pg_catalog.jsonb_agg(h.__key ORDER BY h.__key) AS keys, pg_catalog.min(h.__unit) AS unit
                       FROM {hist} h
                      WHERE h.budget_project_code = g.bp AND h.category_code = g.cat AND h.fiscal_year = g.fy
                        AND h.procurement_method = ANY ({p:non_open_methods}) AND h.estimated_value IS NOT NULL
                        AND (h.method_approval_ref IS NULL OR h.method_approval_ref = '')
                        AND coalesce(h.currency, {base_currency}) = {p:currency}
                        AND coalesce(h.tender_status, '') <> 'cancelled') s
  LEFT JOIN oversight.budget_project bp ON bp.project_code = g.bp
 WHERE s.n >= {p:min_count} AND s.total >= {p:threshold} AND s.largest < {p:threshold}
   AND NOT ({p:honor_budget_adjustment} AND bp.adjusted_on IS NOT NULL)
)SQL";

const char *sql_near_threshold = R"SQL(
SELECT {table}, pg_catalog.jsonb_build_object('budget_project_code', g.bp, 'category_code', g.cat), 'FY' || g.fy, s.unit,
       s.n || ' non-open purchases just under the threshold ' || {p:threshold} || ' (category ' || g.cat || ', project ' || g.bp
         || ', FY' || g.fy || ')',
       pg_catalog.jsonb_build_object('purchases', s.keys, 'threshold', {p:threshold}, 'near_ratio', {p:near_ratio}, 'count', s.n)
  FROM (SELECT DISTINCT b.budget_project_code AS bp, b.category_code AS cat, b.fiscal_year AS fy FROM {batch} b
         WHERE b.procurement_method = ANY ({p:non_open_methods}) AND b.budget_project_code IS NOT NULL
           AND b.category_code IS NOT NULL AND b.fiscal_year IS NOT NULL) g
 CROSS JOIN LATERAL (SELECT pg_catalog.count(*) AS n, pg_catalog.jsonb_agg(h.__key ORDER BY h.__key) AS keys, pg_catalog.min(h.__unit) AS unit
                       FROM {hist} h
                      WHERE h.budget_project_code = g.bp AND h.category_code = g.cat AND h.fiscal_year = g.fy
                        AND h.procurement_method = ANY ({p:non_open_methods})
                        AND h.estimated_value >= {p:threshold} * {p:near_ratio} AND h.estimated_value < {p:threshold}
                        AND coalesce(h.currency, {base_currency}) = {p:currency}
                        AND coalesce(h.tender_status, '') <> 'cancelled') s
 WHERE s.n >= {p:min_count}
)SQL";

const char *sql_topup = R"SQL(
SELECT {table}, p.__key, '', p.__unit,
       s.n || ' supplementary contract(s) add ' || s.total || ' ' || p.currency || ' to contract ' || p.contract_code || ' of ' || p.amount
         || ' (' || pg_catalog.round(s.total * 100 / p.amount, 2) || '%, limit ' || {p:max_pct} || '%)',
       pg_catalog.jsonb_build_object('supplements', s.keys, 'added', s.total, 'original', p.amount, 'max_pct', {p:max_pct})
  FROM (SELECT DISTINCT b.parent_contract_code AS parent FROM {batch} b WHERE b.parent_contract_code IS NOT NULL) g
  JOIN {hist} p ON p.contract_code = g.parent
 CROSS JOIN LATERAL (SELECT pg_catalog.sum(c.amount) AS total, pg_catalog.count(*) AS n, pg_catalog.jsonb_agg(c.__key ORDER BY c.__key) AS keys FROM {hist} c
                      WHERE c.parent_contract_code = p.contract_code AND c.currency IS NOT DISTINCT FROM p.currency
                        AND coalesce(c.status, '') NOT IN ('cancelled')) s
 WHERE p.amount > 0 AND s.total > p.amount * {p:max_pct} / 100
)SQL";

// Collusion signals share one shape: bids of one process grouped by a shared value, counted by distinct
// tenderer set (a bid whose tenderers are not known counts as its own set).
std::string collusion_sql(const std::string &value_expr, const std::string &label, const std::string &extra_group) {
	std::string sql = R"SQL(
SELECT {table}, pg_catalog.jsonb_build_object('ocid', g.ocid{extra_key}, '{label}', g.v), '', pr.buyer_unit_code,
       s.n || ' bids of different tenderers in process ' || g.ocid || ' share the same {label_text} ' || g.v,
       pg_catalog.jsonb_build_object('bids', s.keys, 'tenderer_sets', s.sets)
  FROM (SELECT DISTINCT b.ocid{extra_cols}, {value_b} AS v FROM {batch} b
         WHERE {value_b} IS NOT NULL AND {value_b} <> '' AND coalesce(b.status, '') NOT IN ('invited', 'withdrawn')) g
 CROSS JOIN LATERAL (
   SELECT pg_catalog.count(*) AS n, pg_catalog.count(DISTINCT x.tset) AS sets, pg_catalog.jsonb_agg(x.__key ORDER BY x.__key) AS keys
     FROM (SELECT h.__key, coalesce((SELECT pg_catalog.string_agg(t.party_code, ',' ORDER BY t.party_code) FROM oversight.bid_tenderer t
                                      WHERE t.ocid = h.ocid AND t.bid_id = h.bid_id), '#' || h.bid_id) AS tset
             FROM {hist} h
            WHERE h.ocid = g.ocid{extra_match} AND {value_h} = g.v AND coalesce(h.status, '') NOT IN ('invited', 'withdrawn')) x) s
  LEFT JOIN oversight.procurement_process pr ON pr.ocid = g.ocid
 WHERE s.sets >= 2
)SQL";
	auto replace_all = [&](const std::string &from, const std::string &to) {
		size_t pos = 0;
		while ((pos = sql.find(from, pos)) != std::string::npos) {
			sql.replace(pos, from.size(), to);
			pos += to.size();
		}
	};
	std::string vb = value_expr, vh = value_expr;
	replace_all("{value_b}", substitute(vb, "t", "b"));
	replace_all("{value_h}", substitute(vh, "t", "h"));
	replace_all("{label_text}", label == "contact" ? "contact" : label == "bond_account" ? "bond account" : "price");
	replace_all("{label}", label);
	if (extra_group.empty()) {
		replace_all("{extra_key}", "");
		replace_all("{extra_cols}", "");
		replace_all("{extra_match}", "");
	} else {
		replace_all("{extra_key}", ", 'lot_id', g.lot_id, 'currency', g.currency");
		replace_all("{extra_cols}", ", b.lot_id, b.currency");
		replace_all("{extra_match}",
		            " AND h.lot_id IS NOT DISTINCT FROM g.lot_id AND h.currency IS NOT DISTINCT FROM g.currency");
	}
	return sql;
}

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

const char *sql_special_misuse = R"SQL(
SELECT {table}, b.__key, '', b.__unit,
       'special fund ' || p.project_code || ' (purpose: ' || p.special_purpose || ') allocated for "' || coalesce(b.purpose, '') || '"',
       pg_catalog.jsonb_build_object('special_purpose', p.special_purpose, 'stated_purpose', b.purpose, 'budget_project_code', p.project_code)
  FROM {batch} b
  JOIN oversight.budget_project p ON p.project_code = b.budget_project_code AND p.is_special_fund
 WHERE pg_catalog.strpos(pg_catalog.lower(coalesce(b.purpose, '')), pg_catalog.lower(p.special_purpose)) = 0
)SQL";

const char *sql_penalty_band = R"SQL(
SELECT {table}, b.__key, '', b.__unit,
       CASE WHEN d.violation_code IS NULL THEN 'no discretion band in force for violation ' || b.violation_code
            WHEN b.fine_amount < d.min_fine THEN 'fine of ' || b.fine_amount || ' below the discretion band ' || d.min_fine || '–' || d.max_fine || ' of violation ' || b.violation_code
            ELSE 'fine of ' || b.fine_amount || ' above the discretion band ' || d.min_fine || '–' || d.max_fine || ' of violation ' || b.violation_code END,
       pg_catalog.jsonb_build_object('fine_amount', b.fine_amount, 'min_fine', d.min_fine, 'max_fine', d.max_fine, 'violation_code', b.violation_code)
  FROM {batch} b
  LEFT JOIN LATERAL (SELECT x.* FROM oversight.discretion_band x
                      WHERE x.violation_code = b.violation_code AND x.valid_from <= b.decided_on
                        AND (x.valid_to IS NULL OR b.decided_on < x.valid_to)
                        AND x.currency = coalesce(b.currency, {base_currency})
                      ORDER BY x.valid_from DESC LIMIT 1) d ON true
 WHERE b.penalty_kind = 'fine' AND b.fine_amount IS NOT NULL AND b.decided_on IS NOT NULL
   AND CASE WHEN d.violation_code IS NULL THEN {p:flag_missing_band}
            ELSE b.fine_amount < d.min_fine OR b.fine_amount > d.max_fine END
)SQL";

const char *sql_fine_unpaid = R"SQL(
SELECT {table}, h.__key, '', h.__unit,
       'fine of ' || h.fine_amount || ' decided on ' || h.decided_on || ' ' ||
         CASE WHEN h.paid_on IS NULL THEN 'still unpaid on ' || {as_of_date} ELSE 'paid late on ' || h.paid_on END
         || ' (due ' || (h.decided_on + {p:days}) || ')',
       pg_catalog.jsonb_build_object('due', h.decided_on + {p:days}, 'days_late', coalesce(h.paid_on, {as_of_date}) - (h.decided_on + {p:days}),
         'surcharge', LEAST(h.fine_amount, h.fine_amount * {p:surcharge_pct_per_day} / 100 * (coalesce(h.paid_on, {as_of_date}) - (h.decided_on + {p:days}))))
  FROM {hist} h
 WHERE h.penalty_kind = 'fine' AND h.fine_amount > 0 AND h.decided_on IS NOT NULL
   AND coalesce(h.status, 'decided') NOT IN ('revoked', 'reconsidered')
   AND ((h.paid_on IS NULL AND {as_of_date} > h.decided_on + {p:days}) OR h.paid_on > h.decided_on + {p:days})
)SQL";

const char *sql_test_failure = R"SQL(
SELECT {table}, b.__key, '', b.__unit, 'never reported', NULL::pg_catalog.jsonb
  FROM {batch} b
 WHERE (SELECT pg_catalog.count(*) FROM {batch} x) / (SELECT pg_catalog.count(*) - pg_catalog.count(*) FROM {batch} y) > 0
)SQL";

std::string param_literal(const CompiledRule &rule, const ParamSpec &p) {
	switch (p.type) {
	case P::Decimal:
	case P::Integer:
		return "(" + rule.dec(p.name).str() + ")";
	case P::Text:
	case P::Choice:
		return sql_literal(rule.text(p.name));
	case P::TextList:
		return sql_text_array(rule.list(p.name));
	case P::Bool:
		return rule.flag(p.name) ? "true" : "false";
	}
	return "NULL";
}
} // namespace

std::string rule_sql(const CompiledRule &rule) {
	const std::string &kind = rule.kind;
	std::string sql;
	if (kind == "payment_duplicate")
		sql = sql_duplicate;
	else if (kind == "payment_near_duplicate")
		sql = sql_near_duplicate;
	else if (kind == "payment_exceeds_contract")
		sql = sql_exceeds_contract;
	else if (kind == "payment_before_contract_signed")
		sql = sql_before_signed;
	else if (kind == "cash_cumulative")
		sql = sql_cash_cumulative;
	else if (kind == "sme_payment_overdue")
		sql = sql_sme_overdue;
	else if (kind == "payee_staff_account")
		sql = sql_staff_account;
	else if (kind == "missing_signoff")
		sql = sql_missing_signoff;
	else if (kind == "purchase_splitting")
		sql = sql_splitting;
	else if (kind == "near_threshold_purchases")
		sql = sql_near_threshold;
	else if (kind == "single_source_topup")
		sql = sql_topup;
	else if (kind == "collusion_same_contact")
		sql = collusion_sql("pg_catalog.lower(pg_catalog.btrim({t}.contact_name))", "contact", "");
	else if (kind == "collusion_same_bond_account")
		sql = collusion_sql("pg_catalog.btrim({t}.bond_account)", "bond_account", "");
	else if (kind == "collusion_identical_price")
		sql = collusion_sql("{t}.amount::pg_catalog.text", "amount", "lot");
	else if (kind == "allocation_without_budget")
		sql = sql_without_budget;
	else if (kind == "allocation_over_budget")
		sql = sql_over_budget;
	else if (kind == "special_fund_misuse")
		sql = sql_special_misuse;
	else if (kind == "penalty_outside_band")
		sql = sql_penalty_band;
	else if (kind == "fine_unpaid")
		sql = sql_fine_unpaid;
	else if (kind == "test_failure")
		sql = sql_test_failure;
	else
		throw Error(sqlstate::internal_error, "rule kind " + kind + " has no set-based SQL");
	for (const auto &p : rule.spec->params)
		sql = substitute(sql, std::string("p:") + p.name, param_literal(rule, p));
	sql = substitute(sql, "base_currency", "oversight.setting_value('base_currency')");
	sql = substitute(
	    sql, "as_of_date",
	    "((($1)::pg_catalog.timestamptz AT TIME ZONE oversight.setting_value('timezone'))::pg_catalog.date)");
	sql = substitute(sql, "as_of", "(($1)::pg_catalog.timestamptz)");
	return sql;
}

} // namespace oversight::core
