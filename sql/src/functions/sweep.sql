-- oversight.sweep(): the one scheduled job. Current definition (since 0.4.0; replaces the 0.3.0 one).
DROP FUNCTION oversight.sweep(timestamptz);
CREATE FUNCTION oversight.sweep(p_as_of timestamptz DEFAULT NULL)
  RETURNS TABLE (tables_swept integer, rules_run integer, snoozes_expired integer, waivers_expired integer, faults integer,
                 ladder_steps integer, cards_issued integer, quarters_closed integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  as_of timestamptz := COALESCE(p_as_of, oversight.now());
  t regclass;
  first_fault bigint := COALESCE((SELECT max(fault_id) FROM oversight.engine_fault), 0);
  w record;
BEGIN
  -- A sweep as of a later time would expire snoozes and waivers early: only where the clock is injectable.
  IF as_of > oversight.now() AND NOT oversight.setting_value('clock.injectable')::boolean THEN
    RAISE EXCEPTION '不能按未来时间 % 清扫 / cannot sweep as of %, a time still to come', as_of, as_of USING ERRCODE = '22023';
  END IF;
  tables_swept := 0; rules_run := 0; snoozes_expired := 0; waivers_expired := 0;
  -- Watches of tables dropped while event triggers were off (restores, replica mode) are removed.
  FOR w IN DELETE FROM oversight.watched_table x WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = x.relid)
           RETURNING x.relid::oid AS relid LOOP
    PERFORM oversight.record_fault(NULL, w.relid::text, NULL, '42P01', '被监控的表 ' || w.relid || ' 已不存在，监控已移除 / watched table ' || w.relid || ' no longer exists: watch removed', NULL, 'sweep', NULL);
  END LOOP;
  FOR t IN SELECT relid FROM oversight.watched_table WHERE disabled_reason IS NULL ORDER BY relid::text LOOP
    rules_run := rules_run + oversight.sweep_table(t, as_of);
    tables_swept := tables_swept + 1;
  END LOOP;
  WITH s AS (UPDATE oversight.alert SET snoozed_until = NULL WHERE snoozed_until IS NOT NULL AND snoozed_until <= as_of RETURNING alert_id),
       e AS (INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, reason)
             SELECT alert_id, oversight.now(), session_user, 'snooze_expired', 'snooze ended' FROM s RETURNING 1)
  SELECT count(*) INTO snoozes_expired FROM e;
  FOR w IN UPDATE oversight.waiver SET status = 'expired' WHERE status = 'approved' AND expires_at <= as_of RETURNING waiver_id, alert_id LOOP
    waivers_expired := waivers_expired + 1;
    INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, from_status, to_status, reason, waiver_id)
    SELECT w.alert_id, oversight.now(), session_user, 'waiver_expired', a.status, 'open', 'waiver expired: back to review', w.waiver_id
      FROM oversight.alert a WHERE a.alert_id = w.alert_id;
    UPDATE oversight.alert SET status = 'open', status_changed_at = oversight.now(), status_changed_by = 'system'
     WHERE alert_id = w.alert_id AND status <> 'open';
    PERFORM oversight.audit('transition', 'oversight.waiver', pg_catalog.jsonb_build_object('waiver_id', w.waiver_id),
                            pg_catalog.jsonb_build_object('status', 'approved'), pg_catalog.jsonb_build_object('status', 'expired'),
                            'waiver expired: alert back to review');
  END LOOP;
  SELECT count(*) INTO faults FROM oversight.engine_fault f WHERE f.fault_id > first_fault;
  SELECT x.steps_taken, x.cards_issued INTO ladder_steps, cards_issued FROM oversight.escalate(as_of) x;
  quarters_closed := oversight.close_assessment_quarters(as_of);
  PERFORM oversight.seal_audit();
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.sweep(timestamptz) IS
  'The deadline sweeper: runs the sweep rules (overdue SME payments, unpaid fines, missing sign-offs) of every watched table as of p_as_of (default oversight.now()), ends expired snoozes and sends alerts whose waiver expired back to review, skips disabled watches and removes those of dropped tables, runs the escalation ladders (oversight.escalate(): cards, cases, rectification notices), closes the assessment quarters that are due (oversight.close_assessment_quarters()), then seals the audit trail (oversight.seal_audit()). A time later than now is refused unless the clock is injectable. Run it on a schedule (e.g. pg_cron, hourly).';

REVOKE ALL ON FUNCTION oversight.sweep(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.sweep(timestamptz) TO oversight_inspector, oversight_admin;
