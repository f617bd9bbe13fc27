/* mt-sip-conns.c: a cap on the connections others opened to us
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-sip"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "mt-sip-conns.h"

typedef struct {
  int     fd;
  guint32 idle_ms;
} Conn;

static guint16
port_of (const struct sockaddr_storage *address)
{
  if (address->ss_family == AF_INET)
    return g_ntohs (((const struct sockaddr_in *) address)->sin_port);
  if (address->ss_family == AF_INET6)
    return g_ntohs (((const struct sockaddr_in6 *) address)->sin6_port);
  return 0;
}

/* A connection someone opened to `listen_port` (ours go out from other
 * ports): its peer and how long nothing went either way */
static gboolean
accepted_connection (int fd, guint listen_port, GInetAddress **peer, guint32 *idle_ms)
{
  struct sockaddr_storage local, remote;
  socklen_t local_len = sizeof local, remote_len = sizeof remote;
  struct tcp_info info;
  socklen_t len = sizeof info;
  int type = 0, listening = 0;
  socklen_t int_len = sizeof type;
  g_autoptr(GSocketAddress) address = NULL;

  if (getsockopt (fd, SOL_SOCKET, SO_TYPE, &type, &int_len) != 0 || type != SOCK_STREAM)
    return FALSE;
  int_len = sizeof listening;
  if (getsockopt (fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &int_len) != 0 || listening)
    return FALSE;
  if (getsockname (fd, (struct sockaddr *) &local, &local_len) != 0 ||
      port_of (&local) != listen_port ||
      getpeername (fd, (struct sockaddr *) &remote, &remote_len) != 0 ||
      getsockopt (fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
    return FALSE;
  address = g_socket_address_new_from_native (&remote, remote_len);
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return FALSE;
  *peer = g_object_ref (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  *idle_ms = MIN (info.tcpi_last_data_recv, info.tcpi_last_data_sent);
  return TRUE;
}

static int
longest_idle_first (gconstpointer a, gconstpointer b)
{
  const Conn *x = a, *y = b;

  return x->idle_ms < y->idle_ms ? 1 : x->idle_ms > y->idle_ms ? -1 : 0;
}

static GArray *
list_connections (guint listen_port, MtSipConnKeepFunc keep, gpointer user_data)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  GArray *conns = g_array_new (FALSE, FALSE, sizeof (Conn));
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autoptr(GInetAddress) peer = NULL;
      Conn conn = { .fd = atoi (name) };

      if (conn.fd <= 2 || !accepted_connection (conn.fd, listen_port, &peer, &conn.idle_ms))
        continue;
      if (keep && keep (peer, user_data))
        continue;
      g_array_append_val (conns, conn);
    }
  return conns;
}

guint
mt_sip_conns_trim (guint              listen_port,
                   guint              max_connections,
                   guint              min_idle_ms,
                   MtSipConnKeepFunc  keep,
                   gpointer           user_data)
{
  g_autoptr(GArray) conns = NULL;
  guint closed = 0;

  g_return_val_if_fail (listen_port > 0 && listen_port <= G_MAXUINT16, 0);

  conns = list_connections (listen_port, keep, user_data);
  if (conns->len <= max_connections)
    return 0;
  g_array_sort (conns, longest_idle_first);
  for (guint i = 0; i < conns->len - max_connections; i++)
    {
      const Conn *conn = &g_array_index (conns, Conn, i);

      if (conn->idle_ms < min_idle_ms)
        break;
      /* Sofia reads the end of the connection and closes it itself */
      if (shutdown (conn->fd, SHUT_RDWR) == 0)
        closed++;
      else
        g_debug ("shutdown(%d): %s", conn->fd, g_strerror (errno));
    }
  if (closed)
    g_debug ("%u of %u incoming connections closed, idle longest first", closed, conns->len);
  return closed;
}
