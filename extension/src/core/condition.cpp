// The condition language and text templates of data-driven rules (oversight/core/condition.hpp): a
// tokenizer, a recursive-descent parser that type-checks as it builds the tree, and an evaluator with
// SQL's three-valued logic.
#include "oversight/core/condition.hpp"

#include <algorithm>
#include <cctype>

#include "oversight/core/error.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

namespace {

using Type = Condition::Type;
using Operand = Condition::Operand;
using Node = Condition::Node;
using Op = Condition::Op;
using Cmp = Condition::Cmp;

// 1-based character (not byte) position of offset in text, for messages.
size_t char_position(const std::string &text, size_t offset) {
	size_t chars = 0;
	for (size_t i = 0; i < offset && i < text.size(); ++i)
		if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
			++chars;
	return chars + 1;
}

std::string lower(std::string s) {
	for (auto &c : s)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return s;
}

const char *type_name(Type t) {
	switch (t) {
	case Type::Number:
		return "number";
	case Type::Text:
		return "text";
	case Type::Date:
		return "date";
	case Type::Bool:
		return "boolean";
	}
	return "?";
}

bool type_of_field(FieldType ft, Type &out) {
	switch (ft) {
	case FieldType::Decimal:
	case FieldType::Integer:
	case FieldType::BigInt:
		out = Type::Number;
		return true;
	case FieldType::Text:
		out = Type::Text;
		return true;
	case FieldType::Date:
	case FieldType::Timestamp:
		out = Type::Date;
		return true;
	case FieldType::Bool:
		out = Type::Bool;
		return true;
	case FieldType::Json:
		return false;
	}
	return false;
}

std::string field_list(RecordKind kind) {
	std::string out;
	for (const auto &f : record_fields(kind))
		out += (out.empty() ? "" : ", ") + std::string(f.name);
	return out;
}

// A strict yyyy-mm-dd date; false when text is not one.
bool parse_date(const std::string &text, int32_t &days) {
	if (text.size() != 10 || text[4] != '-' || text[7] != '-')
		return false;
	for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
		if (!std::isdigit(static_cast<unsigned char>(text[i])))
			return false;
	int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2)), d = std::stoi(text.substr(8, 2));
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	days = days_from_civil(y, m, d);
	int y2, m2, d2;
	civil_from_days(days, y2, m2, d2);
	return y2 == y && m2 == m && d2 == d;
}

// --- tokens -----------------------------------------------------------------------------------------
enum class Tok { Ident, Number, String, Constant, Symbol, End };
struct Token {
	Tok kind = Tok::End;
	std::string text; // identifier (lower case), number, string contents, constant name or symbol
	size_t offset = 0;
};

} // namespace

// The parser: tokens of the text, then the tree, type-checked node by node.
class ConditionParser {
public:
	ConditionParser(const std::string &text, RecordKind kind, const Json &constants)
	    : text_(text), kind_(kind), constants_(constants) {}

	Condition parse() {
		if (!constants_.is_object())
			fail(0, "the constants must be a JSON object");
		for (auto c = constants_.begin(); c != constants_.end(); ++c) {
			const std::string &name = c.key();
			bool ok = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
			for (char ch : name)
				ok = ok && (std::islower(static_cast<unsigned char>(ch)) ||
				            std::isdigit(static_cast<unsigned char>(ch)) || ch == '_');
			if (!ok)
				throw Error(sqlstate::invalid_parameter_value,
				            "constant \"" + name + "\" is not a valid name (lower-case letters, digits and _)");
			if (!c->is_number() && !c->is_string())
				throw Error(sqlstate::invalid_parameter_value,
				            "constant \"" + name + "\" must be a number or a string, not " + c->dump());
		}
		tokenize();
		if (tokens_.size() == 1)
			fail(0, "the condition is empty");
		out_.root_ = parse_or();
		if (peek().kind != Tok::End)
			fail(peek().offset, "unexpected " + describe(peek()) + " (an AND or OR missing?)");
		for (auto c = constants_.begin(); c != constants_.end(); ++c)
			if (std::find(used_constants_.begin(), used_constants_.end(), c.key()) == used_constants_.end())
				throw Error(sqlstate::invalid_parameter_value, "constant \"" + c.key() + "\" is never used", {},
				            "Refer to it as :" + c.key() + " in the condition, or remove it.");
		std::sort(out_.fields_.begin(), out_.fields_.end());
		out_.fields_.erase(std::unique(out_.fields_.begin(), out_.fields_.end()), out_.fields_.end());
		return std::move(out_);
	}

private:
	const std::string &text_;
	RecordKind kind_;
	const Json &constants_;
	std::vector<Token> tokens_;
	size_t pos_ = 0;
	Condition out_;
	std::vector<std::string> used_constants_;

	// What an operand stands for in messages, and whether it is a string still free to be read as a date.
	struct Parsed {
		Operand operand;
		std::string what;
		bool untyped_string = false;
		size_t offset = 0;
	};

	[[noreturn]] void fail(size_t offset, const std::string &what, const std::string &hint = {}) const {
		throw Error(sqlstate::invalid_parameter_value,
		            what + " at character " + std::to_string(char_position(text_, offset)), {}, hint);
	}

	static std::string describe(const Token &t) {
		switch (t.kind) {
		case Tok::End:
			return "end of the condition";
		case Tok::String:
			return "'" + t.text + "'";
		case Tok::Constant:
			return ":" + t.text;
		default:
			return "\"" + t.text + "\"";
		}
	}

	void tokenize() {
		const std::string &s = text_;
		size_t i = 0;
		while (i < s.size()) {
			unsigned char c = static_cast<unsigned char>(s[i]);
			if (std::isspace(c)) {
				++i;
				continue;
			}
			Token t;
			t.offset = i;
			if (std::isalpha(c) || c == '_') {
				size_t j = i;
				while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_'))
					++j;
				t.kind = Tok::Ident;
				t.text = lower(s.substr(i, j - i));
				i = j;
			} else if (std::isdigit(c) ||
			           (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
				size_t j = i;
				while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.'))
					++j;
				if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
					size_t k = j + 1;
					if (k < s.size() && (s[k] == '+' || s[k] == '-'))
						++k;
					if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
						j = k;
						while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))
							++j;
					}
				}
				if (j < s.size() && (std::isalpha(static_cast<unsigned char>(s[j])) || s[j] == '_'))
					fail(i, "malformed number \"" + s.substr(i, j + 1 - i) + "\"");
				t.kind = Tok::Number;
				t.text = s.substr(i, j - i);
				i = j;
			} else if (c == '\'') {
				std::string v;
				size_t j = i + 1;
				for (;;) {
					if (j >= s.size())
						fail(i, "unterminated string");
					if (s[j] == '\'') {
						if (j + 1 < s.size() && s[j + 1] == '\'') {
							v += '\'';
							j += 2;
							continue;
						}
						break;
					}
					v += s[j++];
				}
				t.kind = Tok::String;
				t.text = v;
				i = j + 1;
			} else if (c == ':') {
				size_t j = i + 1;
				while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_'))
					++j;
				if (j == i + 1)
					fail(i, "a constant needs a name after ':'");
				t.kind = Tok::Constant;
				t.text = s.substr(i + 1, j - i - 1);
				i = j;
			} else {
				static const char *symbols[] = {"<>", "!=", "<=", ">=", "=", "<", ">", "(", ")", ",", "-"};
				bool found = false;
				for (const char *sym : symbols) {
					size_t n = std::char_traits<char>::length(sym);
					if (s.compare(i, n, sym) == 0) {
						t.kind = Tok::Symbol;
						t.text = sym;
						i += n;
						found = true;
						break;
					}
				}
				if (!found) {
					size_t n = 1; // the whole UTF-8 character
					while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80)
						++n;
					fail(i, "unexpected character \"" + s.substr(i, n) + "\"");
				}
			}
			tokens_.push_back(std::move(t));
		}
		Token end;
		end.offset = s.size();
		tokens_.push_back(end);
	}

	const Token &peek(size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
	const Token &next() {
		const Token &t = peek();
		if (pos_ < tokens_.size() - 1)
			++pos_;
		return t;
	}
	bool is_keyword(const Token &t, const char *kw) const { return t.kind == Tok::Ident && t.text == kw; }
	bool is_symbol(const Token &t, const char *sym) const { return t.kind == Tok::Symbol && t.text == sym; }
	bool accept_keyword(const char *kw) {
		if (!is_keyword(peek(), kw))
			return false;
		next();
		return true;
	}
	void expect_symbol(const char *sym, const std::string &context) {
		if (!is_symbol(peek(), sym))
			fail(peek().offset, "expected \"" + std::string(sym) + "\" " + context + ", found " + describe(peek()));
		next();
	}

	int add(Node n) {
		out_.nodes_.push_back(std::move(n));
		return static_cast<int>(out_.nodes_.size() - 1);
	}

	int parse_or() {
		int left = parse_and();
		while (accept_keyword("or")) {
			Node n;
			n.op = Op::Or;
			n.left = left;
			n.right = parse_and();
			left = add(std::move(n));
		}
		return left;
	}

	int parse_and() {
		int left = parse_not();
		while (accept_keyword("and")) {
			Node n;
			n.op = Op::And;
			n.left = left;
			n.right = parse_not();
			left = add(std::move(n));
		}
		return left;
	}

	int parse_not() {
		if (accept_keyword("not")) {
			Node n;
			n.op = Op::Not;
			n.left = parse_not();
			return add(std::move(n));
		}
		return parse_predicate();
	}

	static bool reserved(const std::string &word) {
		for (const char *kw : {"and", "or", "not", "in", "is", "null", "between", "true", "false", "date"})
			if (word == kw)
				return true;
		return false;
	}

	Parsed parse_operand() {
		Parsed p;
		const Token &t = peek();
		p.offset = t.offset;
		if (t.kind == Tok::Symbol && t.text == "-") {
			next();
			const Token &n = peek();
			if (n.kind != Tok::Number)
				fail(n.offset, "expected a number after \"-\", found " + describe(n));
			p = number(n, true);
			p.offset = t.offset;
			next();
			return p;
		}
		if (t.kind == Tok::Number) {
			p = number(t, false);
			next();
			return p;
		}
		if (t.kind == Tok::String) {
			p.operand.type = Type::Text;
			p.operand.text = t.text;
			p.what = "'" + t.text + "'";
			p.untyped_string = true;
			next();
			return p;
		}
		if (t.kind == Tok::Constant) {
			auto c = constants_.find(t.text);
			if (c == constants_.end()) {
				std::string names;
				for (auto k = constants_.begin(); k != constants_.end(); ++k)
					names += (names.empty() ? "" : ", ") + std::string(":") + k.key();
				fail(t.offset, "unknown constant :" + t.text,
				     names.empty() ? "The rule defines no constants (parameter constants)."
				                   : "Constants: " + names + ".");
			}
			if (std::find(used_constants_.begin(), used_constants_.end(), t.text) == used_constants_.end())
				used_constants_.push_back(t.text);
			if (c->is_number()) {
				p.operand.type = Type::Number;
				p.operand.number = json_decimal(*c);
			} else {
				p.operand.type = Type::Text;
				p.operand.text = c->get<std::string>();
				p.untyped_string = true;
			}
			p.what = ":" + t.text;
			next();
			return p;
		}
		if (t.kind == Tok::Ident) {
			if (t.text == "true" || t.text == "false") {
				p.operand.type = Type::Bool;
				p.operand.boolean = t.text == "true";
				p.what = t.text;
				next();
				return p;
			}
			if (t.text == "date") {
				next();
				const Token &d = peek();
				if (d.kind != Tok::String)
					fail(d.offset, "expected a date in quotes after DATE, found " + describe(d));
				p.operand.type = Type::Date;
				if (!parse_date(d.text, p.operand.date))
					fail(d.offset, "'" + d.text + "' is not a date (yyyy-mm-dd)");
				p.what = "DATE '" + d.text + "'";
				next();
				return p;
			}
			if (t.text == "null")
				fail(t.offset, "NULL cannot be compared: write field IS NULL or field IS NOT NULL");
			if (reserved(t.text))
				fail(t.offset, "expected a field or a value, found " + describe(t));
			int index = field_index(kind_, t.text);
			if (index < 0)
				fail(t.offset, "unknown field \"" + t.text + "\" of " + record_kind_name(kind_),
				     "Fields of " + std::string(record_kind_name(kind_)) + ": " + field_list(kind_) + ".");
			FieldType ft = record_fields(kind_)[static_cast<size_t>(index)].type;
			if (!type_of_field(ft, p.operand.type))
				fail(t.offset, "field " + t.text + " (JSON) cannot be used in a condition");
			p.operand.field = index;
			p.operand.field_type = ft;
			p.what = "field " + t.text;
			out_.fields_.push_back(index);
			next();
			return p;
		}
		fail(t.offset, "expected a field or a value, found " + describe(t));
	}

	Parsed number(const Token &t, bool negative) {
		Parsed p;
		p.offset = t.offset;
		p.operand.type = Type::Number;
		try {
			p.operand.number = Decimal::parse(t.text);
		} catch (const Error &) {
			fail(t.offset, "malformed number \"" + t.text + "\"");
		}
		if (negative)
			p.operand.number.units = -p.operand.number.units;
		p.what = (negative ? "-" : "") + t.text;
		return p;
	}

	const Values *enumeration(const Operand &o) const {
		if (o.field < 0)
			return nullptr;
		const ColumnSpec *c = record_kind(kind_).column(record_fields(kind_)[static_cast<size_t>(o.field)].name);
		return c ? c->values : nullptr;
	}

	// Makes b comparable with a (a string read as a date where a is one), or fails saying why.
	void unify(const Parsed &a, Parsed &b, bool ordering, size_t at) {
		if (a.operand.type == Type::Date && b.untyped_string) {
			if (!parse_date(b.operand.text, b.operand.date))
				fail(b.offset, b.what + " is not a date (yyyy-mm-dd), which " + a.what + " is compared with");
			b.operand.type = Type::Date;
		}
		if (a.operand.type != b.operand.type)
			fail(at, "cannot compare " + a.what + " (" + type_name(a.operand.type) + ") with " + b.what + " (" +
			             type_name(b.operand.type) + ")");
		if (ordering && (a.operand.type == Type::Text || a.operand.type == Type::Bool))
			fail(at, std::string(type_name(a.operand.type)) + " can only be compared with = or <> (" + a.what + ")");
		if (const Values *values = enumeration(a.operand);
		    values && b.operand.field < 0 && b.operand.type == Type::Text &&
		    std::find(values->begin(), values->end(), b.operand.text) == values->end()) {
			std::string list;
			for (const auto &v : *values)
				list += (list.empty() ? "" : ", ") + v;
			fail(b.offset, "'" + b.operand.text + "' is never a value of " + a.what.substr(6) + " (" + list + ")");
		}
	}

	Parsed require_field(Parsed p, const char *what) {
		if (p.operand.field < 0)
			fail(p.offset, std::string(what) + " applies to a field, not to " + p.what);
		return p;
	}

	int parse_predicate() {
		if (is_symbol(peek(), "(")) {
			next();
			int inner = parse_or();
			expect_symbol(")", "to close the parenthesis");
			return inner;
		}
		Parsed left = parse_operand();
		const Token &t = peek();
		Node n;
		if (t.kind == Tok::Symbol && (t.text == "=" || t.text == "<>" || t.text == "!=" || t.text == "<" ||
		                              t.text == "<=" || t.text == ">" || t.text == ">=")) {
			size_t at = t.offset;
			std::string sym = t.text;
			next();
			Parsed right = parse_operand();
			n.op = Op::Compare;
			n.cmp = sym == "="                   ? Cmp::Eq
			        : sym == "<>" || sym == "!=" ? Cmp::Ne
			        : sym == "<"                 ? Cmp::Lt
			        : sym == "<="                ? Cmp::Le
			        : sym == ">"                 ? Cmp::Gt
			                                     : Cmp::Ge;
			bool ordering = n.cmp != Cmp::Eq && n.cmp != Cmp::Ne;
			if (left.operand.field < 0 && right.operand.field < 0)
				fail(left.offset,
				     "compares two values (" + left.what + " and " + right.what + "): a condition compares fields");
			if (left.operand.field >= 0)
				unify(left, right, ordering, at);
			else
				unify(right, left, ordering, at);
			n.operands = {left.operand, right.operand};
			return add(std::move(n));
		}
		if (is_keyword(t, "is")) {
			require_field(left, "IS NULL");
			next();
			n.op = Op::IsNull;
			n.negated = accept_keyword("not");
			if (!accept_keyword("null"))
				fail(peek().offset,
				     "expected NULL after IS" + std::string(n.negated ? " NOT" : "") + ", found " + describe(peek()));
			n.operands = {left.operand};
			return add(std::move(n));
		}
		bool negated = false;
		if (is_keyword(t, "not") && (is_keyword(peek(1), "in") || is_keyword(peek(1), "between"))) {
			negated = true;
			next();
		}
		if (accept_keyword("in")) {
			require_field(left, "IN");
			n.op = Op::In;
			n.negated = negated;
			n.operands = {left.operand};
			expect_symbol("(", "after IN");
			for (;;) {
				Parsed item = parse_operand();
				if (item.operand.field >= 0)
					fail(item.offset, "the list of IN holds values, not " + item.what);
				unify(left, item, false, item.offset);
				n.operands.push_back(item.operand);
				if (is_symbol(peek(), ","))
					next();
				else
					break;
			}
			expect_symbol(")", "to close the list of IN");
			return add(std::move(n));
		}
		if (accept_keyword("between")) {
			require_field(left, "BETWEEN");
			n.op = Op::Between;
			n.negated = negated;
			Parsed low = parse_operand();
			unify(left, low, true, low.offset);
			if (!accept_keyword("and"))
				fail(peek().offset, "expected AND in BETWEEN, found " + describe(peek()));
			Parsed high = parse_operand();
			unify(left, high, true, high.offset);
			n.operands = {left.operand, low.operand, high.operand};
			return add(std::move(n));
		}
		fail(t.offset, "expected a comparison (=, <>, <, <=, >, >=), IS NULL, IN or BETWEEN after " + left.what +
		                   ", found " + describe(t));
	}
};

Condition Condition::compile(const std::string &text, RecordKind kind, const Json &constants) {
	return ConditionParser(text, kind, constants).parse();
}

// ---------------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------------
namespace {

// Compares a with b of the operands' common type: -1, 0, 1; false (unknown) when either is NULL.
bool compare(const Operand &a, const Operand &b, const Record &r, int &out) {
	const Value *va = a.field >= 0 ? &r[a.field] : nullptr;
	const Value *vb = b.field >= 0 ? &r[b.field] : nullptr;
	if ((va && va->null) || (vb && vb->null))
		return false;
	switch (a.type) {
	case Type::Number: {
		auto num = [](const Operand &o, const Value *v) {
			if (!v)
				return o.number;
			return o.field_type == FieldType::Decimal ? v->dec : Decimal::from_int(v->integer);
		};
		Decimal x = num(a, va), y = num(b, vb);
		out = x < y ? -1 : y < x ? 1 : 0;
		return true;
	}
	case Type::Text: {
		const std::string &x = va ? va->text : a.text;
		const std::string &y = vb ? vb->text : b.text;
		int c = x.compare(y);
		out = c < 0 ? -1 : c > 0 ? 1 : 0;
		return true;
	}
	case Type::Date: {
		int32_t x = va ? va->date : a.date, y = vb ? vb->date : b.date;
		out = x < y ? -1 : x > y ? 1 : 0;
		return true;
	}
	case Type::Bool: {
		bool x = va ? va->integer != 0 : a.boolean, y = vb ? vb->integer != 0 : b.boolean;
		out = x == y ? 0 : x ? 1 : -1;
		return true;
	}
	}
	return false;
}

Truth truth(bool b) {
	return b ? Truth::True : Truth::False;
}
Truth negate(Truth t) {
	return t == Truth::Unknown ? t : t == Truth::True ? Truth::False : Truth::True;
}

} // namespace

namespace {
constexpr unsigned bit(Truth t) {
	return 1u << static_cast<unsigned>(t);
}
constexpr unsigned any_truth = bit(Truth::True) | bit(Truth::False) | bit(Truth::Unknown);
// Every outcome of combining an outcome of a with one of b by op (AND / OR as eval computes them).
unsigned combine(unsigned a, unsigned b, bool is_and) {
	unsigned out = 0;
	for (Truth x : {Truth::False, Truth::True, Truth::Unknown})
		for (Truth y : {Truth::False, Truth::True, Truth::Unknown}) {
			if (!(a & bit(x)) || !(b & bit(y)))
				continue;
			Truth r;
			if (is_and)
				r = x == Truth::False || y == Truth::False ? Truth::False
				    : x == Truth::True && y == Truth::True ? Truth::True
				                                           : Truth::Unknown;
			else
				r = x == Truth::True || y == Truth::True     ? Truth::True
				    : x == Truth::False && y == Truth::False ? Truth::False
				                                             : Truth::Unknown;
			out |= bit(r);
		}
	return out;
}
} // namespace

unsigned Condition::possible_without(int index, int field) const {
	const Node &n = nodes_[static_cast<size_t>(index)];
	auto reads = [&](size_t from) {
		for (size_t i = from; i < n.operands.size(); ++i)
			if (n.operands[i].field == field)
				return true;
		return false;
	};
	switch (n.op) {
	case Op::And:
	case Op::Or:
		return combine(possible_without(n.left, field), possible_without(n.right, field), n.op == Op::And);
	case Op::Not: {
		unsigned a = possible_without(n.left, field), out = a & bit(Truth::Unknown);
		if (a & bit(Truth::True))
			out |= bit(Truth::False);
		if (a & bit(Truth::False))
			out |= bit(Truth::True);
		return out;
	}
	case Op::IsNull:
		if (n.operands[0].field == field)
			return bit(n.negated ? Truth::False : Truth::True);
		return bit(Truth::True) | bit(Truth::False);
	case Op::Compare:
	case Op::Between: // a NULL operand: unknown (eval)
		return reads(0) ? bit(Truth::Unknown) : any_truth;
	case Op::In: // a NULL field tested: unknown; a NULL list member just matches nothing
		return n.operands[0].field == field ? bit(Truth::Unknown) : any_truth;
	}
	return any_truth;
}

std::vector<int> Condition::necessary_fields() const {
	std::vector<int> out;
	for (int f : fields_)
		if (!(possible_without(root_, f) & bit(Truth::True)))
			out.push_back(f);
	return out;
}

Truth Condition::evaluate(const Record &record) const {
	return eval(root_, record);
}

Truth Condition::eval(int index, const Record &record) const {
	const Node &n = nodes_[static_cast<size_t>(index)];
	switch (n.op) {
	case Op::And: {
		Truth a = eval(n.left, record);
		if (a == Truth::False)
			return a;
		Truth b = eval(n.right, record);
		if (b == Truth::False)
			return b;
		return a == Truth::True && b == Truth::True ? Truth::True : Truth::Unknown;
	}
	case Op::Or: {
		Truth a = eval(n.left, record);
		if (a == Truth::True)
			return a;
		Truth b = eval(n.right, record);
		if (b == Truth::True)
			return b;
		return a == Truth::False && b == Truth::False ? Truth::False : Truth::Unknown;
	}
	case Op::Not:
		return negate(eval(n.left, record));
	case Op::IsNull:
		return truth(record[n.operands[0].field].null != n.negated);
	case Op::Compare: {
		int c;
		if (!compare(n.operands[0], n.operands[1], record, c))
			return Truth::Unknown;
		switch (n.cmp) {
		case Cmp::Eq:
			return truth(c == 0);
		case Cmp::Ne:
			return truth(c != 0);
		case Cmp::Lt:
			return truth(c < 0);
		case Cmp::Le:
			return truth(c <= 0);
		case Cmp::Gt:
			return truth(c > 0);
		case Cmp::Ge:
			return truth(c >= 0);
		}
		return Truth::Unknown;
	}
	case Op::In: {
		if (record[n.operands[0].field].null)
			return Truth::Unknown;
		for (size_t i = 1; i < n.operands.size(); ++i) {
			int c;
			if (compare(n.operands[0], n.operands[i], record, c) && c == 0)
				return truth(!n.negated);
		}
		return truth(n.negated);
	}
	case Op::Between: {
		int lo, hi;
		if (!compare(n.operands[0], n.operands[1], record, lo) || !compare(n.operands[0], n.operands[2], record, hi))
			return Truth::Unknown;
		return truth((lo >= 0 && hi <= 0) != n.negated);
	}
	}
	return Truth::Unknown;
}

// ---------------------------------------------------------------------------------------------------
// Values as text and JSON; templates
// ---------------------------------------------------------------------------------------------------
std::string value_text(const Value &v, FieldType type) {
	if (v.null)
		return {};
	switch (type) {
	case FieldType::Decimal:
		return v.dec.str();
	case FieldType::Integer:
	case FieldType::BigInt:
		return std::to_string(v.integer);
	case FieldType::Date:
	case FieldType::Timestamp:
		return date_text(v.date);
	case FieldType::Bool:
		return v.integer ? "true" : "false";
	case FieldType::Text:
	case FieldType::Json:
		return v.text;
	}
	return v.text;
}

Json value_json(const Value &v, FieldType type) {
	if (v.null)
		return nullptr;
	switch (type) {
	case FieldType::Decimal:
		try {
			return decimal_json(v.dec);
		} catch (const Error &) {
			return v.dec.str(); // exact text when no double holds it
		}
	case FieldType::Integer:
	case FieldType::BigInt:
		return v.integer;
	case FieldType::Bool:
		return v.integer != 0;
	default:
		return value_text(v, type);
	}
}

TextTemplate TextTemplate::compile(const std::string &text, RecordKind kind) {
	TextTemplate t;
	t.kind_ = kind;
	std::string literal;
	for (size_t i = 0; i < text.size(); ++i) {
		char c = text[i];
		if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
			literal += '{';
			++i;
		} else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
			literal += '}';
			++i;
		} else if (c == '}') {
			throw Error(sqlstate::invalid_parameter_value,
			            "unmatched \"}\" at character " + std::to_string(char_position(text, i)), {},
			            "Write }} for a brace.");
		} else if (c == '{') {
			size_t close = text.find('}', i);
			if (close == std::string::npos)
				throw Error(sqlstate::invalid_parameter_value,
				            "unclosed \"{\" at character " + std::to_string(char_position(text, i)), {},
				            "Placeholders are {field}; write {{ for a brace.");
			std::string name = text.substr(i + 1, close - i - 1);
			size_t b = name.find_first_not_of(' '), e = name.find_last_not_of(' ');
			name = b == std::string::npos ? std::string() : name.substr(b, e - b + 1);
			int index = field_index(kind, name);
			if (index < 0)
				throw Error(sqlstate::invalid_parameter_value,
				            "unknown field {" + name + "} of " + record_kind_name(kind) + " at character " +
				                std::to_string(char_position(text, i)),
				            {}, "Fields of " + std::string(record_kind_name(kind)) + ": " + field_list(kind) + ".");
			if (!literal.empty())
				t.parts_.push_back({std::move(literal), -1});
			literal.clear();
			t.parts_.push_back({{}, index});
			t.fields_.push_back(index);
			i = close;
		} else
			literal += c;
	}
	if (!literal.empty())
		t.parts_.push_back({std::move(literal), -1});
	std::sort(t.fields_.begin(), t.fields_.end());
	t.fields_.erase(std::unique(t.fields_.begin(), t.fields_.end()), t.fields_.end());
	return t;
}

std::string TextTemplate::render(const Record &record) const {
	std::string out;
	const auto &fields = record_fields(kind_);
	for (const auto &p : parts_)
		if (p.field < 0)
			out += p.text;
		else
			out += value_text(record[p.field], fields[static_cast<size_t>(p.field)].type);
	return out;
}

} // namespace oversight::core
