// PostgreSQL COPY text format: one line per row, tab-separated, \N for NULL, backslash escapes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace oversight::loader {

inline void copy_append_escaped(std::string &line, std::string_view value) {
	bool plain = true; // most values need no escape: append them whole
	for (char c : value) plain = plain && c != '\\' && c != '\t' && c != '\n' && c != '\r';
	if (plain) {
		line.append(value);
		return;
	}
	for (char c : value) {
		switch (c) {
		case '\\': line += "\\\\"; break;
		case '\t': line += "\\t"; break;
		case '\n': line += "\\n"; break;
		case '\r': line += "\\r"; break;
		default: line.push_back(c);
		}
	}
}

// Appends one field (with its leading tab unless first) to a COPY line under construction.
inline void copy_append_field(std::string &line, const std::optional<std::string> &value, bool first = false) {
	if (!first) line.push_back('\t');
	if (value) copy_append_escaped(line, *value);
	else line += "\\N";
}

} // namespace oversight::loader
