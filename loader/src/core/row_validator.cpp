#include "core/row_validator.hpp"

#include "core/encoding.hpp"
#include "core/values.hpp"

#include <algorithm>

namespace oversight::loader {
namespace {

class RuleView : public RowView {
public:
	RuleView(const std::vector<int> &inputs, const std::vector<std::optional<std::string_view>> &values)
	    : inputs_(inputs), values_(values) {}
	std::optional<std::string_view> get(size_t input) const override {
		int f = input < inputs_.size() ? inputs_[input] : -1;
		return f < 0 ? std::nullopt : values_[static_cast<size_t>(f)];
	}

private:
	const std::vector<int> &inputs_;
	const std::vector<std::optional<std::string_view>> &values_;
};

bool is_code(std::string_view s) {
	if (s.empty() || s.size() > 64 || !std::isalnum(static_cast<unsigned char>(s[0])))
		return false;
	for (char c : s)
		if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-')
			return false;
	return true;
}

std::string join(const std::vector<std::string> &v) {
	std::string out;
	for (const auto &s : v)
		out += (out.empty() ? "" : ", ") + s;
	return out;
}

} // namespace

RowValidator::RowValidator(const RecordKind &kind, const Mapping &mapping, HeaderBinding binding, size_t header_width)
    : kind_(kind), mapping_(mapping), binding_(std::move(binding)), header_width_(header_width) {
	for (size_t f = 0; f < kind_.fields.size(); ++f)
		if (binding_.has(static_cast<int>(f)))
			staged_fields_.push_back(static_cast<int>(f));
	for (const auto &f : kind_.fields)
		is_key_.push_back(std::find(kind_.key.begin(), kind_.key.end(), f.name) != kind_.key.end());
	for (const auto &rule : kind_.rules) {
		rule_inputs_.emplace_back();
		for (const auto &name : rule.inputs)
			rule_inputs_.back().push_back(kind_.field_index(name));
	}
}

namespace {
// An amount already in canonical form (digits, no leading zero, at most 15 integer digits and 1-4
// decimals): what parse_amount would return unchanged.
bool is_canonical_amount(std::string_view s) {
	size_t i = 0, n = s.size();
	while (i < n && s[i] >= '0' && s[i] <= '9')
		++i;
	if (i == 0 || i > 15 || (s[0] == '0' && i > 1))
		return false;
	if (i == n)
		return true;
	if (s[i] != '.')
		return false;
	size_t dot = i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		++i;
	return i == n && n - dot - 1 >= 1 && n - dot - 1 <= 4;
}
} // namespace

std::optional<RowError> RowValidator::parse_field(size_t f, std::string_view cell, std::optional<std::string_view> &out,
                                                  std::string &storage, bool check_cells) const {
	const FieldSpec &spec = kind_.fields[f];
	std::string_view trimmed = trim(cell);
	if (trimmed.empty()) {
		out.reset();
		return std::nullopt;
	}
	if (check_cells && cell.find('\0') != std::string_view::npos)
		return RowError{spec.name, "contains a NUL byte"};
	// U+FEFF around a value is trimmed (a byte-order mark of concatenated files); inside one it is refused.
	if (check_cells && has_zero_width_no_break_space(trimmed))
		return RowError{spec.name, "holds U+FEFF (zero-width no-break space, an invisible byte-order mark) inside "
		                           "the value: remove it"};
	ParsedValue parsed;
	switch (spec.type) {
	case FieldType::text:
		// Codes are checked below; a key of free text must not hold what makes it look like another key.
		if (is_key_[f])
			if (auto c = invisible_character(trimmed))
				return RowError{spec.name, "holds the invisible character " + *c +
				                               ": a key must not, it would look like another key"};
		out = trimmed;
		return std::nullopt;
	case FieldType::code:
		if (!is_code(trimmed))
			return RowError{spec.name, "is not a valid code (letters, digits, _ . - ; at most 64)"};
		out = trimmed;
		return std::nullopt;
	case FieldType::amount:
		if (is_canonical_amount(trimmed)) {
			if (spec.positive && trimmed.find_first_not_of("0.") == std::string_view::npos)
				return RowError{spec.name, "must be greater than 0"};
			out = trimmed;
			return std::nullopt;
		}
		parsed = parse_amount(trimmed);
		if (parsed.ok() && spec.positive && parsed.value->find_first_not_of("0.") == std::string::npos)
			parsed = ParsedValue::failure("must be greater than 0");
		break;
	case FieldType::date:
		parsed = parse_date(trimmed);
		break;
	case FieldType::timestamp:
		parsed = parse_timestamp(trimmed);
		break;
	case FieldType::integer:
		parsed = parse_integer(trimmed, spec.min_value, spec.max_value);
		break;
	case FieldType::boolean:
		parsed = parse_boolean(mapping_.canonical_value(spec.name, std::string(trimmed)));
		break;
	case FieldType::currency:
		parsed = parse_currency(mapping_.canonical_value(spec.name, std::string(trimmed)));
		break;
	case FieldType::enumeration: {
		for (const auto &a : spec.allowed) // canonical exports: no alias lookup
			if (a == trimmed) {
				out = std::string_view(a);
				return std::nullopt;
			}
		std::string v = mapping_.canonical_value(spec.name, std::string(trimmed));
		for (const auto &a : spec.allowed)
			if (iequals(a, v)) {
				out = std::string_view(a);
				return std::nullopt;
			}
		return RowError{spec.name, "is not one of " + join(spec.allowed) + " (add an alias under [values." + spec.name +
		                               "] in the mapping file)"};
	}
	}
	if (!parsed.ok())
		return RowError{spec.name, parsed.error};
	storage.assign(*parsed.value); // keeps its capacity row to row
	out = std::string_view(storage);
	return std::nullopt;
}

std::optional<RowError> RowValidator::validate(const std::vector<std::string_view> &cells, RowValues &out,
                                               bool check_cells) const {
	size_t nfields = kind_.fields.size();
	out.values.assign(nfields, std::nullopt);
	out.storage.resize(nfields);
	if (cells.size() < header_width_)
		return RowError{{},
		                "has " + std::to_string(cells.size()) + " fields but the header has " +
		                    std::to_string(header_width_) + " (missing columns, or a line cut short)"};
	if (cells.size() > header_width_)
		return RowError{{},
		                "has " + std::to_string(cells.size()) + " fields but the header has " +
		                    std::to_string(header_width_) + " (extra columns; an unquoted comma inside a value?)"};
	for (size_t f = 0; f < nfields; ++f) {
		const FieldSpec &spec = kind_.fields[f];
		int col = binding_.column_of_field[f];
		auto &value = out.values[f];
		if (col >= 0)
			if (auto e = parse_field(f, cells[static_cast<size_t>(col)], value, out.storage[f], check_cells))
				return e;
		if (!value && !spec.default_value.empty())
			value = std::string_view(spec.default_value);
		if (!value && spec.required)
			return RowError{spec.name, "is required but empty"};
	}
	for (size_t r = 0; r < kind_.rules.size(); ++r)
		if (auto why = kind_.rules[r].check(RuleView(rule_inputs_[r], out.values)))
			return RowError{kind_.rules[r].field, *why};
	return std::nullopt;
}

std::optional<RowError> RowValidator::validate(const std::vector<std::string> &cells,
                                               std::vector<std::optional<std::string>> &values) const {
	std::vector<std::string_view> views(cells.begin(), cells.end());
	RowValues out;
	auto error = validate(views, out);
	values.assign(out.values.size(), std::nullopt);
	for (size_t f = 0; f < out.values.size(); ++f)
		if (out.values[f])
			values[f] = std::string(*out.values[f]);
	return error;
}

std::string RowValidator::message(const std::string &file, std::uint64_t line, const RowError &e,
                                  std::string_view raw_value) {
	std::string msg = file + ":" + std::to_string(line) + ": ";
	if (e.field.empty())
		return msg + "row " + e.reason;
	return msg + "field " + e.field + ": \"" + storable_text(raw_value) + "\" " + e.reason; // a NUL would cut the line
}

} // namespace oversight::loader
