// Character encodings of the input: detection (valid UTF-8 → UTF-8, else GB18030, which includes GBK and
// GB2312), byte-order marks, and decoding to UTF-8 with glibc iconv.
#pragma once

#include <iconv.h>

#include <string>
#include <string_view>

namespace oversight::loader {

enum class Encoding { utf8, gb18030 };

std::string encoding_name(Encoding e); // "UTF-8" / "GB18030"
// Parses a user's --encoding: utf8, utf-8, gb18030, gbk, gb2312, cp936 (case-insensitive); throws
// std::invalid_argument.
Encoding parse_encoding_name(const std::string &name);

// Detects the encoding of a file from its first bytes: valid UTF-8 → UTF-8; otherwise the encoding most
// lines with non-ASCII bytes are valid in (UTF-8 or GB18030). `is_whole_file` says the sample is not cut, so
// a truncated multi-byte sequence at its end is an error rather than the cut.
Encoding detect_encoding(std::string_view sample, bool is_whole_file);

// Length of a byte-order mark at the start of `data` for `e` (UTF-8 EF BB BF, GB18030 84 31 95 33), else 0.
size_t bom_length(std::string_view data, Encoding e);

bool is_valid_utf8(std::string_view text);

// Decodes text of one encoding to UTF-8. GB18030 goes through iconv; UTF-8 is validated only.
class Decoder {
public:
	explicit Decoder(Encoding e);
	~Decoder();
	Decoder(const Decoder &) = delete;
	Decoder &operator=(const Decoder &) = delete;

	// Appends the UTF-8 form of `in` to `out`; false when `in` is not valid in the encoding.
	bool decode(std::string_view in, std::string &out);
	// True when `in` decodes to itself (ASCII, or valid UTF-8 when reading UTF-8): usable without a copy.
	bool is_identity(std::string_view in) const;
	Encoding encoding() const { return encoding_; }

private:
	Encoding encoding_;
	iconv_t cd_ = reinterpret_cast<iconv_t>(-1);
};

// Printable form of bytes that failed to decode: valid ASCII kept, other bytes as \xNN.
std::string escape_bytes(std::string_view bytes);

// Offset of the first byte that does not begin a valid UTF-8 character; npos when all of `text` is valid.
size_t invalid_utf8_at(std::string_view text);

// `bytes` as text PostgreSQL can store (it refuses NUL and invalid UTF-8 in text): valid UTF-8 kept as is,
// NUL and invalid bytes written \xNN, as escape_bytes writes them. For the raw text of refused input.
std::string storable_text(std::string_view bytes);

} // namespace oversight::loader
