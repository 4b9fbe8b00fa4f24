#include "core/json.hpp"

#include <algorithm>
#include <iterator>

namespace oversight::loader {
namespace {

// Members that OCDS defines as arrays; a publisher's single object there is wrapped into a one-item array
// (as OCDS Kit and Cardinal do). Sample: MTender writes tender.milestones[].documents as an object.
constexpr std::string_view array_members[] = {
    "parties", "awards", "contracts", "items", "tenderers", "suppliers", "lots", "documents", "milestones", "amendments",
    "transactions", "details", "relatedLots", "roles", "additionalIdentifiers", "additionalClassifications", "tag", "submissionMethod",
    "relatedProcesses", "records", "releases", "changes", "statistics", "lotGroups", "criteria"};

// Identifier members that OCDS types as strings; publishers (MTender, Contracts Finder) write numbers.
constexpr std::string_view identifier_members[] = {"id", "awardID", "relatedLot", "relatedLots"};

template <size_t N> bool contains(const std::string_view (&list)[N], std::string_view key) { return std::find(std::begin(list), std::end(list), key) != std::end(list); }

bool all_have_ids(const Json &items) {
	if (!items.is_array() || items.empty()) return false;
	for (const auto &i : items)
		if (!i.is_object() || !find(i, "id")) return false;
	return true;
}

} // namespace

const Json *find(const Json &j, std::string_view key) {
	if (!j.is_object()) return nullptr;
	for (auto it = j.begin(); it != j.end(); ++it) // ordered_map: a linear scan, as small OCDS objects favour
		if (it.key() == key) return &it.value();
	return nullptr;
}

Json *find(Json &j, std::string_view key) { return const_cast<Json *>(find(static_cast<const Json &>(j), key)); }

std::string text_of_value(const Json &j) {
	if (j.is_string()) return j.get_ref<const std::string &>();
	if (j.is_number()) return j.dump();
	return {};
}

std::string get_text(const Json &j, std::string_view key) {
	const Json *v = find(j, key);
	return v ? text_of_value(*v) : std::string();
}

const Json *at(const Json &j, std::initializer_list<std::string_view> path) {
	const Json *cur = &j;
	for (auto key : path)
		if (!(cur = find(*cur, key))) return nullptr;
	return cur;
}

const Json &array(const Json &j, std::string_view key) {
	static const Json none = Json::array();
	const Json *v = find(j, key);
	return v && v->is_array() ? *v : none;
}

// Invalid UTF-8 cannot reach here (simdjson validates its input); `replace` keeps dump() from throwing anyway.
std::string dump(const Json &j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json from_dom(simdjson::dom::element e, std::string_view key, bool is_item) {
	using simdjson::dom::element_type;
	Json j;
	switch (e.type()) {
	case element_type::NULL_VALUE: break;
	case element_type::BOOL: j = bool(e); break;
	case element_type::INT64: j = int64_t(e); break;
	case element_type::UINT64: j = uint64_t(e); break;
	case element_type::DOUBLE: j = double(e); break;
	case element_type::STRING: j = std::string(std::string_view(e)); break;
	case element_type::ARRAY:
		j = Json::array();
		for (auto item : simdjson::dom::array(e)) j.push_back(from_dom(item, key, true)); // items keep the member's name (relatedLots: [1])
		break;
	case element_type::OBJECT:
		j = Json::object();
		for (auto field : simdjson::dom::object(e)) j[std::string(field.key)] = from_dom(field.value, field.key); // a repeated key: the last wins
		if (!is_item && contains(array_members, key)) { // an object where OCDS expects an array
			Json wrapper = Json::array();
			wrapper.push_back(std::move(j));
			return wrapper;
		}
		break;
	}
	if (j.is_number() && contains(identifier_members, key)) j = j.dump(); // 1 → "1"
	return j;
}

void ocds_merge(Json &compiled, const Json &release) {
	if (!release.is_object()) return;
	if (!compiled.is_object()) compiled = Json::object();
	for (auto it = release.begin(); it != release.end(); ++it) {
		const std::string &key = it.key();
		const Json &value = it.value();
		if (value.is_null()) {
			compiled.erase(key);
		} else if (value.is_object()) {
			Json *target = find(compiled, key);
			if (!target || !target->is_object()) target = &(compiled[key] = Json::object());
			ocds_merge(*target, value);
		} else if (value.is_array() && all_have_ids(value)) {
			Json *target = find(compiled, key);
			if (!target || !target->is_array()) target = &(compiled[key] = Json::array());
			for (const auto &item : value) {
				std::string id = get_text(item, "id");
				auto match = std::find_if(target->begin(), target->end(), [&](const Json &t) { return t.is_object() && get_text(t, "id") == id; });
				if (match == target->end()) target->push_back(item);
				else ocds_merge(*match, item);
			}
		} else {
			compiled[key] = value;
		}
	}
}

} // namespace oversight::loader
