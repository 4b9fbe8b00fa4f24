// Exit codes of oversight-load (documented in --help and loader/README.md).
#pragma once

namespace oversight::loader::exit_code {
constexpr int ok = 0;              // every row loaded, updated or unchanged
constexpr int internal_error = 1;  // a bug or an unexpected failure
constexpr int usage = 2;           // bad command line
constexpr int input_unusable = 3;  // file unreadable, empty, header unusable, mapping file wrong: nothing loaded
constexpr int quarantined = 4;     // committed, but some rows were quarantined (see the reject file)
constexpr int database_error = 5;  // the database refused the load: nothing committed, safe to rerun
constexpr int connection_lost = 6; // could not connect, or the connection dropped: nothing committed, safe to rerun
constexpr int commit_in_doubt = 7; // the connection dropped during COMMIT: check oversight.load before rerunning
} // namespace oversight::loader::exit_code
