/* mt-h323-connection.c: one H.323 call on one TCP connection
 *
 *   caller                                   callee
 *   Setup (fastStart: our proposals)  ->
 *                                     <-     Call Proceeding
 *                                     <-     Alerting              (rings)
 *                                     <-     Connect (fastStart: the choice)
 *   media both ways
 *   Release Complete (cause)         <->
 *
 * Without Fast Connect (the peer ignores it, or ours is off), the H.245
 * procedures run tunnelled in H.225.0 (h245Control in Facility messages):
 * TerminalCapabilitySet, MasterSlaveDetermination, each side opens its
 * transmit channels with OpenLogicalChannel, the acks carry where media
 * goes. No separate H.245 TCP connection: a peer that wants one is
 * released with cause 88 (incompatible destination).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-h323"

#include <string.h>

#include "mt-call-backend.h"
#include "mt-h225.h"
#include "mt-h245.h"
#include "mt-h323-connection.h"
#include "mt-h323-endpoint.h"
#include "mt-media-session.h"

#define CONNECT_TIMEOUT_S 10
#define SETUP_TIMEOUT_S   10
#define READ_CHUNK        4096
#define MAX_BUFFERED      (128 * 1024)
#define H245_MEDIA_WAIT_MS 3000
#define TERMINAL_TYPE     50          /* H.323 terminal (H.323 Table 1) */
#define N_SESSIONS        3           /* indexed by session id: 1 audio, 2 video */

struct _MtH323Connection
{
  gint                   ref_count;
  gboolean               dead;             /* freed by the owner: callbacks do nothing */
  MtH323ConnectionHooks  hooks;
  gpointer               user_data;
  MtMediaConfig         *media_config;
  char                  *alias;
  char                  *call_id_string;
  guint                  ring_timeout_s;

  GSocketClient         *client;
  GSocketConnection     *socket;
  GCancellable          *cancellable;
  GByteArray            *inbuf;
  guint8                 chunk[READ_CHUNK];
  GQueue                 out;              /* of GBytes: frames to write */
  gboolean               writing;
  gboolean               close_after_write;
  gboolean               finished;         /* hooks->closed scheduled */
  guint                  setup_timeout_id;
  guint                  ring_timeout_id;

  MtCallDirection        direction;
  MtCall                *call;
  MtMediaSession        *media;
  MtSdpLocal            *local;
  char                  *peer_host;
  guint                  peer_port;
  char                  *peer_user;
  guint16                crv;
  guint8                 call_id[16];
  guint8                 conference_id[16];
  GPtrArray             *proposals;        /* caller: our fastStart */
  GPtrArray             *fs_answer;        /* callee: the fastStart we return */
  GPtrArray             *negotiated;       /* callee: media to start on answer */
  gboolean               media_started;
  gboolean               released;         /* Release Complete sent or received */

  /* H.245, tunnelled */
  gboolean               fast_start;       /* ours is on */
  gboolean               h245;             /* the procedures are running */
  gboolean               tcs_sent;
  gboolean               tcs_acked;
  GArray                *peer_caps;        /* of MtH245Channel: the peer's TCS */
  gboolean               channels_opened;
  guint32                msd_number;
  MtH245Channel          tx[N_SESSIONS];
  gboolean               tx_open[N_SESSIONS];
  gboolean               tx_done[N_SESSIONS];  /* acked (media set) or rejected */
  MtH245Channel          rx[N_SESSIONS];
  gboolean               rx_open[N_SESSIONS];
  GPtrArray             *h245_out;         /* of GBytes: to send in the next Facility */
  guint                  h245_wait_id;
};

static void connection_release (MtH323Connection *conn, MtEndReason reason);
static void start_read (MtH323Connection *conn);

/* ---- lifetime ------------------------------------------------------------- */

static MtH323Connection *
conn_ref (MtH323Connection *conn)
{
  g_atomic_int_inc (&conn->ref_count);
  return conn;
}

static void
conn_unref (MtH323Connection *conn)
{
  if (!g_atomic_int_dec_and_test (&conn->ref_count))
    return;
  g_clear_object (&conn->client);
  g_clear_object (&conn->socket);
  g_clear_object (&conn->cancellable);
  g_clear_pointer (&conn->inbuf, g_byte_array_unref);
  g_queue_clear_full (&conn->out, (GDestroyNotify) g_bytes_unref);
  g_clear_object (&conn->call);
  g_clear_object (&conn->media);
  g_clear_pointer (&conn->local, mt_sdp_local_free);
  g_clear_pointer (&conn->media_config, mt_media_config_free);
  g_clear_pointer (&conn->proposals, g_ptr_array_unref);
  g_clear_pointer (&conn->fs_answer, g_ptr_array_unref);
  g_clear_pointer (&conn->negotiated, g_ptr_array_unref);
  g_clear_pointer (&conn->peer_caps, g_array_unref);
  g_clear_pointer (&conn->h245_out, g_ptr_array_unref);
  g_free (conn->alias);
  g_free (conn->call_id_string);
  g_free (conn->peer_host);
  g_free (conn->peer_user);
  g_free (conn);
}

static MtH323Connection *
conn_new (const MtH323ConnectionSetup *setup, MtCallDirection direction)
{
  MtH323Connection *conn = g_new0 (MtH323Connection, 1);

  conn->ref_count = 1;
  conn->hooks = *setup->hooks;
  conn->user_data = setup->user_data;
  conn->media_config = mt_media_config_copy (setup->media_config);
  conn->alias = g_strdup (setup->alias);
  conn->call_id_string = g_strdup (setup->call_id);
  conn->ring_timeout_s = setup->ring_timeout_s;
  conn->cancellable = g_cancellable_new ();
  conn->inbuf = g_byte_array_new ();
  conn->direction = direction;
  conn->fast_start = setup->fast_start;
  g_queue_init (&conn->out);
  return conn;
}

static gboolean
closed_idle_cb (gpointer user_data)
{
  MtH323Connection *conn = user_data;

  if (!conn->dead)
    conn->hooks.closed (conn, conn->user_data);
  conn_unref (conn);
  return G_SOURCE_REMOVE;
}

/* the connection is done: close the socket, tell the owner (from idle) */
static void
finish (MtH323Connection *conn)
{
  if (conn->finished)
    return;
  conn->finished = TRUE;
  g_clear_handle_id (&conn->ring_timeout_id, g_source_remove);
  g_clear_handle_id (&conn->h245_wait_id, g_source_remove);
  g_clear_handle_id (&conn->setup_timeout_id, g_source_remove);
  if (conn->socket)
    g_io_stream_close (G_IO_STREAM (conn->socket), NULL, NULL);
  g_cancellable_cancel (conn->cancellable);
  g_idle_add (closed_idle_cb, conn_ref (conn));
}

void
mt_h323_connection_free (MtH323Connection *conn)
{
  if (conn == NULL)
    return;
  conn->dead = TRUE;
  g_clear_handle_id (&conn->ring_timeout_id, g_source_remove);
  g_clear_handle_id (&conn->h245_wait_id, g_source_remove);
  g_clear_handle_id (&conn->setup_timeout_id, g_source_remove);
  g_cancellable_cancel (conn->cancellable);
  if (conn->call)
    {
      g_signal_handlers_disconnect_by_data (conn->call, conn);
      mt_call_backend_detach (conn->call);
      if (mt_call_get_state (conn->call) != MT_CALL_STATE_ENDED)
        mt_call_backend_set_state (conn->call, MT_CALL_STATE_ENDED, MT_END_REASON_NETWORK_ERROR, NULL);
    }
  if (conn->socket && !conn->finished)
    g_io_stream_close (G_IO_STREAM (conn->socket), NULL, NULL);
  conn_unref (conn);
}

MtCall *
mt_h323_connection_get_call (MtH323Connection *conn)
{
  return conn->call;
}

/* ---- the call's state ---------------------------------------------------------- */

static gboolean
call_ended (MtH323Connection *conn)
{
  return conn->call == NULL || mt_call_get_state (conn->call) == MT_CALL_STATE_ENDED;
}

static void
end_call (MtH323Connection *conn, MtEndReason reason, const char *status)
{
  if (conn->call && !call_ended (conn))
    mt_call_backend_set_state (conn->call, MT_CALL_STATE_ENDED, reason, status);
}

static void
set_call_state (MtH323Connection *conn, MtCallState state)
{
  if (conn->call && !call_ended (conn))
    mt_call_backend_set_state (conn->call, state, MT_END_REASON_NONE, NULL);
}

/* ended by someone else (media timeout, shutdown): tell the peer */
static void
call_state_cb (MtCall *call, GParamSpec *pspec, MtH323Connection *conn)
{
  if (mt_call_get_state (call) == MT_CALL_STATE_ENDED && !conn->released)
    connection_release (conn, mt_call_get_end_reason (call));
}

/* ---- writing ------------------------------------------------------------------------ */

static void pump (MtH323Connection *conn);

static void
write_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MtH323Connection *conn = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error) &&
      !conn->dead && !conn->finished)
    {
      g_message ("H.323: cannot send to %s: %s", conn->peer_host, error->message);
      conn->released = TRUE;
      end_call (conn, MT_END_REASON_NETWORK_ERROR, NULL);
      finish (conn);
    }
  if (!conn->dead && !conn->finished)
    {
      conn->writing = FALSE;
      g_bytes_unref (g_queue_pop_head (&conn->out));
      pump (conn);
    }
  conn_unref (conn);
}

static void
pump (MtH323Connection *conn)
{
  GBytes *frame;

  if (conn->writing || conn->finished || conn->socket == NULL)
    return;
  frame = g_queue_peek_head (&conn->out);
  if (frame == NULL)
    {
      if (conn->close_after_write)
        finish (conn);
      return;
    }
  conn->writing = TRUE;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (conn->socket)),
                                   g_bytes_get_data (frame, NULL), g_bytes_get_size (frame),
                                   G_PRIORITY_DEFAULT, conn->cancellable, write_cb,
                                   conn_ref (conn));
}

static MtH225Message *
message_new (MtH323Connection *conn, MtQ931Type type)
{
  MtH225Message *m = mt_h225_message_new (type, conn->crv,
                                          conn->direction == MT_CALL_DIRECTION_INCOMING);

  memcpy (m->call_id, conn->call_id, 16);
  memcpy (m->conference_id, conn->conference_id, 16);
  m->h245_tunnelling = TRUE;
  return m;
}

static void
send_message (MtH323Connection *conn, MtH225Message *m)
{
  g_autoptr(GBytes) q931 = mt_h225_message_encode (m);

  g_debug ("H.323 -> %s: %s", conn->peer_host, mt_q931_type_to_string (m->type));
  g_queue_push_tail (&conn->out, mt_tpkt_wrap (q931));
  pump (conn);
}

/* Release Complete with the cause for `reason`, then close */
static void
connection_release (MtH323Connection *conn, MtEndReason reason)
{
  g_autoptr(MtH225Message) m = NULL;
  MtH225Reason rc_reason;

  if (conn->released || conn->finished)
    return;
  conn->released = TRUE;
  g_clear_handle_id (&conn->ring_timeout_id, g_source_remove);
  if (conn->socket)
    {
      m = message_new (conn, MT_Q931_RELEASE_COMPLETE);
      m->cause = mt_h225_cause_for (reason, &rc_reason);
      m->reason = rc_reason;
      send_message (conn, m);
    }
  conn->close_after_write = TRUE;
  end_call (conn, reason, NULL);
  pump (conn);
  if (conn->socket == NULL)
    finish (conn);
}

/* ---- media ------------------------------------------------------------------------------ */

static gboolean
negotiated_has_video (GPtrArray *negotiated)
{
  for (guint i = 0; i < negotiated->len; i++)
    if (((MtSdpNegotiated *) g_ptr_array_index (negotiated, i))->kind == MT_SDP_MEDIA_VIDEO)
      return TRUE;
  return FALSE;
}

static gboolean
start_media (MtH323Connection *conn, GPtrArray *negotiated)
{
  g_autoptr(GError) error = NULL;

  if (conn->media_started)
    return TRUE;
  mt_call_backend_set_has_video (conn->call, negotiated_has_video (negotiated));
  if (!mt_media_session_start (conn->media, negotiated, &error))
    {
      g_warning ("H.323 call %s: media did not start: %s", conn->call_id_string, error->message);
      connection_release (conn, MT_END_REASON_NETWORK_ERROR);
      return FALSE;
    }
  conn->media_started = TRUE;
  return TRUE;
}

static char *
route_address_to (GInetAddress *peer)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  sock = g_socket_new (g_inet_address_get_family (peer), G_SOCKET_TYPE_DATAGRAM,
                       G_SOCKET_PROTOCOL_UDP, NULL);
  remote = g_inet_socket_address_new (peer, 9);
  if (sock == NULL || !g_socket_connect (sock, remote, NULL, NULL) ||
      !(local = g_socket_get_local_address (sock, NULL)))
    return NULL;
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
}

static gboolean
make_media (MtH323Connection *conn, const char *address, gboolean video, GError **error)
{
  g_autoptr(MtMediaConfig) config = mt_media_config_copy (conn->media_config);

  config->video = config->video && video;
  config->ice = FALSE;  /* H.323 carries no ICE: plain RTP to the addresses in the OLCs */
  conn->media = mt_media_session_new (config, address, address, error);
  if (conn->media == NULL)
    return FALSE;
  conn->local = mt_media_session_dup_local (conn->media);
  return TRUE;
}

static void
random_bytes (guint8 *out, gsize len)
{
  for (gsize i = 0; i < len; i++)
    out[i] = (guint8) g_random_int_range (0, 256);
}

static void
socket_address (GSocketConnection *socket, gboolean local, MtH225Address *out, char **host)
{
  g_autoptr(GSocketAddress) address = local ? g_socket_connection_get_local_address (socket, NULL)
                                            : g_socket_connection_get_remote_address (socket, NULL);
  GInetAddress *inet;

  memset (out, 0, sizeof *out);
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  if (host)
    *host = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV4)
    {
      memcpy (out->ip, g_inet_address_to_bytes (inet), 4);
      out->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
      out->set = TRUE;
    }
}

/* ---- H.245 procedures, tunnelled -------------------------------------------------- */

static void
h245_queue (MtH323Connection *conn, const MtH245Message *m)
{
  if (conn->h245_out == NULL)
    conn->h245_out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_ptr_array_add (conn->h245_out, mt_h245_message_encode (m));
}

/* what is queued goes out in one Facility */
static void
h245_flush (MtH323Connection *conn)
{
  g_autoptr(MtH225Message) facility = NULL;

  if (conn->h245_out == NULL || conn->h245_out->len == 0 || conn->released)
    return;
  facility = message_new (conn, MT_Q931_FACILITY);
  facility->h245_control = g_steal_pointer (&conn->h245_out);
  send_message (conn, facility);
}

static void
h245_send_tcs (MtH323Connection *conn)
{
  MtH245Message tcs = { .type = MT_H245_MSG_TCS, .sequence = 1 };
  MtH245Message msd = { .type = MT_H245_MSG_MSD, .terminal_type = TERMINAL_TYPE };

  if (conn->tcs_sent)
    return;
  conn->tcs_sent = TRUE;
  tcs.caps = mt_h245_local_caps (conn->local);
  h245_queue (conn, &tcs);
  g_array_unref (tcs.caps);
  conn->msd_number = g_random_int () & 0xffffff;
  msd.status_number = conn->msd_number;
  h245_queue (conn, &msd);
}

static void
h245_start_media (MtH323Connection *conn)
{
  g_autoptr(GPtrArray) negotiated =
    g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_negotiated_free);

  g_clear_handle_id (&conn->h245_wait_id, g_source_remove);
  if (conn->media_started || conn->released)
    return;
  for (guint s = MT_H245_SESSION_AUDIO; s <= MT_H245_SESSION_VIDEO; s++)
    {
      gboolean tx = conn->tx_open[s] && conn->tx_done[s] && conn->tx[s].media.set;
      MtSdpNegotiated *n;

      if (!tx)                                 /* no address to send to: skip the stream */
        continue;
      n = mt_h245_negotiated (conn->local, &conn->tx[s], conn->rx_open[s] ? &conn->rx[s] : NULL);
      if (n)
        g_ptr_array_add (negotiated, n);
    }
  if (negotiated->len == 0)
    {
      g_message ("H.323 call %s: no logical channel could be opened", conn->call_id_string);
      connection_release (conn, MT_END_REASON_NO_COMMON_CODEC);
      return;
    }
  start_media (conn, negotiated);
}

static gboolean
h245_wait_cb (gpointer user_data)
{
  MtH323Connection *conn = user_data;

  conn->h245_wait_id = 0;
  h245_start_media (conn);
  return G_SOURCE_REMOVE;
}

/* media starts once our channels are acked and the peer opened its own in
 * the same sessions; a peer that opens none gets a moment, then we send */
static void
h245_maybe_start_media (MtH323Connection *conn)
{
  gboolean all_done = conn->channels_opened;
  gboolean all_back = TRUE;

  for (guint s = MT_H245_SESSION_AUDIO; s <= MT_H245_SESSION_VIDEO; s++)
    if (conn->tx_open[s])
      {
        all_done = all_done && conn->tx_done[s];
        all_back = all_back && conn->rx_open[s];
      }
  if (!all_done || conn->media_started)
    return;
  if (all_back)
    h245_start_media (conn);
  else if (conn->h245_wait_id == 0)
    conn->h245_wait_id = g_timeout_add (H245_MEDIA_WAIT_MS, h245_wait_cb, conn);
}

static void
h245_maybe_open (MtH323Connection *conn)
{
  guint16 number = conn->direction == MT_CALL_DIRECTION_OUTGOING ? 1 : 101;

  if (conn->channels_opened || !conn->tcs_acked || conn->peer_caps == NULL)
    return;
  conn->channels_opened = TRUE;
  for (guint s = MT_H245_SESSION_AUDIO; s <= MT_H245_SESSION_VIDEO; s++)
    {
      MtH245Message olc = { .type = MT_H245_MSG_OLC };

      if (!mt_h245_choose_transmit (conn->local, conn->peer_caps, s, number++, &conn->tx[s]))
        continue;
      conn->tx_open[s] = TRUE;
      olc.channel = conn->tx[s];
      h245_queue (conn, &olc);
    }
  if (!conn->tx_open[MT_H245_SESSION_AUDIO] && !conn->tx_open[MT_H245_SESSION_VIDEO])
    {
      g_message ("H.323 call %s: the peer receives none of our formats", conn->call_id_string);
      connection_release (conn, MT_END_REASON_NO_COMMON_CODEC);
    }
}

static guint
session_of_number (MtH323Connection *conn, guint16 number)
{
  for (guint s = MT_H245_SESSION_AUDIO; s <= MT_H245_SESSION_VIDEO; s++)
    if (conn->tx_open[s] && conn->tx[s].number == number)
      return s;
  return 0;
}

static void
h245_handle_one (MtH323Connection *conn, const MtH245Message *m)
{
  MtH245Message reply = { 0 };
  guint s;

  switch (m->type)
    {
    case MT_H245_MSG_TCS:
      g_clear_pointer (&conn->peer_caps, g_array_unref);
      conn->peer_caps = g_array_ref (m->caps);
      reply.type = MT_H245_MSG_TCS_ACK;
      reply.sequence = m->sequence;
      h245_queue (conn, &reply);
      h245_send_tcs (conn);
      h245_maybe_open (conn);
      break;
    case MT_H245_MSG_TCS_ACK:
      conn->tcs_acked = TRUE;
      h245_maybe_open (conn);
      break;
    case MT_H245_MSG_MSD:
      {
        guint32 diff = (m->status_number - conn->msd_number) & 0xffffff;
        gboolean we_master = m->terminal_type < TERMINAL_TYPE ||
                             (m->terminal_type == TERMINAL_TYPE && diff != 0 && diff < 0x800000);

        reply.type = MT_H245_MSG_MSD_ACK;
        reply.you_are_master = !we_master;
        h245_queue (conn, &reply);
      }
      break;
    case MT_H245_MSG_OLC:
      reply.channel.number = m->channel.number;
      s = m->channel.cap == MT_H245_CAP_H264 ? MT_H245_SESSION_VIDEO : MT_H245_SESSION_AUDIO;
      if (!conn->rx_open[s] && mt_h245_accept_channel (conn->local, &m->channel, &reply.channel))
        {
          reply.type = MT_H245_MSG_OLC_ACK;
          conn->rx[s] = m->channel;
          conn->rx_open[s] = TRUE;
        }
      else
        reply.type = MT_H245_MSG_OLC_REJECT;
      h245_queue (conn, &reply);
      h245_maybe_start_media (conn);
      break;
    case MT_H245_MSG_OLC_ACK:
    case MT_H245_MSG_OLC_REJECT:
      if ((s = session_of_number (conn, m->channel.number)) != 0)
        {
          conn->tx_done[s] = TRUE;
          if (m->type == MT_H245_MSG_OLC_ACK)
            {
              conn->tx[s].media = m->channel.media;
              if (m->channel.control.set)
                conn->tx[s].control = m->channel.control;
            }
          else
            conn->tx[s].media.set = FALSE;
        }
      h245_maybe_start_media (conn);
      break;
    case MT_H245_MSG_USER_INPUT:
      if (conn->call)
        mt_call_backend_dtmf_received (conn->call, m->user_input);
      break;
    case MT_H245_MSG_MSD_ACK:
    case MT_H245_MSG_OTHER:
    default:
      break;
    }
}

static void
h245_handle (MtH323Connection *conn, GPtrArray *control)
{
  for (guint i = 0; control && i < control->len && !conn->released; i++)
    {
      g_autoptr(GError) error = NULL;
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (control, i), &len);
      MtH245Message m;

      if (!mt_h245_message_decode (data, len, &m, &error))
        {
          g_message ("H.323 call %s: %s", conn->call_id_string, error->message);
          continue;
        }
      g_debug ("H.245 <- %s: type %d", conn->peer_host, m.type);
      h245_handle_one (conn, &m);
      mt_h245_message_clear (&m);
    }
  h245_flush (conn);
}

/* we start the procedures: our capabilities and master/slave determination */
static void
h245_begin (MtH323Connection *conn)
{
  conn->h245 = TRUE;
  h245_send_tcs (conn);
  h245_flush (conn);
}

/* ---- the backend: what MtCall's actions do ------------------------------------------------ */

static void
backend_answer (MtCall *call, gpointer data)
{
  MtH323Connection *conn = data;
  g_autoptr(MtH225Message) m = NULL;

  if (conn->released || (conn->negotiated == NULL && !conn->h245))
    return;
  g_clear_handle_id (&conn->ring_timeout_id, g_source_remove);
  if (conn->negotiated && !start_media (conn, conn->negotiated))
    return;
  m = message_new (conn, MT_Q931_CONNECT);
  if (conn->fs_answer)
    m->fast_start = g_ptr_array_ref (conn->fs_answer);
  send_message (conn, m);
  set_call_state (conn, MT_CALL_STATE_ACTIVE);
  if (conn->h245)
    h245_begin (conn);
}

static void
backend_decline (MtCall *call, gpointer data)
{
  connection_release (data, MT_END_REASON_DECLINED);
}

static void
backend_hangup (MtCall *call, gpointer data)
{
  MtH323Connection *conn = data;

  switch (mt_call_get_state (call))
    {
    case MT_CALL_STATE_INCOMING:
      connection_release (conn, MT_END_REASON_DECLINED);
      break;
    case MT_CALL_STATE_ACTIVE:
    case MT_CALL_STATE_HELD:
      connection_release (conn, MT_END_REASON_LOCAL_HANGUP);
      break;
    default:
      connection_release (conn, MT_END_REASON_CANCELLED);
      break;
    }
}

/* UserInputIndication (signal), one per key, tunnelled */
static gboolean
backend_send_dtmf (MtCall *call, const char *digits, gpointer data)
{
  MtH323Connection *conn = data;

  if (conn->released)
    return FALSE;
  for (const char *p = digits; *p; p++)
    {
      MtH245Message m = { .type = MT_H245_MSG_USER_INPUT, .signal = TRUE };

      if (!strchr ("0123456789*#ABCD", g_ascii_toupper (*p)))
        continue;
      m.user_input = g_ascii_toupper (*p);
      h245_queue (conn, &m);
    }
  h245_flush (conn);
  return TRUE;
}

static const MtCallBackend backend = {
  .protocol = "h323",
  .answer = backend_answer,
  .decline = backend_decline,
  .hangup = backend_hangup,
  .set_hold = NULL,
  .send_dtmf = backend_send_dtmf,
};

static gboolean
ring_timeout_cb (gpointer user_data)
{
  MtH323Connection *conn = user_data;

  conn->ring_timeout_id = 0;
  connection_release (conn, MT_END_REASON_NO_ANSWER);
  return G_SOURCE_REMOVE;
}

static void
start_ring_timer (MtH323Connection *conn)
{
  if (conn->ring_timeout_s > 0 && conn->ring_timeout_id == 0)
    conn->ring_timeout_id = g_timeout_add_seconds (conn->ring_timeout_s, ring_timeout_cb, conn);
}

static MtCall *
make_call (MtH323Connection *conn, const char *uri, const char *name)
{
  MtCall *call = mt_call_new_for_backend (&backend, conn, conn->call_id_string, conn->direction,
                                          uri, name, conn->media);

  g_signal_connect (call, "notify::state", G_CALLBACK (call_state_cb), conn);
  return call;
}

/* ---- incoming ------------------------------------------------------------------------------ */

static char *
remote_uri_for (const char *alias, const char *host)
{
  g_autofree char *user = alias ? g_uri_escape_string (alias, NULL, FALSE) : NULL;
  gboolean v6 = host && strchr (host, ':') != NULL;

  return g_strdup_printf ("h323:%s%s%s%s%s", user ? user : "", user ? "@" : "",
                          v6 ? "[" : "", host ? host : "", v6 ? "]" : "");
}

/* answer Setup with Release Complete, no call made */
static void
refuse (MtH323Connection *conn, guint cause, MtH225Reason reason)
{
  g_autoptr(MtH225Message) m = message_new (conn, MT_Q931_RELEASE_COMPLETE);

  m->cause = cause;
  m->reason = reason;
  conn->released = TRUE;
  send_message (conn, m);
  conn->close_after_write = TRUE;
  pump (conn);
}

static void
handle_setup (MtH323Connection *conn, MtH225Message *setup)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *local_host = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(MtH225Message) proceeding = NULL;
  g_autoptr(MtH225Message) alerting = NULL;
  MtH225Address ignored;

  g_clear_handle_id (&conn->setup_timeout_id, g_source_remove);
  conn->crv = setup->call_reference;
  memcpy (conn->call_id, setup->call_id, 16);
  memcpy (conn->conference_id, setup->conference_id, 16);
  if (!setup->has_uu)
    {
      refuse (conn, MT_Q931_CAUSE_INVALID_MESSAGE, MT_H225_REASON_UNDEFINED);
      return;
    }
  if (conn->hooks.busy (conn, conn->user_data))
    {
      g_message ("H.323: busy, refusing a call from %s", conn->peer_host);
      refuse (conn, MT_Q931_CAUSE_USER_BUSY, MT_H225_REASON_IN_CONF);
      return;
    }
  socket_address (conn->socket, TRUE, &ignored, &local_host);
  if (!make_media (conn, local_host ? local_host : "127.0.0.1", TRUE, &error))
    {
      g_warning ("H.323: no media for a call from %s: %s", conn->peer_host, error->message);
      refuse (conn, MT_Q931_CAUSE_NETWORK_OUT_OF_ORDER, MT_H225_REASON_UNDEFINED);
      return;
    }
  if (conn->fast_start && setup->fast_start)
    conn->negotiated = mt_fast_start_answer (setup->fast_start, conn->local, &conn->fs_answer,
                                             &error);
  if (conn->negotiated == NULL && setup->h245_tunnelling &&
      (!conn->fast_start || setup->fast_start == NULL))
    conn->h245 = TRUE;                          /* H.245 after Connect */
  else if (conn->negotiated == NULL)
    {
      g_message ("H.323: refusing a call from %s: %s", conn->peer_host,
                 setup->fast_start ? error->message : "no Fast Connect proposals");
      refuse (conn, MT_Q931_CAUSE_INCOMPATIBLE_DEST, MT_H225_REASON_UNDEFINED);
      return;
    }
  uri = remote_uri_for (setup->source_alias, conn->peer_host);
  conn->call = make_call (conn, uri, setup->display ? setup->display : setup->source_alias);
  if (conn->negotiated)
    mt_call_backend_set_has_video (conn->call, negotiated_has_video (conn->negotiated));
  else
    mt_call_backend_set_has_video (conn->call, conn->local->video_port != 0);
  proceeding = message_new (conn, MT_Q931_CALL_PROCEEDING);
  proceeding->fast_connect_refused = conn->h245 && setup->fast_start != NULL;
  send_message (conn, proceeding);
  alerting = message_new (conn, MT_Q931_ALERTING);
  alerting->fast_connect_refused = proceeding->fast_connect_refused;
  send_message (conn, alerting);
  set_call_state (conn, MT_CALL_STATE_INCOMING);
  start_ring_timer (conn);
  conn->hooks.call_created (conn, conn->call, conn->user_data);
}

static gboolean
setup_timeout_cb (gpointer user_data)
{
  MtH323Connection *conn = user_data;

  conn->setup_timeout_id = 0;
  g_message ("H.323: no Setup from %s, closing", conn->peer_host);
  conn->released = TRUE;
  finish (conn);
  return G_SOURCE_REMOVE;
}

MtH323Connection *
mt_h323_connection_new_incoming (const MtH323ConnectionSetup *setup, GSocketConnection *socket)
{
  MtH323Connection *conn = conn_new (setup, MT_CALL_DIRECTION_INCOMING);
  MtH225Address peer;

  conn->socket = g_object_ref (socket);
  socket_address (socket, FALSE, &peer, &conn->peer_host);
  conn->setup_timeout_id = g_timeout_add_seconds (SETUP_TIMEOUT_S, setup_timeout_cb, conn);
  start_read (conn);
  return conn;
}

/* ---- outgoing ------------------------------------------------------------------------------ */

static void
accept_fast_start (MtH323Connection *conn, MtH225Message *m)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) negotiated = NULL;

  if (conn->media_started || m->fast_start == NULL)
    return;
  negotiated = mt_fast_start_accept (m->fast_start, conn->local, &error);
  if (negotiated == NULL)
    {
      g_message ("H.323 call %s: %s", conn->call_id_string, error->message);
      connection_release (conn, MT_END_REASON_NO_COMMON_CODEC);
      return;
    }
  start_media (conn, negotiated);
}

static void
handle_reply (MtH323Connection *conn, MtH225Message *m)
{
  switch (m->type)
    {
    case MT_Q931_CALL_PROCEEDING:
      accept_fast_start (conn, m);
      break;
    case MT_Q931_ALERTING:
      accept_fast_start (conn, m);
      if (!conn->released)
        {
          set_call_state (conn, MT_CALL_STATE_RINGING);
          start_ring_timer (conn);
        }
      break;
    case MT_Q931_CONNECT:
      g_clear_handle_id (&conn->ring_timeout_id, g_source_remove);
      accept_fast_start (conn, m);
      if (conn->released)
        break;
      if (!conn->media_started && !m->h245_tunnelling)
        {
          g_message ("H.323 call %s: the called party wants neither Fast Connect nor "
                     "tunnelled H.245", conn->call_id_string);
          connection_release (conn, MT_END_REASON_NO_COMMON_CODEC);
          break;
        }
      set_call_state (conn, MT_CALL_STATE_ACTIVE);
      if (!conn->media_started)
        h245_begin (conn);
      break;
    default:
      break;
    }
}

static void
send_setup (MtH323Connection *conn)
{
  g_autoptr(MtH225Message) setup = message_new (conn, MT_Q931_SETUP);
  MtH225Address local;

  setup->display = g_strdup (conn->alias);
  setup->source_alias = g_strdup (conn->alias);
  setup->dest_alias = g_strdup (conn->peer_user);
  socket_address (conn->socket, TRUE, &local, NULL);
  setup->source_address = local;
  socket_address (conn->socket, FALSE, &setup->dest_address, NULL);
  if (conn->fast_start)
    setup->fast_start = g_ptr_array_ref (conn->proposals);
  send_message (conn, setup);
}

static MtEndReason
connect_error_reason (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
      g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return MT_END_REASON_UNREACHABLE;
  return MT_END_REASON_NETWORK_ERROR;
}

static void
connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MtH323Connection *conn = user_data;
  g_autoptr(GError) error = NULL;
  GSocketConnection *socket = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source),
                                                                      result, &error);

  if (conn->dead || conn->finished)
    {
      g_clear_object (&socket);
      conn_unref (conn);
      return;
    }
  if (socket == NULL)
    {
      g_message ("H.323 call %s: cannot reach %s:%u: %s", conn->call_id_string, conn->peer_host,
                 conn->peer_port, error->message);
      conn->released = TRUE;
      end_call (conn, connect_error_reason (error), error->message);
      finish (conn);
      conn_unref (conn);
      return;
    }
  conn->socket = socket;
  /* the client's connect timeout stays on the socket: a call is quiet for
   * minutes between messages, so no I/O timeout from here on */
  g_socket_set_timeout (g_socket_connection_get_socket (socket), 0);
  if (call_ended (conn))            /* hung up while connecting */
    {
      conn->released = FALSE;
      connection_release (conn, MT_END_REASON_CANCELLED);
    }
  else
    {
      send_setup (conn);
      start_read (conn);
    }
  conn_unref (conn);
}

static GInetAddress *
resolve (const char *host, GError **error)
{
  GInetAddress *address = g_inet_address_new_from_string (host);
  GList *list;

  if (address)
    return address;
  list = g_resolver_lookup_by_name (g_resolver_get_default (), host, NULL, error);
  for (GList *l = list; l; l = l->next)
    if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
      {
        address = g_object_ref (l->data);
        break;
      }
  if (address == NULL && list)
    address = g_object_ref (list->data);
  g_resolver_free_addresses (list);
  return address;
}

MtH323Connection *
mt_h323_connection_new_outgoing (const MtH323ConnectionSetup *setup,
                                 const char                  *uri,
                                 gboolean                     video,
                                 GError                     **error)
{
  MtH323Connection *conn = conn_new (setup, MT_CALL_DIRECTION_OUTGOING);
  g_autoptr(GInetAddress) peer = NULL;
  g_autofree char *media_address = NULL;
  g_autofree char *normalized = NULL;
  gboolean v6;

  if (!mt_h323_uri_parse (uri, &conn->peer_user, &conn->peer_host, &conn->peer_port, error) ||
      !(peer = resolve (conn->peer_host, error)))
    {
      conn_unref (conn);
      return NULL;
    }
  if (!(media_address = route_address_to (peer)))
    media_address = g_strdup ("127.0.0.1");
  if (!make_media (conn, media_address, video, error) ||
      !(conn->proposals = mt_fast_start_propose (conn->local, error)))
    {
      conn_unref (conn);
      return NULL;
    }
  conn->crv = (guint16) g_random_int_range (1, 0x8000);
  random_bytes (conn->call_id, 16);
  random_bytes (conn->conference_id, 16);
  v6 = strchr (conn->peer_host, ':') != NULL;
  normalized = g_strdup_printf ("h323:%s%s%s%s%s", conn->peer_user ? conn->peer_user : "",
                                conn->peer_user ? "@" : "", v6 ? "[" : "", conn->peer_host,
                                v6 ? "]" : "");
  if (conn->peer_port != MT_H323_DEFAULT_PORT)
    {
      char *with_port = g_strdup_printf ("%s:%u", normalized, conn->peer_port);

      g_free (normalized);
      normalized = with_port;
    }
  conn->call = make_call (conn, normalized, NULL);
  mt_call_backend_set_has_video (conn->call, conn->local->video_port != 0);
  set_call_state (conn, MT_CALL_STATE_CALLING);
  conn->client = g_socket_client_new ();
  g_socket_client_set_timeout (conn->client, CONNECT_TIMEOUT_S);
  g_socket_client_connect_to_host_async (conn->client, conn->peer_host, (guint16) conn->peer_port,
                                         conn->cancellable, connected_cb, conn_ref (conn));
  return conn;
}

/* ---- reading ------------------------------------------------------------------------------ */

static void
handle_message (MtH323Connection *conn, const guint8 *data, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtH225Message) m = mt_h225_message_decode (data, len, &error);

  if (m == NULL)
    {
      g_message ("H.323: a bad message from %s: %s", conn->peer_host, error->message);
      if (conn->call == NULL && conn->direction == MT_CALL_DIRECTION_INCOMING)
        refuse (conn, MT_Q931_CAUSE_INVALID_MESSAGE, MT_H225_REASON_UNDEFINED);
      else
        connection_release (conn, MT_END_REASON_NETWORK_ERROR);
      return;
    }
  g_debug ("H.323 <- %s: %s", conn->peer_host, mt_q931_type_to_string (m->type));
  if (m->type == MT_Q931_RELEASE_COMPLETE)
    {
      g_autofree char *status = g_strdup_printf ("Q.931 cause %u", m->cause);
      gboolean answered = conn->call && mt_call_get_answered (conn->call);

      conn->released = TRUE;
      end_call (conn, mt_h225_end_reason_from (m->cause, m->reason, conn->direction, answered),
                m->cause ? status : NULL);
      finish (conn);
      return;
    }
  if (conn->direction == MT_CALL_DIRECTION_INCOMING)
    {
      if (m->type == MT_Q931_SETUP && conn->call == NULL && !conn->released)
        handle_setup (conn, m);
    }
  else if (m->from_destination && m->call_reference == conn->crv)
    handle_reply (conn, m);
  if (m->h245_control && !conn->released && conn->call && conn->local &&
      mt_call_get_answered (conn->call))
    {
      conn->h245 = TRUE;
      h245_handle (conn, m->h245_control);
    }
}

static void
peer_closed (MtH323Connection *conn)
{
  if (!conn->released)
    {
      conn->released = TRUE;
      end_call (conn, conn->call && mt_call_get_answered (conn->call)
                      ? MT_END_REASON_REMOTE_HANGUP : MT_END_REASON_NETWORK_ERROR, NULL);
    }
  finish (conn);
}

static void
process_input (MtH323Connection *conn)
{
  while (!conn->finished && !conn->released)
    {
      gssize frame = mt_tpkt_frame_length (conn->inbuf->data, conn->inbuf->len);

      if (frame == 0)
        return;
      if (frame < 0)
        {
          g_message ("H.323: %s does not speak TPKT", conn->peer_host);
          if (conn->call == NULL)
            {
              conn->released = TRUE;
              finish (conn);
            }
          else
            connection_release (conn, MT_END_REASON_NETWORK_ERROR);
          return;
        }
      handle_message (conn, conn->inbuf->data + 4, (gsize) frame - 4);
      if (conn->inbuf)
        g_byte_array_remove_range (conn->inbuf, 0, (guint) frame);
    }
}

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MtH323Connection *conn = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (conn->dead || conn->finished)
    {
      conn_unref (conn);
      return;
    }
  if (n <= 0)
    {
      if (n < 0)
        g_message ("H.323: reading from %s: %s", conn->peer_host, error->message);
      peer_closed (conn);
      conn_unref (conn);
      return;
    }
  g_byte_array_append (conn->inbuf, conn->chunk, (guint) n);
  if (conn->inbuf->len > MAX_BUFFERED)
    {
      connection_release (conn, MT_END_REASON_NETWORK_ERROR);
      conn_unref (conn);
      return;
    }
  process_input (conn);
  if (!conn->finished && !conn->dead)
    start_read (conn);
  conn_unref (conn);
}

static void
start_read (MtH323Connection *conn)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (conn->socket)),
                             conn->chunk, sizeof conn->chunk, G_PRIORITY_DEFAULT,
                             conn->cancellable, read_cb, conn_ref (conn));
}

void
mt_h323_connection_hangup (MtH323Connection *conn)
{
  if (conn->call && !call_ended (conn))
    mt_call_hangup (conn->call);
  else if (!conn->released)
    {
      conn->released = TRUE;
      finish (conn);
    }
}
