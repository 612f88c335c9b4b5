/* common/notify/webhook_addr.h: the address guard of the webhook transport.
 * Owns:   the rule that says which resolved addresses the notifier must not
 *         connect to: loopback, private (RFC 1918, fc00::/7), link-local,
 *         site-local, CGNAT (100.64/10), unspecified, multicast, reserved
 *         and broadcast, also when written as IPv4-mapped or -compatible
 *         IPv6. Any family other than IPv4 and IPv6 is refused.
 * Never:  resolves names, opens sockets, logs or allocates. The engine
 *         (webhook_engine.c) applies the rule to every connection it opens
 *         unless notifier.allow.private is set, so DNS cannot turn the
 *         notifier against internal services.
 * Thread: any (no state). */
#ifndef DUBAN_WEBHOOK_ADDR_H
#define DUBAN_WEBHOOK_ADDR_H
#include <stdbool.h>
#include <sys/socket.h>

/* true when the address must be refused (loopback, private, link-local...).
 * `sa` is borrowed for the call; its family decides how much is read. */
bool duban_webhook_addr_is_internal(const struct sockaddr *sa);

#endif
