package beheer

// A request is placed in an area and, inside it, possibly in a process.
// Every process belongs to one area, so naming a process names its area:
// a request filed or changed with only a process goes into that process's
// area, and a process together with an area it does not belong to is
// refused. The portal's form, the API and every other way in apply this
// one rule, in the store's write.

// PlaceByProcess returns the area of a request that names area areaID
// (0: none given) and process processID (0: none). processArea is the area
// the named process belongs to, 0 when no such process exists. Without a
// process the area stays as given.
func PlaceByProcess(areaID, processID, processArea int64) (int64, error) {
	if processID == 0 {
		return areaID, nil
	}
	var v Validation
	switch {
	case processArea == 0:
		v.Add("process", "field.process_not_found")
	case areaID == 0:
		return processArea, nil
	case areaID != processArea:
		v.Add("process", "field.unknown_process")
	}
	return areaID, v.Err()
}

// Place applies PlaceByProcess to a patch of r that names a process: the
// patch then also names the area the request ends up in, whenever that is
// not r's area already, so CheckPatch judges the move to that area like
// any other. processArea is the area of *p.ProcessID (0: no such process).
// A patch that removes the process, or names none, is left alone.
func (p *Patch) Place(r *Request, processArea int64) error {
	if p.ProcessID == nil || *p.ProcessID == 0 {
		return nil
	}
	var given int64
	if p.AreaID != nil {
		given = *p.AreaID
	}
	area, err := PlaceByProcess(given, *p.ProcessID, processArea)
	if err != nil {
		return err
	}
	if p.AreaID != nil || area != r.AreaID {
		p.AreaID = &area
	}
	return nil
}

// ProcessName names process p with its area a, as lists and answers show a
// place: "Salarisadministratie – Loonrun".
func ProcessName(a Area, p Process) string { return a.Name + " – " + p.Name }
