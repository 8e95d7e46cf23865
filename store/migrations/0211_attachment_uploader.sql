-- The upload quota adds up what one person uploaded in the last day.
CREATE INDEX attachments_uploader ON attachments (uploader_id, created_at);
