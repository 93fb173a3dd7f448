/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON output helpers shared by the tools' --json. */
#ifndef WB_JSON_H
#define WB_JSON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s as a JSON string: quotes, backslashes and control bytes escaped. */
static inline void
wb_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/*
 * "KEY\tVALUE\n" lines (the tools' --stats tables) as one JSON object:
 * numeric values as numbers, others as strings.
 */
static inline void
wb_json_kv(FILE *f, char *text)
{
	char *line, *save = NULL;
	int first = 1;

	fputc('{', f);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t'), *end;

		if (tab == NULL)
			continue;
		*tab = '\0';
		fputs(first ? "\n" : ",\n", f);
		first = 0;
		wb_json_str(f, line);
		fputc(':', f);
		(void)strtod(tab + 1, &end);
		if (end != tab + 1 && *end == '\0')
			fputs(tab + 1, f);
		else
			wb_json_str(f, tab + 1);
	}
	fputs("\n}\n", f);
}

#endif /* WB_JSON_H */
