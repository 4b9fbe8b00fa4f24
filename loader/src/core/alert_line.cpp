#include "core/alert_line.hpp"

#include "core/json.hpp"

#include <fmt/format.h>

#include <cctype>

namespace oversight::loader {
namespace {

std::string upper(std::string s) {
	for (char &c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	return s;
}

} // namespace

std::string format_alert_line(const std::string &payload) {
	simdjson::dom::parser parser;
	simdjson::dom::element root;
	if (parser.parse(simdjson::padded_string(payload)).get(root) || !root.is_object()) return "(unreadable alert) " + payload;
	Json a = Json::from_dom(root);
	std::string key;
	if (const Json *k = a.find("object_key"); k && k->is_object())
		for (const auto &[name, v] : k->members) key += (key.empty() ? "" : ", ") + name + "=" + (v.is_string() || v.type == Json::Type::number ? v.text : v.dump());
	std::string repeat = a.get_text("repeat_count");
	std::string line = fmt::format("{} {:<8} {} v{} [{}] {}", a.get_text("fired_at"), upper(a.get_text("severity")), a.get_text("rule_code"),
	                               a.get_text("rule_version"), a.get_text("status"), a.get_text("message"));
	line += fmt::format(" ({} {})", a.get_text("object_table"), key);
	if (!repeat.empty() && repeat != "1" && repeat != "0") line += " ×" + repeat;
	if (!a.get_text("alert_id").empty()) line += " #" + a.get_text("alert_id");
	return line;
}

} // namespace oversight::loader
