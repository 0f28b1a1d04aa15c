/*
 * listen_addr: HOST:PORT parsing for the server's --listen flag. Pure: the
 * address is checked for shape here; the socket layer checks it for real.
 */
#include "core/listen_addr.h"

#include <stdint.h>
#include <string.h>

#include "core/text.h"

static int fail(char *err, size_t errlen, const char *msg)
{
	text_copy(err, errlen, msg);
	return -1;
}

int listen_addr_parse(const char *s, struct listen_addr *out, char *err, size_t errlen)
{
	const char *colon;
	size_t hostlen;
	const char *host = s;
	int64_t port;

	memset(out, 0, sizeof *out);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (close == NULL || close[1] != ':')
			return fail(err, errlen, "expected [IPv6]:PORT");
		host = s + 1;
		hostlen = (size_t)(close - host);
		colon = close + 1;
		out->ipv6 = 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return fail(err, errlen, "expected HOST:PORT");
		hostlen = (size_t)(colon - s);
		if (memchr(s, ':', hostlen) != NULL)
			return fail(err, errlen, "write IPv6 addresses as [ADDRESS]:PORT");
	}
	if (hostlen == 0 || hostlen >= sizeof out->host)
		return fail(err, errlen, "host is empty or too long");
	memcpy(out->host, host, hostlen);
	out->host[hostlen] = '\0';
	for (size_t i = 0; i < hostlen; i++) {
		char c = out->host[i];
		int ok = (c >= '0' && c <= '9') || c == '.' ||
			 (out->ipv6 &&
			  (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
		if (!ok)
			return fail(err, errlen, "host must be a numeric IP address");
	}
	if (text_parse_i64(colon + 1, 0, 65535, &port) != 0)
		return fail(err, errlen, "port must be a number from 0 to 65535");
	out->port = (unsigned)port;
	return 0;
}
