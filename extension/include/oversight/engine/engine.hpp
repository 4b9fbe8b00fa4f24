// PostgreSQL-facing glue of the rule engine (may include PostgreSQL headers; holds no core logic).
// Entry points are SQL-callable through OVERSIGHT_FUNCTION in src/engine/engine.cpp:
//   oversight_engine_trigger      row and statement AFTER trigger on watched tables
//   oversight_sweep_table         deadline rules of one watched table as of a timestamp
#pragma once
