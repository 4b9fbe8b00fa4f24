// Included last by every pure-C++ core file: fails the build if PostgreSQL headers leaked in, because
// they #define printf, snprintf, Max, Min… and the core must be testable without a server.
#pragma once
#ifdef POSTGRES_H
static_assert(false, "oversight core files must not include PostgreSQL headers");
#endif
