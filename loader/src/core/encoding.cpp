#include "core/encoding.hpp"

#include "core/values.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace oversight::loader {

std::string encoding_name(Encoding e) {
	return e == Encoding::utf8 ? "UTF-8" : "GB18030";
}

Encoding parse_encoding_name(const std::string &name) {
	for (const char *n : {"utf8", "utf-8"})
		if (iequals(name, n))
			return Encoding::utf8;
	// GB18030 is a superset of GBK (CP936) and GB2312: decoding as GB18030 reads all three.
	for (const char *n : {"gb18030", "gbk", "gb2312", "cp936"})
		if (iequals(name, n))
			return Encoding::gb18030;
	throw std::invalid_argument("unknown encoding \"" + name +
	                            "\" (use utf-8 or gb18030; gbk and gb2312 are read as gb18030)");
}

bool is_valid_utf8(std::string_view text) {
	return simdjson::validate_utf8(text.data(), text.size());
}

Encoding detect_encoding(std::string_view sample, bool is_whole_file) {
	if (bom_length(sample, Encoding::utf8))
		return Encoding::utf8;
	if (bom_length(sample, Encoding::gb18030))
		return Encoding::gb18030;
	if (!is_whole_file) {
		// Drop a multi-byte sequence the sample may have cut: back up over continuation bytes to a lead byte.
		size_t end = sample.size(), back = 0;
		while (end > 0 && back < 4 && (static_cast<unsigned char>(sample[end - 1]) & 0xC0) == 0x80)
			--end, ++back;
		if (end > 0 && static_cast<unsigned char>(sample[end - 1]) >= 0xC0)
			--end;
		else if (back)
			end = sample.size(); // continuation bytes without a lead: leave them for validation to refuse
		sample = sample.substr(0, end);
	}
	if (is_valid_utf8(sample))
		return Encoding::utf8;
	// Not all valid: vote line by line among lines with non-ASCII bytes. GB18030 text is almost never valid
	// UTF-8, so a UTF-8 export with a few pasted GBK lines stays UTF-8 (those lines are then quarantined).
	size_t utf8_lines = 0, other_lines = 0;
	for (size_t start = 0; start < sample.size();) {
		size_t end = sample.find('\n', start);
		std::string_view line =
		    sample.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
		bool ascii = true;
		for (char c : line)
			ascii = ascii && static_cast<unsigned char>(c) < 0x80;
		if (!ascii)
			(is_valid_utf8(line) ? utf8_lines : other_lines)++;
		if (end == std::string_view::npos)
			break;
		start = end + 1;
	}
	return utf8_lines > other_lines ? Encoding::utf8 : Encoding::gb18030;
}

size_t bom_length(std::string_view data, Encoding e) {
	static constexpr std::string_view gb_bom = "\x84\x31\x95\x33"; // U+FEFF in GB18030
	std::string_view bom = e == Encoding::utf8 ? zero_width_no_break_space : gb_bom;
	return data.substr(0, bom.size()) == bom ? bom.size() : 0;
}

Decoder::Decoder(Encoding e) : encoding_(e) {
	if (e == Encoding::gb18030) {
		cd_ = iconv_open("UTF-8", "GB18030");
		if (cd_ == reinterpret_cast<iconv_t>(-1))
			throw std::runtime_error("iconv cannot convert GB18030 to UTF-8 on this system");
	}
}

Decoder::~Decoder() {
	if (cd_ != reinterpret_cast<iconv_t>(-1))
		iconv_close(cd_);
}

namespace {
bool is_ascii(std::string_view s) {
	unsigned char any = 0;
	for (char c : s)
		any |= static_cast<unsigned char>(c);
	return any < 0x80;
}
} // namespace

bool Decoder::is_identity(std::string_view in) const {
	if (encoding_ == Encoding::utf8)
		return is_valid_utf8(in); // SIMD; ASCII runs are skipped quickly
	return is_ascii(in);
}

bool Decoder::decode(std::string_view in, std::string &out) {
	// ASCII is the same in every encoding here: codes, amounts and dates skip validation and iconv.
	if (is_ascii(in)) {
		out.append(in);
		return true;
	}
	if (encoding_ == Encoding::utf8) {
		if (!is_valid_utf8(in))
			return false;
		out.append(in);
		return true;
	}
	iconv(cd_, nullptr, nullptr, nullptr, nullptr); // reset shift state after any earlier error
	size_t old_size = out.size();
	out.resize(old_size + in.size() * 2 + 8); // GB18030 → UTF-8 grows at most 2× (4 bytes → 4, 2 → 3)
	char *src = const_cast<char *>(in.data());
	size_t src_left = in.size();
	char *dst = out.data() + old_size;
	size_t dst_left = out.size() - old_size;
	size_t rc = iconv(cd_, &src, &src_left, &dst, &dst_left);
	out.resize(out.size() - dst_left);
	if (rc == static_cast<size_t>(-1) || src_left != 0) {
		out.resize(old_size);
		return false;
	}
	return true;
}

std::string escape_bytes(std::string_view bytes) {
	static const char hex[] = "0123456789ABCDEF";
	std::string out;
	for (char ch : bytes) {
		auto c = static_cast<unsigned char>(ch);
		if (c >= 0x20 && c < 0x7F)
			out.push_back(ch);
		else {
			out += "\\x";
			out.push_back(hex[c >> 4]);
			out.push_back(hex[c & 15]);
		}
	}
	return out;
}

size_t invalid_utf8_at(std::string_view text) {
	for (size_t i = 0; i < text.size();) {
		auto c = static_cast<unsigned char>(text[i]);
		size_t n = c < 0x80                 ? 1
		           : c >= 0xC2 && c <= 0xDF ? 2
		           : c >= 0xE0 && c <= 0xEF ? 3
		           : c >= 0xF0 && c <= 0xF4 ? 4
		                                    : 0;
		if (n == 0 || (n > 1 && !is_valid_utf8(text.substr(i, n)))) // simdjson judges overlongs and surrogates
			return i;
		i += n;
	}
	return std::string_view::npos;
}

std::string storable_text(std::string_view bytes) {
	if (bytes.find('\0') == std::string_view::npos && is_valid_utf8(bytes))
		return std::string(bytes);
	std::string out;
	while (!bytes.empty()) {
		size_t bad = std::min(invalid_utf8_at(bytes), bytes.find('\0')); // npos when neither
		out.append(bytes.substr(0, bad));
		if (bad >= bytes.size())
			break;
		out += escape_bytes(bytes.substr(bad, 1));
		bytes.remove_prefix(bad + 1);
	}
	return out;
}

} // namespace oversight::loader
