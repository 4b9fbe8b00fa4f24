// Rule kinds of segregation of duties: any record with a handler and an approver.
#include "kinds.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core::kinds {
namespace {

RuleKindSpec handler_is_approver() {
	RuleKindSpec k{"handler_is_approver",
	               {RK::Payment, RK::Procurement, RK::FundAllocation, RK::Enforcement},
	               Evaluation::Row,
	               {},
	               "The same person handled and approved the record."};
	k.title_zh = "经办人与审批人为同一人";
	k.title_en = "Handled and approved by the same person";
	k.messages = {{nullptr, "同一人（{person_code}）既是该{record_kind|term}事项的经办人，又是审批人",
	               "the same person ({person_code}) handled and approved this {record_kind}"}};
	k.row_fields = {"handler_code", "approver_code"};
	k.check_row = [](const CompiledRule &rule, const Record &record, const Calendar &, Hit &hit) {
		Fields f(rule, record);
		const Value &h = f("handler_code"), &a = f("approver_code");
		if (h.null || a.null || h.text != a.text)
			return false;
		hit.details = details({{"person_code", jtext(h)}, {"record_kind", Json(record_kind_name(rule.record_kind))}});
		return true;
	};
	k.required_inputs = {"handler_code", "approver_code"};
	return k;
}

} // namespace

std::vector<RuleKindSpec> sod_kinds() {
	return {handler_is_approver()};
}

} // namespace oversight::core::kinds
