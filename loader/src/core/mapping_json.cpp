#include "core/mapping_json.hpp"

#include "oversight/core/record_kinds.hpp"

namespace oversight::loader {
namespace {

[[noreturn]] void refuse(const std::string &zh, const std::string &en) {
	throw MappingError(zh + " / " + en);
}

// A JSON scalar as the text a .map line gives it.
std::string scalar_text(const nlohmann::json &v, const std::string &what) {
	if (v.is_string())
		return v.get<std::string>();
	if (v.is_number() || v.is_boolean())
		return v.dump();
	refuse(what + " 必须是字符串或数值", what + " must be a string or a number");
}

// Text a .map item can hold: no | (the separator) and no line break.
const std::string &item(const std::string &text, const std::string &what) {
	if (text.find_first_of("|\r\n") != std::string::npos || text.empty())
		refuse(what + " \"" + text + "\" 含有 | 或换行（或为空），映射文件写不出", what + " \"" + text +
		                                                                        "\" is empty or holds | or a line "
		                                                                        "break, which a mapping file cannot "
		                                                                        "write");
	return text;
}

} // namespace

std::string database_record_kind(const RecordKind &kind) {
	for (const auto &k : oversight::core::record_kinds())
		if (kind.table == k.table)
			return k.name;
	refuse("记录类型 " + kind.command + " 不能被监控，也没有存储的映射", "record kind " + kind.command +
	                                                                       " cannot be watched and has no stored "
	                                                                       "mappings");
}

nlohmann::json watch_mapping_json(const Mapping &m, const RecordKind &kind) {
	const std::string table = "（表的映射不能使用）", for_table = " cannot be used for a table";
	if (m.encoding)
		refuse("encoding =" + table, "encoding =" + for_table + " (its columns are typed)");
	if (m.date_order != DateOrder::unspecified)
		refuse("date_order =" + table, "date_order =" + for_table + " (its dates are typed)");
	if (!m.key.empty())
		refuse("key =" + table, "key =" + for_table + " (its key is its primary key or \"@key\")");
	for (const auto &[field, parts] : m.built)
		refuse("字段 " + field + " 的 key:" + table, "key: of field " + field + for_table);
	for (const auto &[field, columns] : m.year_of)
		refuse("字段 " + field + " 的 year:" + table, "year: of field " + field + for_table);
	for (const auto &[field, columns] : m.by_name)
		refuse("字段 " + field + " 的 by_name:" + table, "by_name: of field " + field + for_table);
	nlohmann::json out = nlohmann::json::object();
	for (const auto &spec : kind.fields) {
		nlohmann::json f = nlohmann::json::object();
		if (auto c = m.constants.find(spec.name); c != m.constants.end()) {
			out[spec.name] = {{"const", c->second}}; // a constant takes no column and no alias
			continue;
		}
		auto columns = m.column_aliases.find(spec.name);
		auto values = m.value_spellings.find(spec.name);
		if (columns != m.column_aliases.end())
			f["column"] = columns->second;
		else if (values != m.value_spellings.end())
			f["column"] = {spec.name}; // the field's own name, as a file's header matches it
		if (values != m.value_spellings.end())
			f["values"] = values->second;
		if (auto d = m.defaults.find(spec.name); d != m.defaults.end())
			f["default"] = d->second;
		if (!f.empty())
			out[spec.name] = std::move(f);
	}
	return out;
}

std::string map_text_of(const nlohmann::json &definition, const RecordKind &kind) {
	if (!definition.is_object())
		refuse("存储的映射必须是 JSON 对象", "a stored mapping must be a JSON object");
	std::string columns = "[columns]\n", values;
	for (auto it = definition.begin(); it != definition.end(); ++it) {
		const std::string &field = it.key();
		if (field == "@key")
			refuse("\"@key\"（表的键列）不能用于文件：文件的键是记录类型的键字段",
			       "\"@key\" (a table's key columns) cannot be used for a file: a file's key is the record kind's "
			       "key fields");
		if (!kind.field(field))
			refuse("记录类型 " + kind.command + " 没有字段 \"" + field + "\"",
			       "record kind " + kind.command + " has no field \"" + field + "\"");
		const nlohmann::json &v = it.value();
		std::vector<std::string> items;
		auto add_columns = [&](const nlohmann::json &c) {
			for (const auto &name : c.is_array() ? c : nlohmann::json::array({c}))
				if (scalar_text(name, "列名 / column") != field) // a file's header always matches its field's name
					items.push_back("\"" + item(scalar_text(name, "列名 / column"), "列名 / column") + "\"");
		};
		if (v.is_string()) {
			add_columns(v);
		} else if (v.is_object()) {
			for (auto part = v.begin(); part != v.end(); ++part) {
				const std::string &what = part.key();
				if (what == "column") {
					add_columns(part.value());
				} else if (what == "const" || what == "default") {
					items.push_back(what + ":" + item(scalar_text(part.value(), field + " " + what), field + " " + what));
				} else if (what == "values" && part.value().is_object()) {
					std::map<std::string, std::vector<std::string>> by_canonical; // one .map line per canonical value
					for (auto a = part.value().begin(); a != part.value().end(); ++a)
						by_canonical[item(scalar_text(a.value(), field + " value"), field + " value")].push_back(
						    item(a.key(), field + " value"));
					values += "[values." + field + "]\n";
					for (const auto &[canonical, aliases] : by_canonical) {
						values += canonical + " =";
						for (size_t i = 0; i < aliases.size(); ++i)
							values += (i ? " | " : " ") + aliases[i];
						values += "\n";
					}
				} else {
					refuse("字段 " + field + " 的映射中有文件不认识的键 \"" + what + "\"",
					       "the mapping of field " + field + " has a key \"" + what + "\" a file cannot use");
				}
			}
		} else {
			refuse("字段 " + field + " 的映射必须是列名或对象", "the mapping of field " + field +
			                                                            " must be a column name or an object");
		}
		if (!items.empty()) {
			columns += field + " =";
			for (size_t i = 0; i < items.size(); ++i)
				columns += (i ? " | " : " ") + items[i];
			columns += "\n";
		}
	}
	return columns + values;
}

} // namespace oversight::loader
