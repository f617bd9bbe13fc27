/* mt-vcard.h: contacts to and from vCard text (RFC 6350, RFC 2426)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mt-contact.h"

G_BEGIN_DECLS

#define MT_VCARD_ERROR (mt_vcard_error_quark ())
GQuark mt_vcard_error_quark (void);

typedef enum {
  MT_VCARD_ERROR_NOT_VCARD,     /* no BEGIN:VCARD ... END:VCARD in the text */
  MT_VCARD_ERROR_NO_ADDRESS,    /* a card with no SIP (or H.323) address */
} MtVCardError;

/* One card (BEGIN:VCARD ... END:VCARD) as a contact with id `id` (NULL: a new
 * one): its name (FN, else N, else the first address) and its addresses
 * (IMPP:sip:, IMPP:sips:, IMPP:h323:, X-SIP, TEL;VALUE=uri:sip:). NULL with
 * MT_VCARD_ERROR_NO_ADDRESS, a sentence naming the card, when it has none. */
MtContact *mt_vcard_parse_card (const char  *card,
                                const char  *id,
                                GError     **error);

/* Every card in `text` (a .vcf file): the contacts (MtContact, new ids), and
 * in `refused` (may be NULL) a sentence for each card that has no address.
 * NULL with MT_VCARD_ERROR_NOT_VCARD when the text has no card at all. */
GPtrArray *mt_vcard_parse      (const char  *text,
                                GStrv       *refused,
                                GError     **error);

/* vCard 3.0 text for the contacts (FN, N, IMPP for each address, X-SIP for
 * SIP ones), CRLF line ends, lines folded at 75 octets */
char      *mt_vcard_write      (MtContact * const *contacts,
                                guint              n_contacts);

G_END_DECLS
