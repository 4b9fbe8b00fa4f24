// Internal subtransactions: fault isolation of the engine's evaluations (engine_internal.hpp).
#include "engine_internal.hpp"

extern "C" {
#include "utils/resowner.h"
}

namespace oversight::engine {

Fault fault_of(const std::exception &e) {
	Fault f;
	f.message = e.what();
	if (auto *ce = dynamic_cast<const core::Error *>(&e))
		f.sqlstate = ce->sqlstate(); // message and SQLSTATE only, as these faults were always recorded
	return f;
}

bool in_subtransaction(const std::function<void()> &fn, Fault &fault) {
	MemoryContext old_context = CurrentMemoryContext;
	ResourceOwner old_owner = CurrentResourceOwner;
	pg::begin_subtransaction();
	MemoryContextSwitchTo(old_context); // plain assignment of a global: cannot raise
	bool failed = false;
	try {
		fn();
	} catch (const PgError &e) {
		failed = true;
		ErrorData *ed = e.edata();
		fault.sqlstate = unpack_sql_state(ed->sqlerrcode);
		fault.message = ed->message ? ed->message : "";
		fault.detail = ed->detail ? ed->detail : "";
	} catch (const core::Error &e) {
		failed = true;
		fault.sqlstate = e.sqlstate();
		fault.message = e.what();
		fault.detail = e.detail();
	} catch (const std::exception &e) {
		failed = true;
		fault.sqlstate = "XX000";
		fault.message = e.what();
	}
	if (failed)
		pg::rollback_subtransaction();
	else
		pg::release_subtransaction();
	MemoryContextSwitchTo(old_context);
	CurrentResourceOwner = old_owner;
	return !failed;
}

} // namespace oversight::engine
