-- The monthly report for management: position is the month (yyyymm) last
-- reported on, so each month's report goes out once, whichever process
-- sends it. Whether a director gets it is their notify_prefs row of kind
-- 'monthly_report' (no row: they do; mode 'off': they do not).
INSERT INTO worker_cursors (name, position) VALUES ('monthly_report', 0);
