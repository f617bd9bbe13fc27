/* mt-sip-conns.h: a cap on the connections others opened to us
 *
 * Sofia accepts every TCP/TLS connection to the SIP port and closes one
 * only when it has been idle for long (TPTAG_IDLE): a flood of connections
 * that send nothing would hold descriptors for minutes. This finds the
 * connections accepted on our SIP port (our own descriptors, through
 * /proc/self/fd) and, beyond a number, shuts down the ones idle longest
 * (the kernel's TCP_INFO says how long); Sofia then sees the connection end
 * and closes it itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* TRUE: never close a connection from this peer (e.g. our registrar) */
typedef gboolean (*MtSipConnKeepFunc) (GInetAddress *peer, gpointer user_data);

/* Connections accepted on `listen_port` (TCP, any address), not kept by
 * `keep` (may be NULL): when there are more than `max_connections`, the
 * surplus is shut down, the longest idle first, but only connections idle
 * for at least `min_idle_ms`. Returns how many were shut down. */
guint mt_sip_conns_trim (guint              listen_port,
                         guint              max_connections,
                         guint              min_idle_ms,
                         MtSipConnKeepFunc  keep,
                         gpointer           user_data);

G_END_DECLS
