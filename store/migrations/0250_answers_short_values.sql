-- The answers' value index serves a queue filtered on an answer. It now
-- holds only values of at most 100 characters: a long explanation made a
-- long index key that no filter reads (the queue offers none on long
-- texts), and filing it wrote one more index row. A filter on a longer
-- value finds its requests by their answers' primary key (see list.go,
-- answerIndexCondition, which repeats this condition).
DROP INDEX request_answers_value;
CREATE INDEX request_answers_value ON request_answers (field, value, request_id) WHERE length(value) <= 100;
