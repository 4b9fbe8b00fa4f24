// Character encodings of the input: detection (valid UTF-8 → UTF-8; GB18030, which includes GBK and GB2312,
// only when the text is plausibly Chinese; anything else must be named), byte-order marks, and decoding to
// UTF-8 with glibc iconv, which knows Windows-1252, Latin-1, Big5, Shift_JIS and the rest.
#pragma once

#include <iconv.h>

#include <optional>
#include <string>
#include <string_view>

namespace oversight::loader {

// An input encoding by its iconv name. UTF-8 and GB18030 have fast paths (UTF-8 is validated, not converted;
// ASCII skips iconv in every encoding).
class Encoding {
public:
	static const Encoding utf8, gb18030;
	const std::string &name() const { return name_; } // "UTF-8", "GB18030", "WINDOWS-1252", …
	bool is_utf8() const { return utf8_; }            // asked per record: no string comparison
	bool operator==(const Encoding &o) const { return name_ == o.name_; }
	bool operator!=(const Encoding &o) const { return name_ != o.name_; }

private:
	friend Encoding parse_encoding_name(const std::string &name);
	explicit Encoding(std::string name) : name_(std::move(name)), utf8_(name_ == "UTF-8") {}
	std::string name_;
	bool utf8_;
};

std::string encoding_name(const Encoding &e); // "UTF-8" / "GB18030" / …
// Parses a user's --encoding (or a mapping file's encoding =): utf8, utf-8; gb18030, gbk, gb2312, cp936 (read as
// GB18030, their superset); any other name iconv knows (windows-1252, cp1252, latin1, iso-8859-15, big5…),
// case-insensitive. Throws std::invalid_argument for a name iconv does not know, and for encodings in which
// the bytes of a comma, quote or line end can be part of another character (UTF-16, UTF-32, UTF-7,
// ISO-2022-*, HZ, EBCDIC): a CSV file in one of those must be converted first.
Encoding parse_encoding_name(const std::string &name);

// Detects the encoding of a file from its first bytes: valid UTF-8 → UTF-8 (also when most lines with
// non-ASCII bytes are valid UTF-8: a few pasted GBK lines are then quarantined); otherwise GB18030 only when
// the text is plausibly Chinese: over 80% of its non-ASCII characters are common Chinese characters or
// punctuation (GB2312's area, both bytes 0xA1-0xFE). Windows-1252's ’ before a letter (0x92 0x73) is a valid
// GBK character (抯), but a rare one: such text is not taken for Chinese. nullopt when neither holds, with
// the reason in *why: the caller asks for --encoding instead of guessing. `is_whole_file` says the sample
// is not cut, so a truncated multi-byte sequence at its end is an error rather than the cut.
std::optional<Encoding> detect_encoding(std::string_view sample, bool is_whole_file, std::string *why = nullptr);

// Length of a byte-order mark at the start of `data` for `e` (UTF-8 EF BB BF, GB18030 84 31 95 33), else 0.
size_t bom_length(std::string_view data, const Encoding &e);

bool is_valid_utf8(std::string_view text);

// Decodes text of one encoding to UTF-8 through iconv; UTF-8 is validated only.
class Decoder {
public:
	explicit Decoder(const Encoding &e);
	~Decoder();
	Decoder(const Decoder &) = delete;
	Decoder &operator=(const Decoder &) = delete;

	// Appends the UTF-8 form of `in` to `out`; false when `in` is not valid in the encoding.
	bool decode(std::string_view in, std::string &out);
	// True when `in` decodes to itself (ASCII, or valid UTF-8 when reading UTF-8): usable without a copy.
	bool is_identity(std::string_view in) const;
	const Encoding &encoding() const { return encoding_; }

private:
	Encoding encoding_;
	size_t growth_; // bytes of UTF-8 per input byte at most: 2 for GB18030, 4 for the rest
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
