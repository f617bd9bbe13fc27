/* mt-h323-endpoint.c: an H.323 endpoint without a gatekeeper
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-h323"

#include "config.h"

#include <string.h>
#include <stdlib.h>
#include <gio/gio.h>

#include "mt-h323-connection.h"
#include "mt-h323-endpoint.h"

#define RING_TIMEOUT_S 60
/* connections at once, most of them idle until their Setup times out: more
 * are closed as they come */
#define MAX_CONNECTIONS 32

struct _MtH323Endpoint
{
  GObject             parent_instance;

  GSocketService     *service;
  guint               port;
  GPtrArray          *connections;     /* of MtH323Connection*, owned */
  MtMediaConfig      *media_config;
  char               *alias;
  guint               ring_timeout_s;
  guint               next_id;
  gboolean            fast_start;
};

G_DEFINE_FINAL_TYPE (MtH323Endpoint, mt_h323_endpoint, G_TYPE_OBJECT)

enum {
  SIGNAL_CALL_ADDED,
  SIGNAL_INCOMING_CALL,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ---- addresses ---------------------------------------------------------------- */

gboolean
mt_h323_uri_is_h323 (const char *uri)
{
  return uri != NULL && g_ascii_strncasecmp (uri, "h323:", 5) == 0;
}

static gboolean
bad_uri (GError **error, const char *uri, const char *why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "“%s” is not an H.323 address: %s", uri, why);
  return FALSE;
}

gboolean
mt_h323_uri_parse (const char *uri, char **user, char **host, guint *port, GError **error)
{
  g_autofree char *rest = NULL;
  char *at, *p, *end;
  g_autofree char *unescaped_user = NULL;

  g_return_val_if_fail (uri != NULL, FALSE);

  *user = NULL;
  *host = NULL;
  *port = MT_H323_DEFAULT_PORT;
  if (!mt_h323_uri_is_h323 (uri))
    return bad_uri (error, uri, "it does not start with h323:");
  rest = g_strdup (uri + 5);
  if (rest[0] == '/' && rest[1] == '/')      /* h323://host: tolerated */
    memmove (rest, rest + 2, strlen (rest + 2) + 1);
  if ((p = strpbrk (rest, ";?")))
    *p = '\0';
  if ((at = strrchr (rest, '@')))
    {
      *at = '\0';
      unescaped_user = g_uri_unescape_string (rest, NULL);
      if (unescaped_user == NULL || *unescaped_user == '\0' ||
          !g_utf8_validate (unescaped_user, -1, NULL) || strlen (unescaped_user) > 256)
        return bad_uri (error, uri, "the user part is not valid");
      p = at + 1;
    }
  else
    p = rest;
  if (*p == '[')
    {
      end = strchr (p, ']');
      if (end == NULL)
        return bad_uri (error, uri, "an IPv6 address lacks its “]”");
      *end = '\0';
      *host = g_strdup (p + 1);
      p = end + 1;
    }
  else
    {
      end = strchr (p, ':');
      *host = g_strndup (p, end ? (gsize) (end - p) : strlen (p));
      p = end ? end : p + strlen (p);
    }
  if (**host == '\0' || strspn (*host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789.-_:") != strlen (*host))
    {
      g_clear_pointer (host, g_free);
      return bad_uri (error, uri, "it names no host");
    }
  if (*p == ':')
    {
      char *tail = NULL;
      guint64 value = g_ascii_strtoull (p + 1, &tail, 10);

      if (tail == p + 1 || *tail != '\0' || value == 0 || value > 65535)
        {
          g_clear_pointer (host, g_free);
          return bad_uri (error, uri, "the port is not a number from 1 to 65535");
        }
      *port = (guint) value;
    }
  else if (*p != '\0')
    {
      g_clear_pointer (host, g_free);
      return bad_uri (error, uri, "unexpected text after the host");
    }
  *user = g_steal_pointer (&unescaped_user);
  return TRUE;
}

/* ---- connections ------------------------------------------------------------------ */

static void
conn_call_created (MtH323Connection *conn, MtCall *call, gpointer user_data)
{
  MtH323Endpoint *self = user_data;

  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, call);
  if (mt_call_get_direction (call) == MT_CALL_DIRECTION_INCOMING)
    g_signal_emit (self, signals[SIGNAL_INCOMING_CALL], 0, call);
}

static void
conn_closed (MtH323Connection *conn, gpointer user_data)
{
  MtH323Endpoint *self = user_data;

  g_ptr_array_remove (self->connections, conn);
}

static gboolean
conn_busy (MtH323Connection *conn, gpointer user_data)
{
  MtH323Endpoint *self = user_data;

  for (guint i = 0; i < self->connections->len; i++)
    {
      MtH323Connection *other = g_ptr_array_index (self->connections, i);
      MtCall *call = mt_h323_connection_get_call (other);

      if (other != conn && call && mt_call_get_state (call) != MT_CALL_STATE_ENDED)
        return TRUE;
    }
  return FALSE;
}

static const MtH323ConnectionHooks hooks = {
  .call_created = conn_call_created,
  .closed = conn_closed,
  .busy = conn_busy,
};

static void
fill_setup (MtH323Endpoint *self, MtH323ConnectionSetup *setup, char *id)
{
  setup->hooks = &hooks;
  setup->user_data = self;
  setup->media_config = self->media_config;
  setup->alias = self->alias;
  setup->ring_timeout_s = self->ring_timeout_s;
  setup->call_id = id;
  setup->fast_start = self->fast_start;
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *socket,
             GObject           *source,
             gpointer           user_data)
{
  MtH323Endpoint *self = user_data;
  MtH323ConnectionSetup setup;
  g_autofree char *id = NULL;

  if (self->connections->len >= MAX_CONNECTIONS)
    {
      g_message ("H.323: %u connections already, closing a new one", self->connections->len);
      g_io_stream_close (G_IO_STREAM (socket), NULL, NULL);
      return TRUE;
    }
  id = g_strdup_printf ("h323-%u", self->next_id++);
  fill_setup (self, &setup, id);
  g_ptr_array_add (self->connections, mt_h323_connection_new_incoming (&setup, socket));
  return TRUE;
}

/* ---- public -------------------------------------------------------------------------- */

static gboolean
parse_listen (const char *listen, char **host, guint *port, GError **error)
{
  const char *colon = strrchr (listen, ':');
  const char *port_text = colon ? colon + 1 : listen;
  char *tail = NULL;
  guint64 value = g_ascii_strtoull (port_text, &tail, 10);

  if (*port_text == '\0' || tail == port_text || *tail != '\0' || value > 65535)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a port or HOST:PORT to listen on", listen);
      return FALSE;
    }
  *port = (guint) value;
  if (colon == NULL || colon == listen)
    *host = g_strdup ("0.0.0.0");
  else if (listen[0] == '[' && colon[-1] == ']')
    *host = g_strndup (listen + 1, (gsize) (colon - listen) - 2);
  else
    *host = g_strndup (listen, (gsize) (colon - listen));
  return TRUE;
}

MtH323Endpoint *
mt_h323_endpoint_new (const char *listen, GError **error)
{
  g_autoptr(MtH323Endpoint) self = g_object_new (MT_TYPE_H323_ENDPOINT, NULL);
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  guint port;

  if (listen == NULL)
    return g_steal_pointer (&self);
  if (!parse_listen (listen, &host, &port, error))
    return NULL;
  if (!(inet = g_inet_address_new_from_string (host)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address to listen on", host);
      return NULL;
    }
  address = g_inet_socket_address_new (inet, (guint16) port);
  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, error))
    return NULL;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
  g_socket_service_start (self->service);
  return g_steal_pointer (&self);
}

guint
mt_h323_endpoint_get_port (MtH323Endpoint *self)
{
  g_return_val_if_fail (MT_IS_H323_ENDPOINT (self), 0);
  return self->port;
}

void
mt_h323_endpoint_set_media_config (MtH323Endpoint *self, const MtMediaConfig *config)
{
  g_return_if_fail (MT_IS_H323_ENDPOINT (self));
  g_return_if_fail (config != NULL);

  mt_media_config_free (self->media_config);
  self->media_config = mt_media_config_copy (config);
}

void
mt_h323_endpoint_set_alias (MtH323Endpoint *self, const char *alias)
{
  g_return_if_fail (MT_IS_H323_ENDPOINT (self));
  g_return_if_fail (alias != NULL && *alias != '\0');

  g_free (self->alias);
  self->alias = g_strdup (alias);
}

void
mt_h323_endpoint_set_ring_timeout (MtH323Endpoint *self, guint seconds)
{
  g_return_if_fail (MT_IS_H323_ENDPOINT (self));
  self->ring_timeout_s = seconds;
}

void
mt_h323_endpoint_set_fast_start (MtH323Endpoint *self, gboolean enabled)
{
  g_return_if_fail (MT_IS_H323_ENDPOINT (self));
  self->fast_start = !!enabled;
}

guint
mt_h323_endpoint_count_calls (MtH323Endpoint *self)
{
  guint n = 0;

  g_return_val_if_fail (MT_IS_H323_ENDPOINT (self), 0);

  for (guint i = 0; i < self->connections->len; i++)
    {
      MtCall *call = mt_h323_connection_get_call (g_ptr_array_index (self->connections, i));

      if (call && mt_call_get_state (call) != MT_CALL_STATE_ENDED)
        n++;
    }
  return n;
}

MtCall *
mt_h323_endpoint_call (MtH323Endpoint *self, const char *uri, gboolean video, GError **error)
{
  MtH323ConnectionSetup setup;
  MtH323Connection *conn;
  g_autofree char *id = NULL;
  MtCall *call;

  g_return_val_if_fail (MT_IS_H323_ENDPOINT (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  if (mt_h323_endpoint_count_calls (self) > 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           "Hang up the current call before making another one.");
      return NULL;
    }
  id = g_strdup_printf ("h323-%u", self->next_id++);
  fill_setup (self, &setup, id);
  conn = mt_h323_connection_new_outgoing (&setup, uri, video, error);
  if (conn == NULL)
    return NULL;
  g_ptr_array_add (self->connections, conn);
  call = mt_h323_connection_get_call (conn);
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, call);
  return call;
}

void
mt_h323_endpoint_hangup_all (MtH323Endpoint *self)
{
  g_autoptr(GPtrArray) copy = NULL;

  g_return_if_fail (MT_IS_H323_ENDPOINT (self));

  copy = g_ptr_array_copy (self->connections, NULL, NULL);
  for (guint i = 0; i < copy->len; i++)
    mt_h323_connection_hangup (g_ptr_array_index (copy, i));
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
mt_h323_endpoint_dispose (GObject *object)
{
  MtH323Endpoint *self = MT_H323_ENDPOINT (object);

  if (self->service)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_signal_handlers_disconnect_by_data (self->service, self);
    }
  g_clear_object (&self->service);
  if (self->connections)
    g_ptr_array_set_size (self->connections, 0);
  G_OBJECT_CLASS (mt_h323_endpoint_parent_class)->dispose (object);
}

static void
mt_h323_endpoint_finalize (GObject *object)
{
  MtH323Endpoint *self = MT_H323_ENDPOINT (object);

  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_pointer (&self->media_config, mt_media_config_free);
  g_free (self->alias);
  G_OBJECT_CLASS (mt_h323_endpoint_parent_class)->finalize (object);
}

static void
mt_h323_endpoint_class_init (MtH323EndpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mt_h323_endpoint_dispose;
  object_class->finalize = mt_h323_endpoint_finalize;

  /* every call, as MtAccount's */
  signals[SIGNAL_CALL_ADDED] =
    g_signal_new ("call-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, MT_TYPE_CALL);
  /* a call that rings here */
  signals[SIGNAL_INCOMING_CALL] =
    g_signal_new ("incoming-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, MT_TYPE_CALL);
}

static void
mt_h323_endpoint_init (MtH323Endpoint *self)
{
  const char *user = g_get_user_name ();

  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_h323_connection_free);
  self->media_config = mt_media_config_new ();
  self->alias = g_strdup (user && *user && strcmp (user, "unknown") != 0 ? user : "mtavip");
  self->ring_timeout_s = RING_TIMEOUT_S;
  self->next_id = 1;
  self->fast_start = TRUE;
}
