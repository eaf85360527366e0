/* help.c — the QR code as SVG. libqrencode gives the module matrix; the drawing is ours:
 * one "M x y h n v1 h-n z" rectangle per horizontal run of dark modules, so a code of
 * version 3 (29 × 29) stays a path of a few hundred rectangles. */
#include "help/help.h"

#include "base/arena.h"

#include <glib.h>
#include <qrencode.h>
#include <string.h>

char *
help_qr_svg(struct arena *a, const char *text, const char *label)
{
	if (!text || !*text)
		return NULL;
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return NULL;
	int w = q->width, size = w + 2 * HELP_QR_MARGIN;
	gchar *esc = g_markup_escape_text(label ? label : text, -1);
	GString *s = g_string_new(NULL);
	g_string_append_printf(s,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cej-qr\" viewBox=\"0 0 %d %d\" "
		"width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\" shape-rendering=\"crispEdges\">"
		"<title>%s</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		size, size, size * 6, size * 6, esc, esc, size, size);
	for (int y = 0; y < w; y++) {
		const unsigned char *row = q->data + (size_t)y * (size_t)w;
		for (int x = 0; x < w;) {
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			int start = x;
			while (x < w && (row[x] & 1))
				x++;
			g_string_append_printf(s, "M%d %dh%dv1h-%dz", start + HELP_QR_MARGIN,
					       y + HELP_QR_MARGIN, x - start, x - start);
		}
	}
	g_string_append(s, "\"/></svg>");
	char *out = arena_strndup(a, s->str, s->len);
	g_string_free(s, TRUE);
	g_free(esc);
	QRcode_free(q);
	return out;
}
