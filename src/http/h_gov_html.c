/*
 * h_gov_html: server-rendered governance pages, so that a member can read
 * proposals and vote from any browser, with or without JavaScript: the
 * list (GET /proposals), a proposal with its vote form or result (GET
 * /proposals/{id}), and the form's target (POST /proposals/{id}/vote),
 * which answers 303 See Other back to the page with the receipt. The form
 * carries the session's CSRF token in a hidden field (server.c checks it
 * in constant time). With JavaScript, /js/gov-page.js adds the navigation
 * and sends the same vote through the JSON API.
 *
 * Everything taken from the database or the request is HTML-escaped.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/token.h"
#include "core/roles.h"
#include "core/text.h"
#include "db/db_gov.h"
#include "http/gov_count.h"
#include "http/http_internal.h"

#define FORM_FIELDS_MAX 64

/* ---- urlencoded forms ---- */

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Decodes s[0..n) (+ is a space, %XX a byte) into a new string; NULL on a
 * bad escape or a decoded NUL. */
static char *form_decode(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	size_t o = 0;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				free(out);
				return NULL;
			}
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

json_t *http_form_parse(const char *body, size_t len)
{
	json_t *o = json_object();
	size_t start = 0, fields = 0;

	if (o == NULL)
		return NULL;
	while (start < len) {
		size_t end = start, eq;
		char *name, *value;
		json_t *old;

		while (end < len && body[end] != '&')
			end++;
		for (eq = start; eq < end && body[eq] != '='; eq++)
			;
		if (end > start) {
			if (++fields > FORM_FIELDS_MAX)
				goto fail;
			name = form_decode(body + start, eq - start);
			value = form_decode(body + eq + (eq < end), end - eq - (eq < end));
			if (name == NULL || value == NULL || !text_utf8_valid(name, false) ||
			    !text_utf8_valid(value, true)) {
				free(name);
				free(value);
				goto fail;
			}
			old = json_object_get(o, name);
			if (old == NULL) {
				json_object_set_new(o, name, json_string(value));
			} else if (json_is_array(old)) {
				json_array_append_new(old, json_string(value));
			} else {
				json_t *a = json_array();
				json_array_append(a, old);
				json_array_append_new(a, json_string(value));
				json_object_set_new(o, name, a);
			}
			free(name);
			free(value);
		}
		start = end + 1;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

enum MHD_Result http_reply_see_other(struct http_req *req, const char *location)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);

	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, "Location", location);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	return http_queue(req, 303, resp);
}

/* ---- HTML building ---- */

static const char *jstr(json_t *v)
{
	const char *s = json_string_value(v);
	return s != NULL ? s : "";
}

static void put(struct textbuf *b, const char *s)
{
	textbuf_add(b, s, strlen(s));
}

static void putf(struct textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct textbuf *b, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		textbuf_add(b, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* Appends s with & < > " ' escaped. */
static void esc(struct textbuf *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *rep = *s == '&'    ? "&amp;"
				  : *s == '<'  ? "&lt;"
				  : *s == '>'  ? "&gt;"
				  : *s == '"'  ? "&quot;"
				  : *s == '\'' ? "&#39;"
					       : NULL;
		if (rep == NULL)
			continue;
		textbuf_add(b, run, (size_t)(s - run));
		put(b, rep);
		run = s + 1;
	}
	textbuf_add(b, run, (size_t)(s - run));
}

static void when(struct textbuf *b, int64_t t)
{
	char buf[64], iso[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0) {
		put(b, "no time set");
		return;
	}
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%a %d %b %Y, %H:%M UTC", &tm);
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	putf(b, "<time datetime=\"%s\">%s</time>", iso, buf);
}

static const char *kind_name(const char *kind, const char *method)
{
	if (strcmp(kind, "ordinary") == 0)
		return "Ordinary resolution";
	if (strcmp(kind, "special") == 0)
		return "Special resolution";
	if (strcmp(kind, "election") == 0)
		return strcmp(method, "approval") == 0 ? "Election (approval voting)"
						       : "Election (single transferable vote)";
	return "Poll";
}

static void page_start(struct textbuf *b, const char *title)
{
	put(b, "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	esc(b, title);
	put(b, " – carecoop</title>\n"
	       "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n"
	       "<link rel=\"stylesheet\" href=\"/css/app.css\">\n"
	       "<script type=\"module\" src=\"/js/gov-page.js\"></script>\n</head>\n<body>\n"
	       "<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n"
	       "<header class=\"site-header\">\n<div class=\"bar site-header__top\">\n"
	       "<a class=\"brand\" href=\"/home.html\"><img src=\"/favicon.svg\" alt=\"\" "
	       "width=\"30\" height=\"30\">carecoop</a>\n"
	       "<div class=\"account\" id=\"account\" hidden>\n"
	       "<span>Signed in as <strong id=\"user-name\"></strong></span>\n"
	       "<button type=\"button\" class=\"button button--quiet\" id=\"logout\">Log "
	       "out</button>\n</div>\n</div>\n"
	       "<nav class=\"site-nav\" aria-label=\"Main\">\n<ul class=\"bar\" id=\"nav-list\">"
	       "<li><a href=\"/home.html\">Home</a></li>"
	       "<li><a href=\"/proposals\" aria-current=\"true\">Proposals</a></li></ul>\n"
	       "</nav>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<div class=\"page gov\">\n"
	       "<div id=\"page-error\" class=\"alert alert--error\" role=\"alert\"></div>\n");
}

static enum MHD_Result page_finish(struct http_req *req, struct textbuf *b, unsigned status)
{
	struct MHD_Response *resp;

	put(b, "</div>\n</main>\n<footer class=\"site-footer\"><div class=\"bar\"><p>carecoop: "
	       "rotas, votes and surplus shares for a home-care co-operative, run by its "
	       "members.</p></div></footer>\n</body>\n</html>\n");
	if (b->failed || b->data == NULL) {
		textbuf_free(b);
		return http_reply_error(req, 500, NULL, "could not build the page");
	}
	resp = MHD_create_response_from_buffer(b->len, b->data, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		textbuf_free(b);
		return MHD_NO;
	}
	memset(b, 0, sizeof *b);
	MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	return http_queue(req, status, resp);
}

/* ---- the list ---- */

static int list_row(const struct db_proposal *p, void *arg)
{
	struct textbuf *b = arg;

	putf(b, "<li class=\"gov-item gov-item--%s\"><a href=\"/proposals/%lld\">", p->status,
	     (long long)p->id);
	esc(b, p->title);
	put(b, "</a><span class=\"gov-meta\">");
	esc(b, kind_name(p->kind, p->method));
	put(b, " · ");
	if (strcmp(p->status, "open") == 0) {
		put(b, "open, closes ");
		when(b, p->closes_at);
	} else if (strcmp(p->status, "decided") == 0) {
		putf(b, "decided: %s", p->outcome);
	} else {
		esc(b, p->status);
	}
	put(b, "</span></li>\n");
	return 0;
}

enum MHD_Result h_gov_page_list(struct http_req *req)
{
	struct textbuf b = {0};

	gov_close_due(req);
	page_start(&b, "Proposals");
	put(&b, "<h1>Proposals</h1>\n<p class=\"lead\">Read the co-op's proposals, vote, and "
		"check the results. <a href=\"/proposals.html\">Open the full proposals "
		"page</a>.</p>\n<ul class=\"gov-list\">\n");
	if (db_proposal_each(req->db, HTTP_HAS(req, ROLE_ADMIN), list_row, &b) < 0) {
		textbuf_free(&b);
		return http_reply_error(req, 500, NULL, "could not list proposals");
	}
	put(&b, "</ul>\n");
	return page_finish(req, &b, 200);
}

/* ---- one proposal ---- */

struct options_html {
	struct textbuf *b;
	char labels[DB_GOV_OPTIONS_MAX][DB_GOV_LABEL_MAX];
	int n;
};

static int collect_label(int position, const char *label, void *arg)
{
	struct options_html *o = arg;

	if (position >= 1 && position <= DB_GOV_OPTIONS_MAX && o->n < DB_GOV_OPTIONS_MAX)
		text_copy(o->labels[o->n++], DB_GOV_LABEL_MAX, label);
	return 0;
}

/* The session's CSRF token as the form's hidden field. */
static void csrf_field(struct http_req *req, struct textbuf *b)
{
	put(b, "<input type=\"hidden\" name=\"" HTTP_CSRF_FIELD "\" value=\"");
	esc(b, req->session.csrf);
	put(b, "\">\n");
}

struct given {
	int64_t me;
	struct db_proxy proxy; /* the live proxy me gave; id 0 if none */
};

static int find_given(const struct db_proxy *p, void *arg)
{
	struct given *g = arg;

	if (p->revoked_at == 0 && p->grantor_id == g->me)
		g->proxy = *p;
	return 0;
}

/* The member's own proxy: the one given (with a form to take it back), or
 * a form to appoint one. */
static int proxy_section(struct http_req *req, struct textbuf *b, const struct db_proposal *p,
			 int64_t me)
{
	struct given g = {.me = me};

	if (db_proxy_each(req->db, p->id, me, find_given, &g) < 0)
		return -1;
	put(b, "<section aria-labelledby=\"proxy-h\" class=\"gov-proxy\"><h3 id=\"proxy-h\">"
	       "Proxy</h3>\n");
	putf(b, "<form method=\"post\" action=\"/proposals/%lld/proxy\">\n", (long long)p->id);
	csrf_field(req, b);
	if (g.proxy.id != 0) {
		put(b, "<p>");
		esc(b, g.proxy.holder);
		put(b, " holds your proxy for this proposal");
		put(b, g.proxy.used_at != 0 ? " and has voted for you" : "");
		put(b, ". Voting yourself takes it back.</p>\n");
		putf(b,
		     "<input type=\"hidden\" name=\"revoke\" value=\"%lld\">"
		     "<button type=\"submit\" class=\"button\">Take back my proxy</button>\n",
		     (long long)g.proxy.id);
	} else {
		put(b,
		    "<p class=\"hint\" id=\"proxy-hint\">If you cannot vote, another member of "
		    "the co-op can vote for you on this proposal.</p>\n"
		    "<div class=\"field\"><label for=\"proxy-email\">Email address of the member "
		    "who will vote for you</label><input type=\"email\" id=\"proxy-email\" "
		    "name=\"holder_email\" autocomplete=\"off\" "
		    "aria-describedby=\"proxy-hint\"></div>\n"
		    "<button type=\"submit\" class=\"button\">Appoint my proxy</button>\n");
	}
	put(b, "</form>\n</section>\n");
	return 0;
}

struct held {
	struct textbuf *b;
	int64_t me;
	int count;
};

static int held_option(const struct db_proxy *p, void *arg)
{
	struct held *h = arg;

	if (p->revoked_at != 0 || p->holder_id != h->me)
		return 0;
	putf(h->b, "<option value=\"%lld\">", (long long)p->grantor_id);
	put(h->b, "as proxy for ");
	esc(h->b, p->grantor);
	put(h->b, "</option>");
	h->count++;
	return 0;
}

static void vote_form(struct http_req *req, struct textbuf *b, const struct db_proposal *p,
		      const struct options_html *opts, int64_t me)
{
	struct held h = {b, me, 0};

	putf(b,
	     "<form method=\"post\" action=\"/proposals/%lld/vote\" class=\"gov-vote\" "
	     "id=\"vote-form\" data-proposal=\"%lld\" data-method=\"%s\" novalidate>\n",
	     (long long)p->id, (long long)p->id, p->method);
	csrf_field(req, b);
	if (strcmp(p->method, "yesno") == 0) {
		static const char *const choices[][2] = {
			{"for", "For"}, {"against", "Against"}, {"abstain", "Abstain"}};
		put(b, "<fieldset><legend>Your vote</legend>\n");
		for (int i = 0; i < 3; i++)
			putf(b,
			     "<div class=\"choice\"><input type=\"radio\" name=\"choice\" "
			     "id=\"choice-%s\" value=\"%s\"%s><label for=\"choice-%s\">%s</label>"
			     "</div>\n",
			     choices[i][0], choices[i][0], i == 0 ? " required" : "", choices[i][0],
			     choices[i][1]);
		put(b, "</fieldset>\n");
	} else if (strcmp(p->method, "stv") == 0) {
		put(b, "<fieldset><legend>Rank the candidates</legend>\n<p class=\"hint\" "
		       "id=\"rank-hint\">Choose your first choice, then your second, and so on. "
		       "Rank as many or as few as you like.</p>\n");
		for (int k = 1; k <= opts->n; k++) {
			putf(b,
			     "<div class=\"field\"><label for=\"rank-%d\">Choice %d</label>"
			     "<select id=\"rank-%d\" name=\"rank\" aria-describedby=\"rank-hint\">"
			     "<option value=\"\">(none)</option>",
			     k, k, k);
			for (int i = 0; i < opts->n; i++) {
				putf(b, "<option value=\"%d\">", i + 1);
				esc(b, opts->labels[i]);
				put(b, "</option>");
			}
			put(b, "</select></div>\n");
		}
		put(b, "</fieldset>\n");
	} else {
		putf(b,
		     "<fieldset><legend>Approve the candidates you support (%d to be "
		     "chosen)</legend>\n",
		     p->seats);
		for (int i = 0; i < opts->n; i++) {
			putf(b,
			     "<div class=\"choice\"><input type=\"checkbox\" name=\"approve\" "
			     "id=\"approve-%d\" value=\"%d\"><label for=\"approve-%d\">",
			     i + 1, i + 1, i + 1);
			esc(b, opts->labels[i]);
			put(b, "</label></div>\n");
		}
		put(b, "</fieldset>\n");
	}
	{
		size_t mark = b->len;
		put(b, "<div class=\"field\"><label for=\"on-behalf-of\">Vote</label>"
		       "<select id=\"on-behalf-of\" name=\"on_behalf_of\"><option value=\"\">for "
		       "myself</option>");
		if (db_proxy_each(req->db, p->id, me, held_option, &h) < 0 || h.count == 0) {
			b->len = mark; /* no proxies held: no choice to offer */
			if (b->data != NULL)
				b->data[mark] = '\0';
		} else {
			put(b, "</select></div>\n");
		}
	}
	put(b, "<button type=\"submit\" class=\"button button--primary\">Cast my vote</button>\n"
	       "</form>\n");
}

/* A short result from the recorded JSON: outcome, shares and per class. */
static void result_section(struct textbuf *b, const struct db_proposal *p, const char *text)
{
	json_t *r = text != NULL ? json_loads(text, 0, NULL) : NULL;
	json_t *c;
	size_t i;

	putf(b,
	     "<section class=\"gov-result\" aria-labelledby=\"result-h\"><h2 id=\"result-h\">"
	     "Result</h2>\n<p class=\"gov-outcome gov-outcome--%s\">",
	     p->outcome[0] ? p->outcome : "pending");
	if (r == NULL) {
		put(b, "Voting has closed; the result is being recorded.</p></section>\n");
		return;
	}
	if (strcmp(p->method, "yesno") == 0) {
		const char *why = json_string_value(json_object_get(r, "tally_outcome"));
		putf(b, "<strong>%s</strong>",
		     strcmp(p->outcome, "carried") == 0 ? "Carried" : "Lost");
		if (why != NULL && strcmp(why, "quorum_not_met") == 0)
			put(b, " (the quorum was not met)");
		put(b, ": ");
		esc(b, jstr(json_object_get(json_object_get(r, "yes_share"), "percent")));
		put(b, " % for, needing ");
		put(b, json_is_true(json_object_get(r, "threshold_inclusive")) ? "at least "
									       : "more than ");
		esc(b, jstr(json_object_get(json_object_get(r, "threshold"), "percent")));
		put(b, " %.</p>\n<table class=\"table--stack\"><caption>Votes by member "
		       "class</caption><thead><tr><th scope=\"col\">Class</th><th "
		       "scope=\"col\">For</th><th scope=\"col\">Against</th><th "
		       "scope=\"col\">Abstain</th><th scope=\"col\">Members</th></tr></thead>"
		       "<tbody>\n");
		json_array_foreach (json_object_get(r, "classes"), i, c) {
			put(b, "<tr><th scope=\"row\">");
			esc(b, jstr(json_object_get(c, "name")));
			putf(b,
			     "</th><td data-label=\"For\">%lld</td><td "
			     "data-label=\"Against\">%lld</td><td "
			     "data-label=\"Abstain\">%lld</td><td data-label=\"Members\">%lld</td>"
			     "</tr>\n",
			     (long long)json_integer_value(json_object_get(c, "yes")),
			     (long long)json_integer_value(json_object_get(c, "no")),
			     (long long)json_integer_value(json_object_get(c, "abstain")),
			     (long long)json_integer_value(json_object_get(c, "electorate")));
		}
		put(b, "</tbody></table>\n");
	} else {
		put(b, "<strong>Elected:</strong> ");
		json_array_foreach (json_object_get(r, "elected"), i, c) {
			if (i > 0)
				put(b, ", ");
			esc(b, jstr(json_object_get(c, "label")));
		}
		put(b, "</p>\n");
	}
	putf(b,
	     "<ul class=\"actions\"><li><a href=\"/results.html?id=%lld\">Full results with "
	     "chart</a></li><li><a href=\"/api/proposals/%lld/tally.json\">Tally (JSON)</a></li>"
	     "<li><a href=\"/api/proposals/%lld/tally.csv\">Ballots (CSV)</a></li>",
	     (long long)p->id, (long long)p->id, (long long)p->id);
	if (strcmp(p->method, "yesno") != 0)
		putf(b, "<li><a href=\"/api/proposals/%lld/ballots.blt\">Ballots (BLT)</a></li>",
		     (long long)p->id);
	put(b, "</ul>\n</section>\n");
	json_decref(r);
}

static int comment_html(const struct db_comment *c, void *arg)
{
	struct textbuf *b = arg;

	put(b, "<li><p class=\"gov-meta\"><strong>");
	esc(b, c->author[0] ? c->author : "A member");
	put(b, "</strong>, ");
	when(b, c->at);
	put(b, "</p><p class=\"gov-comment\">");
	esc(b, c->body);
	put(b, "</p></li>\n");
	return 0;
}

/* Renders proposal id; receipt and error (either may be NULL) are shown at
 * the top. */
static enum MHD_Result render_proposal(struct http_req *req, int64_t id, const char *receipt,
				       const char *error, unsigned status)
{
	struct db_proposal *p = malloc(sizeof *p);
	struct options_html *opts = calloc(1, sizeof *opts);
	struct textbuf b = {0};
	struct db_voter v;
	char cls[33] = "", *result = NULL;
	int64_t me = 0;
	int member, in = 0, voted = 0, rc;
	enum MHD_Result r;

	if (p == NULL || opts == NULL) {
		r = http_reply_error(req, 500, NULL, "out of memory");
		goto out;
	}
	rc = db_proposal_get(req->db, id, p);
	if (rc == 0 || (rc == 1 && strcmp(p->status, "draft") == 0 && !HTTP_HAS(req, ROLE_ADMIN))) {
		page_start(&b, "Not found");
		put(&b, "<h1>Not found</h1><p>There is no such proposal.</p><p><a "
			"href=\"/proposals\">All proposals</a></p>\n");
		r = page_finish(req, &b, 404);
		goto out;
	}
	member = db_gov_member_of_user(req->db, req->user.id, &me, cls);
	if (member == 0)
		me = db_person_of_user(req->db, req->user.id);
	if (rc < 0 || member < 0 || me < 0 ||
	    db_option_each(req->db, id, collect_label, opts) < 0 ||
	    (me > 0 && ((in = db_electorate_class(req->db, id, me, cls)) < 0 ||
			(voted = db_voter_get(req->db, id, me, &v)) < 0)) ||
	    db_proposal_result(req->db, id, &result) < 0) {
		r = http_reply_error(req, 500, NULL, "could not read the proposal");
		goto out;
	}
	page_start(&b, p->title);
	put(&b, "<p><a href=\"/proposals\">All proposals</a></p>\n<h1>");
	esc(&b, p->title);
	put(&b, "</h1>\n<p class=\"gov-meta\">");
	esc(&b, kind_name(p->kind, p->method));
	if (strcmp(p->method, "yesno") != 0)
		putf(&b, " for %d seat%s", p->seats, p->seats == 1 ? "" : "s");
	put(&b, " · ");
	if (strcmp(p->status, "open") == 0) {
		put(&b, "open until ");
		when(&b, p->closes_at);
	} else {
		esc(&b, p->status);
	}
	if (p->author[0] != '\0') {
		put(&b, " · proposed by ");
		esc(&b, p->author);
	}
	putf(&b, " · %lld of %lld members have voted</p>\n", (long long)p->voted,
	     (long long)p->electorate);
	if (receipt != NULL) {
		put(&b, "<div class=\"alert alert--success gov-receipt\" role=\"status\" "
			"id=\"receipt\" tabindex=\"-1\"><p>Your vote was recorded. Your receipt is "
			"<strong class=\"receipt\">");
		esc(&b, receipt);
		put(&b,
		    "</strong>.</p><p>Keep it. When voting closes, every receipt is published "
		    "with the vote it carries, so you can check that yours was counted. You can "
		    "change your vote until then; only your last vote counts.</p></div>\n");
	}
	if (error != NULL) {
		put(&b, "<div class=\"alert alert--error\" role=\"alert\" id=\"vote-error\">"
			"<p>");
		esc(&b, error);
		put(&b, "</p></div>\n");
	}
	put(&b, "<div class=\"gov-body\">");
	esc(&b, p->body);
	put(&b, "</div>\n");
	if (strcmp(p->method, "yesno") != 0 && opts->n > 0) {
		put(&b, "<h2>Candidates</h2>\n<ol class=\"gov-candidates\">");
		for (int i = 0; i < opts->n; i++) {
			put(&b, "<li>");
			esc(&b, opts->labels[i]);
			put(&b, "</li>");
		}
		put(&b, "</ol>\n");
	}
	if (strcmp(p->status, "open") == 0) {
		put(&b, "<section aria-labelledby=\"vote-h\" class=\"gov-voting\"><h2 "
			"id=\"vote-h\">Vote</h2>\n");
		if (in == 1) {
			if (voted == 1)
				put(&b,
				    "<p class=\"notice\">You have voted. You can change your vote "
				    "until voting closes; only your last vote counts.</p>\n");
			vote_form(req, &b, p, opts, me);
			if (proxy_section(req, &b, p, me) < 0) {
				textbuf_free(&b);
				r = http_reply_error(req, 500, NULL, "could not read the proxies");
				goto out;
			}
		} else {
			put(&b,
			    "<p class=\"notice\">Only members in good standing when this proposal "
			    "opened can vote on it.</p>\n");
		}
		put(&b, "</section>\n");
	} else if (gov_closed(p)) {
		result_section(&b, p, result);
	}
	put(&b, "<section aria-labelledby=\"comments-h\"><h2 id=\"comments-h\">Discussion</h2>\n"
		"<ul class=\"gov-comments\">");
	if (db_comment_each(req->db, id, comment_html, &b) < 0) {
		textbuf_free(&b);
		r = http_reply_error(req, 500, NULL, "could not read the comments");
		goto out;
	}
	put(&b, "</ul>\n");
	if (strcmp(p->status, "open") == 0 && (member == 1 || HTTP_HAS(req, ROLE_ADMIN))) {
		putf(&b,
		     "<form method=\"post\" action=\"/proposals/%lld/comment\" "
		     "class=\"gov-comment-form\">\n",
		     (long long)id);
		csrf_field(req, &b);
		put(&b, "<div class=\"field\"><label for=\"comment-body\">Your comment</label>"
			"<textarea id=\"comment-body\" name=\"body\" rows=\"4\" maxlength=\"4000\" "
			"required></textarea></div>\n<button type=\"submit\" class=\"button\">Post "
			"comment</button>\n</form>\n");
	}
	put(&b, "</section>\n");
	r = page_finish(req, &b, status);
out:
	textbuf_free(&b);
	free(result);
	free(opts);
	free(p);
	return r;
}

static bool receipt_shape(const char *s)
{
	size_t n = strlen(s);

	if (n != 19)
		return false;
	for (size_t i = 0; i < n; i++)
		if (i % 5 == 4 ? s[i] != '-'
			       : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

enum MHD_Result h_gov_page_proposal(struct http_req *req)
{
	const char *receipt = http_query(req, "receipt");

	gov_close_due(req);
	return render_proposal(req, req->params[0], receipt_shape(receipt) ? receipt : NULL, NULL,
			       200);
}

/* Joins a form field that may be one string or a list, skipping empty
 * values. */
static int form_join(json_t *v, const char *sep, char *out, size_t n)
{
	size_t o = 0, i;
	json_t *one;
	json_t *list = json_is_array(v) ? json_incref(v) : json_pack("[O]", v);

	out[0] = '\0';
	if (list == NULL)
		return -1;
	json_array_foreach (list, i, one) {
		const char *s = json_string_value(one);
		int w;
		if (s == NULL || *s == '\0')
			continue;
		w = snprintf(out + o, n - o, "%s%s", o > 0 ? sep : "", s);
		if (w < 0 || (size_t)w >= n - o) {
			json_decref(list);
			return -1;
		}
		o += (size_t)w;
	}
	json_decref(list);
	return 0;
}

enum MHD_Result h_gov_page_vote(struct http_req *req)
{
	struct gov_cast *c = calloc(1, sizeof *c);
	json_t *rank = json_object_get(req->json, "rank");
	json_t *approve = json_object_get(req->json, "approve");
	const char *choice = json_string_value(json_object_get(req->json, "choice"));
	const char *behalf = json_string_value(json_object_get(req->json, "on_behalf_of"));
	char location[96];
	enum MHD_Result r;
	int rc;

	if (c == NULL)
		return http_reply_error(req, 500, NULL, "out of memory");
	c->proposal_id = req->params[0];
	if (!HTTP_HAS(req, ROLE_ADMIN)) {
		/* A draft is not shown to members: the page answers 404. */
		struct db_proposal *p = malloc(sizeof *p);
		int rc0 = p != NULL ? db_proposal_get(req->db, c->proposal_id, p) : -1;
		bool hidden = rc0 == 0 || (rc0 == 1 && strcmp(p->status, "draft") == 0);
		free(p);
		if (rc0 < 0) {
			r = http_reply_error(req, 500, NULL, "could not read the proposal");
			goto out;
		}
		if (hidden) {
			r = render_proposal(req, c->proposal_id, NULL, NULL, 404);
			goto out;
		}
	}
	c->now = db_now();
	c->user_id = req->user.id;
	c->person_id = db_person_of_user(req->db, req->user.id);
	if (rank != NULL)
		rc = form_join(rank, ">", c->choice, sizeof c->choice);
	else if (approve != NULL)
		rc = form_join(approve, ",", c->choice, sizeof c->choice);
	else
		rc = text_copy(c->choice, sizeof c->choice, choice != NULL ? choice : "");
	if (rc != 0 || c->choice[0] == '\0') {
		r = render_proposal(req, c->proposal_id, NULL,
				    rank != NULL ? "Choose at least your first choice."
						 : "Choose how you vote, then press Cast my vote.",
				    400);
		goto out;
	}
	if (behalf != NULL && *behalf != '\0' &&
	    text_parse_i64(behalf, 1, INT64_MAX, &c->on_behalf_of) != 0) {
		r = render_proposal(req, c->proposal_id, NULL, "Choose whom you vote for.", 400);
		goto out;
	}
	if (c->person_id <= 0) {
		r = c->person_id < 0 ? http_reply_error(req, 500, NULL, "could not read people")
				     : render_proposal(req, c->proposal_id, NULL,
						       "Your login is not linked to a member of "
						       "the co-op, so it cannot vote.",
						       403);
		goto out;
	}
	if (gov_receipt_new(c->receipt) != 0) {
		r = http_reply_error(req, 503, NULL, "no randomness for a receipt; try again");
		goto out;
	}
	rc = db_tx(req->db, gov_cast_tx, c);
	if (rc == -2 && c->refusal == GOV_NO_PROPOSAL) {
		r = render_proposal(req, c->proposal_id, NULL, NULL, 404);
	} else if (rc == -2) {
		char why[300];
		snprintf(why, sizeof why, "Your vote was not recorded: %s.", c->why);
		r = render_proposal(req, c->proposal_id, NULL, why, gov_refusal_status(c->refusal));
	} else if (rc < 0) {
		r = render_proposal(req, c->proposal_id, NULL,
				    "Your vote could not be recorded. Please try again.", 500);
	} else {
		snprintf(location, sizeof location, "/proposals/%lld?receipt=%s#receipt",
			 (long long)c->proposal_id, c->ballot.receipt);
		r = http_reply_see_other(req, location);
	}
out:
	token_wipe(c->choice, sizeof c->choice);
	free(c);
	return r;
}

/* 303 back to the proposal page, at anchor. */
static enum MHD_Result back_to(struct http_req *req, int64_t id, const char *anchor)
{
	char location[96];

	snprintf(location, sizeof location, "/proposals/%lld#%s", (long long)id, anchor);
	return http_reply_see_other(req, location);
}

struct page_comment {
	int64_t proposal_id, person_id, now, id;
	const char *body;
	bool refused;
};

static int page_comment_tx(struct db *db, void *arg)
{
	struct page_comment *c = arg;
	struct db_proposal *p = malloc(sizeof *p);
	int rc = p != NULL ? db_proposal_get(db, c->proposal_id, p) : -1;

	if (rc == 1 && strcmp(p->status, "open") != 0) {
		c->refused = true;
		rc = -2;
	} else if (rc == 1) {
		rc = db_comment_add(db, c->proposal_id, c->person_id, c->body, c->now, &c->id);
	}
	free(p);
	return rc;
}

enum MHD_Result h_gov_page_comment(struct http_req *req)
{
	struct page_comment c = {.proposal_id = req->params[0], .now = db_now()};
	char cls[33];
	int member, rc;

	c.body = json_string_value(json_object_get(req->json, "body"));
	member = db_gov_member_of_user(req->db, req->user.id, &c.person_id, cls);
	if (member < 0)
		return http_reply_error(req, 500, NULL, "could not read the register");
	if (member == 0 && !HTTP_HAS(req, ROLE_ADMIN))
		return render_proposal(req, c.proposal_id, NULL,
				       "Only members may comment on proposals.", 403);
	if (member == 0)
		c.person_id = db_person_of_user(req->db, req->user.id);
	if (c.body == NULL || *c.body == '\0' || strlen(c.body) > 4000)
		return render_proposal(req, c.proposal_id, NULL,
				       "Write a comment of at most 4000 characters.", 400);
	rc = db_tx(req->db, page_comment_tx, &c);
	if (rc == 0)
		return render_proposal(req, c.proposal_id, NULL, NULL, 404);
	if (rc == -2)
		return render_proposal(req, c.proposal_id, NULL,
				       "Comments are taken while a proposal is open.", 409);
	if (rc < 0)
		return render_proposal(req, c.proposal_id, NULL,
				       "Your comment could not be saved. Please try again.", 500);
	return back_to(req, c.proposal_id, "comments-h");
}

struct page_revoke {
	int64_t proposal_id, proxy_id, me, user_id, now;
};

static int page_revoke_tx(struct db *db, void *arg)
{
	struct page_revoke *a = arg;
	struct db_proxy x;
	int rc = db_proxy_get(db, a->proposal_id, a->proxy_id, &x);

	if (rc <= 0)
		return rc < 0 ? -1 : -2;
	if (x.grantor_id != a->me && x.holder_id != a->me)
		return -2;
	rc = db_proxy_revoke(db, a->proxy_id, a->user_id, a->now);
	return rc == 0 ? -2 : rc;
}

enum MHD_Result h_gov_page_proxy(struct http_req *req)
{
	const char *email = json_string_value(json_object_get(req->json, "holder_email"));
	const char *revoke = json_string_value(json_object_get(req->json, "revoke"));
	int64_t me = db_person_of_user(req->db, req->user.id), id = req->params[0];
	int rc;

	if (me < 0)
		return http_reply_error(req, 500, NULL, "could not read people");
	if (me == 0)
		return render_proposal(req, id, NULL,
				       "Your login is not linked to a member of the co-op.", 403);
	if (revoke != NULL) {
		struct page_revoke a = {
			.proposal_id = id, .me = me, .user_id = req->user.id, .now = db_now()};
		if (text_parse_i64(revoke, 1, INT64_MAX, &a.proxy_id) != 0)
			return render_proposal(req, id, NULL, "No such proxy of yours.", 400);
		rc = db_tx(req->db, page_revoke_tx, &a);
		if (rc == -2)
			return render_proposal(req, id, NULL, "No such proxy of yours.", 404);
		if (rc < 0)
			return render_proposal(
				req, id, NULL,
				"Your proxy could not be taken back. Please try again.", 500);
		return back_to(req, id, "proxy-h");
	}
	struct gov_proxy a = {
		.proposal_id = id, .grantor = me, .user_id = req->user.id, .now = db_now()};
	char why[200];

	a.holder = email != NULL && *email != '\0' ? db_person_id_by_email(req->db, email) : 0;
	if (a.holder < 0)
		return http_reply_error(req, 500, NULL, "could not read people");
	if (a.holder == 0 || a.holder == me)
		return render_proposal(req, id, NULL,
				       a.holder == me ? "You cannot be your own proxy."
						      : "No member of the co-op has that email "
							"address.",
				       400);
	rc = db_tx(req->db, gov_proxy_appoint_tx, &a);
	if (rc == -2) {
		snprintf(why, sizeof why, "Your proxy was not appointed: %s.", a.why);
		return render_proposal(req, id, NULL, why,
				       strcmp(a.field, "voter") == 0      ? 403
				       : strcmp(a.field, "proposal") == 0 ? 409
									  : 400);
	}
	if (rc < 0)
		return render_proposal(req, id, NULL,
				       "Your proxy could not be appointed. Please try again.", 500);
	return back_to(req, id, "proxy-h");
}
