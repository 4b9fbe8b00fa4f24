// SQL-callable facts the audit trail and the watch list need and SQL cannot give exactly.
//
// - oversight.next_xid(): the next transaction id the server will assign (64-bit, with epoch). The
//   audit sealer records it as the horizon of a range of entries: once every transaction below it has
//   ended, no entry of the range can still appear. A snapshot's xmax is not enough (it is the latest
//   *completed* id + 1, and running transactions may hold larger ids).
// - oversight.in_extension_script(): true while CREATE/ALTER EXTENSION runs a script. Objects the
//   script itself creates are recreated on restore and must not be written to the audit trail as user
//   data; a setting any session can change would let anyone switch auditing off.
#include "oversight/guard.hpp"

extern "C" {
#include "access/transam.h"
#include "commands/extension.h"
}

OVERSIGHT_FUNCTION(oversight_next_xid) {
	FullTransactionId next = oversight::pg_call([] { return ReadNextFullTransactionId(); });
	PG_RETURN_INT64(static_cast<int64>(U64FromFullTransactionId(next)));
}

OVERSIGHT_FUNCTION(oversight_in_extension_script) {
	PG_RETURN_BOOL(creating_extension); // a plain read of a backend global: cannot raise
}
