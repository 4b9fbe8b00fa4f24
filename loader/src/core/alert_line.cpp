#include "core/alert_line.hpp"

#include "core/json.hpp"

#include <fmt/format.h>

#include <cctype>

namespace oversight::loader {
namespace {

std::string upper(std::string s) {
	for (char &c : s)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	return s;
}

} // namespace

std::string format_alert_line(const std::string &payload) {
	simdjson::dom::parser parser;
	simdjson::dom::element root;
	if (parser.parse(simdjson::padded_string(payload)).get(root) || !root.is_object())
		return "(unreadable alert) " + payload;
	Json a = from_dom(root);
	std::string key;
	if (const Json *k = find(a, "object_key"); k && k->is_object())
		for (auto it = k->begin(); it != k->end(); ++it)
			key += (key.empty() ? "" : ", ") + it.key() + "=" +
			       (it->is_string() || it->is_number() ? text_of_value(*it) : dump(*it));
	std::string repeat = get_text(a, "repeat_count");
	// The rule's title and the message come in the reader's language (key "language"; none before 0.4.0).
	std::string title = get_text(a, "rule_title");
	if (!title.empty())
		title += get_text(a, "language") == "en" ? ": " : "：";
	std::string line = fmt::format("{} {:<8} {} v{} [{}] {}{}", get_text(a, "fired_at"), upper(get_text(a, "severity")),
	                               get_text(a, "rule_code"), get_text(a, "rule_version"), get_text(a, "status"), title,
	                               get_text(a, "message"));
	line += fmt::format(" ({} {})", get_text(a, "object_table"), key);
	if (!repeat.empty() && repeat != "1" && repeat != "0")
		line += " ×" + repeat;
	if (!get_text(a, "alert_id").empty())
		line += " #" + get_text(a, "alert_id");
	return line;
}

std::optional<long long> notified_id(const std::string &payload, const char *key) {
	simdjson::dom::parser parser;
	simdjson::dom::object root;
	if (parser.parse(simdjson::padded_string(payload)).get(root) || root.size() != 1)
		return std::nullopt;
	int64_t id = 0;
	if (root[key].get(id) || id <= 0)
		return std::nullopt;
	return id;
}

std::string format_outbox_line(const std::string &row, const std::string &language) {
	simdjson::dom::parser parser;
	simdjson::dom::element root;
	if (parser.parse(simdjson::padded_string(row)).get(root) || !root.is_object())
		return "(unreadable notification) " + row;
	Json o = from_dom(root);
	std::string person = get_text(o, "person_code");
	return fmt::format("{} {:<14} → {}{}: {} #{}", get_text(o, "created_at"), upper(get_text(o, "step")),
	                   get_text(o, "target_role"), person.empty() ? "" : " " + person,
	                   get_text(o, language == "en" ? "text_en" : "text_zh"), get_text(o, "outbox_id"));
}

std::string format_coverage_line(const std::string &notice, const std::string &language) {
	simdjson::dom::parser parser;
	simdjson::dom::element root;
	if (parser.parse(simdjson::padded_string(notice)).get(root) || !root.is_object())
		return "(unreadable coverage notice) " + notice;
	Json g = from_dom(root);
	const bool en = language == "en";
	std::string load = get_text(g, "load_id");
	std::string where = get_text(g, "object_table");
	if (!load.empty())
		where += en ? " load " + load : " 导入 " + load;
	return fmt::format("{} {} {} v{} {}{}{}{} #{}", get_text(g, "last_seen_at"), en ? "CANNOT-EVALUATE" : "无法判断",
	                   get_text(g, "rule_code"), get_text(g, "rule_version"), where, en ? ": " : "：",
	                   get_text(g, "records") + (en ? " records, " : " 条记录，"),
	                   get_text(g, en ? "text_en" : "text_zh"), get_text(g, "gap_id"));
}

} // namespace oversight::loader
