#include "core/mapping.hpp"

#include "core/sha256.hpp"
#include "core/values.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

namespace oversight::loader {
namespace {

std::vector<std::string> split_on(std::string_view text, char separator) {
	std::vector<std::string> out;
	size_t start = 0;
	for (;;) {
		size_t at = text.find(separator, start);
		std::string item(trim(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start)));
		if (!item.empty())
			out.push_back(item);
		if (at == std::string_view::npos)
			break;
		start = at + 1;
	}
	return out;
}

bool quoted(const std::string &s, char q) {
	return s.size() >= 2 && s.front() == q && s.back() == q;
}

// "const:" in "const:CNY": a lower-case ASCII word and a colon; empty when the item does not start so.
std::string directive_of(const std::string &item) {
	size_t i = 0;
	while (i < item.size() && (std::islower(static_cast<unsigned char>(item[i])) || item[i] == '_'))
		++i;
	return i > 0 && i < item.size() && item[i] == ':' ? item.substr(0, i) : std::string();
}

std::string join(const std::vector<std::string> &v, const std::string &sep) {
	std::string out;
	for (const auto &s : v)
		out += (out.empty() ? "" : sep) + s;
	return out;
}

// The column whose header matches one of `names` (first name first); -1 when none.
int find_column(const std::vector<std::string> &normalised_header, const std::vector<std::string> &names) {
	for (const auto &n : names) {
		std::string want = normalise_label(n);
		for (size_t col = 0; col < normalised_header.size(); ++col)
			if (normalised_header[col] == want)
				return static_cast<int>(col);
	}
	return -1;
}

} // namespace

std::string normalise_label(const std::string &label) {
	std::string folded = fold_fullwidth(label);
	std::string out;
	for (char c : trim(folded)) // trim() also drops an Excel BOM that survived on the first header
		if (c != ' ' && c != '\t')
			out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
	return out;
}

ParsedValue parse_field_value(const FieldSpec &spec, std::string_view text, DateOrder order) {
	switch (spec.type) {
	case FieldType::text:
		return ParsedValue::success(std::string(text));
	case FieldType::code:
		return is_code(text) ? ParsedValue::success(std::string(text))
		                     : ParsedValue::failure("is not a valid code (letters, digits, _ . - ; at most 64)");
	case FieldType::amount:
		return parse_amount(text);
	case FieldType::date:
		return parse_date(text, order);
	case FieldType::timestamp:
		return parse_timestamp(text, order);
	case FieldType::integer:
		return parse_integer(text, spec.min_value, spec.max_value);
	case FieldType::boolean:
		return parse_boolean(text);
	case FieldType::currency:
		return parse_currency(text);
	case FieldType::enumeration:
		for (const auto &a : spec.allowed)
			if (iequals(a, text))
				return ParsedValue::success(a);
		return ParsedValue::failure("is not one of " + join(spec.allowed, ", ") + " (add an alias under [values." +
		                            spec.name + "] in the mapping file)");
	}
	return ParsedValue::failure("has an unknown type");
}

Mapping Mapping::parse(const std::string &text, const std::string &source, const RecordKind &kind) {
	Mapping m;
	m.source = source;
	Sha256 digest; // of the bytes as read: the shipped default mapping too
	digest.update(text);
	m.sha256 = digest.hex_digest();
	std::istringstream in(text);
	std::string line, section;
	bool in_section = false;
	int line_no = 0;
	std::map<std::string, int> const_line, other_line, key_line; // where a field got its constant / other sources
	std::map<std::string, int> built_line;                       // key: under [columns]
	auto key_parts = [](std::string_view text) {                 // 'literal' + column + …
		std::vector<KeyPart> parts;
		for (auto &part : split_on(text, '+'))
			parts.push_back(quoted(part, '\'') || quoted(part, '"') ? KeyPart{part.substr(1, part.size() - 2), true}
			                                                        : KeyPart{part, false});
		return parts;
	};
	std::map<std::string, int> settings_seen;
	auto fail = [&](const std::string &why) {
		throw MappingError(source + ":" + std::to_string(line_no) + ": " + why);
	};
	auto field_of = [&](const std::string &name) -> const FieldSpec & {
		const FieldSpec *spec = kind.field(name);
		if (!spec)
			fail("no field \"" + name + "\" in record kind " + kind.command + " (oversight-load fields " +
			     kind.command + " lists them)");
		return *spec;
	};
	auto canonical = [&](const FieldSpec &spec, const std::string &value, const std::string &what) {
		ParsedValue v = parse_field_value(spec, value, m.date_order);
		if (!v.ok())
			fail(what + " \"" + value + "\" of " + spec.name + " " + v.error);
		if (spec.type == FieldType::amount && is_negative_amount(*v.value) &&
		    !(kind.signed_amount && kind.signed_amount->amount == spec.name))
			fail(what + " \"" + value + "\" of " + spec.name +
			     " is negative: only payments can be refunds or credit "
			     "notes");
		return *v.value;
	};
	while (std::getline(in, line)) {
		++line_no;
		std::string_view l = trim(line); // a BOM too
		if (l.empty() || l.front() == '#')
			continue;
		if (l.front() == '[') {
			if (l.back() != ']')
				fail("section header must end with ]");
			section = std::string(trim(l.substr(1, l.size() - 2)));
			in_section = true;
			if (section != "columns" && section.rfind("values.", 0) != 0)
				fail("unknown section [" + section + "] (expected [columns] or [values.FIELD])");
			if (section.rfind("values.", 0) == 0)
				field_of(section.substr(7));
			continue;
		}
		size_t eq = l.find('=');
		if (eq == std::string_view::npos)
			fail("expected NAME = VALUE");
		std::string name(trim(l.substr(0, eq)));
		std::string_view rhs = trim(l.substr(eq + 1));
		if (!in_section) { // settings of the file
			if (!settings_seen.emplace(name, line_no).second &&
			    (name == "encoding" || name == "date_order" || name == "key"))
				fail(name + " is set twice (first at line " + std::to_string(settings_seen[name]) + ")");
			if (name == "encoding") {
				try {
					m.encoding = parse_encoding_name(std::string(rhs));
				} catch (const std::invalid_argument &e) {
					fail(e.what());
				}
			} else if (name == "date_order") {
				auto order = parse_date_order(rhs);
				if (!order)
					fail("date_order must be dmy, mdy or ymd, not \"" + std::string(rhs) + "\"");
				m.date_order = *order;
			} else if (name == "key") {
				if (kind.key.size() != 1)
					fail("key = builds a one-field key; the key of " + kind.command + " is (" + join(kind.key, ", ") +
					     "): give each of its fields a column under [columns]");
				m.key = key_parts(rhs);
				if (m.key.empty())
					fail("key = needs at least one column or 'literal'");
				key_line[kind.key.front()] = line_no;
			} else {
				fail("unknown setting \"" + name +
				     "\" (the settings before any section are encoding, date_order and key; fields go under "
				     "[columns])");
			}
			continue;
		}
		if (section == "columns") {
			const FieldSpec &spec = field_of(name);
			for (std::string item : split_on(rhs, '|')) {
				std::string directive = quoted(item, '"') ? std::string() : directive_of(item);
				std::string arg =
				    directive.empty() ? std::string() : std::string(trim(item.substr(directive.size() + 1)));
				if (!directive.empty() && arg.empty())
					fail(directive + ": needs a value");
				if (directive.empty()) {
					m.column_aliases[name].push_back(quoted(item, '"') ? item.substr(1, item.size() - 2) : item);
					other_line[name] = line_no;
				} else if (directive == "const") {
					m.constants[name] = canonical(spec, arg, "constant");
					const_line[name] = line_no;
				} else if (directive == "default") {
					m.defaults[name] = canonical(spec, arg, "default");
					other_line[name] = line_no;
				} else if (directive == "year") {
					if (spec.type != FieldType::integer)
						fail("year: fills a whole-number field such as fiscal_year, not " + name);
					m.year_of[name].push_back(arg);
					other_line[name] = line_no;
				} else if (directive == "key") {
					if (kind.key.size() == 1 && kind.key.front() == name)
						fail("the key " + name + " is built by key = before any section, not by key: under [columns]");
					if (spec.type != FieldType::text && spec.type != FieldType::code)
						fail("key: builds a code from columns and 'literals'; " + name + " is not a code");
					m.built[name] = key_parts(arg);
					built_line[name] = line_no;
				} else if (directive == "by_name") {
					if (!spec.references || (spec.references->table != "party" && spec.references->table != "org_unit"))
						fail("by_name: finds parties and org units by name; " + name + " refers to " +
						     (spec.references ? "oversight." + spec.references->table : std::string("no table")));
					m.by_name[name].push_back(arg);
					other_line[name] = line_no;
				} else {
					fail("unknown directive \"" + directive +
					     ":\" (const:, default:, year:, by_name: or key:; a header that really starts so is written in "
					     "double quotes: \"" +
					     item + "\")");
				}
			}
		} else {
			std::string field = section.substr(7);
			const FieldSpec &spec = *kind.field(field);
			std::string value = canonical(spec, name, "value");
			for (const auto &a : split_on(rhs, '|')) {
				m.value_spellings[field].emplace(a, value);
				auto [it, added] = m.value_aliases[field].emplace(normalise_label(a), value);
				if (!added && it->second != value)
					fail("\"" + a + "\" is already an alias of " + it->second + " under [values." + field + "]");
			}
		}
	}
	for (const auto &[field, at] : const_line)
		if (other_line.count(field) || key_line.count(field)) {
			line_no = std::max(at, other_line.count(field) ? other_line[field] : key_line[field]);
			fail("const: gives every row of " + field +
			     " the same value; it cannot be combined with headers, default:, year:, by_name: or key =");
		}
	for (const auto &[field, at] : built_line)
		if (other_line.count(field) || const_line.count(field)) {
			line_no = at;
			fail("key: builds " + field +
			     " from columns and 'literals'; it cannot be combined with headers, const:, default:, year: or "
			     "by_name:");
		}
	for (const auto &[field, at] : key_line)
		if (m.column_aliases.count(field) || m.year_of.count(field) || m.by_name.count(field)) {
			line_no = std::max(at, other_line[field]);
			fail("key = builds " + field + " from several columns; it cannot also have columns under [columns]");
		}
	return m;
}

Mapping Mapping::load(const std::string &path, const RecordKind &kind) {
	std::ifstream in(path, std::ios::binary);
	if (!in)
		throw MappingError(path + ": cannot read mapping file");
	std::ostringstream text;
	text << in.rdbuf();
	return parse(text.str(), path, kind);
}

std::string Mapping::canonical_value(const std::string &field, const std::string &value) const {
	auto f = value_aliases.find(field);
	if (f == value_aliases.end())
		return value;
	auto v = f->second.find(normalise_label(value));
	return v == f->second.end() ? value : v->second;
}

bool HeaderBinding::has(int field_index) const {
	auto f = static_cast<size_t>(field_index);
	return column_of_field[f] >= 0 || !sources[f].is_simple();
}

bool HeaderBinding::provides(int field_index) const {
	return has(field_index) || sources[static_cast<size_t>(field_index)].sign_of >= 0;
}

HeaderBinding bind_header(const std::vector<std::string> &header, const Mapping &mapping, const RecordKind &kind,
                          const std::map<std::string, std::string> &overrides) {
	HeaderBinding b;
	size_t n = kind.fields.size();
	b.column_of_field.assign(n, -1);
	b.sources.assign(n, {});
	std::vector<std::string> normalised;
	for (const auto &h : header)
		normalised.push_back(normalise_label(h));
	std::vector<bool> used(header.size(), false);
	auto use = [&](int col) {
		if (col >= 0)
			used[static_cast<size_t>(col)] = true;
		return col;
	};
	for (size_t f = 0; f < n; ++f) {
		const std::string &name = kind.fields[f].name;
		if (mapping.constants.count(name))
			continue; // a constant takes no column, even one named like the field
		std::vector<std::string> candidates{name};
		auto aliases = mapping.column_aliases.find(name);
		if (aliases != mapping.column_aliases.end())
			candidates.insert(candidates.end(), aliases->second.begin(), aliases->second.end());
		if (!(mapping.key.size() && kind.key.front() == name))
			b.column_of_field[f] = use(find_column(normalised, candidates));
	}
	for (size_t f = 0; f < n; ++f) {
		const FieldSpec &spec = kind.fields[f];
		FieldSource &src = b.sources[f];
		if (auto c = mapping.constants.find(spec.name); c != mapping.constants.end())
			src.constant = c->second;
		if (auto o = overrides.find(spec.name); o != overrides.end()) {
			src.constant = o->second;
			src.constant_checks_column = b.column_of_field[f] >= 0;
		}
		if (auto d = mapping.defaults.find(spec.name); d != mapping.defaults.end())
			src.default_value = d->second;
		if (auto y = mapping.year_of.find(spec.name); y != mapping.year_of.end())
			for (const auto &from : y->second) { // a field name first, then a header
				int field = kind.field_index(from);
				int col = field >= 0 ? b.column_of_field[static_cast<size_t>(field)] : -1;
				if (col < 0)
					col = find_column(normalised, {from});
				if (col >= 0 && src.year_column < 0)
					src.year_column = use(col);
			}
		if (auto by = mapping.by_name.find(spec.name); by != mapping.by_name.end())
			src.name_column = use(find_column(normalised, by->second));
		const std::vector<KeyPart> *parts = !mapping.key.empty() && kind.key.front() == spec.name ? &mapping.key
		                                    : mapping.built.count(spec.name) ? &mapping.built.at(spec.name)
		                                                                     : nullptr;
		if (parts) { // a part's column missing from the file: the field is not provided
			bool complete = true;
			for (const auto &part : *parts) {
				int col = part.literal ? -1 : use(find_column(normalised, {part.text}));
				complete = complete && (part.literal || col >= 0);
				src.key_columns.push_back(col);
				src.key_literals.push_back(part.literal ? part.text : std::string());
			}
			if (!complete)
				src.key_columns.clear(), src.key_literals.clear();
		}
		bool provided = b.column_of_field[f] >= 0 || src.constant || src.default_value || src.year_column >= 0 ||
		                src.name_column >= 0 || !src.key_columns.empty() || !spec.default_value.empty();
		if (spec.required && !provided)
			b.missing_required.push_back(spec.name);
	}
	// The direction of a signed amount (payment_kind) is provided whenever the amount is: a negative amount makes it.
	if (kind.signed_amount) {
		int amount = kind.field_index(kind.signed_amount->amount);
		int direction = kind.field_index(kind.signed_amount->kind_field);
		if (amount >= 0 && direction >= 0 && b.has(amount))
			b.sources[static_cast<size_t>(direction)].sign_of = amount;
	}
	for (const auto &group : kind.one_of_required) {
		bool any = false;
		for (const auto &name : group.fields) {
			int f = kind.field_index(name);
			any = any || (f >= 0 && b.has(f));
		}
		if (!any)
			b.missing_required.push_back(join(group.fields, " or "));
	}
	for (size_t col = 0; col < header.size(); ++col)
		if (!used[col])
			b.unmapped_headers.push_back(header[col]);
	return b;
}

std::string describe_source(const HeaderBinding &b, const std::vector<std::string> &header, const Mapping &mapping,
                            const RecordKind &kind, size_t f) {
	const FieldSpec &spec = kind.fields[f];
	const FieldSource &src = b.sources[f];
	auto column = [&](int col) {
		return "column " + std::to_string(col + 1) + " \"" + header[static_cast<size_t>(col)] + "\"";
	};
	std::vector<std::string> parts;
	if (src.constant && !src.constant_checks_column)
		parts.push_back("constant " + *src.constant);
	if (src.constant && src.constant_checks_column)
		parts.push_back("constant " + *src.constant + " (--currency), checked against " + column(b.column_of_field[f]));
	else if (b.column_of_field[f] >= 0)
		parts.push_back(column(b.column_of_field[f]));
	if (!src.key_columns.empty()) {
		std::vector<std::string> items;
		for (size_t i = 0; i < src.key_columns.size(); ++i)
			items.push_back(src.key_columns[i] < 0 ? "'" + src.key_literals[i] + "'" : column(src.key_columns[i]));
		parts.push_back(mapping.built.count(spec.name)
		                    ? "built from " + join(items, " + ") + ", joined by - (none when those columns are empty)"
		                    : "key built from " + join(items, " + ") + ", joined by -");
	}
	if (src.name_column >= 0)
		parts.push_back("by name: " + column(src.name_column) + " → oversight." + spec.references->table +
		                (spec.references->table == "party" ? " (a party is created when no name matches)"
		                                                   : " (name_zh or name_en)"));
	if (src.year_column >= 0)
		parts.push_back("the year of " + column(src.year_column));
	if (src.default_value)
		parts.push_back("default " + *src.default_value + " (mapping)");
	else if (!spec.default_value.empty())
		parts.push_back("default " + spec.default_value + " (record kind)");
	if (src.sign_of >= 0 && kind.signed_amount && !src.constant) {
		const SignedAmount &sa = *kind.signed_amount;
		parts.push_back("the sign of " + sa.amount + ": " + sa.negative_kind +
		                " when negative (the magnitude is stored)" +
		                (src.default_value ? "" : ", else " + sa.positive_kind + " (the column's default)"));
	}
	std::string out = join(parts, "; else ");
	if (out.empty())
		out = spec.required ? "MISSING: required, and nothing provides it" : "blind (not provided)";
	if (auto v = mapping.value_aliases.find(spec.name);
	    v != mapping.value_aliases.end() && !(src.constant && !src.constant_checks_column))
		out += "; values through [values." + spec.name + "] (" + std::to_string(v->second.size()) + " aliases)";
	if ((spec.type == FieldType::date || spec.type == FieldType::timestamp) && b.column_of_field[f] >= 0 &&
	    mapping.date_order != DateOrder::unspecified)
		out += "; date_order " + std::string(date_order_name(mapping.date_order));
	return out;
}

} // namespace oversight::loader
