-- Demo, last step: accountability as of Monday 15 July 2024 — a complaint, a random spot check of the
-- June filings, a democratic evaluation, then the unit scorecard, one official's power-use file and
-- the open cases (run by demo/run.sh after the loads and the sweep).
\set ON_ERROR_STOP 1
\pset footer off
\o /dev/null
SELECT oversight.set_clock('2024-07-15 17:30+08');
-- A citizen's real-name complaint about the procurement section, accepted by the discipline office.
SELECT oversight.receive_complaint('online', false, '周先生', '139****2718', 'FIN-PROC', '评标专家抽取过程不透明，疑似指定专家', 'PROC.TENDER.EVAL',
                                   'P0104', '2024-06-20') AS cpl \gset
SET SESSION AUTHORIZATION demo_sun;
SELECT oversight.decide_complaint(:cpl, true, 'FIN-PROC', 15);
-- The office draws two of the June filings at random, with a published lottery number as the seed.
SELECT oversight.draw_spot_check('2024年6月备案', '2024-06-01', '2024-06-30', 2, '福彩3D 2024188期 305') AS chk \gset
RESET SESSION AUTHORIZATION;
-- The treasury section's half-year democratic evaluation (50 ballots, 1 spoilt).
SELECT oversight.record_evaluation('satisfaction', 'unit', 'FIN-TREAS', '2024-H1', '2024-07-12', ARRAY[38, 9, 2], 1);
SELECT oversight.refresh_scores();
\o
\echo
\echo '== 责任追究 Open cases: opened by the red card, with the people responsible on the day of the act'
SELECT case_id AS "案件", origin AS "来源", unit_name_zh AS "单位", act_date AS "行为日期", summary AS "事由", subjects_zh AS "当事人"
  FROM oversight.open_cases ORDER BY case_id;
\echo '== 整改 Rectifications: the red card''s notice, owned by the handler, verified by someone else'
SELECT r.rectification_id AS "整改", r.origin AS "来源", r.unit_code AS "单位", p.full_name AS "责任人", r.due_on AS "期限", r.status AS "状态", r.plan AS "要求"
  FROM oversight.rectification r JOIN oversight.person p ON p.person_code = r.owner_code ORDER BY r.rectification_id;
\echo '== 投诉 Complaints: accepted within 5 working days, routed with a deadline (the complainant''s name: discipline office only)'
SELECT complaint_id AS "投诉", channel AS "渠道", subject_unit_code AS "被投诉单位", summary AS "内容", accept_due_on AS "受理期限",
       accepted AS "受理", routed_unit_code AS "承办单位", handle_due_on AS "办理期限"
  FROM oversight.complaint ORDER BY complaint_id;
\echo '== 备案抽查 Spot check: the June filings drawn at random; anyone can redraw it from the stored population and seed'
SELECT c.spot_check_id AS "抽查", c.seed AS "种子 seed", c.population AS "总体 population", c.sample AS "样本 sample", r.same_sample AS "复核一致 redraw equal"
  FROM oversight.spot_check c CROSS JOIN LATERAL oversight.redraw_spot_check(c.spot_check_id) r;
\echo '== 单位绩效 Unit scorecard, June and July 2024 (from 100: cards, runs of warnings and sanctions deducted; early completions added)'
SELECT unit_code AS "单位", unit_name_zh AS "名称", to_char(month, 'YYYY-MM') AS "月份", weighted AS "维度得分", deductions AS "扣分", bonus AS "加分", score AS "得分"
  FROM oversight.unit_scores WHERE month >= '2024-06-01' AND unit_code IN ('FIN-TREAS', 'FIN-PROC') ORDER BY unit_code, month;
\echo '== 扣分依据 Every point deducted or added to the treasury section, traced to its card, warning, case or obligation'
SELECT to_char(month, 'YYYY-MM') AS "月份", source_kind AS "类别", points AS "分值", COALESCE(card_id::text, case_id::text, obligation_id::text, step_subject_id::text) AS "依据编号", detail_zh AS "说明"
  FROM oversight.score_event WHERE scope = 'unit' AND subject_code = 'FIN-TREAS' AND month >= '2024-06-01' ORDER BY event_date, source_kind;
\echo '== 季度等级 Quarterly grades so far'
SELECT subject_code AS "单位", period AS "季度", months AS "月数", score AS "平均分", grade_zh AS "等级"
  FROM oversight.period_scores WHERE scope = 'unit' AND period_kind = 'quarter' AND subject_code IN ('FIN-TREAS', 'FIN-PROC') ORDER BY 1, 2;
\echo '== 民主测评 Democratic evaluation: the score beside the vote and the ballots counted'
SELECT subject_code AS "单位", period AS "期间", score AS "得分", valid_ballots AS "有效票", invalid_ballots AS "无效票", distribution::text AS "分布"
  FROM oversight.evaluation_result ORDER BY evaluation_id;
\echo '== 个人运权档案 The power-use file of 张伟 (P0103), handler in the treasury section'
SELECT entry_date AS "日期", entry_kind AS "类别", reference AS "编号", detail_zh AS "内容"
  FROM oversight.personal_file WHERE person_code = 'P0103' ORDER BY entry_date, entry_kind, reference;
SELECT year AS "年度", matters_handled AS "经办事项", obligations_met AS "按时", obligations_met_late AS "逾期完成", obligations_missed AS "未完成",
       yellow_cards AS "黄牌", red_cards AS "红牌", cases AS "案件", rectifications AS "整改", annual_score AS "年度均分", award_eligible AS "可评优", as_of AS "数据时点"
  FROM oversight.personal_files WHERE person_code = 'P0103';
