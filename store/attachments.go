package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"

	"beheer"
)

// MaxAttachmentSize is the configured limit on one attachment in bytes.
func (s *Store) MaxAttachmentSize() int64 { return s.maxFile }

// AddAttachment stores a file on a request. The name is cleaned and the
// content type sniffed from the bytes; a file whose content contradicts its
// extension is refused.
func (s *Store) AddAttachment(ctx context.Context, actor *beheer.Actor, id int64, name string, data []byte) (*beheer.Attachment, error) {
	if int64(len(data)) > s.maxFile {
		return nil, beheer.Errorf(beheer.CodeTooLarge, "error.too_large", "max", beheer.FormatBytes(s.maxFile))
	}
	var a *beheer.Attachment
	err := s.write(ctx, func(t *tx) error {
		var err error
		a, err = t.attach(ctx, actor, id, "file", name, data)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// attach stores a file on a request inside a transaction. Every check
// comes before the first write; a refusal of the quota names field.
func (t *tx) attach(ctx context.Context, actor *beheer.Actor, id int64, field, name string, data []byte) (*beheer.Attachment, error) {
	list, err := t.attachAll(ctx, actor, id, field, []beheer.Upload{{Name: name, Data: data}})
	if err != nil {
		return nil, err
	}
	return &list[0], nil
}

// attachAll stores files on a request inside a transaction. Every file,
// the rule and the uploader's quota (refused on field) are checked before
// the first write, so a refused file stores none.
func (t *tx) attachAll(ctx context.Context, actor *beheer.Actor, id int64, field string, files []beheer.Upload) ([]beheer.Attachment, error) {
	list := make([]beheer.Attachment, len(files))
	var adding int64
	for i, f := range files {
		adding += int64(len(f.Data))
		clean, ctype, err := beheer.CheckAttachment(f.Name, f.Data, t.s.maxFile)
		if err != nil {
			return nil, err
		}
		list[i] = beheer.Attachment{RequestID: id, Name: clean, ContentType: ctype, Size: int64(len(f.Data)),
			SHA256: sha256Hex(f.Data), UploaderID: actor.UserID, CreatedAt: t.now}
	}
	r, f, err := t.lockVisible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := beheer.CheckAttach(actor, r, f); err != nil {
		return nil, err
	}
	if err := t.checkUploadQuota(ctx, actor, field, adding); err != nil {
		return nil, err
	}
	for i := range list {
		a := &list[i]
		if err := t.QueryRowContext(ctx, `INSERT INTO attachments (request_id, name, content_type, size, sha256, data, uploader_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			id, a.Name, a.ContentType, a.Size, a.SHA256, files[i].Data, actor.UserID, ms(t.now)).Scan(&a.ID); err != nil {
			return nil, err
		}
		if err := t.audit(ctx, actor, id, "attachment.added", "attachment", "", a.Name, false); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// checkUploadQuota refuses adding bytes that would take the uploader past
// the organisation's quota for the last day. The uploader's row is locked
// first (PostgreSQL; SQLite has one writer), so two uploads at once are
// counted one after the other and cannot both slip under the quota.
func (t *tx) checkUploadQuota(ctx context.Context, actor *beheer.Actor, field string, adding int64) error {
	p, err := t.policy(ctx)
	if err != nil || p.UploadQuotaMB <= 0 {
		return err
	}
	if lock := t.s.dialect.lock(""); lock != "" {
		if _, err := t.ExecContext(ctx, `SELECT id FROM users WHERE id = $1`+lock, actor.UserID); err != nil {
			return err
		}
	}
	var used int64
	if err := t.QueryRowContext(ctx, `SELECT COALESCE(SUM(size), 0) FROM attachments WHERE uploader_id = $1 AND created_at > $2`,
		actor.UserID, ms(t.now.Add(-beheer.UploadQuotaWindow))).Scan(&used); err != nil {
		return err
	}
	return beheer.CheckUploadQuota(field, p.UploadQuotaMB, used, adding)
}

const attachmentColumns = `id, request_id, name, content_type, size, sha256, uploader_id, created_at, thumb_type`

func scanAttachment(row interface{ Scan(...any) error }) (*beheer.Attachment, error) {
	var a beheer.Attachment
	var at sql.NullInt64
	if err := row.Scan(&a.ID, &a.RequestID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.UploaderID, &at, &a.ThumbType); err != nil {
		return nil, err
	}
	a.CreatedAt = fromMS(at)
	return &a, nil
}

// Attachments lists the files of a request (without their bytes).
func (s *Store) Attachments(ctx context.Context, actor *beheer.Actor, id int64) ([]beheer.Attachment, error) {
	if _, _, err := s.visible(ctx, actor, id); err != nil {
		return nil, err
	}
	var out []beheer.Attachment
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM attachments
			WHERE request_id = $1 AND removed_at IS NULL ORDER BY id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAttachment(rows)
			if err != nil {
				return err
			}
			out = append(out, *a)
		}
		return rows.Err()
	})
	return out, err
}

// Attachment returns one file with its bytes, if the actor may see its
// request; otherwise not found.
func (s *Store) Attachment(ctx context.Context, actor *beheer.Actor, attachmentID int64) (*beheer.Attachment, []byte, error) {
	return s.attachmentWith(ctx, actor, attachmentID, "data")
}

// Thumbnail returns one file with its stored thumbnail, if the actor may
// see its request; otherwise not found. The thumbnail is nil while none
// has been made (ThumbType ""), or when none can be (ThumbNone).
func (s *Store) Thumbnail(ctx context.Context, actor *beheer.Actor, attachmentID int64) (*beheer.Attachment, []byte, error) {
	return s.attachmentWith(ctx, actor, attachmentID, "thumb")
}

// attachmentWith reads a file's row, checks that the actor may see its
// request, and only then reads the bytes of column (data or thumb): the
// bytes of a file someone may not see are never read for them.
func (s *Store) attachmentWith(ctx context.Context, actor *beheer.Actor, attachmentID int64, column string) (*beheer.Attachment, []byte, error) {
	var a *beheer.Attachment
	var data []byte
	err := s.read(ctx, func(q querier) error {
		var err error
		a, err = scanAttachment(q.QueryRowContext(ctx, `SELECT `+attachmentColumns+` FROM attachments
			WHERE id = $1 AND removed_at IS NULL`, attachmentID))
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if _, _, err := s.visible(ctx, actor, a.RequestID); err != nil {
		return nil, nil, err
	}
	err = s.read(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT `+column+` FROM attachments WHERE id = $1`, attachmentID).Scan(&data)
	})
	return a, data, err
}

// SaveThumbnail keeps the thumbnail made of a file, or with contentType
// beheer.ThumbNone and no data that none can be made, once: a thumbnail
// made meanwhile by another process stays, and a purged file gets none.
// A thumbnail is derived from the file, like a search index: it changes
// nothing a person entered, so it is not audited.
func (s *Store) SaveThumbnail(ctx context.Context, attachmentID int64, contentType string, data []byte) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, `UPDATE attachments SET thumb = $1, thumb_type = $2
			WHERE id = $3 AND thumb_type = '' AND removed_at IS NULL`, data, contentType, attachmentID)
		return err
	})
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
