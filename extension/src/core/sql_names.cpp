// A small SQL tokenizer that reports names resolved through search_path (see sql_names.hpp).
#include "oversight/core/sql_names.hpp"

#include <cctype>
#include <string_view>
#include <unordered_set>

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {
namespace {

enum class Kind { Word, QuotedWord, String, Number, Punct, End };

struct Token {
	Kind kind = Kind::End;
	std::string text; // lower-cased for words
};

class Lexer {
public:
	explicit Lexer(const std::string &sql) : s_(sql) {}

	Token next() {
		skip_space_and_comments();
		Token t;
		if (i_ >= s_.size())
			return t;
		const char c = s_[i_];
		if (c == '\'') {
			t.kind = Kind::String;
			skip_quoted('\'');
		} else if (c == '"') {
			t.kind = Kind::QuotedWord;
			size_t start = ++i_;
			while (i_ < s_.size() && !(s_[i_] == '"' && !(i_ + 1 < s_.size() && s_[i_ + 1] == '"')))
				i_ += s_[i_] == '"' ? 2 : 1;
			t.text = s_.substr(start, i_ - start);
			++i_;
		} else if (c == '$' && i_ + 1 < s_.size() && !std::isdigit(static_cast<unsigned char>(s_[i_ + 1]))) {
			t.kind = Kind::String; // dollar-quoted string $tag$…$tag$
			size_t end = s_.find('$', i_ + 1);
			std::string tag = s_.substr(i_, end == std::string::npos ? 1 : end - i_ + 1);
			size_t close = s_.find(tag, i_ + tag.size());
			i_ = close == std::string::npos ? s_.size() : close + tag.size();
		} else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80)) {
			t.kind = Kind::Word;
			size_t start = i_;
			while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' ||
			                          s_[i_] == '$' || (s_[i_] & 0x80)))
				++i_;
			for (size_t k = start; k < i_; ++k)
				t.text += static_cast<char>(std::tolower(static_cast<unsigned char>(s_[k])));
		} else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '$')) {
			t.kind = Kind::Number; // numbers and $n parameters
			++i_;
			while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.'))
				++i_;
		} else {
			t.kind = Kind::Punct;
			if (c == ':' && i_ + 1 < s_.size() && s_[i_ + 1] == ':') {
				t.text = "::";
				i_ += 2;
			} else {
				t.text = std::string(1, c);
				++i_;
			}
		}
		return t;
	}

private:
	void skip_quoted(char q) {
		++i_;
		while (i_ < s_.size()) {
			if (s_[i_] == q) {
				if (i_ + 1 < s_.size() && s_[i_ + 1] == q) {
					i_ += 2;
					continue;
				}
				++i_;
				return;
			}
			++i_;
		}
	}

	void skip_space_and_comments() {
		for (;;) {
			while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_])))
				++i_;
			if (s_.compare(i_, 2, "--") == 0) {
				size_t eol = s_.find('\n', i_);
				i_ = eol == std::string::npos ? s_.size() : eol;
			} else if (s_.compare(i_, 2, "/*") == 0) {
				size_t close = s_.find("*/", i_ + 2);
				i_ = close == std::string::npos ? s_.size() : close + 2;
			} else
				return;
		}
	}

	const std::string &s_;
	size_t i_ = 0;
};

// Words after which "(" or a string literal is SQL syntax, not a function call or a typed literal.
// COALESCE, GREATEST, LEAST, NULLIF, EXTRACT, POSITION, SUBSTRING, TRIM, OVERLAY and AT TIME ZONE are
// grammar constructs bound to pg_catalog by the parser, never looked up through search_path.
const std::unordered_set<std::string_view> &syntax_words() {
	static const std::unordered_set<std::string_view> words = {
	    "select", "from",       "where",   "and",       "or",        "not",       "in",        "exists",    "any",
	    "all",    "some",       "values",  "lateral",   "on",        "join",      "using",     "when",      "then",
	    "else",   "case",       "as",      "by",        "between",   "is",        "distinct",  "over",      "filter",
	    "with",   "ordinality", "rows",    "union",     "except",    "intersect", "coalesce",  "greatest",  "least",
	    "nullif", "extract",    "cast",    "array",     "row",       "position",  "substring", "trim",      "overlay",
	    "like",   "ilike",      "similar", "into",      "returning", "set",       "group",     "order",     "having",
	    "limit",  "offset",     "window",  "partition", "within",    "conflict",  "do",        "update",    "insert",
	    "delete", "default",    "cross",   "inner",     "outer",     "natural",   "asc",       "desc",      "nulls",
	    "first",  "last",       "escape",  "for",       "of",        "only",      "table",     "recursive", "collate",
	    "at",     "zone",       "return",  "end",       "interval",  "timestamp", "time"};
	return words;
}

// Type names the grammar itself binds to pg_catalog (SystemTypeName): safe without a schema.
const std::unordered_set<std::string_view> &grammar_types() {
	static const std::unordered_set<std::string_view> types = {
	    "integer", "int",     "bigint",    "smallint", "numeric", "decimal",  "boolean",   "real", "float",
	    "double",  "varchar", "character", "char",     "bit",     "interval", "timestamp", "time"};
	return types;
}

bool is_string_prefix(const std::string &w) {
	return w == "e" || w == "b" || w == "x" || w == "n" || w == "u";
}

} // namespace

std::vector<std::string> unqualified_names(const std::string &sql) {
	std::vector<std::string> found;
	Lexer lex(sql);
	Token prev, tok = lex.next();
	while (tok.kind != Kind::End) {
		Token next = lex.next();
		const bool qualified = prev.kind == Kind::Punct && prev.text == ".";
		const bool is_schema = next.kind == Kind::Punct && next.text == ".";
		if ((tok.kind == Kind::Word || tok.kind == Kind::QuotedWord) && !qualified && !is_schema) {
			const bool after_cast = prev.kind == Kind::Punct && prev.text == "::";
			const bool call = next.kind == Kind::Punct && next.text == "(";
			const bool syntax = tok.kind == Kind::Word && syntax_words().count(tok.text);
			if (after_cast) {
				if (!(tok.kind == Kind::Word && grammar_types().count(tok.text)))
					found.push_back("::" + tok.text);
			} else if (call && !syntax && !(prev.kind == Kind::Word && prev.text == "as"))
				found.push_back(tok.text + "(");
			else if (next.kind == Kind::String && tok.kind == Kind::Word && !syntax && !is_string_prefix(tok.text) &&
			         !grammar_types().count(tok.text))
				found.push_back(tok.text + " '…'");
		}
		prev = tok;
		tok = next;
	}
	return found;
}

} // namespace oversight::core
