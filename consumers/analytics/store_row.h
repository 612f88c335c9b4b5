/* consumers/analytics/store_row.h: one event as the parameters of the
 * store's writes: its table's columns (lists joined with '、', booleans as
 * 0/1, dates and instants as their ISO text), the whole event as JSON text
 * with sorted keys, its task_departments rows and its occurred_at. Made
 * from a jansson object (duban_store_put) or from an event decoded straight
 * from its Avro bytes (duban_serde_decode_row, duban_store_put_row): the
 * same event gives the same parameters either way (test_store_row).
 * Owns:   the row's scratch memory, reused from event to event (no
 *         allocation per event once it has grown).
 * Never:  logs; touches the database. Thread: one thread per row. */
#ifndef DUBAN_STORE_ROW_H
#define DUBAN_STORE_ROW_H
#include <stddef.h>
#include <jansson.h>
#include "avsc_gen.h"
#include "buf.h"
#include "err.h"
#include "event.h"
#include "serde.h"
#include "store_backend.h"

/* The events' JSON keys (their fields' names) as the schemas/ .avsc name them,
 * of the kind there, for the columns and the reads below: a renamed or
 * retyped field stops store.c and store_row.c compiling (avsc.h). */
#define TASK_KEY DUBAN_AVSC_TASK_ASSIGNED_KEY
#define STATUS_KEY DUBAN_AVSC_TASK_STATUS_CHANGED_KEY
#define ALERT_KEY DUBAN_AVSC_DEADLINE_ALERT_KEY
#define DELIVERY_KEY DUBAN_AVSC_DELIVERY_ATTEMPT_KEY

typedef enum { COL_TEXT, COL_INT, COL_LIST, COL_BOOL } col_kind_t;

typedef struct {
    const char *name;   /* column and event field */
    col_kind_t kind;
} store_col_t;

#define STORE_MAX_COLS 16

/* An event type's table; the first column is the primary key. A COL_LIST
 * column's field is an array of strings in the schema. */
typedef struct {
    const char *table, *key;
    store_col_t cols[STORE_MAX_COLS];
} store_table_t;

/* The table of an event type (store.c holds them). */
const store_table_t *store_table_of(duban_event_type_t type);

typedef struct {
    store_val_t vals[STORE_MAX_COLS + 1]; /* the columns, then the event's JSON text */
    int n;                                /* the columns: the text is vals[n] */
    store_val_t *depts;   /* task_departments rows: department depts[2i], role depts[2i+1] */
    size_t ndepts, dcap;
    char occurred_at[40]; /* the event's, "" when it has none (or a longer one) */
    duban_buf_t scratch;  /* joined lists, formatted dates */
    char *json;           /* the JSON text of a jansson event (NEW) */
    /* per event type: the schema (plan) the field indexes below are of */
    const duban_avro_plan_t *plan[DUBAN_EV__COUNT];
    int field[DUBAN_EV__COUNT][STORE_MAX_COLS + 3]; /* columns, lead and cooperating
                                                       departments, occurred_at */
} store_row_t;

void store_row_init(store_row_t *r);
void store_row_free(store_row_t *r);

/* Fills r from the event ev of table t (with its task_departments rows when
 * departments is true). DUBAN_E_SCHEMA when the key field is not a string.
 * The parameters borrow from ev and r: valid until ev goes or r is used
 * again. */
duban_err_t store_row_from_json(store_row_t *r, const store_table_t *t, bool departments,
                                const json_t *ev, char *errbuf, size_t errbuf_size);
/* The same from an event row; the parameters borrow from it (and from what
 * its fields borrow from, see duban_serde_decode_row) and from r. */
duban_err_t store_row_from_event(store_row_t *r, const store_table_t *t, bool departments,
                                 const duban_event_row_t *ev, char *errbuf,
                                 size_t errbuf_size);

/* One column's value from a jansson value (NULL: absent); its text may be
 * in r's scratch, valid until r is used again. */
store_val_t store_row_json_value(store_row_t *r, const store_col_t *col, const json_t *v);

#endif
