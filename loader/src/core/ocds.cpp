#include "core/ocds.hpp"

#include "core/encoding.hpp"
#include "core/name_index.hpp"
#include "core/values.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "oversight/core/record_kinds.hpp"

namespace oversight::loader {
namespace {

using Row = StageRow;

std::optional<std::string> opt(std::string s) {
	if (trim(s).empty())
		return std::nullopt;
	return s;
}

std::optional<std::string> text_of(const Json *j) {
	if (!j || (!j->is_string() && !j->is_number()))
		return std::nullopt;
	return opt(text_of_value(*j));
}

std::optional<std::string> text_at(const Json &j, std::initializer_list<std::string_view> path) {
	return text_of(at(j, path));
}

std::optional<std::string> timestamp_of(const Json *j) {
	auto t = text_of(j);
	if (!t)
		return std::nullopt;
	return parse_timestamp(*t).value;
}

std::optional<std::string> date_of(const Json *j) {
	auto t = timestamp_of(j);
	if (!t)
		return std::nullopt;
	return t->substr(0, 10); // the date as written in the publisher's offset
}

// v when it is one of the values of an enumerated column (oversight/core/record_kinds.hpp), else NULL.
std::optional<std::string> one_of(std::optional<std::string> v, const std::vector<std::string> &allowed) {
	if (!v || std::find(allowed.begin(), allowed.end(), *v) == allowed.end())
		return std::nullopt;
	return v;
}

// The staging table of a shared record kind: the columns an OCDS release fills, typed as the one
// definition of the kind types them.
StageTable shared_stage(core::RecordKind which, std::initializer_list<const char *> columns) {
	const core::RecordKindSpec &spec = core::record_kind(which);
	StageTable t{spec.table, {}, spec.name, spec.column("load_id") ? "load_id" : ""};
	for (const char *name : columns) {
		const core::ColumnSpec *c = spec.column(name);
		if (!c)
			throw std::logic_error(std::string("OCDS staging: ") + name + " is not a column of oversight." +
			                       spec.table);
		t.columns.push_back({name, core::sql_type_name(c->type), c->canonical});
	}
	return t;
}

std::string one_line_address(const Json *address) {
	if (!address || !address->is_object())
		return {};
	std::string out;
	for (const char *k : {"streetAddress", "locality", "region", "postalCode", "countryName"}) {
		std::string part = get_text(*address, k);
		if (!trim(part).empty())
			out += (out.empty() ? "" : ", ") + part;
	}
	return out;
}

// Days from 1970-01-01 to a civil date (H. Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
	y -= m <= 2;
	const long long era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = static_cast<unsigned>(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + static_cast<long long>(doe) - 719468;
}

// The instant of a timestamp in parse_timestamp's canonical form ("YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]",
// years 1900-2200) as a key that sorts in time order whatever the offset it was written with.
std::string instant_key(const std::string &c) {
	auto number = [&](size_t at, size_t n) { return std::stoi(c.substr(at, n)); };
	long long seconds =
	    days_from_civil(number(0, 4), static_cast<unsigned>(number(5, 2)), static_cast<unsigned>(number(8, 2))) *
	        86400LL +
	    number(11, 2) * 3600LL + number(14, 2) * 60LL + number(17, 2);
	size_t pos = 19;
	std::string fraction;
	if (pos < c.size() && c[pos] == '.')
		for (++pos; pos < c.size() && c[pos] >= '0' && c[pos] <= '9'; ++pos)
			fraction.push_back(c[pos]);
	fraction.resize(6, '0');
	if (pos + 6 <= c.size() && (c[pos] == '+' || c[pos] == '-')) {
		long long offset = number(pos + 1, 2) * 3600LL + number(pos + 4, 2) * 60LL;
		seconds -= c[pos] == '-' ? -offset : offset;
	}
	char key[40];
	std::snprintf(key, sizeof key, "%013lld.%s", seconds + 100000000000LL, fraction.c_str()); // 1900 is > 0
	return key;
}

// A PostgreSQL array literal of text values, for a text[] staging column: {"buyer","supplier"}.
std::optional<std::string> text_array(const std::vector<std::string> &values) {
	if (values.empty())
		return std::nullopt;
	std::string out = "{";
	for (const auto &v : values) {
		out += out.size() > 1 ? ",\"" : "\"";
		for (char ch : v) {
			if (ch == '"' || ch == '\\')
				out += '\\';
			out += ch;
		}
		out += '"';
	}
	return out + "}";
}

// The party code of an organisation named without an id or identifier: its normalised name (the loader's one
// name normaliser, NameIndex::code_for_name), so every process naming it gives the same party.
std::optional<std::string> code_of_name(const Json &org) {
	std::string name = get_text(org, "name");
	if (trim(name).empty() || name_key(name).empty())
		return std::nullopt;
	return NameIndex::code_for_name(name);
}

// Resolves organisation references to party codes: scheme-id of the identifier when there is one (so the
// same company is one party across processes), else the OCDS party id, else (no id at all) the party of its
// normalised name — the entry of parties[] of that name when there is exactly one, else the name itself.
class PartyIndex {
public:
	explicit PartyIndex(const Json &release) {
		std::map<std::string, int> names;
		for (const Json &p : array(release, "parties"))
			if (p.is_object() && !get_text(p, "id").empty()) {
				by_id_[get_text(p, "id")] = &p;
				if (auto key = code_of_name(p); key && ++names[*key] == 1)
					by_name_[*key] = &p;
			}
		for (const auto &[key, count] : names)
			if (count > 1)
				by_name_.erase(key); // two parties of one name: a name-only reference is not either of them
	}

	std::optional<std::string> code_of(const Json &org) const {
		if (!org.is_object())
			return std::nullopt;
		if (auto c = identifier_code(org))
			return c;
		std::string id = get_text(org, "id");
		if (id.empty()) {
			auto name = code_of_name(org);
			if (!name)
				return std::nullopt;
			auto p = by_name_.find(*name);
			return p == by_name_.end() ? name : code_of(*p->second);
		}
		auto p = by_id_.find(id);
		if (p != by_id_.end())
			if (auto c = identifier_code(*p->second))
				return c;
		return id;
	}

	// Every organisation of the release: parties[], plus organisation objects named elsewhere (OCDS 1.0, or
	// by name only), with their roles: those parties[] gives, and those their places in the release imply.
	void collect(const Json &release, std::vector<Row> &rows) const {
		std::map<std::string, size_t> row_of;
		std::map<std::string, std::set<std::string>> roles;
		auto add = [&](const Json &org, const char *role) {
			auto code = code_of(org);
			if (!code)
				return;
			if (role)
				roles[*code].insert(role);
			if (row_of.count(*code))
				return;
			row_of[*code] = rows.size();
			const Json *full = full_object(org);
			for (const Json &r : array(*full, "roles"))
				if (r.is_string() && !trim(r.get_ref<const std::string &>()).empty())
					roles[*code].insert(r.get_ref<const std::string &>());
			std::string name = get_text(*full, "name");
			if (trim(name).empty())
				name = text_at(*full, {"identifier", "legalName"}).value_or(*code);
			rows.push_back({code, name, text_at(*full, {"identifier", "scheme"}), text_at(*full, {"identifier", "id"}),
			                opt(one_line_address(find(*full, "address"))), text_at(*full, {"contactPoint", "name"}),
			                text_at(*full, {"contactPoint", "email"}), text_at(*full, {"contactPoint", "telephone"}),
			                dump(*full), std::nullopt});
		};
		for (const Json &p : array(release, "parties"))
			add(p, nullptr);
		if (const Json *b = find(release, "buyer"))
			add(*b, "buyer");
		if (const Json *tender = find(release, "tender")) {
			if (const Json *pe = find(*tender, "procuringEntity"))
				add(*pe, "procuringEntity");
			for (const Json &t : array(*tender, "tenderers"))
				add(t, "tenderer");
		}
		for (const Json &a : array(release, "awards"))
			for (const Json &s : array(a, "suppliers"))
				add(s, "supplier");
		if (const Json *bids = find(release, "bids"))
			for (const Json &b : array(*bids, "details"))
				for (const Json &t : array(b, "tenderers"))
					add(t, "tenderer");
		for (const Json &c : array(release, "contracts"))
			if (const Json *impl = find(c, "implementation"))
				for (const Json &t : array(*impl, "transactions")) {
					if (const Json *payer = find(t, "payer"))
						add(*payer, "payer");
					if (const Json *payee = find(t, "payee"))
						add(*payee, "payee");
				}
		for (const auto &[code, at] : row_of)
			rows[at].back() = text_array({roles[code].begin(), roles[code].end()});
	}

private:
	static std::optional<std::string> identifier_code(const Json &org) {
		auto scheme = text_at(org, {"identifier", "scheme"}), id = text_at(org, {"identifier", "id"});
		if (scheme && id)
			return *scheme + "-" + *id;
		return std::nullopt;
	}
	// The parties[] entry an organisation reference stands for (by id, else by name), else the reference itself.
	const Json *full_object(const Json &org) const {
		std::string id = get_text(org, "id");
		if (!id.empty()) {
			auto p = by_id_.find(id);
			return p == by_id_.end() ? &org : p->second;
		}
		if (auto name = code_of_name(org)) {
			auto p = by_name_.find(*name);
			if (p != by_name_.end())
				return p->second;
		}
		return &org;
	}
	std::map<std::string, const Json *> by_id_;
	std::map<std::string, const Json *> by_name_; // code_of_name → the one entry of parties[] of that name
};

std::optional<std::string> first_related_lot(const Json &j) {
	const auto &lots = array(j, "relatedLots");
	if (!lots.empty())
		return text_of(&lots.front());
	return text_of(find(j, "relatedLot"));
}

// What the mapping reads as absent or leaves out, and why: one row of oversight.ocds_mapping_note each.
struct NoteReason {
	const char *code, *en, *zh;
};
namespace note {
constexpr NoteReason zero_amount{"zero_amount", "an amount of 0 where a real amount is meant (a placeholder): read as absent",
                                 "金额为 0（占位值，并非真实金额）：按缺失处理"};
constexpr NoteReason negative_amount{"negative_amount", "a negative amount: read as absent (kept in the document)",
                                     "金额为负数：按缺失处理（原文保留在文档中）"};
constexpr NoteReason unreadable_amount{"unreadable_amount",
                                       "an amount that is not a number of at most 4 decimals below 10^15: read as absent",
                                       "金额无法读取（须为小于 10^15、至多 4 位小数的数）：按缺失处理"};
constexpr NoteReason amount_without_currency{"amount_without_currency", "an amount without a currency: read as absent",
                                             "金额缺少币种：按缺失处理"};
constexpr NoteReason period_reversed{"period_end_before_start",
                                     "the period ends before it starts (a placeholder): start and end read as absent",
                                     "期间的结束早于开始（占位值）：开始和结束均按缺失处理"};
constexpr NoteReason missing_id{"missing_id", "no id: not loaded (it stays in the compiled document)",
                                "缺少 id：未载入（仍保留在编译文档中）"};
constexpr NoteReason duplicate_id{"duplicate_id", "an id given twice in one array: only the first is loaded",
                                  "同一数组中 id 重复：只载入第一个"};
constexpr NoteReason unknown_bid_status{
    "unknown_bid_status",
    "a bid status that is not in the OCDS bid status codelist and has no mapping: status left empty, the published "
    "value kept in published_status",
    "投标状态不在 OCDS 代码表中且无对应映射：状态留空，原值保存在 published_status"};
constexpr NoteReason unknown_award{"unknown_award", "awardID names no award of this process: the contract is not linked",
                                   "awardID 未指向本流程的任何授标：合同未关联"};
constexpr NoteReason transaction_not_payment{
    "transaction_not_payment",
    "a transaction is not loaded as a payment: OCDS gives no paying budget unit (oversight.org_unit) nor payment "
    "method, and none is invented; kept in oversight.ocds_transaction, linked to its contract",
    "交易未作为支付记录载入：OCDS 没有付款预算单位（oversight.org_unit）和支付方式，不予臆造；已保存在 "
    "oversight.ocds_transaction 并关联其合同"};
} // namespace note

// Bid statuses as published → the OCDS bid status codelist (invited, pending, valid, disqualified,
// withdrawn), compared without case, spaces, hyphens or underscores. The synonyms are those Cardinal's
// `prepare` documents ([codelists.bid_status]: Qualified = valid, Disqualified = disqualified,
// InTreatment = pending), ProZorro's `active` (a valid bid; sample-data README) and `unsuccessful` (a bid
// not admitted), and the negative forms publishers write (not-qualified, rejected).
std::optional<std::string> canonical_bid_status(const std::string &published) {
	std::string key;
	for (char ch : published)
		if (ch != ' ' && ch != '-' && ch != '_')
			key += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
	static const std::map<std::string, std::string> synonyms = {
	    {"invited", "invited"},           {"pending", "pending"},       {"intreatment", "pending"},
	    {"valid", "valid"},               {"qualified", "valid"},       {"active", "valid"},
	    {"disqualified", "disqualified"}, {"notqualified", "disqualified"}, {"unqualified", "disqualified"},
	    {"rejected", "disqualified"},     {"unsuccessful", "disqualified"}, {"withdrawn", "withdrawn"}};
	auto s = synonyms.find(key);
	if (s == synonyms.end())
		return std::nullopt;
	return s->second;
}

// Flattens one compiled release onto the staging rows, noting what it reads as absent or leaves out.
class Flattener {
public:
	Flattener(const Json &release, OcdsRows &out)
	    : release_(release), out_(out), ocid_(get_text(release, "ocid")), release_id_(text_of(find(release, "id"))),
	      parties_(release) {}

	void run();

private:
	using Money = std::pair<std::optional<std::string>, std::optional<std::string>>;
	using Period = std::pair<std::optional<std::string>, std::optional<std::string>>;

	std::vector<Row> &rows(OcdsTable t) { return out_[static_cast<size_t>(t)]; }

	void add_note(const std::string &path, const NoteReason &why, std::optional<std::string> value = std::nullopt) {
		if (noted_.insert({path, why.code}).second)
			rows(OcdsTable::mapping_note)
			    .push_back({ocid_, release_id_, path, std::string(why.code), std::string(why.en), std::string(why.zh),
			                std::move(value)});
	}

	// A value object {amount, currency} → (amount, currency). The amount is absent, with a note, when it is
	// 0 (a placeholder), negative, unreadable or without a currency (CHECK amount → currency).
	Money money(const Json *value, const std::string &path) {
		if (!value || !value->is_object())
			return {};
		auto amount_text = text_of(find(*value, "amount"));
		auto currency_text = text_of(find(*value, "currency"));
		std::optional<std::string> currency = currency_text ? parse_currency(*currency_text).value : std::nullopt;
		if (!amount_text)
			return {std::nullopt, currency};
		ParsedValue amount = parse_amount(*amount_text);
		const NoteReason *why = nullptr;
		if (!amount.ok())
			why = &note::unreadable_amount;
		else if (is_negative_amount(*amount.value))
			why = &note::negative_amount;
		else if (compare_amounts(*amount.value, "0") == 0)
			why = &note::zero_amount;
		else if (!currency)
			why = &note::amount_without_currency;
		if (why) {
			add_note(path + ".amount", *why, amount_text);
			return {std::nullopt, currency};
		}
		return {amount.value, currency};
	}

	// A period {startDate, endDate} → (start, end) timestamps; both absent, with a note, when it ends before it starts.
	Period period(const Json *p, const std::string &path) {
		if (!p || !p->is_object())
			return {};
		auto start = timestamp_of(find(*p, "startDate")), end = timestamp_of(find(*p, "endDate"));
		if (start && end && instant_key(*end) < instant_key(*start)) {
			add_note(path, note::period_reversed, dump(*p));
			return {};
		}
		return {start, end};
	}

	// The id of an entry of an array the rows are keyed by; nullopt (and a note) when it has none or repeats one.
	std::optional<std::string> entry_id(const Json &entry, const std::string &path, std::set<std::string> &seen) {
		auto id = text_of(find(entry, "id"));
		if (!id) {
			add_note(path, note::missing_id);
			return std::nullopt;
		}
		if (!seen.insert(*id).second) {
			add_note(path, note::duplicate_id, id);
			return std::nullopt;
		}
		return id;
	}

	std::optional<std::string> code_of(const Json *org) const { return org ? parties_.code_of(*org) : std::nullopt; }

	void process();
	void lots();
	void bids();
	void awards();
	void contracts();
	void items(const Json &parent, const char *scope, const std::string &parent_id, const std::string &path);
	void amendments(const Json &parent, const char *scope, const std::string &parent_id);
	void related_processes(const Json &parent, const char *scope, const std::string &parent_id);

	const Json &release_;
	OcdsRows &out_;
	const std::string ocid_;
	const std::optional<std::string> release_id_;
	PartyIndex parties_;
	std::set<std::pair<std::string, std::string>> noted_; // (path, reason): one note each
	std::map<std::string, std::optional<std::string>> first_supplier_of_award_;
};

const Json &object_or_empty(const Json *j) {
	static const Json empty = Json::object();
	return j && j->is_object() ? *j : empty;
}

// The calendar year a budget is for, when its period (the budget breakdown extension's budget.period, else
// the periods of planning.budget.budgetBreakdown[]) starts and ends in one year: 2024-01-01 to 2024-12-31.
std::optional<std::string> budget_year(const Json &budget) {
	std::set<std::string> years;
	auto add = [&](const Json *p) {
		if (!p || !p->is_object())
			return;
		auto start = timestamp_of(find(*p, "startDate")), end = timestamp_of(find(*p, "endDate"));
		if (start)
			years.insert(start->substr(0, 4));
		if (end)
			years.insert(end->substr(0, 4));
	};
	add(find(budget, "period"));
	if (years.empty())
		for (const Json &b : array(budget, "budgetBreakdown"))
			add(find(b, "period"));
	if (years.size() != 1)
		return std::nullopt;
	return parse_integer(*years.begin(), 1990, 2200).value;
}

void Flattener::process() {
	const Json &tender = object_or_empty(find(release_, "tender"));
	const Json &budget = object_or_empty(at(release_, {"planning", "budget"}));
	auto method = text_of(find(tender, "procurementMethod"));
	auto canonical_method = one_of(method, core::procurement_methods());
	auto method_details = text_of(find(tender, "procurementMethodDetails"));
	if (!method_details && method && !canonical_method)
		method_details = method; // a local name such as "Licitaţie publică"
	auto [value, currency] = money(find(tender, "value"), "tender.value");
	std::optional<std::string> category;
	if (!array(tender, "items").empty())
		category = text_at(array(tender, "items").front(), {"classification", "id"});
	// Tenderers: numberOfTenderers when given, else the number of distinct organisations tender.tenderers lists.
	std::optional<std::string> tenderers, tenderers_source;
	if (auto n = text_of(find(tender, "numberOfTenderers")))
		if ((tenderers = parse_integer(*n, 0, 2147483647).value))
			tenderers_source = "numberOfTenderers";
	std::set<std::string> listed;
	for (const Json &t : array(tender, "tenderers"))
		if (auto c = parties_.code_of(t); c && listed.insert(*c).second)
			rows(OcdsTable::tenderer).push_back({ocid_, c});
	if (!tenderers && !listed.empty()) {
		tenderers = std::to_string(listed.size());
		tenderers_source = "tenderers";
	}
	auto [tender_start, tender_end] = period(find(tender, "tenderPeriod"), "tender.tenderPeriod");
	auto project = text_of(find(budget, "projectID"));
	rows(OcdsTable::process)
	    .push_back({ocid_, text_of(find(tender, "title")), text_of(find(tender, "description")),
	                code_of(find(release_, "buyer")), code_of(find(tender, "procuringEntity")), project,
	                budget_year(budget), category,
	                one_of(text_of(find(tender, "mainProcurementCategory")), core::procurement_categories()),
	                canonical_method, method_details, value, currency, text_of(find(tender, "status")), tender_start,
	                tender_end, tenderers, timestamp_of(find(release_, "date")), dump(release_)});

	auto [budget_amount, budget_currency] = money(find(budget, "amount"), "planning.budget.amount");
	auto [enquiry_start, enquiry_end] = period(find(tender, "enquiryPeriod"), "tender.enquiryPeriod");
	auto [award_start, award_end] = period(find(tender, "awardPeriod"), "tender.awardPeriod");
	rows(OcdsTable::process_detail)
	    .push_back({ocid_, text_of(find(budget, "id")), text_of(find(budget, "description")), budget_amount,
	                budget_currency, text_of(find(budget, "project")), project, tenderers_source,
	                text_of(find(tender, "awardCriteria")), text_of(find(tender, "awardCriteriaDetails")),
	                enquiry_start, enquiry_end, award_start, award_end});

	items(tender, "tender", "", "tender");
	amendments(tender, "tender", "");
	related_processes(release_, "process", "");
}

void Flattener::lots() {
	const Json &tender = object_or_empty(find(release_, "tender"));
	std::set<std::string> lot_ids;
	const auto &all = array(tender, "lots");
	for (size_t i = 0; i < all.size(); ++i) {
		std::string path = "tender.lots[" + std::to_string(i) + "]";
		auto id = entry_id(all[i], path, lot_ids);
		if (!id)
			continue;
		auto [lot_value, lot_currency] = money(find(all[i], "value"), path + ".value");
		rows(OcdsTable::lot)
		    .push_back(
		        {ocid_, id, text_of(find(all[i], "title")), lot_value, lot_currency, text_of(find(all[i], "status"))});
	}
}

void Flattener::bids() {
	const Json *bids = find(release_, "bids");
	if (!bids)
		return;
	std::set<std::string> bid_ids;
	const auto &details = array(*bids, "details");
	for (size_t i = 0; i < details.size(); ++i) {
		const Json &bid = details[i];
		std::string path = "bids.details[" + std::to_string(i) + "]";
		// A bid without an id still counts: it is numbered by its position, which is stable for the same data.
		std::string id = text_of(find(bid, "id")).value_or("#" + std::to_string(i + 1));
		if (!bid_ids.insert(id).second) {
			add_note(path, note::duplicate_id, id);
			continue;
		}
		auto [amount, bid_currency] = money(find(bid, "value"), path + ".value");
		std::optional<std::string> contact;
		for (const Json &t : array(bid, "tenderers"))
			if (!contact)
				contact = text_at(t, {"contactPoint", "name"});
		auto published = text_of(find(bid, "status"));
		std::optional<std::string> status = published ? canonical_bid_status(*published) : std::nullopt;
		if (published && !status)
			add_note(path + ".status", note::unknown_bid_status, published);
		rows(OcdsTable::bid)
		    .push_back({ocid_, id, first_related_lot(bid), amount, bid_currency, text_of(find(bid, "date")), status,
		                published, contact, dump(bid)});
		std::set<std::string> seen;
		for (const Json &t : array(bid, "tenderers"))
			if (auto c = parties_.code_of(t); c && seen.insert(*c).second)
				rows(OcdsTable::bid_tenderer).push_back({ocid_, id, c});
	}
}

void Flattener::awards() {
	std::set<std::string> ids;
	const auto &all = array(release_, "awards");
	for (size_t i = 0; i < all.size(); ++i) {
		const Json &award = all[i];
		std::string path = "awards[" + std::to_string(i) + "]";
		auto id = entry_id(award, path, ids);
		if (!id)
			continue;
		auto [amount, award_currency] = money(find(award, "value"), path + ".value");
		rows(OcdsTable::award)
		    .push_back({ocid_, id, first_related_lot(award), text_of(find(award, "title")),
		                text_of(find(award, "status")), amount, award_currency, timestamp_of(find(award, "date")),
		                text_of(find(award, "relatedBid")), dump(award)});
		auto &first = first_supplier_of_award_[*id];
		std::set<std::string> seen;
		for (const Json &s : array(award, "suppliers"))
			if (auto c = parties_.code_of(s); c && seen.insert(*c).second) {
				if (!first)
					first = c;
				rows(OcdsTable::award_supplier).push_back({ocid_, id, c});
			}
		items(award, "award", *id, path);
		amendments(award, "award", *id);
	}
}

void Flattener::contracts() {
	std::set<std::string> ids;
	const auto &all = array(release_, "contracts");
	for (size_t i = 0; i < all.size(); ++i) {
		const Json &contract = all[i];
		std::string path = "contracts[" + std::to_string(i) + "]";
		auto id = entry_id(contract, path, ids);
		if (!id)
			continue;
		std::string code = ocid_ + "/" + *id;
		auto award_id = text_of(find(contract, "awardID"));
		std::optional<std::string> supplier;
		if (award_id) {
			auto a = first_supplier_of_award_.find(*award_id);
			if (a == first_supplier_of_award_.end()) {
				add_note(path + ".awardID", note::unknown_award, award_id);
				award_id.reset(); // kept in source_document
			} else {
				supplier = a->second;
			}
		}
		auto [amount, contract_currency] = money(find(contract, "value"), path + ".value");
		auto [start, end] = period(find(contract, "period"), path + ".period");
		rows(OcdsTable::contract)
		    .push_back({code, ocid_, award_id, supplier, text_of(find(contract, "title")), amount, contract_currency,
		                text_of(find(contract, "status")), date_of(find(contract, "dateSigned")),
		                start ? std::optional<std::string>(start->substr(0, 10)) : std::nullopt,
		                end ? std::optional<std::string>(end->substr(0, 10)) : std::nullopt, dump(contract)});
		items(contract, "contract", *id, path);
		amendments(contract, "contract", *id);
		related_processes(contract, "contract", *id);
		std::set<std::string> transaction_ids;
		const auto &transactions = array(object_or_empty(find(contract, "implementation")), "transactions");
		for (size_t k = 0; k < transactions.size(); ++k) {
			const Json &t = transactions[k];
			std::string tpath = path + ".implementation.transactions[" + std::to_string(k) + "]";
			auto tid = entry_id(t, tpath, transaction_ids);
			if (!tid)
				continue;
			// OCDS 1.1 `value`, OCDS 1.0 `amount` (a value object too).
			const Json *value = find(t, "value") ? find(t, "value") : find(t, "amount");
			auto [t_amount, t_currency] = money(value, tpath + (find(t, "value") ? ".value" : ".amount"));
			rows(OcdsTable::transaction)
			    .push_back({code, tid, ocid_, timestamp_of(find(t, "date")), t_amount, t_currency,
			                code_of(find(t, "payer")), code_of(find(t, "payee")), text_of(find(t, "source")),
			                text_of(find(t, "uri"))});
			add_note(tpath, note::transaction_not_payment, tid);
		}
	}
}

void Flattener::items(const Json &parent, const char *scope, const std::string &parent_id, const std::string &path) {
	std::set<std::string> ids;
	const auto &all = array(parent, "items");
	for (size_t i = 0; i < all.size(); ++i) {
		const Json &item = all[i];
		std::string ipath = path + ".items[" + std::to_string(i) + "]";
		auto id = entry_id(item, ipath, ids);
		if (!id)
			continue;
		std::optional<std::string> quantity;
		if (auto q = text_of(find(item, "quantity"))) {
			ParsedValue parsed = parse_amount(*q);
			if (parsed.ok() && !is_negative_amount(*parsed.value))
				quantity = parsed.value;
			else
				add_note(ipath + ".quantity", note::unreadable_amount, q);
		}
		const Json &unit = object_or_empty(find(item, "unit"));
		auto [unit_value, unit_currency] = money(find(unit, "value"), ipath + ".unit.value");
		rows(OcdsTable::item)
		    .push_back({ocid_, std::string(scope), parent_id, id, text_at(item, {"classification", "scheme"}),
		                text_at(item, {"classification", "id"}), text_of(find(item, "description")), quantity,
		                text_of(find(unit, "name")), unit_value, unit_currency});
	}
}

void Flattener::amendments(const Json &parent, const char *scope, const std::string &parent_id) {
	std::vector<const Json *> all;
	for (const Json &a : array(parent, "amendments"))
		all.push_back(&a);
	if (all.empty())
		if (const Json *a = find(parent, "amendment"); a && a->is_object()) // OCDS 1.0: one amendment
			all.push_back(a);
	for (size_t i = 0; i < all.size(); ++i)
		if (all[i]->is_object())
			rows(OcdsTable::amendment)
			    .push_back({ocid_, std::string(scope), parent_id, std::to_string(i + 1), text_of(find(*all[i], "id")),
			                timestamp_of(find(*all[i], "date")), text_of(find(*all[i], "rationale")),
			                text_of(find(*all[i], "description"))});
}

void Flattener::related_processes(const Json &parent, const char *scope, const std::string &parent_id) {
	const auto &all = array(parent, "relatedProcesses");
	for (size_t i = 0; i < all.size(); ++i) {
		const Json &r = all[i];
		if (!r.is_object())
			continue;
		std::vector<std::string> relationship;
		for (const Json &x : array(r, "relationship"))
			if (auto t = text_of(&x))
				relationship.push_back(*t);
		rows(OcdsTable::related_process)
		    .push_back({ocid_, std::string(scope), parent_id, std::to_string(i + 1), text_of(find(r, "id")),
		                text_array(relationship), text_of(find(r, "title")), text_of(find(r, "scheme")),
		                text_of(find(r, "identifier")), text_of(find(r, "uri"))});
	}
}

void Flattener::run() {
	parties_.collect(release_, rows(OcdsTable::party));
	process();
	lots();
	bids();
	awards();
	contracts();
}

bool has_jsonl_extension(const std::string &path) {
	for (const char *ext : {".jsonl", ".ndjson", ".jl"}) {
		std::string e(ext);
		if (path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0)
			return true;
	}
	return false;
}

void emit_error(std::uint64_t no, std::string error, std::string raw, const std::function<void(OcdsItem &)> &on_item) {
	OcdsItem item;
	item.item_no = no;
	item.error = std::move(error);
	item.raw_text = std::move(raw);
	on_item(item);
}

// Why a release, record or compiled release cannot be loaded whatever its content, or "": a string holding
// U+0000 (never read as a value, see json.hpp), or an ocid that is missing, not a string, or holding an
// invisible character that would make it a look-alike of another process's ocid.
std::string unusable(const Json &item) {
	if (auto path = nul_path(item))
		return "holds U+0000 (\\u0000, NUL) in " + (path->empty() ? std::string("the item") : *path) +
		       ": PostgreSQL cannot store it in text or jsonb, and it is never read as a value";
	const Json *ocid = find(item, "ocid");
	if (!ocid)
		return "release has no ocid";
	if (!ocid->is_string() || trim(ocid->get_ref<const std::string &>()).empty())
		return "ocid is not a non-empty string";
	if (auto c = invisible_character(ocid->get_ref<const std::string &>()))
		return "ocid holds the invisible character " + *c + ": it would look like another ocid";
	return {};
}

// A document tagged "compiled" is a publisher's compiled release; anything else a release.
ReleaseKind kind_of(const Json &release) {
	for (const Json &t : array(release, "tag"))
		if (t.is_string() && t.get_ref<const std::string &>() == "compiled")
			return ReleaseKind::compiled;
	return ReleaseKind::release;
}

// One release (or compiled release) as received, or why it is refused: refused on its own, so the other
// releases of its ocid still load.
void emit_release(std::uint64_t no, const Json &release, ReleaseKind kind,
                  const std::function<void(OcdsItem &)> &on_item) {
	if (!release.is_object()) {
		emit_error(no, "release is not a JSON object", dump_refused(release), on_item);
		return;
	}
	if (std::string why = unusable(release); !why.empty()) {
		emit_error(no, std::move(why), dump_refused(release), on_item);
		return;
	}
	OcdsItem item;
	item.item_no = no;
	item.kind = kind;
	item.ocid = get_text(release, "ocid");
	item.document = release;
	on_item(item);
}

// A record contributes its compiledRelease as published, else its embedded releases (each stored as a
// release); the record's ocid fills in where they lack one.
void emit_record(std::uint64_t no, const Json &record, const std::string &raw_text,
                 const std::function<void(OcdsItem &)> &on_item) {
	auto with_ocid = [&](Json doc) {
		if (doc.is_object() && !find(doc, "ocid") && !get_text(record, "ocid").empty())
			doc["ocid"] = get_text(record, "ocid");
		return doc;
	};
	if (const Json *c = find(record, "compiledRelease"); c && c->is_object())
		return emit_release(no, with_ocid(*c), ReleaseKind::compiled, on_item);
	bool any = false;
	for (const Json &r : array(record, "releases"))
		if (r.is_object() && (find(r, "tag") || find(r, "tender") || find(r, "awards"))) {
			any = true;
			emit_release(no, with_ocid(r), kind_of(r), on_item);
		}
	if (!any)
		emit_error(no, "record has no compiledRelease and its releases are linked, not embedded", raw_text, on_item);
}

void emit_releases(const Json &releases, std::uint64_t base_no, bool number_by_position,
                   const std::function<void(OcdsItem &)> &on_item) {
	for (size_t i = 0; i < releases.size(); ++i)
		emit_release(number_by_position ? base_no + i : base_no, releases[i], kind_of(releases[i]), on_item);
}

// Nothing but white space and byte-order marks (U+FEFF): no JSON text to read.
bool no_json_text(std::string_view text) {
	std::string_view t = text;
	while (true) {
		t = trim(t); // trims U+FEFF too
		if (t.empty())
			return true;
		if (t.substr(0, zero_width_no_break_space.size()) != zero_width_no_break_space)
			return false;
		t.remove_prefix(zero_width_no_break_space.size());
	}
}

// An empty OCDS file is unusable (exit 3), in Chinese first, then English.
std::string no_json_text_message(const std::string &path, std::uint64_t bytes) {
	std::string size = std::to_string(bytes) + (bytes ? " bytes, white space only" : " bytes");
	return path + ": 文件中没有 JSON 文本（" + size + "），未加载任何内容 / the file holds no JSON text (" + size +
	       "): nothing to load";
}

} // namespace

const std::array<StageTable, ocds_table_count> &ocds_stage_tables() {
	static const std::array<StageTable, ocds_table_count> tables = [] {
		std::array<StageTable, ocds_table_count> tables{{
		    {"party",
		     {{"party_code", "text"},
		      {"name", "text"},
		      {"identifier_scheme", "text"},
		      {"identifier_id", "text"},
		      {"address", "text"},
		      {"contact_name", "text"},
		      {"contact_email", "text"},
		      {"contact_phone", "text"},
		      {"source_document", "jsonb"},
		      {"roles", "text[]", false, false}}}, // oversight.ocds_party_mention's: roles are per process
		    shared_stage(core::RecordKind::Procurement,
		                 {"ocid", "title", "description", "buyer_party_code", "procuring_entity_party_code",
		                  "budget_project_code", "fiscal_year", "category_code", "main_procurement_category",
		                  "procurement_method", "method_details", "estimated_value", "currency", "tender_status",
		                  "tender_period_start", "tender_period_end", "number_of_tenderers", "published_at",
		                  "source_document"}),
		    {"procurement_lot",
		     {{"ocid", "text"},
		      {"lot_id", "text"},
		      {"title", "text"},
		      {"value", "numeric"},
		      {"currency", "text"},
		      {"status", "text"}}},
		    shared_stage(core::RecordKind::Bid, {"ocid", "bid_id", "lot_id", "amount", "currency", "submitted_at",
		                                         "status", "published_status", "contact_name", "source_document"}),
		    {"bid_tenderer", {{"ocid", "text"}, {"bid_id", "text"}, {"party_code", "text"}}},
		    {"award",
		     {{"ocid", "text"},
		      {"award_id", "text"},
		      {"lot_id", "text"},
		      {"title", "text"},
		      {"status", "text"},
		      {"amount", "numeric"},
		      {"currency", "text"},
		      {"award_date", "timestamptz"},
		      {"related_bid_id", "text"},
		      {"source_document", "jsonb"}}},
		    {"award_supplier", {{"ocid", "text"}, {"award_id", "text"}, {"party_code", "text"}}},
		    shared_stage(core::RecordKind::Contract,
		                 {"contract_code", "ocid", "award_id", "supplier_party_code", "title", "amount", "currency",
		                  "status", "signed_on", "period_start", "period_end", "source_document"}),
		    {"ocds_process_detail",
		     {{"ocid", "text"},
		      {"budget_id", "text"},
		      {"budget_description", "text"},
		      {"budget_amount", "numeric"},
		      {"budget_currency", "text"},
		      {"budget_project", "text"},
		      {"budget_project_id", "text"},
		      {"tenderers_source", "text"},
		      {"award_criteria", "text"},
		      {"award_criteria_details", "text"},
		      {"enquiry_period_start", "timestamptz"},
		      {"enquiry_period_end", "timestamptz"},
		      {"award_period_start", "timestamptz"},
		      {"award_period_end", "timestamptz"}},
		     "",
		     "",
		     {"ocid"}},
		    {"ocds_tenderer", {{"ocid", "text"}, {"party_code", "text"}}, "", "", {"ocid", "party_code"}},
		    {"ocds_item",
		     {{"ocid", "text"},
		      {"scope", "text"},
		      {"parent_id", "text"},
		      {"item_id", "text"},
		      {"classification_scheme", "text"},
		      {"classification_id", "text"},
		      {"description", "text"},
		      {"quantity", "numeric"},
		      {"unit_name", "text"},
		      {"unit_value", "numeric"},
		      {"unit_currency", "text"}},
		     "",
		     "",
		     {"ocid", "scope", "parent_id", "item_id"}},
		    {"ocds_amendment",
		     {{"ocid", "text"},
		      {"scope", "text"},
		      {"parent_id", "text"},
		      {"position", "integer"},
		      {"amendment_id", "text"},
		      {"amended_at", "timestamptz"},
		      {"rationale", "text"},
		      {"description", "text"}},
		     "",
		     "",
		     {"ocid", "scope", "parent_id", "position"}},
		    {"ocds_transaction",
		     {{"contract_code", "text"},
		      {"transaction_id", "text"},
		      {"ocid", "text"},
		      {"transaction_date", "timestamptz"},
		      {"amount", "numeric"},
		      {"currency", "text"},
		      {"payer_party_code", "text"},
		      {"payee_party_code", "text"},
		      {"source", "text"},
		      {"uri", "text"}},
		     "",
		     "",
		     {"contract_code", "transaction_id"}},
		    {"ocds_related_process",
		     {{"ocid", "text"},
		      {"scope", "text"},
		      {"parent_id", "text"},
		      {"position", "integer"},
		      {"related_id", "text"},
		      {"relationship", "text[]"},
		      {"title", "text"},
		      {"scheme", "text"},
		      {"identifier", "text"},
		      {"uri", "text"}},
		     "",
		     "",
		     {"ocid", "scope", "parent_id", "position"}},
		    {"ocds_mapping_note",
		     {{"ocid", "text"},
		      {"release_id", "text"},
		      {"path", "text"},
		      {"reason_code", "text"},
		      {"reason", "text"},
		      {"reason_zh", "text"},
		      {"value", "text"}},
		     "",
		     "",
		     {"ocid", "path", "reason_code"}},
		}};
		for (auto &t : tables) // tables no rule watches: their own name, every column but the document
			if (t.kind_name.empty()) {
				t.kind_name = t.target;
				for (auto &c : t.columns)
					c.field = c.field && c.sql_type != "jsonb";
			}
		return tables;
	}();
	return tables;
}

void flatten_compiled_release(const Json &release, OcdsRows &out) {
	Flattener(release, out).run();
}

void emit_document_items(const Json &doc, std::uint64_t base_no, bool number_by_position, const std::string &raw_text,
                         const std::function<void(OcdsItem &)> &on_item) {
	if (doc.is_array())
		return emit_releases(doc, base_no, number_by_position, on_item);
	if (!doc.is_object())
		return emit_error(base_no, "not an OCDS release, record or package (not a JSON object)", raw_text, on_item);
	if (const Json *records = find(doc, "records"); records && records->is_array() && !find(doc, "ocid")) {
		for (size_t i = 0; i < records->size(); ++i) {
			std::uint64_t no = number_by_position ? base_no + i : base_no;
			if (!(*records)[i].is_object())
				emit_error(no, "record is not a JSON object", dump_refused((*records)[i]), on_item);
			else
				emit_record(no, (*records)[i], dump_refused((*records)[i]), on_item);
		}
		return;
	}
	if (find(doc, "compiledRelease") || (find(doc, "ocid") && find(doc, "releases")))
		return emit_record(base_no, doc, raw_text, on_item);
	if (const Json *releases = find(doc, "releases"); releases && releases->is_array())
		return emit_releases(*releases, base_no, number_by_position, on_item);
	if (find(doc, "ocid") || find(doc, "tag") || find(doc, "tender"))
		return emit_release(base_no, doc, kind_of(doc), on_item);
	emit_error(base_no, "not an OCDS release, record, release package or record package", raw_text, on_item);
}

const char *release_kind_name(ReleaseKind kind) {
	return kind == ReleaseKind::compiled ? "compiled" : "release";
}

std::string release_date_key(const Json &release) {
	std::string text = get_text(release, "date");
	if (trim(text).empty())
		return {};
	ParsedValue parsed = parse_timestamp(text);
	if (!parsed.ok())
		return {};
	return instant_key(*parsed.value);
}

Json compile_releases(std::vector<StoredRelease> releases) {
	struct Keyed {
		std::string date, id;
		StoredRelease *release;
	};
	std::vector<Keyed> order;
	order.reserve(releases.size());
	for (auto &r : releases)
		order.push_back({release_date_key(r.document), get_text(r.document, "id"), &r});
	std::sort(order.begin(), order.end(), [](const Keyed &a, const Keyed &b) {
		return std::tie(a.date, a.release->kind, a.id, a.release->hash) <
		       std::tie(b.date, b.release->kind, b.id, b.release->hash);
	});
	if (order.size() == 1)
		return std::move(order.front().release->document);
	Json compiled = Json::object();
	for (const auto &k : order)
		ocds_merge(compiled, k.release->document);
	if (!order.empty())
		compiled["tag"] = Json::array({"compiled"});
	return compiled;
}

OcdsReader::OcdsReader(std::string path, OcdsFormat format) : input_(std::move(path)), format_(format) {
	if (format_ != OcdsFormat::automatic)
		return;
	if (has_jsonl_extension(input_.path())) {
		format_ = OcdsFormat::json_lines;
		return;
	}
	// JSON Lines when the first line is a whole JSON object by itself (a package's first line is "{"). Peeked,
	// not read: run() reads the input from its first byte (a pipe cannot be read twice).
	std::string_view head;
	size_t lf = std::string_view::npos;
	for (size_t n = 1 << 16; lf == std::string_view::npos; n *= 2) {
		head = input_.peek(n);
		lf = head.find('\n');
		if (head.size() < n)
			break;
	}
	bool more = lf != std::string_view::npos && input_.peek(lf + 2).size() > lf + 1;
	std::string_view first_line = head.substr(0, lf);
	first_line.remove_prefix(bom_length(first_line, Encoding::utf8));
	simdjson::dom::parser parser;
	simdjson::dom::element e;
	format_ = more && !parser.parse(simdjson::padded_string(first_line)).get(e) && e.is_object()
	              ? OcdsFormat::json_lines
	              : OcdsFormat::json;
}

void OcdsReader::run(const std::function<void(OcdsItem &)> &on_item,
                     const std::function<void(std::uint64_t)> &on_bytes) {
	simdjson::dom::parser parser;            // validates the document (and words the error)
	simdjson::ondemand::parser exact_parser; // then builds the tree with each number's own text
	// One JSON text: the whole file, or one line of JSON Lines.
	auto emit_text = [&](std::string &text, std::uint64_t no, bool number_by_position) {
		// A byte-order mark starts the file, or a line of JSON Lines files that were concatenated: not JSON, dropped.
		text.erase(0, bom_length(text, Encoding::utf8));
		simdjson::dom::element root;
		simdjson::padded_string padded(text);
		if (auto err = parser.parse(padded).get(root)) {
			// The raw text must be storable: NUL and invalid UTF-8 (which simdjson refuses) are written \xNN.
			std::string why = std::string("invalid JSON: ") + simdjson::error_message(err);
			if (size_t at = text.find('\0'); at != std::string_view::npos)
				why = "invalid JSON: a NUL byte (0x00) at byte " + std::to_string(at + 1);
			else if (size_t at = invalid_utf8_at(text); at != std::string_view::npos)
				why = "invalid JSON: not UTF-8 at byte " + std::to_string(at + 1) + " (" +
				      escape_bytes(text.substr(at, 1)) + "; JSON text must be UTF-8)";
			emit_error(no, std::move(why), storable_text(text), on_item);
			return;
		}
		Json doc = root.is_object() || root.is_array() ? parse_document(padded, exact_parser) : from_dom(root);
		emit_document_items(doc, no, number_by_position, text, on_item);
	};
	if (format_ == OcdsFormat::json) {
		std::string whole;
		for (std::string_view chunk; !(chunk = input_.next_chunk()).empty();)
			whole.append(chunk);
		sha256_ = input_.sha256_hex();
		if (no_json_text(whole))
			throw InputError(no_json_text_message(input_.path(), input_.bytes_read()));
		emit_text(whole, 1, true);
		on_bytes(input_.bytes_read());
		return;
	}
	std::string line;
	std::uint64_t line_no = 0;
	bool any_text = false;
	for (bool lf; input_.next_line(line, lf);) {
		++line_no;
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		if (!no_json_text(line)) {
			any_text = true;
			emit_text(line, line_no, false);
		}
		if ((line_no & 255) == 0)
			on_bytes(input_.bytes_read());
	}
	on_bytes(input_.bytes_read());
	sha256_ = input_.sha256_hex();
	if (!any_text)
		throw InputError(no_json_text_message(input_.path(), input_.bytes_read()));
}

} // namespace oversight::loader
