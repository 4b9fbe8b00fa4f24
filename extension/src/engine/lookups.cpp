// Look-ups that may spare a rule its SQL (core::LookupSpec, engine_internal.hpp).
//  - A small batch's index probes: before a rule's SQL runs for a clerk's single-row write, a few index probes
//    tell whether the written row can meet any row the SQL would join it with. Most writes meet none (no other
//    payment with this invoice number, no staff account with this payee account), and then the rule's SQL,
//    whose executor start-up is most of a single-row write's cost, does not run.
//  - A larger batch's link sets: a small link table's values read once, so that a rule's candidates are only
//    the written rows whose value is there (PAY.STAFF_PAYEE in a bulk load: 401 rows of 200,000, instead of
//    the whole batch hash-joined with the accounts).
// Only a necessary condition: a row found keeps the SQL, which decides; so the findings are the same with the
// look-ups or without (oversight.index_lookups = off), pgTAP 222 proves it.
#include "engine_internal.hpp"

namespace oversight::engine {

namespace {
// A stored partner is looked for among at most this many rows sharing the written row's value; more keep the SQL.
constexpr int64_t rows_per_lookup = 4096;

// The column of a field mapped as it is (a value mapping would make equal columns unequal fields); nullptr: none.
const FieldBinding *plain_binding(const WatchConfig &cfg, const char *field_name) {
	if (!field_name)
		return nullptr;
	const int field = core::field_index(cfg.kind(), field_name);
	if (cfg.shape.values.find(field))
		return nullptr;
	for (const auto &b : cfg.fields)
		if (b.field == field)
			return &b;
	return nullptr;
}

// The written row's side of an exact look-up of a field: its column mapped as it is, of a text type under a
// byte-comparing collation; nullptr: none.
const FieldBinding *written_text_binding(const WatchConfig &cfg, Relation rel, const char *field_name) {
	const FieldBinding *binding = plain_binding(cfg, field_name);
	return binding && pg::is_text_column(RelationGetDescr(rel), binding->attnum) ? binding : nullptr;
}

// The link table's side: its column by name, readable by the engine's role, with an index that compares it
// byte by byte (both kinds of look-up are exact only then). False: no exact look-up in that table.
bool link_equality_index(Relation link, const char *column_name, AttrNumber &column, pg::EqualityIndex &index) {
	column = pg::column_number(RelationGetDescr(link), column_name);
	return column > 0 && pg::may_select(link) && pg::text_equality_index(link, column, 0, 0, index);
}
} // namespace

BatchLookups::BatchLookups(const WatchConfig &cfg, Relation rel, const std::vector<const core::CompiledRule *> &rules)
    : cfg_(cfg), of_rule_(rules.size(), -1) {
	for (size_t i = 0; i < rules.size(); ++i) {
		const core::CompiledRule *rule = rules[i];
		const auto &spec = rule->spec->lookup;
		if (!spec)
			continue;
		const FieldBinding *binding = written_text_binding(cfg, rel, spec->field);
		if (!binding)
			continue;
		const int field = binding->field;
		RuleLookup l;
		l.rule = rule;
		l.field = field;
		l.written_column = binding->attnum;
		if (!spec->table) { // a partner in the watched table itself, by the same column
			if (!rule->spec->pairs || !pg::may_select(rel))
				continue;
			// The pair's date columns, mapped as they are: an index on (column, date) or (column, coalesce(date,
			// fallback)) reads only the window.
			auto column_of = [&](const char *field_name) -> AttrNumber {
				const FieldBinding *b = plain_binding(cfg, field_name);
				return b ? b->attnum : 0;
			};
			const auto &pairs = *rule->spec->pairs;
			if (!pg::text_equality_index(rel, binding->attnum, column_of(pairs.date_field),
			                             column_of(pairs.date_fallback_field), l.index))
				continue;
			l.table = rel;
		} else { // a row of a link table
			Relation link = pg::open_table_by_name(spec->table);
			if (!link)
				continue;
			opened_.push_back(link);
			AttrNumber column;
			if (!link_equality_index(link, spec->column, column, l.index))
				continue;
			l.table = link;
			l.link = true;
		}
		l.slot = pg::make_table_slot(l.table);
		of_rule_[i] = static_cast<int>(lookups_.size());
		lookups_.push_back(std::move(l));
	}
}

void BatchLookups::add_fields(std::vector<int> &fields) const {
	for (const auto &l : lookups_) {
		fields.push_back(l.field);
		if (l.rule->spec->pairs)
			for (const char *name : l.rule->spec->pairs->fields)
				fields.push_back(core::field_index(cfg_.kind(), name));
	}
}

void BatchLookups::row(size_t i, TupleTableSlot *slot, const core::Record &record, Converter &conv) {
	RuleLookup &l = lookups_[static_cast<size_t>(of_rule_[i])];
	Written w;
	// A row without the value, or (pairs) that can be in no pair, meets nothing.
	if (!l.link && !l.rule->spec->pairs->probe(*l.rule, record, w.probe))
		return;
	if (!pg::copy_column(slot, l.written_column, w.value))
		return;
	if (!l.link) {
		w.probe.row = static_cast<uint32_t>(l.written.size());
		w.key = conv.key_json(slot);
	}
	l.written.push_back(std::move(w));
}

bool BatchLookups::meets_nothing(size_t i, Converter &conv) {
	RuleLookup &l = lookups_[static_cast<size_t>(of_rule_[i])];
	if (!l.link) {
		// Written rows paired with one another (they may not be visible to the look-up yet).
		std::vector<core::PairProbe> probes;
		for (const auto &w : l.written)
			probes.push_back(w.probe);
		for (int64_t cluster : core::pair_clusters(*l.rule, probes, probes.size()))
			if (cluster >= 0)
				return false;
	}
	core::Record stored;
	stored.fields.resize(core::record_fields(cfg_.kind()).size());
	const int32_t window = l.link ? 0 : l.rule->spec->pairs->window_days(*l.rule);
	for (const Written &w : l.written) {
		++lookups_made_;
		// Pairs: the stored rows whose date (when they have the date field) is within the window of the written row's.
		const pg::DateWindow dates{w.probe.date - window, w.probe.date + window};
		pg::LookupEnd end = pg::index_lookup(l.table, l.index, &w.value, l.link ? nullptr : &dates, l.slot,
		                                     l.link ? 1 : rows_per_lookup, [&](TupleTableSlot *found) -> bool {
			                                     if (l.link) // any account row: the SQL decides the rest
				                                     return true;
			                                     // A stored row is a possible partner when the pair may hold and
			                                     // it is not the written row itself (or its version before an update).
			                                     try {
				                                     conv.convert(found, stored);
				                                     core::PairProbe probe;
				                                     return l.rule->spec->pairs->probe(*l.rule, stored, probe) &&
				                                            core::may_pair(*l.rule, w.probe, probe) &&
				                                            conv.key_json(found) != w.key;
			                                     } catch (const PgError &) {
				                                     throw; // PostgreSQL's error: the row pass's subtransaction ends
			                                     } catch (const std::exception &) {
				                                     return true; // a row the core cannot read: the SQL decides
			                                     }
		                                     });
		if (end != pg::LookupEnd::None)
			return false;
	}
	if (l.link && !l.written.empty()) {
		// No written row's value is there. An empty link table still needs the SQL: it counts what it cannot judge.
		++lookups_made_;
		if (pg::index_lookup(l.table, l.index, nullptr, nullptr, l.slot, 1, [](TupleTableSlot *) { return true; }) !=
		    pg::LookupEnd::Found)
			return false;
	}
	return true;
}

LinkSets::LinkSets(const WatchConfig &cfg, Relation rel, const std::vector<const core::CompiledRule *> &rules,
                   int64_t batch_rows)
    : of_rule_(rules.size(), -1) {
	for (size_t i = 0; i < rules.size(); ++i) {
		const auto &spec = rules[i]->spec->lookup;
		if (!spec || !spec->table)
			continue;
		const FieldBinding *binding = written_text_binding(cfg, rel, spec->field);
		if (!binding)
			continue;
		Relation link = pg::open_table_by_name(spec->table);
		if (!link)
			continue;
		Set set;
		set.field = binding->field;
		AttrNumber column;
		pg::EqualityIndex index;
		// The index vouches for the column's equality; its scan also reads the rows as the SQL would see them.
		bool usable = link_equality_index(link, spec->column, column, index) &&
		              pg::relation_row_estimate(link) <= static_cast<double>(batch_rows);
		if (usable) {
			TupleTableSlot *slot = pg::make_table_slot(link);
			std::string value;
			const pg::LookupEnd end =
			    pg::index_lookup(link, index, nullptr, nullptr, slot, batch_rows, [&](TupleTableSlot *row) -> bool {
				    ++rows_read_;
				    if (pg::column_text(row, column, value))
					    set.values.insert(value);
				    return false;
			    });
			pg::drop_slot(slot);
			// More rows than the batch (the estimate was stale): reading them all would cost more than it spares.
			usable = end != pg::LookupEnd::Limit && !set.values.empty();
		}
		pg::close_table(link);
		if (!usable)
			continue;
		of_rule_[i] = static_cast<int>(sets_.size());
		sets_.push_back(std::move(set));
	}
}

void LinkSets::add_fields(std::vector<int> &fields) const {
	for (const auto &set : sets_)
		fields.push_back(set.field);
}

bool LinkSets::may_meet(size_t rule, const core::Record &record) const {
	const Set &set = sets_[static_cast<size_t>(of_rule_[rule])];
	const core::Value &v = record[set.field];
	return !v.null && set.values.count(v.text) > 0;
}

void BatchLookups::close() {
	for (auto &l : lookups_)
		pg::drop_slot(l.slot);
	for (Relation r : opened_)
		pg::close_table(r);
	lookups_.clear();
	opened_.clear();
}

} // namespace oversight::engine
