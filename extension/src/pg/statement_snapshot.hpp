// Internal to src/pg: the snapshot a scan in C reads with when it stands for a statement the engine would
// otherwise run through SPI (index look-ups, the statement's stamp count).
#pragma once

#include "oversight/pg/pg.hpp"

extern "C" {
#include "utils/snapmgr.h"
}

namespace oversight::pg {

// Pushes, as SPI takes it for its next statement, the transaction's snapshot (a new one per statement under
// READ COMMITTED) at the current command, and returns it; the caller pops it (PopActiveSnapshot) when its scan
// ends. Under SERIALIZABLE the scan then takes the predicate locks the statement would. Call inside pg_call: on
// an error the subtransaction's abort releases the snapshot with the scan.
inline Snapshot push_statement_snapshot() {
	PushActiveSnapshot(GetTransactionSnapshot());
	UpdateActiveSnapshotCommandId();
	return GetActiveSnapshot();
}

} // namespace oversight::pg
