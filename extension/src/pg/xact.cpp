// Subtransactions, setting scopes and memory contexts (oversight/pg/pg.hpp).
#include "oversight/pg/pg.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "storage/proc.h"
#include "utils/guc.h"
}

namespace oversight::pg {

void begin_subtransaction() {
	pg_call([] { BeginInternalSubTransaction(nullptr); });
}

void release_subtransaction() {
	pg_call([] { ReleaseCurrentSubTransaction(); });
}

void rollback_subtransaction() {
	pg_call([] { RollbackAndReleaseCurrentSubTransaction(); });
}

CommandId current_command_id() {
	return GetCurrentCommandId(false); // reads a global
}

CommandId own_tuple_cmin(HeapTuple tuple) {
	return pg_call([&] { return HeapTupleHeaderGetCmin(tuple->t_data); }); // may look up a combo command id
}

LocalTransactionId local_transaction_id() {
	return MyProc->lxid;
}

int begin_settings(std::initializer_list<std::pair<const char *, const char *>> settings) {
	return pg_call([&] {
		int level = NewGUCNestLevel();
		for (const auto &[name, value] : settings)
			(void)set_config_option(name, value, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		return level;
	});
}

void end_settings(int level) {
	pg_call([&] { AtEOXact_GUC(true, level); });
}

MemoryContext new_memory_context(const char *name) {
	return pg_call([&] { return AllocSetContextCreateInternal(CurrentMemoryContext, name, ALLOCSET_DEFAULT_SIZES); });
}

void free_memory(void *pointer) {
	pg_call([&] { pfree(pointer); });
}

} // namespace oversight::pg
