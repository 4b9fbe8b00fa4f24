// Relations, types, tuples and tuplestores (oversight/pg/pg.hpp).
#include "oversight/pg/pg.hpp"
#include "statement_snapshot.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/tableam.h"
#include "access/tupdesc.h"
#include "catalog/pg_type.h"
#include "access/xact.h"
#include "utils/memutils.h"
#include "executor/executor.h"
#include "storage/bufmgr.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
}

namespace oversight::pg {

Relation try_open_relation(Oid relid, LOCKMODE lock) {
	return pg_call([&] { return try_relation_open(relid, lock); });
}

void close_relation(Relation rel, LOCKMODE lock) {
	pg_call([&] { relation_close(rel, lock); });
}

BlockNumber relation_blocks(Relation rel) {
	return pg_call([&] { return RelationGetNumberOfBlocks(rel); });
}

Oid base_type(Oid type) {
	return pg_call([&] { return getBaseType(type); });
}

std::string type_name(Oid type) {
	char *name = pg_call([&] { return format_type_be(type); });
	std::string out = name;
	free_memory(name);
	return out;
}

std::string quote_ident(const std::string &s) {
	const char *q = pg_call([&] { return quote_identifier(s.c_str()); });
	return q; // quote_identifier returns its argument when no quoting is needed: nothing to free
}

void output_function(Oid type, FmgrInfo *info) {
	pg_call([&] {
		Oid func;
		bool varlena;
		getTypeOutputInfo(type, &func, &varlena);
		fmgr_info(func, info);
	});
}

AttrNumber column_number(TupleDesc tupdesc, const std::string &name) {
	return pg_call([&] { return static_cast<AttrNumber>(SPI_fnumber(tupdesc, name.c_str())); });
}

Oid column_type(TupleDesc tupdesc, AttrNumber attnum) {
	return TupleDescAttr(tupdesc, attnum - 1)->atttypid;
}

char *output_text(TupleTableSlot *slot, AttrNumber attnum, FmgrInfo *out, MemoryContext context) {
	return pg_call([&]() -> char * {
		bool isnull;
		Datum d = slot_getattr(slot, attnum, &isnull);
		if (isnull)
			return nullptr;
		MemoryContext old = MemoryContextSwitchTo(context);
		char *s = OutputFunctionCall(out, d);
		MemoryContextSwitchTo(old);
		return s;
	});
}

pg_tz *timezone(const std::string &name) {
	return pg_call([&] { return pg_tzset(name.c_str()); });
}

bool local_date(TimestampTz ts, pg_tz *tz, int &year, int &month, int &day) {
	struct pg_tm tm;
	fsec_t fsec;
	int tzoff;
	int rc = pg_call([&] { return timestamp2tm(ts, &tzoff, &tm, &fsec, nullptr, tz); });
	if (rc != 0)
		return false;
	year = tm.tm_year;
	month = tm.tm_mon;
	day = tm.tm_mday;
	return true;
}

TupleTableSlot *make_minimal_slot(TupleDesc tupdesc) {
	return pg_call([&] { return MakeSingleTupleTableSlot(tupdesc, &TTSOpsMinimalTuple); });
}

void drop_slot(TupleTableSlot *slot) {
	pg_call([&] { ExecDropSingleTupleTableSlot(slot); });
}

int64_t tuplestore_count(Tuplestorestate *store) {
	return pg_call([&] { return static_cast<int64_t>(tuplestore_tuple_count(store)); });
}

namespace {
// Inside pg_call only (they may raise): a new tuplestore in the current memory context, and a new read pointer
// of store, selected and at its start.
Tuplestorestate *begin_store() {
	return tuplestore_begin_heap(false, false, work_mem);
}
int rewound_reader(Tuplestorestate *store) {
	int reader = tuplestore_alloc_read_pointer(store, EXEC_FLAG_REWIND);
	tuplestore_select_read_pointer(store, reader);
	tuplestore_rescan(store);
	return reader;
}
} // namespace

int tuplestore_rewind(Tuplestorestate *store) {
	return pg_call([&] { return rewound_reader(store); });
}

bool tuplestore_next(Tuplestorestate *store, TupleTableSlot *slot) {
	return pg_call([&] { return tuplestore_gettupleslot(store, true, false, slot); });
}

void tuplestore_restore_reader(Tuplestorestate *store) {
	pg_call([&] { tuplestore_select_read_pointer(store, 0); });
}

Tuplestorestate *one_tuple_store(HeapTuple tuple) {
	return pg_call([&] {
		Tuplestorestate *ts = begin_store();
		tuplestore_puttuple(ts, tuple);
		return ts;
	});
}

void tuplestore_free(Tuplestorestate *store) {
	pg_call([&] { tuplestore_end(store); });
}

Tuplestorestate *transaction_tuple_store(SubTransactionId &subid) {
	return pg_call([&] {
		MemoryContext old = MemoryContextSwitchTo(CurTransactionContext);
		Tuplestorestate *ts = begin_store();
		MemoryContextSwitchTo(old);
		subid = GetCurrentSubTransactionId();
		return ts;
	});
}

void tuplestore_append(Tuplestorestate *store, HeapTuple tuple) {
	pg_call([&] { tuplestore_puttuple(store, tuple); });
}

Tuplestorestate *new_tuplestore() {
	return pg_call([] { return begin_store(); });
}

void tuplestore_put_slot(Tuplestorestate *store, TupleTableSlot *slot) {
	pg_call([&] { tuplestore_puttupleslot(store, slot); });
}

Tuplestorestate *tuplestore_with_pairs(Tuplestorestate *store, TupleDesc tupdesc, const std::vector<int64_t> &cluster,
                                       TupleDesc &shape) {
	return pg_call([&] {
		const int natts = tupdesc->natts;
		TupleDesc out = CreateTemplateTupleDesc(natts + 1);
		for (int a = 1; a <= natts; ++a)
			TupleDescCopyEntry(out, a, tupdesc, a);
		TupleDescInitEntry(out, natts + 1, "__pair", INT8OID, -1, 0);
		Tuplestorestate *rows = begin_store();
		TupleTableSlot *slot = MakeSingleTupleTableSlot(tupdesc, &TTSOpsMinimalTuple);
		Datum *values = static_cast<Datum *>(palloc(sizeof(Datum) * (natts + 1)));
		bool *nulls = static_cast<bool *>(palloc(sizeof(bool) * (natts + 1)));
		rewound_reader(store);
		for (size_t i = 0; i < cluster.size(); ++i) {
			// Rows in no cluster (most of a batch) are stepped over without being read (in memory: one step).
			size_t unpaired = 0;
			while (i + unpaired < cluster.size() && cluster[i + unpaired] < 0)
				++unpaired;
			if (unpaired > 0 && !tuplestore_skiptuples(store, static_cast<int64>(unpaired), true))
				break;
			i += unpaired;
			if (i >= cluster.size() || !tuplestore_gettupleslot(store, true, false, slot))
				break;
			slot_getallattrs(slot);
			for (int a = 0; a < natts; ++a) {
				values[a] = slot->tts_values[a];
				nulls[a] = slot->tts_isnull[a];
			}
			values[natts] = Int64GetDatum(cluster[i]);
			nulls[natts] = false;
			HeapTuple tuple = heap_form_tuple(out, values, nulls);
			tuplestore_puttuple(rows, tuple);
			heap_freetuple(tuple);
		}
		tuplestore_select_read_pointer(store, 0);
		ExecDropSingleTupleTableSlot(slot);
		pfree(values);
		pfree(nulls);
		shape = out;
		return rows;
	});
}

double relation_row_estimate(Relation rel) {
	return rel->rd_rel->reltuples;
}

bool count_stamped_rows(Relation rel, uint32_t xmin, uint32_t cmin, int64_t &stamped, int64_t &all) {
	if (rel->rd_rel->relkind != RELKIND_RELATION || rel->rd_tableam != GetHeapamTableAmRoutine())
		return false;
	// The snapshot of the SQL count this replaces (push_statement_snapshot); a sequential scan under SERIALIZABLE
	// takes the same relation predicate lock. On an error the subtransaction's abort releases the scan and the
	// snapshot.
	pg_call([&] {
		TableScanDesc scan = table_beginscan(rel, push_statement_snapshot(), 0, nullptr);
		int64 rows = 0, carrying = 0;
		HeapTuple tuple;
		while ((tuple = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
			if ((++rows & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (HeapTupleHeaderGetRawXmin(tuple->t_data) == xmin && HeapTupleHeaderGetRawCommandId(tuple->t_data) == cmin)
				++carrying;
		}
		table_endscan(scan);
		PopActiveSnapshot();
		stamped = carrying;
		all = rows;
	});
	return true;
}

bool relation_has_heap_rows(Relation rel) {
	return rel->rd_rel->relkind == RELKIND_RELATION || rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE;
}

void invalidate_relation_cache(Oid relid) {
	pg_call([&] { CacheInvalidateRelcacheByRelid(relid); });
}

bool is_current_transaction(uint32_t xid) {
	return pg_call([&] { return TransactionIdIsCurrentTransactionId(static_cast<TransactionId>(xid)); });
}

namespace {
void (*transaction_end_callback)() = nullptr;
void (*subtransaction_abort_callback)(SubTransactionId) = nullptr;

void on_xact(XactEvent event, void *) {
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PREPARE ||
	    event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT)
		transaction_end_callback();
}

void on_subxact(SubXactEvent event, SubTransactionId my_subid, SubTransactionId, void *) {
	if (event == SUBXACT_EVENT_ABORT_SUB)
		subtransaction_abort_callback(my_subid);
}
} // namespace

void register_transaction_callbacks(void (*on_end)(), void (*on_abort_sub)(SubTransactionId)) {
	transaction_end_callback = on_end;
	subtransaction_abort_callback = on_abort_sub;
	// Called from _PG_init, where no C++ object is alive: PostgreSQL's allocation error may long-jump.
	RegisterXactCallback(on_xact, nullptr);
	RegisterSubXactCallback(on_subxact, nullptr);
}

} // namespace oversight::pg
