// The indicators over compiled releases (oversight/core/indicators.hpp). Each one follows cardinal-rs
// 0.0.8's src/indicators/rNNN.rs: the same fields, statuses, exclusions, comparisons (strict or inclusive)
// and fences; the comments name where a choice is Cardinal's.
#include "oversight/core/error.hpp"
#include "oversight/core/collusion.hpp"
#include "oversight/core/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include <simdjson.h>

namespace oversight::core::indicators {

namespace dom = simdjson::dom;

const char *group_name(Group group) {
	switch (group) {
	case Group::OCID:
		return "OCID";
	case Group::Buyer:
		return "Buyer";
	case Group::ProcuringEntity:
		return "ProcuringEntity";
	case Group::Tenderer:
		return "Tenderer";
	}
	return "";
}

namespace {

// --- reading the release (absent, or of another JSON type, reads as "not set", as Cardinal's matches) --
bool member(dom::element e, const char *key, dom::element &out) {
	dom::object o;
	return !e.get(o) && !o[key].get(out);
}
bool object_at(dom::element e, const char *key, dom::element &out) {
	return member(e, key, out) && out.is_object();
}
bool array_at(dom::element e, const char *key, dom::array &out) {
	dom::element v;
	return member(e, key, v) && !v.get(out);
}
bool string_at(dom::element e, const char *key, std::string_view &out) {
	dom::element v;
	return member(e, key, v) && !v.get(out);
}
bool number_at(dom::element e, const char *key, double &out) {
	dom::element v;
	return member(e, key, v) && v.is_number() && !v.get(out);
}
bool status_is(dom::element e, std::string_view status) {
	std::string_view s;
	return string_at(e, "status", s) && s == status;
}

// The string ids of the objects in array key of e (a bid's tenderers, an award's suppliers), into out.
template <class Set> void ids_at(dom::element e, const char *key, Set &out) {
	dom::array list;
	if (array_at(e, key, list))
		for (dom::element member : list) {
			std::string_view id;
			if (string_at(member, "id", id))
				out.insert(id);
		}
}

// Cardinal's matches_procurement_method: an empty set matches everything; otherwise the method must be set
// and listed.
bool method_listed(dom::element tender, const std::set<std::string> &methods) {
	if (methods.empty())
		return true;
	std::string_view method;
	return string_at(tender, "procurementMethod", method) && methods.count(std::string(method)) != 0;
}

// Cardinal's matches_procurement_method_details: an allow list (non-empty include) keeps listed details
// only; a deny list (exclude) drops listed details; unset details pass a deny list only.
bool details_match(dom::element release, const std::set<std::string> &include, const std::set<std::string> &exclude) {
	dom::element tender;
	std::string_view details;
	if (object_at(release, "tender", tender) && string_at(tender, "procurementMethodDetails", details))
		return include.empty() ? exclude.count(std::string(details)) == 0 : include.count(std::string(details)) != 0;
	return include.empty();
}

// Bids submitted (pending, valid, disqualified…): a status set and neither invited nor withdrawn.
std::vector<dom::element> submitted_bids(dom::element release) {
	std::vector<dom::element> out;
	dom::element bids;
	dom::array details;
	if (object_at(release, "bids", bids) && array_at(bids, "details", details))
		for (dom::element bid : details) {
			std::string_view status;
			if (string_at(bid, "status", status) && status != "invited" && status != "withdrawn")
				out.push_back(bid);
		}
	return out;
}

// Cardinal's get_complete_awards_and_bids_if_all_awards_final: nothing when an award with a status is
// neither active, cancelled nor unsuccessful (pending); awards without a status are ignored.
bool complete_awards_and_bids(dom::element release, std::vector<dom::element> &active, dom::array &details) {
	dom::array awards;
	dom::element bids;
	if (!array_at(release, "awards", awards) || !object_at(release, "bids", bids) ||
	    !array_at(bids, "details", details))
		return false;
	for (dom::element award : awards) {
		std::string_view status;
		if (!string_at(award, "status", status))
			continue;
		if (status == "active")
			active.push_back(award);
		else if (status != "cancelled" && status != "unsuccessful")
			return false;
	}
	return true;
}

// The id of the single supplier of the single active award (R024, R025, R058 compare bids with it).
bool sole_supplier(const std::vector<dom::element> &active, std::string_view &supplier) {
	dom::array suppliers;
	return active.size() == 1 && array_at(active[0], "suppliers", suppliers) && suppliers.size() == 1 &&
	       string_at(suppliers.at(0).value_unsafe(), "id", supplier);
}

// A valid bid by one tenderer with an amount and a currency.
struct PricedBid {
	std::string_view tenderer, currency;
	double amount;
};
std::vector<PricedBid> valid_priced_bids(dom::array details) {
	std::vector<PricedBid> out;
	for (dom::element bid : details) {
		dom::element value;
		dom::array tenderers;
		PricedBid p;
		if (status_is(bid, "valid") && object_at(bid, "value", value) && number_at(value, "amount", p.amount) &&
		    string_at(value, "currency", p.currency) && array_at(bid, "tenderers", tenderers) &&
		    tenderers.size() == 1 && string_at(tenderers.at(0).value_unsafe(), "id", p.tenderer))
			out.push_back(p);
	}
	return out;
}

struct Fraction {
	uint64_t numerator = 0, denominator = 0;
	double value() const { return static_cast<double>(numerator) / static_cast<double>(denominator); }
};

double round4(double v) {
	return std::round(v * 10000.0) / 10000.0;
}
Json meta_number(double v) {
	return std::isfinite(v) ? Json(round4(v)) : Json(nullptr); // serde_json writes NaN as null
}

} // namespace

struct Run::State {
	Settings s;
	dom::parser parser;
	Results out;
	std::optional<std::string> currency;
	// Results keyed by (group, identifier) → indicator → value; std::map keeps the output ordered.
	std::map<std::pair<int, std::string>, std::map<std::string, double>> results;
	// Second-lowest bid ratios per ocid (R024, R058), in the order the releases came.
	std::vector<std::pair<std::string, double>> second_lowest_ratios;
	std::unordered_map<std::string, Fraction> r025_tenderer, r038_buyer, r038_procuring_entity, r038_tenderer;
	struct Variety {
		std::set<std::string> codes;
		uint64_t processes = 0;
	};
	std::unordered_map<std::string, Variety> r048_supplier;

	void set(Group g, std::string_view id, const char *code, double value) {
		results[{static_cast<int>(g), std::string(id)}][code] = value;
	}
	// Cardinal's main currency: the configured one, else the first observed.
	bool main_currency(std::string_view c) {
		if (!currency)
			currency = std::string(c);
		return *currency == c;
	}
	bool price_comparison(dom::element release) const {
		return details_match(release, s.price_comparison_procurement_methods,
		                     s.no_price_comparison_procurement_methods);
	}

	void second_lowest_bid_ratio(dom::element release, std::string_view ocid);
	void r003(dom::element release, std::string_view ocid);
	void r018(dom::element release, std::string_view ocid);
	void r025(dom::element release);
	void r028(dom::element release, std::string_view ocid);
	void r030(dom::element release, std::string_view ocid);
	void r035(dom::element release, std::string_view ocid);
	void r036(dom::element release, std::string_view ocid);
	void r038(dom::element release);
	void r048(dom::element release);
	struct Fence {
		double value;
		bool all_zero; // a data-driven fence with Q1 = Q3 = 0
	};
	Fence fence(const char *code, const std::string &prefix, const std::vector<double> &values,
	            std::optional<double> threshold, bool upper, bool round_up = false);
	void finish_r024_r058();
	void finish_r025();
	void finish_r038(std::unordered_map<std::string, Fraction> &fractions, uint64_t minimum, Group group);
	void finish_r048();
};

// SecondLowestBidRatio (src/indicators/util.rs): (lowest non-winning valid bid − winner's lowest valid
// bid) / winner's bid, when one active award to one supplier and the winner's bid is the lowest.
void Run::State::second_lowest_bid_ratio(dom::element release, std::string_view ocid) {
	if (!price_comparison(release))
		return;
	std::vector<dom::element> active;
	dom::array details;
	std::string_view supplier;
	if (!complete_awards_and_bids(release, active, details) || !sole_supplier(active, supplier))
		return;
	std::optional<double> winner, lowest_other;
	for (const PricedBid &b : valid_priced_bids(details)) {
		if (!main_currency(b.currency))
			continue;
		auto &slot = b.tenderer == supplier ? winner : lowest_other;
		if (!slot || b.amount < *slot) // strict: the first of equal bids stays
			slot = b.amount;
	}
	if (winner && lowest_other && *lowest_other >= *winner)
		second_lowest_ratios.emplace_back(std::string(ocid), (*lowest_other - *winner) / *winner);
}

// R003: tender period (whole days) shorter than the threshold, or the threshold of its method details.
void Run::State::r003(dom::element release, std::string_view ocid) {
	dom::element tender, period;
	std::string_view start_text, end_text;
	if (!object_at(release, "tender", tender) || !method_listed(tender, s.r003_procurement_methods) ||
	    !object_at(tender, "tenderPeriod", period) || !string_at(period, "startDate", start_text) ||
	    !string_at(period, "endDate", end_text))
		return;
	auto start = parse_rfc3339(start_text), end = parse_rfc3339(end_text);
	if (!start || !end)
		return;
	int64_t threshold = s.r003_threshold;
	std::string_view details;
	if (string_at(tender, "procurementMethodDetails", details)) {
		auto t = s.r003_procurement_method_details.find(std::string(details));
		if (t != s.r003_procurement_method_details.end())
			threshold = t->second;
	}
	int64_t days;
	if (period_too_short(*start, *end, threshold, days))
		set(Group::OCID, ocid, "R003", 1.0);
}

// R018: a competitive method (default open|selective) with exactly one tenderer (an unsigned integer 1).
void Run::State::r018(dom::element release, std::string_view ocid) {
	dom::element tender, number;
	uint64_t n;
	if (object_at(release, "tender", tender) && method_listed(tender, s.r018_procurement_methods) &&
	    member(tender, "numberOfTenderers", number) && number.is_number() && !number.get(n) && n == 1)
		set(Group::OCID, ocid, "R018", 1.0);
}

// R025 (fold): per tenderer, processes it bid validly in (once per process) and processes it won.
void Run::State::r025(dom::element release) {
	std::vector<dom::element> active;
	dom::array details;
	std::string_view supplier;
	if (!complete_awards_and_bids(release, active, details) || !sole_supplier(active, supplier))
		return;
	std::set<std::string_view> valid;
	for (dom::element bid : details) {
		dom::array tenderers;
		std::string_view id;
		if (status_is(bid, "valid") && array_at(bid, "tenderers", tenderers) && tenderers.size() == 1 &&
		    string_at(tenderers.at(0).value_unsafe(), "id", id))
			valid.insert(id);
	}
	for (std::string_view id : valid) {
		Fraction &f = r025_tenderer[std::string(id)];
		f.numerator += id == supplier ? 1 : 0;
		f.denominator += 1;
	}
}

// R028: two submitted bids at the same amount and currency whose tenderer sets differ (the bureau's
// PROC.COLLUSION_PRICE decides with the same function, core::tenderers_verdict; Cardinal leaves bids without
// tenderers out). The process is flagged, and, as Cardinal does, the tenderers of each bid and of the bid
// before it at that price when their sets differ.
void Run::State::r028(dom::element release, std::string_view ocid) {
	if (!price_comparison(release))
		return;
	std::map<std::pair<double, std::string_view>, std::vector<std::set<std::string_view>>> prices; // in bid order
	for (dom::element bid : submitted_bids(release)) {
		dom::array tenderers;
		dom::element value;
		double amount;
		std::string_view currency;
		if (!array_at(bid, "tenderers", tenderers) || !object_at(bid, "value", value) ||
		    !number_at(value, "amount", amount) || !string_at(value, "currency", currency))
			continue;
		std::set<std::string_view> ids;
		ids_at(bid, "tenderers", ids);
		if (!ids.empty())
			prices[std::make_pair(amount, currency)].push_back(std::move(ids));
	}
	for (const auto &[price, bids] : prices) {
		std::vector<std::string> sets;
		for (const auto &ids : bids) {
			std::string text;
			for (std::string_view id : ids)
				text.append(id).push_back('\x1f');
			sets.push_back(std::move(text));
		}
		if (tenderers_verdict(sets, UnknownTenderers::Skip) != TenderersVerdict::DifferentTenderers)
			continue;
		set(Group::OCID, ocid, "R028", 1.0);
		for (size_t i = 1; i < bids.size(); ++i)
			if (bids[i] != bids[i - 1])
				for (const auto *ids : {&bids[i], &bids[i - 1]})
					for (std::string_view id : *ids)
						set(Group::Tenderer, id, "R028", 1.0);
	}
}

// R030: a valid bid dated after the tender period's end (compared as text, as Cardinal does) by a supplier
// of an active award.
void Run::State::r030(dom::element release, std::string_view ocid) {
	dom::element tender, period, bids;
	std::string_view end_date;
	dom::array awards, details;
	if (!object_at(release, "tender", tender) || !object_at(tender, "tenderPeriod", period) ||
	    !string_at(period, "endDate", end_date) || !array_at(release, "awards", awards) ||
	    !object_at(release, "bids", bids) || !array_at(bids, "details", details))
		return;
	std::unordered_set<std::string_view> suppliers;
	for (dom::element award : awards)
		if (status_is(award, "active"))
			ids_at(award, "suppliers", suppliers);
	for (dom::element bid : details) {
		std::string_view date;
		dom::array tenderers;
		if (!status_is(bid, "valid") || !string_at(bid, "date", date) || !(date > end_date) ||
		    !array_at(bid, "tenderers", tenderers))
			continue;
		for (dom::element t : tenderers) {
			std::string_view id;
			if (string_at(t, "id", id) && suppliers.count(id)) {
				set(Group::OCID, ocid, "R030", 1.0);
				break;
			}
		}
	}
}

// R035: the single tenderer with valid bids is the awarded supplier, and at least `threshold` other
// tenderers had bids disqualified; the value is their number.
void Run::State::r035(dom::element release, std::string_view ocid) {
	std::vector<dom::element> active;
	dom::array details;
	std::set<std::string_view> suppliers, valid, disqualified;
	if (complete_awards_and_bids(release, active, details)) {
		for (dom::element award : active)
			ids_at(award, "suppliers", suppliers);
		for (dom::element bid : details) {
			std::string_view status;
			if (string_at(bid, "status", status) && (status == "valid" || status == "disqualified"))
				ids_at(bid, "tenderers", status == "valid" ? valid : disqualified);
		}
	}
	if (valid.size() != 1 || valid != suppliers)
		return;
	uint64_t others = 0;
	for (std::string_view id : disqualified)
		others += valid.count(id) ? 0 : 1;
	if (others >= s.r035_threshold)
		set(Group::OCID, ocid, "R035", static_cast<double>(others));
}

// R036: with an active award, the lowest submitted bid in the main currency (the first of equal ones) is
// disqualified.
void Run::State::r036(dom::element release, std::string_view ocid) {
	dom::array awards;
	if (!array_at(release, "awards", awards))
		return;
	bool any_active = false;
	for (dom::element award : awards)
		any_active = any_active || status_is(award, "active");
	if (!any_active)
		return;
	std::optional<double> lowest;
	bool lowest_disqualified = false;
	for (dom::element bid : submitted_bids(release)) {
		std::string_view status, currency;
		dom::element value;
		double amount;
		if (!string_at(bid, "status", status) || !object_at(bid, "value", value) ||
		    !number_at(value, "amount", amount) || !string_at(value, "currency", currency) || !main_currency(currency))
			continue;
		if (!lowest || amount < *lowest) {
			lowest = amount;
			lowest_disqualified = status == "disqualified";
		}
	}
	if (lowest_disqualified)
		set(Group::OCID, ocid, "R036", 1.0);
}

// R038 (fold): disqualified / submitted bids per tenderer (each bid), buyer and procuring entity.
void Run::State::r038(dom::element release) {
	auto bids = submitted_bids(release);
	if (bids.empty())
		return;
	uint64_t disqualified = 0;
	for (dom::element bid : bids) {
		const uint64_t increment = status_is(bid, "disqualified") ? 1 : 0;
		disqualified += increment;
		dom::array tenderers;
		if (array_at(bid, "tenderers", tenderers))
			for (dom::element t : tenderers) {
				std::string_view id;
				if (string_at(t, "id", id)) {
					Fraction &f = r038_tenderer[std::string(id)];
					f.numerator += increment;
					f.denominator += 1;
				}
			}
	}
	auto add = [&](std::unordered_map<std::string, Fraction> &map, std::string_view id) {
		Fraction &f = map[std::string(id)];
		f.numerator += disqualified;
		f.denominator += bids.size();
	};
	dom::element buyer, tender, entity;
	std::string_view id;
	if (object_at(release, "buyer", buyer) && string_at(buyer, "id", id))
		add(r038_buyer, id);
	if (object_at(release, "tender", tender) && object_at(tender, "procuringEntity", entity) &&
	    string_at(entity, "id", id))
		add(r038_procuring_entity, id);
}

// R048 (fold): per supplier of active single-supplier awards, the first `digits` characters of its items'
// classification ids, and the processes where it had any.
void Run::State::r048(dom::element release) {
	dom::array awards;
	if (!array_at(release, "awards", awards))
		return;
	std::set<std::string> touched;
	for (dom::element award : awards) {
		dom::array suppliers, items;
		std::string_view supplier;
		if (!status_is(award, "active") || !array_at(award, "suppliers", suppliers) || suppliers.size() != 1 ||
		    !string_at(suppliers.at(0).value_unsafe(), "id", supplier) || !array_at(award, "items", items))
			continue;
		for (dom::element item : items) {
			dom::element classification;
			std::string_view id;
			if (!object_at(item, "classification", classification) || !string_at(classification, "id", id))
				continue;
			// Rust's chars().take(n): n characters (UTF-8 code points), not bytes.
			size_t end = 0;
			for (uint64_t taken = 0; end < id.size() && taken < s.r048_digits; ++taken)
				do
					++end;
				while (end < id.size() && (static_cast<unsigned char>(id[end]) & 0xC0) == 0x80);
			std::string key(supplier);
			r048_supplier[key].codes.insert(std::string(id.substr(0, end)));
			touched.insert(std::move(key));
		}
	}
	for (const auto &key : touched)
		r048_supplier[key].processes += 1;
}

// The fence of a data-driven indicator: its fixed threshold when set, else Tukey's lower or upper fence
// of the values (rounded up for counts); Cardinal's Meta records the quartiles and the fence.
Run::State::Fence Run::State::fence(const char *code, const std::string &prefix, const std::vector<double> &values,
                                    std::optional<double> threshold, bool upper, bool round_up) {
	Fence f{threshold.value_or(0.0), false};
	if (!threshold) {
		Quartiles q = quartiles(values);
		out.meta[code][prefix + "q1"] = meta_number(q.q1);
		out.meta[code][prefix + "q3"] = meta_number(q.q3);
		f.value = upper ? q.upper_fence() : q.lower_fence();
		if (round_up)
			f.value = std::ceil(f.value);
		f.all_zero = q.all_zero();
	}
	out.meta[code][prefix + (upper ? "upper_fence" : "lower_fence")] = meta_number(f.value);
	return f;
}

void Run::State::finish_r024_r058() {
	std::vector<double> ratios;
	ratios.reserve(second_lowest_ratios.size());
	for (const auto &r : second_lowest_ratios)
		ratios.push_back(r.second);
	if (s.on("R024")) {
		const Fence lower = fence("R024", "", ratios, s.r024_threshold, false);
		if (!lower.all_zero)
			for (const auto &[ocid, ratio] : second_lowest_ratios)
				if (ratio <= lower.value)
					set(Group::OCID, ocid, "R024", ratio);
	}
	if (s.on("R058")) {
		const Fence upper = fence("R058", "", ratios, s.r058_threshold, true);
		// Differences are non-negative: a fence of 0 would flag every process (Cardinal skips it).
		if (upper.value > 0.0)
			for (const auto &[ocid, ratio] : second_lowest_ratios)
				if (ratio >= upper.value)
					set(Group::OCID, ocid, "R058", ratio);
	}
}

// R025: a top tenderer (more valid bids than the percentile of bid counts) whose win ratio is under the
// lower fence; both comparisons strict, as in Cardinal's r025.rs.
void Run::State::finish_r025() {
	if (r025_tenderer.empty())
		return;
	std::vector<double> counts, ratios;
	for (const auto &[id, f] : r025_tenderer) {
		counts.push_back(static_cast<double>(f.denominator));
		ratios.push_back(f.value());
	}
	const double upper = quantile(counts, static_cast<double>(s.r025_percentile) / 100.0);
	const double lower = s.r025_threshold ? *s.r025_threshold : quartiles(ratios).lower_fence();
	for (const auto &[id, f] : r025_tenderer)
		if (static_cast<double>(f.denominator) > upper && f.value() < lower)
			set(Group::Tenderer, id, "R025", f.value());
}

// R038: organisations with at least `minimum` submitted bids whose disqualified share reaches the upper fence.
void Run::State::finish_r038(std::unordered_map<std::string, Fraction> &fractions, uint64_t minimum, Group group) {
	std::vector<std::pair<std::string, double>> ratios;
	for (const auto &[id, f] : fractions)
		if (f.denominator >= minimum)
			ratios.emplace_back(id, f.value());
	if (ratios.empty())
		return;
	std::vector<double> values;
	for (const auto &r : ratios)
		values.push_back(r.second);
	const Fence upper = fence("R038", std::string(group_name(group)) + "_", values, s.r038_threshold, true);
	if (!upper.all_zero)
		for (const auto &[id, ratio] : ratios)
			if (ratio >= upper.value)
				set(group, id, "R038", ratio);
}

// R048: suppliers (in at least `minimum_contracting_processes` processes) whose variety of first-level
// classifications reaches the upper fence, rounded up (or the fixed threshold).
void Run::State::finish_r048() {
	std::vector<std::pair<std::string, double>> lengths;
	for (const auto &[id, v] : r048_supplier)
		if (v.processes >= s.r048_minimum_contracting_processes)
			lengths.emplace_back(id, static_cast<double>(v.codes.size()));
	std::vector<double> values;
	for (const auto &l : lengths)
		values.push_back(l.second);
	std::optional<double> threshold;
	if (s.r048_threshold)
		threshold = static_cast<double>(*s.r048_threshold);
	const Fence upper = fence("R048", "", values, threshold, true, true);
	for (const auto &[id, length] : lengths)
		if (length >= upper.value)
			set(Group::Tenderer, id, "R048", length);
}

Run::Run(Settings settings) : state_(std::make_unique<State>()) {
	state_->s = std::move(settings);
	state_->currency = state_->s.currency;
}

Run::~Run() = default;

void Run::add(std::string_view release_json) {
	State &st = *state_;
	dom::element release;
	std::string_view ocid;
	if (st.parser.parse(release_json.data(), release_json.size()).get(release) || !string_at(release, "ocid", ocid)) {
		st.out.invalid += 1;
		return;
	}
	st.out.read += 1;
	dom::element tender;
	if ((object_at(release, "tender", tender) && status_is(tender, "cancelled")) ||
	    !details_match(release, {}, st.s.excluded_procurement_method_details)) {
		st.out.excluded += 1;
		return;
	}
	const Settings &s = st.s;
	// Cardinal's order: the shared second-lowest ratio first (it may fix the main currency), then R003…R058.
	if (s.on("R024") || s.on("R058"))
		st.second_lowest_bid_ratio(release, ocid);
	if (s.on("R003"))
		st.r003(release, ocid);
	if (s.on("R018"))
		st.r018(release, ocid);
	if (s.on("R025"))
		st.r025(release);
	if (s.on("R028"))
		st.r028(release, ocid);
	if (s.on("R030"))
		st.r030(release, ocid);
	if (s.on("R035"))
		st.r035(release, ocid);
	if (s.on("R036"))
		st.r036(release, ocid);
	if (s.on("R038"))
		st.r038(release);
	if (s.on("R048"))
		st.r048(release);
}

Results Run::finish() {
	State &st = *state_;
	st.finish_r024_r058();
	if (st.s.on("R025"))
		st.finish_r025();
	if (st.s.on("R038")) {
		st.finish_r038(st.r038_buyer, st.s.r038_minimum_contracting_processes, Group::Buyer);
		st.finish_r038(st.r038_procuring_entity, st.s.r038_minimum_contracting_processes, Group::ProcuringEntity);
		st.finish_r038(st.r038_tenderer, st.s.r038_minimum_submitted_bids, Group::Tenderer);
	}
	if (st.s.on("R048"))
		st.finish_r048();
	Results out = std::move(st.out);
	out.currency = st.currency;
	for (auto &[key, values] : st.results)
		for (auto &[code, value] : values)
			out.rows.push_back({static_cast<Group>(key.first), key.second, code, value});
	st.results.clear();
	return out;
}

Results run_lines(const Settings &settings, std::string_view jsonl) {
	Run run(settings);
	size_t start = 0;
	while (start < jsonl.size()) {
		size_t end = jsonl.find('\n', start);
		if (end == std::string_view::npos)
			end = jsonl.size();
		std::string_view line = jsonl.substr(start, end - start);
		if (line.find_first_not_of(" \t\r") != std::string_view::npos) // Cardinal skips blank lines silently
			run.add(line);
		start = end + 1;
	}
	return run.finish();
}

Json cardinal_document(const Results &results, bool with_meta) {
	Json doc = Json::object();
	for (const Result &r : results.rows)
		doc[group_name(r.group)][r.identifier][r.indicator] = r.value;
	if (with_meta && !results.meta.empty())
		doc["Meta"] = results.meta;
	return doc;
}

} // namespace oversight::core::indicators
