package store

import (
	"context"
	"database/sql"
	"errors"

	"beheer"
)

// place resolves and checks where a new or changed request goes, in the
// snapshot: the area (the process's when only a process is named, as
// beheer.PlaceByProcess says) must exist, the process must belong to it,
// and neither may be archived. The messages name the field.
func (o *orgSnapshot) place(areaID, processID int64) (int64, error) {
	var v beheer.Validation
	var area *beheer.Area
	if a, ok := o.area(areaID); ok {
		area = &a
	} else if areaID != 0 {
		v.Add("area", "field.unknown_area")
	}
	var proc *beheer.Process
	var processArea int64
	if p, ok := o.process(processID); ok {
		proc, processArea = &p, p.AreaID
	}
	resolved, err := beheer.PlaceByProcess(areaID, processID, processArea)
	var be *beheer.Error
	if errors.As(err, &be) {
		v.Fields = append(v.Fields, be.Fields...)
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	if a, ok := o.area(resolved); ok && area == nil {
		area = &a
	}
	return resolved, beheer.CheckPlaceOpen(area, proc)
}

// placePatch gives a patch that names a process the area it implies
// (beheer.Patch.Place), before the patch's rules are checked.
func (t *tx) placePatch(ctx context.Context, r *beheer.Request, p *beheer.Patch) error {
	if p.ProcessID == nil || *p.ProcessID == 0 {
		return nil
	}
	var area int64
	err := t.QueryRowContext(ctx, `SELECT area_id FROM processes WHERE id = $1`, *p.ProcessID).Scan(&area)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return p.Place(r, area)
}
