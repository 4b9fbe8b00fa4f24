#include "core/csv_reader.hpp"

#include <cstring>
#include <stdexcept>

namespace oversight::loader {

CsvParser::CsvParser(Callback on_record, char delimiter, bool plain_line_fast_path)
    : on_record_(std::move(on_record)), delimiter_(delimiter), fast_path_(plain_line_fast_path) {
	// CSV_REPALL_NL reports every line end, so blank lines are counted in line numbers. Not CSV_STRICT: a
	// stray quote must not stop the whole file (the row is then refused by its field count instead).
	if (csv_init(&parser_, CSV_REPALL_NL) != 0)
		throw std::runtime_error("libcsv: cannot initialise the parser");
	csv_set_delim(&parser_, static_cast<unsigned char>(delimiter));
}

CsvParser::~CsvParser() {
	csv_free(&parser_);
}

void CsvParser::on_field(void *data, size_t len, void *self_ptr) {
	auto *self = static_cast<CsvParser *>(self_ptr);
	size_t start = self->arena_.size();
	self->arena_.append(static_cast<const char *>(data), len);
	self->spans_.emplace_back(start, len);
}

void CsvParser::on_record_end(int terminator, void *self_ptr) {
	auto *self = static_cast<CsvParser *>(self_ptr);
	size_t span_count = self->spans_.size() - self->record_first_span_;
	if (span_count == 0) { // a blank line, or the LF of a CRLF reported on its own
		if (terminator == '\n')
			++self->line_;
		return;
	}
	// Line ends inside quoted fields: counted once over the record's bytes (contiguous in the arena).
	const char *p = self->arena_.data() + self->spans_[self->record_first_span_].first,
	           *end = self->arena_.data() + self->arena_.size();
	for (; (p = static_cast<const char *>(std::memchr(p, '\n', static_cast<size_t>(end - p)))); ++p)
		++self->newlines_in_record_;
	self->queued_.push_back({self->line_, self->record_first_span_, span_count, self->finishing_unterminated_});
	self->record_first_span_ = self->spans_.size();
	self->line_ += self->newlines_in_record_ + (terminator == '\n' ? 1 : 0);
	self->newlines_in_record_ = 0;
}

void CsvParser::deliver_queued() {
	for (const auto &q : queued_) {
		record_.line_no = q.line_no;
		record_.unterminated_quote = q.unterminated;
		record_.fields.clear();
		for (size_t i = q.first_span; i < q.first_span + q.span_count; ++i)
			record_.fields.emplace_back(arena_.data() + spans_[i].first, spans_[i].second);
		const auto &last = spans_[q.first_span + q.span_count - 1];
		record_.bytes = std::string_view(arena_.data() + spans_[q.first_span].first,
		                                 last.first + last.second - spans_[q.first_span].first);
		on_record_(record_);
	}
	queued_.clear();
	// Keep only the fields of the record still being read, moved to the front.
	size_t keep_from = record_first_span_ < spans_.size() ? spans_[record_first_span_].first : arena_.size();
	arena_.erase(0, keep_from);
	spans_.erase(spans_.begin(), spans_.begin() + static_cast<std::ptrdiff_t>(record_first_span_));
	for (auto &span : spans_)
		span.first -= keep_from;
	record_first_span_ = 0;
}

void CsvParser::parse_with_libcsv(std::string_view bytes) {
	size_t parsed = csv_parse(&parser_, bytes.data(), bytes.size(), on_field, on_record_end, this);
	if (parsed != bytes.size()) {
		deliver_queued();
		throw std::runtime_error(std::string("CSV parser: ") + csv_strerror(csv_error(&parser_)));
	}
}

bool CsvParser::split_plain_line(std::string_view line) {
	if (!line.empty() && line.back() == '\r')
		line.remove_suffix(1); // CRLF
	// Left to libcsv: blank lines and lines starting with a space (libcsv reads an all-space line as blank),
	// quotes anywhere, a CR inside the line (a line end for libcsv).
	if (line.empty() || line[0] == ' ' || line[0] == '\t' || std::memchr(line.data(), '"', line.size()) ||
	    std::memchr(line.data(), '\r', line.size()))
		return false;
	size_t base = arena_.size();
	arena_.append(line);
	const char *arena = arena_.data(), *p = arena + base, *end = p + line.size();
	for (;;) {
		const char *d = static_cast<const char *>(std::memchr(p, delimiter_, static_cast<size_t>(end - p)));
		const char *field_end = d ? d : end;
		while (p < field_end && (*p == ' ' || *p == '\t'))
			++p; // libcsv trims unquoted fields
		while (field_end > p && (field_end[-1] == ' ' || field_end[-1] == '\t'))
			--field_end;
		spans_.emplace_back(static_cast<size_t>(p - arena), static_cast<size_t>(field_end - p));
		if (!d)
			break;
		p = d + 1;
	}
	queued_.push_back({line_, record_first_span_, spans_.size() - record_first_span_, false});
	record_first_span_ = spans_.size();
	++line_;
	return true;
}

void CsvParser::feed(std::string_view bytes) {
	if (!fast_path_) {
		parse_with_libcsv(bytes);
		deliver_queued();
		return;
	}
	while (!bytes.empty()) {
		const char *nl = static_cast<const char *>(std::memchr(bytes.data(), '\n', bytes.size()));
		size_t len = nl ? static_cast<size_t>(nl - bytes.data()) + 1 : bytes.size();
		// pstate 0 (ROW_NOT_BEGUN, libcsv.c): libcsv is between records, so the line is whole.
		if (!(nl && parser_.pstate == 0 && split_plain_line(bytes.substr(0, len - 1))))
			parse_with_libcsv(bytes.substr(0, len));
		bytes.remove_prefix(len);
	}
	deliver_queued();
}

void CsvParser::finish() {
	// libcsv's CSV_STRICT_FINI needs CSV_STRICT, so read its state instead: pstate 2 (FIELD_BEGUN, libcsv.c)
	// inside a quoted field means the file ended before the closing quote (a truncated file).
	finishing_unterminated_ = parser_.quoted && parser_.pstate == 2;
	csv_fini(&parser_, on_field, on_record_end, this);
	finishing_unterminated_ = false;
	deliver_queued();
}

std::string csv_quote(std::string_view field) {
	bool needs = false;
	for (char c : field)
		needs = needs || c == ',' || c == '"' || c == '\n' || c == '\r';
	if (!needs && (field.empty() || (field.front() != ' ' && field.back() != ' ')))
		return std::string(field);
	std::string out(field.size() * 2 + 2, '\0');
	out.resize(csv_write(out.data(), out.size(), field.data(), field.size()));
	return out;
}

} // namespace oversight::loader
