// The one decision behind the collusion signals among bids (pure C++): bids of one process that share a
// value — the same price (PROC.COLLUSION_PRICE, Cardinal's R028), contact (PROC.COLLUSION_CONTACT) or bond
// account (PROC.COLLUSION_BOND) — are a signal when they come from different tenderers. The set-based rules
// call it through oversight.tenderers_verdict(); the indicator R028 calls it directly (indicators/run.cpp).
#pragma once

#include <string>
#include <vector>

namespace oversight::core {

// What a bid whose tenderers are not known counts for: Cardinal leaves such bids out (Skip); the
// bureau's rules cannot tell without them and say so (CannotEvaluate, coverage reason link_missing).
enum class UnknownTenderers { Skip, CannotEvaluate };

enum class TenderersVerdict { None, DifferentTenderers, CannotEvaluate };

// tenderer_sets: one entry per bid sharing the value, the bid's tenderers as one canonical text (sorted
// identifiers joined), empty when not known. DifferentTenderers when two known sets differ; otherwise
// CannotEvaluate when unknown bids could make the difference (policy CannotEvaluate, two bids or more);
// otherwise None.
TenderersVerdict tenderers_verdict(const std::vector<std::string> &tenderer_sets, UnknownTenderers unknown);

const char *verdict_name(TenderersVerdict verdict); // "none", "different_tenderers", "cannot_evaluate"

} // namespace oversight::core
