/* mt-text.h: text that arrives from the network, made safe for the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A copy of @text (@len bytes, or up to its NUL with -1) that is valid
 * UTF-8 with no control characters: invalid sequences become U+FFFD, control
 * characters (but tab, CR and LF when @keep_lines) become spaces. The one
 * door for every string a peer sends us: display names, URIs, reason phrases,
 * Warning text, session descriptions. NULL stays NULL. */
char *mt_text_from_network (const char *text,
                            gssize      len,
                            gboolean    keep_lines);

G_END_DECLS
