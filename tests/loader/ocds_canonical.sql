-- Every canonical procurement row, compiled document, mapped OCDS detail and mapping note of a database,
-- one per line, sorted (without the load that last wrote a row, and where a release was first read,
-- which differ by design): what "identical databases" means for OCDS loads. Read by tests/loader/lib.sh
-- (canonical) and bench/ocds_files/run.sh.
SELECT t FROM (
       SELECT 'process ' || (to_jsonb(x) - 'load_id')::text AS t FROM oversight.procurement_process x UNION ALL
       SELECT 'lot ' || (to_jsonb(x) - 'load_id')::text FROM oversight.procurement_lot x UNION ALL
       SELECT 'bid ' || (to_jsonb(x) - 'load_id')::text FROM oversight.bid x UNION ALL
       SELECT 'bid_tenderer ' || to_jsonb(x)::text FROM oversight.bid_tenderer x UNION ALL
       SELECT 'award ' || (to_jsonb(x) - 'load_id')::text FROM oversight.award x UNION ALL
       SELECT 'award_supplier ' || to_jsonb(x)::text FROM oversight.award_supplier x UNION ALL
       SELECT 'contract ' || (to_jsonb(x) - 'load_id')::text FROM oversight.contract x UNION ALL
       SELECT 'party ' || (to_jsonb(x) - 'load_id')::text FROM oversight.party x UNION ALL
       SELECT 'party_mention ' || to_jsonb(x)::text FROM oversight.ocds_party_mention x UNION ALL
       SELECT 'process_detail ' || to_jsonb(x)::text FROM oversight.ocds_process_detail x UNION ALL
       SELECT 'tenderer ' || to_jsonb(x)::text FROM oversight.ocds_tenderer x UNION ALL
       SELECT 'item ' || to_jsonb(x)::text FROM oversight.ocds_item x UNION ALL
       SELECT 'amendment ' || to_jsonb(x)::text FROM oversight.ocds_amendment x UNION ALL
       SELECT 'transaction ' || to_jsonb(x)::text FROM oversight.ocds_transaction x UNION ALL
       SELECT 'related_process ' || to_jsonb(x)::text FROM oversight.ocds_related_process x UNION ALL
       SELECT 'mapping_note ' || to_jsonb(x)::text FROM oversight.ocds_mapping_note x UNION ALL
       SELECT 'release ' || (to_jsonb(x) - 'load_id' - 'line_no')::text FROM oversight.ocds_release x) rows
     ORDER BY t;
