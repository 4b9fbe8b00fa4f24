// PostgreSQL COPY text format: one line per row, tab-separated, \N for NULL, backslash escapes.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace oversight::loader {

// True when `text` holds a byte COPY text must escape (backslash, tab, LF, CR) or a NUL. Eight bytes at a
// time (the classic "has zero byte" test on text XOR each special byte): one pass over a whole record.
inline bool has_copy_special_bytes(std::string_view text) {
	constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	auto has_byte = [](std::uint64_t x, unsigned char b) {
		std::uint64_t y = x ^ (ones * b);
		return ((y - ones) & ~y & highs) != 0;
	};
	size_t i = 0, n = text.size();
	for (; i + 8 <= n; i += 8) {
		std::uint64_t x;
		std::memcpy(&x, text.data() + i, 8);
		if (has_byte(x, '\\') | has_byte(x, '\t') | has_byte(x, '\n') | has_byte(x, '\r') | has_byte(x, 0))
			return true;
	}
	for (; i < n; ++i)
		if (text[i] == '\\' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r' || text[i] == '\0')
			return true;
	return false;
}

inline void copy_append_escaped(std::string &line, std::string_view value) {
	// Most values need no escape: one scan, then appended whole.
	const char *p = value.data(), *end = p + value.size();
	while (p != end && *p != '\\' && *p != '\t' && *p != '\n' && *p != '\r')
		++p;
	if (p == end) {
		line.append(value);
		return;
	}
	line.append(value.data(), static_cast<size_t>(p - value.data()));
	for (; p != end; ++p) {
		switch (*p) {
		case '\\':
			line += "\\\\";
			break;
		case '\t':
			line += "\\t";
			break;
		case '\n':
			line += "\\n";
			break;
		case '\r':
			line += "\\r";
			break;
		default:
			line.push_back(*p);
		}
	}
}

// The same, for a value known to need no escape (checked for its whole row by has_copy_special_bytes).
inline void copy_append_plain_field(std::string &line, const std::optional<std::string_view> &value) {
	line.push_back('\t');
	if (value)
		line.append(*value);
	else
		line += "\\N";
}

// Appends one field (with its leading tab unless first) to a COPY line under construction.
inline void copy_append_field(std::string &line, const std::optional<std::string_view> &value, bool first = false) {
	if (!first)
		line.push_back('\t');
	if (value)
		copy_append_escaped(line, *value);
	else
		line += "\\N";
}
inline void copy_append_field(std::string &line, const std::optional<std::string> &value, bool first = false) {
	copy_append_field(line, value ? std::optional<std::string_view>(*value) : std::nullopt, first);
}

inline void copy_append_field(std::string &line, const std::string &value, bool first = false) {
	copy_append_field(line, std::optional<std::string_view>(value), first);
}

// Appends an unsigned integer (the first field of a line: no tab).
inline void copy_append_uint(std::string &line, std::uint64_t v) {
	char buf[24];
	auto r = std::to_chars(buf, buf + sizeof buf, v);
	line.append(buf, static_cast<size_t>(r.ptr - buf));
}

} // namespace oversight::loader
