-- A request's answers are told apart by their field and their place in it
-- (position: a multiple choice has one row per chosen value), not by their
-- text. With the text in the primary key, PostgreSQL refused a long answer
-- whose text did not compress below the 2,704 bytes a B-tree entry may
-- hold — a long text allows 5,000 characters — and every answer wrote its
-- whole text into that key. The value index keeps only answers of at most
-- 100 characters (migration 0250).
ALTER TABLE request_answers DROP CONSTRAINT request_answers_pkey;
ALTER TABLE request_answers ADD PRIMARY KEY (request_id, field, position);
