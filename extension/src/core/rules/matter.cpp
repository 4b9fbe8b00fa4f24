// Matter rules: which records form a matter (one exercise of power) at the rule's key node, as data.
// One generic kind, matter_when, applies to every record kind: a condition over the canonical fields
// (oversight/core/condition.hpp), titles in Chinese and English with {field} placeholders, the fields
// giving the date of the act and the handler, and whether a payment is held until the matter's report is
// approved. Evaluated in the engine's C++ row pass like any row rule; its findings are not alerts:
// oversight.record_hits hands them to oversight.record_matters, which forms the matters, their
// obligations and their ladders set-based (RuleKindSpec::forms_matters).
//
// A finding's details carry what the matter needs, as JSON: event_date (yyyy-mm-dd, or null when none of
// the fields is set: the day of the write), event_date_field, handler_code, title_en, hold, confidential
// and facts (the fields the rule reads, and detail_fields, as last seen: a correction shows there).
#include "kinds.hpp"

#include "oversight/core/condition.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core::kinds {
namespace {

const char *kind_name = "matter_when";

[[noreturn]] void param_error(const std::string &param, const std::string &what, const std::string &hint = {}) {
	throw Error(sqlstate::invalid_parameter_value,
	            std::string("rule kind ") + kind_name + ": parameter \"" + param + "\" " + what, {}, hint);
}

// Compiles text with f, reporting an error as one of param.
template <typename F> auto compiled(const char *param, F &&f) -> decltype(f()) {
	try {
		return f();
	} catch (const Error &e) {
		throw Error(e.sqlstate(), std::string("rule kind ") + kind_name + ": parameter \"" + param + "\": " + e.what(),
		            e.detail(), e.hint());
	}
}

// Index of a field named in parameter param, of one of the given types; fails naming both.
int field_of(const char *param, const std::string &name, RecordKind kind, std::initializer_list<FieldType> types,
             const char *what) {
	int i = field_index(kind, name);
	if (i < 0) {
		std::string fields;
		for (const auto &f : record_fields(kind))
			fields += (fields.empty() ? "" : ", ") + std::string(f.name);
		param_error(param, "names \"" + name + "\", which is not a field of " + record_kind_name(kind),
		            "Fields of " + std::string(record_kind_name(kind)) + ": " + fields + ".");
	}
	FieldType t = record_fields(kind)[static_cast<size_t>(i)].type;
	if (std::find(types.begin(), types.end(), t) == types.end())
		param_error(param, "names \"" + name + "\", which is not " + what);
	return i;
}

struct Program : KindState {
	RecordKind kind = RecordKind::Payment;
	Condition condition;
	TextTemplate title_zh;
	bool has_title_en = false;
	TextTemplate title_en;
	std::vector<int> event_date_fields; // first non-NULL
	int handler = -1;
	bool hold = false;
	int status = -1; // payments: a payment already paid is not held
	bool confidential = false;
	std::vector<int> facts; // every field read, and detail_fields, in record order
};

Program build(const Json &params, RecordKind kind) {
	Program p;
	p.kind = kind;
	p.condition = compiled("condition", [&] {
		return Condition::compile(params.at("condition").get<std::string>(), kind, params.at("constants"));
	});
	p.title_zh =
	    compiled("title_zh", [&] { return TextTemplate::compile(params.at("title_zh").get<std::string>(), kind); });
	if (!params.at("title_en").is_null()) {
		p.has_title_en = true;
		p.title_en =
		    compiled("title_en", [&] { return TextTemplate::compile(params.at("title_en").get<std::string>(), kind); });
	}
	if (!params.at("event_date").is_null())
		for (const auto &name : params.at("event_date").get<std::vector<std::string>>())
			p.event_date_fields.push_back(
			    field_of("event_date", name, kind, {FieldType::Date, FieldType::Timestamp}, "a date or a timestamp"));
	if (!params.at("handler").is_null())
		p.handler = field_of("handler", params.at("handler").get<std::string>(), kind, {FieldType::Text},
		                     "a text field (a person code)");
	p.hold = params.at("hold").get<bool>();
	if (p.hold && kind != RecordKind::Payment)
		param_error("hold",
		            "applies to payments only (a held payment cannot become paid until the report is approved), "
		            "not to " +
		                std::string(record_kind_name(kind)));
	if (p.hold)
		p.status = field_index(kind, "status");
	p.confidential = params.at("confidential").get<bool>();
	std::vector<int> facts = p.condition.fields();
	facts.insert(facts.end(), p.title_zh.fields().begin(), p.title_zh.fields().end());
	if (p.has_title_en)
		facts.insert(facts.end(), p.title_en.fields().begin(), p.title_en.fields().end());
	facts.insert(facts.end(), p.event_date_fields.begin(), p.event_date_fields.end());
	if (p.handler >= 0)
		facts.push_back(p.handler);
	if (!params.at("detail_fields").is_null())
		for (const auto &name : params.at("detail_fields").get<std::vector<std::string>>())
			facts.push_back(field_of("detail_fields", name, kind,
			                         {FieldType::Text, FieldType::Decimal, FieldType::Integer, FieldType::BigInt,
			                          FieldType::Date, FieldType::Timestamp, FieldType::Bool},
			                         "a field a matter can keep"));
	std::sort(facts.begin(), facts.end());
	facts.erase(std::unique(facts.begin(), facts.end()), facts.end());
	p.facts = std::move(facts);
	return p;
}

const Program &program(const CompiledRule &rule) {
	if (!rule.state)
		throw Error(sqlstate::internal_error, "matter rule " + rule.rule_code + " was not prepared");
	return static_cast<const Program &>(*rule.state);
}

bool form(const CompiledRule &rule, const Record &record, const Calendar &, Hit &hit) {
	const Program &p = program(rule);
	if (!p.condition.holds(record))
		return false;
	const auto &fields = record_fields(p.kind);
	hit.message = p.title_zh.render(record);
	Json m = Json::object();
	m["event_date"] = nullptr;
	m["event_date_field"] = nullptr;
	for (int f : p.event_date_fields)
		if (!record[f].null) {
			m["event_date"] = date_text(record[f].date);
			m["event_date_field"] = fields[static_cast<size_t>(f)].name;
			break;
		}
	m["handler_code"] = p.handler >= 0 ? jtext(record[p.handler]) : Json(nullptr);
	m["title_en"] = p.has_title_en ? Json(p.title_en.render(record)) : Json(nullptr);
	bool settled = p.status >= 0 && (is(record[p.status], "paid") || is(record[p.status], "returned"));
	m["hold"] = p.hold && !settled;
	m["confidential"] = p.confidential;
	Json facts = Json::object();
	for (int f : p.facts)
		facts[fields[static_cast<size_t>(f)].name] = value_json(record[f], fields[static_cast<size_t>(f)].type);
	m["facts"] = std::move(facts);
	hit.details = m.dump();
	return true;
}

RuleKindSpec matter_when() {
	RuleKindSpec k{
	    kind_name,
	    {RK::Payment, RK::Procurement, RK::Bid, RK::Contract, RK::FundAllocation, RK::Enforcement},
	    Evaluation::Row,
	    {{"condition", P::Text, "",
	      "When a record forms a matter: a condition over the record kind's canonical fields, e.g. amount >= "
	      ":threshold AND (payment_kind IS NULL OR payment_kind = 'payment'); comparisons, IS [NOT] NULL, [NOT] IN, "
	      "[NOT] BETWEEN, AND, OR, NOT, parentheses; checked when the version is saved."},
	     {"constants", P::Object, "{}",
	      "Named values of the condition, referred to as :name (a threshold under its own name): numbers or "
	      "strings."},
	     {"title_zh", P::Text, "", "Title of the matter in Chinese, with {field} placeholders."},
	     {"title_en",
	      P::Text,
	      "",
	      "Title of the matter in English, with {field} placeholders (none: the Chinese title only).",
	      nullptr,
	      nullptr,
	      {},
	      true},
	     {"event_date",
	      P::TextList,
	      "",
	      "Fields giving the date of the act, the first one set (a date, or a timestamp: its local date); the "
	      "obligations' deadlines count from it. None given or none set: the day the record was written.",
	      nullptr,
	      nullptr,
	      {},
	      true},
	     {"handler",
	      P::Text,
	      "",
	      "Field giving the handler's person code (经办人), who owes the report, filing and disclosure (none: the "
	      "section chief).",
	      nullptr,
	      nullptr,
	      {},
	      true},
	     {"hold", P::Bool, "false",
	      "Payments only: hold the payment (it cannot become paid) until the leader in charge approves the "
	      "matter's report; a payment already paid or returned is not held."},
	     {"confidential", P::Bool, "false", "The matter may be disclosed internally only."},
	     {"detail_fields",
	      P::TextList,
	      "",
	      "More fields the matter keeps in its details, besides those the rule reads.",
	      nullptr,
	      nullptr,
	      {},
	      true}},
	    "Matter rule: every record meeting the condition forms a matter at the rule's key node (one per node and "
	    "record; a correction of the record updates it), with the obligations of the node's supervision layers "
	    "and their ladders. Forms matters, not alerts."};
	k.validate = [](const Json &params, RecordKind kind) { build(params, kind); };
	k.prepare = [](const CompiledRule &rule) -> std::shared_ptr<const KindState> {
		return std::make_shared<Program>(build(rule.params, rule.record_kind));
	};
	k.fields_of = [](const CompiledRule &rule) {
		const Program &p = program(rule);
		std::vector<int> read = p.facts;
		if (p.status >= 0)
			read.push_back(p.status);
		std::vector<std::string> names;
		for (int f : read)
			names.push_back(record_fields(p.kind)[static_cast<size_t>(f)].name);
		return names;
	};
	// Data coverage: the fields without which the condition can never hold. A load that does not provide
	// one of them is counted as cannot-evaluate instead of silently forming no matter.
	k.required_inputs_of = [](const CompiledRule &rule) {
		const Program &p = program(rule);
		std::vector<std::string> names;
		for (int f : p.condition.necessary_fields())
			names.push_back(record_fields(p.kind)[static_cast<size_t>(f)].name);
		return names;
	};
	k.title_zh = "事项规则：符合条件的记录形成事项";
	k.title_en = "Matter rule: records meeting a condition form matters";
	k.check_row = form;
	k.forms_matters = true;
	return k;
}

} // namespace

std::vector<RuleKindSpec> matter_kinds() {
	return {matter_when()};
}

} // namespace oversight::core::kinds
