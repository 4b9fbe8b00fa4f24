// Messages of findings: the values of a finding, the template syntax and the terms of each language
// (oversight/core/messages.hpp).
#include "oversight/core/messages.hpp"

#include <cstdio>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "oversight/core/error.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

std::optional<Language> parse_language(std::string_view code) {
	if (code == "zh")
		return Language::Zh;
	if (code == "en")
		return Language::En;
	return std::nullopt;
}

const char *language_code(Language language) {
	return language == Language::Zh ? "zh" : "en";
}

// ---------------------------------------------------------------------------------------------------
// Finding values
// ---------------------------------------------------------------------------------------------------
const FindingValue *FindingValue::member(std::string_view name) const {
	for (const auto &[k, v] : members)
		if (k == name)
			return &v;
	return nullptr;
}

namespace {

void json_string(std::string &out, const std::string &s) {
	out += '"';
	for (unsigned char c : s) {
		switch (c) {
		case '"':
			out += "\\\"";
			break;
		case '\\':
			out += "\\\\";
			break;
		case '\b':
			out += "\\b";
			break;
		case '\f':
			out += "\\f";
			break;
		case '\n':
			out += "\\n";
			break;
		case '\r':
			out += "\\r";
			break;
		case '\t':
			out += "\\t";
			break;
		default:
			if (c < 0x20) {
				char buf[8];
				std::snprintf(buf, sizeof buf, "\\u%04x", c);
				out += buf;
			} else
				out += static_cast<char>(c);
		}
	}
	out += '"';
}

void json_text(std::string &out, const FindingValue &v) {
	using T = FindingValue::Type;
	switch (v.type) {
	case T::Null:
		out += "null";
		break;
	case T::Text:
		json_string(out, v.text);
		break;
	case T::Number:
	case T::Bool:
		out += v.text;
		break;
	case T::Array:
		out += '[';
		for (size_t i = 0; i < v.items.size(); ++i) {
			if (i)
				out += ", ";
			json_text(out, v.items[i]);
		}
		out += ']';
		break;
	case T::Object:
		out += '{';
		for (size_t i = 0; i < v.members.size(); ++i) {
			if (i)
				out += ", ";
			json_string(out, v.members[i].first);
			out += ": ";
			json_text(out, v.members[i].second);
		}
		out += '}';
		break;
	}
}

// nlohmann's SAX interface, keeping each number's text as written (its DOM would make 60000.00 a double).
class FindingBuilder {
public:
	using json = nlohmann::json;
	explicit FindingBuilder(FindingValue &root) : root_(root) {}

	bool null() { return add(FindingValue{}); }
	bool boolean(bool b) { return add(scalar(FindingValue::Type::Bool, b ? "true" : "false")); }
	bool number_integer(json::number_integer_t n) { return add(scalar(FindingValue::Type::Number, std::to_string(n))); }
	bool number_unsigned(json::number_unsigned_t n) {
		return add(scalar(FindingValue::Type::Number, std::to_string(n)));
	}
	bool number_float(json::number_float_t, const std::string &text) {
		return add(scalar(FindingValue::Type::Number, text));
	}
	bool string(std::string &s) { return add(scalar(FindingValue::Type::Text, s)); }
	bool binary(json::binary_t &) { return false; }
	bool start_object(std::size_t) {
		FindingValue v;
		v.type = FindingValue::Type::Object;
		return open(std::move(v));
	}
	bool key(std::string &k) {
		key_ = k;
		return true;
	}
	bool end_object() {
		stack_.pop_back();
		return true;
	}
	bool start_array(std::size_t) {
		FindingValue v;
		v.type = FindingValue::Type::Array;
		return open(std::move(v));
	}
	bool end_array() {
		stack_.pop_back();
		return true;
	}
	bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &e) {
		throw Error("22P02", std::string("malformed finding details: ") + e.what());
	}

private:
	static FindingValue scalar(FindingValue::Type type, std::string text) {
		FindingValue v;
		v.type = type;
		v.text = std::move(text);
		return v;
	}
	// Places v in the current container (or as the root) and returns where it now lives.
	FindingValue *place(FindingValue &&v) {
		if (stack_.empty()) {
			root_ = std::move(v);
			return &root_;
		}
		FindingValue &parent = *stack_.back();
		if (parent.type == FindingValue::Type::Object) {
			parent.members.emplace_back(key_, std::move(v));
			return &parent.members.back().second;
		}
		parent.items.push_back(std::move(v));
		return &parent.items.back();
	}
	bool add(FindingValue &&v) {
		place(std::move(v));
		return true;
	}
	bool open(FindingValue &&v) {
		stack_.push_back(place(std::move(v)));
		return true;
	}

	FindingValue &root_;
	std::vector<FindingValue *> stack_; // containers being filled; a parent never grows while a child is open
	std::string key_;
};

} // namespace

std::string FindingValue::json() const {
	std::string out;
	json_text(out, *this);
	return out;
}

FindingValue parse_finding(std::string_view details_json) {
	FindingValue root;
	root.type = FindingValue::Type::Object;
	if (details_json.empty())
		return root;
	FindingBuilder builder(root);
	nlohmann::json::sax_parse(details_json.begin(), details_json.end(), &builder);
	if (root.type == FindingValue::Type::Null) { // details: null
		root.type = FindingValue::Type::Object;
		return root;
	}
	return root;
}

// ---------------------------------------------------------------------------------------------------
// Terms: what a code reads as in Chinese. English messages show the codes themselves (they are English).
// ---------------------------------------------------------------------------------------------------
std::string_view term(std::string_view code, Language language) {
	if (language == Language::En)
		return code;
	static const std::unordered_map<std::string_view, const char *> zh = {
	    // procurement methods (OCDS) and categories
	    {"open", "公开招标"},
	    {"selective", "邀请招标"},
	    {"limited", "竞争性谈判或磋商"},
	    {"direct", "单一来源"},
	    {"goods", "货物"},
	    {"services", "服务"},
	    {"works", "工程"},
	    // record kinds
	    {"payment", "支付"},
	    {"procurement", "采购"},
	    {"bid", "投标"},
	    {"contract", "合同"},
	    {"fund_allocation", "资金分配"},
	    {"enforcement", "行政处罚"},
	    // relations of staff accounts
	    {"self", "本人"},
	    {"spouse", "配偶"},
	    {"child", "子女"},
	    {"parent", "父母"},
	    {"sibling", "兄弟姐妹"},
	    {"other_relative", "其他亲属"},
	    // sign-off levels
	    {"handler", "经办人"},
	    {"section_chief", "科长"},
	    {"leader_in_charge", "分管领导"},
	    // periods of cumulative limits
	    {"month", "月度"},
	    {"quarter", "季度"},
	    {"year", "年度"},
	    // currencies
	    {"CNY", "元"},
	    // expense types of the official-card catalogue (公务卡强制结算目录)
	    {"office", "办公费"},
	    {"printing", "印刷费"},
	    {"consulting", "咨询费"},
	    {"fees", "手续费"},
	    {"utilities", "水电费"},
	    {"post", "邮电费"},
	    {"property_management", "物业管理费"},
	    {"travel", "差旅费"},
	    {"repair", "维修（护）费"},
	    {"rental", "租赁费"},
	    {"meeting", "会议费"},
	    {"training", "培训费"},
	    {"hospitality", "公务接待费"},
	    {"vehicle", "公务用车运行维护费"},
	    {"transport_other", "其他交通费用"},
	};
	auto it = zh.find(code);
	return it == zh.end() ? code : std::string_view(it->second);
}

// ---------------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------------
namespace {

enum class Filter { None, Term, Key };

[[noreturn]] void syntax_error(std::string_view tmpl, const std::string &what) {
	throw Error(sqlstate::internal_error, "message template \"" + std::string(tmpl) + "\": " + what);
}

// One piece of a template: literal text, a placeholder, or a section with its body.
struct Token {
	enum class Kind { Text, Value, Section } kind = Kind::Text;
	std::string_view text; // Text: the literal; Value/Section: the path
	Filter filter = Filter::None;
	std::string_view body; // Section: the template between {#path} and {/path}
};

// Reads the next token of tmpl at pos (advanced past it).
Token next_token(std::string_view tmpl, size_t &pos) {
	Token t;
	size_t start = pos;
	if (tmpl[pos] == '{' && pos + 1 < tmpl.size() && tmpl[pos + 1] == '{') {
		pos += 2;
		t.text = tmpl.substr(start, 1);
		return t;
	}
	if (tmpl[pos] == '}') {
		if (pos + 1 < tmpl.size() && tmpl[pos + 1] == '}') {
			pos += 2;
			t.text = tmpl.substr(start, 1);
			return t;
		}
		syntax_error(tmpl, "a lone } (write }} for a brace)");
	}
	if (tmpl[pos] != '{') {
		size_t end = tmpl.find_first_of("{}", pos);
		if (end == std::string_view::npos)
			end = tmpl.size();
		t.text = tmpl.substr(pos, end - pos);
		pos = end;
		return t;
	}
	size_t close = tmpl.find('}', pos);
	if (close == std::string_view::npos)
		syntax_error(tmpl, "a { is never closed");
	std::string_view inner = tmpl.substr(pos + 1, close - pos - 1);
	pos = close + 1;
	if (inner.empty())
		syntax_error(tmpl, "an empty placeholder {}");
	if (inner[0] == '/')
		syntax_error(tmpl, "{" + std::string(inner) + "} closes no section");
	if (inner[0] == '#') {
		t.kind = Token::Kind::Section;
		t.text = inner.substr(1);
		const std::string closing = "{/" + std::string(t.text) + "}";
		size_t end = tmpl.find(closing, pos);
		if (end == std::string_view::npos)
			syntax_error(tmpl, "section {#" + std::string(t.text) + "} is never closed");
		t.body = tmpl.substr(pos, end - pos);
		pos = end + closing.size();
		return t;
	}
	t.kind = Token::Kind::Value;
	size_t bar = inner.find('|');
	t.text = inner.substr(0, bar);
	if (bar != std::string_view::npos) {
		std::string_view f = inner.substr(bar + 1);
		if (f == "term")
			t.filter = Filter::Term;
		else if (f == "key")
			t.filter = Filter::Key;
		else
			syntax_error(tmpl, "unknown filter |" + std::string(f) + " (term or key)");
	}
	if (t.text.empty())
		syntax_error(tmpl, "a placeholder without a name");
	return t;
}

// The value a path names: its first segment in the innermost context holding it, then members and
// list elements.
const FindingValue *lookup(const std::vector<const FindingValue *> &contexts, std::string_view path) {
	size_t dot = path.find('.');
	std::string_view first = path.substr(0, dot);
	const FindingValue *v = nullptr;
	for (auto it = contexts.rbegin(); it != contexts.rend() && !v; ++it)
		if ((*it)->type == FindingValue::Type::Object)
			v = (*it)->member(first);
	while (v && dot != std::string_view::npos) {
		path = path.substr(dot + 1);
		dot = path.find('.');
		std::string_view segment = path.substr(0, dot);
		if (v->type == FindingValue::Type::Object)
			v = v->member(segment);
		else if (v->type == FindingValue::Type::Array) {
			size_t index = 0;
			bool digits = !segment.empty();
			for (char c : segment)
				if (c >= '0' && c <= '9')
					index = index * 10 + static_cast<size_t>(c - '0');
				else
					digits = false;
			v = digits && index < v->items.size() ? &v->items[index] : nullptr;
		} else
			v = nullptr;
	}
	return v;
}

const char *separator(Language language) {
	return language == Language::Zh ? "、" : ", ";
}

void format_value(std::string &out, const FindingValue &v, Filter filter, Language language) {
	using T = FindingValue::Type;
	switch (v.type) {
	case T::Null:
		break;
	case T::Text:
	case T::Number:
	case T::Bool:
		if (filter == Filter::Term)
			out += term(v.text, language);
		else
			out += v.text;
		break;
	case T::Array:
		for (size_t i = 0; i < v.items.size(); ++i) {
			if (i)
				out += separator(language);
			format_value(out, v.items[i], filter, language);
		}
		break;
	case T::Object:
		if (filter == Filter::Key)
			for (size_t i = 0; i < v.members.size(); ++i) {
				if (i)
					out += separator(language);
				format_value(out, v.members[i].second, Filter::None, language);
			}
		else
			json_text(out, v);
		break;
	}
}

void render(std::string_view tmpl, std::vector<const FindingValue *> &contexts, Language language, Rendered &out) {
	size_t pos = 0;
	while (pos < tmpl.size()) {
		Token t = next_token(tmpl, pos);
		if (t.kind == Token::Kind::Text) {
			out.text += t.text;
			continue;
		}
		const FindingValue *v = lookup(contexts, t.text);
		if (!v) {
			out.complete = false;
			continue;
		}
		if (t.kind == Token::Kind::Value) {
			format_value(out.text, *v, t.filter, language);
			continue;
		}
		// A section: once per element of a list, once for any other value that is not null.
		if (v->type == FindingValue::Type::Array) {
			for (size_t i = 0; i < v->items.size(); ++i) {
				if (i)
					out.text += separator(language);
				contexts.push_back(&v->items[i]);
				render(t.body, contexts, language, out);
				contexts.pop_back();
			}
		} else if (v->type != FindingValue::Type::Null) {
			contexts.push_back(v);
			render(t.body, contexts, language, out);
			contexts.pop_back();
		}
	}
}

void placeholders(std::string_view tmpl, const std::string &prefix, std::vector<std::string> &out) {
	size_t pos = 0;
	while (pos < tmpl.size()) {
		Token t = next_token(tmpl, pos);
		if (t.kind == Token::Kind::Value)
			out.push_back(prefix + std::string(t.text));
		else if (t.kind == Token::Kind::Section) {
			out.push_back(prefix + std::string(t.text));
			placeholders(t.body, prefix + std::string(t.text) + ".", out);
		}
	}
}

} // namespace

Rendered render_template(std::string_view tmpl, const FindingValue &values, Language language) {
	Rendered out;
	std::vector<const FindingValue *> contexts{&values};
	render(tmpl, contexts, language, out);
	return out;
}

std::vector<std::string> template_placeholders(std::string_view tmpl) {
	std::vector<std::string> out;
	placeholders(tmpl, "", out);
	return out;
}

FindingMessages render_messages(const std::vector<MessageTemplate> &templates, const FindingValue &values) {
	FindingMessages out;
	if (templates.empty()) {
		out.complete = false;
		return out;
	}
	const MessageTemplate *chosen = &templates.front();
	if (templates.size() > 1 || chosen->finding) {
		const FindingValue *finding = values.member("finding");
		const MessageTemplate *match = nullptr;
		if (finding && finding->type == FindingValue::Type::Text)
			for (const auto &t : templates)
				if (t.finding && finding->text == t.finding)
					match = &t;
		if (match)
			chosen = match;
		else
			out.complete = false;
	}
	Rendered en = render_template(chosen->en, values, Language::En);
	Rendered zh = render_template(chosen->zh, values, Language::Zh);
	out.en = std::move(en.text);
	out.zh = std::move(zh.text);
	out.complete = out.complete && en.complete && zh.complete;
	return out;
}

} // namespace oversight::core
