/* mt-memory.c: how the process hands memory back to the system
 *
 * A phone runs for weeks and makes many calls, each with its own pipeline
 * and streaming threads. glibc's malloc raises its mmap threshold the first
 * time a large block (a 640x480 video frame is 460 KB) is freed, after
 * which such blocks come from the per-thread arenas, and an arena keeps
 * what was freed in it: a callee grew from 16 to 147 MB over 20 640x480
 * video calls, with
 * 4 MB of it in use (malloc_stats). A fixed threshold keeps
 * large blocks in their own mappings, returned to the system when freed.
 *
 * What is left is fragmentation of the arenas by the many small blocks of a
 * call (GTK's widgets for its window, its textures): the app's resident
 * size crept up ~0.5 MB a call with the memory in use flat; giving back
 * the free pages once no call is left keeps it flat.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-memory"

#include "mt-memory.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#define MMAP_THRESHOLD (128 * 1024)   /* glibc's own starting value */

/**
 * mt_memory_init:
 *
 * Call once at the start of main(), before any thread starts.
 */
void
mt_memory_init (void)
{
#ifdef __GLIBC__
  /* setting it turns off the dynamic adjustment */
  if (mallopt (M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1)
    g_debug ("mallopt (M_MMAP_THRESHOLD) refused (a sanitizer's allocator?)");
#endif
}

/**
 * mt_memory_trim:
 *
 * Give free memory back to the system; call when the last call is gone.
 */
void
mt_memory_trim (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}
