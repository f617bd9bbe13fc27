/* mt-echo-service.h: a built-in answering service on loopback that sends
 * your own audio and video back, through a real SIP call and real RTP.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MT_TYPE_ECHO_SERVICE (mt_echo_service_get_type ())
G_DECLARE_FINAL_TYPE (MtEchoService, mt_echo_service, MT, ECHO_SERVICE, GObject)

/* Listens on 127.0.0.1 on a free port and answers every call. */
MtEchoService *mt_echo_service_new     (GError **error);
/* sip:echo@127.0.0.1:PORT */
const char    *mt_echo_service_get_uri (MtEchoService *self);
/* Stop answering, hang up, release the port. */
void           mt_echo_service_shutdown_async  (MtEchoService       *self,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       mt_echo_service_shutdown_finish (MtEchoService  *self,
                                                GAsyncResult   *result,
                                                GError        **error);

G_END_DECLS
