#include "core/csv_source.hpp"

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
	if (!f) throw InputError(path + ": cannot open: " + std::strerror(errno));
	return f;
}

} // namespace

std::string CsvRow::as_csv_line() const {
	std::string out;
	for (size_t i = 0; i < cells.size(); ++i) {
		if (i) out.push_back(',');
		out += csv_quote(cells[i]);
	}
	return out;
}

CsvSource::CsvSource(std::string path, std::optional<Encoding> forced) : path_(std::move(path)) {
	struct stat st {};
	if (stat(path_.c_str(), &st) != 0) throw InputError(path_ + ": cannot open: " + std::strerror(errno));
	if (S_ISDIR(st.st_mode)) throw InputError(path_ + ": is a directory");
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

void CsvSource::run(const std::function<void(const CsvRow &)> &on_header, const std::function<void(const CsvRow &)> &on_row,
                    const std::function<void(std::uint64_t)> &on_bytes) {
	File f = open_input(path_);
	Sha256 sha;
	Decoder decoder(encoding_);
	bool header_seen = false;
	CsvRow row;
	CsvParser parser([&](const RawRecord &raw) {
		row.line_no = raw.line_no;
		row.unterminated_quote = raw.unterminated_quote;
		row.decode_failed = false;
		row.cells.resize(raw.fields.size());
		bool all_empty = true;
		for (size_t i = 0; i < raw.fields.size(); ++i) {
			row.cells[i].clear();
			if (!decoder.decode(raw.fields[i], row.cells[i])) row.decode_failed = true;
			all_empty = all_empty && trim(raw.fields[i]).empty();
		}
		if (row.decode_failed)
			for (size_t i = 0; i < raw.fields.size(); ++i) row.cells[i] = escape_bytes(raw.fields[i]);
		if (all_empty && !raw.unterminated_quote) return;
		if (!header_seen) {
			if (row.decode_failed) // thrown after csv_parse returned (CsvParser delivers outside libcsv)
				throw InputError(path_ + ":" + std::to_string(row.line_no) + ": the header is not valid " + encoding_name(encoding_) +
				                 (detected_ ? " (detected; give --encoding if the file is in another encoding)" : " (as given by --encoding)"));
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
			if (std::ferror(f.get())) throw InputError(path_ + ": read error: " + std::strerror(errno));
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
	if (!header_seen) throw InputError(path_ + ": no header line (the file is empty)");
}

} // namespace oversight::loader
