/* embed.c — lookup in the embedded file tables. */
#include "base/embed.h"

#include <string.h>

const struct embed_file *
embed_find(const struct embed_file *files, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, files[mid].name);
		if (c == 0)
			return &files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
