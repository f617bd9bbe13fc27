/* mt-contacts.c: the address book
 *
 * Stored as a keyfile, $XDG_DATA_HOME/mtavipclient/contacts.ini, replaced
 * atomically on every change (see mt-store.c), so a crash never loses it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-contacts"

#include "config.h"

#include "mt-contacts.h"

#include <glib/gi18n.h>

#include "mt-h323-endpoint.h"
#include "mt-sip-uri.h"
#include "mt-store.h"
#include "mt-vcard.h"

#define CONTACTS_FILE "contacts.ini"
#define ECHO_ID "builtin-echo-test"

struct _MtContacts
{
  GObject     parent_instance;
  GListStore *store;
};

G_DEFINE_FINAL_TYPE (MtContacts, mt_contacts, G_TYPE_OBJECT)

enum {
  SIGNAL_SAVE_FAILED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
mt_contacts_save (MtContacts *self)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MtContact) contact = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const char * const *addresses = mt_contact_get_addresses (contact);

      if (mt_contact_get_builtin (contact) || mt_contact_get_read_only (contact))
        continue;
      g_key_file_set_string (keyfile, mt_contact_get_id (contact), "name",
                             mt_contact_get_name (contact));
      g_key_file_set_string_list (keyfile, mt_contact_get_id (contact), "addresses",
                                  addresses, g_strv_length ((GStrv) addresses));
      if (mt_contact_get_account (contact))
        g_key_file_set_string (keyfile, mt_contact_get_id (contact), "account",
                               mt_contact_get_account (contact));
    }
  if (!mt_store_save (CONTACTS_FILE, keyfile, &error))
    {
      g_warning ("Could not save the contacts: %s", error->message);
      g_signal_emit (self, signals[SIGNAL_SAVE_FAILED], 0, error->message);
    }
}

static void
mt_contacts_load (MtContacts *self)
{
  g_autoptr(GKeyFile) keyfile = mt_store_load (CONTACTS_FILE);
  g_auto(GStrv) groups = g_key_file_get_groups (keyfile, NULL);

  for (guint i = 0; groups[i]; i++)
    {
      g_autofree char *name = g_key_file_get_string (keyfile, groups[i], "name", NULL);
      g_auto(GStrv) addresses = g_key_file_get_string_list (keyfile, groups[i], "addresses",
                                                            NULL, NULL);
      g_autoptr(MtContact) contact = NULL;

      if (name == NULL || addresses == NULL || addresses[0] == NULL)
        continue;
      g_autofree char *account = g_key_file_get_string (keyfile, groups[i], "account", NULL);

      contact = mt_contact_new (groups[i], name, (const char * const *) addresses);
      mt_contact_set_account (contact, account);
      g_list_store_append (self->store, contact);
    }
}

static void
mt_contacts_dispose (GObject *object)
{
  MtContacts *self = MT_CONTACTS (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (mt_contacts_parent_class)->dispose (object);
}

static void
mt_contacts_class_init (MtContactsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mt_contacts_dispose;

  /* Saving failed (a full disk, say): what is in memory stays and goes with the
   * next save, the file keeps what was saved before. The argument: why. */
  signals[SIGNAL_SAVE_FAILED] =
    g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mt_contacts_init (MtContacts *self)
{
  self->store = g_list_store_new (MT_TYPE_CONTACT);
}

MtContacts *
mt_contacts_new (void)
{
  MtContacts *self = g_object_new (MT_TYPE_CONTACTS, NULL);

  mt_contacts_load (self);
  return self;
}

GListModel *
mt_contacts_get_model (MtContacts *self)
{
  g_return_val_if_fail (MT_IS_CONTACTS (self), NULL);
  return G_LIST_MODEL (self->store);
}

MtContact *
mt_contacts_add (MtContacts *self, const char *name, const char * const *addresses)
{
  g_autoptr(MtContact) contact = NULL;

  g_return_val_if_fail (MT_IS_CONTACTS (self), NULL);
  g_return_val_if_fail (name != NULL && addresses != NULL && addresses[0] != NULL, NULL);

  contact = mt_contact_new (NULL, name, addresses);
  g_list_store_append (self->store, contact);
  mt_contacts_save (self);
  return contact;
}

static gboolean
find_position (MtContacts *self, MtContact *contact, guint *position)
{
  return g_list_store_find (self->store, contact, position);
}

void
mt_contacts_update (MtContacts         *self,
                    MtContact          *contact,
                    const char         *name,
                    const char * const *addresses)
{
  guint position;

  g_return_if_fail (MT_IS_CONTACTS (self));
  g_return_if_fail (MT_IS_CONTACT (contact));

  mt_contact_set_name (contact, name);
  mt_contact_set_addresses (contact, addresses);
  /* tell the sorter and filter that the item changed */
  if (find_position (self, contact, &position))
    g_list_model_items_changed (G_LIST_MODEL (self->store), position, 1, 1);
  mt_contacts_save (self);
}

void
mt_contacts_remove (MtContacts *self, const char *id)
{
  MtContact *contact;
  guint position;

  g_return_if_fail (MT_IS_CONTACTS (self));
  contact = mt_contacts_lookup (self, id);
  if (contact == NULL || mt_contact_get_builtin (contact) || mt_contact_get_read_only (contact))
    return;
  if (find_position (self, contact, &position))
    g_list_store_remove (self->store, position);
  mt_contacts_save (self);
}

MtContact *
mt_contacts_lookup (MtContacts *self, const char *id)
{
  guint n;

  g_return_val_if_fail (MT_IS_CONTACTS (self), NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MtContact) contact = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (mt_contact_get_id (contact), id) == 0)
        return contact;   /* the store keeps it alive */
    }
  return NULL;
}

/* h323:user@host and h323:host: the protocol, the user and the host
 * (not the port: a caller's comes from anywhere) */
static char *
h323_uri_key (const char *uri)
{
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  g_autofree char *key = NULL;
  guint port;

  if (!mt_h323_uri_parse (uri, &user, &host, &port, NULL))
    return NULL;
  key = user ? g_strdup_printf ("h323:%s@%s", user, host) : g_strdup_printf ("h323:%s", host);
  return g_ascii_strdown (key, -1);
}

static char *
uri_key (const char *uri)
{
  g_autofree char *normal = mt_sip_uri_normalize (uri, NULL, NULL);
  g_autofree char *user = normal ? mt_sip_uri_get_user (normal) : NULL;
  g_autofree char *host = normal ? mt_sip_uri_get_host (normal) : NULL;

  g_autofree char *key = NULL;

  if (uri && mt_h323_uri_is_h323 (uri))
    return h323_uri_key (uri);
  if (host == NULL)
    return NULL;
  key = user ? g_strdup_printf ("%s@%s", user, host) : g_strdup (host);
  return g_ascii_strdown (key, -1);
}

MtContact *
mt_contacts_find_by_uri (MtContacts *self, const char *uri)
{
  g_autofree char *key = NULL;
  guint n;

  g_return_val_if_fail (MT_IS_CONTACTS (self), NULL);
  if (uri == NULL || !(key = uri_key (uri)))
    return NULL;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MtContact) contact = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const char * const *addresses = mt_contact_get_addresses (contact);

      for (guint j = 0; addresses[j]; j++)
        {
          g_autofree char *other = uri_key (addresses[j]);

          if (g_strcmp0 (key, other) == 0)
            return contact;
        }
    }
  return NULL;
}

void
mt_contacts_set_echo_uri (MtContacts *self, const char *uri)
{
  const char *addresses[] = { uri, NULL };
  MtContact *echo;

  g_return_if_fail (MT_IS_CONTACTS (self));
  g_return_if_fail (uri != NULL);

  echo = mt_contacts_lookup (self, ECHO_ID);
  if (echo)
    {
      mt_contact_set_addresses (echo, addresses);
      return;
    }
  echo = mt_contact_new (ECHO_ID, _("Echo test"), addresses);
  mt_contact_set_builtin (echo, TRUE);
  g_list_store_append (self->store, echo);
  g_object_unref (echo);
}

void
mt_contacts_put_external (MtContacts *self, MtContact *contact)
{
  MtContact *old;
  guint position;

  g_return_if_fail (MT_IS_CONTACTS (self));
  g_return_if_fail (MT_IS_CONTACT (contact));

  mt_contact_set_read_only (contact, TRUE);
  old = mt_contacts_lookup (self, mt_contact_get_id (contact));
  if (old && find_position (self, old, &position))
    g_list_store_splice (self->store, position, 1, (gpointer *) &contact, 1);
  else
    g_list_store_append (self->store, contact);
}

void
mt_contacts_remove_external (MtContacts *self, const char *id)
{
  MtContact *contact;
  guint position;

  g_return_if_fail (MT_IS_CONTACTS (self));
  contact = mt_contacts_lookup (self, id);
  if (contact && mt_contact_get_read_only (contact) && find_position (self, contact, &position))
    g_list_store_remove (self->store, position);
}

/* one of ours (not the desktop's) already has this address */
static MtContact *
find_own (MtContacts *self, const char *uri)
{
  MtContact *contact = mt_contacts_find_by_uri (self, uri);

  return contact && !mt_contact_get_read_only (contact) ? contact : NULL;
}

guint
mt_contacts_import (MtContacts *self, const char *text, GStrv *refused, GError **error)
{
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GStrvBuilder) refusals = g_strv_builder_new ();
  g_auto(GStrv) not_cards = NULL;
  guint added = 0;

  g_return_val_if_fail (MT_IS_CONTACTS (self), 0);
  g_return_val_if_fail (text != NULL, 0);

  if (!(contacts = mt_vcard_parse (text, &not_cards, error)))
    return 0;
  g_strv_builder_addv (refusals, (const char **) not_cards);
  for (guint i = 0; i < contacts->len; i++)
    {
      MtContact *contact = g_ptr_array_index (contacts, i);
      MtContact *own = find_own (self, mt_contact_get_address (contact));

      if (own)
        {
          /* Translators: %s is a contact's name in a vCard file being imported */
          g_autofree char *why = g_strdup_printf (_("“%s” is already in your contacts."),
                                                  mt_contact_get_name (contact));

          g_strv_builder_add (refusals, why);
          continue;
        }
      g_list_store_append (self->store, contact);
      added++;
    }
  if (added > 0)
    mt_contacts_save (self);
  if (refused)
    *refused = g_strv_builder_end (refusals);
  return added;
}

char *
mt_contacts_export (MtContacts *self, guint *n_exported)
{
  g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_val_if_fail (MT_IS_CONTACTS (self), NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      MtContact *contact = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (mt_contact_get_builtin (contact) || mt_contact_get_read_only (contact))
        g_object_unref (contact);
      else
        g_ptr_array_add (own, contact);
    }
  if (n_exported)
    *n_exported = own->len;
  return mt_vcard_write ((MtContact * const *) own->pdata, own->len);
}
