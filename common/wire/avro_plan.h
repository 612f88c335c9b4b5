/* common/wire/avro_plan.h: the plan, a tree that mirrors an Avro schema,
 * built by avro_json.c from the .avsc text and walked by avro_json.c (JSON
 * <-> Avro) and avro_text.c (Avro binary -> JSON text, a store's row).
 * Private to those two files: everyone else holds a duban_avro_plan_t *.
 * Thread: a plan is read-only after creation. */
#ifndef DUBAN_AVRO_PLAN_H
#define DUBAN_AVRO_PLAN_H
#include <stddef.h>
#include <avro.h>
#include "avro_json.h"

typedef enum {
    P_NULL, P_BOOLEAN, P_INT, P_LONG, P_FLOAT, P_DOUBLE, P_STRING, P_BYTES,
    P_DATE, P_TIMESTAMP, P_ENUM, P_ARRAY, P_MAP, P_RECORD, P_UNION
} plan_kind_t;

typedef struct plan_node_s plan_node_t;
struct plan_node_s {
    plan_kind_t kind;
    char *name;               /* full name of records and enums */
    size_t count;             /* fields, symbols or branches */
    char **names;             /* field names or enum symbols */
    plan_node_t **children;   /* fields' or branches' nodes */
    plan_node_t *items;       /* array items, map values */
    int null_branch;          /* union: index of "null", or -1 */
    int value_branch;         /* union: first other branch, or -1 */
    unsigned char *field_ops; /* record: the writer's shortcut per field */
    char **keys;              /* record: "\"name\":" per field, for the text writer;
                                 keys[i][-1] is a comma (free keys[i] - 1) */
    size_t *key_lens;
    size_t *order;            /* record: field indexes with names in byte order */
    size_t type_rank;         /* record: how many field names sort before "type" */
    int type_field;           /* record: index of a field named "type", or -1 */
    plan_node_t *next_alloc;  /* every node, for freeing */
};

struct duban_avro_plan_s {
    plan_node_t *root;
    plan_node_t *all;         /* allocation list */
    avro_schema_t schema;
};

/* How deep a schema may nest (records, arrays, unions). */
#define MAX_DEPTH 32

#endif
