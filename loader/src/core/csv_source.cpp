#include "core/csv_source.hpp"

#include "core/copy_text.hpp"
#include "core/sha256.hpp"
#include "core/values.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>

namespace oversight::loader {
namespace {

constexpr size_t chunk_size = 1 << 20;
constexpr size_t detection_sample = 4 << 20; // encoding detection reads the first 4 MiB

struct FileCloser {
	void operator()(FILE *f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

File open_input(const std::string &path) {
	File f(std::fopen(path.c_str(), "rb"));
	if (!f)
		throw InputError(path + ": cannot open: " + std::strerror(errno));
	return f;
}

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

CsvSource::CsvSource(std::string path, std::optional<Encoding> forced) : path_(std::move(path)) {
	struct stat st {};
	if (stat(path_.c_str(), &st) != 0)
		throw InputError(path_ + ": cannot open: " + std::strerror(errno));
	if (S_ISDIR(st.st_mode))
		throw InputError(path_ + ": is a directory");
	size_ = static_cast<std::uint64_t>(st.st_size);
	if (forced) {
		encoding_ = *forced;
		return;
	}
	File f = open_input(path_);
	std::string sample(detection_sample, '\0');
	sample.resize(std::fread(sample.data(), 1, sample.size(), f.get()));
	encoding_ = detect_encoding(sample, sample.size() < detection_sample);
	detected_ = true;
}

void CsvSource::run(const std::function<void(const CsvRow &)> &on_header,
                    const std::function<void(const CsvRow &)> &on_row,
                    const std::function<void(std::uint64_t)> &on_bytes) {
	File f = open_input(path_);
	Sha256 sha;
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
			row.plain = !has_copy_special_bytes(raw.bytes);
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
			row.plain = !has_copy_special_bytes(row.decoded);
		}
		if (all_empty && !raw.unterminated_quote)
			return;
		if (!header_seen) {
			if (row.decode_failed) // thrown after csv_parse returned (CsvParser delivers outside libcsv)
				throw InputError(path_ + ":" + std::to_string(row.line_no) + ": the header is not valid " +
				                 encoding_name(encoding_) +
				                 (detected_ ? " (detected; give --encoding if the file is in another encoding)"
				                            : " (as given by --encoding)"));
			header_seen = true;
			on_header(row);
			return;
		}
		on_row(row);
	});
	std::string buffer(chunk_size, '\0');
	std::uint64_t consumed = 0;
	bool first = true;
	for (;;) {
		size_t n = std::fread(buffer.data(), 1, buffer.size(), f.get());
		if (n == 0) {
			if (std::ferror(f.get()))
				throw InputError(path_ + ": read error: " + std::strerror(errno));
			break;
		}
		std::string_view chunk(buffer.data(), n);
		sha.update(chunk);
		if (first) {
			chunk.remove_prefix(bom_length(chunk, encoding_));
			first = false;
		}
		parser.feed(chunk);
		consumed += n;
		on_bytes(consumed);
	}
	parser.finish();
	sha256_ = sha.hex_digest();
	if (!header_seen)
		throw InputError(path_ + ": no header line (the file is empty)");
}

} // namespace oversight::loader
