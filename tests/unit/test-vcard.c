/* test-vcard.c: vCard reading and writing (mt-vcard.c) and the contacts'
 * import/export (mt-contacts.c), without GTK: names and SIP addresses survive
 * a round trip, a card without a SIP address is refused with a sentence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#ifdef HAVE_LIBEBOOK
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook-contacts/libebook-contacts.h>
G_GNUC_END_IGNORE_DEPRECATIONS
#endif

#include "mt-contacts.h"
#include "mt-store.h"
#include "mt-vcard.h"

static MtContact *
parse_one (const char *card)
{
  g_autoptr(GError) error = NULL;
  MtContact *contact = mt_vcard_parse_card (card, "x", &error);

  g_assert_no_error (error);
  g_assert_nonnull (contact);
  return contact;
}

static void
test_read_forms (void)
{
  /* what GNOME Contacts, Evolution and phones write */
  g_autoptr(MtContact) impp = parse_one ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice Desk\r\n"
                                         "IMPP;X-SERVICE-TYPE=SIP:sip:alice@example.org\r\n"
                                         "END:VCARD\r\n");
  g_autoptr(MtContact) x_sip = parse_one ("BEGIN:VCARD\nVERSION:3.0\nN:Smith;Bob;;Dr.;\n"
                                          "X-SIP;TYPE=work:bob@example.org\nEND:VCARD\n");
  g_autoptr(MtContact) tel = parse_one ("BEGIN:VCARD\nVERSION:4.0\nFN:Smith\\, Carol\n"
                                        "TEL;VALUE=uri:tel:+493012345\n"
                                        "item1.TEL;VALUE=uri:sip:carol@example.org;transport=tcp\n"
                                        "END:VCARD\n");

  g_assert_cmpstr (mt_contact_get_name (impp), ==, "Alice Desk");
  g_assert_cmpstr (mt_contact_get_address (impp), ==, "sip:alice@example.org");
  g_assert_cmpstr (mt_contact_get_id (impp), ==, "x");
  g_assert_cmpstr (mt_contact_get_name (x_sip), ==, "Dr. Bob Smith");
  g_assert_cmpstr (mt_contact_get_address (x_sip), ==, "sip:bob@example.org");
  g_assert_cmpstr (mt_contact_get_name (tel), ==, "Smith, Carol");
  g_assert_cmpstr (mt_contact_get_address (tel), ==, "sip:carol@example.org;transport=tcp");
  g_assert_cmpuint (g_strv_length ((GStrv) mt_contact_get_addresses (tel)), ==, 1);
}

static void
test_read_folded_and_deduplicated (void)
{
  /* a folded FN (one space continues the line), the same address twice
   * (IMPP and X-SIP), an H.323 address, an XMPP one that is no phone's */
  g_autoptr(MtContact) contact =
    parse_one ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Long\r\n  Name\r\n"
               "IMPP:xmpp:zoe@example.org\r\nIMPP:sip:zoe@example.org\r\n"
               "X-SIP:sip:ZOE@example.org\r\nIMPP:h323:zoe@192.0.2.7\r\nEND:VCARD\r\n");
  const char * const *addresses = mt_contact_get_addresses (contact);

  g_assert_cmpstr (mt_contact_get_name (contact), ==, "Zoë Long Name");
  g_assert_cmpuint (g_strv_length ((GStrv) addresses), ==, 2);
  g_assert_cmpstr (addresses[0], ==, "sip:zoe@example.org");
  g_assert_cmpstr (addresses[1], ==, "h323:zoe@192.0.2.7");
}

static void
test_refused_without_sip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) unnamed = NULL;
  g_autoptr(GError) not_vcard = NULL;
  g_autoptr(MtContact) contact = mt_vcard_parse_card ("BEGIN:VCARD\nVERSION:3.0\nFN:Dan Phone\n"
                                                      "TEL:+4930123\nEMAIL:dan@example.org\n"
                                                      "IMPP:xmpp:dan@example.org\nEND:VCARD\n",
                                                      NULL, &error);

  g_assert_null (contact);
  g_assert_error (error, MT_VCARD_ERROR, MT_VCARD_ERROR_NO_ADDRESS);
  g_assert_cmpstr (error->message, ==, "“Dan Phone” has no SIP address.");
  g_assert_null (mt_vcard_parse_card ("BEGIN:VCARD\nEND:VCARD\n", NULL, &unnamed));
  g_assert_cmpstr (unnamed->message, ==, "A contact without a name has no SIP address.");
  g_assert_null (mt_vcard_parse ("Name,Address\nAlice,sip:a@b\n", NULL, &not_vcard));
  g_assert_error (not_vcard, MT_VCARD_ERROR, MT_VCARD_ERROR_NOT_VCARD);
}

static void
test_write_folds_and_escapes (void)
{
  const char *addresses[] = { "sip:a-very-long-user-name-that-goes-on-and-on@sip.example.org;transport=tls", NULL };
  g_autoptr(MtContact) contact = mt_contact_new (NULL, "张三, the \"boss\"; ok", addresses);
  g_autofree char *text = mt_vcard_write (&contact, 1);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  g_autoptr(MtContact) back = parse_one (text);

  for (guint i = 0; lines[i]; i++)
    g_assert_cmpuint (strlen (lines[i]), <=, 75);
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张三\\, the \"boss\"\\; ok\r\n"));
  g_assert_true (g_str_has_suffix (text, "END:VCARD\r\n"));
  g_assert_cmpstr (mt_contact_get_name (back), ==, "张三, the \"boss\"; ok");
  g_assert_cmpstr (mt_contact_get_address (back), ==, addresses[0]);
}

static char *
store_text (void)
{
  g_autofree char *path = mt_store_path ("contacts.ini");
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, NULL);
  return text;
}

static void
test_import_export_round_trip (void)
{
  const char *file =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Erin Example\r\nIMPP:sip:erin@example.org\r\n"
    "IMPP:sip:erin@example.net\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carol No-SIP\r\nTEL:+4930123\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller;Frank;;;\r\nX-SIP:frank@192.0.2.10:5070\r\nEND:VCARD\r\n";
  const char *desk[] = { "sip:desk@example.org", NULL };
  g_autofree char *path = mt_store_path ("contacts.ini");
  g_autoptr(MtContacts) contacts = mt_contacts_new ();
  g_autoptr(MtContacts) again = NULL;
  g_autoptr(MtContacts) fresh = NULL;
  g_autoptr(MtContact) external = mt_contact_new ("eds:book:1", "Desk Top", desk);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) refused = NULL;
  g_auto(GStrv) refused_again = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *saved = NULL;
  MtContact *erin;
  guint n = 0;

  g_assert_cmpuint (mt_contacts_import (contacts, file, &refused, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (refused), ==, 1);
  g_assert_cmpstr (refused[0], ==, "“Carol No-SIP” has no SIP address.");

  /* the desktop's contacts are listed, never saved or exported */
  mt_contacts_put_external (contacts, external);
  g_assert_true (mt_contacts_find_by_uri (contacts, "desk@example.org") == external);
  mt_contacts_remove (contacts, "eds:book:1");    /* not ours to delete */
  g_assert_nonnull (mt_contacts_lookup (contacts, "eds:book:1"));
  saved = store_text ();
  g_assert_nonnull (strstr (saved, "Erin Example"));
  g_assert_null (strstr (saved, "Desk Top"));

  exported = mt_contacts_export (contacts, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_null (strstr (exported, "Desk Top"));
  g_assert_null (strstr (exported, "Carol"));

  /* importing the same again: nothing doubled */
  g_assert_cmpuint (mt_contacts_import (contacts, exported, &refused_again, NULL), ==, 0);
  g_assert_cmpuint (g_strv_length (refused_again), ==, 2);
  g_assert_cmpstr (refused_again[0], ==, "“Erin Example” is already in your contacts.");

  /* kept across a restart */
  again = mt_contacts_new ();
  erin = mt_contacts_find_by_uri (again, "sip:erin@example.net");
  g_assert_nonnull (erin);
  g_assert_cmpstr (mt_contact_get_name (erin), ==, "Erin Example");

  /* the export into an empty address book: the same names and addresses */
  g_assert_cmpint (g_unlink (path), ==, 0);
  fresh = mt_contacts_new ();
  g_assert_cmpuint (g_list_model_get_n_items (mt_contacts_get_model (fresh)), ==, 0);
  g_assert_cmpuint (mt_contacts_import (fresh, exported, NULL, &error), ==, 2);
  erin = mt_contacts_find_by_uri (fresh, "sip:erin@example.org");
  g_assert_nonnull (erin);
  g_assert_cmpstr (mt_contact_get_name (erin), ==, "Erin Example");
  g_assert_cmpstr (mt_contact_get_addresses (erin)[1], ==, "sip:erin@example.net");
  g_assert_cmpstr (mt_contact_get_name (mt_contacts_find_by_uri (fresh, "sip:frank@192.0.2.10:5070")),
                   ==, "Frank Müller");
  g_unlink (path);
}

#ifdef HAVE_LIBEBOOK
/* what we write, Evolution's own parser reads: the name and the SIP address */
static void
test_written_read_by_evcard (void)
{
  const char *addresses[] = { "sip:gina@example.org", NULL };
  g_autoptr(MtContact) contact = mt_contact_new (NULL, "Gina, Example", addresses);
  g_autofree char *text = mt_vcard_write (&contact, 1);
  EContact *card = e_contact_new_from_vcard (text);
  EVCardAttribute *impp = e_vcard_get_attribute (E_VCARD (card), "IMPP");
  g_autofree char *value = impp ? e_vcard_attribute_get_value (impp) : NULL;

  g_assert_cmpstr (e_contact_get_const (card, E_CONTACT_FULL_NAME), ==, "Gina, Example");
  g_assert_cmpstr (value, ==, "sip:gina@example.org");
  g_object_unref (card);
}
#endif

int
main (int argc, char **argv)
{
  g_autofree char *home = g_dir_make_tmp ("mt-test-vcard-XXXXXX", NULL);
  int status;

  /* before GLib reads it once and for all */
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vcard/read-forms", test_read_forms);
  g_test_add_func ("/vcard/read-folded-deduplicated", test_read_folded_and_deduplicated);
  g_test_add_func ("/vcard/refused-without-sip", test_refused_without_sip);
  g_test_add_func ("/vcard/write-folds-escapes", test_write_folds_and_escapes);
  g_test_add_func ("/vcard/import-export-round-trip", test_import_export_round_trip);
#ifdef HAVE_LIBEBOOK
  g_test_add_func ("/vcard/written-read-by-evcard", test_written_read_by_evcard);
#endif
  status = g_test_run ();
  g_rmdir (g_build_filename (home, "mtavipclient", NULL));
  g_rmdir (home);
  return status;
}
