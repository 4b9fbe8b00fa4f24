-- Demo, step 3: supervision replayed from 3 June to 12 July 2024 (run by demo/run.sh before the loads).
-- The treasury section's officials act as themselves (each a login in oversight_official, registered
-- on oversight.person), on the days they acted; the sweeper runs at 18:00 every day. Four matters of
-- powers that have no table, registered by hand:
--   1. an asset disposal: reported, filed and disclosed on time (early, in fact);
--   2. a budget adjustment: reported on time, filed two working days late (a warning);
--   3. an asset disposal never disclosed internally: prompt, warning, yellow card, red card — which
--      opens an accountability case and a rectification notice — then accountability;
--   4. a fund allocation plan: reported, filed and published on time.
-- The notifications of every ladder step are printed by `oversight-load follow --outbox`, running
-- beside this script.
\set ON_ERROR_STOP 1
\pset footer off
\o /dev/null
-- Officials log in as themselves: roles, the units they work for, and which person each login is.
CREATE ROLE demo_wang NOLOGIN IN ROLE oversight_official;   -- 王建国, deputy director over the treasury and procurement sections
CREATE ROLE demo_li NOLOGIN IN ROLE oversight_official;     -- 李秀英, chief of the treasury section
CREATE ROLE demo_zhang NOLOGIN IN ROLE oversight_official;  -- 张伟, handler in the treasury section
CREATE ROLE demo_sun NOLOGIN IN ROLE oversight_inspector;   -- 孙丽, head of the discipline office
INSERT INTO oversight.unit_access (role_name, unit_code) VALUES ('demo_wang', 'FIN-TREAS'), ('demo_wang', 'FIN-PROC'),
  ('demo_li', 'FIN-TREAS'), ('demo_zhang', 'FIN-TREAS');
UPDATE oversight.person p SET login_role = v.login
  FROM (VALUES ('P0101', 'demo_wang'), ('P0102', 'demo_li'), ('P0103', 'demo_zhang'), ('P0107', 'demo_sun')) AS v(person_code, login)
 WHERE p.person_code = v.person_code;

-- The sweeper of each day from p_from to p_to, at 18:00 Beijing time.
CREATE FUNCTION pg_temp.sweep_days(p_from date, p_to date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE d date; steps integer := 0; n integer;
BEGIN
  FOR d IN SELECT g::date FROM generate_series(p_from, p_to, interval '1 day') g LOOP
    PERFORM oversight.set_clock((d + time '18:00') AT TIME ZONE 'Asia/Shanghai');
    SELECT ladder_steps INTO n FROM oversight.sweep();
    steps := steps + n;
  END LOOP;
  RETURN steps;
END $$;

-- Monday 3 June: 张伟 registers the disposal of three old official cars (approved by the leadership that morning).
SELECT oversight.set_clock('2024-06-03 09:30+08');
SET SESSION AUTHORIZATION demo_zhang;
SELECT oversight.register_matter('DEPT.ASSET.DISPOSE', 'FIN-TREAS', '2024-06-03', '报废公务车辆3台公开拍卖处置',
                                 '{"assets": 3, "book_value": 186000}', false, 'P0103') AS m1 \gset
SELECT oversight.submit_report(:m1, '3台公务车辆已达报废年限，拟委托产权交易中心公开拍卖，底价按评估值。') AS r1 \gset
RESET SESSION AUTHORIZATION;
SELECT pg_temp.sweep_days('2024-06-03', '2024-06-03');
SELECT oversight.set_clock('2024-06-04 10:00+08');
SET SESSION AUTHORIZATION demo_wang;
SELECT oversight.decide_report(:r1, 'approved', '同意，拍卖结果报局党组');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_zhang;
SELECT oversight.record_filing(:m1, '纪检备〔2024〕31号', 'FIN-DISC');
SELECT oversight.publish_disclosure(:m1, 'internal', '局内网公告栏', 'NW-2024-0604');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.sweep_days('2024-06-04', '2024-06-10');

-- Tuesday 11 June (Monday 10 June was the Dragon Boat Festival): a budget adjustment, reported the
-- next day; its filing, due 18 June, is made on 20 June.
SELECT oversight.set_clock('2024-06-11 09:30+08');
SET SESSION AUTHORIZATION demo_zhang;
SELECT oversight.register_matter('FUND.ADJUST.APPROVE', 'FIN-TREAS', '2024-06-11', '市第一中学信息化项目预算调整（调增40万元）',
                                 '{"unit": "EDU01", "increase": 400000}', false, 'P0103') AS m2 \gset
RESET SESSION AUTHORIZATION;
SELECT pg_temp.sweep_days('2024-06-11', '2024-06-11');
SELECT oversight.set_clock('2024-06-12 09:30+08');
SET SESSION AUTHORIZATION demo_zhang;
SELECT oversight.submit_report(:m2, '因教学平台升级需追加预算40万元，资金来源为年初预留。') AS r2 \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_wang;
SELECT oversight.decide_report(:r2, 'approved');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.sweep_days('2024-06-12', '2024-06-16');

-- Monday 17 June: another disposal — reported and filed, but never disclosed internally.
SELECT oversight.set_clock('2024-06-17 09:30+08');
SET SESSION AUTHORIZATION demo_zhang;
SELECT oversight.register_matter('DEPT.ASSET.DISPOSE', 'FIN-TREAS', '2024-06-17', '报废办公电脑42台处置',
                                 '{"assets": 42, "book_value": 96000}', false, 'P0103') AS m3 \gset
SELECT oversight.submit_report(:m3, '42台办公电脑已达报废年限，拟交回收企业处置。') AS r3 \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_wang;
SELECT oversight.decide_report(:r3, 'approved');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_zhang;
SELECT oversight.record_filing(:m3, '纪检备〔2024〕38号', 'FIN-DISC');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.sweep_days('2024-06-17', '2024-06-19');

-- Thursday 20 June: the budget adjustment is filed, two working days late.
SELECT oversight.set_clock('2024-06-20 10:00+08');
SET SESSION AUTHORIZATION demo_zhang;
SELECT oversight.record_filing(:m2, '纪检备〔2024〕40号', 'FIN-DISC');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.sweep_days('2024-06-20', '2024-06-24');

-- Tuesday 25 June: a fund allocation plan, reported, filed and published on time.
SELECT oversight.set_clock('2024-06-25 09:30+08');
SET SESSION AUTHORIZATION demo_zhang;
SELECT oversight.register_matter('FUND.INDICATOR.ALLOCATE', 'FIN-TREAS', '2024-06-25', '2024年义务教育薄弱环节改善资金分配方案',
                                 '{"total": 3200000, "schools": 11}', false, 'P0103') AS m4 \gset
SELECT oversight.submit_report(:m4, '按学生数和校舍评估结果分配，共11所学校。') AS r4 \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_wang;
SELECT oversight.decide_report(:r4, 'approved', '同意，按程序公开');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.sweep_days('2024-06-25', '2024-06-26');
SELECT oversight.set_clock('2024-06-27 10:00+08');
SET SESSION AUTHORIZATION demo_zhang;
SELECT oversight.record_filing(:m4, '纪检备〔2024〕44号', 'FIN-DISC');
SELECT oversight.publish_disclosure(:m4, 'public', '市财政局门户网站', 'CZ-2024-0627-01');
RESET SESSION AUTHORIZATION;

-- The sweeper goes on every day until Friday 12 July: the undisclosed disposal climbs its ladder.
SELECT pg_temp.sweep_days('2024-06-27', '2024-07-12');
\o
\echo
\echo '== 事项与义务 Matters and their obligations (deadlines in working days; Dragon Boat Festival 10 June skipped)'
SELECT m.matter_id AS "事项", m.title AS "标题", o.kind AS "义务", o.due_on AS "期限",
       COALESCE((o.fulfilled_at AT TIME ZONE 'Asia/Shanghai')::date::text, '未完成 not done') AS "完成",
       CASE WHEN o.status = 'fulfilled' AND (o.fulfilled_at AT TIME ZONE 'Asia/Shanghai')::date <= o.due_on THEN '按时 on time'
            WHEN o.status = 'fulfilled' THEN '逾期 late' ELSE '未完成 open' END AS "状态"
  FROM oversight.matter m JOIN oversight.obligation o USING (matter_id)
 WHERE m.matter_id IN (:m1, :m2, :m3, :m4) ORDER BY m.matter_id, o.due_on;
\echo '== 督办阶梯 The ladder of the undisclosed disposal: each step on its working day, to whom, with its deduction'
SELECT s.step_no AS "步", s.step AS "步骤", s.due_on AS "日期", s.target_role AS "对象", p.full_name AS "人员", s.deduction AS "扣分",
       b.text_zh AS "通知"
  FROM oversight.escalation_step s JOIN oversight.obligation o ON s.subject_kind = 'obligation' AND o.obligation_id = s.subject_id
  LEFT JOIN oversight.person p ON p.person_code = s.person_code
  LEFT JOIN oversight.outbox b ON (b.subject_kind, b.subject_id, b.step_no) = (s.subject_kind, s.subject_id, s.step_no)
 WHERE o.matter_id = :m3 ORDER BY s.step_no;
