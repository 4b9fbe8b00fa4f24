// A CSV file read once, in chunks: SHA-256 of its bytes, encoding detected (or forced) and BOM removed,
// records parsed and decoded to UTF-8 one at a time. Memory stays flat whatever the file size.
#pragma once

#include "core/csv_reader.hpp"
#include "core/encoding.hpp"
#include "core/input_file.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace oversight::loader {

// One record, valid during the callback only: the cells are views into the parser's buffer when the bytes
// are already UTF-8 (no copy per cell), or into the row's own decoding buffer (GB18030 text, escapes).
struct CsvRow {
	std::uint64_t line_no = 0;
	std::vector<std::string_view> cells; // UTF-8; when decode_failed, the raw bytes with non-ASCII escaped as \xNN
	bool decode_failed = false;
	bool unterminated_quote = false;
	bool plain = false;              // no cell holds a NUL, a byte COPY text escapes (backslash, tab, CR, LF) or U+FEFF
	std::string as_csv_line() const; // the row re-encoded as one CSV line (quarantine raw_text)
	std::vector<std::string> cell_strings() const; // owned copies of the cells
	std::string decoded;                           // storage for cells that needed decoding or escaping
};

class CsvSource {
public:
	CsvSource(std::string path, std::optional<Encoding> forced_encoding);
	Encoding encoding() const { return encoding_; }
	bool encoding_was_detected() const { return detected_; }
	std::uint64_t size_hint() const { return input_.size_hint(); } // 0 for a pipe
	std::uint64_t bytes_read() const { return input_.bytes_read(); }

	// Reads the file: the first non-blank record is the header, then every data row. Rows whose cells are
	// all empty (Excel's trailing ",,,," lines) are skipped. on_bytes reports progress.
	void run(const std::function<void(const CsvRow &)> &on_header, const std::function<void(const CsvRow &)> &on_row,
	         const std::function<void(std::uint64_t)> &on_bytes);
	const std::string &sha256_hex() const { return sha256_; }
	// Reads only as far as the header and returns it (check-mapping); the source cannot be run afterwards.
	std::vector<std::string> read_header();

private:
	InputFile input_; // opened once: detection peeks at the bytes run() then reads
	Encoding encoding_ = Encoding::utf8;
	bool detected_ = false;
	std::string sha256_;
};

} // namespace oversight::loader
