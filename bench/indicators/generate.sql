-- Synthetic compiled releases for the indicators benchmark: :n processes (psql variable), each with a
-- tender (method, number of tenderers, tender period of 0–29 days, procuring entity), a buyer, three bids
-- (one disqualified in 1 of 7, identical prices in 1 of 50), and one active award with two classified
-- items to the lowest valid bidder (pending in 1 of 20, cancelled tender in 1 of 40); and, as real
-- compiled releases have (the samples in /work/shared/data/ocds/real run from 20 to 40 KB), the sections
-- the indicators do not read: parties with addresses and contact points, planning with its budget, a
-- contract and documents (about 4 KB a release in all). Deterministic: the same :n gives the same documents. Written with triggers off (session_replication_role): the benchmark
-- measures the indicators, not the loading.
SET session_replication_role = replica;
INSERT INTO oversight.procurement_process (ocid, published_at, source_document)
SELECT 'ocds-bench-' || lpad(i::text, 8, '0'), timestamptz '2024-01-01' + (i % 360) * interval '1 day',
       jsonb_build_object(
         'ocid', 'ocds-bench-' || lpad(i::text, 8, '0'),
         'id', 'ocds-bench-' || lpad(i::text, 8, '0') || '-compiled', 'date', '2024-06-01T00:00:00Z', 'tag', '["compiled"]'::jsonb,
         'initiationType', 'tender', 'language', 'en',
         'parties', (SELECT jsonb_agg(jsonb_build_object('id', pid, 'name', 'Organisation ' || pid || ' of the bench city',
                       'identifier', jsonb_build_object('scheme', 'XX-REG', 'id', pid, 'legalName', 'Organisation ' || pid || ' Limited'),
                       'address', jsonb_build_object('streetAddress', (i % 300) || ' Main Street', 'locality', 'Bench City', 'region', 'Region ' || (i % 12),
                                                     'postalCode', lpad((i % 99999)::text, 5, '0'), 'countryName', 'Benchland'),
                       'contactPoint', jsonb_build_object('name', 'Procurement Office ' || pid, 'email', 'office@' || lower(pid) || '.example.org',
                                                          'telephone', '+00 ' || (100000 + i % 899999)),
                       'roles', roles))
                       FROM (VALUES ('B' || (i % 500), '["buyer"]'::jsonb), ('PE' || (i % 200), '["procuringEntity"]'::jsonb),
                                    ('T' || (i % 1000), '["tenderer", "supplier"]'::jsonb), ('T' || ((i + 7) % 1000), '["tenderer"]'::jsonb),
                                    ('T' || ((i + 13) % 1000), '["tenderer"]'::jsonb)) AS o(pid, roles)),
         'planning', jsonb_build_object('rationale', 'Annual needs of the department, as planned in the budget of the year.',
           'budget', jsonb_build_object('id', 'BUD-' || (i % 5000), 'description', 'Operating budget line ' || (i % 5000),
                                        'amount', jsonb_build_object('amount', 50000 + i % 1000, 'currency', 'USD'), 'project', 'Project ' || (i % 700))),
         'contracts', jsonb_build_array(jsonb_build_object('id', '1', 'awardID', '1', 'status', 'active', 'title', 'Contract for lot ' || i,
           'value', jsonb_build_object('amount', 10000 + (i % 97) * 10, 'currency', 'USD'),
           'period', jsonb_build_object('startDate', '2024-07-01T00:00:00Z', 'endDate', '2025-06-30T00:00:00Z'),
           'documents', jsonb_build_array(jsonb_build_object('id', 'c1', 'documentType', 'contractSigned', 'url', 'https://bench.example.org/contracts/' || i || '.pdf',
                                                             'datePublished', '2024-07-01T00:00:00Z', 'format', 'application/pdf', 'language', 'en')))),
         'buyer', jsonb_build_object('id', 'B' || (i % 500)),
         'tender', jsonb_build_object(
           'status', CASE WHEN i % 40 = 0 THEN 'cancelled' ELSE 'complete' END,
           'procurementMethod', (ARRAY['open', 'selective', 'limited'])[1 + i % 3],
           'numberOfTenderers', 1 + i % 5,
           'procuringEntity', jsonb_build_object('id', 'PE' || (i % 200), 'name', 'Organisation PE' || (i % 200)),
           'id', 'T-' || i, 'title', 'Supply of goods, lot ' || i, 'description', 'Goods and related services for the department, delivered over twelve months.',
           'documents', jsonb_build_array(
             jsonb_build_object('id', 'd1', 'documentType', 'tenderNotice', 'title', 'Tender notice', 'url', 'https://bench.example.org/notices/' || i || '.pdf', 'format', 'application/pdf'),
             jsonb_build_object('id', 'd2', 'documentType', 'biddingDocuments', 'title', 'Bidding documents', 'url', 'https://bench.example.org/documents/' || i || '.pdf', 'format', 'application/pdf')),
           'tenderPeriod', jsonb_build_object(
             'startDate', to_char(timestamp '2024-01-01' + (i % 300) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
             'endDate', to_char(timestamp '2024-01-01' + (i % 300 + i % 30) * interval '1 day' + (i % 24) * interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))),
         'bids', jsonb_build_object('details', jsonb_build_array(
           jsonb_build_object('id', '1', 'status', 'valid', 'date', '2024-01-01T00:00:00Z', 'tenderers', jsonb_build_array(jsonb_build_object('id', 'T' || (i % 1000))),
                              'value', jsonb_build_object('amount', 10000 + (i % 97) * 10, 'currency', 'USD')),
           jsonb_build_object('id', '2', 'status', CASE WHEN i % 7 = 0 THEN 'disqualified' ELSE 'valid' END, 'date', '2024-01-02T00:00:00Z',
                              'tenderers', jsonb_build_array(jsonb_build_object('id', 'T' || ((i + 7) % 1000))),
                              'value', jsonb_build_object('amount', CASE WHEN i % 50 = 0 THEN 10000 + (i % 97) * 10 ELSE 10000 + (i % 97) * 10 + 1 + (i % 89) * 37 END, 'currency', 'USD')),
           jsonb_build_object('id', '3', 'status', 'valid', 'date', '2024-01-03T00:00:00Z', 'tenderers', jsonb_build_array(jsonb_build_object('id', 'T' || ((i + 13) % 1000))),
                              'value', jsonb_build_object('amount', 20000 + (i % 71) * 100, 'currency', 'USD')))),
         'awards', jsonb_build_array(jsonb_build_object(
           'id', '1', 'status', CASE WHEN i % 20 = 0 THEN 'pending' ELSE 'active' END,
           'suppliers', jsonb_build_array(jsonb_build_object('id', 'T' || (i % 1000))),
           'items', jsonb_build_array(
             jsonb_build_object('id', '1', 'classification', jsonb_build_object('scheme', 'CPV', 'id', lpad(((i % 1000) % 45 + 3)::text, 2, '0') || '000000')),
             jsonb_build_object('id', '2', 'classification', jsonb_build_object('scheme', 'CPV', 'id', lpad(((i % 1000 + i / 1000) % 45 + 3)::text, 2, '0') || '100000'))))))
  FROM generate_series(1, :n) AS i;
RESET session_replication_role;
ANALYZE oversight.procurement_process;
