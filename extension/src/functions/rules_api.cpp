// SQL-callable functions of the rule core: parameter validation (used by the rule_version trigger, so
// a bad parameter is refused when a version is saved), the catalogue of rule kinds, and the definition
// of the record kinds.
#include "oversight/pg/pg.hpp"

#include <string>

#include "oversight/core/collusion.hpp"
#include "oversight/core/rules.hpp"

namespace core = oversight::core;
namespace pg = oversight::pg;

namespace {

const char *evaluation_name(core::Evaluation e) {
	switch (e) {
	case core::Evaluation::Row:
		return "row";
	case core::Evaluation::Batch:
		return "batch";
	case core::Evaluation::Sweep:
		return "sweep";
	}
	return "?";
}

const char *param_type_name(core::ParamType t) {
	switch (t) {
	case core::ParamType::Decimal:
		return "decimal";
	case core::ParamType::Integer:
		return "integer";
	case core::ParamType::Text:
		return "text";
	case core::ParamType::TextList:
		return "text[]";
	case core::ParamType::Bool:
		return "boolean";
	case core::ParamType::Choice:
		return "choice";
	case core::ParamType::Object:
		return "object";
	}
	return "?";
}

} // namespace

// validate_rule_params(kind text, record_kind text, params jsonb) -> jsonb with defaults filled in.
OVERSIGHT_FUNCTION(oversight_validate_rule_params) {
	const std::string kind = pg::text_arg(fcinfo, 0);
	const std::string record_kind = pg::text_arg(fcinfo, 1);
	const std::string params = pg::jsonb_text(PG_GETARG_DATUM(2));
	const core::RuleKindSpec *spec = core::find_rule_kind(kind);
	auto rk = core::parse_record_kind(record_kind);
	if (spec && !rk) {
		std::string kinds;
		for (auto k : spec->record_kinds)
			kinds += (kinds.empty() ? "" : ", ") + std::string(core::record_kind_name(k));
		throw core::Error(core::sqlstate::invalid_parameter_value,
		                  "rule kind " + kind + " does not apply to record kind \"" + record_kind + "\"", {},
		                  "It applies to: " + kinds + ".");
	}
	// Unknown kind, a record kind the kind does not apply to, a bad parameter: 22023 from the core.
	core::Json normalized = rk ? core::validate_params(kind, *rk, core::parse_json(params))
	                           : core::validate_params(kind, core::parse_json(params));
	return pg::jsonb_datum(normalized.dump());
}

// rule_kind_catalog() -> jsonb array describing every rule kind and its parameters.
OVERSIGHT_FUNCTION(oversight_rule_kind_catalog) {
	core::Json all = core::Json::array();
	for (const auto &k : core::rule_kinds()) {
		core::Json o = core::Json::object();
		o["kind"] = k.kind;
		o["evaluation"] = evaluation_name(k.evaluation);
		o["description"] = k.description;
		o["forms_matters"] = k.forms_matters;
		core::Json rks = core::Json::array();
		for (auto r : k.record_kinds)
			rks.push_back(core::record_kind_name(r));
		o["record_kinds"] = std::move(rks);
		core::Json ps = core::Json::array();
		for (const auto &p : k.params) {
			core::Json pj = core::Json::object();
			pj["name"] = p.name;
			pj["type"] = param_type_name(p.type);
			pj["default"] = p.default_json.empty() ? core::Json(nullptr) : core::parse_json(p.default_json);
			pj["required"] = p.default_json.empty() && !p.nullable;
			pj["description"] = p.description;
			pj["min"] = p.min ? core::decimal_json(core::Decimal::parse(p.min)) : core::Json(nullptr);
			pj["max"] = p.max ? core::decimal_json(core::Decimal::parse(p.max)) : core::Json(nullptr);
			if (!p.choices.empty())
				pj["choices"] = p.choices;
			ps.push_back(std::move(pj));
		}
		o["params"] = std::move(ps);
		// Data coverage: what the kind judges a record by (oversight.rule_coverage).
		auto names = [](const std::vector<const char *> &v) {
			core::Json a = core::Json::array();
			for (const char *n : v)
				a.push_back(n);
			return a;
		};
		o["required_inputs"] = names(k.required_inputs);
		o["optional_inputs"] = names(k.optional_inputs);
		o["required_links"] = names(k.required_links);
		o["optional_links"] = names(k.optional_links);
		o["threshold_currency"] = k.thresholds == core::ThresholdCurrency::Param  ? core::Json("param")
		                          : k.thresholds == core::ThresholdCurrency::Base ? core::Json("base")
		                                                                          : core::Json(nullptr);
		o["payments_only"] = k.payments_only;
		o["judges_history"] = k.judges_history;
		o["at_commit_group"] = k.at_commit_group ? core::Json(k.at_commit_group) : core::Json(nullptr);
		o["title_zh"] = k.title_zh ? core::Json(k.title_zh) : core::Json(nullptr);
		o["title_en"] = k.title_en ? core::Json(k.title_en) : core::Json(nullptr);
		core::Json ms = core::Json::array();
		for (const auto &m : k.messages) {
			core::Json mj = core::Json::object();
			mj["finding"] = m.finding ? core::Json(m.finding) : core::Json(nullptr);
			mj["zh"] = m.zh;
			mj["en"] = m.en;
			ms.push_back(std::move(mj));
		}
		o["messages"] = std::move(ms);
		all.push_back(std::move(o));
	}
	return pg::jsonb_datum(all.dump());
}

// finding_messages(rule_kind text, details jsonb, strict boolean) -> text[]: {English, Chinese}, the
// kind's message templates filled with the finding's values (oversight/core/messages.hpp) — the renderer
// of the row pass, for the findings of set-based rules and for alerts recorded before 0.4.0. NULL details:
// no values. strict: NULL when the details lack a value a template reads (or name no template).
OVERSIGHT_FUNCTION(oversight_finding_messages) {
	if (PG_ARGISNULL(0))
		throw core::Error(core::sqlstate::invalid_parameter_value, "finding_messages: the rule kind is required");
	const std::string kind = pg::text_arg(fcinfo, 0);
	// A batch renders many findings of one kind: the last kind found is checked first.
	static const core::RuleKindSpec *last = nullptr;
	const core::RuleKindSpec *spec = last && kind == last->kind ? last : core::find_rule_kind(kind);
	if (!spec)
		throw core::Error(core::sqlstate::invalid_parameter_value, "unknown rule kind \"" + kind + "\"", {},
		                  "The kinds are listed in view oversight.rule_kinds.");
	last = spec;
	const bool strict = !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);
	const std::string details = PG_ARGISNULL(1) ? std::string() : pg::jsonb_text(PG_GETARG_DATUM(1));
	core::FindingMessages m = core::finding_messages(*spec, details);
	if (strict && !m.complete)
		PG_RETURN_NULL();
	return pg::text_array_datum({m.en, m.zh});
}

// rule_required_inputs(rule_kind, record_kind, params jsonb) -> text[]: the inputs a rule cannot judge a
// record without (its kind's, or for a matter rule those its condition decides), for oversight.rule_coverage.
OVERSIGHT_FUNCTION(oversight_rule_required_inputs) {
	const std::string params = pg::jsonb_text(PG_GETARG_DATUM(2));
	core::CompiledRule rule =
	    core::CompiledRule::compile(0, "", pg::text_arg(fcinfo, 0), pg::text_arg(fcinfo, 1), params, false);
	return pg::text_array_datum(core::required_inputs(rule));
}

// tenderers_verdict(tenderer_sets text[]) -> text: the collusion signals' decision (core/collusion.hpp) for
// the bids sharing a value, each bid's tenderer set as text ('' when not known): different_tenderers,
// cannot_evaluate or none. The set-based collusion rules call it; the indicator R028 calls the same function.
OVERSIGHT_FUNCTION(oversight_tenderers_verdict) {
	const auto verdict =
	    core::tenderers_verdict(pg::text_array_arg(fcinfo, 0), core::UnknownTenderers::CannotEvaluate);
	return pg::text_datum(core::verdict_name(verdict));
}

// rule_kind_forms_matters(rule_kind text) -> boolean: whether the kind's findings form matters (the
// registry's forms_matters), for the recorder: a lookup, not the whole catalogue (view rule_kinds).
OVERSIGHT_FUNCTION(oversight_rule_kind_forms_matters) {
	const core::RuleKindSpec *spec = core::find_rule_kind(pg::text_arg(fcinfo, 0));
	PG_RETURN_BOOL(spec != nullptr && spec->forms_matters);
}

namespace {
// Argument n as a record kind; an unknown name is an error 22023 listing the kinds.
const core::RecordKindSpec &record_kind_arg(FunctionCallInfo fcinfo, int n) {
	const std::string name = pg::text_arg(fcinfo, n);
	auto rk = core::parse_record_kind(name);
	if (!rk) {
		std::string kinds;
		for (const auto &k : core::record_kinds())
			kinds += (kinds.empty() ? "" : ", ") + std::string(k.name);
		throw core::Error(core::sqlstate::invalid_parameter_value, "unknown record kind \"" + name + "\"", {},
		                  "Record kinds: " + kinds + ".");
	}
	return core::record_kind(*rk);
}
} // namespace

// record_kind_fields(record_kind text) -> jsonb object {field: sql type} of the canonical shape.
OVERSIGHT_FUNCTION(oversight_record_kind_fields) {
	const core::RecordKindSpec &k = record_kind_arg(fcinfo, 0);
	core::Json o = core::Json::object();
	for (const auto &f : k.fields)
		o[f.name] = core::sql_type_name(f.type);
	return pg::jsonb_datum(o.dump());
}

// record_kind_definition(record_kind text) -> jsonb: the one definition of the record kind
// (oversight/core/record_kinds.hpp) — its table, key, unit field, every column of the table with its
// type, the columns' domains, the canonical fields and the enumerations (the tables' CHECKs).
OVERSIGHT_FUNCTION(oversight_record_kind_definition) {
	const core::RecordKindSpec &k = record_kind_arg(fcinfo, 0);
	core::Json o = core::Json::object();
	o["record_kind"] = k.name;
	o["table"] = std::string("oversight.") + k.table;
	o["key"] = core::Json::array();
	for (const char *c : k.key)
		o["key"].push_back(c);
	o["unit_field"] = k.unit_field ? core::Json(k.unit_field) : core::Json(nullptr);
	core::Json columns = core::Json::object(), domains = core::Json::object(), enumerations = core::Json::object(),
	           canonical = core::Json::array();
	for (const auto &c : k.columns) {
		columns[c.name] = core::sql_type_name(c.type);
		if (const char *d = core::domain_name(c.domain))
			domains[c.name] = d;
		if (c.values)
			enumerations[c.name] = *c.values;
		if (c.canonical)
			canonical.push_back(c.name);
	}
	o["columns"] = std::move(columns);
	o["domains"] = std::move(domains);
	o["canonical_fields"] = std::move(canonical);
	o["enumerations"] = std::move(enumerations);
	return pg::jsonb_datum(o.dump());
}
