-- Titles of requests and tasks are one line: a line break in one, stored
-- before they were refused, becomes a space (a CR LF pair one space), so
-- no stored title ends a mail header or splits a row of an export. The
-- search terms hold letters and digits only and do not change.
UPDATE requests SET title =
	replace(replace(replace(replace(replace(replace(replace(replace(title,
		char(13, 10), ' '), char(13), ' '), char(10), ' '), char(11), ' '), char(12), ' '),
		char(133), ' '), char(8232), ' '), char(8233), ' ')
WHERE title GLOB '*[' || char(10, 11, 12, 13, 133, 8232, 8233) || ']*';

UPDATE tasks SET title =
	replace(replace(replace(replace(replace(replace(replace(replace(title,
		char(13, 10), ' '), char(13), ' '), char(10), ' '), char(11), ' '), char(12), ' '),
		char(133), ' '), char(8232), ' '), char(8233), ' ')
WHERE title GLOB '*[' || char(10, 11, 12, 13, 133, 8232, 8233) || ']*';
