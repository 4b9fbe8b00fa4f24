// Named wrappers of the PostgreSQL calls the engine and the SQL-callable functions make (the model is
// pg_duckdb's src/pg/*.cpp). Each one goes through pg_call, so an ereport(ERROR) inside becomes a thrown
// PgError after PostgreSQL's error state is copied; strings are copied into std::string outside the
// pg_call region, and what pg_call returns is trivially destructible (guard.hpp).
//   src/pg/spi.cpp        SPI: connection, statements, plans, results, ephemeral relations
//   src/pg/relations.cpp  relations, types and output functions, tuples, slots and tuplestores, time zones
//   src/pg/datum.cpp      arguments and results: text, jsonb, arrays
//   src/pg/xact.cpp       subtransactions, setting scopes, memory contexts
//   src/pg/index_lookup.cpp  look-ups through an index by equality on a text column, without a planned statement
//   src/pg/guc.cpp        the extension's own session settings (oversight.language, oversight.batch_split_rows,
//                         oversight.index_lookups)
#pragma once

#include "oversight/guard.hpp"

extern "C" {
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "pgtime.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"
}

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace oversight::pg {

// --- SPI ----------------------------------------------------------------------------------------
void spi_connect();
void spi_finish();
// SPI_execute (nargs = 0) or SPI_execute_with_args; returns SPI's result code.
int spi_execute(const std::string &sql, int nargs, Oid *types, Datum *values, const char *nulls, bool read_only);
int spi_execute_plan(SPIPlanPtr plan, Datum *values, const char *nulls, bool read_only);
void spi_free_plan(SPIPlanPtr plan);
// Text of column col (1-based) of row of the last result; false when NULL.
bool spi_text(uint64_t row, int col, std::string &out);
void spi_free_result();
// Registers store as the ephemeral named relation name (shaped like relid) for the following
// statements; returns SPI's result code.
int spi_register_tuplestore(const char *name, Oid relid, Tuplestorestate *store);
// The same for rows of another shape than a table's (tupdesc).
int spi_register_tuplestore(const char *name, TupleDesc tupdesc, Tuplestorestate *store);
void spi_unregister_relation(const char *name);
// The rows of the last result as a tuplestore, when its first column is a whole row of a table (SELECT
// t FROM table t): each is stored as the table's own tuple, dropped columns included.
Tuplestorestate *spi_whole_rows_store();

// --- relations, types, tuples -------------------------------------------------------------------
Relation try_open_relation(Oid relid, LOCKMODE lock); // nullptr when the relation no longer exists
void close_relation(Relation rel, LOCKMODE lock);
BlockNumber relation_blocks(Relation rel);
Oid base_type(Oid type);                                              // through domains
std::string type_name(Oid type);                                      // format_type_be
std::string quote_ident(const std::string &s);                        // quote_identifier
void output_function(Oid type, FmgrInfo *info);                       // the type's output function
AttrNumber column_number(TupleDesc tupdesc, const std::string &name); // SPI_fnumber
Oid column_type(TupleDesc tupdesc, AttrNumber attnum);                // declared type (domains kept)
// Text of attribute attnum of the row in slot through out, allocated in context; nullptr when NULL.
char *output_text(TupleTableSlot *slot, AttrNumber attnum, FmgrInfo *out, MemoryContext context);
pg_tz *timezone(const std::string &name); // nullptr when unknown
// Local civil date of ts in tz; false when out of range.
bool local_date(TimestampTz ts, pg_tz *tz, int &year, int &month, int &day);

TupleTableSlot *make_minimal_slot(TupleDesc tupdesc);
void drop_slot(TupleTableSlot *slot);
int64_t tuplestore_count(Tuplestorestate *store);
// A new read pointer of store, selected and rewound; tuplestore_next reads through it.
int tuplestore_rewind(Tuplestorestate *store);
bool tuplestore_next(Tuplestorestate *store, TupleTableSlot *slot);
void tuplestore_restore_reader(Tuplestorestate *store); // back to read pointer 0
Tuplestorestate *one_tuple_store(HeapTuple tuple);      // a tuplestore holding a copy of tuple
void tuplestore_free(Tuplestorestate *store);
// A tuplestore living in the current (sub)transaction's memory (CurTransactionContext): freed when that
// transaction ends or aborts; its subtransaction id (GetCurrentSubTransactionId) in subid.
Tuplestorestate *transaction_tuple_store(SubTransactionId &subid);
void tuplestore_append(Tuplestorestate *store, HeapTuple tuple);
// A new, empty tuplestore in the current memory context (the temporary file it may spill to beyond work_mem is
// the current resource owner's: create it outside a subtransaction it must outlive), and a copy of the row in
// slot appended to one.
Tuplestorestate *new_tuplestore();
void tuplestore_put_slot(Tuplestorestate *store, TupleTableSlot *slot);
// A new tuplestore holding the rows of store (of shape tupdesc) whose pair cluster (by position, from 0) is not
// negative, each with its cluster as one more column, __pair (bigint); shape: the new rows' descriptor.
Tuplestorestate *tuplestore_with_pairs(Tuplestorestate *store, TupleDesc tupdesc, const std::vector<int64_t> &cluster,
                                       TupleDesc &shape);
// The relation's stored row estimate (pg_class.reltuples; -1 when never analysed) and whether it holds its
// rows in heap tables (a table or a partitioned table: rows with xmin and cmin).
double relation_row_estimate(Relation rel);
bool relation_has_heap_rows(Relation rel);
// The rows of a plain heap table as SPI's next statement would see them: how many in all, and how many carry
// the stamp (raw xmin and cmin, as the system columns show them). One sequential scan in C, without a planned
// statement; false (nothing counted) for a table of another kind or access method.
bool count_stamped_rows(Relation rel, uint32_t xmin, uint32_t cmin, int64_t &stamped, int64_t &all);
// Queues an invalidation of rel's relcache entry (delivered to every backend: at this one's next command,
// to the others when the transaction commits).
void invalidate_relation_cache(Oid relid);
// True when xid is the transaction's or one of its open subtransactions'.
bool is_current_transaction(uint32_t xid);
// Registers the transaction and subtransaction callbacks (module load).
void register_transaction_callbacks(void (*on_end)(), void (*on_abort_sub)(SubTransactionId));

// --- index look-ups (index_lookup.cpp) -------------------------------------------------------------
// An index that finds the rows whose column equals a text value: its equality function and collation; and,
// when its second key is a date column asked for, the functions that bound that key.
struct EqualityIndex {
	Oid index = InvalidOid;
	RegProcedure equal = InvalidOid;
	Oid collation = InvalidOid;
	RegProcedure date_at_least = InvalidOid, date_at_most = InvalidOid; // both set, or neither
};
// Days since 2000-01-01 (a date's value), both ends included.
struct DateWindow {
	int32_t first, last;
};
// True when column attnum is text or varchar (through domains) under a collation that compares bytes.
bool is_text_column(TupleDesc tupdesc, AttrNumber attnum);
// A valid btree index of the table rel (a plain table) whose first key is the text column attnum itself, under a
// collation that compares bytes, as the column's does, and, when partial, whose predicate holds for every row
// with the column set (e.g. WHERE column IS NOT NULL); false when rel has none. One whose second key is the date
// column date_attnum, or coalesce(date_attnum, fallback_attnum), is preferred (0: none asked for).
bool text_equality_index(Relation rel, AttrNumber attnum, AttrNumber date_attnum, AttrNumber fallback_attnum,
                         EqualityIndex &out);
// A table by its schema-qualified name, opened with AccessShareLock (close_table); nullptr when there is none.
Relation open_table_by_name(const char *qualified_name);
void close_table(Relation rel);
// True when the current user may SELECT from rel.
bool may_select(Relation rel);
// A slot for rel's own tuples (drop_slot).
TupleTableSlot *make_table_slot(Relation rel);
// A detoasted copy, in the current memory context, of attribute attnum of the row in slot; false when NULL.
bool copy_column(TupleTableSlot *slot, AttrNumber attnum, Datum &out);
// The text (or varchar) attribute attnum of the row in slot, as bytes; false when NULL.
bool column_text(TupleTableSlot *slot, AttrNumber attnum, std::string &out);
// The rows of rel whose indexed text column equals *value (value nullptr: every row), as SPI's next statement would see them,
// each put in slot and handed to visit until it returns true (Found), at most limit of them (Limit). With a
// window and an index bounding its date key: only the rows whose date is in it or NULL.
enum class LookupEnd { None, Found, Limit };
LookupEnd index_lookup(Relation rel, const EqualityIndex &index, const Datum *value, const DateWindow *window,
                       TupleTableSlot *slot, int64_t limit, const std::function<bool(TupleTableSlot *)> &visit);

// --- datums -------------------------------------------------------------------------------------
// Argument n of fcinfo as text (detoasted inside pg_call).
std::string text_arg(FunctionCallInfo fcinfo, int n);
std::string jsonb_text(Datum jsonb);        // jsonb_out
Datum jsonb_datum(const std::string &json); // jsonb_in
Datum text_datum(const std::string &s);
// Argument n of fcinfo, a text[] without NULLs, as strings.
std::vector<std::string> text_array_arg(FunctionCallInfo fcinfo, int n);
// A one-dimensional text[] of items.
Datum text_array_datum(const std::vector<std::string> &items);
// text read by the input function of type (as a cast from unknown would).
Datum input_datum(Oid type, const std::string &text);

// --- transactions, settings, memory ---------------------------------------------------------------
void begin_subtransaction();
void release_subtransaction();
void rollback_subtransaction();
// The command of the current transaction and the one that wrote a tuple of this transaction (its cmin):
// together they tell whether a row was written before or after a given statement. The current
// transaction's backend-local number tells transactions apart in backend-lifetime state.
CommandId current_command_id();
CommandId own_tuple_cmin(HeapTuple tuple);
LocalTransactionId local_transaction_id();
// Opens a GUC nest level with the given settings (like a function's SET clauses); end_settings
// restores them (an error aborting the transaction restores them too).
int begin_settings(std::initializer_list<std::pair<const char *, const char *>> settings);
void end_settings(int level);
MemoryContext new_memory_context(const char *name); // child of CurrentMemoryContext; name: a literal
void free_memory(void *pointer);                    // pfree

// --- the extension's settings (guc.cpp) -------------------------------------------------------------
// Defines oversight.language (zh, en, or empty: the database's setting); called once by _PG_init.
void define_settings();
// oversight.batch_split_rows: the smallest batch whose pair rules are split (0: never).
int batch_split_rows();
// oversight.index_lookups: whether small batches look their rules' partners up through indexes (core::LookupSpec).
bool index_lookups();

} // namespace oversight::pg
