/* common/wire/avsc.h: a record schema as the generated tables describe it.
 * cmake/avsc_codegen.py reads the schemas/ .avsc files at build time and writes
 * avsc_gen.h / avsc_gen.c (build tree) with one duban_avsc_record_t per
 * schema the direct codecs use: its fields depth first (a record's fields
 * follow its entry), each with its Avro type reduced to a kind below, the
 * null branch of a ["null", X] union, enum symbols and the default; plus an
 * index and a kind constant per entry and a C enum per Avro enum, so that
 * C code binding a field by name stops compiling when the .avsc renames or
 * retypes it. The .avsc is the one source: nothing here is written by hand
 * per field. alert/task_event.c walks these tables (Avro, and JSON by the
 * entries' names); ingest/task_assigned.c includes the writers generated
 * next to them (avsc_write_task_assigned.h: Avro, and JSON via avsc_json.h).
 * Owns:   nothing (static tables). Never: changes at run time. Thread: any. */
#ifndef DUBAN_AVSC_H
#define DUBAN_AVSC_H

typedef enum {
    DUBAN_AVSC_STRING = 1,
    DUBAN_AVSC_INT,
    DUBAN_AVSC_LONG,
    DUBAN_AVSC_BOOLEAN,
    DUBAN_AVSC_TIMESTAMP,      /* long, logicalType timestamp-millis */
    DUBAN_AVSC_DATE,           /* int, logicalType date */
    DUBAN_AVSC_ENUM,
    DUBAN_AVSC_RECORD,
    DUBAN_AVSC_STRINGS,        /* array of string */
    DUBAN_AVSC_RECORDS         /* array of a record */
} duban_avsc_kind_t;

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

/* The JSON key of entry e (TASK_STATUS_CHANGED__TO_STATUS, a generated
 * DUBAN_AVSC_<RECORD>__<PATH> without the prefix) as the .avsc spells it,
 * a string literal's value (const char *). For C that builds or reads a
 * record's JSON form member by member: a field renamed in the .avsc has no
 * DUBAN_AVSC_NAME__<e> any more, and one retyped so that it is no longer of
 * kind `kind` fails the assertion, so the build stops where the key is used
 * instead of a consumer meeting a missing member at run time. */
#define DUBAN_AVSC_KEY(e, kind)                                                          \
    (&(DUBAN_AVSC_NAME__##e)[0 * sizeof(struct {                                        \
        _Static_assert(DUBAN_AVSC_KIND__##e == (kind), #e " is not " #kind " in the .avsc"); \
        int unused;                                                                      \
    })])

#endif
