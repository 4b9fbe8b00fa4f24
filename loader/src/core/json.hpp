// A small JSON tree for OCDS documents: built from simdjson's DOM while normalising the shapes OCDS
// publishers get wrong (an object where an array is expected, numeric identifiers), merged release by
// release as OCDS compiles them, and written back as JSON text for the jsonb source_document columns.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oversight::loader {

struct Json {
	enum class Type { null, boolean, number, string, array, object };
	Type type = Type::null;
	bool boolean = false;
	std::string text; // string value, or a number's JSON text
	std::vector<Json> items;
	std::vector<std::pair<std::string, Json>> members; // in document order

	static Json make_string(std::string s);
	static Json make_object() { Json j; j.type = Type::object; return j; }
	static Json make_array() { Json j; j.type = Type::array; return j; }

	bool is_object() const { return type == Type::object; }
	bool is_array() const { return type == Type::array; }
	bool is_string() const { return type == Type::string; }
	bool is_null() const { return type == Type::null; }

	const Json *find(std::string_view key) const;
	Json *find(std::string_view key);
	Json &set(const std::string &key, Json value); // replaces or appends
	void erase(std::string_view key);

	// A member's text when it is a string (or a number), else empty.
	std::string get_text(std::string_view key) const;
	// Walks a path of object keys; nullptr when any is missing.
	const Json *at(std::initializer_list<std::string_view> path) const;
	// Items of an array member (an empty list when absent or not an array).
	const std::vector<Json> &array(std::string_view key) const;

	std::string dump() const;
	void dump_to(std::string &out) const;

	// Converts a simdjson element, normalising OCDS shapes (see json.cpp).
	static Json from_dom(simdjson::dom::element element, std::string_view key = {}, bool is_item = false);
};

// OCDS merge of one release into a compiled release (merge routine of the standard: objects merged member
// by member, null removes, arrays of objects with "id" merged by id, other arrays and values replaced).
void ocds_merge(Json &compiled, const Json &release);

} // namespace oversight::loader
