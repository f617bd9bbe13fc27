/* mt-address-book.h: the desktop address book (GNOME Contacts, Evolution
 * Data Server): its contacts with SIP addresses, kept in MtContacts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mt-contacts.h"

G_BEGIN_DECLS

#define MT_TYPE_ADDRESS_BOOK (mt_address_book_get_type ())
G_DECLARE_FINAL_TYPE (MtAddressBook, mt_address_book, MT, ADDRESS_BOOK, GObject)

/* Connects (asynchronously) to every enabled address book of the session's
 * Evolution Data Server and keeps `contacts` up to date: cards with a SIP
 * address come in read-only (mt_contacts_put_external), go when they are
 * removed or lose it. Without EDS on the bus (or built without libebook):
 * a debug message, nothing else. */
MtAddressBook *mt_address_book_new      (MtContacts *contacts);
/* how many address books are being watched */
guint          mt_address_book_get_n_books (MtAddressBook *self);

G_END_DECLS
