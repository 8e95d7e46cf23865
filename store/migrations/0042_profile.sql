-- The organisation profile's outside contacts: who the team deals with at
-- each channel, and who of them may submit incidents to vendor Support.
CREATE TABLE channel_contacts (
	id                  {{id}},
	channel             TEXT NOT NULL,
	name                TEXT NOT NULL,
	organisation        TEXT NOT NULL DEFAULT '',
	email               TEXT NOT NULL DEFAULT '',
	phone               TEXT NOT NULL DEFAULT '',
	may_submit_support_incidents BOOLEAN NOT NULL DEFAULT FALSE,
	created_at          BIGINT NOT NULL,
	updated_at          BIGINT NOT NULL
);
CREATE INDEX channel_contacts_channel ON channel_contacts (channel, name);
