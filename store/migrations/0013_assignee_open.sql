-- "Mijn werk": open requests assigned to one person, newest first, read in
-- index order. Without it SQLite walked every open request for a person with
-- few of them (0.4 s at 1,000,000), or sorted all of a busy person's requests.
CREATE INDEX requests_assignee_open ON requests (assignee_id, open, id);
