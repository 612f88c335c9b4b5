/* common/wire/schema_registry.h: a client for the Confluent Schema Registry REST
 * API (v1, application/vnd.schemaregistry.v1+json) over libcurl. It speaks
 * two calls of the documented API:
 *   POST /subjects/{subject}/versions  {"schema": "<schema JSON text>"} -> {"id": N}
 *   GET  /schemas/ids/{id}                                     -> {"schema": "..."}
 * Errors come back typed, with the server's {"error_code", "message"} in
 * errbuf: 404 on an id -> DUBAN_E_UNKNOWN_SCHEMA, 409 (incompatible) ->
 * DUBAN_E_CONFLICT, 422 (42201 invalid schema) -> DUBAN_E_SCHEMA, 401/403 ->
 * DUBAN_E_AUTH, 408/429/5xx -> DUBAN_E_AGAIN, no answer in time ->
 * DUBAN_E_TIMEOUT, any other transport failure -> DUBAN_E_HTTP, an answer
 * that is not the documented JSON -> DUBAN_E_PARSE.
 * Owns:   one curl easy handle (connections are reused) and copies of the
 *         options. It caches nothing: common/registry.c holds the caches.
 * Never:  logs; puts credentials (basic.auth.user.info, or user:password in
 *         the URL) into errbuf; follows redirects.
 * Thread: one client per thread (a curl easy handle is not shareable). */
#ifndef DUBAN_SCHEMA_REGISTRY_H
#define DUBAN_SCHEMA_REGISTRY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

typedef struct duban_schema_registry_s duban_schema_registry_t;

typedef struct duban_schema_registry_opts_s {
    /* Base URL(s), e.g. "http://schema-registry:8081"; a comma-separated
     * list is tried in order on transport errors. Required. */
    const char *url;
    /* "user:password" for HTTP basic auth, or NULL. */
    const char *basic_auth_user_info;
    /* CA bundle (PEM) to verify the server with, or NULL for the system's. */
    const char *ssl_ca_location;
    /* Verify the server certificate and host name (default true). */
    bool ssl_verify;
    /* Whole-request timeout, connect included; <= 0 means 10000. */
    long timeout_ms;
} duban_schema_registry_opts_t;

/* Fills opts with the defaults (ssl_verify true, timeout 10000 ms). */
void duban_schema_registry_opts_init(duban_schema_registry_opts_t *opts);

/* *out is NEW; the strings in opts are copied. DUBAN_E_INVAL when the URL is
 * missing or not http(s). */
duban_err_t duban_schema_registry_new(const duban_schema_registry_opts_t *opts,
                                      duban_schema_registry_t **out,
                                      char *errbuf, size_t errbuf_size);
void duban_schema_registry_destroy(duban_schema_registry_t *sr);

/* Registers schema_json (Avro schema text) under subject; *id is the
 * registry's global id. Registering the same schema again returns the same id
 * (the registry answers it; this client does not cache). */
duban_err_t duban_schema_registry_register(duban_schema_registry_t *sr,
                                           const char *subject,
                                           const char *schema_json, int32_t *id,
                                           char *errbuf, size_t errbuf_size);

/* The schema text registered under id. *schema_json is NEW (free()). */
duban_err_t duban_schema_registry_schema_by_id(duban_schema_registry_t *sr, int32_t id,
                                               char **schema_json,
                                               char *errbuf, size_t errbuf_size);

/* HTTP requests this client has sent (each URL tried counts once). */
unsigned long duban_schema_registry_requests(const duban_schema_registry_t *sr);

#endif
