/* mt-memory.h: how the process hands memory back to the system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void mt_memory_init (void);
void mt_memory_trim (void);

G_END_DECLS
