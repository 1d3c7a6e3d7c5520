// Package pipeline turns a stream of capture records into what nltrace
// shows: it filters them (the --comm, -p, --family, --type and --errors
// flags), decodes them with one per-stream decoder, pairs failed requests
// with their error replies, renders the text and counts the summary. The
// CLI's live trace and `nltrace read`, the TUI and replay all run records
// through it, so a filter means the same everywhere.
//
//	p, err := pipeline.New(w, sink, pipeline.Options{Format: "compact"})
//	for each record: p.Handle(&rec)
//	p.Flush(); p.Summary(stderr, src.Stats())
//
// A Pipeline is not safe for concurrent use: it is one stream's state.
package pipeline
