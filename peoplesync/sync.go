package peoplesync

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"beheer"
	"beheer/afas"
	"beheer/store"
)

// Fetcher gives the complete list of employees of a source, or an error
// and nothing. *afas.Client is one.
type Fetcher interface {
	Employees(ctx context.Context) ([]beheer.Employee, error)
}

// FetchError is a sync that could not read its source. Key names the
// reason in the message catalogue; Err is the cause, for the log.
type FetchError struct {
	Key string
	Err error
}

func (e *FetchError) Error() string { return e.Err.Error() }
func (e *FetchError) Unwrap() error { return e.Err }

// failureKey is the catalogue key for why AFAS could not be read.
func failureKey(err error) string {
	switch afas.KindOf(err) {
	case afas.KindAuth:
		return "people_import.afas_auth"
	case afas.KindServer:
		return "people_import.afas_server"
	case afas.KindTimeout:
		return "people_import.afas_timeout"
	case afas.KindMalformed:
		return "people_import.afas_malformed"
	case afas.KindPaging:
		return "people_import.afas_paging"
	case afas.KindNetwork:
		return "people_import.afas_network"
	}
	return "people_import.afas_failed"
}

// SyncAFAS reads every employee from src and applies the list. When the
// read fails nothing is applied — nobody is deactivated on a partial list —
// and the failure is recorded as a sync report, so the portal shows it.
//
// A list that would deactivate many people at once (beheer.MassLeave) is
// refused unless opts confirm it, and recorded as a failed sync, so the
// people page says why nothing changed.
func SyncAFAS(ctx context.Context, st *store.Store, actor *beheer.Actor, src Fetcher, opts beheer.SyncOptions) (*beheer.SyncReport, error) {
	employees, err := src.Employees(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err() // stopped, not failed
		}
		key := failureKey(err)
		if _, rerr := st.RecordSyncFailure(ctx, actor, beheer.SourceAFAS, key); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return nil, &FetchError{Key: key, Err: err}
	}
	rep, err := st.SyncPeople(ctx, actor, beheer.SourceAFAS, employees, opts)
	if be := (*beheer.Error)(nil); errors.As(err, &be) && be.Key == "people_import.too_many_leave" {
		if _, rerr := st.RecordSyncFailure(ctx, actor, beheer.SourceAFAS, "people_import.afas_too_many_leave"); rerr != nil {
			return nil, errors.Join(err, rerr)
		}
	}
	return rep, err
}

// Loop runs SyncAFAS as the system now and then every interval until ctx
// ends, logging each outcome (never the token).
func Loop(ctx context.Context, st *store.Store, src Fetcher, every time.Duration, log *slog.Logger) {
	for {
		start := time.Now()
		rep, err := SyncAFAS(ctx, st, store.System, src, beheer.SyncOptions{})
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Error("people sync from AFAS failed; nobody was changed", "err", err)
		default:
			log.Info("people sync from AFAS", "total", rep.Total, "added", rep.Added, "updated", rep.Updated,
				"deactivated", rep.Deactivated, "reactivated", rep.Reactivated, "skipped", rep.Skipped,
				"took", time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
