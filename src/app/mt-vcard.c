/* mt-vcard.c: contacts to and from vCard text
 *
 * What we read is what GNOME Contacts, Evolution and other phones write: a
 * SIP address as IMPP:sip:... (RFC 6350, RFC 4770), X-SIP (Evolution's
 * field) or TEL;VALUE=uri:sip:... . Lines are unfolded and text values
 * unescaped (RFC 6350 3.2, 3.4); vCard 2.1's quoted-printable is not read.
 * The same reader maps the cards the desktop address book hands us
 * (mt-address-book.c), so an imported card and a desktop one mean the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-vcard"

#include "config.h"

#include "mt-vcard.h"

#include <string.h>
#include <glib/gi18n.h>

#include "mt-h323-endpoint.h"
#include "mt-sip-uri.h"

#define FOLD_AT 75

G_DEFINE_QUARK (mt-vcard-error-quark, mt_vcard_error)

/* ---- reading ------------------------------------------------------------------ */

/* CRLF or LF, then one space or tab: a folded line goes on */
static char *
unfold (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p; p++)
    {
      if (*p == '\r' && p[1] == '\n')
        continue;
      if (*p == '\n' && (p[1] == ' ' || p[1] == '\t'))
        {
          p++;
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* "item1.IMPP;TYPE=home:sip:a@b" -> name "IMPP", params ";TYPE=home", value */
static gboolean
split_line (const char *line, char **name, char **params, char **value)
{
  gboolean quoted = FALSE;
  const char *colon = NULL;
  const char *end_of_name;
  const char *start = line;

  for (const char *p = line; *p && !colon; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ':' && !quoted)
        colon = p;
    }
  if (colon == NULL)
    return FALSE;
  end_of_name = line + strcspn (line, ";:");
  for (const char *p = line; p < end_of_name; p++)
    if (*p == '.')
      start = p + 1;     /* a group prefix */
  *name = g_ascii_strup (start, end_of_name - start);
  *params = g_strndup (end_of_name, colon - end_of_name);
  *value = g_strdup (colon + 1);
  return TRUE;
}

/* \\ \, \; \n (RFC 6350 3.4); up to an unescaped `stop` (or the end) */
static char *
unescape (const char *text, char stop, const char **rest)
{
  GString *out = g_string_new (NULL);
  const char *p;

  for (p = text; *p && *p != stop; p++)
    {
      if (*p == '\\' && p[1])
        {
          p++;
          g_string_append_c (out, (*p == 'n' || *p == 'N') ? ' ' : *p);
        }
      else
        g_string_append_c (out, *p);
    }
  if (rest)
    *rest = *p ? p + 1 : NULL;
  return g_strstrip (g_string_free (out, FALSE));
}

/* N: family;given;additional;prefixes;suffixes -> "prefixes given additional family suffixes" */
static char *
name_from_n (const char *value)
{
  const int order[] = { 3, 1, 2, 0, 4 };
  char *parts[5] = { NULL };
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  g_auto(GStrv) joined = NULL;
  const char *rest = value;
  char *name;

  for (guint i = 0; i < 5 && rest; i++)
    parts[i] = unescape (rest, ';', &rest);
  for (guint i = 0; i < 5; i++)
    if (parts[order[i]] && *parts[order[i]])
      g_strv_builder_add (words, parts[order[i]]);
  joined = g_strv_builder_end (words);
  name = g_strjoinv (" ", joined);
  for (guint i = 0; i < 5; i++)
    g_free (parts[i]);
  return name;
}

/* a callable address from an IMPP, X-SIP or TEL value, normalized; NULL if none */
static char *
address_from (const char *property, const char *value)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (value));
  gboolean sip = g_ascii_strncasecmp (trimmed, "sip:", 4) == 0 ||
                 g_ascii_strncasecmp (trimmed, "sips:", 5) == 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  guint port;
  char *uri;

  if (g_str_equal (property, "IMPP") && mt_h323_uri_is_h323 (trimmed))
    return mt_h323_uri_parse (trimmed, &user, &host, &port, NULL) ? g_steal_pointer (&trimmed) : NULL;
  if (!sip && !g_str_equal (property, "X-SIP"))
    return NULL;    /* IMPP:xmpp:, TEL:+49..., ... */
  if (!(uri = mt_sip_uri_normalize (trimmed, NULL, &error)))
    g_debug ("Not a SIP address in %s: “%s”: %s", property, trimmed, error->message);
  return uri;
}

static void
add_address (GPtrArray *addresses, char *address)
{
  for (guint i = 0; i < addresses->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (addresses, i), address) == 0)
      {
        g_free (address);
        return;
      }
  g_ptr_array_add (addresses, address);
}

MtContact *
mt_vcard_parse_card (const char *card, const char *id, GError **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *fn = NULL;
  g_autofree char *n = NULL;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_return_val_if_fail (card != NULL, NULL);
  text = unfold (card);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *property = NULL;
      g_autofree char *params = NULL;
      g_autofree char *value = NULL;
      char *address;

      if (!split_line (lines[i], &property, &params, &value))
        continue;
      if (g_str_equal (property, "FN") && fn == NULL)
        fn = unescape (value, '\0', NULL);
      else if (g_str_equal (property, "N") && n == NULL)
        n = name_from_n (value);
      else if ((g_str_equal (property, "IMPP") || g_str_equal (property, "X-SIP") ||
                g_str_equal (property, "TEL")) && (address = address_from (property, value)))
        add_address (addresses, address);
    }
  name = fn && *fn ? fn : n && *n ? n : NULL;
  if (addresses->len == 0)
    {
      if (name)
        /* Translators: %s is a contact's name in a vCard file being imported */
        g_set_error (error, MT_VCARD_ERROR, MT_VCARD_ERROR_NO_ADDRESS,
                     _("“%s” has no SIP address."), name);
      else
        g_set_error_literal (error, MT_VCARD_ERROR, MT_VCARD_ERROR_NO_ADDRESS,
                             _("A contact without a name has no SIP address."));
      return NULL;
    }
  g_ptr_array_add (addresses, NULL);
  if (name == NULL)
    name = g_ptr_array_index (addresses, 0);
  return mt_contact_new (id, name, (const char * const *) addresses->pdata);
}

static gboolean
is_line (const char *line, const char *what)
{
  g_autofree char *upper = g_ascii_strup (line, -1);

  return g_str_equal (g_strstrip (upper), what);
}

GPtrArray *
mt_vcard_parse (const char *text, GStrv *refused, GError **error)
{
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GStrvBuilder) refusals = g_strv_builder_new ();
  g_autofree char *unfolded = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) card = NULL;
  guint depth = 0;
  guint cards = 0;

  g_return_val_if_fail (text != NULL, NULL);
  unfolded = unfold (text);
  lines = g_strsplit (unfolded, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      if (is_line (lines[i], "BEGIN:VCARD") && depth++ == 0)
        card = g_string_new (NULL);
      if (card)
        g_string_append_printf (card, "%s\n", lines[i]);
      if (is_line (lines[i], "END:VCARD") && depth > 0 && --depth == 0)
        {
          g_autoptr(GError) local_error = NULL;
          g_autofree char *one = g_string_free (g_steal_pointer (&card), FALSE);
          MtContact *contact = mt_vcard_parse_card (one, NULL, &local_error);

          cards++;
          if (contact)
            g_ptr_array_add (contacts, contact);
          else
            g_strv_builder_add (refusals, local_error->message);
        }
    }
  if (cards == 0)
    {
      g_set_error_literal (error, MT_VCARD_ERROR, MT_VCARD_ERROR_NOT_VCARD,
                           _("The file holds no contacts in vCard format."));
      return NULL;
    }
  if (refused)
    *refused = g_strv_builder_end (refusals);
  return g_steal_pointer (&contacts);
}

/* ---- writing ------------------------------------------------------------------ */

static void
escape_into (GString *out, const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (*p == '\\' || *p == ',' || *p == ';')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p != '\r')
        g_string_append_c (out, *p);
    }
}

/* one content line, folded at 75 octets (not inside a UTF-8 character) */
static void
append_line (GString *out, const char *line)
{
  const char *p = line;
  gsize room = FOLD_AT;

  while (strlen (p) > room)
    {
      const char *cut = p + room;

      while (cut > p && ((guchar) *cut & 0xc0) == 0x80)
        cut--;
      g_string_append_len (out, p, cut - p);
      g_string_append (out, "\r\n ");
      p = cut;
      room = FOLD_AT - 1;
    }
  g_string_append (out, p);
  g_string_append (out, "\r\n");
}

static void
write_card (GString *out, MtContact *contact)
{
  const char * const *addresses = mt_contact_get_addresses (contact);
  g_autoptr(GString) line = g_string_new ("FN:");

  append_line (out, "BEGIN:VCARD");
  append_line (out, "VERSION:3.0");
  escape_into (line, mt_contact_get_name (contact));
  append_line (out, line->str);
  g_string_assign (line, "N:");
  escape_into (line, mt_contact_get_name (contact));
  g_string_append (line, ";;;;");
  append_line (out, line->str);
  for (guint i = 0; addresses[i]; i++)
    {
      g_autofree char *impp = g_strconcat ("IMPP:", addresses[i], NULL);

      append_line (out, impp);
      if (!mt_h323_uri_is_h323 (addresses[i]))
        {
          g_autofree char *x_sip = g_strconcat ("X-SIP:", addresses[i], NULL);

          append_line (out, x_sip);
        }
    }
  append_line (out, "END:VCARD");
}

char *
mt_vcard_write (MtContact * const *contacts, guint n_contacts)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (contacts != NULL || n_contacts == 0, NULL);
  for (guint i = 0; i < n_contacts; i++)
    write_card (out, contacts[i]);
  return g_string_free (out, FALSE);
}
