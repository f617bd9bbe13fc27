/* mt-contacts.h: the address book, a GListModel of MtContact, stored on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mt-contact.h"

G_BEGIN_DECLS

#define MT_TYPE_CONTACTS (mt_contacts_get_type ())
G_DECLARE_FINAL_TYPE (MtContacts, mt_contacts, MT, CONTACTS, GObject)

MtContacts *mt_contacts_new        (void);
/* a GListModel of MtContact (unsorted; the window sorts and filters) */
GListModel *mt_contacts_get_model  (MtContacts *self);
MtContact  *mt_contacts_add        (MtContacts         *self,
                                    const char         *name,
                                    const char * const *addresses);
void        mt_contacts_update     (MtContacts         *self,
                                    MtContact          *contact,
                                    const char         *name,
                                    const char * const *addresses);
void        mt_contacts_remove     (MtContacts *self, const char *id);
MtContact  *mt_contacts_lookup     (MtContacts *self, const char *id);
/* the contact one of whose addresses matches `uri` (user@host compared), or NULL */
MtContact  *mt_contacts_find_by_uri (MtContacts *self, const char *uri);
/* the built-in "Echo test" entry */
void        mt_contacts_set_echo_uri (MtContacts *self, const char *uri);

/* contacts from the desktop address book (mt-address-book.c), read-only:
 * listed, found and called like ours, never saved; put replaces the one with
 * the same id */
void        mt_contacts_put_external    (MtContacts *self, MtContact *contact);
void        mt_contacts_remove_external (MtContacts *self, const char *id);

/* vCard: the cards in `text` that have a SIP address become our contacts (one
 * save); `refused` (may be NULL) gets a sentence for each card that did not.
 * Returns how many were added; 0 with an error when `text` is no vCard. */
guint       mt_contacts_import (MtContacts  *self,
                                const char  *text,
                                GStrv       *refused,
                                GError     **error);
/* our own contacts (not the echo test, not the desktop's) as vCard 3.0 text */
char       *mt_contacts_export (MtContacts *self, guint *n_exported);

G_END_DECLS
