// Streaming CSV (RFC 4180: quoted fields, doubled quotes, embedded newlines, CRLF) over libcsv.
// Fast path: between records, a whole line without any quote or CR other than its CRLF ending (most lines
// of an export) is split at the delimiter directly, with libcsv's rule for unquoted fields (spaces and tabs
// around them removed) — libcsv's byte-by-byte state machine was the loader's largest CPU cost. Every other
// line (quotes, embedded newlines, lone CR, blank or space-led lines) goes through libcsv; tests check that
// both give the same records and line numbers.
// Records are delivered undecoded, with the line they start on: the CSV structure bytes (comma, quote, CR,
// LF) never occur inside a GB18030 multi-byte character, so parsing before decoding is safe and keeps a
// decoding error local to its row.
#pragma once

#include <csv.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace oversight::loader {

struct RawRecord {
	std::uint64_t line_no = 0;            // line the record starts on (1-based)
	std::vector<std::string_view> fields; // valid during the callback only
	std::string_view bytes;               // all the fields' bytes, contiguous (for one validation pass per record)
	bool unterminated_quote = false;      // the file ended inside a quoted field (truncated file)
};

class CsvParser {
public:
	using Callback = std::function<void(const RawRecord &)>;
	// `plain_line_fast_path` = false sends every byte through libcsv (the tests compare both ways).
	explicit CsvParser(Callback on_record, char delimiter = ',', bool plain_line_fast_path = true);
	~CsvParser();
	CsvParser(const CsvParser &) = delete;
	CsvParser &operator=(const CsvParser &) = delete;

	void feed(std::string_view bytes);
	void finish(); // end of input: delivers a last record without a final newline

private:
	// libcsv's callbacks only queue records; they are delivered after csv_parse returns, so that a
	// callback's C++ exception never unwinds through libcsv's C frames.
	static void on_field(void *data, size_t len, void *self);
	static void on_record_end(int terminator, void *self);
	void deliver_queued();
	void parse_with_libcsv(std::string_view bytes);
	bool split_plain_line(std::string_view line);

	struct QueuedRecord {
		std::uint64_t line_no;
		size_t first_span, span_count;
		bool unterminated;
	};
	csv_parser parser_{};
	Callback on_record_;
	std::string arena_;                            // bytes of queued records and of the record being read
	std::vector<std::pair<size_t, size_t>> spans_; // (offset, length) of each field in arena_
	std::vector<QueuedRecord> queued_;
	size_t record_first_span_ = 0; // first span of the record being read
	RawRecord record_;
	std::uint64_t line_ = 1;
	std::uint64_t newlines_in_record_ = 0;
	bool finishing_unterminated_ = false;
	char delimiter_;
	bool fast_path_;
};

// Quotes a field for CSV output when needed (RFC 4180), using libcsv's writer.
std::string csv_quote(std::string_view field);

} // namespace oversight::loader
