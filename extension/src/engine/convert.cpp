// Tuple -> core::Record conversion (only the fields row rules and pre-filters read), and the alert key
// and unit of a row (engine_internal.hpp).
#include "engine_internal.hpp"

#include <algorithm>

extern "C" {
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"
}

namespace oversight::engine {

namespace {
constexpr size_t max_fields = 64;

bool is_integer_type(Oid t) {
	return t == INT2OID || t == INT4OID || t == INT8OID;
}
} // namespace

struct Converter::Raw {
	bool isnull;
	Datum d;
	char *cstr;
	int len; // text: length of cstr (not NUL-terminated); -1 otherwise
};

Converter::Converter(const WatchConfig &cfg, const std::vector<int> &fields, TupleDesc tupdesc) : cfg_(cfg) {
	// Each mapped field once, however many rules read it.
	for (const auto &b : cfg_.fields)
		if (std::find(fields.begin(), fields.end(), b.field) != fields.end())
			needed_.push_back(&b);
	if (needed_.size() > max_fields)
		throw core::Error(core::sqlstate::internal_error, "too many fields");
	tz_ = pg::timezone(cfg_.timezone);
	if (!tz_)
		throw core::Error(core::sqlstate::invalid_parameter_value,
		                  "setting timezone = \"" + cfg_.timezone + "\" is not a time zone");
	scratch_ = pg::new_memory_context("oversight engine scratch");
	out_funcs_.resize(needed_.size());
	use_out_func_.resize(needed_.size());
	for (const auto *b : needed_)
		field_types_.push_back(core::record_fields(cfg_.kind())[static_cast<size_t>(b->field)].type);
	for (size_t i = 0; i < needed_.size(); ++i) {
		Oid t = needed_[i]->base_type;
		bool special = t == TEXTOID || t == VARCHAROID || t == BPCHAROID || t == NUMERICOID || t == DATEOID ||
		               t == TIMESTAMPTZOID || t == TIMESTAMPOID || is_integer_type(t) || t == BOOLOID;
		use_out_func_[i] = !special;
		if (!special)
			pg::output_function(t, &out_funcs_[i]);
	}
	// Key and unit columns, resolved once per batch.
	for (const auto &k : cfg_.shape.key_columns) {
		Column c;
		c.name = k;
		key_columns_.push_back(c);
		resolve(key_columns_.back(), tupdesc);
	}
	for (const auto &c : key_columns_) {
		core::KeyPart part;
		part.name = &c.name;
		part.kind = is_integer_type(c.type) || c.type == NUMERICOID ? core::KeyValue::Number
		            : c.type == BOOLOID                             ? core::KeyValue::Bool
		                                                            : core::KeyValue::Text;
		key_parts_.push_back(part);
	}
	// The value mapping of the fields asked for (the same definition the set-based SQL reads).
	const auto &kind_fields = core::record_fields(cfg_.kind());
	for (int f : fields) {
		const core::FieldValues *values = cfg_.shape.values.find(f);
		if (!values)
			continue;
		bool has_column = false;
		for (const auto &b : cfg_.fields)
			has_column = has_column || b.field == f;
		const core::FieldType type = kind_fields[static_cast<size_t>(f)].type;
		if (!has_column) { // a constant, or a default alone
			const std::string &value = values->constant ? *values->constant : *values->default_value;
			bool seen = false;
			for (const auto &c : constants_)
				seen = seen || c.first == static_cast<size_t>(f);
			if (!seen)
				constants_.push_back({static_cast<size_t>(f), core::field_value(type, value)});
			continue;
		}
		bool seen = false;
		for (const auto &m : mapped_)
			seen = seen || m.field == static_cast<size_t>(f);
		if (!seen)
			mapped_.push_back(mapped_field(*values, f, type));
	}
	const char *unit = core::unit_field(cfg_.kind());
	if (unit) {
		const int unit_index = core::field_index(cfg_.kind(), unit);
		const core::FieldValues *values = cfg_.shape.values.find(unit_index);
		for (const auto &b : cfg_.fields)
			if (b.field == unit_index) {
				unit_column_.name = b.column;
				resolve(unit_column_, tupdesc);
				has_unit_ = true;
			}
		if (values && !has_unit_ &&
		    values->provides_without_column()) // no column: the constant (or default) is every row's unit
			unit_constant_ = values->constant ? *values->constant : *values->default_value;
		else if (values)
			unit_mapping_ = mapped_field(*values, unit_index, core::FieldType::Text);
	}
}

Converter::MappedField Converter::mapped_field(const core::FieldValues &values, int field, core::FieldType type) {
	MappedField m;
	m.field = static_cast<size_t>(field);
	m.aliases.insert(values.aliases.begin(), values.aliases.end());
	if (values.default_value) {
		m.has_default = true;
		m.default_value = core::field_value(type, *values.default_value);
	}
	return m;
}

void Converter::resolve(Column &c, TupleDesc tupdesc) {
	c.attnum = pg::column_number(tupdesc, c.name);
	if (c.attnum <= 0)
		throw core::Error("42703", "watched table " + cfg_.table_name() + " has no key column \"" + c.name + "\"");
	Oid atttype = TupleDescAttr(tupdesc, c.attnum - 1)->atttypid;
	c.type = pg::base_type(atttype);
	pg::output_function(atttype, &c.out);
}

int32_t Converter::local_date(TimestampTz ts) {
	if (have_last_ && ts == last_ts_)
		return last_date_;
	int y, m, d;
	last_date_ = pg::local_date(ts, tz_, y, m, d) ? core::days_from_civil(y, m, d) : 0;
	last_ts_ = ts;
	have_last_ = true;
	return last_date_;
}

// Reads the needed attributes of the row in slot in one pass: the datums, and the text of those read
// as text (in place for text, through the output function otherwise), allocated in the scratch context.
void Converter::fetch(TupleTableSlot *slot, Raw *raw) {
	pg_call([&] {
		MemoryContext old = MemoryContextSwitchTo(scratch_);
		for (size_t i = 0; i < needed_.size(); ++i) {
			const FieldBinding *b = needed_[i];
			raw[i].d = slot_getattr(slot, b->attnum, &raw[i].isnull);
			raw[i].cstr = nullptr;
			raw[i].len = -1;
			if (raw[i].isnull)
				continue;
			Oid t = b->base_type;
			if (use_out_func_[i])
				raw[i].cstr = OutputFunctionCall(&out_funcs_[i], raw[i].d);
			else if (t == TEXTOID || t == VARCHAROID || t == BPCHAROID) {
				// the text in place (a copy only when compressed or out of line)
				text *tx = pg_detoast_datum_packed(reinterpret_cast<text *>(DatumGetPointer(raw[i].d)));
				raw[i].cstr = VARDATA_ANY(tx);
				raw[i].len = static_cast<int>(VARSIZE_ANY_EXHDR(tx));
				// char(n) pads with spaces, which its cast to text (the set-based SQL's view) drops: so here too
				while (t == BPCHAROID && raw[i].len > 0 && raw[i].cstr[raw[i].len - 1] == ' ')
					--raw[i].len;
			} else if (t == NUMERICOID)
				raw[i].cstr = DatumGetCString(DirectFunctionCall1(numeric_out, raw[i].d));
		}
		if (cfg_.provenance_attnum > 0) { // the load that wrote the row (a bigint: no conversion)
			Datum d = slot_getattr(slot, cfg_.provenance_attnum, &load_null_);
			load_id_ = load_null_ ? 0 : DatumGetInt64(d);
		}
		MemoryContextSwitchTo(old);
	});
}

void Converter::convert(TupleTableSlot *slot, core::Record &record) {
	const size_t n = needed_.size();
	Raw raw[max_fields];
	fetch(slot, raw);
	for (size_t i = 0; i < n; ++i) {
		const FieldBinding *b = needed_[i];
		core::Value &v = record.fields[static_cast<size_t>(b->field)];
		v.null = true; // reset in place: the text keeps its buffer from row to row
		v.text.clear();
		v.dec = core::Decimal{};
		v.integer = 0;
		v.date = 0;
		v.micros = 0;
		if (raw[i].isnull)
			continue;
		v.null = false;
		const core::FieldType ft = field_types_[i];
		Oid t = b->base_type;
		if (raw[i].cstr) {
			if (raw[i].len >= 0)
				v.text.assign(raw[i].cstr, static_cast<size_t>(raw[i].len));
			else
				v.text = raw[i].cstr;
			if (ft == core::FieldType::Decimal)
				v.dec = core::Decimal::parse(v.text);
			else if (ft == core::FieldType::Integer)
				v.integer = core::Decimal::parse(v.text).units / core::Decimal::scale;
			continue;
		}
		switch (t) {
		case DATEOID:
			v.date = DatumGetDateADT(raw[i].d);
			break;
		case TIMESTAMPTZOID:
			v.micros = DatumGetTimestampTz(raw[i].d);
			v.date = local_date(v.micros);
			break;
		case TIMESTAMPOID: { // a timestamp without zone is read as local time of the bureau
			Timestamp ts = DatumGetTimestamp(raw[i].d);
			v.micros = ts;
			v.date = static_cast<int32_t>(ts >= 0 ? ts / USECS_PER_DAY : -((-ts + USECS_PER_DAY - 1) / USECS_PER_DAY));
			break;
		}
		case INT2OID:
			v.integer = DatumGetInt16(raw[i].d);
			break;
		case INT4OID:
			v.integer = DatumGetInt32(raw[i].d);
			break;
		case INT8OID:
			v.integer = DatumGetInt64(raw[i].d);
			break;
		case BOOLOID:
			v.integer = DatumGetBool(raw[i].d) ? 1 : 0;
			break;
		default:
			break;
		}
		if (ft == core::FieldType::Decimal && is_integer_type(t))
			v.dec = core::Decimal::from_int(v.integer);
		if (ft == core::FieldType::Text && is_integer_type(t))
			v.text = std::to_string(v.integer);
	}
	MemoryContextReset(scratch_); // frees the strings; cannot raise
	// The watch's value mapping, as mapped_field_sql() writes it for the set-based SQL: aliases of the
	// column's text, then the default for NULL; constants for fields without a column.
	for (const auto &m : mapped_) {
		core::Value &v = record.fields[m.field];
		if (v.null) {
			if (m.has_default)
				v = m.default_value;
		} else if (!m.aliases.empty()) {
			auto it = m.aliases.find(v.text);
			if (it != m.aliases.end())
				v.text = it->second;
		}
	}
	for (const auto &[field, value] : constants_)
		record.fields[field] = value;
}

bool Converter::column_text(TupleTableSlot *slot, const Column &c, std::string &out) {
	char *s = pg::output_text(slot, c.attnum, const_cast<FmgrInfo *>(&c.out), scratch_);
	if (!s)
		return false;
	out = s;
	MemoryContextReset(scratch_); // cannot raise
	return true;
}

std::string Converter::key_json(TupleTableSlot *slot) {
	for (size_t k = 0; k < key_columns_.size(); ++k)
		key_parts_[k].null = !column_text(slot, key_columns_[k], key_parts_[k].text);
	return core::key_json(key_parts_);
}

std::string Converter::unit_text(TupleTableSlot *slot) {
	std::string text;
	if (has_unit_ && column_text(slot, unit_column_, text)) {
		if (unit_mapping_) {
			auto it = unit_mapping_->aliases.find(text);
			if (it != unit_mapping_->aliases.end())
				return it->second;
		}
		return text;
	}
	if (unit_mapping_ && unit_mapping_->has_default)
		return unit_mapping_->default_value.text;
	if (unit_constant_)
		return *unit_constant_;
	return {};
}

} // namespace oversight::engine
