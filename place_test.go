package beheer

import "testing"

// TestPlaceByProcess is the truth table of the process → area rule: a
// process alone places the request in the process's area; a process with
// another area, or a process that does not exist, is refused on the field
// process.
func TestPlaceByProcess(t *testing.T) {
	const process int64 = 7
	tests := []struct {
		name                       string
		area, process, processArea int64
		wantArea                   int64
		want                       result
		wantKey                    string
	}{
		{"nothing", 0, 0, 0, 0, allowed, ""},
		{"area only", areaOwn, 0, 0, areaOwn, allowed, ""},
		{"process only", 0, process, areaOther, areaOther, allowed, ""},
		{"process with its area", areaOwn, process, areaOwn, areaOwn, allowed, ""},
		{"process with another area", areaOwn, process, areaOther, areaOwn, invalid("process"), "field.unknown_process"},
		{"unknown process", 0, process, 0, 0, invalid("process"), "field.process_not_found"},
		{"unknown process with an area", areaOwn, process, 0, areaOwn, invalid("process"), "field.process_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			area, err := PlaceByProcess(tt.area, tt.process, tt.processArea)
			expect(t, "", err, tt.want)
			if err == nil && area != tt.wantArea {
				t.Errorf("area %d, want %d", area, tt.wantArea)
			}
			if tt.wantKey != "" {
				if e, ok := err.(*Error); !ok || e.Fields[0].Key != tt.wantKey {
					t.Errorf("message %v, want %s", err, tt.wantKey)
				}
			}
		})
	}
}

// TestPatchPlace: a patch that names a process also names the area the
// request moves to (so CheckPatch sees the move), unless the request is in
// that area already; removing the process, or leaving it out, changes
// nothing.
func TestPatchPlace(t *testing.T) {
	const process int64 = 7
	tests := []struct {
		name        string
		patch       Patch
		processArea int64
		want        result
		wantArea    *int64 // the patch's area afterwards; nil: none
	}{
		{"no process", Patch{Title: ptr("Nieuw")}, 0, allowed, nil},
		{"process removed", Patch{ProcessID: ptr(int64(0))}, 0, allowed, nil},
		{"area only", Patch{AreaID: ptr(areaOther)}, 0, allowed, ptr(areaOther)},
		{"process of the request's area", Patch{ProcessID: ptr(process)}, areaOwn, allowed, nil},
		{"process of another area moves the request", Patch{ProcessID: ptr(process)}, areaOther, allowed, ptr(areaOther)},
		{"process with its area", Patch{AreaID: ptr(areaOther), ProcessID: ptr(process)}, areaOther, allowed, ptr(areaOther)},
		{"process with the area removed", Patch{AreaID: ptr(int64(0)), ProcessID: ptr(process)}, areaOther, allowed, ptr(areaOther)},
		{"process with another area", Patch{AreaID: ptr(areaOwn), ProcessID: ptr(process)}, areaOther, invalid("process"), ptr(areaOwn)},
		{"unknown process", Patch{ProcessID: ptr(process)}, 0, invalid("process"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.patch
			expect(t, "", p.Place(request(), tt.processArea), tt.want)
			switch {
			case tt.wantArea == nil && p.AreaID != nil:
				t.Errorf("area %d set, want none", *p.AreaID)
			case tt.wantArea != nil && (p.AreaID == nil || *p.AreaID != *tt.wantArea):
				t.Errorf("area %v, want %d", p.AreaID, *tt.wantArea)
			}
		})
	}
}
