#include "oversight/core/collusion.hpp"

namespace oversight::core {

TenderersVerdict tenderers_verdict(const std::vector<std::string> &tenderer_sets, UnknownTenderers unknown) {
	const std::string *first_known = nullptr;
	bool any_unknown = false;
	for (const std::string &set : tenderer_sets) {
		if (set.empty()) {
			any_unknown = true;
			continue;
		}
		if (!first_known)
			first_known = &set;
		else if (set != *first_known)
			return TenderersVerdict::DifferentTenderers;
	}
	if (unknown == UnknownTenderers::CannotEvaluate && any_unknown && tenderer_sets.size() >= 2)
		return TenderersVerdict::CannotEvaluate;
	return TenderersVerdict::None;
}

const char *verdict_name(TenderersVerdict verdict) {
	switch (verdict) {
	case TenderersVerdict::DifferentTenderers:
		return "different_tenderers";
	case TenderersVerdict::CannotEvaluate:
		return "cannot_evaluate";
	case TenderersVerdict::None:
		break;
	}
	return "none";
}

} // namespace oversight::core
