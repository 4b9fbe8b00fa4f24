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
	for (const auto &f : kind_.fields) {
		auto a = mapping_.value_aliases.find(f.name);
		aliases_.push_back(a == mapping_.value_aliases.end() ? nullptr : &a->second);
	}
	for (const auto &src : binding_.sources)
		simple_.push_back(src.is_simple());
	resolvers_.assign(kind_.fields.size(), nullptr);
	// Fields nothing fills and nothing requires stay NULL without a look, row after row.
	for (size_t f = 0; f < kind_.fields.size(); ++f)
		if (binding_.column_of_field[f] >= 0 || !simple_[f] || !kind_.fields[f].default_value.empty() ||
		    kind_.fields[f].required)
			active_.push_back(f);
	if (kind_.signed_amount) {
		signed_amount_ = kind_.field_index(kind_.signed_amount->amount);
		direction_ = kind_.field_index(kind_.signed_amount->kind_field);
		reverses_ = kind_.field_index(kind_.signed_amount->reverses);
		direction_staged_ = direction_ >= 0 && binding_.has(direction_);
	}
	for (const auto &group : kind_.one_of_required) {
		one_of_.emplace_back();
		for (const auto &name : group.fields)
			one_of_.back().push_back(kind_.field_index(name));
	}
}

int RowValidator::cell_column(int field) const {
	auto f = static_cast<size_t>(field);
	const FieldSource &src = binding_.sources[f];
	return binding_.column_of_field[f] >= 0 ? binding_.column_of_field[f]
	       : src.name_column >= 0           ? src.name_column
	                                        : src.year_column;
}

const std::string *RowValidator::alias_of(size_t f, std::string_view value) const {
	if (!aliases_[f])
		return nullptr;
	auto it = aliases_[f]->find(normalise_label(std::string(value)));
	return it == aliases_[f]->end() ? nullptr : &it->second;
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
	if (spec.type == FieldType::enumeration) // canonical exports first: no alias lookup
		for (const auto &a : spec.allowed)
			if (a == trimmed) {
				out = std::string_view(a);
				return std::nullopt;
			}
	if (const std::string *alias = alias_of(f, trimmed)) // [values.F], for a field of any kind
		trimmed = *alias;
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
			return RowError{spec.name, std::string("is not a valid code (letters, digits, _ . - ; at most 64)") +
			                               (aliases_[f] ? ", nor a value under [values." + spec.name + "]" : "")};
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
		// A payment's negative amount is kept signed here: apply_sign() makes it a refund or credit note.
		if (parsed.ok() && is_negative_amount(*parsed.value) && static_cast<int>(f) != signed_amount_)
			return RowError{spec.name, "is negative (" + *parsed.value +
			                               "): only payments can be refunds or credit notes (oversight-load "
			                               "payments stores a negative amount as a refund, or as a credit note "
			                               "when payment_kind says so); " +
			                               spec.name + " of " + kind_.table + " cannot be negative"};
		if (parsed.ok() && spec.positive && parsed.value->find_first_not_of("0.") == std::string::npos)
			parsed = ParsedValue::failure("must be greater than 0");
		break;
	default:
		parsed = parse_field_value(spec, trimmed, mapping_.date_order);
	}
	if (!parsed.ok())
		return RowError{spec.name, parsed.error};
	storage.assign(*parsed.value); // keeps its capacity row to row
	out = std::string_view(storage);
	return std::nullopt;
}

std::optional<RowError> RowValidator::fill_from_sources(size_t f, const std::vector<std::string_view> &cells,
                                                        std::optional<std::string_view> &out, std::string &storage,
                                                        bool check_cells) const {
	const FieldSpec &spec = kind_.fields[f];
	const FieldSource &src = binding_.sources[f];
	auto cell = [&](int col) { // a missing trailing cell reads as empty
		return col >= 0 && static_cast<size_t>(col) < cells.size() ? trim(cells[static_cast<size_t>(col)])
		                                                           : std::string_view();
	};
	if (src.constant) {
		if (src.constant_checks_column && out && *out != *src.constant)
			return RowError{spec.name, "is " + std::string(*out) + " but the load says --" + spec.name + " " +
			                               *src.constant + " for the whole file"};
		out = std::string_view(*src.constant);
		return std::nullopt;
	}
	if (!out && !src.key_columns.empty()) {
		// The kind's key (key =) needs every part; another field built so (key:) is NULL when all its columns are
		// empty (a payment that reverses nothing) and refused when only some are.
		bool all_empty = !is_key_[f];
		for (size_t i = 0; i < src.key_columns.size() && all_empty; ++i)
			all_empty = src.key_columns[i] < 0 || cell(src.key_columns[i]).empty();
		if (all_empty)
			return std::nullopt;
		std::string key;
		for (size_t i = 0; i < src.key_columns.size(); ++i) {
			int col = src.key_columns[i];
			std::string_view part = col < 0 ? std::string_view(src.key_literals[i]) : cell(col);
			if (part.empty())
				return RowError{
				    spec.name,
				    "cannot be built: its key part \"" +
				        (mapping_.built.count(spec.name) ? mapping_.built.at(spec.name) : mapping_.key)[i].text +
				        "\" is empty"};
			key += (i ? "-" : "") + std::string(part);
		}
		storage = std::move(key);
		std::optional<std::string_view> parsed;
		std::string checked; // the built key must still be a valid value of its field (a code, no NUL…)
		if (auto e = parse_field(f, storage, parsed, checked, check_cells))
			return e;
		out = std::string_view(storage);
	}
	if (resolvers_[f] && src.name_column >= 0) {
		std::string_view name = cell(src.name_column);
		if (check_cells && name.find('\0') != std::string_view::npos)
			return RowError{spec.name, "contains a NUL byte"};
		if (const std::string *alias = !out && !name.empty() ? alias_of(f, name) : nullptr) {
			out = std::string_view(*alias); // the mapping names the code: no lookup
		} else {
			std::string error;
			auto code = resolvers_[f]->resolve(out ? *out : std::string_view(), name, error);
			if (!error.empty()) {
				for (size_t at; (at = error.find("[values.FIELD]")) != std::string::npos;)
					error.replace(at, 14, "[values." + spec.name + "]");
				return RowError{spec.name, error};
			}
			if (code) {
				storage = std::move(*code);
				out = std::string_view(storage);
			}
		}
	}
	if (!out && src.year_column >= 0) {
		std::string_view text = cell(src.year_column);
		if (!text.empty()) {
			ParsedValue d = parse_date(text, mapping_.date_order);
			if (!d.ok())
				return RowError{spec.name, "comes from the date \"" + std::string(text) + "\", which " + d.error};
			ParsedValue y = parse_integer(d.value->substr(0, 4), spec.min_value, spec.max_value);
			if (!y.ok())
				return RowError{spec.name, y.error};
			storage = *y.value;
			out = std::string_view(storage);
		}
	}
	if (!out && src.default_value)
		out = std::string_view(*src.default_value);
	return std::nullopt;
}

std::optional<RowError> RowValidator::validate(const std::vector<std::string_view> &cells, RowValues &out,
                                               bool check_cells) const {
	size_t nfields = kind_.fields.size();
	out.values.assign(nfields, std::nullopt);
	out.storage.resize(nfields);
	if (cells.size() > header_width_)
		return RowError{{},
		                "has " + std::to_string(cells.size()) + " fields but the header has " +
		                    std::to_string(header_width_) + " (extra columns; an unquoted comma inside a value?)"};
	// Missing trailing columns read as empty (exports that stop a row at its last filled cell); a required
	// field among them refuses the row below.
	out.short_row = cells.size() < header_width_;
	for (size_t f : active_) {
		const FieldSpec &spec = kind_.fields[f];
		int col = binding_.column_of_field[f];
		auto &value = out.values[f];
		if (col >= 0 && static_cast<size_t>(col) < cells.size())
			if (auto e = parse_field(f, cells[static_cast<size_t>(col)], value, out.storage[f], check_cells))
				return e;
		if (!simple_[f])
			if (auto e = fill_from_sources(f, cells, value, out.storage[f], check_cells))
				return e;
		if (!value && !spec.default_value.empty())
			value = std::string_view(spec.default_value);
		if (!value && spec.required) {
			int from = cell_column(static_cast<int>(f));
			if (out.short_row && from >= 0 && static_cast<size_t>(from) >= cells.size())
				return RowError{spec.name, "is missing: the row has " + std::to_string(cells.size()) +
				                               " fields but the header has " + std::to_string(header_width_) +
				                               " (a line cut short?)"};
			return RowError{spec.name, "is required but empty"};
		}
	}
	if (signed_amount_ >= 0)
		if (auto e = apply_sign(cells, out))
			return e;
	for (size_t g = 0; g < one_of_.size(); ++g)
		if (std::none_of(one_of_[g].begin(), one_of_[g].end(),
		                 [&](int f) { return f >= 0 && out.values[static_cast<size_t>(f)].has_value(); }))
			return RowError{kind_.one_of_required[g].fields.front(), kind_.one_of_required[g].reason};
	for (size_t r = 0; r < kind_.rules.size(); ++r)
		if (auto why = kind_.rules[r].check(RuleView(rule_inputs_[r], out.values)))
			return RowError{kind_.rules[r].field, *why};
	return std::nullopt;
}

std::optional<RowError> RowValidator::apply_sign(const std::vector<std::string_view> &cells, RowValues &out) const {
	const SignedAmount &sa = *kind_.signed_amount;
	auto &amount = out.values[static_cast<size_t>(signed_amount_)];
	std::optional<std::string_view> *direction =
	    direction_ >= 0 ? &out.values[static_cast<size_t>(direction_)] : nullptr;
	auto reversing = [&](std::string_view k) {
		return std::find(sa.reversing.begin(), sa.reversing.end(), k) != sa.reversing.end();
	};
	auto either = [&] { // "refund or credit_note", for the reasons (not built per row)
		std::string out;
		for (const auto &k : sa.reversing)
			out += (out.empty() ? "" : " or ") + k;
		return out;
	};
	// The staged amount keeps its sign: the merge stores its magnitude, and derives the direction itself when the
	// file and the mapping give none (a column less to stage per row).
	bool negative = amount && is_negative_amount(*amount);
	if (negative && direction_staged_) {
		if (*direction && !reversing(**direction)) {
			// "payment" from the row or a const: contradicts the sign; from a mapping's default: the sign wins.
			auto d = static_cast<size_t>(direction_);
			int col = binding_.column_of_field[d];
			bool said = binding_.sources[d].constant || (col >= 0 && static_cast<size_t>(col) < cells.size() &&
			                                             !trim(cells[static_cast<size_t>(col)]).empty());
			if (said)
				return RowError{sa.amount, "is negative (" + std::string(*amount) + "), a refund or credit note, but " +
				                               sa.kind_field + " is " + std::string(**direction) +
				                               ": a negative amount needs " + sa.kind_field + " " + either() +
				                               " (or empty); correct the sign or the " + sa.kind_field};
			*direction = std::nullopt;
		}
		if (!*direction)
			*direction = std::string_view(sa.negative_kind);
	}
	if (reverses_ >= 0 && out.values[static_cast<size_t>(reverses_)]) {
		std::string_view kind = direction && *direction ? **direction
		                        : negative              ? std::string_view(sa.negative_kind)
		                                                : std::string_view(sa.positive_kind);
		if (!reversing(kind))
			return RowError{sa.reverses, "names the " + kind_.table + " this row reverses, but the row is a " +
			                                 std::string(kind) + ": only a " + either() + " reverses one (give " +
			                                 sa.kind_field + " " + either() + ", or a negative amount)"};
	}
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
