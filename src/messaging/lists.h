/* lists.h — listes de diffusion and multi-recipient messages (spec/messaging.md §8, §9).
 *
 * A list belongs to one counselor (its owner) and holds beneficiaries. Only the owner's
 * portfolio — the beneficiaries whose counselor_id is the owner, not deleted — may be
 * added; a member who leaves the portfolio stays a member, shown greyed and left out of
 * sends and read receipts, until it comes back or is removed (deletion and archive remove
 * it from every list). A multi-recipient message is sent as one individual message per
 * beneficiary (same text, same stored file if any, one shared broadcast id): lists are
 * expanded to their members currently in the portfolio and everybody is counted once.
 *
 * The first part is pure rules (unit-tested without a database); the use cases below
 * call lists_store.h and messaging_use.h and run inside the caller's transaction when they
 * write. Everything returned lives in the arena given; French messages are static. */
#ifndef CEJ_LISTS_H
#define CEJ_LISTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct msg_cursor;
struct msg_keyring;

#define LISTS_TITLE_MAX 100        /* characters, after trimming */
#define LISTS_MAX_IDS 5000         /* ids one form may post (beneficiaries or lists) */
#define BROADCAST_PAGE_SIZE 20     /* messages per page of a list's history */

#define LISTS_TITLE_EMPTY "Le champ “Titre” est vide. Renseignez un titre."
#define LISTS_TITLE_TOO_LONG "Le champ “Titre” ne doit pas dépasser 100 caractères."
#define LISTS_TITLE_INVALID "Le champ “Titre” contient des caractères invalides."
#define LISTS_MEMBERS_EMPTY \
	"Le champ “Bénéficiaires” est vide. Sélectionnez au moins un bénéficiaire."
#define BROADCAST_NO_RECIPIENT \
	"Le champ “Destinataires” est vide. Sélectionnez au moins un destinataire."

/* A list, as its pages need it. */
struct broadcast_list {
	const char *id;
	const char *counselor_id;          /* the owner */
	const char *title;
};

/* A line of "Mes listes de diffusion". */
struct list_row {
	const char *id, *title;
	int recipients;                    /* members currently in the owner's portfolio */
	int sends;                         /* messages of its history */
	int64_t last_sent_at;              /* 0: none */
};

/* A beneficiary as the lists show them: a portfolio choice or a list member. */
struct list_person {
	const char *id, *first_name, *last_name;
	bool in_portfolio;                 /* false: greyed, left out of sends */
};

enum lists_sort { LISTS_SORT_TITLE, LISTS_SORT_RECIPIENTS };

/* ---- Rules (pure) ---- */

/* Parses ?tri= ("nom", "destinataires"; anything else: by title). */
enum lists_sort lists_sort_parse(const char *tri);
/* "nom" or "destinataires". Static. */
const char *lists_sort_name(enum lists_sort s);
/* The order of a first click on a column: the title A→Z, the count largest first. */
bool lists_sort_first_desc(enum lists_sort s);

/* The title as stored: trimmed, 1–LISTS_TITLE_MAX characters of valid UTF-8. NULL and
 * *@out set (arena) when fine, else the French message of the field. */
const char *lists_title_check(struct arena *a, const char *raw, const char **out);

/* @ids (n of them) without repeats, first occurrence kept, in order; NULL entries are
 * dropped. Sets *@out (arena array, may be empty) and returns its length. */
int lists_unique(struct arena *a, const char *const *ids, int n, const char ***out);
/* Is every one of the @n @ids among the @m @allowed? (True when @n is 0.) */
bool lists_all_within(const char *const *ids, int n, const char *const *allowed, int m);

/* The recipients of a multi-recipient message: the @n @chosen beneficiaries and the @m
 * list @members that are in the portfolio, each once, chosen ones first. Sets *@out
 * (arena array) and returns the count of unique beneficiaries. */
int broadcast_recipients(struct arena *a, const char *const *chosen, int n,
			 const struct list_person *members, int m, const char ***out);

/* "Prénom NOM". */
char *lists_person_name(struct arena *a, const char *first_name, const char *last_name);
/* "Lu par Prénom NOM" or "Non lu par Prénom NOM" (messaging.md §9). */
char *lists_read_label(struct arena *a, bool read, const char *first_name, const char *last_name);
/* "Destinataires ({n})". */
char *broadcast_count_label(struct arena *a, int n);

/* ---- Use cases ---- */

/* The lists of @counselor_id in the order asked. Sets *@out; count or -ERR_DB. */
int lists_of(struct db *db, struct arena *a, const char *counselor_id, enum lists_sort sort,
	     bool desc, struct list_row **out);
/* List @id when @counselor_id owns it. 0; -ERR_NOTFOUND when it does not exist or is
 * another counselor's (it is invisible to them); -ERR_DB. */
int lists_load(struct db *db, struct arena *a, const char *counselor_id, const char *id,
	       struct broadcast_list *out);
/* The portfolio of @counselor_id by name ("NOM Prénom", accents and case ignored): what
 * a list or a multi-recipient message may choose from. Sets *@out; count or -ERR_DB. */
int lists_portfolio(struct db *db, struct arena *a, const char *counselor_id,
		    struct list_person **out);
/* The members of @l by name, in_portfolio telling whether each is still in the owner's
 * portfolio. Sets *@out; count or -ERR_DB. */
int lists_members(struct db *db, struct arena *a, const struct broadcast_list *l,
		  struct list_person **out);

/* The errors of the list form, NULL when the field is fine. */
struct lists_form_errors {
	const char *title, *members;
	int count;
};

/* Creates (@l->id NULL; set on success) or updates list @l of owner @l->counselor_id with
 * the raw @title and the @n beneficiaries @ids (repeats are ignored), at @now. Members who
 * left the portfolio are kept by an update. -ERR_FORBIDDEN when an id is not in the
 * owner's portfolio; -ERR_INVAL with *@e filled when the title or the members break §9;
 * 0 (with @l->title the title stored) or -ERR_DB. */
int lists_save(struct db *db, struct arena *a, int64_t now, struct broadcast_list *l,
	       const char *title, const char *const *ids, int n, struct lists_form_errors *e);
/* Deletes list @l, its members and its history rows; the messages stay in their
 * conversations. 0 or -ERR_DB. */
int lists_remove(struct db *db, const struct broadcast_list *l);

/* The list form's use case: lists_save in its own write transaction. On any failure
 * nothing is stored and @l->id is left as given (NULL for a creation). */
int lists_submit(struct db *db, struct arena *a, int64_t now, struct broadcast_list *l,
		 const char *title, const char *const *ids, int n, struct lists_form_errors *e);
/* lists_remove in its own write transaction. */
int lists_delete(struct db *db, const struct broadcast_list *l);

/* What a counselor sends to several beneficiaries. */
struct broadcast_request {
	const char *counselor_id;
	const char *const *beneficiary_ids;   /* chosen one by one */
	int n_beneficiaries;
	const char *const *list_ids;          /* the counselor's own lists */
	int n_lists;
	bool all;                             /* "Sélectionner tous mes destinataires" */
	const char *text;                     /* raw input */
	/* The optional file (§8 "One optional attachment"): its name as kept
	 * (attachment_clean_name) and its bytes as posted; file_name NULL: none. */
	const char *file_name;
	const unsigned char *file;
	size_t file_len;
};

struct broadcast_result {
	const char *id;                       /* the broadcast id, once sent */
	const char **recipients;              /* unique beneficiaries, also when refused */
	int n;
	const char *recipients_error, *text_error;   /* NULL: the field is fine */
	const char *file_error;               /* attachment_check's message, or ATTACHMENT_FAILED */
	int errors;
	int64_t sent_at;
};

/* Sends @in at @now (messaging.md §7, §8): the lists expanded to their members in the
 * portfolio, everyone once, one message per recipient sharing one broadcast id (each with
 * its NEW_MESSAGE push, messaging_send), a `broadcast` row and the lists' history rows.
 * With a file, it is stored once and every copy is a MESSAGE_PJ referencing it (so its
 * downloaders are the uploader and every recipient), and an empty text is allowed (it
 * gets MSG_PJ_DEFAULT_TEXT). -ERR_FORBIDDEN when a beneficiary is outside the portfolio
 * or a list is not the caller's; -ERR_INVAL with the errors (and the recipients count)
 * in *@out; 0 with out->id; or -ERR_DB (out->file_error is ATTACHMENT_FAILED when storing
 * the file failed). Call inside a write transaction (broadcast_submit runs its own and
 * tells the live pages). */
int broadcast_send(struct db *db, const struct msg_keyring *keys, struct arena *a, int64_t now,
		   const struct broadcast_request *in, struct broadcast_result *out);

/* The page's use case: broadcast_send in its own write transaction, and on its commit
 * the event "message" of each recipient's conversation (messaging_live.h). Same results;
 * a rollback announces nothing. */
int broadcast_submit(struct db *db, const struct msg_keyring *keys, struct arena *a,
		     int64_t now, const struct broadcast_request *in, struct broadcast_result *out);

/* One message of a list's history. */
struct broadcast_entry {
	const char *id;                       /* broadcast id */
	int64_t sent_at;
	int recipients;                       /* how many it was sent to */
	const char *text;                     /* decrypted; NULL when it cannot be */
	/* As stored: one of its messages, sealed. */
	const char *key_id;
	const unsigned char *content;
	size_t content_len;
	/* Its file, if any: the id, the name decrypted (NULL when it cannot be), and whether
	 * the content is gone (expired after the retention, or deleted with every copy). */
	const char *attachment_id;
	const char *file_name;
	bool file_expired, file_deleted;
};

struct broadcast_page {
	struct broadcast_entry *items;
	int n;
	bool more;                            /* older messages exist */
};

/* Up to BROADCAST_PAGE_SIZE messages sent to @l older than @before (NULL: the newest),
 * newest first, decrypted. 0 or -ERR_DB. */
int broadcast_history(struct db *db, const struct msg_keyring *keys, struct arena *a,
		      const struct broadcast_list *l, const struct msg_cursor *before,
		      struct broadcast_page *out);

/* A recipient's read receipt. */
struct broadcast_receipt {
	const char *beneficiary_id, *first_name, *last_name;
	bool read;              /* beneficiary_last_read_at ≥ the message's sending time */
};

struct broadcast_detail {
	struct broadcast_entry message;
	struct broadcast_receipt *receipts;   /* recipients in the portfolio, by name */
	int n;
};

/* The message @broadcast_id sent to @l, with the read receipts of its recipients who are
 * currently in the owner's portfolio (§9 "Détail du message"). -ERR_NOTFOUND when it was
 * not sent to @l; 0 or -ERR_DB. */
int broadcast_detail(struct db *db, const struct msg_keyring *keys, struct arena *a,
		     const struct broadcast_list *l, const char *broadcast_id,
		     struct broadcast_detail *out);

#endif
