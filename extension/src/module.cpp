// Module entry points: the magic block and _PG_init, with C linkage and default visibility
// (the library is built with -fvisibility=hidden; PostgreSQL 15's PGDLLEXPORT is empty on ELF).
extern "C" {
#include "postgres.h"
#include "fmgr.h"
}

#pragma GCC visibility push(default)
extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}
#pragma GCC visibility pop

// Nothing to initialise yet: no GUCs or hooks; the clock and parameters are plain SQL settings.
void _PG_init(void) {}
