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

G_END_DECLS
