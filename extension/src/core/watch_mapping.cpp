#include "oversight/core/watch_mapping.hpp"

#include <algorithm>
#include <cstdlib>

#include "oversight/core/error.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

namespace {

[[noreturn]] void refuse(const std::string &zh, const std::string &en, const std::string &hint = {}) {
	throw Error(sqlstate::invalid_parameter_value, zh + " / " + en, {}, hint);
}

std::string joined(const Values &values, const char *sep) {
	std::string out;
	for (const auto &v : values)
		out += (out.empty() ? "" : sep) + v;
	return out;
}

bool all_digits(const std::string &s, size_t from) {
	if (from >= s.size())
		return false;
	for (size_t i = from; i < s.size(); ++i)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

// "YYYY-MM-DD", a real day; days since 2000-01-01.
std::optional<int32_t> iso_date(const std::string &s) {
	if (s.size() != 10 || s[4] != '-' || s[7] != '-')
		return std::nullopt;
	for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
		if (s[i] < '0' || s[i] > '9')
			return std::nullopt;
	int y = std::atoi(s.substr(0, 4).c_str()), m = std::atoi(s.substr(5, 2).c_str()),
	    d = std::atoi(s.substr(8, 2).c_str());
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return std::nullopt;
	int32_t days = days_from_civil(y, m, d);
	int yy, mm, dd; // 2025-02-30 comes back as another day
	civil_from_days(days, yy, mm, dd);
	if (yy != y || mm != m || dd != d)
		return std::nullopt;
	return days;
}

// A JSON scalar given as a value, as text: strings as they are, numbers as written; nullopt otherwise.
std::optional<std::string> scalar_text(const Json &v) {
	if (v.is_string())
		return v.get<std::string>();
	if (v.is_number_integer() || v.is_number_unsigned())
		return v.dump();
	if (v.is_number_float())
		return json_decimal(v).str();
	if (v.is_boolean())
		return v.get<bool>() ? "true" : "false";
	return std::nullopt;
}

} // namespace

Json WatchMapping::columns_json() const {
	Json out = Json::object();
	for (const auto &[field, names] : columns)
		out[field] = column_lists.count(field) ? Json(names) : Json(names.front());
	return out;
}

const FieldValues *ValueMapping::find(int field) const {
	for (const auto &f : fields)
		if (f.field == field)
			return &f;
	return nullptr;
}

Json ValueMapping::json(RecordKind kind) const {
	Json out = Json::object();
	for (const auto &f : fields) {
		Json o = Json::object();
		if (!f.aliases.empty())
			o["values"] = f.aliases;
		if (f.constant)
			o["const"] = *f.constant;
		if (f.default_value)
			o["default"] = *f.default_value;
		out[record_fields(kind)[static_cast<size_t>(f.field)].name] = std::move(o);
	}
	return out;
}

std::optional<std::string> refuse_canonical_value(const ColumnSpec &column, const std::string &text,
                                                  std::string &canonical) {
	canonical = text;
	switch (column.type) {
	case FieldType::Text:
		if (column.values) {
			for (const auto &v : *column.values)
				if (v == text)
					return std::nullopt;
			return "不是 " + joined(*column.values, "、") + " 之一 / is not one of " + joined(*column.values, ", ");
		}
		if (column.domain == Domain::Currency) {
			bool iso = text.size() == 3;
			for (char c : text)
				iso = iso && c >= 'A' && c <= 'Z';
			if (!iso)
				return std::string(
				    "不是 ISO 4217 币种代码（三个大写字母） / is not an ISO 4217 currency code (three capital "
				    "letters)");
			return std::nullopt;
		}
		if (text.empty())
			return std::string("为空 / is empty");
		return std::nullopt;
	case FieldType::Decimal: {
		Decimal d;
		try {
			d = Decimal::parse(text);
		} catch (const Error &) {
			return std::string("不是数值 / is not a number");
		}
		if (column.domain == Domain::Amount && (d.units < 0 || !(d < Decimal::parse("1e15")) || d.units % 100 != 0))
			return std::string("不是有效金额（非负、小于 1e15、至多 4 位小数） / is not an amount (non-negative, below "
			                   "1e15, at most 4 decimals)");
		canonical = d.str();
		return std::nullopt;
	}
	case FieldType::Integer:
	case FieldType::BigInt: {
		if (!all_digits(text, text.size() > 0 && text[0] == '-' ? 1 : 0) || text.size() > 18)
			return std::string("不是整数 / is not a whole number");
		long long v = std::atoll(text.c_str());
		if (column.type == FieldType::Integer && (v < -2147483648LL || v > 2147483647LL))
			return std::string("超出整数范围 / is out of the integer range");
		if (column.domain == Domain::FiscalYear && (v < 1990 || v > 2200))
			return std::string("不是 1990 至 2200 之间的年度 / is not a fiscal year between 1990 and 2200");
		canonical = std::to_string(v);
		return std::nullopt;
	}
	case FieldType::Date: {
		auto days = iso_date(text);
		if (!days)
			return std::string("不是日期（YYYY-MM-DD） / is not a date (YYYY-MM-DD)");
		canonical = date_text(*days);
		return std::nullopt;
	}
	case FieldType::Bool:
		if (text == "true" || text == "false")
			return std::nullopt;
		return std::string("不是 true 或 false / is not true or false");
	case FieldType::Timestamp:
	case FieldType::Json:
		break;
	}
	return std::string(
	    "不能是常量或默认值（时间戳和 JSON 字段只取自列） / cannot be a constant or a default (time stamps "
	    "and JSON come from a column only)");
}

WatchMapping parse_watch_mapping(RecordKind kind, const Json &mapping) {
	const RecordKindSpec &spec = record_kind(kind);
	std::string field_list;
	for (const auto &f : spec.fields)
		field_list += (field_list.empty() ? "" : ", ") + std::string(f.name);
	if (!mapping.is_object())
		refuse("映射必须是 JSON 对象 {规范字段: 列名或映射}",
		       "the mapping must be a JSON object {canonical field: column or mapping}");
	WatchMapping out;
	for (auto m = mapping.begin(); m != mapping.end(); ++m) {
		const std::string &name = m.key();
		const Json &v = m.value();
		if (name == "@key") {
			if (!v.is_array() || v.empty())
				refuse("映射中的 \"@key\" 必须是列名数组", "mapping \"@key\" must be an array of column names");
			std::vector<std::string> key;
			for (const auto &c : v) {
				if (!c.is_string() || c.get<std::string>().empty())
					refuse("映射中的 \"@key\" 必须是列名数组", "mapping \"@key\" must be an array of column names");
				key.push_back(c.get<std::string>());
			}
			out.key = std::move(key);
			continue;
		}
		const int field = field_index(kind, name);
		if (field < 0)
			refuse("映射中的 \"" + name + "\" 不是记录类型 " + spec.name + " 的字段",
			       "mapping names \"" + name + "\", which is not a field of record kind " + spec.name,
			       "Fields: " + field_list + ".");
		const ColumnSpec &column = *spec.column(name);
		const std::string type = sql_type_name(column.type);
		if (v.is_string()) {
			if (v.get<std::string>().empty())
				refuse("字段 " + name + " 的列名为空", "the column of field " + name + " is empty");
			out.columns[name] = {v.get<std::string>()};
			continue;
		}
		if (!v.is_object())
			refuse("字段 " + name + " 的映射必须是列名或对象 {\"column\", \"values\", \"const\", \"default\"}",
			       "the mapping of field " + name +
			           " must be a column name or an object {\"column\", \"values\", \"const\", \"default\"}");
		FieldValues fv;
		fv.field = field;
		for (auto part = v.begin(); part != v.end(); ++part) {
			const std::string &what = part.key();
			const Json &pv = part.value();
			if (what == "column") {
				std::vector<std::string> names;
				for (const auto &c : pv.is_array() ? pv : Json::array({pv})) {
					if (!c.is_string() || c.get<std::string>().empty())
						refuse("字段 " + name + " 的 \"column\" 必须是列名或列名数组",
						       "\"column\" of field " + name + " must be a column name or an array of them");
					names.push_back(c.get<std::string>());
				}
				if (names.empty())
					refuse("字段 " + name + " 的 \"column\" 必须是列名或列名数组",
					       "\"column\" of field " + name + " must be a column name or an array of them");
				out.columns[name] = std::move(names);
				if (pv.is_array())
					out.column_lists.insert(name);
			} else if (what == "values") {
				if (column.type != FieldType::Text)
					refuse("字段 " + name + " 的类型是 " + type + "：值映射只用于文本字段",
					       "value mappings apply to text fields; field " + name + " is " + type);
				if (!pv.is_object() || pv.empty())
					refuse("字段 " + name + " 的 \"values\" 必须是非空对象 {源值: 规范值}",
					       "\"values\" of field " + name +
					           " must be a non-empty object {source value: canonical value}");
				for (auto a = pv.begin(); a != pv.end(); ++a) {
					auto target = scalar_text(a.value());
					std::string canonical;
					if (!a.value().is_string())
						refuse("字段 " + name + " 的值映射 \"" + a.key() + "\" 的目标必须是字符串",
						       "value mapping of field " + name + ": the target of \"" + a.key() +
						           "\" must be a string");
					if (auto why = refuse_canonical_value(column, *target, canonical))
						refuse("字段 " + name + " 的值映射 \"" + a.key() + "\" → \"" + *target + "\"：目标值" +
						           why->substr(0, why->find(" / ")),
						       "value mapping of field " + name + ": \"" + a.key() + "\" → \"" + *target +
						           "\": the target " + why->substr(why->find(" / ") + 3));
					fv.aliases[a.key()] = canonical;
				}
			} else if (what == "const" || what == "default") {
				const char *zh = what == "const" ? "常量" : "默认值";
				auto text = scalar_text(pv);
				std::string canonical;
				if (!text)
					refuse("字段 " + name + " 的" + zh + "必须是字符串或数值",
					       "the " + what + " of field " + name + " must be a string or a number");
				if (auto why = refuse_canonical_value(column, *text, canonical))
					refuse("字段 " + name + " 的" + zh + " \"" + *text + "\" " + why->substr(0, why->find(" / ")),
					       "the " + what + " \"" + *text + "\" of field " + name + " " +
					           why->substr(why->find(" / ") + 3));
				(what == "const" ? fv.constant : fv.default_value) = canonical;
			} else {
				refuse("字段 " + name + " 的映射中有未知的键 \"" + what + "\"（可用 column、values、const、default）",
				       "the mapping of field " + name + " has an unknown key \"" + what +
				           "\" (column, values, const, default)");
			}
		}
		if (fv.constant && (out.columns.count(name) || !fv.aliases.empty() || fv.default_value))
			refuse("字段 " + name + " 的常量给每一行同一个值，不能与列、值映射或默认值同时使用",
			       "const gives every row of " + name +
			           " the same value; it cannot be combined with column, values or default");
		if (!fv.constant && !fv.default_value && fv.aliases.empty() && !out.columns.count(name))
			refuse("字段 " + name + " 的映射是空的", "the mapping of field " + name + " is empty");
		if (fv.constant || fv.default_value || !fv.aliases.empty())
			out.values.fields.push_back(std::move(fv));
	}
	// Field order: the stored form and the SQL are the same whichever order the JSON had.
	std::sort(out.values.fields.begin(), out.values.fields.end(),
	          [](const FieldValues &a, const FieldValues &b) { return a.field < b.field; });
	return out;
}

std::string mapped_field_sql(const FieldValues &values, FieldType type, const std::string &column_sql) {
	const std::string type_name = std::string("pg_catalog.") + sql_type_name(type);
	if (values.constant)
		return sql_literal(*values.constant) + "::" + type_name;
	std::string expr = column_sql;
	if (!expr.empty() && !values.aliases.empty()) {
		std::string cases = "CASE " + expr;
		for (const auto &[from, to] : values.aliases)
			cases += " WHEN " + sql_literal(from) + " THEN " + sql_literal(to);
		expr = cases + " ELSE " + expr + " END";
	}
	if (values.default_value) {
		const std::string fallback = sql_literal(*values.default_value) + "::" + type_name;
		expr = expr.empty() ? fallback : "COALESCE(" + expr + ", " + fallback + ")";
	}
	return expr.empty() ? "NULL::" + type_name : expr;
}

Value field_value(FieldType type, const std::string &canonical) {
	Value v;
	v.null = false;
	v.text = canonical;
	switch (type) {
	case FieldType::Decimal:
		v.dec = Decimal::parse(canonical);
		break;
	case FieldType::Integer:
	case FieldType::BigInt:
		v.integer = std::atoll(canonical.c_str());
		break;
	case FieldType::Bool:
		v.integer = canonical == "true" ? 1 : 0;
		break;
	case FieldType::Date:
		v.date = iso_date(canonical).value_or(0);
		break;
	case FieldType::Text:
	case FieldType::Timestamp:
	case FieldType::Json:
		break;
	}
	return v;
}

} // namespace oversight::core
