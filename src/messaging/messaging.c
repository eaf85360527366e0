/* messaging.c — the pure rules and wording of messaging (spec/messaging.md §1–§5). */
#include "messaging/messaging.h"

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/text.h"
#include "view/tmpl.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_wire[MSG_KIND_COUNT] = {
	[MSG_MESSAGE] = "MESSAGE",
	[MSG_MESSAGE_PJ] = "MESSAGE_PJ",
	[MSG_OFFER_SHARE] = "OFFER_SHARE",
	[MSG_EVENT_SHARE] = "EVENT_SHARE",
	[MSG_SESSION_SHARE] = "SESSION_SHARE",
	[MSG_JOB_EVENT_SHARE] = "JOB_EVENT_SHARE",
	[MSG_AUTO_REGISTRATION] = "AUTO_REGISTRATION",
	[MSG_NEW_COUNSELOR] = "NEW_COUNSELOR",
	[MSG_NEW_COUNSELOR_TEMPORARY] = "NEW_COUNSELOR_TEMPORARY",
	[MSG_ACTION_COMMENT] = "ACTION_COMMENT",
};

static const char *const sender_wire[] = {
	[MSG_FROM_COUNSELOR] = "counselor",
	[MSG_FROM_BENEFICIARY] = "beneficiary",
	[MSG_FROM_SYSTEM] = "system",
};

#define BIT(k) (1u << (k))

/* §1: who sends which kind. */
static const unsigned allowed[] = {
	[MSG_FROM_BENEFICIARY] = BIT(MSG_MESSAGE) | BIT(MSG_OFFER_SHARE) | BIT(MSG_EVENT_SHARE) |
				 BIT(MSG_SESSION_SHARE) | BIT(MSG_JOB_EVENT_SHARE),
	[MSG_FROM_COUNSELOR] = BIT(MSG_MESSAGE) | BIT(MSG_MESSAGE_PJ) | BIT(MSG_OFFER_SHARE) |
			       BIT(MSG_ACTION_COMMENT),
	[MSG_FROM_SYSTEM] = BIT(MSG_NEW_COUNSELOR) | BIT(MSG_NEW_COUNSELOR_TEMPORARY) |
			    BIT(MSG_AUTO_REGISTRATION),
};

static bool
known(enum msg_kind k)
{
	return k >= 0 && k < MSG_KIND_COUNT;
}

const char *
msg_kind_wire(enum msg_kind k)
{
	return known(k) ? kind_wire[k] : NULL;
}

enum msg_kind
msg_kind_parse(const char *wire)
{
	for (int k = 0; wire && k < MSG_KIND_COUNT; k++)
		if (!strcmp(kind_wire[k], wire))
			return (enum msg_kind)k;
	return MSG_KIND_UNKNOWN;
}

const char *
msg_sender_wire(enum msg_sender s)
{
	return sender_wire[s];
}

int
msg_sender_parse(const char *wire)
{
	for (int s = 0; wire && s < (int)G_N_ELEMENTS(sender_wire); s++)
		if (!strcmp(sender_wire[s], wire))
			return s;
	return -1;
}

bool
msg_kind_allowed(enum msg_sender s, enum msg_kind k)
{
	return known(k) && (size_t)s < G_N_ELEMENTS(allowed) && (allowed[s] & BIT(k));
}

bool
msg_kind_editable(enum msg_kind k)
{
	return known(k) && (BIT(k) & (BIT(MSG_MESSAGE) | BIT(MSG_MESSAGE_PJ) | BIT(MSG_OFFER_SHARE) |
				      BIT(MSG_ACTION_COMMENT)));
}

bool
msg_kind_has_card(enum msg_kind k)
{
	return known(k) && (BIT(k) & (BIT(MSG_OFFER_SHARE) | BIT(MSG_EVENT_SHARE) |
				      BIT(MSG_SESSION_SHARE) | BIT(MSG_JOB_EVENT_SHARE) |
				      BIT(MSG_ACTION_COMMENT) | BIT(MSG_AUTO_REGISTRATION)));
}

/* The offer of an OFFER_SHARE's payload @p into @c (msg_card_of). The type's code is
 * mapped here rather than through offers.h: offers/ sends these messages, so messaging
 * must not depend on it. */
static void
offer_card(struct arena *a, json_t *p, struct msg_card *c)
{
	static const char *const types[][3] = {
		{"EMPLOI", "emploi", "Offre d'emploi"},
		{"ALTERNANCE", "alternance", "Alternance"},
		{"SERVICE_CIVIQUE", "service-civique", "Service civique"},
		{"IMMERSION", "immersion", "Immersion"},
	};
	const char *type = json_string_value(json_object_get(p, "type"));
	const char *id = json_string_value(json_object_get(p, "id"));
	const char *company = json_string_value(json_object_get(p, "company"));
	size_t n = id ? strlen(id) : 0;
	if (!type || n == 0 || n > 64 ||
	    strspn(id, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-") != n)
		return;
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
		if (!strcmp(type, types[i][0])) {
			c->offer_slug = types[i][1];
			c->offer_type_label = types[i][2];
			c->offer_id = arena_strdup(a, id);
			c->company = company && *company ? arena_strdup(a, company) : NULL;
		}
}

struct msg_card
msg_card_of(struct arena *a, const struct message *m)
{
	struct msg_card c = {0};
	if (!m->payload || !msg_kind_has_card(m->kind))
		return c;
	json_t *p = json_loads(m->payload, 0, NULL);
	const char *title = json_string_value(json_object_get(p, "title"));
	const char *action = json_string_value(json_object_get(p, "action_id"));
	const char *event = json_string_value(json_object_get(p, "event_id"));
	const char *session = json_string_value(json_object_get(p, "session_id"));
	c.title = title ? arena_strdup(a, title) : NULL;
	if (m->kind == MSG_ACTION_COMMENT && action && id_is_uuid(action))
		c.action_id = arena_strdup(a, action);
	if (m->kind == MSG_EVENT_SHARE && event && id_is_uuid(event)) {
		c.event_id = arena_strdup(a, event);
		c.starts_at = json_integer_value(json_object_get(p, "starts_at"));
	}
	/* i-milo's ids are integers: anything else would make a link of the visitor's text. */
	if ((m->kind == MSG_SESSION_SHARE || m->kind == MSG_AUTO_REGISTRATION) && session && *session &&
	    strspn(session, "0123456789") == strlen(session) && strlen(session) <= 18) {
		c.session_id = arena_strdup(a, session);
		c.starts_at = json_integer_value(json_object_get(p, "starts_at"));
	}
	if (m->kind == MSG_OFFER_SHARE)
		offer_card(a, p, &c);
	/* An event of Mes Événements Emploi: a provider's id, and its page on the web. */
	const char *job_event = json_string_value(json_object_get(p, "job_event_id"));
	const char *url = json_string_value(json_object_get(p, "url"));
	if (m->kind == MSG_JOB_EVENT_SHARE && job_event && *job_event && strlen(job_event) <= 64 &&
	    strspn(job_event, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_") ==
	    strlen(job_event)) {
		c.job_event_id = arena_strdup(a, job_event);
		c.starts_at = json_integer_value(json_object_get(p, "starts_at"));
		if (url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7)))
			c.url = arena_strdup(a, url);
	}
	json_decref(p);
	return c;
}

char *
msg_card_when(struct arena *a, int64_t starts_at, const char *tz)
{
	if (!starts_at)
		return NULL;
	return arena_printf(a, "%s à %s", clock_day_long_fr(a, clock_day_of(starts_at, tz)),
			    clock_fr_time(a, starts_at, tz));
}

/* ---- Sending ---- */

#define TEXT_EMPTY "Le champ “Message” est vide. Renseignez un message."
#define TEXT_TOO_LONG "Vous avez dépassé le nombre maximal de caractères. Retirez des caractères."
#define TEXT_INVALID "Le message contient des caractères invalides."

/* @s (valid UTF-8) without leading and trailing Unicode white space. */
static char *
trim(struct arena *a, const char *s)
{
	const char *b = s, *e = s + strlen(s);
	while (*b && g_unichar_isspace(g_utf8_get_char(b)))
		b = g_utf8_next_char(b);
	while (e > b) {
		const char *prev = g_utf8_prev_char(e);
		if (!g_unichar_isspace(g_utf8_get_char(prev)))
			break;
		e = prev;
	}
	return arena_strndup(a, b, (size_t)(e - b));
}

const char *
msg_text_check(struct arena *a, enum msg_kind k, const char *text, const char **out)
{
	if (text && !g_utf8_validate(text, -1, NULL))
		return TEXT_INVALID;
	char *t = trim(a, text ? text : "");
	if (!*t) {
		if (k != MSG_MESSAGE_PJ)
			return TEXT_EMPTY;
		t = arena_strdup(a, MSG_PJ_DEFAULT_TEXT);
	}
	if (g_utf8_strlen(t, -1) > MSG_TEXT_MAX)
		return TEXT_TOO_LONG;
	*out = t;
	return NULL;
}

const char *
msg_send_check(struct arena *a, enum msg_sender s, enum msg_kind k, const char *text,
	       bool has_attachment, const char *payload, const char **text_out)
{
	if (!msg_kind_allowed(s, k))
		return "Ce type de message n’est pas autorisé.";
	if (has_attachment && s == MSG_FROM_BENEFICIARY)
		return "Les pièces jointes ne sont pas autorisées.";
	if (has_attachment != (k == MSG_MESSAGE_PJ))
		return k == MSG_MESSAGE_PJ ? "La pièce jointe est manquante."
					   : "Ce type de message ne peut pas porter de pièce jointe.";
	if (payload || msg_kind_has_card(k)) {
		json_t *p = payload ? json_loads(payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
		bool ok = p && json_is_object(p) && msg_kind_has_card(k);
		json_decref(p);
		if (!ok)
			return "Le contenu partagé est invalide.";
	}
	return msg_text_check(a, k, text, text_out);
}

const char *
msg_client_key_check(const char *key)
{
	if (!key)
		return NULL;
	size_t n = strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
	if (key[n] || n < MSG_CLIENT_KEY_MIN || n > MSG_CLIENT_KEY_MAX)
		return "L’identifiant d’envoi du message est invalide. Recharge la page puis renvoie ton message.";
	return NULL;
}

bool
msg_pushes_new_message(enum msg_sender s, enum msg_kind k)
{
	return s == MSG_FROM_COUNSELOR && msg_kind_allowed(s, k) && k != MSG_ACTION_COMMENT;
}

char *
msg_system_text(struct arena *a, enum msg_kind k, enum msg_sender viewer, const char *counselor_name)
{
	bool counselor = viewer == MSG_FROM_COUNSELOR;
	switch (k) {
	case MSG_NEW_COUNSELOR:
	case MSG_NEW_COUNSELOR_TEMPORARY:
		if (counselor)
			return arena_printf(a, "Le bénéficiaire a été réaffecté à %s.",
					    counselor_name ? counselor_name : "un nouveau conseiller");
		return arena_printf(a, "%s Il a accès à l’historique de tes échanges.",
				    k == MSG_NEW_COUNSELOR
					    ? "Tu échanges avec ton nouveau conseiller."
					    : "Tu échanges temporairement avec un nouveau conseiller.");
	case MSG_AUTO_REGISTRATION:
		return arena_strdup(a, counselor ? "Votre bénéficiaire s’est inscrit à l’événement suivant"
						 : "Tu t’es inscrit à l’événement suivant");
	default:
		return NULL;
	}
}

/* ---- Edit and delete ---- */

static bool
is_author(const struct message *m, const struct msg_actor *who)
{
	if (!who || !who->id)
		return false;
	if (who->side == MSG_FROM_COUNSELOR)
		return m->sender == MSG_FROM_COUNSELOR && m->sender_counselor_id &&
		       !strcmp(m->sender_counselor_id, who->id);
	if (who->side == MSG_FROM_BENEFICIARY)
		return m->sender == MSG_FROM_BENEFICIARY && m->beneficiary_id &&
		       !strcmp(m->beneficiary_id, who->id);
	return false;
}

int
msg_may_edit(const struct message *m, const struct msg_actor *who)
{
	if (!is_author(m, who))
		return -ERR_FORBIDDEN;
	if (m->deleted_at || !msg_kind_editable(m->kind))
		return -ERR_INVAL;
	return 0;
}

int
msg_may_delete(const struct message *m, const struct msg_actor *who)
{
	if (!is_author(m, who))
		return -ERR_FORBIDDEN;
	return m->deleted_at ? -ERR_INVAL : 0;
}

const char *
msg_deleted_text(bool own)
{
	return own ? "Vous avez supprimé ce message" : "Message supprimé";
}

/* ---- Read receipts ---- */

bool
msg_is_read(int64_t created_at, int64_t reader_last_read_at)
{
	return reader_last_read_at > 0 && reader_last_read_at >= created_at;
}

bool
msg_incoming(enum msg_sender reader, enum msg_sender sender, enum msg_kind k)
{
	bool beneficiary_side = sender == MSG_FROM_BENEFICIARY || k == MSG_AUTO_REGISTRATION;
	return reader == MSG_FROM_COUNSELOR ? beneficiary_side
					     : reader == MSG_FROM_BENEFICIARY && !beneficiary_side;
}

bool
msg_is_unread(const struct message *m, enum msg_sender reader, int64_t reader_last_read_at)
{
	return msg_incoming(reader, m->sender, m->kind) && !m->deleted_at &&
	       m->created_at > reader_last_read_at;
}

const char *
msg_bubble_suffix(const struct message *m, int64_t other_last_read_at)
{
	bool read = msg_is_read(m->created_at, other_last_read_at);
	if (m->edited_at)
		return read ? " · Lu · Modifié" : " · Envoyé · Modifié";
	return read ? " · Lu" : " · Envoyé";
}

char *
msg_author_label(struct arena *a, const struct message *m, const char *viewer_id)
{
	if (m->sender_counselor_id && viewer_id && !strcmp(m->sender_counselor_id, viewer_id))
		return arena_strdup(a, "Vous");
	if (!m->sender_first_name || !m->sender_last_name)
		return arena_strdup(a, "Votre conseiller");
	return arena_printf(a, "%s %s", m->sender_first_name, text_upper(a, m->sender_last_name));
}

/* ---- Tiles ---- */

char *
msg_preview_cut(struct arena *a, const char *text)
{
	GString *s = g_string_sized_new(MSG_PREVIEW_MAX * 2);
	int chars = 0;
	bool space = false, cut = false;
	gchar *valid = g_utf8_make_valid(text ? text : "", -1);
	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || g_unichar_iscntrl(c)) {
			space = s->len > 0;
			continue;
		}
		if (chars + (space ? 1 : 0) >= MSG_PREVIEW_MAX) {
			cut = true;
			break;
		}
		if (space) {
			g_string_append_c(s, ' ');
			chars++;
			space = false;
		}
		g_string_append_unichar(s, c);
		chars++;
	}
	if (cut)
		g_string_append(s, "…");
	char *r = arena_strndup(a, s->str, s->len);
	g_string_free(s, TRUE);
	g_free(valid);
	return r;
}

char *
msg_tile_preview(struct arena *a, const struct msg_tile *t)
{
	if (!t->last_message_at || t->last_sender < 0)
		return NULL;
	bool counselor = t->last_sender == MSG_FROM_COUNSELOR;
	bool beneficiary = t->last_sender == MSG_FROM_BENEFICIARY;
	const char *text = t->last_deleted ? msg_deleted_text(counselor)
					   : t->preview ? t->preview : MSG_INACCESSIBLE;
	if (counselor)
		return t->last_deleted ? arena_strdup(a, text) : arena_printf(a, "Vous : %s", text);
	if (beneficiary)
		return arena_printf(a, "%s : %s", t->first_name, text);
	return arena_strdup(a, text);
}

const char *
msg_tile_read_suffix(const struct msg_tile *t)
{
	if (!t->last_message_at || t->last_sender != MSG_FROM_COUNSELOR)
		return NULL;
	return msg_is_read(t->last_message_at, t->beneficiary_last_read_at) ? " · Lu" : " · Non lu";
}

char *
msg_tile_unread_label(struct arena *a, int n)
{
	if (n <= 0)
		return NULL;
	return n == 1 ? arena_strdup(a, "Nouveau message") : arena_printf(a, "%d nouveaux messages", n);
}

char *
msg_tile_date(struct arena *a, int64_t t, int64_t now, const char *tz)
{
	return clock_fr_relative(a, t, now, tz);
}

const char *
msg_follow_label(bool followed)
{
	return followed ? "Ne plus suivre la conversation" : "Suivre la conversation";
}

int
msg_tile_group(const struct msg_tile *t)
{
	return t->followed ? 0 : t->unread > 0 ? 1 : 2;
}

static int
strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

int
msg_tile_cmp(const void *pa, const void *pb)
{
	const struct msg_tile *a = pa, *b = pb;
	int ga = msg_tile_group(a), gb = msg_tile_group(b);
	if (ga != gb)
		return ga < gb ? -1 : 1;
	if (a->last_message_at != b->last_message_at)
		return a->last_message_at > b->last_message_at ? -1 : 1;
	int c = strcmp0(a->folded_name, b->folded_name);
	return c ? c : strcmp0(a->beneficiary_id, b->beneficiary_id);
}

/* ---- Conversation view ---- */

bool
msg_same_day(int64_t a, int64_t b, const char *tz)
{
	return clock_day_of(a, tz) == clock_day_of(b, tz);
}

char *
msg_day_separator(struct arena *a, int64_t t, int64_t now, const char *tz)
{
	int64_t day = clock_day_of(t, tz);
	if (day == clock_day_of(now, tz))
		return arena_strdup(a, "Aujourd’hui");
	return arena_printf(a, "Le %s", clock_day_fr(a, day));
}

/* Through clock.c's loaded zones, without a GDateTime pair per bubble. */
char *
msg_time(struct arena *a, int64_t t, const char *tz)
{
	return clock_fr_time(a, t, tz);
}

char *
msg_cursor_format(struct arena *a, const struct message *m)
{
	return arena_printf(a, "%lld_%s", (long long)m->created_at, m->id);
}

bool
msg_cursor_parse(struct arena *a, const char *s, struct msg_cursor *out)
{
	if (!s)
		return false;
	const char *us = strchr(s, '_');
	if (!us || us == s || us - s > 19 || !text_is_digits(arena_strndup(a, s, (size_t)(us - s)), 19))
		return false;
	const char *id = us + 1;
	/* Ids are UUIDs: anything else cannot be a position in a conversation. */
	if (strlen(id) != 36)
		return false;
	for (const char *p = id; *p; p++)
		if (!g_ascii_isxdigit(*p) && *p != '-')
			return false;
	out->created_at = g_ascii_strtoll(s, NULL, 10);
	out->id = arena_strdup(a, id);
	return true;
}

/* ---- Links ---- */

static bool
url_stop(gunichar c)
{
	return g_unichar_isspace(c) || g_unichar_iscntrl(c) || c == '<' || c == '>' || c == '"' ||
	       c == 0x2028 || c == 0x2029;
}

/* Length of the URL starting at @p (which starts with an http(s) scheme of @scheme_len
 * bytes), or 0 when it is no link. */
static size_t
url_length(const char *p, size_t scheme_len)
{
	const char *e = p;
	while (*e && !url_stop(g_utf8_get_char(e)))
		e = g_utf8_next_char(e);
	/* Trailing punctuation belongs to the sentence, and so does a ")" that closes
	 * nothing in the URL: "(voir https://x.fr/a)". */
	for (;;) {
		if (e <= p + scheme_len)
			break;
		char c = e[-1];
		if (strchr(".,;:!?'", c)) {
			e--;
			continue;
		}
		if (c == ')') {
			int open = 0, close = 0;
			for (const char *q = p; q < e; q++) {
				open += *q == '(';
				close += *q == ')';
			}
			if (close > open) {
				e--;
				continue;
			}
		}
		break;
	}
	const char *host = p + scheme_len;
	if (e <= host || !(g_ascii_isalnum(*host) || *host == '[' || (unsigned char)*host >= 0x80))
		return 0;
	return (size_t)(e - p);
}

/* Bytes of the scheme "http://" or "https://" at @p (any case), or 0. */
static size_t
scheme_at(const char *p)
{
	if (!g_ascii_strncasecmp(p, "https://", 8))
		return 8;
	if (!g_ascii_strncasecmp(p, "http://", 7))
		return 7;
	return 0;
}

char *
msg_text_html(struct arena *a, const char *text)
{
	gchar *valid = g_utf8_make_valid(text ? text : "", -1);
	GString *out = g_string_sized_new(strlen(valid) + 16);
	const char *p = valid, *plain = valid;
	bool after_word = false;
	while (*p) {
		size_t scheme = after_word ? 0 : scheme_at(p);
		size_t n = scheme ? url_length(p, scheme) : 0;
		if (n) {
			tmpl_escape(out, plain, (size_t)(p - plain));
			g_string_append(out, "<a href=\"");
			tmpl_escape(out, p, n);
			g_string_append(out, "\" target=\"_blank\" rel=\"noopener noreferrer\">");
			tmpl_escape(out, p, n);
			g_string_append(out, "<span class=\"fr-sr-only\"> (nouvelle fenêtre)</span></a>");
			p += n;
			plain = p;
			after_word = false;
			continue;
		}
		gunichar c = g_utf8_get_char(p);
		after_word = g_unichar_isalnum(c);
		p = g_utf8_next_char(p);
	}
	tmpl_escape(out, plain, (size_t)(p - plain));
	char *r = arena_strndup(a, out->str, out->len);
	g_string_free(out, TRUE);
	g_free(valid);
	return r;
}
