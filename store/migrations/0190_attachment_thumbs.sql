-- Thumbnails of the screenshots attached to requests, kept beside the file
-- they show. thumb_type is '' until the first view makes the thumbnail;
-- then the thumbnail's type (image/jpeg, image/png), or 'none' when the
-- bytes turned out to be no picture Beheer decodes, so that is tried once.
-- The retention purge empties thumb together with data.
ALTER TABLE attachments ADD COLUMN thumb {{bytes}};
ALTER TABLE attachments ADD COLUMN thumb_type TEXT NOT NULL DEFAULT '';
