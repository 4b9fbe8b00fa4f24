// Install self-test: SQL-callable probes of the C++/PostgreSQL boundary, so a DBA (and the test
// suite) can prove on a live server that errors keep their SQLSTATE, that a PostgreSQL ERROR raised
// under C++ frames unwinds their destructors, and that long C++ loops honour query cancel.
#include "oversight/guard.hpp"

extern "C" {
#include "utils/builtins.h"
}

#include <stdexcept>
#include <string>

namespace {

// Counts instances alive right now; a leak across an ERROR shows up as a non-zero count afterwards.
int live_probe_objects = 0;

struct LiveProbe {
	std::string payload = std::string(64, 'x');
	LiveProbe() { ++live_probe_objects; }
	~LiveProbe() { --live_probe_objects; }
	LiveProbe(const LiveProbe &) = delete;
	LiveProbe &operator=(const LiveProbe &) = delete;
};

std::string text_argument(FunctionCallInfo fcinfo, int n) {
	text *value = PG_GETARG_TEXT_PP(n); // detoasting may ereport; it happens before any C++ object exists
	return std::string(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value));
}

} // namespace

OVERSIGHT_FUNCTION(oversight_selftest_raise) {
	const std::string kind = text_argument(fcinfo, 0);
	LiveProbe probe;
	if (kind == "core_error")
		throw oversight::core::Error(oversight::core::sqlstate::invalid_parameter_value, "self-test: core error",
		                             "raised by the C++ core", "this is expected");
	if (kind == "std_exception")
		throw std::runtime_error("self-test: std::runtime_error");
	if (kind == "bad_alloc")
		throw std::bad_alloc();
	if (kind == "pg_error") {
		int32 divisor = 0;
		oversight::pg_call([&] { return DirectFunctionCall2(int4div, Int32GetDatum(1), Int32GetDatum(divisor)); });
	}
	if (kind == "none")
		PG_RETURN_TEXT_P(cstring_to_text(probe.payload.substr(0, 2).c_str()));
	throw oversight::core::Error(oversight::core::sqlstate::invalid_parameter_value,
	                             "unknown self-test kind \"" + kind + "\"", {},
	                             "use one of core_error, std_exception, bad_alloc, pg_error, none");
}

OVERSIGHT_FUNCTION(oversight_selftest_live_objects) {
	PG_RETURN_INT32(live_probe_objects);
}

OVERSIGHT_FUNCTION(oversight_selftest_spin) {
	const int64 iterations = PG_GETARG_INT64(0);
	LiveProbe probe;
	volatile uint64 accumulator = 0;
	for (int64 i = 0; i < iterations; ++i) {
		accumulator = accumulator * 6364136223846793005ULL + 1442695040888963407ULL;
		if ((i & 0xFFFF) == 0)
			oversight::check_for_interrupts();
	}
	PG_RETURN_INT64(iterations);
}
