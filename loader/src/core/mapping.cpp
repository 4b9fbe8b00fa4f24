#include "core/mapping.hpp"

#include "core/values.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

namespace oversight::loader {
namespace {

std::vector<std::string> split_aliases(std::string_view text) {
	std::vector<std::string> out;
	size_t start = 0;
	for (;;) {
		size_t bar = text.find('|', start);
		std::string alias(
		    trim(text.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start)));
		if (!alias.empty())
			out.push_back(alias);
		if (bar == std::string_view::npos)
			break;
		start = bar + 1;
	}
	return out;
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

Mapping Mapping::parse(const std::string &text, const std::string &source, const RecordKind &kind) {
	Mapping m;
	m.source = source;
	std::istringstream in(text);
	std::string line, section;
	int line_no = 0;
	auto fail = [&](const std::string &why) {
		throw MappingError(source + ":" + std::to_string(line_no) + ": " + why);
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
			if (section != "columns" && section.rfind("values.", 0) != 0)
				fail("unknown section [" + section + "] (expected [columns] or [values.FIELD])");
			if (section.rfind("values.", 0) == 0 && !kind.field(section.substr(7)))
				fail("no field \"" + section.substr(7) + "\" in record kind " + kind.command);
			continue;
		}
		size_t eq = l.find('=');
		if (eq == std::string_view::npos)
			fail("expected NAME = ALIAS | ALIAS …");
		std::string name(trim(l.substr(0, eq)));
		auto aliases = split_aliases(l.substr(eq + 1));
		if (section.empty())
			fail("entry before any [section]");
		if (section == "columns") {
			if (!kind.field(name))
				fail("no field \"" + name + "\" in record kind " + kind.command);
			auto &list = m.column_aliases[name];
			list.insert(list.end(), aliases.begin(), aliases.end());
		} else {
			std::string field = section.substr(7);
			const FieldSpec *spec = kind.field(field);
			if (spec->type == FieldType::enumeration) {
				bool known = false;
				for (const auto &a : spec->allowed)
					known = known || a == name;
				if (!known)
					fail("\"" + name + "\" is not a value of " + field);
			}
			for (const auto &a : aliases)
				m.value_aliases[field][normalise_label(a)] = name;
		}
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

HeaderBinding bind_header(const std::vector<std::string> &header, const Mapping &mapping, const RecordKind &kind) {
	HeaderBinding b;
	b.column_of_field.assign(kind.fields.size(), -1);
	std::vector<std::string> normalised;
	for (const auto &h : header)
		normalised.push_back(normalise_label(h));
	std::vector<bool> used(header.size(), false);
	for (size_t f = 0; f < kind.fields.size(); ++f) {
		std::vector<std::string> candidates{kind.fields[f].name};
		auto aliases = mapping.column_aliases.find(kind.fields[f].name);
		if (aliases != mapping.column_aliases.end())
			candidates.insert(candidates.end(), aliases->second.begin(), aliases->second.end());
		for (const auto &c : candidates) {
			std::string want = normalise_label(c);
			for (size_t col = 0; col < header.size() && b.column_of_field[f] < 0; ++col)
				if (normalised[col] == want) {
					b.column_of_field[f] = static_cast<int>(col);
					used[col] = true;
				}
			if (b.column_of_field[f] >= 0)
				break;
		}
		if (b.column_of_field[f] < 0 && kind.fields[f].required && kind.fields[f].default_value.empty())
			b.missing_required.push_back(kind.fields[f].name);
	}
	for (size_t col = 0; col < header.size(); ++col)
		if (!used[col])
			b.unmapped_headers.push_back(header[col]);
	return b;
}

} // namespace oversight::loader
