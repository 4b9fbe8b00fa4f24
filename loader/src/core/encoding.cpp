#include "core/encoding.hpp"

#include "core/values.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace oversight::loader {

const Encoding Encoding::utf8{"UTF-8"};
const Encoding Encoding::gb18030{"GB18030"};

std::string encoding_name(const Encoding &e) {
	return e.name();
}

namespace {

struct Iconv { // an iconv descriptor closed on every path
	iconv_t cd;
	Iconv(const char *to, const char *from) : cd(iconv_open(to, from)) {}
	~Iconv() {
		if (ok())
			iconv_close(cd);
	}
	bool ok() const { return cd != reinterpret_cast<iconv_t>(-1); }
};

// The CSV parser splits records before decoding: that is safe only when ASCII decodes to itself and no
// multi-byte character holds the byte of a comma, quote, CR or LF. ASCII is checked by converting it; the
// encodings known to break the second rule (stateful or wide ones) are named.
bool keeps_csv_structure(const std::string &upper_name) {
	for (const char *wide : {"UTF-16", "UTF16", "UTF-32", "UTF32", "UCS-2", "UCS2", "UCS-4", "UCS4", "UTF-7", "UTF7",
	                         "2022", "HZ", "UNICODE"})
		if (upper_name.find(wide) != std::string::npos)
			return false;
	Iconv cd("UTF-8", upper_name.c_str());
	std::string ascii = "\t\n\r";
	for (char c = 0x20; c < 0x7F; ++c)
		ascii.push_back(c);
	std::string out(ascii.size() * 4, '\0');
	char *src = ascii.data(), *dst = out.data();
	size_t src_left = ascii.size(), dst_left = out.size();
	if (iconv(cd.cd, &src, &src_left, &dst, &dst_left) == static_cast<size_t>(-1) || src_left != 0)
		return false;
	out.resize(out.size() - dst_left);
	return out == ascii;
}

} // namespace

Encoding parse_encoding_name(const std::string &name) {
	for (const char *n : {"utf8", "utf-8"})
		if (iequals(name, n))
			return Encoding::utf8;
	// GB18030 is a superset of GBK (CP936) and GB2312: decoding as GB18030 reads all three.
	for (const char *n : {"gb18030", "gbk", "gb2312", "cp936"})
		if (iequals(name, n))
			return Encoding::gb18030;
	std::string upper;
	for (char c : trim(name))
		upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
	if (upper.empty() || !Iconv("UTF-8", upper.c_str()).ok())
		throw std::invalid_argument("unknown encoding \"" + name +
		                            "\": iconv does not know it (iconv --list shows the names; e.g. utf-8, gb18030, "
		                            "windows-1252, latin1, big5)");
	if (!keeps_csv_structure(upper))
		throw std::invalid_argument("encoding \"" + name +
		                            "\" cannot be read as CSV: its characters can hold the bytes of a comma, quote "
		                            "or line end (convert the file first, e.g. iconv -f " +
		                            upper + " -t UTF-8)");
	return Encoding(upper);
}

bool is_valid_utf8(std::string_view text) {
	return simdjson::validate_utf8(text.data(), text.size());
}

namespace {

// Counts the characters of `text` read as GB18030: those of GB2312's two-byte area (common Chinese characters
// and punctuation) and all other non-ASCII ones (GBK's extension, four-byte forms, invalid bytes).
void count_gb18030(std::string_view text, size_t &common, size_t &other) {
	for (size_t i = 0; i < text.size();) {
		auto lead = static_cast<unsigned char>(text[i]);
		if (lead < 0x80) {
			++i;
			continue;
		}
		auto at = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0; };
		unsigned char trail = at(1);
		if (lead >= 0x81 && lead <= 0xFE && trail >= 0x30 && trail <= 0x39) { // four bytes
			++other;
			i += 4;
		} else if (lead >= 0x81 && lead <= 0xFE && trail >= 0x40 && trail <= 0xFE && trail != 0x7F) {
			(lead >= 0xA1 && trail >= 0xA1 ? common : other)++;
			i += 2;
		} else {
			++other;
			++i;
		}
	}
}

} // namespace

std::optional<Encoding> detect_encoding(std::string_view sample, bool is_whole_file, std::string *why) {
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
	size_t utf8_lines = 0, other_lines = 0, first_bad_line = 0, line_no = 0;
	for (size_t start = 0; start < sample.size();) {
		size_t end = sample.find('\n', start);
		std::string_view line =
		    sample.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
		++line_no;
		bool ascii = true;
		for (char c : line)
			ascii = ascii && static_cast<unsigned char>(c) < 0x80;
		if (!ascii) {
			bool valid = is_valid_utf8(line);
			(valid ? utf8_lines : other_lines)++;
			if (!valid && !first_bad_line)
				first_bad_line = line_no;
		}
		if (end == std::string_view::npos)
			break;
		start = end + 1;
	}
	if (utf8_lines > other_lines)
		return Encoding::utf8;
	size_t common = 0, other = 0;
	count_gb18030(sample, common, other);
	if (common * 5 > (common + other) * 4) // over 80%
		return Encoding::gb18030;
	if (why)
		*why = "it is not UTF-8 (line " + std::to_string(first_bad_line) +
		       " is not valid UTF-8), and read as GB18030 " + std::to_string(common) + " of its " +
		       std::to_string(common + other) +
		       " non-ASCII characters would be common Chinese characters: not plausibly Chinese";
	return std::nullopt;
}

size_t bom_length(std::string_view data, const Encoding &e) {
	static constexpr std::string_view gb_bom = "\x84\x31\x95\x33"; // U+FEFF in GB18030
	std::string_view bom = e.is_utf8() ? zero_width_no_break_space : e == Encoding::gb18030 ? gb_bom : "";
	return !bom.empty() && data.substr(0, bom.size()) == bom ? bom.size() : 0;
}

Decoder::Decoder(const Encoding &e) : encoding_(e), growth_(e == Encoding::gb18030 ? 2 : 4) {
	if (!e.is_utf8()) {
		cd_ = iconv_open("UTF-8", e.name().c_str());
		if (cd_ == reinterpret_cast<iconv_t>(-1))
			throw std::runtime_error("iconv cannot convert " + e.name() + " to UTF-8 on this system");
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
	if (encoding_.is_utf8())
		return is_valid_utf8(in); // SIMD; ASCII runs are skipped quickly
	return is_ascii(in);
}

bool Decoder::decode(std::string_view in, std::string &out) {
	// ASCII is the same in every encoding here: codes, amounts and dates skip validation and iconv.
	if (is_ascii(in)) {
		out.append(in);
		return true;
	}
	if (encoding_.is_utf8()) {
		if (!is_valid_utf8(in))
			return false;
		out.append(in);
		return true;
	}
	iconv(cd_, nullptr, nullptr, nullptr, nullptr); // reset shift state after any earlier error
	size_t old_size = out.size();
	out.resize(old_size + in.size() * growth_ + 8); // GB18030: 4 bytes → 4, 2 → 3; one byte → up to 3
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
