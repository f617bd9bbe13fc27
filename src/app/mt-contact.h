/* mt-contact.h: one person in the address book
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MT_TYPE_CONTACT (mt_contact_get_type ())
G_DECLARE_FINAL_TYPE (MtContact, mt_contact, MT, CONTACT, GObject)

MtContact          *mt_contact_new           (const char         *id,
                                              const char         *name,
                                              const char * const *addresses);
const char         *mt_contact_get_id        (MtContact *self);
const char         *mt_contact_get_name      (MtContact *self);
void                mt_contact_set_name      (MtContact *self, const char *name);
const char * const *mt_contact_get_addresses (MtContact *self);
void                mt_contact_set_addresses (MtContact *self, const char * const *addresses);
/* the first address */
const char         *mt_contact_get_address   (MtContact *self);
/* the built-in echo test: not stored, cannot be edited */
gboolean            mt_contact_get_builtin   (MtContact *self);
void                mt_contact_set_builtin   (MtContact *self, gboolean builtin);

/* the address of the account calls to this contact go out on by default;
 * NULL: the first account */
const char         *mt_contact_get_account   (MtContact *self);
void                mt_contact_set_account   (MtContact *self, const char *account);

/* from the desktop address book (GNOME Contacts): shown and called, never
 * stored, edited or deleted here */
gboolean            mt_contact_get_read_only (MtContact *self);
void                mt_contact_set_read_only (MtContact *self, gboolean read_only);

G_END_DECLS
