#include "core/csv_reader.hpp"

#include <cstring>
#include <stdexcept>

namespace oversight::loader {

CsvParser::CsvParser(Callback on_record, char delimiter) : on_record_(std::move(on_record)) {
	// CSV_REPALL_NL reports every line end, so blank lines are counted in line numbers. Not CSV_STRICT: a
	// stray quote must not stop the whole file (the row is then refused by its field count instead).
	if (csv_init(&parser_, CSV_REPALL_NL) != 0) throw std::runtime_error("libcsv: cannot initialise the parser");
	csv_set_delim(&parser_, static_cast<unsigned char>(delimiter));
}

CsvParser::~CsvParser() { csv_free(&parser_); }

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
		if (terminator == '\n') ++self->line_;
		return;
	}
	// Line ends inside quoted fields: counted once over the record's bytes (contiguous in the arena).
	const char *p = self->arena_.data() + self->spans_[self->record_first_span_].first, *end = self->arena_.data() + self->arena_.size();
	for (; (p = static_cast<const char *>(std::memchr(p, '\n', static_cast<size_t>(end - p)))); ++p) ++self->newlines_in_record_;
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
		for (size_t i = q.first_span; i < q.first_span + q.span_count; ++i) record_.fields.emplace_back(arena_.data() + spans_[i].first, spans_[i].second);
		const auto &last = spans_[q.first_span + q.span_count - 1];
		record_.bytes = std::string_view(arena_.data() + spans_[q.first_span].first, last.first + last.second - spans_[q.first_span].first);
		on_record_(record_);
	}
	queued_.clear();
	// Keep only the fields of the record still being read, moved to the front.
	size_t keep_from = record_first_span_ < spans_.size() ? spans_[record_first_span_].first : arena_.size();
	arena_.erase(0, keep_from);
	spans_.erase(spans_.begin(), spans_.begin() + static_cast<std::ptrdiff_t>(record_first_span_));
	for (auto &span : spans_) span.first -= keep_from;
	record_first_span_ = 0;
}

void CsvParser::feed(std::string_view bytes) {
	size_t parsed = csv_parse(&parser_, bytes.data(), bytes.size(), on_field, on_record_end, this);
	deliver_queued();
	if (parsed != bytes.size()) throw std::runtime_error(std::string("CSV parser: ") + csv_strerror(csv_error(&parser_)));
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
	for (char c : field) needs = needs || c == ',' || c == '"' || c == '\n' || c == '\r';
	if (!needs && (field.empty() || (field.front() != ' ' && field.back() != ' '))) return std::string(field);
	std::string out(field.size() * 2 + 2, '\0');
	out.resize(csv_write(out.data(), out.size(), field.data(), field.size()));
	return out;
}

} // namespace oversight::loader
