/*
 * blt: reads and writes the BLT ballot file format (see blt.h) in memory.
 * The reader goes line by line and names the line of the first fault; it
 * never reads past len and needs no NUL. Pure: no I/O, no globals.
 */
#include "core/blt.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *p, *end; /* text not yet read */
	size_t line;         /* number of the line in ls..le */
	const char *ls, *le; /* the current line, trimmed */
	char *err;           /* message buffer, or NULL */
	size_t errlen;       /* its size */
};

__attribute__((format(printf, 3, 4))) static enum stv_error
fail(struct parser *ps, enum stv_error code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ps->err == NULL || ps->errlen == 0)
		return code;
	n = snprintf(ps->err, ps->errlen, "line %zu: ", ps->line);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return code;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Moves to the next line that is neither blank nor a '#' comment.
 * Returns 1, 0 at the end of the text, or -1 for a NUL byte. */
static int next_line(struct parser *ps)
{
	while (ps->p < ps->end) {
		const char *s = ps->p, *eol = memchr(s, '\n', (size_t)(ps->end - s));
		const char *e = eol != NULL ? eol : ps->end;

		ps->p = eol != NULL ? eol + 1 : ps->end;
		ps->line++;
		if (memchr(s, '\0', (size_t)(e - s)) != NULL)
			return -1;
		while (e > s && (blank(e[-1]) || e[-1] == '\r'))
			e--;
		while (s < e && blank(*s))
			s++;
		if (s == e || *s == '#')
			continue;
		ps->ls = s;
		ps->le = e;
		return 1;
	}
	return 0;
}

/* The next blank-separated token of the current line at *q: sets *t and
 * *n, advances *q; false at the end of the line. */
static bool token(struct parser *ps, const char **q, const char **t, size_t *n)
{
	const char *s = *q;

	while (s < ps->le && blank(*s))
		s++;
	if (s == ps->le)
		return false;
	*t = s;
	while (s < ps->le && !blank(*s))
		s++;
	*n = (size_t)(s - *t);
	*q = s;
	return true;
}

/* A whole token as a decimal integer (optional '-', 1..18 digits). */
static bool number(const char *t, size_t n, int64_t *v)
{
	bool neg = n > 0 && t[0] == '-';
	int64_t x = 0;

	if (neg) {
		t++;
		n--;
	}
	if (n == 0 || n > 18)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (t[i] < '0' || t[i] > '9')
			return false;
		x = x * 10 + (t[i] - '0');
	}
	*v = neg ? -x : x;
	return true;
}

static enum stv_error bad_token(struct parser *ps, const char *t, size_t n, const char *what)
{
	if (memchr(t, '=', n) != NULL)
		return fail(ps, STV_ERR_PARSE, "equal rankings ('=') are not supported");
	if (t[0] == '(')
		return fail(ps, STV_ERR_PARSE, "ballot ids in parentheses are not supported");
	return fail(ps, STV_ERR_PARSE, "%s '%.*s' is not a whole number", what,
		    (int)(n > 20 ? 20 : n), t);
}

static enum stv_error parse_header(struct parser *ps, struct stv_election *e)
{
	const char *q, *t;
	size_t n;
	int64_t cands, seats;
	int r = next_line(ps);

	if (r < 0)
		return fail(ps, STV_ERR_PARSE, "NUL byte in the file");
	if (r == 0) {
		ps->line = 1;
		return fail(ps, STV_ERR_PARSE, "empty file: expected 'CANDIDATES SEATS'");
	}
	q = ps->ls;
	if (!token(ps, &q, &t, &n) || !number(t, n, &cands) || !token(ps, &q, &t, &n) ||
	    !number(t, n, &seats) || token(ps, &q, &t, &n))
		return fail(ps, STV_ERR_PARSE, "expected 'CANDIDATES SEATS', two whole numbers");
	if (cands > STV_CANDIDATES_MAX)
		return fail(ps, STV_ERR_TOO_BIG, "%lld candidates: at most %d are allowed",
			    (long long)cands, STV_CANDIDATES_MAX);
	if (cands < 1)
		return fail(ps, STV_ERR_PARSE, "there must be at least one candidate");
	if (seats < 1 || seats > cands)
		return fail(ps, STV_ERR_PARSE, "seats must be from 1 to %lld, not %lld",
			    (long long)cands, (long long)seats);
	return stv_election_set(e, (int)cands, (int)seats);
}

static enum stv_error parse_withdrawn(struct parser *ps, struct stv_election *e)
{
	const char *q = ps->ls, *t;
	size_t n;
	int64_t v;
	int standing = 0;

	while (token(ps, &q, &t, &n)) {
		if (!number(t, n, &v) || v >= 0)
			return fail(ps, STV_ERR_PARSE,
				    "a withdrawn candidate is written -N; '%.*s' is not",
				    (int)(n > 20 ? 20 : n), t);
		if (-v > e->n_candidates)
			return fail(ps, STV_ERR_PARSE,
				    "withdrawn candidate %lld is not a candidate (1-%d)",
				    (long long)-v, e->n_candidates);
		stv_election_withdraw(e, (int)(-v - 1));
	}
	for (int i = 0; i < e->n_candidates; i++)
		standing += !e->withdrawn[i];
	if (standing < e->seats)
		return fail(ps, STV_ERR_PARSE, "withdrawals leave %d standing for %d seats",
			    standing, e->seats);
	return STV_OK;
}

/* One ballot line "WEIGHT PREF... 0"; *end is set for the closing "0". */
static enum stv_error parse_ballot(struct parser *ps, struct stv_election *e, int64_t *papers,
				   bool *end)
{
	int prefs[STV_CANDIDATES_MAX];
	unsigned char seen[(STV_CANDIDATES_MAX + 7) / 8] = {0};
	const char *q = ps->ls, *t;
	size_t n, k = 0;
	int64_t weight, v;
	bool closed = false;
	enum stv_error err;

	token(ps, &q, &t, &n); /* a line that is not blank has a token */
	if (!number(t, n, &weight))
		return bad_token(ps, t, n, "ballot weight");
	if (weight == 0 && !token(ps, &q, &t, &n)) {
		*end = true;
		return STV_OK;
	}
	if (weight < 1)
		return fail(ps, STV_ERR_PARSE, "a ballot's weight must be at least 1");
	if (weight > STV_WEIGHT_MAX)
		return fail(ps, STV_ERR_TOO_BIG, "ballot weight %lld is over %lld",
			    (long long)weight, (long long)STV_WEIGHT_MAX);
	while (token(ps, &q, &t, &n)) {
		if (closed)
			return fail(ps, STV_ERR_PARSE, "text after the 0 that ends the ballot");
		if (!number(t, n, &v))
			return bad_token(ps, t, n, "preference");
		if (v == 0) {
			closed = true;
			continue;
		}
		if (v < 1 || v > e->n_candidates)
			return fail(ps, STV_ERR_PARSE, "preference %lld is not a candidate (1-%d)",
				    (long long)v, e->n_candidates);
		if (seen[(v - 1) / 8] & (1u << ((v - 1) % 8)))
			return fail(ps, STV_ERR_PARSE, "candidate %lld is ranked twice",
				    (long long)v);
		seen[(v - 1) / 8] |= (unsigned char)(1u << ((v - 1) % 8));
		prefs[k++] = (int)(v - 1);
	}
	if (!closed)
		return fail(ps, STV_ERR_PARSE, "ballot does not end with 0");
	*papers += weight;
	if (*papers > STV_VOTES_MAX)
		return fail(ps, STV_ERR_TOO_BIG, "more than %lld ballot papers",
			    (long long)STV_VOTES_MAX);
	err = stv_election_add_ballot(e, weight, prefs, k);
	if (err == STV_ERR_TOO_BIG)
		return fail(ps, err, "too many ballot lines or preferences (at most %zu lines)",
			    STV_BALLOTS_MAX);
	return err;
}

/* The quoted names on the current line: candidate names, then the title.
 * *have counts the names read so far (n_candidates + 1 with the title). */
static enum stv_error parse_names(struct parser *ps, struct stv_election *e, int *have)
{
	const char *q = ps->ls;
	char name[STV_NAME_MAX + 1];

	for (;;) {
		const char *close;
		size_t len;
		enum stv_error err;

		while (q < ps->le && blank(*q))
			q++;
		if (q == ps->le)
			return STV_OK;
		if (*have > e->n_candidates)
			return fail(ps, STV_ERR_PARSE, "unexpected text after the title");
		if (*q != '"')
			return fail(ps, STV_ERR_PARSE, "expected a quoted name, found '%.*s'",
				    (int)(ps->le - q > 20 ? 20 : ps->le - q), q);
		close = memchr(q + 1, '"', (size_t)(ps->le - q - 1));
		if (close == NULL)
			return fail(ps, STV_ERR_PARSE, "name has no closing quote");
		len = (size_t)(close - q - 1);
		if (len > STV_NAME_MAX)
			return fail(ps, STV_ERR_TOO_BIG, "name longer than %d bytes", STV_NAME_MAX);
		memcpy(name, q + 1, len);
		name[len] = '\0';
		err = stv_election_name(e, *have < e->n_candidates ? *have : -1, name);
		if (err == STV_ERR_INVALID) {
			if (*have < e->n_candidates)
				return fail(ps, STV_ERR_PARSE,
					    "name of candidate %d is empty or not UTF-8 text",
					    *have + 1);
			return fail(ps, STV_ERR_PARSE, "title is not UTF-8 text");
		}
		if (err != STV_OK)
			return err;
		(*have)++;
		q = close + 1;
	}
}

enum stv_error blt_parse(const char *text, size_t len, struct stv_election **out, char *err,
			 size_t errlen)
{
	struct parser ps = {.p = text, .end = text + len, .err = err, .errlen = errlen};
	struct stv_election *e = NULL;
	enum stv_error rc;
	int64_t papers = 0;
	bool ballots = false, end = false;
	int have = 0, r;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (len > BLT_TEXT_MAX) {
		ps.line = 1;
		return fail(&ps, STV_ERR_TOO_BIG, "file larger than %zu bytes", BLT_TEXT_MAX);
	}
	e = stv_election_new();
	if (e == NULL)
		return STV_ERR_NOMEM;
	rc = parse_header(&ps, e);
	while (rc == STV_OK && !end) {
		r = next_line(&ps);
		if (r <= 0) {
			rc = fail(&ps, STV_ERR_PARSE,
				  r < 0 ? "NUL byte in the file"
					: "file ends before the 0 line that closes the ballots");
			break;
		}
		if (ps.ls[0] == '-') {
			rc = ballots ? fail(&ps, STV_ERR_PARSE,
					    "withdrawn candidates must come before the ballots")
				     : parse_withdrawn(&ps, e);
			continue;
		}
		ballots = true;
		rc = parse_ballot(&ps, e, &papers, &end);
	}
	while (rc == STV_OK) {
		r = next_line(&ps);
		if (r < 0)
			rc = fail(&ps, STV_ERR_PARSE, "NUL byte in the file");
		if (r <= 0)
			break;
		rc = parse_names(&ps, e, &have);
	}
	if (rc == STV_OK && have < e->n_candidates)
		rc = fail(&ps, STV_ERR_PARSE, "file ends after %d of %d candidate names", have,
			  e->n_candidates);
	if (rc != STV_OK) {
		stv_election_free(e);
		return rc;
	}
	*out = e;
	return STV_OK;
}

static int emit_number(int (*emit)(void *, const char *, size_t), void *ctx, int64_t v, char after)
{
	char b[32];
	int n = snprintf(b, sizeof(b), "%lld%c", (long long)v, after);

	return emit(ctx, b, (size_t)n);
}

/* "name" with each '"' inside written as '\''. */
static int emit_quoted(int (*emit)(void *, const char *, size_t), void *ctx, const char *s)
{
	int rc = emit(ctx, "\"", 1);

	while (rc == 0 && s != NULL && *s != '\0') {
		size_t run = strcspn(s, "\"");
		if (run > 0)
			rc = emit(ctx, s, run);
		s += run;
		if (rc == 0 && *s == '"') {
			rc = emit(ctx, "'", 1);
			s++;
		}
	}
	return rc != 0 ? rc : emit(ctx, "\"\n", 2);
}

int blt_write(const struct stv_election *e, int (*emit)(void *ctx, const char *s, size_t n),
	      void *ctx)
{
	int rc = emit_number(emit, ctx, e->n_candidates, ' ');
	bool any = false;

	if (rc == 0)
		rc = emit_number(emit, ctx, e->seats, '\n');
	for (int i = 0; rc == 0 && i < e->n_candidates; i++) {
		if (!e->withdrawn[i])
			continue;
		rc = emit_number(emit, ctx, -(int64_t)(i + 1), ' ');
		any = true;
	}
	if (rc == 0 && any)
		rc = emit(ctx, "\n", 1);
	for (size_t l = 0; rc == 0 && l < e->n_ballots; l++) {
		const struct stv_ballot *b = &e->ballots[l];
		rc = emit_number(emit, ctx, b->weight, ' ');
		for (size_t k = 0; rc == 0 && k < b->n_prefs; k++)
			rc = emit_number(emit, ctx, e->prefs[b->first + k] + 1, ' ');
		if (rc == 0)
			rc = emit(ctx, "0\n", 2);
	}
	if (rc == 0)
		rc = emit(ctx, "0\n", 2);
	for (int i = 0; rc == 0 && i < e->n_candidates; i++)
		rc = emit_quoted(emit, ctx, e->names[i]);
	if (rc == 0)
		rc = emit_quoted(emit, ctx, e->title);
	return rc;
}

struct buf {
	char *p;    /* text so far, owned */
	size_t len; /* bytes used */
	size_t cap; /* bytes allocated */
	size_t max; /* most bytes allowed */
	enum stv_error err;
};

static int buf_emit(void *ctx, const char *s, size_t n)
{
	struct buf *b = ctx;

	if (n > b->max || b->len > b->max - n) {
		b->err = STV_ERR_TOO_BIG;
		return 1;
	}
	if (b->len + n + 1 > b->cap) {
		size_t want = b->cap == 0 ? 4096 : b->cap;
		char *p;
		while (want < b->len + n + 1)
			want *= 2;
		p = realloc(b->p, want);
		if (p == NULL) {
			b->err = STV_ERR_NOMEM;
			return 1;
		}
		b->p = p;
		b->cap = want;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

enum stv_error blt_write_buf(const struct stv_election *e, size_t max, char **out, size_t *len)
{
	struct buf b = {.max = max, .err = STV_OK};

	*out = NULL;
	*len = 0;
	if (blt_write(e, buf_emit, &b) != 0) {
		free(b.p);
		return b.err;
	}
	*out = b.p;
	*len = b.len;
	return STV_OK;
}
