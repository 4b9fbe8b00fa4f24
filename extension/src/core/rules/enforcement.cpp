// Rule kinds of administrative enforcement: discretion bands, collection, unpaid fines.
#include "kinds.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core::kinds {
namespace {

// --- penalty_outside_band ------------------------------------------------------------------------
// A fine with no discretion band in force for its violation, date and currency cannot be judged: it is
// counted as cannot-evaluate (reason no_band), never passed over in silence; flag_missing_band also
// raises an alert on it (a violation the bureau's standard does not cover).
const char *sql_penalty_band = R"SQL(
SELECT {table}, b.__key, '', b.__unit,
       pg_catalog.jsonb_build_object('fine_amount', b.fine_amount, 'min_fine', d.min_fine, 'max_fine', d.max_fine, 'violation_code', b.violation_code,
         'finding', CASE WHEN d.violation_code IS NULL THEN 'no_band' WHEN b.fine_amount < d.min_fine THEN 'below_band' ELSE 'above_band' END)
  FROM {batch} b
  LEFT JOIN LATERAL (SELECT x.* FROM oversight.discretion_band x
                      WHERE x.violation_code = b.violation_code AND x.valid_from <= b.decided_on
                        AND (x.valid_to IS NULL OR b.decided_on < x.valid_to)
                        AND x.currency = coalesce(b.currency, {base_currency})
                      ORDER BY x.valid_from DESC LIMIT 1) d ON true
 WHERE b.penalty_kind = 'fine' AND b.fine_amount IS NOT NULL AND b.decided_on IS NOT NULL
   AND CASE WHEN d.violation_code IS NULL THEN {p:flag_missing_band}
            ELSE b.fine_amount < d.min_fine OR b.fine_amount > d.max_fine END
 UNION ALL
SELECT {table}, NULL::pg_catalog.jsonb, '', NULL::pg_catalog.text,
       pg_catalog.jsonb_build_object('cannot_evaluate', 'no_band', 'missing', pg_catalog.jsonb_build_array('oversight.discretion_band'),
         'load_id', b.__load, 'records', pg_catalog.count(*))
  FROM {batch} b
 WHERE b.penalty_kind = 'fine' AND b.fine_amount IS NOT NULL AND b.decided_on IS NOT NULL
   AND NOT EXISTS (SELECT FROM oversight.discretion_band x
                    WHERE x.violation_code = b.violation_code AND x.valid_from <= b.decided_on
                      AND (x.valid_to IS NULL OR b.decided_on < x.valid_to)
                      AND x.currency = coalesce(b.currency, {base_currency}))
 GROUP BY b.__load
)SQL";

RuleKindSpec penalty_outside_band() {
	RuleKindSpec k{"penalty_outside_band",
	               {RK::Enforcement},
	               Evaluation::Batch,
	               {{"flag_missing_band", P::Bool, "false",
	                 "Also raise an alert on a fine whose violation has no discretion band in force (such a fine is "
	                 "always counted as cannot-evaluate, reason no_band)."}},
	               "Fine outside the discretion band (裁量基准, oversight.discretion_band) of its violation."};
	k.title_zh = "罚款超出裁量基准";
	k.title_en = "Fine outside the discretion band";
	k.messages = {
	    {"no_band", "违法行为 {violation_code} 没有现行有效的裁量基准",
	     "no discretion band in force for violation {violation_code}"},
	    {"below_band", "罚款 {fine_amount} 低于违法行为 {violation_code} 的裁量基准 {min_fine}–{max_fine}",
	     "fine of {fine_amount} below the discretion band {min_fine}–{max_fine} of violation {violation_code}"},
	    {"above_band", "罚款 {fine_amount} 高于违法行为 {violation_code} 的裁量基准 {min_fine}–{max_fine}",
	     "fine of {fine_amount} above the discretion band {min_fine}–{max_fine} of violation {violation_code}"}};
	k.required_inputs = {"penalty_kind", "fine_amount", "decided_on", "violation_code"};
	k.optional_inputs = {"currency"};
	k.required_links = {"oversight.discretion_band"};
	k.prefilter_fields = {"penalty_kind"};
	k.may_fire = [](const CompiledRule &rule, const Record &record) {
		return is(Fields(rule, record)("penalty_kind"), penalty_kind::fine);
	};
	k.sql = [](const CompiledRule &) -> std::string { return sql_penalty_band; };
	return k;
}

// --- fine_collected_by_agency --------------------------------------------------------------------
RuleKindSpec fine_collected_by_agency() {
	RuleKindSpec k{
	    "fine_collected_by_agency",
	    {RK::Enforcement},
	    Evaluation::Row,
	    {},
	    "Fine collected by the deciding agency instead of the designated bank (罚缴分离, 行政处罚法 第67条)."};
	k.title_zh = "作出处罚决定的机关自行收缴罚款（违反罚缴分离）";
	k.title_en = "Fine collected by the deciding agency (罚缴分离)";
	k.messages = {{nullptr, "作出处罚决定的行政机关自行收缴罚款，违反罚缴分离规定（罚款应由当事人缴至指定银行）",
	               "fine collected by the deciding agency itself (罚缴分离 requires payment to the designated bank)"}};
	k.row_fields = {"collected_by", "fine_amount"};
	k.check_row = [](const CompiledRule &rule, const Record &record, const Calendar &, Hit &hit) {
		Fields f(rule, record);
		const Value &by = f("collected_by");
		if (!is(by, collected_by::deciding_agency))
			return false;
		hit.details = details({{"collected_by", jtext(by)},
		                       {"fine_amount", f("fine_amount").null ? Json(nullptr) : jdec(f("fine_amount").dec)}});
		return true;
	};
	k.required_inputs = {"collected_by"};
	k.optional_inputs = {"fine_amount"};
	return k;
}

// --- fine_unpaid (sweep) -------------------------------------------------------------------------
const char *sql_fine_unpaid = R"SQL(
SELECT {table}, h.__key, '', h.__unit,
       pg_catalog.jsonb_build_object('due', h.decided_on + {p:days}, 'days_late', coalesce(h.paid_on, {as_of_date}) - (h.decided_on + {p:days}),
         'surcharge', LEAST(h.fine_amount, h.fine_amount * {p:surcharge_pct_per_day} / 100 * (coalesce(h.paid_on, {as_of_date}) - (h.decided_on + {p:days}))),
         'fine_amount', h.fine_amount, 'decided_on', h.decided_on, 'paid_on', h.paid_on, 'as_of', {as_of_date},
         'finding', CASE WHEN h.paid_on IS NULL THEN 'unpaid' ELSE 'paid_late' END)
  FROM {hist} h
 WHERE h.penalty_kind = 'fine' AND h.fine_amount > 0 AND h.decided_on IS NOT NULL
   AND coalesce(h.status, 'decided') NOT IN ('revoked', 'reconsidered')
   AND ((h.paid_on IS NULL AND {as_of_date} > h.decided_on + {p:days}) OR h.paid_on > h.decided_on + {p:days})
)SQL";

RuleKindSpec fine_unpaid() {
	RuleKindSpec k{"fine_unpaid",
	               {RK::Enforcement},
	               Evaluation::Sweep,
	               {{"days", P::Integer, "15",
	                 "Days after the decision within which the fine is due (行政处罚法 第67条).", "1", "365"},
	                {"surcharge_pct_per_day", P::Decimal, "3", "Late surcharge per day, capped at the fine (第72条).",
	                 "0", "100"}},
	               "Fine unpaid (or paid late) after the legal period."};
	k.title_zh = "罚款逾期未缴纳";
	k.title_en = "Fine unpaid after the legal period";
	k.messages = {
	    {"unpaid",
	     "{decided_on} 决定的罚款 {fine_amount} 截至 {as_of} 仍未缴纳（缴纳期限 {due}，已逾期 {days_late} 日）",
	     "fine of {fine_amount} decided on {decided_on} still unpaid on {as_of} (due {due})"},
	    {"paid_late",
	     "{decided_on} 决定的罚款 {fine_amount} 于 {paid_on} 才缴纳，晚于缴纳期限 {due}（逾期 {days_late} 日）",
	     "fine of {fine_amount} decided on {decided_on} paid late on {paid_on} (due {due})"}};
	k.sql = [](const CompiledRule &) -> std::string { return sql_fine_unpaid; };
	// Without the payment date every fine looks unpaid (an export of 208 cases without it made all 208 fire).
	k.required_inputs = {"penalty_kind", "fine_amount", "decided_on", "paid_on"};
	k.optional_inputs = {"status"};
	return k;
}

} // namespace

std::vector<RuleKindSpec> enforcement_kinds() {
	return {penalty_outside_band(), fine_collected_by_agency(), fine_unpaid()};
}

} // namespace oversight::core::kinds
