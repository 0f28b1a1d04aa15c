/*
 * listen_addr: parses the HOST:PORT the server listens on ("127.0.0.1:8080",
 * "[::1]:8080", "0.0.0.0:0" for an ephemeral port). Pure.
 */
#ifndef CARECOOP_CORE_LISTEN_ADDR_H
#define CARECOOP_CORE_LISTEN_ADDR_H

#include <stddef.h>

struct listen_addr {
	char host[64]; /* numeric IPv4 or IPv6 address, without brackets */
	unsigned port; /* 0..65535; 0 asks the kernel for a free port */
	int ipv6;      /* 1 when host is an IPv6 address */
};

/* Parses s into out. Returns 0, or -1 with a reason in err (size errlen). */
int listen_addr_parse(const char *s, struct listen_addr *out, char *err, size_t errlen);

#endif
