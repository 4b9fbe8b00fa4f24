// Module entry points: the magic block and _PG_init, with C linkage and default visibility
// (the library is built with -fvisibility=hidden; PostgreSQL 15's PGDLLEXPORT is empty on ELF).
#include "oversight/pg/pg.hpp"

namespace oversight::engine {
void register_row_buffers(); // src/engine/row_buffer.cpp
}

#pragma GCC visibility push(default)
extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}
#pragma GCC visibility pop

// The one setting defined in C: oversight.language, so a bad value is refused when it is set. The clock
// and the other parameters are plain SQL settings. No hooks; two transaction callbacks forget the rows
// buffered for row-level watches by work that was rolled back (src/engine/row_buffer.cpp).
void _PG_init(void) {
	oversight::pg::define_settings();
	oversight::engine::register_row_buffers();
}
