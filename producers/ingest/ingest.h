/* producers/ingest/ingest.h: gazette parse results -> DocumentPublished
 * objects (a task's TaskAssigned is a struct, common/task_assigned.h). The
 * objects built here are exactly what --dry-run prints and what the Kafka
 * path encodes (common/serde.h), so both outputs agree byte for byte.
 * Deterministic: same input, same objects, same hashes.
 * Never: I/O. Thread: any. */
#ifndef DUBAN_INGEST_H
#define DUBAN_INGEST_H
#include <jansson.h>
#include "gwdoc.h"

/* NEW objects; NULL on out of memory. */
json_t *ingest_document_event(const duban_gwdoc_t *g, size_t di, const char *file);

/* Compact, key-order-preserving JSON: NEW string (free()). */
char *ingest_dump(const json_t *ev);

#endif
