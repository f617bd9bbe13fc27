/* mt-address-book.c: the desktop address book
 *
 * Evolution Data Server (what GNOME Contacts writes to): ESourceRegistry
 * lists the address books, each one gets an EBookClient and a live
 * EBookClientView of all its cards. A card goes through the same vCard
 * reader as an imported file (mt-vcard.c); those with a SIP address
 * (IMPP:sip:, X-SIP) become read-only contacts with the id
 * "eds:SOURCE-UID:CONTACT-UID". Books appear and disappear with their
 * sources (added, removed, enabled, disabled).
 *
 * EDS is optional twice: at build time (libebook-1.2, HAVE_LIBEBOOK) and at
 * run time (no EDS on the session bus: our own contacts only).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-address-book"

#include "config.h"

#include "mt-address-book.h"

#ifdef HAVE_LIBEBOOK
/* its headers use GTimeVal */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook/libebook.h>
G_GNUC_END_IGNORE_DEPRECATIONS
#endif

#include "mt-vcard.h"

struct _MtAddressBook
{
  GObject          parent_instance;
  MtContacts      *contacts;
  GCancellable    *cancellable;
#ifdef HAVE_LIBEBOOK
  ESourceRegistry *registry;
  GHashTable      *books;        /* source uid -> Book */
#endif
};

G_DEFINE_FINAL_TYPE (MtAddressBook, mt_address_book, G_TYPE_OBJECT)

#ifdef HAVE_LIBEBOOK

/* ---- one address book ------------------------------------------------------------ */

typedef struct
{
  MtAddressBook   *self;          /* not a reference: the book dies first */
  char            *uid;
  EBookClient     *client;
  EBookClientView *view;
  GHashTable      *ids;           /* our ids of its contacts now listed */
} Book;

static void
book_free (Book *book)
{
  GHashTableIter iter;
  const char *id;

  g_hash_table_iter_init (&iter, book->ids);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    mt_contacts_remove_external (book->self->contacts, id);
  if (book->view)
    {
      g_signal_handlers_disconnect_by_data (book->view, book);
      e_book_client_view_stop (book->view, NULL);
    }
  g_clear_object (&book->view);
  g_clear_object (&book->client);
  g_hash_table_unref (book->ids);
  g_free (book->uid);
  g_free (book);
}

static char *
contact_id (Book *book, const char *contact_uid)
{
  return g_strdup_printf ("eds:%s:%s", book->uid, contact_uid);
}

static void
forget (Book *book, const char *contact_uid)
{
  g_autofree char *id = contact_id (book, contact_uid);

  mt_contacts_remove_external (book->self->contacts, id);
  g_hash_table_remove (book->ids, id);
}

/* added or changed: listed if it has a SIP address, else not (any more) */
static void
take (Book *book, EContact *card)
{
  const char *uid = e_contact_get_const (card, E_CONTACT_UID);
  g_autofree char *vcard = NULL;
  g_autofree char *id = NULL;
  g_autoptr(MtContact) contact = NULL;
  g_autoptr(GError) error = NULL;

  if (uid == NULL)
    return;
  vcard = e_vcard_to_string (E_VCARD (card), EVC_FORMAT_VCARD_30);
  id = contact_id (book, uid);
  if (!(contact = mt_vcard_parse_card (vcard, id, &error)))
    {
      /* no SIP address: most cards of most address books */
      forget (book, uid);
      return;
    }
  mt_contacts_put_external (book->self->contacts, contact);
  g_hash_table_add (book->ids, g_steal_pointer (&id));
}

static void
objects_changed_cb (EBookClientView *view, const GSList *cards, Book *book)
{
  for (const GSList *l = cards; l; l = l->next)
    take (book, l->data);
}

static void
objects_removed_cb (EBookClientView *view, const GSList *uids, Book *book)
{
  for (const GSList *l = uids; l; l = l->next)
    forget (book, l->data);
}

static void
view_ready_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MtAddressBook) self = user_data;
  g_autoptr(GError) error = NULL;
  EBookClientView *view = NULL;
  Book *book;

  if (!e_book_client_get_view_finish (E_BOOK_CLIENT (object), result, &view, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No view of an address book: %s", error->message);
      return;
    }
  book = self->contacts == NULL ? NULL :
         g_hash_table_lookup (self->books, e_source_get_uid (e_client_get_source (E_CLIENT (object))));
  if (book == NULL || book->client != E_BOOK_CLIENT (object))
    {
      g_object_unref (view);    /* the source went meanwhile */
      return;
    }
  book->view = view;
  g_signal_connect (view, "objects-added", G_CALLBACK (objects_changed_cb), book);
  g_signal_connect (view, "objects-modified", G_CALLBACK (objects_changed_cb), book);
  g_signal_connect (view, "objects-removed", G_CALLBACK (objects_removed_cb), book);
  e_book_client_view_start (view, &error);
  if (error)
    g_debug ("Could not watch address book %s: %s", book->uid, error->message);
  else
    g_debug ("Watching address book %s", book->uid);
}

static void
client_ready_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MtAddressBook) self = user_data;
  g_autoptr(GError) error = NULL;
  EBookQuery *query;
  g_autofree char *sexp = NULL;
  EClient *client;
  Book *book;

  if (!(client = e_book_client_connect_finish (result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not open an address book: %s", error->message);
      return;
    }
  book = self->contacts == NULL ? NULL :
         g_hash_table_lookup (self->books, e_source_get_uid (e_client_get_source (client)));
  if (book == NULL || book->client)
    {
      g_object_unref (client);
      return;
    }
  book->client = E_BOOK_CLIENT (client);
  query = e_book_query_any_field_contains ("");
  sexp = e_book_query_to_string (query);
  e_book_query_unref (query);
  e_book_client_get_view (book->client, sexp, self->cancellable, view_ready_cb,
                          g_object_ref (self));
}

static void
add_source (MtAddressBook *self, ESource *source)
{
  Book *book;

  if (!e_source_has_extension (source, E_SOURCE_EXTENSION_ADDRESS_BOOK) ||
      !e_source_registry_check_enabled (self->registry, source) ||
      g_hash_table_contains (self->books, e_source_get_uid (source)))
    return;
  book = g_new0 (Book, 1);
  book->self = self;
  book->uid = g_strdup (e_source_get_uid (source));
  book->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (self->books, book->uid, book);
  /* (guint32) -1: do not wait for "connected", a local book never says it */
  e_book_client_connect (source, (guint32) -1, self->cancellable, client_ready_cb,
                         g_object_ref (self));
}

static void
source_added_cb (ESourceRegistry *registry, ESource *source, MtAddressBook *self)
{
  add_source (self, source);
}

static void
source_removed_cb (ESourceRegistry *registry, ESource *source, MtAddressBook *self)
{
  g_hash_table_remove (self->books, e_source_get_uid (source));
}

static void
registry_ready_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MtAddressBook) self = user_data;
  g_autoptr(GError) error = NULL;
  ESourceRegistry *registry;
  GList *sources;

  if (!(registry = e_source_registry_new_finish (result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No desktop address book (Evolution Data Server): %s", error->message);
      return;
    }
  if (self->contacts == NULL)     /* disposed meanwhile */
    {
      g_object_unref (registry);
      return;
    }
  self->registry = registry;
  g_signal_connect (registry, "source-added", G_CALLBACK (source_added_cb), self);
  g_signal_connect (registry, "source-enabled", G_CALLBACK (source_added_cb), self);
  g_signal_connect (registry, "source-removed", G_CALLBACK (source_removed_cb), self);
  g_signal_connect (registry, "source-disabled", G_CALLBACK (source_removed_cb), self);
  /* the registry comes up even with no EDS on the bus (it would follow one
   * that starts later); EDS itself always has its built-in sources */
  sources = e_source_registry_list_sources (registry, NULL);
  if (sources == NULL)
    g_debug ("No desktop address book (Evolution Data Server): no sources on the session bus");
  g_list_free_full (sources, g_object_unref);
  sources = e_source_registry_list_enabled (registry, E_SOURCE_EXTENSION_ADDRESS_BOOK);
  for (GList *l = sources; l; l = l->next)
    add_source (self, l->data);
  g_list_free_full (sources, g_object_unref);
}

static void
start (MtAddressBook *self)
{
  self->books = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) book_free);
  e_source_registry_new (self->cancellable, registry_ready_cb, g_object_ref (self));
}

static void
stop (MtAddressBook *self)
{
  if (self->registry)
    g_signal_handlers_disconnect_by_data (self->registry, self);
  g_clear_pointer (&self->books, g_hash_table_unref);
  g_clear_object (&self->registry);
}

#else /* !HAVE_LIBEBOOK */

static void
start (MtAddressBook *self)
{
  g_debug ("No desktop address book: built without libebook-1.2");
}

static void
stop (MtAddressBook *self)
{
}

#endif

/* ---- the object ------------------------------------------------------------------- */

/* g_object_run_dispose() stops it while a connection is still pending (the
 * pending calls hold references) */
static void
mt_address_book_dispose (GObject *object)
{
  MtAddressBook *self = MT_ADDRESS_BOOK (object);

  g_cancellable_cancel (self->cancellable);
  if (self->contacts)
    stop (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->contacts);
  G_OBJECT_CLASS (mt_address_book_parent_class)->dispose (object);
}

static void
mt_address_book_class_init (MtAddressBookClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mt_address_book_dispose;
}

static void
mt_address_book_init (MtAddressBook *self)
{
  self->cancellable = g_cancellable_new ();
}

MtAddressBook *
mt_address_book_new (MtContacts *contacts)
{
  MtAddressBook *self;

  g_return_val_if_fail (MT_IS_CONTACTS (contacts), NULL);
  self = g_object_new (MT_TYPE_ADDRESS_BOOK, NULL);
  self->contacts = g_object_ref (contacts);
  start (self);
  return self;
}

guint
mt_address_book_get_n_books (MtAddressBook *self)
{
  g_return_val_if_fail (MT_IS_ADDRESS_BOOK (self), 0);
#ifdef HAVE_LIBEBOOK
  return self->books ? g_hash_table_size (self->books) : 0;
#else
  return 0;
#endif
}
