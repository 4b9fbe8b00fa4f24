#include "core/row_validator.hpp"

#include "core/values.hpp"


namespace oversight::loader {
namespace {

class VectorRowView : public RowView {
public:
	VectorRowView(const RecordKind &kind, const std::vector<std::optional<std::string>> &values) : kind_(kind), values_(values) {}
	const std::optional<std::string> &get(const std::string &field) const override {
		static const std::optional<std::string> none;
		int i = kind_.field_index(field);
		return i < 0 ? none : values_[static_cast<size_t>(i)];
	}

private:
	const RecordKind &kind_;
	const std::vector<std::optional<std::string>> &values_;
};

bool is_code(const std::string &s) {
	if (s.empty() || s.size() > 64 || !std::isalnum(static_cast<unsigned char>(s[0]))) return false;
	for (char c : s)
		if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') return false;
	return true;
}

std::string join(const std::vector<std::string> &v) {
	std::string out;
	for (const auto &s : v) out += (out.empty() ? "" : ", ") + s;
	return out;
}

} // namespace

RowValidator::RowValidator(const RecordKind &kind, const Mapping &mapping, HeaderBinding binding, size_t header_width)
    : kind_(kind), mapping_(mapping), binding_(std::move(binding)), header_width_(header_width) {
	for (size_t f = 0; f < kind_.fields.size(); ++f)
		if (binding_.has(static_cast<int>(f))) staged_fields_.push_back(static_cast<int>(f));
}

std::optional<RowError> RowValidator::parse_field(const FieldSpec &spec, const std::string &cell, std::optional<std::string> &out) const {
	std::string_view trimmed = trim(cell);
	if (trimmed.empty()) {
		out.reset();
		return std::nullopt;
	}
	if (cell.find('\0') != std::string::npos) return RowError{spec.name, "contains a NUL byte"};
	ParsedValue parsed;
	switch (spec.type) {
	case FieldType::text: parsed = ParsedValue::success(std::string(trimmed)); break;
	case FieldType::code: {
		std::string v(trimmed);
		parsed = is_code(v) ? ParsedValue::success(v) : ParsedValue::failure("is not a valid code (letters, digits, _ . - ; at most 64)");
		break;
	}
	case FieldType::amount:
		parsed = parse_amount(trimmed);
		if (parsed.ok() && spec.positive && parsed.value->find_first_not_of("0.") == std::string::npos) parsed = ParsedValue::failure("must be greater than 0");
		break;
	case FieldType::date: parsed = parse_date(trimmed); break;
	case FieldType::timestamp: parsed = parse_timestamp(trimmed); break;
	case FieldType::integer: parsed = parse_integer(trimmed, spec.min_value, spec.max_value); break;
	case FieldType::boolean: parsed = parse_boolean(mapping_.canonical_value(spec.name, std::string(trimmed))); break;
	case FieldType::currency: parsed = parse_currency(mapping_.canonical_value(spec.name, std::string(trimmed))); break;
	case FieldType::enumeration: {
		for (const auto &a : spec.allowed) // canonical exports: no alias lookup
			if (a == trimmed) {
				out = a;
				return std::nullopt;
			}
		std::string v = mapping_.canonical_value(spec.name, std::string(trimmed));
		parsed = ParsedValue::failure("is not one of " + join(spec.allowed) + " (add an alias under [values." + spec.name + "] in the mapping file)");
		for (const auto &a : spec.allowed)
			if (iequals(a, v)) parsed = ParsedValue::success(a);
		break;
	}
	}
	if (!parsed.ok()) return RowError{spec.name, parsed.error};
	out = std::move(parsed.value);
	return std::nullopt;
}

std::optional<RowError> RowValidator::validate(const std::vector<std::string> &cells, std::vector<std::optional<std::string>> &values) const {
	values.resize(kind_.fields.size()); // reused row to row: reset, not reallocated
	for (auto &v : values) v.reset();
	if (cells.size() < header_width_)
		return RowError{{}, "has " + std::to_string(cells.size()) + " fields but the header has " + std::to_string(header_width_) +
		                        " (missing columns, or a line cut short)"};
	if (cells.size() > header_width_)
		return RowError{{}, "has " + std::to_string(cells.size()) + " fields but the header has " + std::to_string(header_width_) +
		                        " (extra columns; an unquoted comma inside a value?)"};
	for (size_t f = 0; f < kind_.fields.size(); ++f) {
		const FieldSpec &spec = kind_.fields[f];
		int col = binding_.column_of_field[f];
		if (col >= 0)
			if (auto e = parse_field(spec, cells[static_cast<size_t>(col)], values[f])) return e;
		if (!values[f] && !spec.default_value.empty()) values[f] = spec.default_value;
		if (!values[f] && spec.required) return RowError{spec.name, "is required but empty"};
	}
	VectorRowView view(kind_, values);
	for (const auto &rule : kind_.rules)
		if (auto why = rule.check(view)) return RowError{rule.field, *why};
	return std::nullopt;
}

std::string RowValidator::message(const std::string &file, std::uint64_t line, const RowError &e, const std::string &raw_value) {
	std::string msg = file + ":" + std::to_string(line) + ": ";
	if (e.field.empty()) return msg + "row " + e.reason;
	return msg + "field " + e.field + ": \"" + raw_value + "\" " + e.reason;
}

} // namespace oversight::loader
