#include "oversight/core/json.hpp"

#include <cstdio>

#include "oversight/core/error.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

Json Json::boolean(bool b) {
	Json j;
	j.type_ = Type::Bool;
	j.bool_ = b;
	return j;
}
Json Json::number(std::string text) {
	Json j;
	j.type_ = Type::Number;
	j.text_ = std::move(text);
	return j;
}
Json Json::string(std::string s) {
	Json j;
	j.type_ = Type::String;
	j.text_ = std::move(s);
	return j;
}
Json Json::array() {
	Json j;
	j.type_ = Type::Array;
	return j;
}
Json Json::object() {
	Json j;
	j.type_ = Type::Object;
	return j;
}

const Json *Json::find(const std::string &key) const {
	if (type_ != Type::Object)
		return nullptr;
	auto it = members_.find(key);
	return it == members_.end() ? nullptr : &it->second;
}
void Json::push(Json v) { items_.push_back(std::move(v)); }
void Json::set(const std::string &key, Json v) { members_[key] = std::move(v); }

void json_quote(std::string &out, const std::string &s) {
	out += '"';
	for (unsigned char c : s) {
		switch (c) {
		case '"': out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\n': out += "\\n"; break;
		case '\r': out += "\\r"; break;
		case '\t': out += "\\t"; break;
		case '\b': out += "\\b"; break;
		case '\f': out += "\\f"; break;
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

namespace {
void dump_to(const Json &j, std::string &out) {
	switch (j.type()) {
	case Json::Type::Null: out += "null"; break;
	case Json::Type::Bool: out += j.as_bool() ? "true" : "false"; break;
	case Json::Type::Number: out += j.text(); break;
	case Json::Type::String: json_quote(out, j.text()); break;
	case Json::Type::Array: {
		out += '[';
		bool first = true;
		for (const auto &v : j.items()) {
			if (!first)
				out += ", ";
			first = false;
			dump_to(v, out);
		}
		out += ']';
		break;
	}
	case Json::Type::Object: {
		out += '{';
		bool first = true;
		for (const auto &[k, v] : j.members()) {
			if (!first)
				out += ", ";
			first = false;
			json_quote(out, k);
			out += ": ";
			dump_to(v, out);
		}
		out += '}';
		break;
	}
	}
}

class Parser {
public:
	explicit Parser(const std::string &s) : s_(s) {}
	Json parse_document() {
		Json v = value();
		ws();
		if (pos_ != s_.size())
			fail("unexpected text after the JSON value");
		return v;
	}

private:
	const std::string &s_;
	size_t pos_ = 0;
	int depth_ = 0;

	[[noreturn]] void fail(const std::string &what) {
		throw Error("22P02", "invalid JSON: " + what + " at offset " + std::to_string(pos_));
	}
	void ws() {
		while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
			++pos_;
	}
	bool literal(const char *word) {
		size_t n = std::char_traits<char>::length(word);
		if (s_.compare(pos_, n, word) == 0) {
			pos_ += n;
			return true;
		}
		return false;
	}
	Json value() {
		ws();
		if (pos_ >= s_.size())
			fail("unexpected end");
		if (++depth_ > 64)
			fail("nesting too deep");
		Json out;
		char c = s_[pos_];
		if (c == '{')
			out = object();
		else if (c == '[')
			out = array();
		else if (c == '"')
			out = Json::string(string());
		else if (literal("true"))
			out = Json::boolean(true);
		else if (literal("false"))
			out = Json::boolean(false);
		else if (literal("null"))
			out = Json::null();
		else if (c == '-' || (c >= '0' && c <= '9'))
			out = number();
		else
			fail(std::string("unexpected character '") + c + "'");
		--depth_;
		return out;
	}
	Json number() {
		size_t start = pos_;
		if (s_[pos_] == '-')
			++pos_;
		auto digits = [&] {
			size_t d = pos_;
			while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
				++pos_;
			return pos_ - d;
		};
		if (digits() == 0)
			fail("digit expected");
		if (pos_ < s_.size() && s_[pos_] == '.') {
			++pos_;
			if (digits() == 0)
				fail("digit expected after '.'");
		}
		if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
			++pos_;
			if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-'))
				++pos_;
			if (digits() == 0)
				fail("digit expected in exponent");
		}
		return Json::number(s_.substr(start, pos_ - start));
	}
	static void utf8(std::string &out, unsigned cp) {
		if (cp < 0x80)
			out += static_cast<char>(cp);
		else if (cp < 0x800) {
			out += static_cast<char>(0xC0 | (cp >> 6));
			out += static_cast<char>(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			out += static_cast<char>(0xE0 | (cp >> 12));
			out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
			out += static_cast<char>(0x80 | (cp & 0x3F));
		} else {
			out += static_cast<char>(0xF0 | (cp >> 18));
			out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
			out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
			out += static_cast<char>(0x80 | (cp & 0x3F));
		}
	}
	unsigned hex4() {
		if (pos_ + 4 > s_.size())
			fail("short \\u escape");
		unsigned v = 0;
		for (int i = 0; i < 4; ++i) {
			char c = s_[pos_++];
			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= c - '0';
			else if (c >= 'a' && c <= 'f')
				v |= c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				v |= c - 'A' + 10;
			else
				fail("bad hex digit in \\u escape");
		}
		return v;
	}
	std::string string() {
		++pos_; // opening quote
		std::string out;
		while (true) {
			if (pos_ >= s_.size())
				fail("unterminated string");
			char c = s_[pos_++];
			if (c == '"')
				break;
			if (static_cast<unsigned char>(c) < 0x20)
				fail("control character in string");
			if (c != '\\') {
				out += c;
				continue;
			}
			if (pos_ >= s_.size())
				fail("unterminated escape");
			char e = s_[pos_++];
			switch (e) {
			case '"': out += '"'; break;
			case '\\': out += '\\'; break;
			case '/': out += '/'; break;
			case 'b': out += '\b'; break;
			case 'f': out += '\f'; break;
			case 'n': out += '\n'; break;
			case 'r': out += '\r'; break;
			case 't': out += '\t'; break;
			case 'u': {
				unsigned cp = hex4();
				if (cp >= 0xD800 && cp < 0xDC00 && pos_ + 6 <= s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
					pos_ += 2;
					unsigned lo = hex4();
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				}
				utf8(out, cp);
				break;
			}
			default: fail("bad escape");
			}
		}
		return out;
	}
	Json array() {
		++pos_;
		Json a = Json::array();
		ws();
		if (pos_ < s_.size() && s_[pos_] == ']') {
			++pos_;
			return a;
		}
		while (true) {
			a.push(value());
			ws();
			if (pos_ < s_.size() && s_[pos_] == ',') {
				++pos_;
				continue;
			}
			if (pos_ < s_.size() && s_[pos_] == ']') {
				++pos_;
				return a;
			}
			fail("',' or ']' expected");
		}
	}
	Json object() {
		++pos_;
		Json o = Json::object();
		ws();
		if (pos_ < s_.size() && s_[pos_] == '}') {
			++pos_;
			return o;
		}
		while (true) {
			ws();
			if (pos_ >= s_.size() || s_[pos_] != '"')
				fail("member name expected");
			std::string k = string();
			ws();
			if (pos_ >= s_.size() || s_[pos_] != ':')
				fail("':' expected");
			++pos_;
			o.set(k, value());
			ws();
			if (pos_ < s_.size() && s_[pos_] == ',') {
				++pos_;
				continue;
			}
			if (pos_ < s_.size() && s_[pos_] == '}') {
				++pos_;
				return o;
			}
			fail("',' or '}' expected");
		}
	}
};
} // namespace

std::string Json::dump() const {
	std::string out;
	dump_to(*this, out);
	return out;
}

Json Json::parse(const std::string &text) { return Parser(text).parse_document(); }

} // namespace oversight::core
