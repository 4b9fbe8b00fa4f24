// The generic part of the rule core: parameter validation, compiled rules, and the dispatch of a
// compiled rule to its kind's operations (resolved once, in CompiledRule::compile). The kinds themselves
// are in rules/<area>.cpp.
#include "oversight/core/rules.hpp"

#include <algorithm>

#include "oversight/core/error.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

namespace {
using P = ParamType;

[[noreturn]] void param_error(const std::string &kind, const std::string &param, const std::string &what,
                              const std::string &hint = {}) {
	throw Error(sqlstate::invalid_parameter_value, "rule kind " + kind + ": parameter \"" + param + "\" " + what, {},
	            hint);
}
} // namespace

const RuleKindSpec *find_rule_kind(const std::string &kind) {
	for (const auto &k : rule_kinds())
		if (kind == k.kind)
			return &k;
	return nullptr;
}

namespace {
const RuleKindSpec &require_kind(const std::string &kind) {
	const RuleKindSpec *spec = find_rule_kind(kind);
	if (!spec) {
		std::string known;
		for (const auto &k : rule_kinds())
			known += (known.empty() ? "" : ", ") + std::string(k.kind);
		throw Error(sqlstate::invalid_parameter_value, "unknown rule kind \"" + kind + "\"", {},
		            "Known kinds: " + known + ".");
	}
	return *spec;
}
} // namespace

Json validate_params(const std::string &kind, const Json &params) {
	const RuleKindSpec &spec = require_kind(kind);
	return validate_params(kind, spec.record_kinds.front(), params);
}

Json validate_params(const std::string &kind, RecordKind record_kind, const Json &params) {
	const RuleKindSpec *spec = &require_kind(kind);
	if (std::find(spec->record_kinds.begin(), spec->record_kinds.end(), record_kind) == spec->record_kinds.end()) {
		std::string kinds;
		for (auto k : spec->record_kinds)
			kinds += (kinds.empty() ? "" : ", ") + std::string(record_kind_name(k));
		throw Error(sqlstate::invalid_parameter_value,
		            "rule kind " + kind + " does not apply to record kind \"" + record_kind_name(record_kind) + "\"",
		            {}, "It applies to: " + kinds + ".");
	}
	if (!params.is_object())
		throw Error(sqlstate::invalid_parameter_value, "rule kind " + kind + ": parameters must be a JSON object");
	for (auto member = params.begin(); member != params.end(); ++member) {
		const std::string &name = member.key();
		bool known =
		    std::any_of(spec->params.begin(), spec->params.end(), [&](const ParamSpec &p) { return name == p.name; });
		if (!known) {
			std::string names;
			for (const auto &p : spec->params)
				names += (names.empty() ? "" : ", ") + std::string(p.name);
			param_error(kind, name, "is not a parameter of this kind",
			            names.empty() ? "This kind takes no parameters." : "Parameters: " + names + ".");
		}
	}
	Json out = Json::object();
	for (const auto &p : spec->params) {
		auto given = params.find(p.name);
		Json v;
		if (given == params.end() || given->is_null()) {
			if (p.default_json.empty() && p.nullable) {
				out[p.name] = nullptr;
				continue;
			}
			if (p.default_json.empty())
				param_error(kind, p.name, "is required", p.description);
			v = parse_json(p.default_json);
		} else
			v = *given;
		switch (p.type) {
		case P::Decimal:
		case P::Integer: {
			if (!v.is_number() && !v.is_string())
				param_error(kind, p.name, "must be a number");
			const std::string text = v.is_string() ? v.get<std::string>() : v.dump();
			Decimal d;
			try {
				d = json_decimal(v);
			} catch (const Error &) {
				param_error(kind, p.name, "must be a number, not \"" + text + "\"");
			}
			if (p.type == P::Integer && d.units % Decimal::scale != 0)
				param_error(kind, p.name, "must be a whole number, not " + text);
			if (p.min && d < Decimal::parse(p.min))
				param_error(kind, p.name, "must be at least " + std::string(p.min) + ", not " + d.str());
			if (p.max && d > Decimal::parse(p.max))
				param_error(kind, p.name, "must be at most " + std::string(p.max) + ", not " + d.str());
			try {
				v = decimal_json(d);
			} catch (const Error &) {
				param_error(kind, p.name,
				            "has more significant digits than can be kept exactly (at most 15), not " + d.str());
			}
			break;
		}
		case P::Text:
			if (!v.is_string() || v.get_ref<const std::string &>().empty())
				param_error(kind, p.name, "must be a non-empty string");
			break;
		case P::Choice: {
			if (!v.is_string() ||
			    std::find(p.choices.begin(), p.choices.end(), v.get<std::string>()) == p.choices.end()) {
				std::string c;
				for (const auto &s : p.choices)
					c += (c.empty() ? "" : ", ") + s;
				param_error(kind, p.name, "must be one of " + c);
			}
			break;
		}
		case P::TextList:
			if (!v.is_array() || v.empty())
				param_error(kind, p.name, "must be a non-empty array of strings");
			for (const auto &item : v)
				if (!item.is_string() || item.get_ref<const std::string &>().empty())
					param_error(kind, p.name, "must contain only non-empty strings");
			break;
		case P::Bool:
			if (!v.is_boolean())
				param_error(kind, p.name, "must be true or false");
			break;
		case P::Object:
			if (!v.is_object())
				param_error(kind, p.name, "must be a JSON object");
			break;
		}
		out[p.name] = std::move(v);
	}
	if (spec->validate)
		spec->validate(out, record_kind);
	return out;
}

// ---------------------------------------------------------------------------------------------------
// Compiled rules
// ---------------------------------------------------------------------------------------------------
CompiledRule CompiledRule::compile(int64_t version_id, const std::string &rule_code, const std::string &kind,
                                   const std::string &record_kind, const std::string &params_json, bool blocking) {
	CompiledRule r;
	r.version_id = version_id;
	r.rule_code = rule_code;
	r.spec = find_rule_kind(kind);
	if (!r.spec)
		throw Error(sqlstate::invalid_parameter_value, "rule " + rule_code + ": unknown rule kind \"" + kind + "\"");
	auto rk = parse_record_kind(record_kind);
	if (!rk)
		throw Error(sqlstate::invalid_parameter_value,
		            "rule " + rule_code + ": unknown record kind \"" + record_kind + "\"");
	r.record_kind = *rk;
	// Stored parameters were validated (and completed) when the version was saved; validating again
	// here only fills defaults of versions saved before a parameter existed.
	r.params = validate_params(kind, r.record_kind, parse_json(params_json));
	r.blocking = blocking;
	r.kind = r.spec->kind;
	for (const auto &p : r.spec->params)
		if (p.type == P::Decimal || p.type == P::Integer)
			r.decimals.emplace_back(p.name, json_decimal(r.params.at(p.name)));
	r.resolved_evaluation = r.spec->evaluation_of ? r.spec->evaluation_of(r) : r.spec->evaluation;
	if (r.spec->prepare)
		r.state = r.spec->prepare(r);
	return r;
}

Evaluation CompiledRule::evaluation() const {
	return resolved_evaluation;
}

namespace {
const Json &param(const CompiledRule &r, const char *name) {
	auto v = r.params.find(name);
	if (v == r.params.end())
		throw Error(sqlstate::internal_error,
		            "rule " + r.rule_code + ": parameter \"" + name + "\" missing after validation");
	return *v;
}
} // namespace

Decimal CompiledRule::dec(const char *name) const {
	for (const auto &[n, d] : decimals)
		if (n == name)
			return d;
	return json_decimal(param(*this, name));
}
int64_t CompiledRule::integer(const char *name) const {
	return static_cast<int64_t>(dec(name).units / Decimal::scale);
}
std::string CompiledRule::text(const char *name) const {
	return param(*this, name).get<std::string>();
}
std::vector<std::string> CompiledRule::list(const char *name) const {
	return param(*this, name).get<std::vector<std::string>>();
}
bool CompiledRule::flag(const char *name) const {
	return param(*this, name).get<bool>();
}

// ---------------------------------------------------------------------------------------------------
// Dispatch to the kind's operations
// ---------------------------------------------------------------------------------------------------
namespace {
// Kinds that judge payments only read payment_kind too (a refund or credit note is not judged).
std::vector<std::string> with_payment_kind(const CompiledRule &rule, std::vector<std::string> fields) {
	if (rule.spec->payments_only && rule.record_kind == RecordKind::Payment)
		fields.emplace_back("payment_kind");
	return fields;
}
} // namespace

bool skips_record(const CompiledRule &rule, const Record &record) {
	if (!rule.spec->payments_only || rule.record_kind != RecordKind::Payment)
		return false;
	static const int payment_kind_field = field_index(RecordKind::Payment, "payment_kind");
	const Value &k = record[payment_kind_field];
	return !k.null && k.text != payment_kind::payment;
}

std::vector<std::string> row_rule_fields(const CompiledRule &rule) {
	if (rule.spec->fields_of)
		return with_payment_kind(rule, rule.spec->fields_of(rule));
	return with_payment_kind(rule, {rule.spec->row_fields.begin(), rule.spec->row_fields.end()});
}

std::vector<std::string> prefilter_fields(const CompiledRule &rule) {
	return with_payment_kind(rule, {rule.spec->prefilter_fields.begin(), rule.spec->prefilter_fields.end()});
}

bool may_fire(const CompiledRule &rule, const Record &record) {
	if (skips_record(rule, record))
		return false;
	return !rule.spec->may_fire || rule.spec->may_fire(rule, record);
}

std::vector<std::string> input_alternatives(const std::string &entry) {
	std::vector<std::string> out;
	size_t from = 0;
	for (;;) {
		size_t bar = entry.find('|', from);
		out.push_back(entry.substr(from, bar == std::string::npos ? std::string::npos : bar - from));
		if (bar == std::string::npos)
			return out;
		from = bar + 1;
	}
}

std::vector<std::string> required_inputs(const CompiledRule &rule) {
	if (rule.spec->required_inputs_of)
		return rule.spec->required_inputs_of(rule);
	return {rule.spec->required_inputs.begin(), rule.spec->required_inputs.end()};
}

std::vector<std::string> missing_inputs(const CompiledRule &rule, const std::function<bool(const std::string &)> &has) {
	std::vector<std::string> missing;
	for (const std::string &entry : required_inputs(rule)) {
		const auto fields = input_alternatives(entry);
		if (std::none_of(fields.begin(), fields.end(), has))
			missing.emplace_back(entry);
	}
	return missing;
}

std::string threshold_currency(const CompiledRule &rule, const std::string &base_currency) {
	switch (rule.spec->thresholds) {
	case ThresholdCurrency::None:
		return {};
	case ThresholdCurrency::Param:
		return rule.text("currency");
	case ThresholdCurrency::Base:
		return base_currency;
	}
	return {};
}

bool needs_calendar(const CompiledRule &rule) {
	return rule.spec->needs_calendar;
}

bool evaluate_row(const CompiledRule &rule, const Record &record, const Calendar &calendar, Hit &hit) {
	hit.period.clear();
	if (!rule.spec->check_row)
		throw Error(sqlstate::internal_error, "rule kind " + rule.kind + " is not evaluated row by row");
	if (skips_record(rule, record))
		return false;
	if (!rule.spec->check_row(rule, record, calendar, hit))
		return false;
	if (rule.spec->messages.empty()) { // a kind whose check writes its own text (matter rules: the matter's title)
		hit.message_zh = hit.message;
		return true;
	}
	FindingMessages m = finding_messages(*rule.spec, hit.details);
	hit.message = std::move(m.en);
	hit.message_zh = std::move(m.zh);
	return true;
}

FindingMessages finding_messages(const RuleKindSpec &kind, std::string_view details_json) {
	return render_messages(kind.messages, parse_finding(details_json));
}

// ---------------------------------------------------------------------------------------------------
// Set-based SQL of the history rules
// ---------------------------------------------------------------------------------------------------
std::string sql_literal(const std::string &s) {
	std::string out = "'";
	bool backslash = false;
	for (char c : s) {
		if (c == '\'')
			out += "''";
		else if (c == '\\') {
			out += "\\\\";
			backslash = true;
		} else
			out += c;
	}
	out += "'";
	return backslash ? "E" + out : out;
}

std::string sql_text_array(const std::vector<std::string> &items) {
	std::string out = "ARRAY[";
	for (size_t i = 0; i < items.size(); ++i)
		out += (i ? ", " : "") + sql_literal(items[i]);
	return out + "]::pg_catalog.text[]";
}

std::string substitute(std::string text, const std::string &name, const std::string &value) {
	const std::string token = "{" + name + "}";
	size_t pos = 0;
	while ((pos = text.find(token, pos)) != std::string::npos) {
		text.replace(pos, token.size(), value);
		pos += value.size();
	}
	return text;
}

namespace {
std::string param_literal(const CompiledRule &rule, const ParamSpec &p) {
	switch (p.type) {
	case P::Decimal:
	case P::Integer:
		return "(" + rule.dec(p.name).str() + ")";
	case P::Text:
	case P::Choice:
		return sql_literal(rule.text(p.name));
	case P::TextList:
		return sql_text_array(rule.list(p.name));
	case P::Bool:
		return rule.flag(p.name) ? "true" : "false";
	case P::Object:
		return sql_literal(rule.params.at(p.name).dump()) + "::pg_catalog.jsonb";
	}
	return "NULL";
}
} // namespace

std::string rule_sql(const CompiledRule &rule) {
	if (!rule.spec->sql)
		throw Error(sqlstate::internal_error, "rule kind " + rule.kind + " has no set-based SQL");
	return bind_params(rule, rule.spec->sql(rule));
}

std::string bind_params(const CompiledRule &rule, std::string sql) {
	for (const auto &p : rule.spec->params)
		sql = substitute(sql, std::string("p:") + p.name, param_literal(rule, p));
	sql = substitute(sql, "base_currency", "oversight.setting_value('base_currency')");
	sql = substitute(
	    sql, "as_of_date",
	    "((($1)::pg_catalog.timestamptz AT TIME ZONE oversight.setting_value('timezone'))::pg_catalog.date)");
	sql = substitute(sql, "as_of", "(($1)::pg_catalog.timestamptz)");
	return sql;
}

} // namespace oversight::core
