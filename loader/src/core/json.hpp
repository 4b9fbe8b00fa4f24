// OCDS documents as nlohmann::ordered_json (Debian nlohmann-json3-dev; member order kept as published),
// built from simdjson's DOM (the fast parser) while normalising the shapes OCDS publishers get wrong (an
// object where an array is expected, numeric identifiers), merged release by release as OCDS compiles
// them, and written back with nlohmann's serializer for the jsonb source_document columns.
//
// Numbers must reach jsonb exactly (OCDS amounts). parse_document reads each number's own text: an integer
// that fits 64 bits becomes an integer, a number whose value a double holds exactly becomes a double
// (nlohmann writes the shortest text of the same value: 12345678901234.56 and 0.1 as written, 1.50 as 1.5,
// equal as jsonb numbers), and any other number (123456789012345.6789, 1e400, integers past 64 bits) keeps
// its original text: it is stored as a string whose first byte is NUL, which dump() writes back as the bare
// number and text_of_value() returns as the number. A JSON string holding U+0000 therefore never becomes a
// string here (it would pass for a number: "\u000012345" for 12345): it is kept as a binary value, which
// reads as no text; nul_path() finds it, and the release holding it is quarantined (jsonb and text refuse
// U+0000 anyway).
#pragma once

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace oversight::loader {

using Json = nlohmann::ordered_json;

// A member of an object (nullptr when absent, or when `j` is not an object).
const Json *find(const Json &j, std::string_view key);
Json *find(Json &j, std::string_view key);
// The text of a string or a number (a number's JSON text), else empty.
std::string text_of_value(const Json &j);
// A member's text when it is a string or a number, else empty.
std::string get_text(const Json &j, std::string_view key);
// Walks a path of object keys; nullptr when any is missing.
const Json *at(const Json &j, std::initializer_list<std::string_view> path);
// An array member (an empty array when absent or not an array).
const Json &array(const Json &j, std::string_view key);
// Compact JSON text (UTF-8 kept as is).
std::string dump(const Json &j);
// The same for a tree that may hold strings with U+0000 (binary values, written back as the strings they were,
// with \u0000): for the raw text of a refused item.
std::string dump_refused(const Json &j);
// Where a tree holds U+0000 (in a string or a member name), as a path such as tender.items[0].id; nullopt if nowhere.
std::optional<std::string> nul_path(const Json &j);

// Converts a simdjson element, normalising OCDS shapes (see json.cpp). Numbers are simdjson's doubles: for
// small documents whose numbers need no exactness (alert payloads, staged rows).
Json from_dom(simdjson::dom::element element, std::string_view key = {}, bool is_item = false);

// Builds the tree of a document already validated by simdjson (an object or array at the top), numbers
// exact (see above), OCDS shapes normalised as from_dom does.
Json parse_document(const simdjson::padded_string &text, simdjson::ondemand::parser &parser);

// A number's exact JSON form: an integer, a double holding its value, or its original text (see above).
Json number_from_text(std::string_view text);

// OCDS merge of one release into a compiled release (merge routine of the standard: objects merged member
// by member, null removes, arrays of objects with "id" merged by id, other arrays and values replaced).
void ocds_merge(Json &compiled, const Json &release);

} // namespace oversight::loader
