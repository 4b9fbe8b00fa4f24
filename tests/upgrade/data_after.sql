-- After the upgrade: the data written at the old version is intact, and user objects depending on
-- extension objects still work. Prints facts; upgrade.t compares them with the values expected.
\pset format unaligned
\pset tuples_only on
SELECT 'payment ' || payment_code || ' ' || amount FROM oversight.payment;
SELECT 'view ' || amount FROM public.my_payments;
SELECT 'responsible ' || person_code FROM oversight.unit_responsible('U1', '2025-06-30');
SELECT 'nodes ' || count(*) FROM oversight.key_node;
SELECT 'audit ' || count(*) || ' ' || (SELECT first_broken_id IS NULL FROM oversight.verify_audit_chain()) FROM oversight.audit_log;
SELECT 'setting ' || setting_value FROM oversight.settings WHERE setting_key = 'base_currency';
-- The linear chain of 0.1.0 entries is sealed like any other range after the upgrade.
SELECT 'proposed ' || pending_entries FROM oversight.seal_audit();
SELECT 'sealed ' || entry_count || ', pending ' || pending_entries FROM oversight.seal_audit();
SELECT 'verified ' || sealed_entries || ' ' || (problem IS NULL) FROM oversight.verify_audit_chain();
