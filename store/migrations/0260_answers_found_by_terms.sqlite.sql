-- A queue filtered on an answer finds its requests through the search
-- index: every answer of at most 100 characters adds a key to its
-- request's search terms (beheer.AnswerKey), written with the rest of the
-- index for a whole commit at once. The answers' value index, into which
-- each filing wrote a row per answer, goes. The store fills in the keys of
-- the requests already filed through a form when it opens
-- (search_reindex, searchindex.go).
DROP INDEX request_answers_value;
INSERT INTO search_reindex (name, after) VALUES ('answered', 0);
