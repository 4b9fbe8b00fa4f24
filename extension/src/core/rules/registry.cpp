// The registry of rule kinds: every area's kinds, in catalogue order (oversight.rule_kinds lists them
// in this order). A new kind is registered by listing it in its area's *_kinds(); a new area, here.
#include "kinds.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

const std::vector<RuleKindSpec> &rule_kinds() {
	static const std::vector<RuleKindSpec> all = [] {
		std::vector<RuleKindSpec> out;
		for (auto area : {kinds::payment_kinds, kinds::sod_kinds, kinds::procurement_kinds, kinds::fund_kinds,
		                  kinds::enforcement_kinds, kinds::matter_kinds, kinds::indicator_kinds, kinds::test_kinds})
			for (auto &k : area())
				out.push_back(std::move(k));
		return out;
	}();
	return all;
}

} // namespace oversight::core
