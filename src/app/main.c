/* main.c: mtavipclient, the MTAVIPClient desktop video phone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mtavipclient"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <locale.h>
#include <sofia-sip/su_uniqueid.h>

#include "mt-application.h"
#include "mt-memory.h"

/* Run from the build tree (<builddir>/src/app/mtavipclient) with the schemas and
 * the catalogues built there, not the installed ones. */
static const char *
setup_build_tree (void)
{
#ifdef MT_BUILD_ROOT
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *schemas = NULL;

  if (exe_dir == NULL || g_strcmp0 (exe_dir, MT_BUILD_ROOT "/src/app") != 0)
    return LOCALEDIR;
  schemas = g_build_filename (MT_BUILD_ROOT, "data", NULL);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  return MT_BUILD_ROOT "/po";
#else
  return LOCALEDIR;
#endif
}

int
main (int argc, char *argv[])
{
  g_autoptr(MtApplication) app = NULL;
  const char *localedir;

  mt_memory_init ();
  localedir = setup_build_tree ();

  /* sofia-sip 1.12's su_uniqueid destructor deletes its thread key at exit
   * even when it never created one: key 0, which is GLib's, and GLib aborts
   * in g_private_set() on the way out. A second instance that only hands a
   * link to the running one never touches Sofia, so create the key now. */
  (void) su_random ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gst_init (&argc, &argv);
  app = mt_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
