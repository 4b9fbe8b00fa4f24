// The rule engine: PostgreSQL-facing glue (may include PostgreSQL headers; holds no rule logic). The
// rules and the SQL it runs are assembled by the pure core (oversight/core/rules.hpp, batch_sql.hpp);
// PostgreSQL calls go through the named wrappers of oversight/pg/pg.hpp. Files: src/engine/
// (engine_internal.hpp lists them: SPI and saved plans, subtransactions, configuration, tuple
// conversion, recording, batch evaluation, triggers).
// Entry points, SQL-callable through OVERSIGHT_FUNCTION in src/engine/triggers.cpp:
//   oversight_engine_trigger      row and statement AFTER trigger on watched tables
//   oversight_sweep_table         deadline rules of one watched table as of a timestamp
//   oversight_evaluate_pending    (src/engine/at_commit.cpp) deferred trigger: the rules evaluated at commit
#pragma once
