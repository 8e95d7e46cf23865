// Package beheer holds the nouns and rules of Beheer, the portal in which an
// organisation runs the management of its business application (AFAS Profit
// first, any SaaS application in general).
//
// Every request moves through Aanvraag → Onderzoek → Uitvoering →
// Optimalisatie. This package says who may move what where; it imports only
// the standard library, package sla (the service-level clocks, standard
// library only too) and the Snowball project's Dutch stemmer (the search
// analyser, search.go), and is tested as truth tables without a database.
//
// A map of the codebase:
//
//   - beheer (this package): requests, phases, statuses, roles, permissions,
//     decisions and who takes them (decider.go: the decider rule,
//     approval rules, deputies, the decision e-mail's link), escalations, the annual plan (plan.go, plan_activity.go),
//     releases and their acceptance tests (release.go), what an
//     organisation sets up itself — the first start and its checklist
//     (setup.go), areas and processes (area.go), the channels' vendors and
//     Support submitters (channel.go), the request types it offers
//     (requesttype.go) — and their rules; the Dutch search analyser both
//     engines index and search with (search.go); the error type shared by
//     all layers.
//   - store: the only package that speaks SQL, for SQLite and PostgreSQL. Its
//     write methods load, check the rules from this package, write, append
//     audit rows and commit, inside one transaction. What differs between
//     the engines sits in its dialect; store/internal/txn runs its
//     transactions (the group committer, prepared statements).
//   - server: the one route table, the JSON API (/api/v1) and the portal.
//   - i18n: the message catalogue, Dutch first and English second.
//   - markdown: Markdown rendering with sanitising.
//   - sla: business hours, Dutch public holidays and service-level clocks.
//   - notify: the workers that turn the event log into notifications,
//     e-mail and webhook calls.
//   - mailin: e-mail in: parsing raw messages (MIME, charsets, HTML-only
//     mail, quoted replies, auto-replies and bounces), handing them to the
//     store (a reply becomes a comment, mail to the intake address a
//     request, each message once) and polling an IMAP mailbox.
//   - afas: the AFAS Profit REST client: one GetConnector read page by
//     page with a stable sort, an App Connector token or OAuth client
//     credentials, the complete list or an error.
//   - peoplesync: people from the HR administration: the CSV parser, the
//     AFAS sync (a failed read changes nobody) and its schedule; the store
//     applies a list in one transaction.
//   - ical: the iCalendar (RFC 5545) writer for the annual plan's feed.
//   - metrics: Prometheus metrics on an opt-in listener.
//   - demo: the demo organisation and bulk data generation.
//   - cmd/beheer: the binary; the only place that knows every part and the
//     only one that reads settings (config.go declares each once: flag,
//     variable, default, description).
//   - cmd/beheer-load: the load tool, with this machine's ceilings measured
//     in the same run.
//   - crashtest: kills the real binary under load and checks nothing is
//     lost, on both engines.
package beheer
