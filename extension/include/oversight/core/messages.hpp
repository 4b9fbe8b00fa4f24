// Messages of findings in Chinese and English (issue 8, "Chinese first"): each rule kind holds its
// title and message templates in both languages (RuleKindSpec::title_zh/title_en/messages); a finding
// carries only its values (the alert's details, a JSON object), and its message in each language is the
// template filled with them — here, for both paths: the C++ row pass renders row findings directly,
// and the set-based rules' findings are rendered by oversight.finding_messages(), the SQL face of the
// same functions. Pure C++: no PostgreSQL headers.
//
// Template syntax:
//   {name}            the member of the details: text as is, a number as written (jsonb prints 60000.00 as
//                     stored), a list joined ("、" in Chinese, ", " in English), an object as JSON text
//   {a.b}, {a.0}      a member of an object member, an element of a list
//   {name|term}       the same, each code translated through the language's terms (goods → 货物, spouse →
//                     配偶); a code without a term stays as it is (English has none: codes are English)
//   {name|key}        an object (an alert key) as its values joined, {"payment_code": "P1"} → P1
//   {#list}…{/list}   the text between, once per element of list (objects: placeholders inside name the
//                     element's members, then the outer ones), joined as above
//   {{ }}             literal braces
// A kind with several messages (a finding of different shapes) chooses by the details' member
// "finding"; MessageTemplate::finding names it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oversight::core {

enum class Language : uint8_t { Zh, En };
// "zh" or "en"; nullopt otherwise.
std::optional<Language> parse_language(std::string_view code);
const char *language_code(Language language);

// The values of a finding as its details JSON holds them. Numbers keep the text they were written with,
// so 60000.00 from a numeric column shows as 60000.00, and objects keep their members' order.
struct FindingValue {
	enum class Type : uint8_t { Null, Text, Number, Bool, Array, Object };
	Type type = Type::Null;
	std::string text;                                          // Text, Number (as written), Bool (true/false)
	std::vector<std::pair<std::string, FindingValue>> members; // Object
	std::vector<FindingValue> items;                           // Array

	const FindingValue *member(std::string_view name) const; // Object member, nullptr when absent
	// JSON text as PostgreSQL's jsonb prints it ({"k": "v", "n": 1}, [1, 2]).
	std::string json() const;
};

// Parses a details JSON text (an object; empty text or null: no values). Throws core::Error 22P02 on
// malformed JSON.
FindingValue parse_finding(std::string_view details_json);

// One message of a rule kind in both languages.
struct MessageTemplate {
	const char *finding; // nullptr: the kind's message; else the value of the details' "finding" choosing it
	const char *zh;
	const char *en;
};

// A template filled with a finding's values. complete is false when a placeholder named a value the
// details do not hold (it is rendered empty): what the upgrade checks before trusting a rendering of an
// old alert.
struct Rendered {
	std::string text;
	bool complete = true;
};
Rendered render_template(std::string_view tmpl, const FindingValue &values, Language language);

// The placeholders a template reads, as paths ("amount", "amounts.0", "matches.full_name" inside a
// section over matches); throws core::Error (XX000) naming the template when its syntax is broken (an
// unclosed brace or section, an unknown filter).
std::vector<std::string> template_placeholders(std::string_view tmpl);

// The term of a code in a language (Chinese: goods → 货物, …); the code itself when there is none.
std::string_view term(std::string_view code, Language language);

// Both messages of a finding with the templates of one kind: the only template, or the one whose
// finding equals the details' "finding" (when none does: the first, and complete is false).
struct FindingMessages {
	std::string en;
	std::string zh;
	bool complete = true;
};
FindingMessages render_messages(const std::vector<MessageTemplate> &templates, const FindingValue &values);

} // namespace oversight::core
