// The written rows that may pair with another written row (rules.hpp, PairSpec): what lets the engine
// judge a large batch's duplicates without joining the batch with itself in SQL.
#include "oversight/core/rules.hpp"

#include <algorithm>
#include <cstring>

namespace oversight::core {

void PairGroup::word(uint64_t w) {
	h_ ^= w;
	h_ *= 0xbf58476d1ce4e5b9ULL; // splitmix64's multiplier and shift
	h_ ^= h_ >> 31;
}

// Whole words, then the tail zero-padded: unambiguous, since every text is preceded by its length.
void PairGroup::bytes(const void *p, size_t n) {
	const auto *b = static_cast<const unsigned char *>(p);
	for (; n >= 8; b += 8, n -= 8) {
		uint64_t w;
		std::memcpy(&w, b, 8);
		word(w);
	}
	if (n > 0) {
		uint64_t w = 0;
		std::memcpy(&w, b, n);
		word(w);
	}
}

PairGroup &PairGroup::add(const Value &text_value) {
	// A length prefix keeps ("ab", "c") apart from ("a", "bc"); NULL has a length no text has.
	const uint64_t len = text_value.null ? UINT64_MAX : text_value.text.size();
	bytes(&len, sizeof len);
	if (!text_value.null)
		bytes(text_value.text.data(), text_value.text.size());
	return *this;
}

PairGroup &PairGroup::add(const Decimal &d) {
	bytes(&d.units, sizeof d.units);
	return *this;
}

bool may_pair(const CompiledRule &rule, const PairProbe &a, const PairProbe &b) {
	const PairSpec &spec = *rule.spec->pairs;
	const int64_t apart = static_cast<int64_t>(a.date) - b.date;
	return a.group == b.group && (apart < 0 ? -apart : apart) <= spec.window_days(rule) &&
	       (!spec.amounts_close || spec.amounts_close(rule, a.amount, b.amount));
}

std::vector<int64_t> pair_clusters(const CompiledRule &rule, std::vector<PairProbe> &probes, size_t rows) {
	const PairSpec &spec = *rule.spec->pairs;
	const int64_t window = spec.window_days(rule);
	std::sort(probes.begin(), probes.end(), [](const PairProbe &a, const PairProbe &b) {
		return a.group != b.group ? a.group < b.group : a.date < b.date;
	});
	// Union-find over the rows: each root is the least row of its cluster.
	std::vector<int64_t> parent(rows, -1);
	auto root = [&](int64_t r) {
		int64_t top = r;
		while (parent[static_cast<size_t>(top)] != top)
			top = parent[static_cast<size_t>(top)];
		while (parent[static_cast<size_t>(r)] != top) { // path compression
			const int64_t next = parent[static_cast<size_t>(r)];
			parent[static_cast<size_t>(r)] = top;
			r = next;
		}
		return top;
	};
	auto link = [&](int64_t a, int64_t b) {
		for (int64_t r : {a, b})
			if (parent[static_cast<size_t>(r)] < 0)
				parent[static_cast<size_t>(r)] = r;
		a = root(a);
		b = root(b);
		if (a != b)
			parent[static_cast<size_t>(std::max(a, b))] = std::min(a, b);
	};
	for (size_t i = 0; i < probes.size(); ++i) {
		const PairProbe &a = probes[i];
		for (size_t j = i + 1; j < probes.size(); ++j) {
			const PairProbe &b = probes[j];
			if (b.group != a.group || static_cast<int64_t>(b.date) - a.date > window)
				break;
			if (may_pair(rule, a, b))
				link(a.row, b.row);
		}
	}
	for (size_t r = 0; r < rows; ++r)
		if (parent[r] >= 0)
			parent[r] = root(static_cast<int64_t>(r));
	return parent;
}

} // namespace oversight::core
