-- Titles of requests and tasks are one line: a line break in one, stored
-- before they were refused, becomes a space (a CR LF pair one space), so
-- no stored title ends a mail header or splits a row of an export. The
-- search terms hold letters and digits only and do not change.
UPDATE requests SET title = translate(replace(title, E'\r\n', ' '), E'\r\n\x0B\f\u0085\u2028\u2029', '       ')
WHERE title ~ E'[\\r\\n\\v\\f\\u0085\\u2028\\u2029]';

UPDATE tasks SET title = translate(replace(title, E'\r\n', ' '), E'\r\n\x0B\f\u0085\u2028\u2029', '       ')
WHERE title ~ E'[\\r\\n\\v\\f\\u0085\\u2028\\u2029]';
