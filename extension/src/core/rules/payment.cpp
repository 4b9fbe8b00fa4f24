// Rule kinds of payments: duplicates, contracts, cash, SME deadlines, staff payees, round amounts,
// non-working-day approvals, sign-offs.
#include "kinds.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core::kinds {
namespace {

// The expense types that must be paid with the official card (公务卡强制结算目录).
const char *official_card_types =
    "[\"office\", \"printing\", \"consulting\", \"fees\", \"utilities\", \"post\", \"property_management\", "
    "\"travel\", "
    "\"repair\", \"rental\", \"meeting\", \"training\", \"hospitality\", \"vehicle\", \"transport_other\"]";

bool is_cash(const Fields &f) {
	return is(f("payment_method"), payment_method::cash);
}

// The payment fields the pair probes read, by position: looked up once, not per field and row (the probes run
// on every row of a large batch).
struct PairFields {
	int invoice_no = field_index(RK::Payment, "invoice_no"), amount = field_index(RK::Payment, "amount"),
	    currency = field_index(RK::Payment, "currency"), payee_account = field_index(RK::Payment, "payee_account"),
	    payee_name = field_index(RK::Payment, "payee_name"), paid_on = field_index(RK::Payment, "paid_on"),
	    requested_on = field_index(RK::Payment, "requested_on"), status = field_index(RK::Payment, "status"),
	    payment_kind = field_index(RK::Payment, "payment_kind");
};
const PairFields &pair_fields() {
	static const PairFields f;
	return f;
}

// Pair probes of the duplicate kinds: a returned payment, a refund or a credit note is in no pair.
bool pairable_payment(const Record &r) {
	const Value &status = r[pair_fields().status], &kind = r[pair_fields().payment_kind];
	return (status.null || status.text != "returned") && (kind.null || kind.text == payment_kind::payment);
}
// The first of the dates that is set (coalesce), else fallback.
int32_t first_date(const Value &a, const Value &b, int32_t fallback) {
	return !a.null ? a.date : !b.null ? b.date : fallback;
}

// --- payment_duplicate ---------------------------------------------------------------------------
const char *sql_duplicate = R"SQL(
SELECT {table} AS object_table, GREATEST(b.__key, h.__key) AS object_key, '' AS period,
       CASE WHEN b.__key > h.__key THEN b.__unit ELSE h.__unit END AS unit_code,
       pg_catalog.jsonb_build_object('duplicate_of', LEAST(b.__key, h.__key), 'payee', coalesce(b.payee_account, b.payee_name),
         'amount', b.amount, 'currency', b.currency, 'invoice_no', b.invoice_no) AS details
  FROM {batch} b
  JOIN {hist} h ON h.invoice_no = b.invoice_no AND h.amount = b.amount
 WHERE b.invoice_no IS NOT NULL AND {other_row:h:b}
   AND h.currency IS NOT DISTINCT FROM b.currency
   AND coalesce(h.payee_account, h.payee_name) = coalesce(b.payee_account, b.payee_name)
   AND coalesce(h.status, '') <> 'returned' AND coalesce(b.status, '') <> 'returned'
   AND coalesce(b.payment_kind, 'payment') = 'payment' AND coalesce(h.payment_kind, 'payment') = 'payment'
   AND pg_catalog.abs(coalesce(h.paid_on, h.requested_on, '2000-01-01') - coalesce(b.paid_on, b.requested_on, '2000-01-01')) <= {p:lookback_days}
)SQL";

RuleKindSpec payment_duplicate() {
	RuleKindSpec k{"payment_duplicate",
	               {RK::Payment},
	               Evaluation::Batch,
	               {{"lookback_days", P::Integer, "400",
	                 "Only earlier payments paid (or requested) within this many days are compared.", "1", "3660"}},
	               "Same payee, amount, currency and invoice number as another payment. The alert is on the later "
	               "payment (greater key)."};
	k.title_zh = "重复支付";
	k.title_en = "Duplicate payment";
	k.messages = {
	    {nullptr,
	     "重复支付：收款人、金额（{amount} {currency|term}）和发票号（{invoice_no}）均与付款 {duplicate_of|key} 相同",
	     "duplicate payment: same payee, amount {amount} {currency} and invoice {invoice_no} as payment "
	     "{duplicate_of}"}};
	k.prefilter_fields = {"invoice_no"};
	k.may_fire = [](const CompiledRule &rule, const Record &record) {
		return !Fields(rule, record)("invoice_no").null;
	};
	k.sql = [](const CompiledRule &) -> std::string { return sql_duplicate; };
	// Same invoice, amount, currency and payee (account, else name), dates within the look-back (a day wider:
	// a timestamp column's local date may differ from its SQL cast by one).
	k.pairs = PairSpec{{"invoice_no", "amount", "currency", "payee_account", "payee_name", "paid_on", "requested_on",
	                    "status", "payment_kind"},
	                   "paid_on", "requested_on",
	                   [](const CompiledRule &, const Record &r, PairProbe &probe) {
		                   const PairFields &f = pair_fields();
		                   const Value &invoice = r[f.invoice_no], &amount = r[f.amount],
		                               &payee = r[f.payee_account].null ? r[f.payee_name] : r[f.payee_account];
		                   if (invoice.null || amount.null || payee.null || !pairable_payment(r))
			                   return false;
		                   probe.group = PairGroup().add(invoice).add(amount.dec).add(payee).add(r[f.currency]).hash();
		                   probe.date = first_date(r[f.paid_on], r[f.requested_on], 0);
		                   return true;
	                   },
	                   [](const CompiledRule &rule) { return static_cast<int32_t>(rule.integer("lookback_days") + 1); },
	                   nullptr};
	k.lookup = LookupSpec{"invoice_no"}; // a partner has the same invoice number
	k.required_inputs = {"invoice_no", "amount", "payee_account|payee_name"};
	k.optional_inputs = {"currency", "paid_on", "requested_on", "status", "payment_kind"};
	k.payments_only = true;
	return k;
}

// --- payment_near_duplicate ----------------------------------------------------------------------
// amounts: the alerted (later-keyed) payment's first, whichever of the two rows is the written one, so that a
// pair written in one batch gives the same message on every path and plan.
const char *sql_near_duplicate = R"SQL(
SELECT {table}, GREATEST(b.__key, h.__key), '',
       CASE WHEN b.__key > h.__key THEN b.__unit ELSE h.__unit END,
       pg_catalog.jsonb_build_object('similar_to', LEAST(b.__key, h.__key), 'amounts', CASE WHEN b.__key > h.__key THEN pg_catalog.jsonb_build_array(b.amount, h.amount)
                                                                             ELSE pg_catalog.jsonb_build_array(h.amount, b.amount) END,
         'payee_name', b.payee_name,
         'days_apart', pg_catalog.abs(coalesce(b.paid_on, b.requested_on) - coalesce(h.paid_on, h.requested_on)))
  FROM {batch} b
  JOIN {hist} h ON h.payee_name = b.payee_name
              AND coalesce(h.paid_on, h.requested_on) BETWEEN coalesce(b.paid_on, b.requested_on) - {p:window_days}
                                                          AND coalesce(b.paid_on, b.requested_on) + {p:window_days}
 WHERE {other_row:h:b} AND b.amount >= {p:min_amount} AND h.amount >= {p:min_amount}
   AND h.currency IS NOT DISTINCT FROM b.currency
   AND pg_catalog.abs(h.amount - b.amount) <= GREATEST(h.amount, b.amount) * {p:amount_tolerance_pct} / 100
   AND NOT (h.amount = b.amount AND h.invoice_no IS NOT DISTINCT FROM b.invoice_no AND b.invoice_no IS NOT NULL)
   AND coalesce(h.status, '') <> 'returned' AND coalesce(b.status, '') <> 'returned'
   AND coalesce(b.payment_kind, 'payment') = 'payment' AND coalesce(h.payment_kind, 'payment') = 'payment'
)SQL";

RuleKindSpec payment_near_duplicate() {
	RuleKindSpec k{
	    "payment_near_duplicate",
	    {RK::Payment},
	    Evaluation::Batch,
	    {{"amount_tolerance_pct", P::Decimal, "1",
	      "Amounts within this percentage of the larger one are near-identical.", "0", "50"},
	     {"window_days", P::Integer, "7", "Payment dates at most this many days apart.", "0", "366"},
	     {"min_amount", P::Decimal, "10000", "Ignore payments below this amount.", "0"}},
	    "Same payee name, amount within a tolerance, dates within a window, different invoice or none (possible "
	    "double payment)."};
	k.title_zh = "疑似重复支付";
	k.title_en = "Possible double payment";
	k.messages = {
	    {nullptr,
	     "疑似重复支付：{days_apart} 天内向 {payee_name} 支付 {amounts.0} 和 {amounts.1}（另见付款 {similar_to|key}）",
	     "possible double payment to {payee_name}: {amounts.0} and {amounts.1} within {days_apart} days (payment "
	     "{similar_to})"}};
	k.prefilter_fields = {"amount"};
	k.may_fire = [](const CompiledRule &rule, const Record &record) {
		const Value &amount = Fields(rule, record)("amount");
		return !amount.null && amount.dec >= rule.dec("min_amount");
	};
	k.sql = [](const CompiledRule &) -> std::string { return sql_near_duplicate; };
	// Same payee name and currency, both amounts at least min_amount and within the tolerance, dates within the
	// window (a day wider, as for duplicates; the tolerance a millionth wider: the SQL decides).
	k.pairs = PairSpec{{"payee_name", "amount", "currency", "paid_on", "requested_on", "status", "payment_kind"},
	                   "paid_on", "requested_on",
	                   [](const CompiledRule &rule, const Record &r, PairProbe &probe) {
		                   const PairFields &f = pair_fields();
		                   const Value &payee = r[f.payee_name], &amount = r[f.amount], &paid = r[f.paid_on],
		                               &requested = r[f.requested_on];
		                   if (payee.null || amount.null || (paid.null && requested.null) ||
		                       amount.dec < rule.dec("min_amount") || !pairable_payment(r))
			                   return false;
		                   probe.group = PairGroup().add(payee).add(r[f.currency]).hash();
		                   probe.date = first_date(paid, requested, 0);
		                   probe.amount = amount.dec;
		                   return true;
	                   },
	                   [](const CompiledRule &rule) { return static_cast<int32_t>(rule.integer("window_days") + 1); },
	                   [](const CompiledRule &rule, const Decimal &a, const Decimal &b) {
		                   // |a - b| <= max(a, b) * pct / 100, exactly, in units of a millionth
		                   const __int128 diff = a.units > b.units ? a.units - b.units : b.units - a.units;
		                   const __int128 larger = a.units > b.units ? a.units : b.units;
		                   return diff * 100 * Decimal::scale <= larger * rule.dec("amount_tolerance_pct").units + 100 * Decimal::scale;
	                   }};
	k.lookup = LookupSpec{"payee_name"}; // a partner has the same payee name
	k.required_inputs = {"payee_name", "amount", "paid_on|requested_on"};
	k.optional_inputs = {"currency", "invoice_no", "status", "payment_kind"};
	k.thresholds = ThresholdCurrency::Base;
	k.payments_only = true;
	return k;
}

// --- payments on a contract ----------------------------------------------------------------------
bool has_contract(const CompiledRule &rule, const Record &record) {
	return !Fields(rule, record)("contract_code").null;
}

// Paid net of refunds and credit notes: a reversal counts against its contract (its own contract_code,
// else that of the payment it reverses, refund_of).
const char *sql_exceeds_contract = R"SQL(
SELECT 'oversight.contract', pg_catalog.jsonb_build_object('contract_code', c.contract_code), '', c.buyer_unit_code,
       pg_catalog.jsonb_build_object('paid', s.paid - r.refunded, 'contract_amount', c.amount, 'payments', s.n, 'tolerance_pct', {p:tolerance_pct},
         'contract_code', c.contract_code, 'currency', c.currency)
         || CASE WHEN r.refunded > 0 THEN pg_catalog.jsonb_build_object('paid_gross', s.paid, 'refunded', r.refunded) ELSE '{}'::pg_catalog.jsonb END
  FROM (SELECT DISTINCT b.contract_code FROM {batch} b WHERE b.contract_code IS NOT NULL AND coalesce(b.payment_kind, 'payment') = 'payment') g
  JOIN oversight.contract c ON c.contract_code = g.contract_code AND c.amount IS NOT NULL
 CROSS JOIN LATERAL (SELECT pg_catalog.sum(h.amount) AS paid, pg_catalog.count(*) AS n FROM {hist} h
                      WHERE h.contract_code = c.contract_code AND h.currency IS NOT DISTINCT FROM c.currency
                        AND coalesce(h.status, '') <> 'returned' AND coalesce(h.payment_kind, 'payment') = 'payment') s
 CROSS JOIN LATERAL (SELECT coalesce(pg_catalog.sum(h.amount), 0) AS refunded FROM {hist} h
                      WHERE h.payment_kind IN ('refund', 'credit_note') AND h.currency IS NOT DISTINCT FROM c.currency
                        AND coalesce(h.status, '') <> 'returned'
                        AND (h.contract_code = c.contract_code
                             OR (h.contract_code IS NULL AND h.refund_of IN (SELECT p.payment_code FROM {hist} p WHERE p.contract_code = c.contract_code)))) r
 WHERE s.paid - r.refunded > c.amount * (1 + {p:tolerance_pct} / 100.0)
)SQL";

RuleKindSpec payment_exceeds_contract() {
	RuleKindSpec k{
	    "payment_exceeds_contract",
	    {RK::Payment},
	    Evaluation::Batch,
	    {{"tolerance_pct", P::Decimal, "0", "Payments may exceed the contract amount by this percentage.", "0", "100"}},
	    "Payments on a contract (not returned) total more than the contract amount."};
	k.title_zh = "支付超过合同金额";
	k.title_en = "Payments exceed the contract amount";
	k.messages = {{nullptr, "合同 {contract_code} 累计支付 {paid} {currency|term}，超过合同金额 {contract_amount}",
	               "payments on contract {contract_code} total {paid} {currency}, above the contract amount "
	               "{contract_amount}"}};
	k.prefilter_fields = {"contract_code"};
	k.may_fire = has_contract;
	k.sql = [](const CompiledRule &) -> std::string { return sql_exceeds_contract; };
	k.required_inputs = {"contract_code", "amount"};
	k.optional_inputs = {"currency", "status", "payment_kind", "refund_of", "payment_code"};
	k.required_links = {"oversight.contract"};
	k.payments_only = true;
	k.judges_history = true;
	return k;
}

const char *sql_before_signed = R"SQL(
SELECT {table}, b.__key, '', b.__unit,
       pg_catalog.jsonb_build_object('contract_code', c.contract_code, 'signed_on', c.signed_on, 'payment_date', coalesce(b.paid_on, b.requested_on),
         'finding', CASE WHEN c.signed_on IS NULL THEN 'unsigned' ELSE 'before_signature' END)
  FROM {batch} b
  JOIN oversight.contract c ON c.contract_code = b.contract_code
 WHERE coalesce(b.paid_on, b.requested_on) IS NOT NULL AND coalesce(b.payment_kind, 'payment') = 'payment'
   AND (c.signed_on IS NULL OR coalesce(b.paid_on, b.requested_on) < c.signed_on)
)SQL";

RuleKindSpec payment_before_contract_signed() {
	RuleKindSpec k{"payment_before_contract_signed",
	               {RK::Payment},
	               Evaluation::Batch,
	               {},
	               "Payment dated before its contract was signed, or on a contract with no signature date."};
	k.title_zh = "合同签订前支付";
	k.title_en = "Payment before the contract was signed";
	k.messages = {{"unsigned", "合同 {contract_code} 没有签订日期，却已据此付款",
	               "payment on contract {contract_code}, which has no signature date"},
	              {"before_signature", "付款日期 {payment_date} 早于合同 {contract_code} 的签订日期 {signed_on}",
	               "payment dated {payment_date} before contract {contract_code} was signed on {signed_on}"}};
	k.prefilter_fields = {"contract_code"};
	k.may_fire = has_contract;
	k.sql = [](const CompiledRule &) -> std::string { return sql_before_signed; };
	k.required_inputs = {"contract_code", "paid_on|requested_on"};
	k.optional_inputs = {"payment_kind"};
	k.required_links = {"oversight.contract"};
	k.payments_only = true;
	return k;
}

// --- cash_single ---------------------------------------------------------------------------------
RuleKindSpec cash_single() {
	RuleKindSpec k{
	    "cash_single",
	    {RK::Payment},
	    Evaluation::Row,
	    {{"limit", P::Decimal, "50000", "Largest cash withdrawal allowed without an alert (exclusive).", "0"},
	     {"currency", P::Text, "\"CNY\"", "Currency the limit is in; other currencies are not compared."}},
	    "A single cash payment above the limit (大额现金提取)."};
	k.title_zh = "单笔大额提取现金";
	k.title_en = "Large single cash withdrawal";
	k.messages = {{nullptr, "单笔现金支付 {amount} {currency|term}，超过单笔提取现金限额 {limit}",
	               "cash payment of {amount} {currency} exceeds the single-withdrawal limit of {limit}"}};
	k.row_fields = {"payment_method", "amount", "currency", "payee_name"};
	k.check_row = [](const CompiledRule &rule, const Record &record, const Calendar &, Hit &hit) {
		Fields f(rule, record);
		const Value &amount = f("amount");
		if (!is_cash(f) || amount.null || !currency_is(f("currency"), rule.text("currency")))
			return false;
		Decimal limit = rule.dec("limit");
		if (!(amount.dec > limit))
			return false;
		hit.details = details({{"amount", jdec(amount.dec)},
		                       {"limit", jdec(limit)},
		                       {"payee_name", jtext(f("payee_name"))},
		                       {"currency", Json(rule.text("currency"))}});
		return true;
	};
	k.required_inputs = {"payment_method", "amount"};
	k.optional_inputs = {"currency", "payee_name", "payment_kind"};
	k.thresholds = ThresholdCurrency::Param;
	k.payments_only = true;
	return k;
}

// --- cash_cumulative -----------------------------------------------------------------------------
const char *sql_cash_cumulative = R"SQL(
SELECT {table}, pg_catalog.jsonb_build_object('payer_unit_code', g.unit), g.period_label, g.unit,
       pg_catalog.jsonb_build_object('total', s.total, 'limit', {p:limit}, 'payments', s.n, 'period', {p:period},
         'unit_code', g.unit, 'period_label', g.period_label, 'currency', {p:currency})
  FROM (SELECT DISTINCT b.payer_unit_code AS unit, pg_catalog.date_trunc({p:period}, b.paid_on)::pg_catalog.date AS period_start,
               CASE {p:period} WHEN 'month' THEN pg_catalog.to_char(b.paid_on, 'YYYY-MM')
                               WHEN 'quarter' THEN pg_catalog.to_char(b.paid_on, 'YYYY-"Q"Q')
                               ELSE pg_catalog.to_char(b.paid_on, 'YYYY') END AS period_label
          FROM {batch} b
         WHERE b.payment_method = 'cash' AND b.paid_on IS NOT NULL AND b.payer_unit_code IS NOT NULL
           AND coalesce(b.currency, {base_currency}) = {p:currency} AND coalesce(b.payment_kind, 'payment') = 'payment') g
 CROSS JOIN LATERAL (SELECT pg_catalog.sum(h.amount) AS total, pg_catalog.count(*) AS n FROM {hist} h
                      WHERE h.payer_unit_code = g.unit AND h.payment_method = 'cash'
                        AND h.paid_on >= g.period_start AND h.paid_on < g.period_start + ('1 ' || {p:period})::interval
                        AND coalesce(h.currency, {base_currency}) = {p:currency} AND coalesce(h.status, '') <> 'returned'
                        AND coalesce(h.payment_kind, 'payment') = 'payment') s
 WHERE s.total > {p:limit}
)SQL";

RuleKindSpec cash_cumulative() {
	RuleKindSpec k{"cash_cumulative",
	               {RK::Payment},
	               Evaluation::Batch,
	               {{"limit", P::Decimal, "", "Cash paid by one unit in one period must not exceed this.", "0"},
	                {"period",
	                 P::Choice,
	                 "\"month\"",
	                 "Calendar period of the cumulative limit.",
	                 nullptr,
	                 nullptr,
	                 {"month", "quarter", "year"}},
	                {"currency", P::Text, "\"CNY\"", "Currency the limit is in."}},
	               "Cash paid by one unit in one calendar month, quarter or year above the limit (one alert per unit "
	               "and period)."};
	k.title_zh = "累计提取现金超限";
	k.title_en = "Cumulative cash withdrawals over the limit";
	k.messages = {
	    {nullptr,
	     "单位 {unit_code} 在 {period_label} 累计提取现金 {total} {currency|term}，超过{period|term}限额 {limit}",
	     "cash paid by unit {unit_code} in {period_label} totals {total} {currency}, above the {period}ly limit "
	     "of {limit}"}};
	k.prefilter_fields = {"payment_method"};
	k.may_fire = [](const CompiledRule &rule, const Record &record) { return is_cash(Fields(rule, record)); };
	k.sql = [](const CompiledRule &) -> std::string { return sql_cash_cumulative; };
	k.required_inputs = {"payment_method", "amount", "paid_on", "payer_unit_code"};
	k.optional_inputs = {"currency", "status", "payment_kind"};
	k.thresholds = ThresholdCurrency::Param;
	k.payments_only = true;
	k.judges_history = true;
	return k;
}

// --- cash_official_card_type ---------------------------------------------------------------------
RuleKindSpec cash_official_card_type() {
	RuleKindSpec k{"cash_official_card_type",
	               {RK::Payment},
	               Evaluation::Row,
	               {{"expense_types", P::TextList, official_card_types,
	                 "Expense types that must be paid with the official card (公务卡强制结算目录)."},
	                {"min_amount", P::Decimal, "0", "Ignore cash payments below this amount.", "0"}},
	               "Cash used for an expense type that must be settled by official card."};
	k.title_zh = "应使用公务卡结算的支出使用现金";
	k.title_en = "Cash used for an official-card expense type";
	k.messages = {{nullptr,
	               "{expense_type|term}（{expense_type}）以现金支付 {amount}，按公务卡强制结算目录应使用公务卡结算",
	               "cash used for expense type \"{expense_type}\", which must be settled by official card (公务卡)"}};
	k.row_fields = {"payment_method", "expense_type", "amount"};
	k.check_row = [](const CompiledRule &rule, const Record &record, const Calendar &, Hit &hit) {
		Fields f(rule, record);
		const Value &type = f("expense_type");
		if (!is_cash(f) || type.null || f("amount").null)
			return false;
		if (!in_list(rule.list("expense_types"), type.text) || f("amount").dec < rule.dec("min_amount"))
			return false;
		hit.details = details({{"expense_type", jtext(type)}, {"amount", jdec(f("amount").dec)}});
		return true;
	};
	k.required_inputs = {"payment_method", "expense_type", "amount"};
	k.optional_inputs = {"payment_kind"};
	k.payments_only = true;
	return k;
}

// --- sme_payment_overdue (sweep) -----------------------------------------------------------------
const char *sql_sme_overdue = R"SQL(
SELECT {table}, h.__key, '', h.__unit,
       pg_catalog.jsonb_build_object('delivered_on', h.delivered_on, 'due', d.due, 'term_days', d.term,
         'days_late', coalesce(h.paid_on, {as_of_date}) - d.due, 'late_interest_per_day_pct', 0.05,
         'payee_name', h.payee_name, 'paid_on', h.paid_on, 'as_of', {as_of_date},
         'finding', CASE WHEN h.paid_on IS NULL THEN 'unpaid' ELSE 'paid_late' END)
  FROM {hist} h
  JOIN oversight.party p ON p.party_code = h.payee_party_code AND p.is_sme
  LEFT JOIN oversight.contract c ON c.contract_code = h.contract_code
 CROSS JOIN LATERAL (SELECT CASE WHEN {p:use_contract_term} THEN LEAST(coalesce(c.payment_term_days, {p:days}), {p:max_term_days})
                                 ELSE {p:days} END AS term) t
 CROSS JOIN LATERAL (SELECT h.delivered_on + t.term AS due, t.term) d
 WHERE h.delivered_on IS NOT NULL AND coalesce(h.status, '') <> 'returned' AND coalesce(h.payment_kind, 'payment') = 'payment'
   AND ((h.paid_on IS NULL AND {as_of_date} > d.due) OR h.paid_on > d.due)
)SQL";

RuleKindSpec sme_payment_overdue() {
	RuleKindSpec k{
	    "sme_payment_overdue",
	    {RK::Payment},
	    Evaluation::Sweep,
	    {{"days", P::Integer, "30", "Days after delivery within which an SME must be paid (保障中小企业款项支付条例).",
	      "1", "365"},
	     {"use_contract_term", P::Bool, "true", "Use the contract's payment_term_days when it has one."},
	     {"max_term_days", P::Integer, "60", "A contract term longer than this is capped to it.", "1", "365"}},
	    "Payment to an SME still unpaid (or paid) after the deadline counted from delivery."};
	k.title_zh = "逾期未向中小企业付款";
	k.title_en = "SME payment overdue";
	k.messages = {{"unpaid",
	               "应付中小企业 {payee_name} 的款项截至 {as_of} 仍未支付，付款期限为 {due}（{delivered_on} 交付后 "
	               "{term_days} 日），已逾期 "
	               "{days_late} 日",
	               "payment to SME {payee_name} still unpaid on {as_of}, due {due} ({term_days} days after delivery on "
	               "{delivered_on})"},
	              {"paid_late",
	               "向中小企业 {payee_name} 的付款于 {paid_on} 才支付，晚于付款期限 {due}（{delivered_on} 交付后 "
	               "{term_days} 日），逾期 "
	               "{days_late} 日",
	               "payment to SME {payee_name} paid on {paid_on}, due {due} ({term_days} days after delivery on "
	               "{delivered_on})"}};
	k.sql = [](const CompiledRule &) -> std::string { return sql_sme_overdue; };
	k.required_inputs = {"payee_party_code", "delivered_on", "paid_on"};
	k.optional_inputs = {"contract_code", "status", "payment_kind", "payee_name"};
	k.required_links = {"oversight.party"};
	k.candidates = "coalesce(x.status, '') <> 'returned'";
	k.optional_links = {"oversight.contract"};
	k.payments_only = true;
	return k;
}

// --- payee_staff_account -------------------------------------------------------------------------
const char *sql_staff_account = R"SQL(
SELECT {table}, b.__key, '', b.__unit,
       pg_catalog.jsonb_build_object('payee_account', b.payee_account,
         'matches', pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('person_code', p.person_code, 'relation', a.relation, 'holder_name', a.holder_name,
                                                                       'full_name', p.full_name) ORDER BY p.person_code))
  FROM {batch} b
  JOIN oversight.person_account a ON a.account_no = b.payee_account
  JOIN oversight.person p ON p.person_code = a.person_code
 WHERE a.relation = ANY ({p:relations}) AND coalesce(b.payment_kind, 'payment') = 'payment'
 GROUP BY b.__key, b.__unit, b.payee_account
)SQL";

RuleKindSpec payee_staff_account() {
	RuleKindSpec k{
	    "payee_staff_account",
	    {RK::Payment},
	    Evaluation::Batch,
	    {{"relations", P::TextList, "[\"self\", \"spouse\", \"child\", \"parent\", \"sibling\", \"other_relative\"]",
	      "Relations of oversight.person_account that count."}},
	    "Payee account belongs to a staff member or a staff member's relative."};
	k.title_zh = "收款账户属于本单位职工或其亲属";
	k.title_en = "Payee account of a staff member or relative";
	k.messages = {
	    {nullptr, "收款账户 {payee_account} 属于本单位职工或其亲属：{#matches}{full_name}（{relation|term}）{/matches}",
	     "payee account {payee_account} belongs to staff {#matches}{full_name} ({relation}){/matches}"}};
	k.prefilter_fields = {"payee_account"};
	k.may_fire = [](const CompiledRule &rule, const Record &record) {
		return !Fields(rule, record)("payee_account").null;
	};
	k.sql = [](const CompiledRule &) -> std::string { return sql_staff_account; };
	k.required_inputs = {"payee_account"};
	k.optional_inputs = {"payment_kind"};
	k.required_links = {"oversight.person_account"};
	k.lookup = LookupSpec{"payee_account", "oversight.person_account", "account_no"};
	k.payments_only = true;
	return k;
}

// --- round_amount --------------------------------------------------------------------------------
RuleKindSpec round_amount() {
	RuleKindSpec k{"round_amount",
	               {RK::Payment},
	               Evaluation::Row,
	               {{"modulus", P::Decimal, "10000", "An amount that is a multiple of this is round.", "0.01"},
	                {"min_amount", P::Decimal, "50000", "Only amounts at or above this are signalled.", "0"}},
	               "Round amount (low-severity signal)."};
	k.title_zh = "整数金额支付";
	k.title_en = "Round amount";
	k.messages = {
	    {nullptr, "整数金额支付 {amount}（{modulus} 的整倍数）", "round amount {amount} (a multiple of {modulus})"}};
	k.row_fields = {"amount"};
	k.check_row = [](const CompiledRule &rule, const Record &record, const Calendar &, Hit &hit) {
		const Value &amount = Fields(rule, record)("amount");
		if (amount.null || amount.dec < rule.dec("min_amount") || !amount.dec.is_multiple_of(rule.dec("modulus")))
			return false;
		hit.details = details({{"amount", jdec(amount.dec)}, {"modulus", jdec(rule.dec("modulus"))}});
		return true;
	};
	k.required_inputs = {"amount"};
	k.optional_inputs = {"currency", "payment_kind"};
	k.thresholds = ThresholdCurrency::Base;
	k.payments_only = true;
	return k;
}

// --- nonworking_day_approval ---------------------------------------------------------------------
RuleKindSpec nonworking_day_approval() {
	RuleKindSpec k{"nonworking_day_approval",
	               {RK::Payment},
	               Evaluation::Row,
	               {{"include_holidays", P::Bool, "true",
	                 "Also signal public holidays of the loaded calendar, not only weekends."}},
	               "Payment approved on a weekend or public holiday in the bureau's time zone (low-severity signal)."};
	k.title_zh = "节假日或周末审批支付";
	k.title_en = "Payment approved on a weekend or holiday";
	k.messages = {
	    {"weekend", "支付在周末（{approved_on}）审批", "payment approved on a weekend ({approved_on})"},
	    {"holiday", "支付在法定节假日（{approved_on}）审批", "payment approved on a public holiday ({approved_on})"}};
	k.row_fields = {"approved_at"};
	k.needs_calendar = true;
	k.check_row = [](const CompiledRule &rule, const Record &record, const Calendar &calendar, Hit &hit) {
		const Value &at = Fields(rule, record)("approved_at");
		if (at.null)
			return false;
		bool known = false;
		bool working = calendar.is_working_day(at.date, known);
		bool weekend = iso_dow(at.date) >= 6;
		if (working)
			return false;
		if (!weekend && !rule.flag("include_holidays"))
			return false;
		hit.details = details({{"approved_on", Json(date_text(at.date))},
		                       {"calendar_loaded", Json(known)},
		                       {"finding", Json(weekend ? "weekend" : "holiday")}});
		return true;
	};
	k.required_inputs = {"approved_at"};
	k.optional_inputs = {"payment_kind"};
	k.payments_only = true;
	return k;
}

// --- missing_signoff (sweep) ---------------------------------------------------------------------
// A load none of whose candidate payments has any sign-off did not bring its sign-offs (an export without
// them): its payments are counted as cannot-evaluate instead of each "lacking every level". Payments
// written by something else than the loader (no load) are judged as before.
const char *sql_missing_signoff = R"SQL(
WITH c AS (SELECT h.* FROM {hist} h
            WHERE h.amount >= {p:min_amount} AND coalesce(h.currency, {base_currency}) = {p:currency}
              AND h.status IN ('approved', 'paid') AND coalesce(h.payment_kind, 'payment') = 'payment'
              AND coalesce((h.approved_at AT TIME ZONE oversight.setting_value('timezone'))::pg_catalog.date, h.paid_on, h.requested_on) + {p:grace_days} <= {as_of_date}),
     signed AS (SELECT DISTINCT c.__load FROM c
                 WHERE c.__load IS NOT NULL AND EXISTS (SELECT FROM oversight.payment_signoff s WHERE s.payment_code = c.payment_code))
SELECT {table}, c.__key, '', c.__unit,
       pg_catalog.jsonb_build_object('missing_levels', pg_catalog.to_jsonb(m.missing), 'amount', c.amount, 'min_amount', {p:min_amount},
         'currency', coalesce(c.currency, {base_currency}))
  FROM c
 CROSS JOIN LATERAL (SELECT pg_catalog.array_agg(l ORDER BY o) AS missing
                       FROM pg_catalog.unnest({p:levels}) WITH ORDINALITY AS u(l, o)
                      WHERE NOT EXISTS (SELECT FROM oversight.payment_signoff s
                                         WHERE s.payment_code = c.payment_code AND s.signoff_level = u.l)) m
 WHERE m.missing IS NOT NULL AND (c.__load IS NULL OR c.__load IN (SELECT signed.__load FROM signed))
 UNION ALL
SELECT {table}, NULL::pg_catalog.jsonb, '', NULL::pg_catalog.text,
       pg_catalog.jsonb_build_object('cannot_evaluate', 'link_not_loaded', 'missing', pg_catalog.jsonb_build_array('oversight.payment_signoff'),
         'load_id', c.__load, 'records', pg_catalog.count(*))
  FROM c
 WHERE c.__load IS NOT NULL AND c.__load NOT IN (SELECT signed.__load FROM signed)
 GROUP BY c.__load
)SQL";

RuleKindSpec missing_signoff() {
	RuleKindSpec k{
	    "missing_signoff",
	    {RK::Payment},
	    Evaluation::Sweep,
	    {{"min_amount", P::Decimal, "500000", "Payments at or above this need every level.", "0"},
	     {"levels", P::TextList, "[\"handler\", \"section_chief\", \"leader_in_charge\"]", "Sign-off levels required."},
	     {"grace_days", P::Integer, "0", "Days after approval or payment before a missing level is signalled.", "0",
	      "365"},
	     {"currency", P::Text, "\"CNY\"", "Currency of min_amount."}},
	    "Large approved or paid payment lacking a sign-off level of oversight.payment_signoff."};
	k.title_zh = "大额支付缺少逐级审签";
	k.title_en = "Large payment without every sign-off level";
	k.messages = {{nullptr, "大额支付 {amount} {currency|term} 缺少逐级审签：{missing_levels|term}",
	               "payment of {amount} {currency} lacks sign-off by {missing_levels}"}};
	k.sql = [](const CompiledRule &) -> std::string { return sql_missing_signoff; };
	k.required_inputs = {"payment_code", "amount", "approved_at|paid_on|requested_on"};
	k.optional_inputs = {"currency", "status", "payment_kind"};
	k.required_links = {"oversight.payment_signoff"};
	k.candidates = "x.amount >= {p:min_amount} AND x.status IN ('approved', 'paid')";
	k.thresholds = ThresholdCurrency::Param;
	k.payments_only = true;
	return k;
}

// --- payment_split_under_limit -------------------------------------------------------------------
// Payments of one unit to one payee on one day, each under the approval limit, together at or above it:
// one payment split so that none needs the full approval (拆分支付规避审批).
// Evaluated by the sweeper over the recent days, not on every write: a split is a pattern of a day's
// payments, found the same whichever write completes it, and looking for it on the write path cost a
// bulk load of a million payments 4 to 17 s (a group per written row), against a grouping of the
// window's payments per sweep. Keys are gathered for the groups that fire only.
const char *sql_split_under_limit = R"SQL(
SELECT {table}, pg_catalog.jsonb_build_object('payer_unit_code', s.unit, 'payee_name', s.payee), pg_catalog.to_char(s.day, 'YYYY-MM-DD'), s.unit,
       pg_catalog.jsonb_build_object('payer_unit_code', s.unit, 'payee_name', s.payee, 'day', s.day, 'count', s.n, 'total', s.total,
         'largest', s.largest, 'limit', {p:approval_limit}, 'currency', {p:currency},
         'payments', (SELECT pg_catalog.jsonb_agg(h.__key ORDER BY h.__key) FROM {hist} h
                       WHERE h.payer_unit_code = s.unit AND h.payee_name = s.payee AND coalesce(h.paid_on, h.requested_on) = s.day
                         AND coalesce(h.payment_kind, 'payment') = 'payment' AND coalesce(h.status, '') <> 'returned'
                         AND coalesce(h.currency, {base_currency}) = {p:currency}))
  FROM (SELECT h.payer_unit_code AS unit, h.payee_name AS payee, coalesce(h.paid_on, h.requested_on) AS day,
               pg_catalog.count(*) AS n, pg_catalog.sum(h.amount) AS total, pg_catalog.max(h.amount) AS largest
          FROM {hist} h
         WHERE coalesce(h.paid_on, h.requested_on) BETWEEN {as_of_date} - {p:lookback_days} AND {as_of_date}
           AND h.payer_unit_code IS NOT NULL AND h.payee_name IS NOT NULL
           AND coalesce(h.payment_kind, 'payment') = 'payment' AND coalesce(h.status, '') <> 'returned'
           AND coalesce(h.currency, {base_currency}) = {p:currency}
         GROUP BY 1, 2, 3
        HAVING pg_catalog.count(*) >= {p:min_count} AND pg_catalog.sum(h.amount) >= {p:approval_limit}
           AND pg_catalog.max(h.amount) < {p:approval_limit}) s
)SQL";

RuleKindSpec payment_split_under_limit() {
	RuleKindSpec k{"payment_split_under_limit",
	               {RK::Payment},
	               Evaluation::Sweep,
	               {{"approval_limit", P::Decimal, "500000",
	                 "Payments at or above this need the full approval (every sign-off level); each split payment "
	                 "stays under it.",
	                 "0.01"},
	                {"min_count", P::Integer, "2", "At least this many payments on the day.", "2", "1000"},
	                {"lookback_days", P::Integer, "31",
	                 "Days before the sweep's date whose payments each sweep looks at (a split found once stays an "
	                 "alert).",
	                 "0", "366"},
	                {"currency", P::Text, "\"CNY\"", "Currency of the approval limit."}},
	               "Payments of one unit to one payee on one day (paid, or requested), each under the approval limit, "
	               "together at or above it: a payment split to avoid the full approval (refunds and returned "
	               "payments do not count)."};
	k.title_zh = "同日向同一收款人拆分支付规避审批限额";
	k.title_en = "Payments split under the approval limit on one day";
	k.messages = {{nullptr,
	               "单位 {payer_unit_code} 于 {day} 向 {payee_name} 分 {count} 笔付款，每笔均低于审批限额 {limit}，合计 "
	               "{total} {currency|term}，涉嫌拆分支付规避审批",
	               "{count} payments of unit {payer_unit_code} to {payee_name} on {day}, each under the approval limit "
	               "{limit}, total {total} {currency} (split to avoid the approval)"}};
	k.sql = [](const CompiledRule &) -> std::string { return sql_split_under_limit; };
	k.required_inputs = {"payer_unit_code", "payee_name", "amount", "paid_on|requested_on"};
	k.optional_inputs = {"currency", "payment_kind", "status"};
	k.thresholds = ThresholdCurrency::Param;
	k.payments_only = true;
	return k;
}

} // namespace

std::vector<RuleKindSpec> payment_kinds() {
	return {
	    payment_duplicate(),   payment_near_duplicate(), payment_exceeds_contract(), payment_before_contract_signed(),
	    cash_single(),         cash_cumulative(),        cash_official_card_type(),  sme_payment_overdue(),
	    payee_staff_account(), round_amount(),           nonworking_day_approval(),  missing_signoff(),
	    payment_split_under_limit()};
}

} // namespace oversight::core::kinds
