/* common/notify/webhook_addr.c: the address guard (see webhook_addr.h):
 * which IPv4 and IPv6 addresses the notifier refuses to connect to. */
#include <stdint.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "webhook_addr.h"

static bool v4_internal(uint32_t a)
{
    return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
           (a >> 16) == 0xA9FE ||          /* 169.254/16 link-local */
           (a >> 20) == 0xAC1 ||           /* 172.16/12 */
           (a >> 16) == 0xC0A8 ||          /* 192.168/16 */
           (a >> 22) == (100u << 2 | 1) || /* 100.64/10 CGNAT */
           (a >> 28) >= 0xE;               /* multicast, reserved, broadcast */
}

bool duban_webhook_addr_is_internal(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return v4_internal(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
    if (sa->sa_family != AF_INET6)
        return true;
    const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    const uint8_t *b = a->s6_addr;
    if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a)) {
        uint32_t v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
        return v4_internal(v4);
    }
    return IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_UNSPECIFIED(a) ||
           IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_SITELOCAL(a) ||
           IN6_IS_ADDR_MULTICAST(a) || (b[0] & 0xFE) == 0xFC; /* fc00::/7 */
}

