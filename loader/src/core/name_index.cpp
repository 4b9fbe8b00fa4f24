#include "core/name_index.hpp"

#include "core/values.hpp"

namespace oversight::loader {

NameIndex::NameIndex(std::string table) : table_(std::move(table)), creates_(table_ == "party") {}

std::string NameIndex::code_for_name(std::string_view name) {
	return "name:" + name_key(name);
}

void NameIndex::add(const std::string &code, std::string_view name) {
	codes_[code] = true;
	std::string key = name_key(trim(name));
	if (key.empty())
		return;
	auto &rows = by_key_[key];
	for (const auto &r : rows)
		if (r.code == code)
			return; // name_zh and name_en of one unit may be the same name
	rows.push_back({code, std::string(trim(name))});
}

std::optional<std::string> NameIndex::resolve(std::string_view code, std::string_view name, std::string &error) {
	error.clear();
	code = trim(code);
	name = trim(name);
	if (!code.empty()) {
		// A code the export gives wins; a party it names for the first time is created with the name beside it.
		if (creates_ && !name.empty() && !codes_.count(code)) {
			created_.emplace_back(std::string(code), std::string(name));
			add(std::string(code), name);
		}
		return std::string(code);
	}
	if (name.empty())
		return std::nullopt;
	std::string key = name_key(name);
	if (key.empty()) {
		error = "has no letter or digit to find a name by";
		return std::nullopt;
	}
	auto found = by_key_.find(key);
	if (found != by_key_.end() && found->second.size() == 1)
		return found->second.front().code;
	if (found != by_key_.end()) {
		error = "matches " + std::to_string(found->second.size()) + (table_ == "party" ? " parties: " : " org units: ");
		for (size_t i = 0; i < found->second.size(); ++i)
			error += (i ? "; " : "") + found->second[i].code + " (" + found->second[i].name + ")";
		error += table_ == "party" ? " — give the party's code (unified social credit code) in the file, or map "
		                             "the name to one under [values.FIELD]"
		                           : " — map the name to one code under [values.FIELD]";
		return std::nullopt;
	}
	if (!creates_) {
		error = "is not the name (name_zh or name_en) of a known org unit: load it first (oversight-load "
		        "org-units), or map the name to a unit code under [values.FIELD]";
		return std::nullopt;
	}
	std::string created = code_for_name(name);
	created_.emplace_back(created, std::string(name));
	add(created, name);
	return created;
}

} // namespace oversight::loader
