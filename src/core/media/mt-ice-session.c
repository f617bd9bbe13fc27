/* mt-ice-session.c: one libnice agent per call (RFC 8445 full ICE)
 *
 * The agent runs on a private GMainContext in a thread of its own, so that
 * gathering (STUN and TURN round trips) can complete before the SDP is
 * written without spinning the main context under Sofia's feet. What the
 * agent reports (component states, selected pairs) is handed to the context
 * that created the session, where "changed" is emitted; nicesrc/nicesink
 * talk to the agent from GStreamer's threads (libnice is thread-safe).
 *
 * Consent freshness (RFC 7675) is libnice's: a component whose peer stops
 * answering its consent checks goes to FAILED within 30 s, and libnice stops
 * sending on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-ice"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>

#include "mt-ice-session.h"
#include "mt-media-session.h"

#define MAX_STREAMS        2
#define N_COMPONENTS       2
#define GATHER_TIMEOUT_US  (4 * G_USEC_PER_SEC)
#define DEFAULT_STUN_PORT  3478
#define CLOSE_TIMEOUT_MS   500

typedef struct {
  guint               id;            /* libnice stream id */
  NiceComponentState  state;         /* of component 1 (RTP) */
  gboolean            uses_ice;      /* remote credentials set */
  gboolean            plain;         /* a peer without ICE */
  char               *remote_ufrag;
  char               *remote_pwd;
  char               *local_type;
  char               *remote_type;
} IceStream;

struct _MtIceSession
{
  GObject        parent_instance;

  GMainContext  *owner;          /* where "changed" is emitted */
  GMainContext  *context;        /* the agent's */
  GMainLoop     *loop;
  GThread       *thread;
  NiceAgent     *agent;
  guint          n_streams;
  IceStream      streams[MAX_STREAMS];
  GMutex         lock;           /* gathering_left */
  GCond          cond;
  guint          gathering_left;
};

G_DEFINE_FINAL_TYPE (MtIceSession, mt_ice_session, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ---- the agent's thread ------------------------------------------------ */

static gpointer
agent_thread (gpointer data)
{
  MtIceSession *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static void
gathering_done_cb (NiceAgent *agent, guint stream_id, gpointer user_data)
{
  MtIceSession *self = user_data;

  g_mutex_lock (&self->lock);
  if (self->gathering_left > 0)
    self->gathering_left--;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

typedef struct {
  MtIceSession       *self;
  guint               stream_id;
  guint               component;
  NiceComponentState  state;       /* G_MAXUINT: a selected pair */
  char               *local_type;
  char               *remote_type;
} Report;

static void
report_free (gpointer data)
{
  Report *report = data;

  g_object_unref (report->self);
  g_free (report->local_type);
  g_free (report->remote_type);
  g_free (report);
}

static IceStream *
stream_by_id (MtIceSession *self, guint stream_id, guint *index)
{
  for (guint i = 0; i < self->n_streams; i++)
    if (self->streams[i].id == stream_id)
      {
        *index = i;
        return &self->streams[i];
      }
  return NULL;
}

static gboolean
report_cb (gpointer data)
{
  Report *report = data;
  guint index = 0;
  IceStream *stream = stream_by_id (report->self, report->stream_id, &index);

  if (stream == NULL || report->component != 1)
    return G_SOURCE_REMOVE;
  if (report->state == G_MAXUINT)
    {
      g_free (stream->local_type);
      g_free (stream->remote_type);
      stream->local_type = g_steal_pointer (&report->local_type);
      stream->remote_type = g_steal_pointer (&report->remote_type);
      g_debug ("ICE stream %u: selected %s -> %s", index, stream->local_type, stream->remote_type);
    }
  else
    {
      stream->state = report->state;
      g_debug ("ICE stream %u: %s", index, nice_component_state_to_string (report->state));
    }
  g_signal_emit (report->self, signals[SIGNAL_CHANGED], 0, index);
  return G_SOURCE_REMOVE;
}

static void
post_report (MtIceSession *self, Report *report)
{
  report->self = g_object_ref (self);
  g_main_context_invoke_full (self->owner, G_PRIORITY_DEFAULT, report_cb, report, report_free);
}

static void
state_changed_cb (NiceAgent *agent, guint stream_id, guint component, guint state, gpointer user_data)
{
  Report *report = g_new0 (Report, 1);

  report->stream_id = stream_id;
  report->component = component;
  report->state = state;
  post_report (user_data, report);
}

static const char *
type_name (NiceCandidateType type)
{
  switch (type)
    {
    case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE: return "srflx";
    case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE:   return "prflx";
    case NICE_CANDIDATE_TYPE_RELAYED:          return "relay";
    case NICE_CANDIDATE_TYPE_HOST:
    default:                                   return "host";
    }
}

static void
selected_pair_cb (NiceAgent *agent, guint stream_id, guint component,
                  NiceCandidate *local, NiceCandidate *remote, gpointer user_data)
{
  Report *report = g_new0 (Report, 1);

  report->stream_id = stream_id;
  report->component = component;
  report->state = G_MAXUINT;
  report->local_type = g_strdup (type_name (local->type));
  report->remote_type = g_strdup (type_name (remote->type));
  post_report (user_data, report);
}

/* ---- set-up ----------------------------------------------------------------- */

/* Until nicesrc takes a component over, libnice reads its sockets only when
 * someone receives: without this, STUN answers during gathering and the
 * peer's early checks would sit unread. Media arriving before the pipeline
 * runs is dropped. */
static void
drop_cb (NiceAgent *agent, guint stream_id, guint component, guint len, gchar *buf,
         gpointer user_data)
{
}

static void
attach_drop (MtIceSession *self)
{
  for (guint i = 0; i < self->n_streams; i++)
    for (guint c = 1; c <= N_COMPONENTS; c++)
      nice_agent_attach_recv (self->agent, self->streams[i].id, c, self->context, drop_cb, NULL);
}

/* STUN/TURN servers must be IP addresses for libnice: resolve names here
 * (blocking, once per call). */
static char *
resolve (const char *host, GError **error)
{
  g_autoptr(GResolver) resolver = NULL;
  g_autolist(GInetAddress) addresses = NULL;

  if (g_hostname_is_ip_address (host))
    return g_strdup (host);
  resolver = g_resolver_get_default ();
  addresses = g_resolver_lookup_by_name (resolver, host, NULL, error);
  if (addresses == NULL)
    return NULL;
  return g_inet_address_to_string (addresses->data);
}

static gboolean
configure_servers (MtIceSession *self, const MtMediaConfig *config, GError **error)
{
  if (config->stun_server != NULL && *config->stun_server != '\0')
    {
      g_autofree char *ip = resolve (config->stun_server, error);

      if (ip == NULL)
        return FALSE;
      g_object_set (self->agent, "stun-server", ip,
                    "stun-server-port", config->stun_port ? config->stun_port : DEFAULT_STUN_PORT,
                    NULL);
    }
  if (config->turn_server != NULL && *config->turn_server != '\0')
    {
      g_autofree char *ip = resolve (config->turn_server, error);

      if (ip == NULL)
        return FALSE;
      for (guint i = 0; i < self->n_streams; i++)
        for (guint c = 1; c <= N_COMPONENTS; c++)
          nice_agent_set_relay_info (self->agent, self->streams[i].id, c, ip,
                                     config->turn_port ? config->turn_port : DEFAULT_STUN_PORT,
                                     config->turn_user ? config->turn_user : "",
                                     config->turn_password ? config->turn_password : "",
                                     config->turn_tcp ? NICE_RELAY_TYPE_TURN_TCP
                                                      : NICE_RELAY_TYPE_TURN_UDP);
    }
  return TRUE;
}

/* "0.0.0.0": every IPv4 address of this machine but loopback (libnice
 * left to itself would add IPv6 link-local ones too); none: libnice's own
 * choice (loopback then) */
static void
add_ipv4_addresses (MtIceSession *self)
{
  struct ifaddrs *list = NULL;

  if (getifaddrs (&list) != 0)
    return;
  for (struct ifaddrs *i = list; i != NULL; i = i->ifa_next)
    {
      NiceAddress addr;

      if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
          (i->ifa_flags & IFF_LOOPBACK))
        continue;
      nice_address_init (&addr);
      nice_address_set_from_sockaddr (&addr, i->ifa_addr);
      nice_agent_add_local_address (self->agent, &addr);
    }
  freeifaddrs (list);
}

static gboolean
add_local_address (MtIceSession *self, const char *bind_address, GError **error)
{
  NiceAddress addr;
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (bind_address);

  if (inet == NULL)
    {
      g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_SOCKET,
                   _("“%s” is not an IP address to send media from"), bind_address);
      return FALSE;
    }
  if (g_inet_address_get_is_any (inet))
    {
      if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV4)
        add_ipv4_addresses (self);
      return TRUE;   /* else libnice takes every interface */
    }
  nice_address_init (&addr);
  nice_address_set_from_string (&addr, bind_address);
  nice_agent_add_local_address (self->agent, &addr);
  return TRUE;
}

static void
wait_for_gathering (MtIceSession *self)
{
  gint64 until = g_get_monotonic_time () + GATHER_TIMEOUT_US;

  g_mutex_lock (&self->lock);
  while (self->gathering_left > 0)
    if (!g_cond_wait_until (&self->cond, &self->lock, until))
      {
        g_message ("ICE: gathering did not finish in time; using what we have");
        break;
      }
  g_mutex_unlock (&self->lock);
}

MtIceSession *
mt_ice_session_new (const MtMediaConfig *config,
                    const char          *bind_address,
                    guint                n_streams,
                    GError             **error)
{
  g_autoptr(MtIceSession) self = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (bind_address != NULL, NULL);
  g_return_val_if_fail (n_streams >= 1 && n_streams <= MAX_STREAMS, NULL);

  self = g_object_new (MT_TYPE_ICE_SESSION, NULL);
  self->owner = g_main_context_ref_thread_default ();
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->agent = nice_agent_new_full (self->context, NICE_COMPATIBILITY_RFC5245, NICE_AGENT_OPTION_CONSENT_FRESHNESS);
  g_object_set (self->agent, "ice-tcp", FALSE, "upnp", FALSE, "keepalive-conncheck", TRUE,
                "controlling-mode", config->ice_controlling, NULL);
  g_signal_connect (self->agent, "candidate-gathering-done", G_CALLBACK (gathering_done_cb), self);
  g_signal_connect (self->agent, "component-state-changed", G_CALLBACK (state_changed_cb), self);
  g_signal_connect (self->agent, "new-selected-pair-full", G_CALLBACK (selected_pair_cb), self);

  if (!add_local_address (self, bind_address, error))
    return NULL;
  self->n_streams = n_streams;
  for (guint i = 0; i < n_streams; i++)
    {
      self->streams[i].id = nice_agent_add_stream (self->agent, N_COMPONENTS);
      nice_agent_set_stream_name (self->agent, self->streams[i].id, i == 0 ? "audio" : "video");
    }
  if (!configure_servers (self, config, error))
    return NULL;
  attach_drop (self);

  self->thread = g_thread_new ("mt-ice", agent_thread, self);
  self->gathering_left = n_streams;
  for (guint i = 0; i < n_streams; i++)
    if (!nice_agent_gather_candidates (self->agent, self->streams[i].id))
      {
        g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_SOCKET,
                     _("No network address to send media from"));
        return NULL;
      }
  wait_for_gathering (self);
  return g_steal_pointer (&self);
}

/* ---- candidates <-> SDP ------------------------------------------------------ */

static MtSdpCandidate *
candidate_to_sdp (const NiceCandidate *nc)
{
  MtSdpCandidate *c = mt_sdp_candidate_new ();
  char ip[NICE_ADDRESS_STRING_LEN];

  c->foundation = g_strdup (nc->foundation);
  c->component = nc->component_id;
  c->transport = g_strdup (nc->transport == NICE_CANDIDATE_TRANSPORT_UDP ? "UDP" : "TCP");
  c->priority = nc->priority;
  nice_address_to_string (&nc->addr, ip);
  c->address = g_strdup (ip);
  c->port = nice_address_get_port (&nc->addr);
  mt_sdp_candidate_type_from_string (type_name (nc->type), &c->type);
  if (nc->type != NICE_CANDIDATE_TYPE_HOST && nice_address_is_valid (&nc->base_addr))
    {
      nice_address_to_string (&nc->base_addr, ip);
      c->rel_address = g_strdup (ip);
      c->rel_port = nice_address_get_port (&nc->base_addr);
    }
  return c;
}

static NiceCandidate *
candidate_from_sdp (const MtSdpCandidate *c, guint stream_id)
{
  NiceCandidateType type = c->type == MT_SDP_CANDIDATE_SRFLX ? NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE :
                           c->type == MT_SDP_CANDIDATE_PRFLX ? NICE_CANDIDATE_TYPE_PEER_REFLEXIVE :
                           c->type == MT_SDP_CANDIDATE_RELAY ? NICE_CANDIDATE_TYPE_RELAYED :
                                                               NICE_CANDIDATE_TYPE_HOST;
  NiceCandidate *nc = nice_candidate_new (type);

  nc->stream_id = stream_id;
  nc->component_id = c->component;
  nc->transport = NICE_CANDIDATE_TRANSPORT_UDP;
  nc->priority = c->priority;
  g_strlcpy (nc->foundation, c->foundation, NICE_CANDIDATE_MAX_FOUNDATION);
  if (!nice_address_set_from_string (&nc->addr, c->address))
    {
      nice_candidate_free (nc);
      return NULL;
    }
  nice_address_set_port (&nc->addr, c->port);
  return nc;
}

static guint
default_port (MtIceSession *self, guint stream_id, guint component, char **address)
{
  NiceCandidate *nc = nice_agent_get_default_local_candidate (self->agent, stream_id, component);
  char ip[NICE_ADDRESS_STRING_LEN];
  guint port;

  if (nc == NULL)
    return 0;
  port = nice_address_get_port (&nc->addr);
  if (address != NULL)
    {
      nice_address_to_string (&nc->addr, ip);
      *address = g_strdup (ip);
    }
  nice_candidate_free (nc);
  return port;
}

MtSdpIce *
mt_ice_session_dup_local (MtIceSession *self,
                          guint         index,
                          char        **default_address,
                          guint        *rtp_port,
                          guint        *rtcp_port)
{
  MtSdpIce *ice;
  guint stream_id;

  g_return_val_if_fail (MT_IS_ICE_SESSION (self), NULL);
  g_return_val_if_fail (index < self->n_streams, NULL);

  stream_id = self->streams[index].id;
  ice = mt_sdp_ice_new ();
  nice_agent_get_local_credentials (self->agent, stream_id, &ice->ufrag, &ice->pwd);
  for (guint c = 1; c <= N_COMPONENTS; c++)
    {
      GSList *list = nice_agent_get_local_candidates (self->agent, stream_id, c);

      for (GSList *l = list; l != NULL; l = l->next)
        {
          NiceCandidate *nc = l->data;

          if (nc->transport == NICE_CANDIDATE_TRANSPORT_UDP)
            g_ptr_array_add (ice->candidates, candidate_to_sdp (nc));
        }
      g_slist_free_full (list, (GDestroyNotify) nice_candidate_free);
    }
  if (rtp_port != NULL)
    *rtp_port = default_port (self, stream_id, 1, default_address);
  if (rtcp_port != NULL)
    *rtcp_port = default_port (self, stream_id, 2, NULL);
  return ice;
}

/* ---- remote ------------------------------------------------------------------- */

static gboolean
set_remote_candidates (MtIceSession *self, IceStream *stream, const MtSdpIce *remote,
                       guint component, GError **error)
{
  GSList *list = NULL;
  int added;

  for (guint i = 0; i < remote->candidates->len; i++)
    {
      const MtSdpCandidate *c = g_ptr_array_index (remote->candidates, i);
      NiceCandidate *nc;

      if (c->component != component || g_strcmp0 (c->transport, "UDP") != 0)
        continue;
      if ((nc = candidate_from_sdp (c, stream->id)) != NULL)
        list = g_slist_prepend (list, nc);
    }
  if (list == NULL)
    return TRUE;
  added = nice_agent_set_remote_candidates (self->agent, stream->id, component, list);
  g_slist_free_full (list, (GDestroyNotify) nice_candidate_free);
  if (added < 0)
    {
      g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_NEGOTIATION,
                   "The peer's ICE candidates were refused");
      return FALSE;
    }
  return TRUE;
}

gboolean
mt_ice_session_set_remote (MtIceSession   *self,
                           guint           index,
                           const MtSdpIce *remote,
                           gboolean        controlling,
                           gboolean        rtcp_mux,
                           GError        **error)
{
  IceStream *stream;

  g_return_val_if_fail (MT_IS_ICE_SESSION (self), FALSE);
  g_return_val_if_fail (index < self->n_streams, FALSE);
  g_return_val_if_fail (remote != NULL, FALSE);

  stream = &self->streams[index];
  if (stream->uses_ice && g_strcmp0 (stream->remote_ufrag, remote->ufrag) == 0 &&
      g_strcmp0 (stream->remote_pwd, remote->pwd) == 0)
    return TRUE;
  /* The peer restarted ICE (new credentials): take its new credentials and
   * candidates. Ours stay as our answer already said (restarting our side
   * here would change them after the fact); see the report on issue 9. */
  if (stream->uses_ice)
    g_debug ("ICE stream %u: the peer restarted ICE", index);
  /* a no-op unless the checks have not started: see mt_ice_session_new() */
  g_object_set (self->agent, "controlling-mode", controlling, NULL);
  if (!nice_agent_set_remote_credentials (self->agent, stream->id, remote->ufrag, remote->pwd))
    {
      g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_NEGOTIATION,
                   "The peer's ICE credentials were refused");
      return FALSE;
    }
  g_free (stream->remote_ufrag);
  g_free (stream->remote_pwd);
  stream->remote_ufrag = g_strdup (remote->ufrag);
  stream->remote_pwd = g_strdup (remote->pwd);
  stream->uses_ice = TRUE;
  stream->plain = FALSE;
  if (!set_remote_candidates (self, stream, remote, 1, error))
    return FALSE;
  return rtcp_mux || set_remote_candidates (self, stream, remote, 2, error);
}

static gboolean
select_plain (MtIceSession *self, IceStream *stream, guint component,
              const char *address, guint port)
{
  NiceCandidate *nc;
  gboolean ok;

  if (address == NULL || port == 0)
    return TRUE;
  nc = nice_candidate_new (NICE_CANDIDATE_TYPE_HOST);
  nc->stream_id = stream->id;
  nc->component_id = component;
  nc->transport = NICE_CANDIDATE_TRANSPORT_UDP;
  g_strlcpy (nc->foundation, "plain", NICE_CANDIDATE_MAX_FOUNDATION);
  ok = nice_address_set_from_string (&nc->addr, address);
  nice_address_set_port (&nc->addr, port);
  ok = ok && nice_agent_set_selected_remote_candidate (self->agent, stream->id, component, nc);
  nice_candidate_free (nc);
  return ok;
}

gboolean
mt_ice_session_set_plain_remote (MtIceSession *self,
                                 guint         index,
                                 const char   *rtp_address,
                                 guint         rtp_port,
                                 const char   *rtcp_address,
                                 guint         rtcp_port,
                                 GError      **error)
{
  IceStream *stream;

  g_return_val_if_fail (MT_IS_ICE_SESSION (self), FALSE);
  g_return_val_if_fail (index < self->n_streams, FALSE);

  stream = &self->streams[index];
  if (!select_plain (self, stream, 1, rtp_address, rtp_port) ||
      !select_plain (self, stream, 2, rtcp_address, rtcp_port))
    {
      g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_NEGOTIATION,
                   "Could not send media to %s:%u", rtp_address, rtp_port);
      return FALSE;
    }
  stream->plain = TRUE;
  stream->uses_ice = FALSE;
  return TRUE;
}

/* ---- restarts and network changes ------------------------------------------- */

gboolean
mt_ice_session_is_restart (MtIceSession *self, guint index, const MtSdpIce *remote)
{
  IceStream *stream;

  g_return_val_if_fail (MT_IS_ICE_SESSION (self), FALSE);
  g_return_val_if_fail (remote != NULL, FALSE);

  if (index >= self->n_streams)
    return FALSE;
  stream = &self->streams[index];
  return stream->uses_ice && (g_strcmp0 (stream->remote_ufrag, remote->ufrag) != 0 ||
                              g_strcmp0 (stream->remote_pwd, remote->pwd) != 0);
}

gboolean
mt_ice_session_restart_stream (MtIceSession *self, guint index)
{
  IceStream *stream;

  g_return_val_if_fail (MT_IS_ICE_SESSION (self), FALSE);
  g_return_val_if_fail (index < self->n_streams, FALSE);

  stream = &self->streams[index];
  if (!nice_agent_restart_stream (self->agent, stream->id))
    return FALSE;
  g_debug ("ICE stream %u: restarted (new credentials)", index);
  g_clear_pointer (&stream->remote_ufrag, g_free);
  g_clear_pointer (&stream->remote_pwd, g_free);
  stream->uses_ice = FALSE;
  return TRUE;
}

static gboolean
address_in (const NiceAddress *address, struct ifaddrs *list)
{
  for (struct ifaddrs *i = list; i != NULL; i = i->ifa_next)
    {
      NiceAddress other;

      if (i->ifa_addr == NULL ||
          (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
        continue;
      nice_address_init (&other);
      nice_address_set_from_sockaddr (&other, i->ifa_addr);
      if (nice_address_equal_no_port (address, &other))
        return TRUE;
    }
  return FALSE;
}

/* what stream `stream` sends from: the selected pair's base, or NULL */
static gboolean
selected_base (MtIceSession *self, IceStream *stream, NiceAddress *base)
{
  NiceCandidate *local = NULL;
  NiceCandidate *remote = NULL;

  if (!nice_agent_get_selected_pair (self->agent, stream->id, 1, &local, &remote))
    return FALSE;
  *base = nice_address_is_valid (&local->base_addr) ? local->base_addr : local->addr;
  return TRUE;
}

static gboolean
any_host_present (MtIceSession *self, IceStream *stream, struct ifaddrs *list)
{
  GSList *candidates = nice_agent_get_local_candidates (self->agent, stream->id, 1);
  gboolean present = FALSE;

  for (GSList *l = candidates; l != NULL && !present; l = l->next)
    {
      NiceCandidate *nc = l->data;

      present = nc->type == NICE_CANDIDATE_TYPE_HOST && address_in (&nc->addr, list);
    }
  g_slist_free_full (candidates, (GDestroyNotify) nice_candidate_free);
  return present;
}

gboolean
mt_ice_session_addresses_present (MtIceSession *self)
{
  struct ifaddrs *list = NULL;
  gboolean present = TRUE;

  g_return_val_if_fail (MT_IS_ICE_SESSION (self), FALSE);

  if (getifaddrs (&list) != 0)
    return TRUE;   /* cannot tell: assume nothing changed */
  for (guint i = 0; i < self->n_streams && present; i++)
    {
      IceStream *stream = &self->streams[i];
      NiceAddress base;

      if (stream->plain)
        continue;
      if (selected_base (self, stream, &base))
        present = address_in (&base, list);
      else
        present = any_host_present (self, stream, list);
    }
  freeifaddrs (list);
  return present;
}

gboolean
mt_ice_session_have_address (const char *bind_address)
{
  g_autoptr(GInetAddress) wanted = g_inet_address_new_from_string (bind_address);
  struct ifaddrs *list = NULL;
  gboolean found = FALSE;

  if (wanted == NULL || getifaddrs (&list) != 0)
    return FALSE;
  for (struct ifaddrs *i = list; i != NULL && !found; i = i->ifa_next)
    {
      g_autoptr(GSocketAddress) sa = NULL;
      GInetAddress *inet;

      if (i->ifa_addr == NULL ||
          (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
        continue;
      sa = g_socket_address_new_from_native (i->ifa_addr, i->ifa_addr->sa_family == AF_INET
                                                          ? sizeof (struct sockaddr_in)
                                                          : sizeof (struct sockaddr_in6));
      inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (sa));
      if (g_inet_address_get_is_any (wanted))
        found = g_inet_address_get_family (inet) == g_inet_address_get_family (wanted) &&
                !g_inet_address_get_is_loopback (inet) && !g_inet_address_get_is_link_local (inet);
      else
        found = g_inet_address_equal (inet, wanted);
    }
  freeifaddrs (list);
  return found;
}

gboolean
mt_ice_session_get_controlling (MtIceSession *self)
{
  gboolean controlling = FALSE;

  g_return_val_if_fail (MT_IS_ICE_SESSION (self), FALSE);
  g_object_get (self->agent, "controlling-mode", &controlling, NULL);
  return controlling;
}

static gboolean
dup_selected (MtIceSession *self, guint stream_id, guint component,
              NiceCandidate **local, NiceCandidate **remote)
{
  NiceCandidate *l = NULL;
  NiceCandidate *r = NULL;

  if (!nice_agent_get_selected_pair (self->agent, stream_id, component, &l, &r))
    return FALSE;
  *local = nice_candidate_copy (l);
  *remote = nice_candidate_copy (r);
  return TRUE;
}

gboolean
mt_ice_session_narrow_to_selected (MtIceSession *self,
                                   guint         index,
                                   MtSdpIce     *ice,
                                   gboolean      remote_candidates,
                                   char        **address,
                                   guint        *rtp_port,
                                   guint        *rtcp_port)
{
  g_autoptr(GString) remotes = g_string_new (NULL);
  IceStream *stream;

  g_return_val_if_fail (MT_IS_ICE_SESSION (self), FALSE);
  g_return_val_if_fail (ice != NULL, FALSE);

  if (index >= self->n_streams)
    return FALSE;
  stream = &self->streams[index];
  if (!stream->uses_ice || (stream->state != NICE_COMPONENT_STATE_CONNECTED &&
                            stream->state != NICE_COMPONENT_STATE_READY))
    return FALSE;
  for (guint c = 1; c <= N_COMPONENTS; c++)
    {
      NiceCandidate *local = NULL;
      NiceCandidate *remote = NULL;
      char ip[NICE_ADDRESS_STRING_LEN];

      if (!dup_selected (self, stream->id, c, &local, &remote))
        {
          if (c == 1)
            return FALSE;
          if (rtcp_port != NULL && rtp_port != NULL)
            *rtcp_port = *rtp_port;   /* rtcp-mux: RTCP shares the RTP pair */
          continue;
        }
      if (c == 1)
        g_ptr_array_set_size (ice->candidates, 0);
      g_ptr_array_add (ice->candidates, candidate_to_sdp (local));
      nice_address_to_string (&local->addr, ip);
      if (c == 1 && address != NULL)
        g_free (*address), *address = g_strdup (ip);
      if (c == 1 && rtp_port != NULL)
        *rtp_port = nice_address_get_port (&local->addr);
      if (c == 2 && rtcp_port != NULL)
        *rtcp_port = nice_address_get_port (&local->addr);
      nice_address_to_string (&remote->addr, ip);
      g_string_append_printf (remotes, "%s%u %s %u", remotes->len ? " " : "", c, ip,
                              nice_address_get_port (&remote->addr));
      nice_candidate_free (local);
      nice_candidate_free (remote);
    }
  g_free (ice->remote_candidates);
  ice->remote_candidates = remote_candidates ? g_string_free (g_steal_pointer (&remotes), FALSE)
                                             : NULL;
  return TRUE;
}

/* ---- getters ------------------------------------------------------------------- */

NiceAgent *
mt_ice_session_get_agent (MtIceSession *self)
{
  g_return_val_if_fail (MT_IS_ICE_SESSION (self), NULL);
  return self->agent;
}

guint
mt_ice_session_get_stream_id (MtIceSession *self, guint index)
{
  g_return_val_if_fail (MT_IS_ICE_SESSION (self), 0);
  g_return_val_if_fail (index < self->n_streams, 0);
  return self->streams[index].id;
}

gboolean
mt_ice_session_uses_ice (MtIceSession *self, guint index)
{
  g_return_val_if_fail (MT_IS_ICE_SESSION (self), FALSE);
  return index < self->n_streams && self->streams[index].uses_ice;
}

const char *
mt_ice_session_get_state (MtIceSession *self, guint index)
{
  g_return_val_if_fail (MT_IS_ICE_SESSION (self), NULL);

  if (index >= self->n_streams)
    return NULL;
  if (self->streams[index].plain)
    return "plain";
  switch (self->streams[index].state)
    {
    case NICE_COMPONENT_STATE_DISCONNECTED: return "new";
    case NICE_COMPONENT_STATE_GATHERING:    return "gathering";
    case NICE_COMPONENT_STATE_CONNECTING:   return "checking";
    case NICE_COMPONENT_STATE_CONNECTED:    return "connected";
    case NICE_COMPONENT_STATE_READY:        return "connected";
    case NICE_COMPONENT_STATE_FAILED:       return "failed";
    default:                                return "new";
    }
}

const char *
mt_ice_session_get_local_type (MtIceSession *self, guint index)
{
  g_return_val_if_fail (MT_IS_ICE_SESSION (self), NULL);
  return index < self->n_streams ? self->streams[index].local_type : NULL;
}

const char *
mt_ice_session_get_remote_type (MtIceSession *self, guint index)
{
  g_return_val_if_fail (MT_IS_ICE_SESSION (self), NULL);
  return index < self->n_streams ? self->streams[index].remote_type : NULL;
}

/* ---- GObject ------------------------------------------------------------------- */

static gboolean
quit_loop_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
closed_cb (GObject *agent, GAsyncResult *result, gpointer loop)
{
  g_main_loop_quit (loop);
}

/* On the agent's thread: TURN allocations are released (a refresh with
 * lifetime 0) rather than left to expire on the server; a server that does
 * not answer gets CLOSE_TIMEOUT_MS, then the loop quits anyway. */
static gboolean
close_agent_cb (gpointer data)
{
  MtIceSession *self = data;
  g_autoptr(GSource) timeout = g_timeout_source_new (CLOSE_TIMEOUT_MS);

  g_source_set_callback (timeout, quit_loop_cb, g_main_loop_ref (self->loop),
                         (GDestroyNotify) g_main_loop_unref);
  g_source_attach (timeout, self->context);
  nice_agent_close_async (self->agent, closed_cb, self->loop);
  return G_SOURCE_REMOVE;
}

static void
mt_ice_session_dispose (GObject *object)
{
  MtIceSession *self = MT_ICE_SESSION (object);

  if (self->thread)
    {
      /* a quit before the thread's g_main_loop_run() starts is lost, and the
       * join never returns (a call refused at once: found by the hostile
       * suite); a source on the thread's context quits it whenever it runs */
      g_main_context_invoke_full (self->context, G_PRIORITY_HIGH, close_agent_cb,
                                  self, NULL);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  if (self->agent)
    g_signal_handlers_disconnect_by_data (self->agent, self);
  g_clear_object (&self->agent);
  G_OBJECT_CLASS (mt_ice_session_parent_class)->dispose (object);
}

static void
mt_ice_session_finalize (GObject *object)
{
  MtIceSession *self = MT_ICE_SESSION (object);

  for (guint i = 0; i < MAX_STREAMS; i++)
    {
      g_free (self->streams[i].remote_ufrag);
      g_free (self->streams[i].remote_pwd);
      g_free (self->streams[i].local_type);
      g_free (self->streams[i].remote_type);
    }
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->owner, g_main_context_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (mt_ice_session_parent_class)->finalize (object);
}

static void
mt_ice_session_class_init (MtIceSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mt_ice_session_dispose;
  object_class->finalize = mt_ice_session_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
mt_ice_session_init (MtIceSession *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}
