// The SQL of a CSV load, generated from the record kind and the fields the file provides: the staging
// table, the set-based refusals (duplicate keys, unknown references, merge checks) that move rows from
// staging into oversight.quarantine, and the one upsert that counts inserted and updated rows.
// Pure string building, unit-tested without a database.
#pragma once

#include "core/record_kinds.hpp"

#include <map>
#include <string>
#include <vector>

namespace oversight::loader {

inline const std::string stage_table = "pg_temp.oversight_stage";
// Lines the merge refused, so the reject file can show them too.
inline const std::string refused_at_merge_table = "pg_temp.oversight_refused_at_merge";
// Rows the loader refused before COPY (line, field, reason, raw text): a COPY of their own, after the
// staging COPY, so the staging table and its stream carry the validated columns only.
inline const std::string client_refused_table = "pg_temp.oversight_client_refused";
inline const std::vector<std::string> client_refused_columns = {"line_no", "field", "reason", "raw_text"};

// Double-quotes an SQL identifier.
std::string quote_ident(const std::string &name);
// Single-quotes an SQL literal.
std::string quote_literal(const std::string &text);

// Parties a file names for the first time (by name, or by a code with a name beside it): COPYed here, created
// just before the merge when a row that survived the checks still refers to them.
inline const std::string new_party_table = "pg_temp.oversight_new_party";
inline const std::vector<std::string> new_party_columns = {"party_code", "name"};

struct CsvMergeOptions {
	std::map<std::string, std::string> column_defaults; // NOT NULL column → its database DEFAULT expression
	std::vector<int> creating_fields; // staged fields whose unknown party codes are in new_party_table
	bool correction = false;          // --correction: identity changes are corrections, not collisions
};

struct CsvMergePlan {
	std::string create_stage;                   // CREATE TEMP TABLE … ON COMMIT DROP (and the refused-rows tables)
	std::vector<std::string> copy_columns;      // staging columns fed by COPY, in order (quoted)
	std::vector<std::string> fill_absent;       // stage the stored values of the kind's fill_absent fields
	std::string quarantine_client_rejects;      // rows refused by the loader before COPY
	std::string quarantine_duplicate_keys;      // the second and later rows of a key within the file
	std::vector<std::string> quarantine_checks; // unknown references and merge checks, in order
	std::vector<std::string> quarantine_self_references; // references into the same table: repeat until nothing moves
	std::string quarantine_collisions; // stored records whose identity a row would change (empty: none to check)
	std::string create_parties;        // returns the number of parties created (empty: none may be)
	std::string prepare;               // the kind's prepare_sql (may be empty)
	std::string update_first;          // update_then_insert: the UPDATE, its own statement; returns the rows updated
	std::string upsert;                // returns one row: inserted, updated
	// update_first and upsert take $1 = load id (they write the kind's provenance column); else no parameter.
	bool merge_takes_load_id = false;
};

// INSERT … ON CONFLICT … DO UPDATE only where the row really differs, returning one row (inserted, updated).
// `select_sql` yields `columns` in order; `extra_condition` (alias t = stored row, EXCLUDED = new) may
// further restrict updates. Columns in `uncompared` (the load that wrote the record) are written with a real
// change but are no part of it: an otherwise identical row stays unchanged and keeps its old value.
std::string upsert_statement(const std::string &table, const std::vector<std::string> &columns,
                             const std::vector<std::string> &key, const std::string &conflict_target,
                             const std::string &select_sql, const std::string &extra_condition = {},
                             const std::vector<std::string> &uncompared = {});

// The condition "the stored record t was last written by a load of a file with another name than $2 (compared
// by base name), or not by oversight-load at all (NULL)": a suspected key collision needs it.
std::string written_by_another_file(const std::string &stored_load_id);

// Statements use $1 = load id and $2 = file name.
CsvMergePlan plan_csv_merge(const RecordKind &kind, const std::vector<int> &staged_fields,
                            const CsvMergeOptions &options = {});

// The `quarantine` statement shape shared by CSV and OCDS loads: rows of `stage` matching `condition` (alias s,
// optional USING list) are deleted and recorded with `field` and the `reason` expression (alias r).
std::string quarantine_statement(const std::string &stage, const std::string &using_clause,
                                 const std::string &condition, const std::string &field, const std::string &reason_expr,
                                 const std::string &extra_returning = {});

} // namespace oversight::loader
