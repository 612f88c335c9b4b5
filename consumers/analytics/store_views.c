/* consumers/analytics/store_views.c: the store's views, one SQL text that
 * SQLite and PostgreSQL both run (store_backend.h says which SQL that is).
 * They read store_meta (as_of, as_of_date: the Shanghai date of as_of,
 * due_soon_days) and workdays (day, n: working days from 2000-01-01 up to
 * and including day, so n(b) - n(a) is the working days in (a, b]), which
 * store.c fills from the working-day calendar.
 *
 * task_current: each task's latest status, its alerts, and its effective due
 * date (the new_due_date of its latest EXTENDED change later than the task's
 * own event, else its due_date).
 * task_figures: the same as of store_meta.as_of: only events that occurred
 * at or before it count (tasks by their latest TaskAssigned, status changes
 * and deliveries by occurred_at, alerts by fire_at). A task is "dated" when
 * it has an effective due date and is not RECURRING; only dated tasks are
 * due soon, overdue, done on time or done late:
 *   overdue       open and n(as_of_date) - n(due) >= 1 (the alerter's rule:
 *                 overdue from the first working day after the due date);
 *   due soon      open and 0 <= n(due) - n(as_of_date) <= due_soon_days;
 *   done late     COMPLETED, and its latest COMPLETED change falls on a day
 *                 d with n(d) - n(due) >= 1 (workdays_late is that number);
 *                 else done on time.
 * department_figures: task_figures summed per (department, role) of
 * task_departments; on_time_rate = on time / (on time + late), NULL when
 * none is done; mean_workdays_late averages over the tasks done late. */
#include "store_views.h"

const char *const duban_store_views_sql =
    "DROP VIEW IF EXISTS department_figures;"
    "DROP VIEW IF EXISTS task_figures;"
    "DROP VIEW IF EXISTS task_current;"
    "CREATE VIEW task_current AS SELECT t.task_id, t.doc_id, t.lead_departments,"
    " t.due_date, t.deadline_kind, COALESCE((SELECT s.to_status FROM task_status s"
    " WHERE s.task_id = t.task_id ORDER BY s.occurred_at DESC, s.event_id DESC LIMIT 1),"
    " 'ASSIGNED') AS status, (SELECT COUNT(*) FROM alerts a WHERE a.task_id = t.task_id)"
    " AS alerts_sent, COALESCE((SELECT s.new_due_date FROM task_status s"
    " WHERE s.task_id = t.task_id AND s.to_status = 'EXTENDED' AND s.new_due_date IS NOT NULL"
    " AND s.occurred_at > t.occurred_at ORDER BY s.occurred_at DESC, s.event_id DESC LIMIT 1),"
    " t.due_date) AS effective_due_date FROM tasks t;"

    "CREATE VIEW task_figures AS SELECT f.task_id, f.deadline_kind, f.status,"
    " f.due AS effective_due_date, f.done_at, f.as_of,"
    " CASE WHEN f.status IN ('COMPLETED', 'CANCELLED') THEN 0 ELSE 1 END AS is_open,"
    " CASE WHEN f.dated = 1 AND f.status NOT IN ('COMPLETED', 'CANCELLED')"
    "  AND f.as_of_n - f.due_n >= 1 THEN 1 ELSE 0 END AS overdue,"
    " CASE WHEN f.dated = 1 AND f.status NOT IN ('COMPLETED', 'CANCELLED')"
    "  AND f.due_n - f.as_of_n BETWEEN 0 AND f.soon THEN 1 ELSE 0 END AS due_soon,"
    " CASE WHEN f.dated = 1 AND f.status = 'COMPLETED' AND f.done_n - f.due_n < 1"
    "  THEN 1 ELSE 0 END AS done_on_time,"
    " CASE WHEN f.dated = 1 AND f.status = 'COMPLETED' AND f.done_n - f.due_n >= 1"
    "  THEN 1 ELSE 0 END AS done_late,"
    " CASE WHEN f.dated = 1 AND f.status = 'COMPLETED' AND f.done_n - f.due_n >= 1"
    "  THEN f.done_n - f.due_n END AS workdays_late,"
    " f.alerts_sent, f.alerts_delivered"
    " FROM (SELECT s.*,"
    "  CASE WHEN s.due IS NOT NULL AND s.deadline_kind <> 'RECURRING' THEN 1 ELSE 0 END AS dated,"
    "  (SELECT w.n FROM workdays w WHERE w.day = s.due) AS due_n,"
    "  (SELECT w.n FROM workdays w WHERE w.day = s.as_of_date) AS as_of_n,"
    "  (SELECT w.n FROM workdays w WHERE w.day = SUBSTR(s.done_at, 1, 10)) AS done_n"
    "  FROM (SELECT t.task_id, t.deadline_kind, m.as_of, m.as_of_date, m.soon,"
    "   COALESCE((SELECT x.to_status FROM task_status x WHERE x.task_id = t.task_id"
    "    AND x.occurred_at <= m.as_of ORDER BY x.occurred_at DESC, x.event_id DESC LIMIT 1),"
    "    'ASSIGNED') AS status,"
    "   (SELECT x.occurred_at FROM task_status x WHERE x.task_id = t.task_id"
    "    AND x.to_status = 'COMPLETED' AND x.occurred_at <= m.as_of"
    "    ORDER BY x.occurred_at DESC, x.event_id DESC LIMIT 1) AS done_at,"
    "   COALESCE((SELECT x.new_due_date FROM task_status x WHERE x.task_id = t.task_id"
    "    AND x.to_status = 'EXTENDED' AND x.new_due_date IS NOT NULL"
    "    AND x.occurred_at > t.occurred_at AND x.occurred_at <= m.as_of"
    "    ORDER BY x.occurred_at DESC, x.event_id DESC LIMIT 1), t.due_date) AS due,"
    "   (SELECT COUNT(*) FROM alerts a WHERE a.task_id = t.task_id AND a.fire_at <= m.as_of)"
    "    AS alerts_sent,"
    "   (SELECT COUNT(*) FROM alerts a WHERE a.task_id = t.task_id AND a.fire_at <= m.as_of"
    "    AND EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.alert_id"
    "    AND d.outcome = 'DELIVERED' AND d.occurred_at <= m.as_of)) AS alerts_delivered"
    "   FROM tasks t CROSS JOIN (SELECT"
    "    (SELECT value FROM store_meta WHERE key = 'as_of') AS as_of,"
    "    (SELECT value FROM store_meta WHERE key = 'as_of_date') AS as_of_date,"
    "    (SELECT CAST(value AS BIGINT) FROM store_meta WHERE key = 'due_soon_days') AS soon) m"
    "   WHERE t.occurred_at <= m.as_of) s) f;"

    "CREATE VIEW department_figures AS SELECT d.department, d.role, COUNT(*) AS tasks,"
    " SUM(f.is_open) AS open, SUM(f.due_soon) AS due_soon, SUM(f.overdue) AS overdue,"
    " SUM(f.done_on_time) AS done_on_time, SUM(f.done_late) AS done_late,"
    " CAST(SUM(f.done_on_time) AS DOUBLE PRECISION)"
    "  / NULLIF(SUM(f.done_on_time) + SUM(f.done_late), 0) AS on_time_rate,"
    " AVG(CAST(f.workdays_late AS DOUBLE PRECISION)) AS mean_workdays_late,"
    " SUM(f.alerts_sent) AS alerts_sent, SUM(f.alerts_delivered) AS alerts_delivered,"
    " MAX(f.as_of) AS as_of"
    " FROM task_departments d JOIN task_figures f ON f.task_id = d.task_id"
    " GROUP BY d.department, d.role;";
