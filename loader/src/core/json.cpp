#include "core/json.hpp"

#include <fmt/format.h>

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

void escape_json_string(std::string &out, std::string_view s) {
	out.push_back('"');
	for (char ch : s) {
		auto c = static_cast<unsigned char>(ch);
		switch (c) {
		case '"': out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\n': out += "\\n"; break;
		case '\r': out += "\\r"; break;
		case '\t': out += "\\t"; break;
		default:
			if (c < 0x20) out += fmt::format("\\u{:04x}", c);
			else out.push_back(ch);
		}
	}
	out.push_back('"');
}

bool all_have_ids(const std::vector<Json> &items) {
	if (items.empty()) return false;
	for (const auto &i : items)
		if (!i.is_object() || !i.find("id")) return false;
	return true;
}

} // namespace

Json Json::make_string(std::string s) {
	Json j;
	j.type = Type::string;
	j.text = std::move(s);
	return j;
}

const Json *Json::find(std::string_view key) const {
	for (const auto &m : members)
		if (m.first == key) return &m.second;
	return nullptr;
}

Json *Json::find(std::string_view key) {
	for (auto &m : members)
		if (m.first == key) return &m.second;
	return nullptr;
}

Json &Json::set(const std::string &key, Json value) {
	if (Json *existing = find(key)) return *existing = std::move(value);
	members.emplace_back(key, std::move(value));
	return members.back().second;
}

void Json::erase(std::string_view key) {
	members.erase(std::remove_if(members.begin(), members.end(), [&](const auto &m) { return m.first == key; }), members.end());
}

std::string Json::get_text(std::string_view key) const {
	const Json *v = find(key);
	return v && (v->type == Type::string || v->type == Type::number) ? v->text : std::string();
}

const Json *Json::at(std::initializer_list<std::string_view> path) const {
	const Json *cur = this;
	for (auto key : path) {
		if (!cur->is_object()) return nullptr;
		cur = cur->find(key);
		if (!cur) return nullptr;
	}
	return cur;
}

const std::vector<Json> &Json::array(std::string_view key) const {
	static const std::vector<Json> none;
	const Json *v = find(key);
	return v && v->is_array() ? v->items : none;
}

void Json::dump_to(std::string &out) const {
	switch (type) {
	case Type::null: out += "null"; break;
	case Type::boolean: out += boolean ? "true" : "false"; break;
	case Type::number: out += text; break;
	case Type::string: escape_json_string(out, text); break;
	case Type::array:
		out.push_back('[');
		for (size_t i = 0; i < items.size(); ++i) {
			if (i) out.push_back(',');
			items[i].dump_to(out);
		}
		out.push_back(']');
		break;
	case Type::object:
		out.push_back('{');
		for (size_t i = 0; i < members.size(); ++i) {
			if (i) out.push_back(',');
			escape_json_string(out, members[i].first);
			out.push_back(':');
			members[i].second.dump_to(out);
		}
		out.push_back('}');
		break;
	}
}

std::string Json::dump() const {
	std::string out;
	dump_to(out);
	return out;
}

Json Json::from_dom(simdjson::dom::element e, std::string_view key, bool is_item) {
	using simdjson::dom::element_type;
	Json j;
	switch (e.type()) {
	case element_type::NULL_VALUE: break;
	case element_type::BOOL:
		j.type = Type::boolean;
		j.boolean = bool(e);
		break;
	case element_type::INT64: j.type = Type::number; j.text = std::to_string(int64_t(e)); break;
	case element_type::UINT64: j.type = Type::number; j.text = std::to_string(uint64_t(e)); break;
	case element_type::DOUBLE: j.type = Type::number; j.text = fmt::format("{}", double(e)); break;
	case element_type::STRING: j.type = Type::string; j.text = std::string(std::string_view(e)); break;
	case element_type::ARRAY:
		j.type = Type::array;
		for (auto item : simdjson::dom::array(e)) j.items.push_back(from_dom(item, key, true)); // items keep the member's name (relatedLots: [1])
		break;
	case element_type::OBJECT:
		j.type = Type::object;
		for (auto field : simdjson::dom::object(e)) j.members.emplace_back(std::string(field.key), from_dom(field.value, field.key));
		if (!is_item && contains(array_members, key)) { // an object where OCDS expects an array
			Json wrapper = make_array();
			wrapper.items.push_back(std::move(j));
			return wrapper;
		}
		break;
	}
	if (j.type == Type::number && contains(identifier_members, key)) j.type = Type::string; // 1 → "1" (text kept as written)
	return j;
}

void ocds_merge(Json &compiled, const Json &release) {
	if (!release.is_object()) return;
	if (!compiled.is_object()) compiled = Json::make_object();
	for (const auto &[key, value] : release.members) {
		if (value.is_null()) {
			compiled.erase(key);
		} else if (value.is_object()) {
			Json *target = compiled.find(key);
			if (!target || !target->is_object()) target = &compiled.set(key, Json::make_object());
			ocds_merge(*target, value);
		} else if (value.is_array() && all_have_ids(value.items)) {
			Json *target = compiled.find(key);
			if (!target || !target->is_array()) target = &compiled.set(key, Json::make_array());
			for (const auto &item : value.items) {
				std::string id = item.get_text("id");
				auto match = std::find_if(target->items.begin(), target->items.end(), [&](const Json &t) { return t.is_object() && t.get_text("id") == id; });
				if (match == target->items.end()) target->items.push_back(item);
				else ocds_merge(*match, item);
			}
		} else {
			compiled.set(key, value);
		}
	}
}

} // namespace oversight::loader
