#include "core/ocds.hpp"

#include "core/encoding.hpp"
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

// A value object {amount, currency} → (amount, currency), both NULL unless both are usable (CHECK amount→currency).
std::pair<std::optional<std::string>, std::optional<std::string>> money(const Json *value) {
	if (!value || !value->is_object())
		return {};
	auto amount_text = text_of(find(*value, "amount"));
	auto currency_text = text_of(find(*value, "currency"));
	if (!amount_text || !currency_text)
		return {std::nullopt, currency_text ? parse_currency(*currency_text).value : std::nullopt};
	ParsedValue amount = parse_amount(*amount_text), currency = parse_currency(*currency_text);
	if (!amount.ok() || is_negative_amount(*amount.value) || !currency.ok()) // negatives: the document only
		return {std::nullopt, currency.value};
	return {amount.value, currency.value};
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

// Resolves organisation references to party codes: scheme-id of the identifier when there is one (so the
// same company is one party across processes), else the OCDS party id.
class PartyIndex {
public:
	explicit PartyIndex(const Json &release) {
		for (const Json &p : array(release, "parties"))
			if (p.is_object() && !get_text(p, "id").empty())
				by_id_[get_text(p, "id")] = &p;
	}

	std::optional<std::string> code_of(const Json &org) const {
		if (!org.is_object())
			return std::nullopt;
		if (auto c = identifier_code(org))
			return c;
		std::string id = get_text(org, "id");
		if (id.empty())
			return std::nullopt;
		auto p = by_id_.find(id);
		if (p != by_id_.end())
			if (auto c = identifier_code(*p->second))
				return c;
		return id;
	}

	// Every organisation of the release: parties[], plus organisation objects named elsewhere (OCDS 1.0).
	void collect(const Json &release, std::vector<Row> &rows) const {
		std::set<std::string> seen;
		auto add = [&](const Json &org) {
			auto code = code_of(org);
			if (!code || !seen.insert(*code).second)
				return;
			const Json *full = &org;
			auto p = by_id_.find(get_text(org, "id"));
			if (p != by_id_.end())
				full = p->second;
			std::string name = get_text(*full, "name");
			if (trim(name).empty())
				name = text_at(*full, {"identifier", "legalName"}).value_or(*code);
			rows.push_back({code, name, text_at(*full, {"identifier", "scheme"}), text_at(*full, {"identifier", "id"}),
			                opt(one_line_address(find(*full, "address"))), text_at(*full, {"contactPoint", "name"}),
			                text_at(*full, {"contactPoint", "email"}), text_at(*full, {"contactPoint", "telephone"}),
			                dump(*full)});
		};
		for (const Json &p : array(release, "parties"))
			add(p);
		if (const Json *b = find(release, "buyer"))
			add(*b);
		if (const Json *tender = find(release, "tender")) {
			if (const Json *pe = find(*tender, "procuringEntity"))
				add(*pe);
			for (const Json &t : array(*tender, "tenderers"))
				add(t);
		}
		for (const Json &a : array(release, "awards"))
			for (const Json &s : array(a, "suppliers"))
				add(s);
		if (const Json *bids = find(release, "bids"))
			for (const Json &b : array(*bids, "details"))
				for (const Json &t : array(b, "tenderers"))
					add(t);
	}

private:
	static std::optional<std::string> identifier_code(const Json &org) {
		auto scheme = text_at(org, {"identifier", "scheme"}), id = text_at(org, {"identifier", "id"});
		if (scheme && id)
			return *scheme + "-" + *id;
		return std::nullopt;
	}
	std::map<std::string, const Json *> by_id_;
};

std::optional<std::string> first_related_lot(const Json &j) {
	const auto &lots = array(j, "relatedLots");
	if (!lots.empty())
		return text_of(&lots.front());
	return text_of(find(j, "relatedLot"));
}

// ProZorro writes "active" for a valid bid (sample-data README); other statuses are kept as published.
std::optional<std::string> bid_status(std::optional<std::string> s) {
	if (s && *s == "active")
		return std::string("valid");
	return s;
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

// Days from 1970-01-01 to a civil date (H. Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
	y -= m <= 2;
	const long long era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = static_cast<unsigned>(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + static_cast<long long>(doe) - 719468;
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
		      {"source_document", "jsonb"}}},
		    shared_stage(core::RecordKind::Procurement,
		                 {"ocid", "title", "description", "buyer_party_code", "procuring_entity_party_code",
		                  "category_code", "main_procurement_category", "procurement_method", "method_details",
		                  "estimated_value", "currency", "tender_status", "tender_period_start", "tender_period_end",
		                  "number_of_tenderers", "published_at", "source_document"}),
		    {"procurement_lot",
		     {{"ocid", "text"},
		      {"lot_id", "text"},
		      {"title", "text"},
		      {"value", "numeric"},
		      {"currency", "text"},
		      {"status", "text"}}},
		    shared_stage(core::RecordKind::Bid, {"ocid", "bid_id", "lot_id", "amount", "currency", "submitted_at",
		                                         "status", "contact_name", "source_document"}),
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
		      {"source_document", "jsonb"}}},
		    {"award_supplier", {{"ocid", "text"}, {"award_id", "text"}, {"party_code", "text"}}},
		    shared_stage(core::RecordKind::Contract,
		                 {"contract_code", "ocid", "award_id", "supplier_party_code", "title", "amount", "currency",
		                  "status", "signed_on", "period_start", "period_end", "source_document"}),
		}};
		for (auto &t : tables) // tables no rule watches: their own name, every column but the document
			if (t.kind_name.empty()) {
				t.kind_name = t.target;
				for (auto &c : t.columns)
					c.field = c.sql_type != "jsonb";
			}
		return tables;
	}();
	return tables;
}

void flatten_compiled_release(const Json &release, OcdsRows &out) {
	auto rows = [&](OcdsTable t) -> std::vector<Row> & { return out[static_cast<size_t>(t)]; };
	const std::string ocid = get_text(release, "ocid");
	PartyIndex parties(release);
	parties.collect(release, rows(OcdsTable::party));

	static const Json empty = Json::object();
	const Json *tender_ptr = find(release, "tender");
	const Json &tender = tender_ptr && tender_ptr->is_object() ? *tender_ptr : empty;
	auto code_of = [&](const Json *org) { return org ? parties.code_of(*org) : std::nullopt; };

	auto method = text_of(find(tender, "procurementMethod"));
	auto canonical_method = one_of(method, core::procurement_methods());
	auto method_details = text_of(find(tender, "procurementMethodDetails"));
	if (!method_details && method && !canonical_method)
		method_details = method; // a local name such as "Licitaţie publică"
	auto [value, currency] = money(find(tender, "value"));
	std::optional<std::string> category;
	if (!array(tender, "items").empty())
		category = text_at(array(tender, "items").front(), {"classification", "id"});
	std::optional<std::string> tenderers;
	if (auto n = text_of(find(tender, "numberOfTenderers")))
		tenderers = parse_integer(*n, 0, 2147483647).value;
	rows(OcdsTable::process)
	    .push_back({ocid, text_of(find(tender, "title")), text_of(find(tender, "description")),
	                code_of(find(release, "buyer")), code_of(find(tender, "procuringEntity")), category,
	                one_of(text_of(find(tender, "mainProcurementCategory")), core::procurement_categories()),
	                canonical_method, method_details, value, currency, text_of(find(tender, "status")),
	                timestamp_of(at(tender, {"tenderPeriod", "startDate"})),
	                timestamp_of(at(tender, {"tenderPeriod", "endDate"})), tenderers,
	                timestamp_of(find(release, "date")), dump(release)});

	std::set<std::string> lot_ids;
	for (const Json &lot : array(tender, "lots")) {
		auto id = text_of(find(lot, "id"));
		if (!id || !lot_ids.insert(*id).second)
			continue;
		auto [lot_value, lot_currency] = money(find(lot, "value"));
		rows(OcdsTable::lot)
		    .push_back({ocid, id, text_of(find(lot, "title")), lot_value, lot_currency, text_of(find(lot, "status"))});
	}

	if (const Json *bids = find(release, "bids")) {
		std::set<std::string> bid_ids;
		size_t position = 0;
		for (const Json &bid : array(*bids, "details")) {
			++position;
			// A bid without an id still counts: it is numbered by its position, which is stable for the same data.
			std::string id = text_of(find(bid, "id")).value_or("#" + std::to_string(position));
			if (!bid_ids.insert(id).second)
				continue;
			auto [amount, bid_currency] = money(find(bid, "value"));
			std::optional<std::string> contact;
			for (const Json &t : array(bid, "tenderers"))
				if (!contact)
					contact = text_at(t, {"contactPoint", "name"});
			rows(OcdsTable::bid)
			    .push_back({ocid, id, first_related_lot(bid), amount, bid_currency, text_of(find(bid, "date")),
			                bid_status(text_of(find(bid, "status"))), contact, dump(bid)});
			std::set<std::string> seen;
			for (const Json &t : array(bid, "tenderers"))
				if (auto c = parties.code_of(t); c && seen.insert(*c).second)
					rows(OcdsTable::bid_tenderer).push_back({ocid, id, c});
		}
	}

	std::map<std::string, std::optional<std::string>> first_supplier_of_award;
	for (const Json &award : array(release, "awards")) {
		auto id = text_of(find(award, "id"));
		if (!id || first_supplier_of_award.count(*id))
			continue;
		auto [amount, award_currency] = money(find(award, "value"));
		rows(OcdsTable::award)
		    .push_back({ocid, id, first_related_lot(award), text_of(find(award, "title")),
		                text_of(find(award, "status")), amount, award_currency, timestamp_of(find(award, "date")),
		                dump(award)});
		auto &first = first_supplier_of_award[*id];
		std::set<std::string> seen;
		for (const Json &s : array(award, "suppliers"))
			if (auto c = parties.code_of(s); c && seen.insert(*c).second) {
				if (!first)
					first = c;
				rows(OcdsTable::award_supplier).push_back({ocid, id, c});
			}
	}

	std::set<std::string> contract_ids;
	for (const Json &contract : array(release, "contracts")) {
		auto id = text_of(find(contract, "id"));
		if (!id || !contract_ids.insert(*id).second)
			continue;
		auto award_id = text_of(find(contract, "awardID"));
		std::optional<std::string> supplier;
		if (award_id) {
			auto a = first_supplier_of_award.find(*award_id);
			if (a == first_supplier_of_award.end())
				award_id.reset(); // names no award of this process (kept in source_document)
			else
				supplier = a->second;
		}
		auto [amount, contract_currency] = money(find(contract, "value"));
		rows(OcdsTable::contract)
		    .push_back({ocid + "/" + *id, ocid, award_id, supplier, text_of(find(contract, "title")), amount,
		                contract_currency, text_of(find(contract, "status")), date_of(find(contract, "dateSigned")),
		                date_of(at(contract, {"period", "startDate"})), date_of(at(contract, {"period", "endDate"})),
		                dump(contract)});
	}
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
	// parse_timestamp's canonical form: "YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]" (years 1900-2200).
	const std::string &c = *parsed.value;
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
