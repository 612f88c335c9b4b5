/* common/wire/registry.h: where schema ids come from.
 * Two implementations behind one interface:
 *  - built-in: fixed ids 1..6 in event.h order (DocumentPublished = 1, ...,
 *    DeadLetter = 6), no network: the embedded default;
 *  - Confluent Schema Registry over its REST API (libcurl), when
 *    schema.registry.url is set: schemas are registered under the subject of
 *    TopicNameStrategy (<topic>-value, default) or TopicRecordNameStrategy
 *    (<topic>-<full record name>, schema.registry.subject.strategy=topic_record);
 *    ids are looked up by id on decode; both directions are cached.
 *    Options: schema.registry.basic.auth.user.info (user:password),
 *    schema.registry.ssl.ca.location, schema.registry.ssl.verify (default true),
 *    schema.registry.timeout.ms.
 * Owns:   the caches. Never: logs secrets. Thread: not thread safe. */
#ifndef DUBAN_REGISTRY_H
#define DUBAN_REGISTRY_H
#include <stddef.h>
#include <stdint.h>
#include "conf.h"
#include "err.h"
#include "event.h"

typedef struct duban_registry_s duban_registry_t;

/* NEW registry: Confluent when conf has schema.registry.url, else built-in. */
duban_err_t duban_registry_new(const duban_conf_t *conf, duban_registry_t **out,
                               char *errbuf, size_t errbuf_size);
void duban_registry_destroy(duban_registry_t *r);

/* The id of `schema_json` (the record `type`) for `topic`, registering it
 * when needed. */
duban_err_t duban_registry_id_for(duban_registry_t *r, const char *topic,
                                  duban_event_type_t type, const char *schema_json,
                                  int32_t *id, char *errbuf, size_t errbuf_size);
/* The schema text registered under `id` (borrowed, cached for the registry's
 * life): DUBAN_E_UNKNOWN_SCHEMA when the registry has none. */
duban_err_t duban_registry_schema_by_id(duban_registry_t *r, int32_t id,
                                        const char **schema_json,
                                        char *errbuf, size_t errbuf_size);

#endif
