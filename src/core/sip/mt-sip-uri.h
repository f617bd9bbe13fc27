/* mt-sip-uri.h: turn what a person typed into a SIP URI, or say what is wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MT_SIP_URI_ERROR (mt_sip_uri_error_quark ())
GQuark mt_sip_uri_error_quark (void);

typedef enum {
  MT_SIP_URI_ERROR_EMPTY,
  MT_SIP_URI_ERROR_SCHEME,
  MT_SIP_URI_ERROR_HOST,
  MT_SIP_URI_ERROR_PORT,
  MT_SIP_URI_ERROR_SYNTAX,
} MtSipUriError;

/* Accepts "bob@example.org", "sip:bob@example.org", "sips:...", "192.0.2.4",
 * "bob@127.0.0.1:5070;transport=tcp", "tel:+4930123" (needs default_domain).
 * Returns "sip:bob@example.org" etc., or NULL with an error whose message
 * says what to fix. */
char *mt_sip_uri_normalize (const char  *input,
                            const char  *default_domain,
                            GError     **error);

/* Parts of a normalized URI (NULL/0 when absent) */
char *mt_sip_uri_get_user (const char *uri);
char *mt_sip_uri_get_host (const char *uri);
guint mt_sip_uri_get_port (const char *uri);
char *mt_sip_uri_get_param (const char *uri, const char *name);

G_END_DECLS
