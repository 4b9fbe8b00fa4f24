#include "core/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <stdexcept>

namespace oversight::loader {
namespace {

// Members that OCDS defines as arrays; a publisher's single object there is wrapped into a one-item array
// (as OCDS Kit and Cardinal do). Sample: MTender writes tender.milestones[].documents as an object.
constexpr std::string_view array_members[] = {"parties",
                                              "awards",
                                              "contracts",
                                              "items",
                                              "tenderers",
                                              "suppliers",
                                              "lots",
                                              "documents",
                                              "milestones",
                                              "amendments",
                                              "transactions",
                                              "details",
                                              "relatedLots",
                                              "roles",
                                              "additionalIdentifiers",
                                              "additionalClassifications",
                                              "tag",
                                              "submissionMethod",
                                              "relatedProcesses",
                                              "records",
                                              "releases",
                                              "changes",
                                              "statistics",
                                              "lotGroups",
                                              "criteria"};

// Identifier members that OCDS types as strings; publishers (MTender, Contracts Finder) write numbers.
constexpr std::string_view identifier_members[] = {"id", "awardID", "relatedLot", "relatedLots"};

template <size_t N> bool contains(const std::string_view (&list)[N], std::string_view key) {
	return std::find(std::begin(list), std::end(list), key) != std::end(list);
}

bool all_have_ids(const Json &items) {
	if (!items.is_array() || items.empty())
		return false;
	for (const auto &i : items)
		if (!i.is_object() || !find(i, "id"))
			return false;
	return true;
}

constexpr char exact_number_mark = '\0';

bool is_exact_number(const Json &j) {
	return j.is_string() && !j.get_ref<const std::string &>().empty() &&
	       j.get_ref<const std::string &>()[0] == exact_number_mark;
}

// The value of a JSON number as sign, significant digits and decimal exponent: equal keys, equal values.
std::string decimal_key(std::string_view t) {
	bool negative = !t.empty() && t[0] == '-';
	if (negative || (!t.empty() && t[0] == '+'))
		t.remove_prefix(1);
	std::string digits;
	long exponent = 0;
	bool after_point = false;
	size_t i = 0;
	for (; i < t.size() && t[i] != 'e' && t[i] != 'E'; ++i) {
		if (t[i] == '.')
			after_point = true;
		else {
			digits.push_back(t[i]);
			if (!after_point)
				++exponent;
		}
	}
	if (i < t.size())
		exponent += std::strtol(std::string(t.substr(i + 1)).c_str(), nullptr, 10);
	size_t first = digits.find_first_not_of('0');
	if (first == std::string::npos)
		return "0";
	exponent -= static_cast<long>(first);
	digits.erase(0, first);
	digits.erase(digits.find_last_not_of('0') + 1);
	return (negative ? "-" : "") + digits + "e" + std::to_string(exponent);
}

// A JSON string's value: a string, or, when it holds U+0000, a binary value (see json.hpp).
Json string_value(std::string_view s) {
	if (s.find('\0') == std::string_view::npos)
		return std::string(s);
	return Json::binary(std::vector<std::uint8_t>(s.begin(), s.end()));
}

void normalise_ocds_shape(Json &j, std::string_view key, bool is_item) {
	if (j.is_object() && !is_item && contains(array_members, key)) { // an object where OCDS expects an array
		Json wrapper = Json::array();
		wrapper.push_back(std::move(j));
		j = std::move(wrapper);
	} else if (contains(identifier_members, key)) { // 1 → "1"
		if (j.is_number())
			j = j.dump();
		else if (is_exact_number(j))
			j = j.get_ref<const std::string &>().substr(1);
	}
}

Json build(simdjson::ondemand::value v, std::string_view key, bool is_item) {
	using simdjson::ondemand::json_type;
	Json j;
	switch (v.type().value()) {
	case json_type::object:
		j = Json::object();
		for (auto field : v.get_object().value()) {
			std::string k(field.unescaped_key().value());  // the view is only valid until the next key
			j[k] = build(field.value().value(), k, false); // a repeated key: the last wins
		}
		break;
	case json_type::array:
		j = Json::array();
		for (auto item : v.get_array().value())
			j.push_back(build(item.value(), key, true)); // items keep the member's name (relatedLots: [1])
		break;
	case json_type::string:
		j = string_value(v.get_string().value());
		break;
	case json_type::boolean:
		j = v.get_bool().value();
		break;
	case json_type::null:
		break;
	case json_type::number: {
		std::string_view raw = v.raw_json_token();
		while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
			raw.remove_suffix(1);
		j = number_from_text(raw);
		break;
	}
	}
	normalise_ocds_shape(j, key, is_item);
	return j;
}

} // namespace

Json number_from_text(std::string_view text) {
	bool integral = text.find_first_of(".eE") == std::string_view::npos;
	if (integral) {
		const char *begin = text.data(), *end = begin + text.size();
		if (!text.empty() && text[0] == '-') {
			std::int64_t v;
			if (auto r = std::from_chars(begin, end, v); r.ec == std::errc() && r.ptr == end)
				return v;
		} else {
			std::uint64_t v;
			if (auto r = std::from_chars(begin, end, v); r.ec == std::errc() && r.ptr == end)
				return v;
		}
	} else {
		Json d = std::strtod(std::string(text).c_str(), nullptr);
		if (std::isfinite(d.get<double>()) && decimal_key(d.dump()) == decimal_key(text))
			return d; // the double holds the value
	}
	return std::string(1, exact_number_mark) + std::string(text);
}

Json parse_document(const simdjson::padded_string &text, simdjson::ondemand::parser &parser) {
	simdjson::ondemand::document doc;
	simdjson::ondemand::value root;
	if (parser.iterate(text).get(doc) || doc.get_value().get(root))
		throw std::runtime_error("JSON document changed between parses");
	return build(root, {}, false);
}

const Json *find(const Json &j, std::string_view key) {
	if (!j.is_object())
		return nullptr;
	for (auto it = j.begin(); it != j.end(); ++it) // ordered_map: a linear scan, as small OCDS objects favour
		if (it.key() == key)
			return &it.value();
	return nullptr;
}

Json *find(Json &j, std::string_view key) {
	return const_cast<Json *>(find(static_cast<const Json &>(j), key));
}

std::string text_of_value(const Json &j) {
	if (is_exact_number(j))
		return j.get_ref<const std::string &>().substr(1);
	if (j.is_string())
		return j.get_ref<const std::string &>();
	if (j.is_number())
		return j.dump();
	return {};
}

std::string get_text(const Json &j, std::string_view key) {
	const Json *v = find(j, key);
	return v ? text_of_value(*v) : std::string();
}

const Json *at(const Json &j, std::initializer_list<std::string_view> path) {
	const Json *cur = &j;
	for (auto key : path)
		if (!(cur = find(*cur, key)))
			return nullptr;
	return cur;
}

const Json &array(const Json &j, std::string_view key) {
	static const Json none = Json::array();
	const Json *v = find(j, key);
	return v && v->is_array() ? *v : none;
}

// Invalid UTF-8 cannot reach here (simdjson validates its input); `replace` keeps dump() from throwing anyway.
// Numbers kept as their text come out of nlohmann as "\u0000TEXT": written back bare.
std::string dump(const Json &j) {
	std::string out = j.dump(-1, ' ', false, Json::error_handler_t::replace);
	static constexpr std::string_view mark = "\"\\u0000";
	size_t at = out.find(mark);
	if (at == std::string::npos)
		return out;
	std::string fixed;
	size_t from = 0;
	for (; at != std::string::npos; at = out.find(mark, from)) {
		size_t close = out.find('"', at + mark.size()); // a number's text has no quote or backslash
		std::string_view number = close == std::string::npos
		                              ? std::string_view()
		                              : std::string_view(out.data() + at + mark.size(), close - at - mark.size());
		if (number.empty() ||
		    number.find_first_not_of("+-.0123456789eE") != std::string_view::npos) { // a NUL in a real string
			fixed.append(out, from, at + mark.size() - from);
			from = at + mark.size();
			continue;
		}
		fixed.append(out, from, at - from);
		fixed.append(number);
		from = close + 1;
	}
	fixed.append(out, from, std::string::npos);
	return fixed;
}

std::string dump_refused(const Json &j) {
	std::string out;
	if (j.is_binary()) {
		const auto &bytes = j.get_binary();
		return Json(std::string(bytes.begin(), bytes.end())).dump(-1, ' ', false, Json::error_handler_t::replace);
	}
	if (j.is_object()) {
		for (auto it = j.begin(); it != j.end(); ++it)
			out += (out.empty() ? "{" : ",") + Json(it.key()).dump(-1, ' ', false, Json::error_handler_t::replace) +
			       ":" + dump_refused(it.value());
		return out.empty() ? "{}" : out + "}";
	}
	if (j.is_array()) {
		for (const auto &item : j)
			out += (out.empty() ? "[" : ",") + dump_refused(item);
		return out.empty() ? "[]" : out + "]";
	}
	return dump(j);
}

std::optional<std::string> nul_path(const Json &j) {
	if (j.is_binary())
		return std::string();
	if (j.is_object())
		for (auto it = j.begin(); it != j.end(); ++it) {
			// A member name is shown as is when plain, else as its JSON string.
			const std::string &key = it.key();
			bool plain =
			    !key.empty() && key.find_first_of(".[]\"\\") == std::string::npos &&
			    std::all_of(key.begin(), key.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x20; });
			std::string name = plain ? key : Json(key).dump(-1, ' ', false, Json::error_handler_t::replace);
			if (key.find('\0') != std::string::npos)
				return name;
			if (auto below = nul_path(it.value()))
				return name + (below->empty() || (*below)[0] == '[' ? "" : ".") + *below;
		}
	if (j.is_array())
		for (size_t i = 0; i < j.size(); ++i)
			if (auto below = nul_path(j[i]))
				return "[" + std::to_string(i) + "]" + (below->empty() || (*below)[0] == '[' ? "" : ".") + *below;
	return std::nullopt;
}

Json from_dom(simdjson::dom::element e, std::string_view key, bool is_item) {
	using simdjson::dom::element_type;
	Json j;
	switch (e.type()) {
	case element_type::NULL_VALUE:
		break;
	case element_type::BOOL:
		j = bool(e);
		break;
	case element_type::INT64:
		j = int64_t(e);
		break;
	case element_type::UINT64:
		j = uint64_t(e);
		break;
	case element_type::DOUBLE:
		j = double(e);
		break;
	case element_type::STRING:
		j = string_value(std::string_view(e));
		break;
	case element_type::ARRAY:
		j = Json::array();
		for (auto item : simdjson::dom::array(e))
			j.push_back(from_dom(item, key, true)); // items keep the member's name (relatedLots: [1])
		break;
	case element_type::OBJECT:
		j = Json::object();
		for (auto field : simdjson::dom::object(e))
			j[std::string(field.key)] = from_dom(field.value, field.key); // a repeated key: the last wins
		if (!is_item && contains(array_members, key)) {                   // an object where OCDS expects an array
			Json wrapper = Json::array();
			wrapper.push_back(std::move(j));
			return wrapper;
		}
		break;
	}
	if (j.is_number() && contains(identifier_members, key))
		j = j.dump(); // 1 → "1"
	return j;
}

void ocds_merge(Json &compiled, const Json &release) {
	if (!release.is_object())
		return;
	if (!compiled.is_object())
		compiled = Json::object();
	for (auto it = release.begin(); it != release.end(); ++it) {
		const std::string &key = it.key();
		const Json &value = it.value();
		if (value.is_null()) {
			compiled.erase(key);
		} else if (value.is_object()) {
			Json *target = find(compiled, key);
			if (!target || !target->is_object())
				target = &(compiled[key] = Json::object());
			ocds_merge(*target, value);
		} else if (value.is_array() && all_have_ids(value)) {
			Json *target = find(compiled, key);
			if (!target || !target->is_array())
				target = &(compiled[key] = Json::array());
			for (const auto &item : value) {
				std::string id = get_text(item, "id");
				auto match = std::find_if(target->begin(), target->end(),
				                          [&](const Json &t) { return t.is_object() && get_text(t, "id") == id; });
				if (match == target->end())
					target->push_back(item);
				else
					ocds_merge(*match, item);
			}
		} else {
			compiled[key] = value;
		}
	}
}

} // namespace oversight::loader
