/* help.h — "Aide et ressources" and the counselor's mobile access (messaging.md §12): the
 * QR code of the counselor space, drawn server-side as SVG from libqrencode's modules. */
#ifndef CEJ_HELP_H
#define CEJ_HELP_H

#include <jansson.h>

struct arena;

/* The quiet zone around a QR code, in modules (ISO/IEC 18004 asks for 4). */
#define HELP_QR_MARGIN 4

/* An inline <svg> of the QR code of @text (error correction M, 8-bit mode), one path of
 * dark runs on a white square, with role="img", aria-label and <title> set to @label
 * (escaped here) — the one piece of markup a template prints raw ({{ raw qr_svg }}).
 * Deterministic: the same @text and @label give the same bytes. NULL when @text cannot
 * be encoded (empty, or longer than a QR code holds). Arena-owned. */
char *help_qr_svg(struct arena *a, const char *text, const char *label);

/* Adds what templates/help/mobile_access.html prints to @data: "url", the public address
 * of the counselor space, and "qr_svg", its QR code (absent when it cannot be drawn).
 * Shared by /aide and /profil (help_web.c). */
struct req;
struct vm;
void help_mobile_access(struct req *r, struct vm *data);

#endif
