// Minimal JSON for the rule core: parses rule parameters and column mappings (jsonb text from
// PostgreSQL) and writes object keys and alert details. Numbers keep their source text so decimal
// thresholds are never rounded through a double.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace oversight::core {

class Json {
public:
	enum class Type { Null, Bool, Number, String, Array, Object };

	Json() = default;
	static Json null() { return Json(); }
	static Json boolean(bool b);
	static Json number(std::string text);
	static Json string(std::string s);
	static Json array();
	static Json object();

	Type type() const noexcept { return type_; }
	bool is_null() const noexcept { return type_ == Type::Null; }
	bool is_bool() const noexcept { return type_ == Type::Bool; }
	bool is_number() const noexcept { return type_ == Type::Number; }
	bool is_string() const noexcept { return type_ == Type::String; }
	bool is_array() const noexcept { return type_ == Type::Array; }
	bool is_object() const noexcept { return type_ == Type::Object; }

	bool as_bool() const noexcept { return bool_; }
	const std::string &text() const noexcept { return text_; } // number text or string value
	const std::vector<Json> &items() const noexcept { return items_; }
	const std::map<std::string, Json> &members() const noexcept { return members_; }

	const Json *find(const std::string &key) const;
	void push(Json v);
	void set(const std::string &key, Json v);

	// Compact serialisation (object members in key order, as jsonb prints them modulo spacing).
	std::string dump() const;

	// Parses a complete JSON text; throws core::Error 22P02 with the position on malformed input.
	static Json parse(const std::string &text);

private:
	Type type_ = Type::Null;
	bool bool_ = false;
	std::string text_;
	std::vector<Json> items_;
	std::map<std::string, Json> members_;
};

// Appends s to out as a JSON string literal (quotes included).
void json_quote(std::string &out, const std::string &s);

} // namespace oversight::core
