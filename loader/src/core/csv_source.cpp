#include "core/csv_source.hpp"

#include "core/copy_text.hpp"
#include "core/values.hpp"

namespace oversight::loader {
namespace {

constexpr size_t detection_sample = 4 << 20; // encoding detection reads the first 4 MiB

} // namespace

std::string CsvRow::as_csv_line() const {
	std::string out;
	for (size_t i = 0; i < cells.size(); ++i) {
		if (i)
			out.push_back(',');
		out += csv_quote(cells[i]);
	}
	return out;
}

std::vector<std::string> CsvRow::cell_strings() const {
	return {cells.begin(), cells.end()};
}

CsvSource::CsvSource(std::string path, std::optional<Encoding> forced) : input_(std::move(path)) {
	if (forced) {
		encoding_ = *forced;
		return;
	}
	std::string_view sample = input_.peek(detection_sample);
	std::string why;
	std::optional<Encoding> detected = detect_encoding(sample, sample.size() < detection_sample, &why);
	if (!detected) // never a silent guess: a wrong one stores mojibake (Women’s as Women抯)
		throw InputError(input_.path() + ": cannot tell the file's encoding: " + why +
		                 ". Name it: --encoding NAME, or encoding = NAME in the mapping file (e.g. windows-1252, "
		                 "latin1, gb18030, big5; iconv --list shows them all)");
	encoding_ = *detected;
	detected_ = true;
}

std::vector<std::string> CsvSource::read_header() {
	struct HeaderRead {}; // stops the reading once the header is known
	std::vector<std::string> header;
	try {
		run(
		    [&](const CsvRow &h) {
			    header = h.cell_strings();
			    throw HeaderRead{};
		    },
		    [](const CsvRow &) {}, [](std::uint64_t) {});
	} catch (const HeaderRead &) {
	}
	return header;
}

void CsvSource::run(const std::function<void(const CsvRow &)> &on_header,
                    const std::function<void(const CsvRow &)> &on_row,
                    const std::function<void(std::uint64_t)> &on_bytes) {
	Decoder decoder(encoding_);
	bool header_seen = false;
	CsvRow row;
	std::vector<size_t> ends; // end offset of each cell in row.decoded (views are built once it stops growing)
	CsvParser parser([&](const RawRecord &raw) {
		row.line_no = raw.line_no;
		row.unterminated_quote = raw.unterminated_quote;
		row.decode_failed = false;
		size_t n = raw.fields.size();
		row.cells.resize(n);
		bool all_empty = true;
		for (size_t i = 0; i < n && all_empty; ++i)
			all_empty = raw.fields[i].empty() || trim(raw.fields[i]).empty();
		// One check per record: text already valid UTF-8 (ASCII in either encoding) is used in place. The
		// fields are contiguous, so the record is valid as a whole; no field may start with a continuation
		// byte, else a character would straddle two fields and each would be invalid on its own.
		bool starts_ok = true;
		for (size_t i = 0; i < n; ++i)
			starts_ok =
			    starts_ok && (raw.fields[i].empty() || (static_cast<unsigned char>(raw.fields[i][0]) & 0xC0) != 0x80);
		if (starts_ok && decoder.is_identity(raw.bytes)) {
			for (size_t i = 0; i < n; ++i)
				row.cells[i] = raw.fields[i];
			row.plain = !has_copy_special_bytes(raw.bytes) && !has_zero_width_no_break_space(raw.bytes);
		} else {
			row.decoded.clear();
			ends.resize(n);
			for (size_t i = 0; i < n && !row.decode_failed; ++i) {
				if (!decoder.decode(raw.fields[i], row.decoded))
					row.decode_failed = true;
				ends[i] = row.decoded.size();
			}
			if (row.decode_failed) {
				row.decoded.clear();
				for (size_t i = 0; i < n; ++i) {
					row.decoded += escape_bytes(raw.fields[i]);
					ends[i] = row.decoded.size();
				}
			}
			for (size_t i = 0, start = 0; i < n; start = ends[i++])
				row.cells[i] = std::string_view(row.decoded).substr(start, ends[i] - start);
			row.plain = !has_copy_special_bytes(row.decoded) && !has_zero_width_no_break_space(row.decoded);
		}
		if (all_empty && !raw.unterminated_quote)
			return;
		if (!header_seen) {
			if (row.decode_failed) // thrown after csv_parse returned (CsvParser delivers outside libcsv)
				throw InputError(input_.path() + ":" + std::to_string(row.line_no) + ": the header is not valid " +
				                 encoding_name(encoding_) +
				                 (detected_ ? " (detected; give --encoding if the file is in another encoding)"
				                            : " (as given by --encoding)"));
			header_seen = true;
			on_header(row);
			return;
		}
		on_row(row);
	});
	bool first = true;
	for (std::string_view chunk; !(chunk = input_.next_chunk()).empty();) {
		if (first) {
			chunk.remove_prefix(bom_length(chunk, encoding_));
			first = false;
		}
		parser.feed(chunk);
		on_bytes(input_.bytes_read());
	}
	parser.finish();
	sha256_ = input_.sha256_hex();
	if (!header_seen)
		throw InputError(input_.path() + ": no header line (the file is empty)");
}

} // namespace oversight::loader
