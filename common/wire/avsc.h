/* common/wire/avsc.h: a record schema as the generated tables describe it.
 * cmake/avsc_codegen.py reads the schemas/ .avsc files at build time and writes
 * avsc_gen.h / avsc_gen.c (build tree) with one duban_avsc_record_t per
 * schema the direct codecs use: its fields depth first (a record's fields
 * follow its entry), each with its Avro type reduced to a kind (avsc_keys.h), the
 * null branch of a ["null", X] union, enum symbols and the default; plus an
 * index per entry and a C enum per Avro enum (and, in avsc_keys.h, a kind
 * constant and the name per entry), so that C code binding a field by name
 * stops compiling when the .avsc renames or retypes it. The .avsc is the
 * one source: nothing here is written by hand per field.
 * alert/task_event.c walks these tables (Avro, and JSON by the
 * entries' names); ingest/task_assigned.c includes the writers generated
 * next to them (avsc_write_task_assigned.h: Avro, and JSON via avsc_json.h).
 * Owns:   nothing (static tables). Never: changes at run time. Thread: any. */
#ifndef DUBAN_AVSC_H
#define DUBAN_AVSC_H

/* duban_avsc_kind_t (what an Avro type reduces to), the entries' names and
 * kinds and the checked key macros (DUBAN_AVSC_KEY, DUBAN_AVSC_<RECORD>_KEY)
 * are constants generated into avsc_keys.h, which every layer sees
 * (duban_schema_keys, common/CMakeLists.txt): C below the wire layer that
 * reads these records' JSON takes its keys from the .avsc too. */
#include "avsc_keys.h"

typedef struct {
    const char *name;
    duban_avsc_kind_t kind;       /* of the value; for a union, of its non-null branch */
    int null_branch;              /* union with null: the null branch (0, 1); else -1 */
    int nfields;                  /* RECORD(S): its fields, the entries that follow */
    int entries;                  /* this one and its nested ones: the next field is
                                     this + entries */
    const char *type_name;        /* RECORD(S), ENUM: the short name; else NULL */
    const char *const *symbols;   /* ENUM: NULL-terminated; else NULL */
    int nsymbols;
    const char *default_json;     /* the field's default as JSON text; NULL: none */
} duban_avsc_field_t;

typedef struct {
    const char *name;             /* "TaskAssigned" */
    const char *file;             /* "TaskAssigned.avsc" */
    const duban_avsc_field_t *fields;   /* all entries, depth first */
    int nfields;                  /* top-level fields */
    int entries;
} duban_avsc_record_t;

#endif
