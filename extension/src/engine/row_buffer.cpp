// Row-level watches (watch(..., 'row')) judged in batches.
//
// PostgreSQL fires AFTER ROW triggers at the end of the statement anyway, one event per row. Evaluating
// each event as a one-row batch made a row-level watch pay, per row, everything a batch pays once
// (configuration, subtransactions, the rule queries, the recording statement): 0.29× the speed of naive
// PL/pgSQL row triggers. Instead the row trigger copies its row into a buffer of the statement's
// (sub)transaction, and the watch's companion statement trigger (FOR EACH STATEMENT, no transition
// table; it fires after the statement's row events) judges the buffer as one batch. What a writer sees
// is unchanged: findings, faults and a blocking rule's error come at the end of the statement, as they
// did. Row-level watches exist for tables where transition tables are not allowed (inheritance children,
// partitions of a partitioned table): the row trigger needs none.
//
// Lifetime: the buffer lives in the memory of the (sub)transaction that wrote the first row; when that
// subtransaction aborts (a savepoint rolled back in the middle of a statement's events) the buffer is
// forgotten with it, and every buffer is forgotten when the transaction ends.
#include "engine_internal.hpp"

#include <unordered_map>

extern "C" {
#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
}

namespace oversight::engine {

namespace {

struct Buffer {
	Tuplestorestate *store = nullptr;
	SubTransactionId subid = 0;
};
std::unordered_map<Oid, Buffer> buffers;

void forget_all() noexcept { buffers.clear(); }

// Buffers made in the aborted subtransaction or in one it started (ids are given in increasing order).
void forget_aborted(SubTransactionId aborted) noexcept {
	for (auto it = buffers.begin(); it != buffers.end();)
		it = it->second.subid >= aborted ? buffers.erase(it) : std::next(it);
}

} // namespace

void register_row_buffers() {
	pg::register_transaction_callbacks(forget_all, forget_aborted);
}

bool has_companion_statement_trigger(Relation rel, Oid function, bool for_update) {
	const TriggerDesc *desc = rel->trigdesc;
	if (!desc)
		return false;
	for (int i = 0; i < desc->numtriggers; ++i) {
		const Trigger &t = desc->triggers[i];
		if (t.tgfoid == function && t.tgenabled != TRIGGER_DISABLED && !TRIGGER_FOR_ROW(t.tgtype) &&
		    TRIGGER_FOR_AFTER(t.tgtype) && t.tgnewtable == nullptr &&
		    (for_update ? TRIGGER_FOR_UPDATE(t.tgtype) : TRIGGER_FOR_INSERT(t.tgtype)))
			return true;
	}
	return false;
}

void buffer_row(Oid relid, HeapTuple tuple) {
	Buffer &b = buffers[relid];
	if (!b.store)
		b.store = pg::transaction_tuple_store(b.subid);
	pg::tuplestore_append(b.store, tuple);
}

Tuplestorestate *take_buffered_rows(Oid relid) {
	auto it = buffers.find(relid);
	if (it == buffers.end())
		return nullptr;
	Tuplestorestate *store = it->second.store;
	buffers.erase(it);
	return store;
}

} // namespace oversight::engine
