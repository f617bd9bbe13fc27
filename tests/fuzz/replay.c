/* replay.c: run a libFuzzer target's inputs without libFuzzer
 *
 *   replay PATH...
 *
 * Feeds each file named on the command line, or each regular file in a named
 * directory (sorted by name, not recursive), to LLVMFuzzerTestOneInput once,
 * and prints how many inputs ran. Built with any compiler, so the `unit`
 * suite replays tests/fuzz/corpus on every run: an input that crashes or
 * trips the target's own checks kills this process. Fails (exit 1) when a
 * path cannot be read or when no input at all was found, so an empty or
 * misplaced corpus is never a silent pass.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
run_file (const char *path,
          guint      *n_run)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &error))
    {
      g_printerr ("replay: %s\n", error->message);
      return FALSE;
    }

  g_print ("replay: %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
  /* a copy of exactly len bytes, as libFuzzer hands it over, so that a read
   * past the end is caught by ASan/valgrind when built with them */
  {
    g_autofree uint8_t *copy = g_memdup2 (data, len);

    LLVMFuzzerTestOneInput (copy, len);
  }
  (*n_run)++;
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
run_directory (const char *path,
               guint      *n_run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr(GPtrArray) files = NULL;
  const char *name;
  gboolean ok = TRUE;

  if (dir == NULL)
    {
      g_printerr ("replay: %s\n", error->message);
      return FALSE;
    }

  files = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (files, g_steal_pointer (&file));
    }
  g_ptr_array_sort (files, compare_names);

  for (guint i = 0; i < files->len; i++)
    ok = run_file (g_ptr_array_index (files, i), n_run) && ok;
  return ok;
}

int
main (int   argc,
      char *argv[])
{
  guint n_run = 0;
  gboolean ok = TRUE;

  if (argc < 2)
    {
      g_printerr ("usage: %s FILE-OR-DIRECTORY...\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        ok = run_directory (argv[i], &n_run) && ok;
      else
        ok = run_file (argv[i], &n_run) && ok;
    }

  g_print ("replay: %u inputs ran\n", n_run);
  if (n_run == 0)
    {
      g_printerr ("replay: no inputs found in %s%s\n", argv[1], argc > 2 ? " ..." : "");
      return 1;
    }
  return ok ? 0 : 1;
}
