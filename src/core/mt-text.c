/* mt-text.c: text that arrives from the network, made safe for the core
 *
 * A peer may send any bytes in a display name or an SDP line. Once inside
 * they reach JSON output, GVariant (which insists on UTF-8), Pango markup
 * and key files, so they are repaired here, once, where they come in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-text"

#include "mt-text.h"

char *
mt_text_from_network (const char *text, gssize len, gboolean keep_lines)
{
  char *valid;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, len);
  for (char *p = valid; *p; p++)
    {
      guchar c = (guchar) *p;

      if (keep_lines && (c == '\t' || c == '\r' || c == '\n'))
        continue;
      if (c < 0x20 || c == 0x7f)
        *p = ' ';
    }
  return valid;
}
