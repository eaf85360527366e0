/* messaging.h — the conversation between a beneficiary and their counselor
 * (spec/messaging.md): the model, its wording and the pure rules (kinds per sender, text
 * limits, who may edit or delete, read receipts and unread counts, the counselor's tiles
 * and their order, day separators, links in text). No I/O here: the SQL is
 * messaging_store.h, the use cases (encryption, pushes) messaging_use.h, the keys
 * crypto.h.
 *
 * Instants are Unix ms UTC; 0 means "never". Civil wording (dates, times, day separators)
 * is computed in an IANA zone given by the caller — the zone of the beneficiary's
 * structure. Strings returned are arena-owned unless said otherwise. */
#ifndef CEJ_MESSAGING_H
#define CEJ_MESSAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

#define MSG_TEXT_MAX 5000        /* characters, after trimming (§1) */
#define MSG_PAGE_SIZE 10         /* messages per page of a conversation (§3) */
/* "Voir messages plus anciens" adds MSG_PAGE_SIZE to the newest shown, up to this many;
 * beyond, it moves to keyset pages of MSG_PAGE_SIZE. */
#define MSG_SHOWN_MAX 200
#define MSG_PREVIEW_MAX 100      /* characters of a tile's preview before "…" */
#define MSG_PJ_DEFAULT_TEXT "Votre conseiller vous a transmis une nouvelle pièce jointe : "
#define MSG_SESSION_SHARE_DEFAULT_TEXT "Bonjour, pouvez-vous m’inscrire à cet événement ?"
#define MSG_EVENT_SHARE_DEFAULT_TEXT "Bonjour, je vous partage un événement afin d’avoir votre avis"
/* What a client shows for a message it cannot show: unknown kind, undecryptable text. */
#define MSG_INACCESSIBLE "Le message est inaccessible"

enum msg_sender { MSG_FROM_COUNSELOR, MSG_FROM_BENEFICIARY, MSG_FROM_SYSTEM };

/* The kinds of §1, in the order of its table; the wire names are the enum's without
 * "MSG_" (MSG_OFFER_SHARE <-> "OFFER_SHARE"). */
enum msg_kind {
	MSG_KIND_UNKNOWN = -1,
	MSG_MESSAGE,
	MSG_MESSAGE_PJ,
	MSG_OFFER_SHARE,
	MSG_EVENT_SHARE,
	MSG_SESSION_SHARE,
	MSG_JOB_EVENT_SHARE,
	MSG_AUTO_REGISTRATION,
	MSG_NEW_COUNSELOR,
	MSG_NEW_COUNSELOR_TEMPORARY,
	MSG_ACTION_COMMENT,
	MSG_KIND_COUNT
};

/* One message as read from a conversation. */
struct message {
	const char *id, *conversation_id;
	const char *beneficiary_id;          /* of the conversation */
	enum msg_sender sender;
	const char *sender_counselor_id;     /* the author when sender == MSG_FROM_COUNSELOR */
	const char *sender_first_name, *sender_last_name;  /* that counselor; else NULL */
	enum msg_kind kind;                  /* MSG_KIND_UNKNOWN: show MSG_INACCESSIBLE */
	const char *text;                    /* decrypted; NULL when it cannot be */
	int64_t created_at, edited_at, deleted_at;
	const char *attachment_id;           /* NULL: none */
	const char *payload;                 /* JSON object of the card, or NULL */
	const char *broadcast_id;            /* NULL: a one-to-one send */
	const char *client_key;              /* the app's sending key (msg_client_key_check), or NULL */
	/* As stored: the sealed text and its key (messaging_store fills these, the use cases
	 * decrypt them into text). */
	const char *key_id;
	const unsigned char *content;
	size_t content_len;
};

/* The conversation of one beneficiary, with what the views need around it. */
struct msg_conversation {
	const char *id;                      /* NULL: none stored yet (read as empty) */
	const char *beneficiary_id;
	const char *counselor_id;            /* the beneficiary's referent */
	const char *first_name, *last_name; /* the beneficiary */
	const char *timezone;                /* of the beneficiary's structure */
	bool activated;                      /* the beneficiary activated the account */
	bool followed;
	int64_t last_message_at;             /* 0: no message */
	int last_sender;                     /* enum msg_sender, -1 when no message */
	const char *last_message_id;
	int64_t counselor_last_read_at, beneficiary_last_read_at;
};

/* Who acts on a message: a counselor (id = counselor id) or a beneficiary (id =
 * beneficiary id). Never MSG_FROM_SYSTEM. */
struct msg_actor {
	enum msg_sender side;
	const char *id;
};

/* ---- Kinds ---- */

/* "MESSAGE", …; NULL for MSG_KIND_UNKNOWN. Static. */
const char *msg_kind_wire(enum msg_kind k);
/* MSG_KIND_UNKNOWN when @wire (NULL ok) is no kind of §1. */
enum msg_kind msg_kind_parse(const char *wire);
/* "counselor", "beneficiary", "system". Static. */
const char *msg_sender_wire(enum msg_sender s);
/* -1 when @wire is no sender. */
int msg_sender_parse(const char *wire);

/* May @s send @k (§1)? Beneficiary: MESSAGE, OFFER_SHARE, EVENT_SHARE, SESSION_SHARE,
 * JOB_EVENT_SHARE. Counselor: MESSAGE, MESSAGE_PJ, OFFER_SHARE, ACTION_COMMENT. System:
 * NEW_COUNSELOR, NEW_COUNSELOR_TEMPORARY, AUTO_REGISTRATION. */
bool msg_kind_allowed(enum msg_sender s, enum msg_kind k);
/* Kinds whose text may be edited (§5): MESSAGE, MESSAGE_PJ, OFFER_SHARE, ACTION_COMMENT. */
bool msg_kind_editable(enum msg_kind k);
/* Kinds that carry a card (payload required): the shares, ACTION_COMMENT and
 * AUTO_REGISTRATION. */
bool msg_kind_has_card(enum msg_kind k);

/* The card under a message's text, read from its payload (msg_kind_has_card): its title
 * (NULL when the payload names none); for an ACTION_COMMENT, the action it links to; for
 * an EVENT_SHARE, the animation collective and its start (0: not given); for an
 * OFFER_SHARE, the offer of payload {"type": "EMPLOI"|"ALTERNANCE"|"SERVICE_CIVIQUE"|
 * "IMMERSION", "id", "title", "company"}. Ids are NULL
 * unless a UUID. All empty for a message without a card or with a payload that is not a
 * JSON object. Strings in @a. */
struct msg_card {
	const char *title, *action_id;
	/* OFFER_SHARE (offers.md §4): the offer's type as its URL slug ("emploi",
	 * "alternance", "service-civique", "immersion") and label ("Offre d'emploi"…), its
	 * public id (letters, digits and "-" only, else all three NULL: it goes into a link)
	 * and its company or organisation (NULL: not given). */
	const char *offer_slug, *offer_type_label, *offer_id, *company;
	const char *event_id;      /* EVENT_SHARE: the animation collective (a UUID) */
	const char *session_id;    /* SESSION_SHARE, AUTO_REGISTRATION: the i-milo session */
	/* JOB_EVENT_SHARE: the event of Mes Événements Emploi (its public id: letters, digits,
	 * '-' and '_' only) and its registration page (http or https only; NULL otherwise). */
	const char *job_event_id, *url;
	int64_t starts_at;
};
struct msg_card msg_card_of(struct arena *a, const struct message *m);
/* The date of an event card, "mardi 5 mars 2024 à 10h00" in @tz; NULL when @starts_at is
 * 0 (a card that does not say). */
char *msg_card_when(struct arena *a, int64_t starts_at, const char *tz);

/* ---- Sending ---- */

/* The text of a message of kind @k as stored: trimmed (Unicode white space), 1–5000
 * characters; MESSAGE_PJ may be empty and then gets MSG_PJ_DEFAULT_TEXT. Returns NULL and
 * sets *@out (arena) when fine, else the French message to show. */
const char *msg_text_check(struct arena *a, enum msg_kind k, const char *text, const char **out);
/* Every rule of a send by @s (§1, §7): the kind is allowed, an attachment is present
 * exactly for MESSAGE_PJ (and never from a beneficiary), a card kind has a JSON object
 * @payload, and the text passes msg_text_check (*@text_out). NULL or the French message
 * (all of them answer 400). */
const char *msg_send_check(struct arena *a, enum msg_sender s, enum msg_kind k, const char *text,
			   bool has_attachment, const char *payload, const char **text_out);

/* The sending key the beneficiary's app gives a message so that "Réessayer" never
 * stores it twice (youth-app.md §9, §14): MSG_CLIENT_KEY_MIN to MSG_CLIENT_KEY_MAX
 * characters among A–Z a–z 0–9 "-" "_" (a UUID, or random bytes in base64url). NULL when
 * @key is well formed or absent (NULL: no key, a plain form), else the French message
 * (400). */
#define MSG_CLIENT_KEY_MIN 16
#define MSG_CLIENT_KEY_MAX 64
const char *msg_client_key_check(const char *key);

/* Does a message of kind @k from @s send the beneficiary the NEW_MESSAGE push
 * (notifications.md #13)? A counselor's MESSAGE, MESSAGE_PJ and OFFER_SHARE; never
 * ACTION_COMMENT (ACTION_UPDATED only), never a system message. */
bool msg_pushes_new_message(enum msg_sender s, enum msg_kind k);

/* The text of system message @k as @viewer reads it (§1): for the beneficiary "Tu
 * échanges avec ton nouveau conseiller. Il a accès à l’historique de tes échanges." (or
 * temporairement …), for the counselor "Le bénéficiaire a été réaffecté à {@counselor_name}."
 * (the new counselor, "Prénom NOM"); AUTO_REGISTRATION: "Votre bénéficiaire s’est inscrit à
 * l’événement suivant" for the counselor, "Tu t’es inscrit à l’événement suivant" for the
 * beneficiary. NULL for other kinds. */
char *msg_system_text(struct arena *a, enum msg_kind k, enum msg_sender viewer,
		      const char *counselor_name);

/* ---- Edit and delete (§5) ---- */

/* 0 when @who may edit @m; -ERR_FORBIDDEN when @who is not its author (a colleague's or a
 * system message: 403); -ERR_INVAL when its kind cannot be edited or it is deleted. */
int msg_may_edit(const struct message *m, const struct msg_actor *who);
/* 0 when @who may delete @m; -ERR_FORBIDDEN when not its author; -ERR_INVAL when deleted. */
int msg_may_delete(const struct message *m, const struct msg_actor *who);
/* The text shown for a deleted message: "Vous avez supprimé ce message" to its author
 * (@own), "Message supprimé" to the other party. Static. */
const char *msg_deleted_text(bool own);

/* ---- Read receipts and unread counts (§4) ---- */

/* Is a message created at @created_at read by a party whose last read mark is
 * @reader_last_read_at? (≥; 0 = never read.) */
bool msg_is_read(int64_t created_at, int64_t reader_last_read_at);
/* Does a message sent by @sender with kind @k count in @reader's unread messages? The
 * counselor counts beneficiary-side messages and AUTO_REGISTRATION (sent on the
 * beneficiary's behalf); the beneficiary counts counselor-side and system messages but
 * AUTO_REGISTRATION. */
bool msg_incoming(enum msg_sender reader, enum msg_sender sender, enum msg_kind k);
/* Is @m unread by @reader whose mark is @reader_last_read_at: incoming, not deleted, and
 * created after the mark. */
bool msg_is_unread(const struct message *m, enum msg_sender reader, int64_t reader_last_read_at);
/* The suffix of an own bubble (§3): " · Envoyé" or " · Lu" (read by the other party,
 * whose mark is @other_last_read_at), then " · Modifié" when edited. Static. */
const char *msg_bubble_suffix(const struct message *m, int64_t other_last_read_at);
/* The author of a counselor-side bubble for counselor @viewer_id: "Vous", or "Prénom NOM"
 * for a previous or temporary counselor. */
char *msg_author_label(struct arena *a, const struct message *m, const char *viewer_id);

/* What the counselor's pages need to alert of new messages (§4): the favicon's
 * "notification" variant while a conversation is unread, and a sound when a message
 * arrives — a newer last_incoming_at than the page knew. Incoming as msg_incoming() says
 * for the counselor, deleted messages left out, as for the unread counts. */
struct msg_alerts {
	int unread_conversations;
	int64_t last_incoming_at;     /* created_at of the newest incoming message; 0: none */
};

/* ---- The counselor's column (§2) ---- */

/* One conversation of the counselor's column. */
struct msg_tile {
	const char *beneficiary_id;
	const char *conversation_id;        /* NULL only for an account without one yet */
	const char *first_name, *last_name;
	const char *folded_name;            /* beneficiary.search_folded: "nom prénom" folded */
	const char *timezone;               /* of the beneficiary's structure */
	bool activated;
	bool followed;
	int unread;                         /* incoming for the counselor, unread */
	int64_t last_message_at;            /* 0: no message yet */
	int last_sender;                    /* enum msg_sender, -1 when no message */
	bool last_deleted;                  /* the last message was deleted */
	const char *preview;                /* decrypted preview, NULL when none/unreadable */
	int64_t beneficiary_last_read_at;   /* for the " · Lu" of the last message */
	/* As stored (messaging_store), decrypted into preview by the use cases. */
	const char *preview_key_id;
	const unsigned char *preview_sealed;
	size_t preview_len;
};

/* A text cut for a tile: one line (runs of white space become one space), at most
 * MSG_PREVIEW_MAX characters, cut on a character boundary with "…" appended when longer. */
char *msg_preview_cut(struct arena *a, const char *text);
/* The tile's preview line: "Vous : {texte}", "{Prénom} : {texte}", or the system text;
 * a deleted last message reads "Vous avez supprimé ce message" / "{Prénom} : Message
 * supprimé"; an unreadable one MSG_INACCESSIBLE. NULL when there is no message. */
char *msg_tile_preview(struct arena *a, const struct msg_tile *t);
/* " · Lu" or " · Non lu" when the last message is counselor-side, else NULL. Static. */
const char *msg_tile_read_suffix(const struct msg_tile *t);
/* "Nouveau message", "{n} nouveaux messages", or NULL when @n is 0. */
char *msg_tile_unread_label(struct arena *a, int n);
/* "Aujourd’hui à 14h17", "Hier à 17h01" or "Le 13/02/2024 à 18h38". */
char *msg_tile_date(struct arena *a, int64_t t, int64_t now, const char *tz);
/* The bookmark toggle: "Suivre la conversation" / "Ne plus suivre la conversation". */
const char *msg_follow_label(bool followed);
/* The group of §2's order: 0 followed, 1 with unread messages, 2 the others. */
int msg_tile_group(const struct msg_tile *t);
/* qsort comparator of struct msg_tile: group, then last_message_at newest first (no
 * message last), then "NOM Prénom" (folded), then beneficiary id. */
int msg_tile_cmp(const void *a, const void *b);

/* ---- Conversation view (§3) ---- */

/* Are instants @a and @b on the same civil day in @tz? */
bool msg_same_day(int64_t a, int64_t b, const char *tz);
/* The separator of @t's day seen at @now: "Aujourd’hui" or "Le dd/mm/yyyy". */
char *msg_day_separator(struct arena *a, int64_t t, int64_t now, const char *tz);
/* "14h17". */
char *msg_time(struct arena *a, int64_t t, const char *tz);

/* A keyset position in a conversation: messages strictly older than (created_at, id). */
struct msg_cursor {
	int64_t created_at;
	const char *id;
};
/* "{created_at}_{id}" of @m, for a "Voir messages plus anciens" link. */
char *msg_cursor_format(struct arena *a, const struct message *m);
/* Parses what msg_cursor_format wrote; false when malformed (then answer the first page
 * or 400). */
bool msg_cursor_parse(struct arena *a, const char *s, struct msg_cursor *out);

/* Plain @text as HTML: everything escaped (& < > " '), and each http:// or https:// URL
 * turned into <a href="…" target="_blank" rel="noopener noreferrer">…<span
 * class="fr-sr-only"> (nouvelle fenêtre)</span></a>. A URL starts at "http://" or
 * "https://" (any case) not preceded by a letter or digit, runs to white space, < > " or
 * a control character, and loses its trailing . , ; : ! ? ' and an unbalanced ); it needs
 * a host after "//". Newlines stay newlines (bubbles use white-space: pre-wrap). Invalid
 * UTF-8 is replaced first. The only raw HTML the templates print from a message. */
char *msg_text_html(struct arena *a, const char *text);

#endif
