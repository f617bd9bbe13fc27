/* mt-account.c: one SIP identity: a nua instance, its registration and calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-account"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <ifaddrs.h>
#include <string.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>
#include <sofia-sip/url.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/tport_tag.h>

#include "mt-account.h"
#include "mt-backoff.h"
#include "mt-call-backend.h"
#include "mt-call-private.h"
#include "mt-sip-conns.h"
#include "mt-sip-stack.h"
#include "mt-sip-status.h"
#include "mt-sip-uri.h"
#include "mt-sleep-monitor.h"
#include "mt-tls.h"

#define UNREGISTER_TIMEOUT_MS 2000
/* the methods we handle, for Allow */
#define MT_ACCOUNT_ALLOW "INVITE, ACK, BYE, CANCEL, OPTIONS, PRACK, UPDATE, INFO, REFER, NOTIFY"
#define SHUTDOWN_TIMEOUT_MS   3000
/* registration retries: 2 s doubling to 5 min, +-20 % (issue 14) */
#define REGISTER_RETRY_FIRST_MS 2000
#define REGISTER_RETRY_MAX_MS   (5 * 60 * 1000)
#define REGISTER_RETRY_JITTER   20
/* the longest Retry-After we wait for */
#define RETRY_AFTER_MAX_S       3600
/* an incoming TCP connection with no message and no user for this long */
#define IDLE_CONNECTION_MS      (3 * 60 * 1000)
/* and beyond this many connections opened to us, the longest idle (for
 * 2 s at least) are closed every second: a flood does not hold descriptors
 * for IDLE_CONNECTION_MS */
#define MAX_INCOMING_CONNECTIONS 200
#define TRIM_MIN_IDLE_MS         2000
/* RFC 3261 19.1.2: sips: and transport=tls */
#define TLS_DEFAULT_PORT        5061

struct _MtAccount
{
  GObject              parent_instance;

  MtSipStack          *stack;
  nua_t               *nua;
  nua_handle_t        *reg_nh;
  char                *listen;       /* as given: HOST:PORT */
  char                *listen_host;
  guint                listen_port;
  char                *aor;
  char                *user;
  char                *registrar;
  char                *contact_uri;
  MtCredentials       *credentials;  /* shared with the calls */
  MtTransport          transport;
  MtMediaConfig       *media_config;
  guint                expires;
  gboolean             single_call;
  guint                max_calls;     /* 0: single_call decides */
  int                  accept_direct; /* -1: the default for the mode */
  gboolean             delayed_offer; /* our INVITEs go without SDP */

  MtRegistrationState  reg_state;
  MtEndReason          reg_reason;
  gboolean             reg_auth_tried;
  gboolean             reg_wanted;    /* registered until unregister/shutdown */
  MtBackoff            reg_backoff;
  guint                reg_retry_id;
  guint                reg_retry_s;   /* seconds to the next try, 0: none */
  GNetworkMonitor     *network_monitor;
  gulong               network_changed_id;
  char                *local_addresses;  /* at the last network change */
  MtSleepMonitor      *sleep_monitor;
  gulong               resumed_id;
  guint                probe_id;     /* asks the registrar every REGISTRAR_PROBE_S */
  guint                trim_id;      /* caps incoming connections every second */
  nua_handle_t        *probe_nh;     /* the OPTIONS in flight, or NULL */
  char                *instance_id;  /* +sip.instance (RFC 5626), or NULL */

  GHashTable          *calls;        /* id -> MtCall (owned) */
  GTask               *shutdown_task;
  guint                shutdown_timer;
  gboolean             nua_shut_down;

  /* SIP over TLS */
  char                *tls_ca_file;  /* extra trusted CAs, or NULL */
  char                *tls_pin;      /* SHA-256 of a certificate trusted anyway */
  char                *tls_dir;      /* Sofia's certificate directory, ours */
  MtTlsProblem         tls_problem;  /* of the last failure, for registration */
  gboolean             tls_pin_added;
  GCancellable        *tls_cancellable;
  gboolean             reg_answered;  /* a response came from the server */
  guint                tls_grace_id;
};

static void mt_account_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MtAccount, mt_account, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      mt_account_initable_iface_init))

G_DEFINE_QUARK (mt-account-error-quark, mt_account_error)

enum {
  PROP_0,
  PROP_LISTEN,
  PROP_AOR,
  PROP_REGISTRAR,
  PROP_TRANSPORT,
  PROP_CONTACT_URI,
  PROP_REGISTRATION_STATE,
  PROP_REGISTRATION_REASON,
  PROP_TLS_CA_FILE,
  PROP_TLS_PIN,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_CALL_ADDED,
  SIGNAL_INCOMING_CALL,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static guint next_call_id = 1;

/* ---- registration state: the one place ---------------------------------- */

static void
set_registration (MtAccount *self, MtRegistrationState state, MtEndReason reason)
{
  gboolean reason_changed = self->reg_reason != reason;

  if (self->reg_state == state && !reason_changed)
    return;
  g_debug ("registration: %s (%s)", mt_registration_state_to_string (state),
           mt_end_reason_to_string (reason));
  g_object_freeze_notify (G_OBJECT (self));
  self->reg_reason = reason;
  if (reason_changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REGISTRATION_REASON]);
  if (self->reg_state != state)
    {
      self->reg_state = state;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REGISTRATION_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* ---- helpers -------------------------------------------------------------- */

static gboolean
parse_listen (MtAccount *self, const char *listen, GError **error)
{
  const char *colon;
  g_autofree char *host = NULL;
  gint64 port = 5060;

  if (listen == NULL || *listen == '\0')
    listen = "0.0.0.0:5060";
  if (listen[0] == '[')
    {
      const char *end = strchr (listen, ']');

      if (end == NULL)
        goto bad;
      host = g_strndup (listen + 1, end - listen - 1);
      colon = end[1] == ':' ? end + 1 : NULL;
    }
  else
    {
      colon = strrchr (listen, ':');
      host = colon ? g_strndup (listen, colon - listen) : g_strdup (listen);
    }
  if (colon && !g_ascii_string_to_signed (colon + 1, 10, 0, 65535, &port, NULL))
    goto bad;
  if (*host == '\0')
    goto bad;

  self->listen_host = g_steal_pointer (&host);
  self->listen_port = (guint) port;
  return TRUE;

bad:
  g_set_error (error, MT_ACCOUNT_ERROR, MT_ACCOUNT_ERROR_INVALID,
               _("“%s” is not a listening address; write HOST:PORT, e.g. 127.0.0.1:5070"), listen);
  return FALSE;
}

/* A port free for both UDP and TCP on `host`, for "HOST:0" */
static guint
find_free_port (const char *host)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (host);

  for (guint attempt = 0; addr && attempt < 100; attempt++)
    {
      guint port = g_random_int_range (20000, 60000);
      g_autoptr(GSocketAddress) sa = g_inet_socket_address_new (addr, port);
      g_autoptr(GSocket) udp = g_socket_new (g_inet_address_get_family (addr), G_SOCKET_TYPE_DATAGRAM,
                                             G_SOCKET_PROTOCOL_UDP, NULL);
      g_autoptr(GSocket) tcp = g_socket_new (g_inet_address_get_family (addr), G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, NULL);

      if (udp && tcp && g_socket_bind (udp, sa, FALSE, NULL) && g_socket_bind (tcp, sa, FALSE, NULL))
        return port;
    }
  return 0;
}

static char *
host_for_uri (const char *host)
{
  return strchr (host, ':') ? g_strdup_printf ("[%s]", host) : g_strdup (host);
}

static char *
with_transport (MtAccount *self, const char *uri)
{
  g_autofree char *param = mt_sip_uri_get_param (uri, "transport");

  if (self->transport == MT_TRANSPORT_UDP || param != NULL ||
      g_str_has_prefix (uri, "sips:"))
    return g_strdup (uri);
  return g_strdup_printf ("%s;transport=%s", uri,
                          self->transport == MT_TRANSPORT_TLS ? "tls" : "tcp");
}

/* every request of the account goes over TLS, every one it takes came
 * over TLS (it listens on TLS only): a call's signalling is secure even
 * with a plain sip: URI */
static gboolean
over_tls (MtAccount *self)
{
  return self->transport == MT_TRANSPORT_TLS;
}

/* a sips: URI, or one with transport=tls */
static gboolean
uri_wants_tls (const char *uri)
{
  g_autofree char *param = uri ? mt_sip_uri_get_param (uri, "transport") : NULL;

  return uri && (g_str_has_prefix (uri, "sips:") || g_ascii_strcasecmp (param ? param : "", "tls") == 0);
}

static gboolean
is_any_address (const char *host)
{
  return g_str_equal (host, "0.0.0.0") || g_str_equal (host, "::");
}

/* Sofia's bind URL. Given "0.0.0.0", Sofia binds one socket per address
 * the machine has at start-up: when that address goes (another network,
 * a new DHCP lease) the socket is bound to nothing, every send fails with
 * ENETUNREACH and the call is lost. A socket bound to the wildcard address
 * itself outlives address changes, and Sofia keeps one when the address it
 * is told to bind to (maddr) means 0.0.0.0 without being spelt "0.0.0.0"
 * (tport.c turns that spelling into "each local address"): "0.0" is the
 * same address in inet_aton's notation. The host part ("*": the machine's
 * address at start) only names us in Via and Contact; rport and
 * received (RFC 3581), outbound's natify and the registrar's fix-ups keep
 * them right when the address changes. */
static char *
bind_url_for (const char *scheme, const char *host, guint port)
{
  if (g_str_equal (host, "0.0.0.0"))
    return g_strdup_printf ("%s:*:%u;maddr=0.0", scheme, port);
  return g_strdup_printf ("%s:%s:%u", scheme, host, port);
}

/* The address that reaches `peer_host` from here, or NULL: a UDP connect()
 * asks the routing table; no packet is sent */
static char *
route_address_to (const char *peer_host)
{
  g_autoptr(GInetAddress) peer = peer_host ? g_inet_address_new_from_string (peer_host) : NULL;
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  if (peer == NULL)
    return NULL;
  sock = g_socket_new (g_inet_address_get_family (peer), G_SOCKET_TYPE_DATAGRAM,
                       G_SOCKET_PROTOCOL_UDP, NULL);
  remote = g_inet_socket_address_new (peer, 9);
  if (sock == NULL || !g_socket_connect (sock, remote, NULL, NULL) ||
      !(local = g_socket_get_local_address (sock, NULL)))
    return NULL;
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
}

/* `offerer`: we write the offer (an outgoing call), so we control ICE */
static MtMediaSession *
new_media_session (MtAccount *self, const char *peer_host, gboolean video, gboolean offerer,
                   GError **error)
{
  g_autoptr(MtMediaConfig) config = mt_media_config_copy (self->media_config);
  g_autofree char *media_address = NULL;
  const char *bind = self->listen_host;

  config->video = config->video && video;
  config->ice_controlling = offerer;
  if (!is_any_address (bind))
    media_address = g_strdup (bind);
  else if (!(media_address = route_address_to (peer_host)))
    media_address = g_strdup ("127.0.0.1");
  return mt_media_session_new (config, bind, media_address, error);
}

static guint
active_calls (MtAccount *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (mt_call_get_state (value) != MT_CALL_STATE_ENDED)
      n++;
  return n;
}

static void
forget_call_if_done (MtAccount *self, MtCall *call)
{
  if (mt_call_get_state (call) == MT_CALL_STATE_ENDED && mt_call_is_released (call))
    g_hash_table_remove (self->calls, mt_call_get_id (call));
}

/* every call that is up, but `except`, on hold */
static void
hold_all (MtAccount *self, MtCall *except)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      MtCallState state = mt_call_get_state (value);

      if (value != except && (state == MT_CALL_STATE_ACTIVE || state == MT_CALL_STATE_HELD))
        mt_call_set_hold (value, TRUE);
    }
}

/* no room for one more call: busy (486) */
static gboolean
at_most_calls (MtAccount *self)
{
  if (self->max_calls > 0)
    return active_calls (self) >= self->max_calls;
  return self->single_call && active_calls (self) > 0;
}

/* ---- transfer ------------------------------------------------------------------ */

/* The far end of `call` transfers us (REFER): call the target; the limit on
 * calls does not apply, the old call goes once the new one is answered */
static void
follow_transfer_cb (MtCall *call, const char *target, MtAccount *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtMediaSession) media = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *host = NULL;
  g_autofree char *id = NULL;
  MtCall *new_call;

  if (self->shutdown_task)
    return;
  uri = with_transport (self, target);
  host = mt_sip_uri_get_host (self->aor ? self->registrar : uri);
  media = new_media_session (self, host, mt_call_get_has_video (call), TRUE, &error);
  if (media == NULL)
    {
      g_warning ("Cannot follow the transfer to %s: %s", target, error->message);
      return;
    }
  id = g_strdup_printf ("%u", next_call_id++);
  new_call = mt_call_new_transfer (self->nua, self->credentials, id, uri, over_tls (self),
                                   media, call);
  if (new_call == NULL)
    return;
  g_signal_connect_object (new_call, "transfer", G_CALLBACK (follow_transfer_cb), self, 0);
  g_hash_table_insert (self->calls, g_strdup (id), new_call);
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, new_call);
}

/* ---- incoming calls -------------------------------------------------------- */

static void
incoming_invite (MtAccount *self, nua_handle_t *nh, const sip_t *sip, GInetAddress *source)
{
  /* our server vouches for whom it lets through; anyone can reach us directly */
  gboolean via_server = self->aor && self->credentials &&
                        mt_credentials_is_next_hop (self->credentials, source);
  g_autoptr(GError) error = NULL;
  g_autoptr(MtMediaSession) media = NULL;
  g_autofree char *id = NULL;
  const char *peer = sip && sip->sip_via ? sip->sip_via->v_host : NULL;
  gboolean replaces_up = FALSE;
  /* RFC 3891: an INVITE that replaces a call of ours (attended transfer) */
  g_autoptr(MtCall) replaced = mt_call_find_replaced (self->nua, sip, &replaces_up);
  MtCall *call;

  if (sip && sip->sip_replaces && !replaces_up)
    {
      nua_respond (nh, replaced ? 603 : 481, replaced ? "Decline" : "Call Does Not Exist",
                   TAG_END ());
      nua_handle_destroy (nh);
      return;
    }
  if (self->shutdown_task || (at_most_calls (self) && replaced == NULL))
    {
      nua_respond (nh, SIP_486_BUSY_HERE, TAG_END ());
      nua_handle_destroy (nh);
      return;
    }
  if (!via_server && !mt_account_get_accept_direct_calls (self))
    {
      g_autofree char *from = source ? g_inet_address_to_string (source) : NULL;

      g_message ("refusing a call from %s: not through our server", from ? from : "?");
      nua_respond (nh, SIP_403_FORBIDDEN,
                   SIPTAG_WARNING_STR ("399 mtavipclient \"This phone takes calls only through its server\""),
                   TAG_END ());
      nua_handle_destroy (nh);
      return;
    }
  if (sip == NULL)
    {
      nua_respond (nh, SIP_400_BAD_REQUEST, TAG_END ());
      nua_handle_destroy (nh);
      return;
    }
  /* RFC 3261 21.4.13 (RFC 4475 3.3.6): a body we cannot read is a 415, not a bad offer */
  if (sip->sip_content_type && sip->sip_content_type->c_type &&
      g_ascii_strcasecmp (sip->sip_content_type->c_type, "application/sdp") != 0)
    {
      nua_respond (nh, SIP_415_UNSUPPORTED_MEDIA, SIPTAG_ACCEPT_STR ("application/sdp"), TAG_END ());
      nua_handle_destroy (nh);
      return;
    }
  media = new_media_session (self, peer, TRUE, FALSE, &error);
  if (media == NULL)
    {
      g_warning ("Cannot take a call: %s", error->message);
      nua_respond (nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END ());
      nua_handle_destroy (nh);
      return;
    }

  id = g_strdup_printf ("%u", next_call_id++);
  call = mt_call_new_incoming (self->credentials, id, nh, sip, via_server, over_tls (self),
                               media);
  mt_call_set_nua (call, self->nua);
  g_signal_connect_object (call, "transfer", G_CALLBACK (follow_transfer_cb), self, 0);
  g_hash_table_insert (self->calls, g_strdup (id), call);
  /* answered before anyone sees it ring */
  if (replaced)
    mt_call_replace (call, replaced);
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, call);
  if (replaced)
    forget_call_if_done (self, replaced);
  if (mt_call_get_state (call) == MT_CALL_STATE_INCOMING)
    g_signal_emit (self, signals[SIGNAL_INCOMING_CALL], 0, call);
  /* after the handlers: one that refused the call (do not disturb) sent
   * its 486 without a 180 first */
  mt_call_ring (call);
  forget_call_if_done (self, call);
}

/* ---- registration ------------------------------------------------------------ */

static void send_register (MtAccount *self);

static gboolean
reregister_cb (gpointer user_data)
{
  MtAccount *self = user_data;

  self->reg_retry_id = 0;
  self->reg_retry_s = 0;
  if (self->reg_wanted && self->shutdown_task == NULL)
    send_register (self);
  return G_SOURCE_REMOVE;
}

/* A person fixes a wrong password or address; a server that is down, or a
 * network that is gone, comes back: only then do we try again. */
static gboolean
failure_is_transient (MtEndReason reason)
{
  return reason == MT_END_REASON_UNREACHABLE || reason == MT_END_REASON_NETWORK_ERROR;
}

static void
schedule_reregister (MtAccount *self, MtEndReason reason, const sip_t *sip)
{
  guint delay_ms;

  g_clear_handle_id (&self->reg_retry_id, g_source_remove);
  self->reg_retry_s = 0;
  if (!self->reg_wanted || self->shutdown_task || !failure_is_transient (reason))
    return;

  delay_ms = mt_backoff_next (&self->reg_backoff, g_random_double ());
  if (sip && sip->sip_retry_after && sip->sip_retry_after->af_delta > 0)
    delay_ms = MIN (sip->sip_retry_after->af_delta, RETRY_AFTER_MAX_S) * 1000;
  self->reg_retry_s = MAX (1, (delay_ms + 500) / 1000);
  g_message ("registration: trying again in %u ms", delay_ms);
  self->reg_retry_id = g_timeout_add (delay_ms, reregister_cb, self);
}

static char *dup_local_addresses (void);

/* The network came back (or changed, e.g. after a resume): a registration
 * that is waiting to retry goes now. */
static void
network_changed_cb (GNetworkMonitor *monitor, gboolean available, MtAccount *self)
{
  g_autofree char *addresses = dup_local_addresses ();
  gboolean moved = g_strcmp0 (addresses, self->local_addresses) != 0;

  g_free (self->local_addresses);
  self->local_addresses = g_steal_pointer (&addresses);
  /* our address changed (issue 9): the registrar must learn the new way to
   * us (a new NAT mapping) before anyone calls */
  if (available && moved && self->reg_retry_id == 0 && self->reg_wanted &&
      self->shutdown_task == NULL && self->reg_state == MT_REGISTRATION_REGISTERED)
    {
      g_message ("registration: our address changed, registering again");
      send_register (self);
      return;
    }
  if (!available || self->reg_retry_id == 0)
    return;
  g_message ("registration: network changed, trying again now");
  g_clear_handle_id (&self->reg_retry_id, g_source_remove);
  self->reg_retry_s = 0;
  mt_backoff_reset (&self->reg_backoff);
  self->reg_retry_id = g_idle_add (reregister_cb, self);
}

/* The machine woke up: the registration may have lapsed while it slept, or
 * the registrar restarted; its refresh timer has not noticed. Register again
 * now, with the back-off from before the suspend forgotten. */
static void
resumed_cb (MtSleepMonitor *monitor, MtAccount *self)
{
  if (!self->reg_wanted || self->shutdown_task)
    return;
  g_message ("registration: resumed from suspend, registering again now");
  mt_backoff_reset (&self->reg_backoff);
  send_register (self);
}

/* ---- is the registrar still there? ---------------------------------------------- */

/* A registration lasts an hour by default: a registrar that restarts (and
 * forgets us) or goes away would only be noticed at the refresh. So while
 * registered we ask it every REGISTRAR_PROBE_S with an OPTIONS; when no
 * server answers (408, or a 503 of our own transport: ICMP, refused), we
 * register again at once, and that REGISTER's failure takes the normal
 * back-off path until the registrar is back. Any answer from it, even an
 * error status, means it is there. */
#define REGISTRAR_PROBE_S 20

static void
probe_response (MtAccount *self, int status, const sip_t *sip)
{
  if (status < 200)
    return;
  nua_handle_destroy (self->probe_nh);
  self->probe_nh = NULL;
  if (mt_sip_response_from_peer (sip) || self->reg_state != MT_REGISTRATION_REGISTERED ||
      !self->reg_wanted || self->shutdown_task)
    return;
  g_message ("registration: the registrar did not answer an OPTIONS (%d), registering again",
             status);
  send_register (self);
}

static gboolean
probe_cb (gpointer user_data)
{
  MtAccount *self = user_data;
  g_autofree char *registrar = NULL;

  if (self->reg_state != MT_REGISTRATION_REGISTERED || self->probe_nh || self->shutdown_task)
    return G_SOURCE_CONTINUE;
  registrar = with_transport (self, self->registrar);
  self->probe_nh = nua_handle (self->nua, NULL, NUTAG_URL (registrar),
                               SIPTAG_TO_STR (self->aor), TAG_END ());
  nua_options (self->probe_nh, TAG_END ());
  return G_SOURCE_CONTINUE;
}

static void
stop_probe (MtAccount *self)
{
  g_clear_handle_id (&self->probe_id, g_source_remove);
  if (self->probe_nh)
    {
      nua_handle_destroy (self->probe_nh);
      self->probe_nh = NULL;
    }
}

/* ---- why a TLS connection failed ---------------------------------------------- */

/* Sofia closes a TLS connection whose certificate it does not trust and
 * says nothing: the request on it fails only when its transaction times
 * out (32 s). So while Sofia connects, we connect too (mt_tls_check_async(),
 * the same trusted CAs) and learn what is wrong with the certificate; when
 * something is, and the server has not answered over Sofia's connection
 * shortly after, the request failed for that reason. Our check can only
 * fail a request earlier: what succeeds is what Sofia verified. */
#define TLS_GRACE_MS 1000

typedef struct {
  MtAccount       *self;
  MtCall          *call;      /* NULL: the registration */
  MtTlsProblem     problem;
} TlsCheck;

static void
tls_check_free (TlsCheck *check)
{
  g_clear_object (&check->call);
  g_free (check);
}

/* Where `uri` goes over TLS: its host and port (5061 when it names none) */
static void
tls_next_hop (const char *uri, char **host, guint *port)
{
  *host = mt_sip_uri_get_host (uri);
  *port = mt_sip_uri_get_port (uri);
  if (*port == 0)
    *port = TLS_DEFAULT_PORT;
}

/* The server's certificate is one the user pinned: trust it from now on
 * (for this account only) */
static gboolean
adopt_pinned (MtAccount *self, GTlsCertificate *peer, gboolean pinned)
{
  g_autoptr(GError) error = NULL;

  if (!pinned || peer == NULL || self->tls_pin_added)
    return FALSE;
  if (!mt_tls_add_trusted (self->tls_dir, peer, &error))
    {
      g_warning ("Cannot trust the pinned certificate: %s", error->message);
      return FALSE;
    }
  self->tls_pin_added = TRUE;
  g_message ("trusting the pinned certificate %s", self->tls_pin);
  return TRUE;
}

static gboolean
call_answered (MtCall *call)
{
  return g_object_get_data (G_OBJECT (call), "mt-account-answered") != NULL ||
         mt_call_get_state (call) != MT_CALL_STATE_CALLING;
}

/* A fresh REGISTER on a new handle: the old one waits on a connection
 * Sofia closed */
static void
restart_registration (MtAccount *self)
{
  if (self->reg_nh)
    {
      nua_handle_destroy (self->reg_nh);
      self->reg_nh = NULL;
    }
}

static void
tls_failed (MtAccount *self, MtCall *call, MtTlsProblem problem)
{
  g_message ("TLS: %s", mt_tls_problem_to_sentence (problem));
  if (call)
    {
      if (call_answered (call))
        return;
      mt_call_set_tls_problem (call, problem);
      mt_call_backend_set_state (call, MT_CALL_STATE_ENDED, MT_END_REASON_TLS_FAILED, NULL);
      mt_call_release_handle (call);
      forget_call_if_done (self, call);
      return;
    }
  if (self->reg_answered || self->reg_state != MT_REGISTRATION_REGISTERING)
    return;
  /* a person must fix this (or pin the certificate): no retry */
  restart_registration (self);
  self->tls_problem = problem;
  set_registration (self, MT_REGISTRATION_FAILED, MT_END_REASON_TLS_FAILED);
}

static gboolean
tls_grace_cb (gpointer user_data)
{
  TlsCheck *check = user_data;

  check->self->tls_grace_id = 0;
  tls_failed (check->self, check->call, check->problem);
  return G_SOURCE_REMOVE;
}

static void
tls_checked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TlsCheck *check = user_data;
  MtAccount *self = check->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) peer = NULL;
  gboolean pinned = FALSE;
  MtTlsProblem problem = mt_tls_check_finish (result, &peer, &pinned, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      tls_check_free (check);
      return;
    }
  /* error: nothing answered; Sofia will say unreachable */
  g_debug ("TLS check: %s%s", error ? error->message : mt_tls_problem_to_string (problem),
           pinned ? " (pinned)" : "");
  if (adopt_pinned (self, peer, pinned) && check->call == NULL && !self->reg_answered)
    {
      /* the connection Sofia made before did not trust it yet */
      restart_registration (self);
      send_register (self);
      tls_check_free (check);
      return;
    }
  if (error || problem == MT_TLS_PROBLEM_NONE)
    {
      tls_check_free (check);
      return;
    }
  check->problem = problem;
  g_clear_handle_id (&self->tls_grace_id, g_source_remove);
  self->tls_grace_id = g_timeout_add_full (G_PRIORITY_DEFAULT, TLS_GRACE_MS, tls_grace_cb, check,
                                           (GDestroyNotify) tls_check_free);
}

static void
start_tls_check (MtAccount *self, const char *uri, MtCall *call)
{
  TlsCheck *check = g_new0 (TlsCheck, 1);
  g_autofree char *host = NULL;
  guint port;

  check->self = self;
  check->call = call ? g_object_ref (call) : NULL;
  tls_next_hop (uri, &host, &port);
  if (self->tls_cancellable == NULL)
    self->tls_cancellable = g_cancellable_new ();
  mt_tls_check_async (host, port, self->tls_dir, self->tls_pin, self->tls_cancellable,
                      tls_checked_cb, check);
}

static void
registration_response (MtAccount *self, nua_event_t event, int status, const sip_t *sip)
{
  gboolean unregistering = event == nua_r_unregister;

  if (mt_sip_response_from_peer (sip))
    self->reg_answered = TRUE;
  if (status < 200)
    return;
  if (status == 401 || status == 407)
    {
      g_autofree char *credentials = self->reg_auth_tried ? NULL
                                     : mt_credentials_dup_for_challenge (self->credentials, sip);

      if (credentials)
        {
          self->reg_auth_tried = TRUE;
          nua_authenticate (self->reg_nh, NUTAG_AUTH (credentials), TAG_END ());
          return;
        }
    }
  if (status < 300)
    {
      self->reg_auth_tried = FALSE;
      self->tls_problem = MT_TLS_PROBLEM_NONE;
      if (!unregistering)
        mt_backoff_reset (&self->reg_backoff);
      set_registration (self, unregistering ? MT_REGISTRATION_UNREGISTERED
                                            : MT_REGISTRATION_REGISTERED, MT_END_REASON_NONE);
    }
  else
    {
      MtEndReason failure = mt_sip_status_to_reason (status, sip, sip_method_register);

      if (!unregistering)
        {
          g_message ("registration failed: %d", status);
          schedule_reregister (self, failure, sip);
        }
      set_registration (self, unregistering ? MT_REGISTRATION_UNREGISTERED : MT_REGISTRATION_FAILED,
                        failure);
    }

  if (unregistering && self->shutdown_task)
    {
      g_clear_handle_id (&self->shutdown_timer, g_source_remove);
      nua_shutdown (self->nua);
    }
}

/* ---- shutdown ------------------------------------------------------------------- */

static void
finish_shutdown (MtAccount *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->shutdown_task);

  g_clear_handle_id (&self->shutdown_timer, g_source_remove);
  if (task)
    g_task_return_boolean (task, TRUE);
}

static gboolean
shutdown_timeout_cb (gpointer user_data)
{
  MtAccount *self = user_data;

  self->shutdown_timer = 0;
  if (self->reg_state == MT_REGISTRATION_REGISTERED || self->reg_state == MT_REGISTRATION_REGISTERING)
    {
      /* the registrar did not answer the un-REGISTER; stop anyway */
      set_registration (self, MT_REGISTRATION_UNREGISTERED, MT_END_REASON_UNREACHABLE);
      nua_shutdown (self->nua);
      self->shutdown_timer = g_timeout_add (SHUTDOWN_TIMEOUT_MS, shutdown_timeout_cb, self);
      return G_SOURCE_REMOVE;
    }
  g_message ("SIP stack did not stop in time");
  finish_shutdown (self);
  return G_SOURCE_REMOVE;
}

/* ---- requests that belong to no call ---------------------------------------------- */

/* A REFER outside any dialog (RFC 3515 allows it; we take no orders from
 * strangers: 403), an UPDATE or INFO for a call that is gone (481): answer
 * and drop the handle nua made for it, so nothing stays behind. */
static void
refuse_stray_request (MtAccount *self, nua_event_t event, nua_handle_t *nh)
{
  if (nh == NULL || nh == self->reg_nh)
    return;
  switch (event)
    {
    case nua_i_refer:
      nua_respond (nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS (self->nua), TAG_END ());
      break;
    case nua_i_update:
    case nua_i_info:
      nua_respond (nh, SIP_481_NO_TRANSACTION, NUTAG_WITH_THIS (self->nua), TAG_END ());
      break;
    default:
      return;
    }
  nua_handle_destroy (nh);
}

/* ---- the nua callback ------------------------------------------------------------ */

static void account_event (MtAccount *self, nua_event_t event, int status,
                           nua_handle_t *nh, sip_t const *sip, GInetAddress *source);

/* The address the message in @saved came from, or NULL */
static GInetAddress *
message_source (nua_saved_event_t *saved)
{
  nua_event_data_t const *data = nua_event_data (saved);
  su_addrinfo_t *ai = data && data->e_msg ? msg_addrinfo (data->e_msg) : NULL;
  g_autoptr(GSocketAddress) sa = NULL;

  if (ai == NULL || ai->ai_addr == NULL)
    return NULL;
  sa = g_socket_address_new_from_native (ai->ai_addr, ai->ai_addrlen);
  if (!G_IS_INET_SOCKET_ADDRESS (sa))
    return NULL;
  return g_object_ref (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (sa)));
}

static void
nua_callback (nua_event_t   event,
              int           status,
              char const   *phrase,
              nua_t        *nua,
              MtAccount    *self,
              nua_handle_t *nh,
              MtCall       *call,
              sip_t const  *sip,
              tagi_t        tags[])
{
  g_autoptr(GInetAddress) source = NULL;
  nua_saved_event_t saved[1];
  /* a challenge is answered, an INVITE trusted, by where it came from */
  gboolean need_source = status == 401 || status == 407 || event == nua_i_invite;

  g_debug ("%s %d %s", nua_event_name (event), status, phrase ? phrase : "");

  /* the server answered over the connection: Sofia verified it */
  if (call != NULL && event == nua_r_invite && mt_sip_response_from_peer (sip))
    g_object_set_data (G_OBJECT (call), "mt-account-answered", GINT_TO_POINTER (TRUE));

  /* the saved event (and so sip, phrase and tags) lives until we destroy it
   * below */
  if (need_source && nua_save_event (nua, saved))
    source = message_source (saved);
  else
    need_source = FALSE;
  /* NULL once the account is being disposed: nua may still report its end */
  if (self->credentials)
    mt_credentials_set_source (self->credentials, source);

  if (call != NULL)
    {
      g_object_ref (call);
      mt_call_handle_event (call, event, status, phrase, sip, tags);
      forget_call_if_done (self, call);
      g_object_unref (call);
    }
  else
    account_event (self, event, status, nh, sip, source);
  if (self->credentials)
    mt_credentials_set_source (self->credentials, NULL);
  if (need_source)
    nua_destroy_event (saved);
}

static void
account_event (MtAccount    *self,
               nua_event_t   event,
               int           status,
               nua_handle_t *nh,
               sip_t const  *sip,
               GInetAddress *source)
{

  switch (event)
    {
    case nua_i_invite:
      incoming_invite (self, nh, sip, source);
      break;
    case nua_r_register:
    case nua_r_unregister:
      if (nh == self->reg_nh)
        registration_response (self, event, status, sip);
      break;
    case nua_r_options:
      if (nh != NULL && nh == self->probe_nh)
        probe_response (self, status, sip);
      break;
    case nua_r_shutdown:
      if (status >= 200)
        {
          self->nua_shut_down = TRUE;
          finish_shutdown (self);
        }
      break;
    case nua_i_terminated:
    case nua_i_state:
      break;
    default:
      refuse_stray_request (self, event, nh);
      break;
    }
}

/* ---- GInitable --------------------------------------------------------------------- */

/* our registrar/proxy's connections are never cut */
static gboolean
keep_connection (GInetAddress *peer, gpointer user_data)
{
  MtAccount *self = user_data;

  return self->aor && self->credentials && mt_credentials_is_next_hop (self->credentials, peer);
}

static gboolean
trim_connections_cb (gpointer user_data)
{
  MtAccount *self = user_data;

  mt_sip_conns_trim (self->listen_port, MAX_INCOMING_CONNECTIONS, TRIM_MIN_IDLE_MS,
                     keep_connection, self);
  return G_SOURCE_CONTINUE;
}

static gboolean
mt_account_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  MtAccount *self = MT_ACCOUNT (initable);
  g_autofree char *host = NULL;
  g_autofree char *bind_url = NULL;
  g_autofree char *from = NULL;
  g_autofree char *proxy = NULL;

  if (!parse_listen (self, self->listen, error))
    return FALSE;
  if (self->listen_port == 0 && (self->listen_port = find_free_port (self->listen_host)) == 0)
    {
      g_set_error (error, MT_ACCOUNT_ERROR, MT_ACCOUNT_ERROR_LISTEN,
                   _("No free port to listen for SIP on %s"), self->listen_host);
      return FALSE;
    }
  host = host_for_uri (self->listen_host);
  if (uri_wants_tls (self->registrar) || uri_wants_tls (self->aor))
    self->transport = MT_TRANSPORT_TLS;
  /* with TLS we listen on TLS only: what comes in comes encrypted */
  bind_url = bind_url_for (self->transport == MT_TRANSPORT_TLS ? "sips" : "sip", host,
                           self->listen_port);
  if (self->transport == MT_TRANSPORT_TLS &&
      !(self->tls_dir = mt_tls_make_directory (self->tls_ca_file, self->tls_pin != NULL, error)))
    return FALSE;

  if (self->aor)
    {
      g_autofree char *normalized = mt_sip_uri_normalize (self->aor, NULL, error);

      if (normalized == NULL)
        return FALSE;
      g_free (self->aor);
      self->aor = g_steal_pointer (&normalized);
      self->user = mt_sip_uri_get_user (self->aor);
      if (self->user == NULL)
        {
          g_set_error (error, MT_ACCOUNT_ERROR, MT_ACCOUNT_ERROR_INVALID,
                       _("The account address %s has no user name before the @"), self->aor);
          return FALSE;
        }
      if (self->registrar == NULL)
        {
          g_autofree char *domain = mt_sip_uri_get_host (self->aor);
          guint port = mt_sip_uri_get_port (self->aor);

          self->registrar = port ? g_strdup_printf ("sip:%s:%u", domain, port)
                                 : g_strdup_printf ("sip:%s", domain);
        }
      else
        {
          g_autofree char *registrar = mt_sip_uri_normalize (self->registrar, NULL, error);

          if (registrar == NULL)
            return FALSE;
          g_free (self->registrar);
          self->registrar = g_steal_pointer (&registrar);
        }
      proxy = with_transport (self, self->registrar);
      from = g_strdup (self->aor);
    }
  else
    {
      self->user = g_strdup ("mtavip");
      from = g_strdup_printf ("sip:%s@%s:%u", self->user,
                              is_any_address (self->listen_host) ? "127.0.0.1" : host,
                              self->listen_port);
    }
  self->contact_uri = g_strdup_printf ("sip:%s@%s:%u%s", self->user, host, self->listen_port,
                                       self->transport == MT_TRANSPORT_TLS ? ";transport=tls" : "");
  self->credentials = mt_credentials_new (self->user);
  mt_credentials_set_server (self->credentials, self->aor, proxy);

  self->stack = mt_sip_stack_dup_default ();
  self->nua = nua_create (mt_sip_stack_get_root (self->stack), nua_callback, self,
                          NUTAG_URL (bind_url),
                          TAG_IF (mt_sip_stack_get_trace (self->stack), TPTAG_LOG (1)),
                          /* a connection nobody uses is closed after a while:
                           * a flood of idle connections does not stay */
                          TPTAG_IDLE (IDLE_CONNECTION_MS),
                          /* TLS: the server's certificate must chain to a
                           * trusted CA (cafile.pem: the system's and
                           * --tls-ca), be valid now and name the host we
                           * connect to; with a pin it must be the pinned
                           * one, whatever its dates and names (see
                           * mt_tls_make_directory()); any TLS version
                           * OpenSSL allows (Sofia's default is TLS 1.0 only) */
                          TAG_IF (self->tls_dir, TPTAG_CERTIFICATE (self->tls_dir)),
                          TAG_IF (self->tls_dir, TPTAG_TLS_VERSION (0)),
                          TAG_IF (self->tls_dir,
                                  TPTAG_TLS_VERIFY_POLICY (mt_tls_verify_policy (self->tls_pin != NULL))),
                          TAG_IF (self->tls_dir,
                                  TPTAG_TLS_VERIFY_DATE (mt_tls_verify_date (self->tls_pin != NULL))),
                          TAG_END ());
  if (self->nua == NULL)
    {
      g_set_error (error, MT_ACCOUNT_ERROR, MT_ACCOUNT_ERROR_LISTEN,
                   _("Cannot listen for SIP on %s:%u: the port is in use or the address is not on this machine"),
                   self->listen_host, self->listen_port);
      return FALSE;
    }
  nua_set_params (self->nua,
                  NUTAG_MEDIA_ENABLE (0),
                  NUTAG_AUTOALERT (0),
                  NUTAG_AUTOANSWER (0),
                  NUTAG_AUTOACK (1),
                  NUTAG_ENABLEINVITE (1),
                  /* only what we handle (RFC 3261 20.5): no MESSAGE, SUBSCRIBE,
                   * NOTIFY; INFO carries DTMF (application/dtmf-relay); nua
                   * refuses the rest with 405 */
                  SIPTAG_ALLOW_STR (MT_ACCOUNT_ALLOW),
                  /* we answer these ourselves: an UPDATE's offer (RFC 3311), a REFER */
                  NUTAG_APPL_METHOD ("UPDATE"),
                  NUTAG_APPL_METHOD ("REFER"),
                  /* RFC 4028's smallest interval: session refreshes we make
                   * carry our SDP (mt-call.c) */
                  NUTAG_MIN_SE (90),
                  /* NAT (RFC 5626 style, Sofia's outbound): an OPTIONS to the
                   * registrar every 25 s keeps the NAT binding the registrar
                   * reaches us through; "natify" learns our public address
                   * from Via received/rport and re-registers when it changes */
                  NUTAG_OUTBOUND ("options-keepalive natify no-validate"),
                  NUTAG_KEEPALIVE (25000),
                  NUTAG_USER_AGENT ("MTAVIPClient/" PACKAGE_VERSION),
                  /* keep UDP for big INVITEs (video SDP): peers and proxies
                   * reached over UDP do not all listen on TCP */
                  NTATAG_UDP_MTU (65535),
                  SIPTAG_FROM_STR (from),
                  TAG_IF (proxy, NUTAG_PROXY (proxy)),
                  TAG_END ());
  self->trim_id = g_timeout_add_seconds (1, trim_connections_cb, self);
  return TRUE;
}

static void
mt_account_initable_iface_init (GInitableIface *iface)
{
  iface->init = mt_account_initable_init;
}

/* ---- public --------------------------------------------------------------------------- */

MtAccount *
mt_account_new (const char  *listen,
                const char  *aor,
                const char  *registrar,
                MtTransport  transport,
                GError     **error)
{
  return g_initable_new (MT_TYPE_ACCOUNT, NULL, error,
                         "listen", listen,
                         "aor", aor,
                         "registrar", registrar,
                         "transport", transport,
                         NULL);
}

const char *
mt_account_get_aor (MtAccount *self)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), NULL);
  return self->aor;
}

guint
mt_account_get_port (MtAccount *self)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), 0);
  return self->listen_port;
}

const char *
mt_account_get_contact_uri (MtAccount *self)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), NULL);
  return self->contact_uri;
}


char *
mt_account_dup_reachable_uri (MtAccount *self)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (MT_IS_ACCOUNT (self), NULL);

  /* the default route, asked with a TEST-NET-1 address (RFC 5737) */
  if (is_any_address (self->listen_host) && (host = route_address_to ("192.0.2.1")))
    return g_strdup_printf ("sip:%s@%s:%u", self->user, host, self->listen_port);
  return g_strdup (self->contact_uri);
}

MtRegistrationState
mt_account_get_registration_state (MtAccount *self)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), MT_REGISTRATION_NONE);
  return self->reg_state;
}

MtEndReason
mt_account_get_registration_reason (MtAccount *self)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), MT_END_REASON_NONE);
  return self->reg_reason;
}

void
mt_account_set_password (MtAccount *self, const char *password)
{
  g_return_if_fail (MT_IS_ACCOUNT (self));
  g_return_if_fail (self->credentials != NULL);
  mt_credentials_set_password (self->credentials, password);
}

void
mt_account_set_media_config (MtAccount *self, const MtMediaConfig *config)
{
  g_return_if_fail (MT_IS_ACCOUNT (self));
  g_return_if_fail (config != NULL);
  g_clear_pointer (&self->media_config, mt_media_config_free);
  self->media_config = mt_media_config_copy (config);
}


void
mt_account_set_expires (MtAccount *self, guint seconds)
{
  g_return_if_fail (MT_IS_ACCOUNT (self));
  self->expires = seconds;
}

void
mt_account_set_accept_direct_calls (MtAccount *self, gboolean accept)
{
  g_return_if_fail (MT_IS_ACCOUNT (self));
  self->accept_direct = !!accept;
}

gboolean
mt_account_get_accept_direct_calls (MtAccount *self)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), TRUE);
  if (self->accept_direct >= 0)
    return self->accept_direct;
  return self->aor == NULL;
}

void
mt_account_set_single_call (MtAccount *self, gboolean single)
{
  g_return_if_fail (MT_IS_ACCOUNT (self));
  self->single_call = !!single;
}

void
mt_account_register (MtAccount *self)
{
  g_return_if_fail (MT_IS_ACCOUNT (self));
  g_return_if_fail (self->aor != NULL);

  self->reg_wanted = TRUE;
  mt_backoff_reset (&self->reg_backoff);
  if (self->network_monitor == NULL)
    {
      self->network_monitor = g_object_ref (g_network_monitor_get_default ());
      self->network_changed_id = g_signal_connect (self->network_monitor, "network-changed",
                                                   G_CALLBACK (network_changed_cb), self);
      self->local_addresses = dup_local_addresses ();
    }
  if (self->sleep_monitor == NULL)
    {
      self->sleep_monitor = mt_sleep_monitor_new ();
      self->resumed_id = g_signal_connect (self->sleep_monitor, "resumed",
                                           G_CALLBACK (resumed_cb), self);
    }
  if (self->probe_id == 0 && self->registrar != NULL)
    self->probe_id = g_timeout_add_seconds (REGISTRAR_PROBE_S, probe_cb, self);
  send_register (self);
}

guint
mt_account_get_registration_retry (MtAccount *self)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), 0);
  return self->reg_retry_s;
}

static void
send_register (MtAccount *self)
{
  g_autofree char *registrar = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *features = NULL;

  g_clear_handle_id (&self->reg_retry_id, g_source_remove);
  self->reg_retry_s = 0;
  registrar = with_transport (self, self->registrar);
  expires = g_strdup_printf ("%u", self->expires);
  if (self->reg_nh == NULL)
    {
      g_autofree char *to = g_strdup_printf ("<%s>", self->aor);

      self->reg_nh = nua_handle (self->nua, NULL, SIPTAG_TO_STR (to), TAG_END ());
    }
  self->reg_auth_tried = FALSE;
  if (self->instance_id)
    features = g_strdup_printf ("+sip.instance=\"<%s>\"", self->instance_id);
  self->reg_answered = FALSE;
  if (self->transport == MT_TRANSPORT_TLS)
    start_tls_check (self, self->registrar, NULL);
  set_registration (self, MT_REGISTRATION_REGISTERING, MT_END_REASON_NONE);
  nua_register (self->reg_nh,
                NUTAG_REGISTRAR (registrar),
                NUTAG_M_USERNAME (self->user),
                TAG_IF (self->transport == MT_TRANSPORT_TCP, NUTAG_M_PARAMS ("transport=tcp")),
                TAG_IF (features, NUTAG_M_FEATURES (features)),
                TAG_IF (self->transport == MT_TRANSPORT_TLS, NUTAG_M_PARAMS ("transport=tls")),
                SIPTAG_EXPIRES_STR (expires),
                TAG_END ());
}

void
mt_account_unregister (MtAccount *self)
{
  g_return_if_fail (MT_IS_ACCOUNT (self));

  self->reg_wanted = FALSE;
  g_clear_handle_id (&self->reg_retry_id, g_source_remove);
  self->reg_retry_s = 0;
  if (self->reg_nh == NULL)
    return;
  self->reg_auth_tried = FALSE;
  nua_unregister (self->reg_nh, TAG_END ());
}

MtCall *
mt_account_call (MtAccount *self, const char *target, gboolean video, GError **error)
{
  g_autofree char *normalized = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *peer_host = NULL;
  g_autofree char *id = NULL;
  g_autoptr(MtMediaSession) media = NULL;
  MtCall *call;

  g_return_val_if_fail (MT_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  if (!(normalized = mt_account_dup_target_uri (self, target, error)))
    return NULL;
  if (at_most_calls (self))
    {
      g_set_error_literal (error, MT_ACCOUNT_ERROR, MT_ACCOUNT_ERROR_BUSY,
                           _("Hang up the current call before making another one."));
      return NULL;
    }
  uri = with_transport (self, normalized);
  peer_host = mt_sip_uri_get_host (self->aor ? self->registrar : uri);
  if (!(media = new_media_session (self, peer_host, video, TRUE, error)))
    return NULL;

  id = g_strdup_printf ("%u", next_call_id++);
  call = self->delayed_offer
         ? mt_call_new_outgoing_delayed_offer (self->nua, self->credentials, id, uri,
                                               over_tls (self), media)
         : mt_call_new_outgoing (self->nua, self->credentials, id, uri, over_tls (self), media);
  if (call == NULL)
    {
      g_set_error (error, MT_ACCOUNT_ERROR, MT_ACCOUNT_ERROR_INVALID,
                   "Could not make a call to %s", uri);
      return NULL;
    }
  g_signal_connect_object (call, "transfer", G_CALLBACK (follow_transfer_cb), self, 0);
  g_hash_table_insert (self->calls, g_strdup (id), call);
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, call);
  /* a registration over TLS verified the server already */
  if (uri_wants_tls (uri) && self->reg_state != MT_REGISTRATION_REGISTERED)
    start_tls_check (self, self->aor ? self->registrar : uri, call);
  return call;
}


GList *
mt_account_list_calls (MtAccount *self)
{
  GHashTableIter iter;
  gpointer value;
  GList *list = NULL;

  g_return_val_if_fail (MT_IS_ACCOUNT (self), NULL);

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (mt_call_get_state (value) != MT_CALL_STATE_ENDED)
      list = g_list_prepend (list, value);
  return list;
}

void
mt_account_shutdown_async (MtAccount           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GList) calls = NULL;

  g_return_if_fail (MT_IS_ACCOUNT (self));
  g_return_if_fail (self->shutdown_task == NULL);

  self->shutdown_task = g_task_new (self, cancellable, callback, user_data);
  self->reg_wanted = FALSE;
  g_clear_handle_id (&self->reg_retry_id, g_source_remove);
  stop_probe (self);
  calls = mt_account_list_calls (self);
  for (GList *l = calls; l; l = l->next)
    mt_call_hangup (l->data);

  if (self->reg_nh && self->reg_state == MT_REGISTRATION_REGISTERED)
    {
      mt_account_unregister (self);
      self->shutdown_timer = g_timeout_add (UNREGISTER_TIMEOUT_MS, shutdown_timeout_cb, self);
      return;
    }
  nua_shutdown (self->nua);
  self->shutdown_timer = g_timeout_add (SHUTDOWN_TIMEOUT_MS, shutdown_timeout_cb, self);
}

gboolean
mt_account_shutdown_finish (MtAccount *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
mt_account_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MtAccount *self = MT_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_LISTEN:
      self->listen = g_value_dup_string (value);
      break;
    case PROP_AOR:
      self->aor = g_value_dup_string (value);
      break;
    case PROP_REGISTRAR:
      self->registrar = g_value_dup_string (value);
      break;
    case PROP_TRANSPORT:
      self->transport = g_value_get_enum (value);
      break;
    case PROP_TLS_CA_FILE:
      self->tls_ca_file = g_value_dup_string (value);
      break;
    case PROP_TLS_PIN:
      mt_account_set_tls_pin (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mt_account_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MtAccount *self = MT_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_AOR: g_value_set_string (value, self->aor); break;
    case PROP_REGISTRAR: g_value_set_string (value, self->registrar); break;
    case PROP_TRANSPORT: g_value_set_enum (value, self->transport); break;
    case PROP_CONTACT_URI: g_value_set_string (value, self->contact_uri); break;
    case PROP_REGISTRATION_STATE: g_value_set_enum (value, self->reg_state); break;
    case PROP_REGISTRATION_REASON: g_value_set_enum (value, self->reg_reason); break;
    case PROP_TLS_CA_FILE: g_value_set_string (value, self->tls_ca_file); break;
    case PROP_TLS_PIN: g_value_set_string (value, self->tls_pin); break;
    case PROP_LISTEN:
      g_value_take_string (value, g_strdup_printf ("%s:%u", self->listen_host, self->listen_port));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mt_account_dispose (GObject *object)
{
  MtAccount *self = MT_ACCOUNT (object);

  if (self->calls)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->calls);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        mt_call_release_handle (value);
      g_clear_pointer (&self->calls, g_hash_table_unref);
    }
  g_clear_handle_id (&self->shutdown_timer, g_source_remove);
  g_clear_handle_id (&self->reg_retry_id, g_source_remove);
  g_cancellable_cancel (self->tls_cancellable);
  g_clear_object (&self->tls_cancellable);
  g_clear_handle_id (&self->tls_grace_id, g_source_remove);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  stop_probe (self);
  g_clear_signal_handler (&self->network_changed_id, self->network_monitor);
  g_clear_signal_handler (&self->resumed_id, self->sleep_monitor);
  g_clear_object (&self->sleep_monitor);
  g_clear_object (&self->network_monitor);
  g_clear_pointer (&self->local_addresses, g_free);
  if (self->reg_nh)
    {
      nua_handle_destroy (self->reg_nh);
      self->reg_nh = NULL;
    }
  if (self->nua && self->nua_shut_down)
    nua_destroy (self->nua);
  self->nua = NULL;
  g_clear_object (&self->stack);
  g_clear_object (&self->credentials);
  G_OBJECT_CLASS (mt_account_parent_class)->dispose (object);
}

static void
mt_account_finalize (GObject *object)
{
  MtAccount *self = MT_ACCOUNT (object);

  g_free (self->listen);
  g_free (self->listen_host);
  g_free (self->aor);
  g_free (self->user);
  g_free (self->registrar);
  g_free (self->contact_uri);
  g_free (self->instance_id);
  g_free (self->tls_ca_file);
  g_free (self->tls_pin);
  mt_tls_remove_directory (self->tls_dir);
  g_free (self->tls_dir);
  g_clear_pointer (&self->media_config, mt_media_config_free);
  G_OBJECT_CLASS (mt_account_parent_class)->finalize (object);
}

static void
mt_account_class_init (MtAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->set_property = mt_account_set_property;
  object_class->get_property = mt_account_get_property;
  object_class->dispose = mt_account_dispose;
  object_class->finalize = mt_account_finalize;

  props[PROP_LISTEN] = g_param_spec_string ("listen", NULL, NULL, NULL, co);
  props[PROP_AOR] = g_param_spec_string ("aor", NULL, NULL, NULL, co);
  props[PROP_REGISTRAR] = g_param_spec_string ("registrar", NULL, NULL, NULL, co);
  props[PROP_TRANSPORT] = g_param_spec_enum ("transport", NULL, NULL, MT_TYPE_TRANSPORT,
                                             MT_TRANSPORT_UDP, co);
  props[PROP_CONTACT_URI] = g_param_spec_string ("contact-uri", NULL, NULL, NULL, ro);
  props[PROP_TLS_CA_FILE] = g_param_spec_string ("tls-ca-file", NULL, NULL, NULL, co);
  props[PROP_TLS_PIN] = g_param_spec_string ("tls-pin", NULL, NULL, NULL,
                                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                             G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_REGISTRATION_STATE] =
    g_param_spec_enum ("registration-state", NULL, NULL, MT_TYPE_REGISTRATION_STATE,
                       MT_REGISTRATION_NONE, ro);
  props[PROP_REGISTRATION_REASON] =
    g_param_spec_enum ("registration-reason", NULL, NULL, MT_TYPE_END_REASON,
                       MT_END_REASON_NONE, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_CALL_ADDED] =
    g_signal_new ("call-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MT_TYPE_CALL);
  signals[SIGNAL_INCOMING_CALL] =
    g_signal_new ("incoming-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MT_TYPE_CALL);
}

static void
mt_account_init (MtAccount *self)
{
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->media_config = mt_media_config_new ();
  self->expires = 3600;
  self->single_call = TRUE;
  self->accept_direct = -1;
  mt_backoff_init (&self->reg_backoff, REGISTER_RETRY_FIRST_MS, REGISTER_RETRY_MAX_MS,
                   REGISTER_RETRY_JITTER);
}

/* ---- addresses ---------------------------------------------------------------------- */

char *
mt_account_dup_target_uri (MtAccount *self, const char *typed, GError **error)
{
  g_autofree char *domain = NULL;

  g_return_val_if_fail (MT_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (typed != NULL, NULL);

  /* "bob" and tel: numbers join the account's domain; direct mode has none */
  domain = self->aor ? mt_sip_uri_get_host (self->aor) : NULL;
  return mt_sip_uri_normalize (typed, domain, error);
}

/* ---- several calls ------------------------------------------------------------------ */

void
mt_account_set_max_calls (MtAccount *self, guint max_calls)
{
  g_return_if_fail (MT_IS_ACCOUNT (self));
  self->max_calls = max_calls;
}

guint
mt_account_get_max_calls (MtAccount *self)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), 1);
  if (self->max_calls > 0)
    return self->max_calls;
  return self->single_call ? 1 : 0;
}

void
mt_account_switch_to (MtAccount *self, MtCall *call)
{
  g_return_if_fail (MT_IS_ACCOUNT (self));
  g_return_if_fail (MT_IS_CALL (call));

  hold_all (self, call);
  if (mt_call_get_state (call) == MT_CALL_STATE_INCOMING)
    mt_call_answer (call);
  else
    mt_call_set_hold (call, FALSE);
}

/**
 * mt_account_set_instance_id:
 * @instance_id: (nullable): a URN such as "urn:uuid:...", the same every time
 *   this user agent starts (mt_account_dup_stable_instance_id())
 *
 * Sent as +sip.instance in the REGISTER's Contact (RFC 5626 4.1): a registrar
 * then replaces the binding an earlier run of the same user agent left (it
 * crashed, was killed, the machine lost power) instead of keeping both and
 * forking calls to a dead address. Takes effect with the next REGISTER.
 */
void
mt_account_set_instance_id (MtAccount *self, const char *instance_id)
{
  g_return_if_fail (MT_IS_ACCOUNT (self));
  g_return_if_fail (instance_id == NULL || g_str_has_prefix (instance_id, "urn:"));

  g_free (self->instance_id);
  self->instance_id = g_strdup (instance_id);
}

/**
 * mt_account_dup_stable_instance_id:
 * @application: what runs (an application id): two programs of one user on
 *   one machine are two user agents
 *
 * A name-based UUID URN (RFC 4122 4.3 layout, from SHA-256) of the machine id,
 * the user and @application: stable across restarts, nothing stored.
 *
 * Returns: (transfer full): "urn:uuid:xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx"
 */
char *
mt_account_dup_stable_instance_id (const char *application)
{
  g_autofree char *machine = NULL;
  g_autofree char *seed = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_return_val_if_fail (application != NULL, NULL);

  if (!g_file_get_contents ("/etc/machine-id", &machine, NULL, NULL))
    machine = g_strdup (g_get_host_name ());
  seed = g_strdup_printf ("%s\n%s\n%s", g_strstrip (machine), g_get_user_name (), application);
  g_checksum_update (checksum, (const guchar *) seed, -1);
  g_checksum_get_digest (checksum, digest, &length);
  digest[6] = (digest[6] & 0x0f) | 0x50;   /* version 5: name-based */
  digest[8] = (digest[8] & 0x3f) | 0x80;   /* RFC 4122 variant */
  return g_strdup_printf ("urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

/* ---- TLS ------------------------------------------------------------------------------ */

MtAccount *
mt_account_new_tls (const char  *listen,
                    const char  *aor,
                    const char  *registrar,
                    MtTransport  transport,
                    const char  *ca_file,
                    const char  *pin,
                    GError     **error)
{
  g_autofree char *normalized = NULL;

  if (pin && *pin && !(normalized = mt_tls_normalize_fingerprint (pin, error)))
    return NULL;
  return g_initable_new (MT_TYPE_ACCOUNT, NULL, error,
                         "listen", listen,
                         "aor", aor,
                         "registrar", registrar,
                         "transport", transport,
                         "tls-ca-file", ca_file,
                         "tls-pin", normalized,
                         NULL);
}

void
mt_account_set_tls_pin (MtAccount *self, const char *fingerprint)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (MT_IS_ACCOUNT (self));

  if (fingerprint && *fingerprint &&
      !(normalized = mt_tls_normalize_fingerprint (fingerprint, NULL)))
    {
      g_warning ("ignoring the malformed certificate fingerprint “%s”", fingerprint);
      return;
    }
  if (g_strcmp0 (self->tls_pin, normalized) == 0)
    return;
  g_free (self->tls_pin);
  self->tls_pin = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TLS_PIN]);
}

const char *
mt_account_get_tls_pin (MtAccount *self)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), NULL);
  return self->tls_pin;
}

MtTransport
mt_account_get_transport (MtAccount *self)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), MT_TRANSPORT_UDP);
  return self->transport;
}

MtTlsProblem
mt_account_get_tls_problem (MtAccount *self)
{
  g_return_val_if_fail (MT_IS_ACCOUNT (self), MT_TLS_PROBLEM_NONE);
  return self->reg_reason == MT_END_REASON_TLS_FAILED ? self->tls_problem : MT_TLS_PROBLEM_NONE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* This machine's addresses but loopback, sorted, as one string (to tell
 * whether a network change moved us) */
static char *
dup_local_addresses (void)
{
  struct ifaddrs *list = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  if (getifaddrs (&list) != 0)
    return NULL;
  for (struct ifaddrs *i = list; i != NULL; i = i->ifa_next)
    {
      g_autoptr(GSocketAddress) sa = NULL;
      GInetAddress *inet;
      gsize len;

      if (i->ifa_addr == NULL ||
          (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
        continue;
      len = i->ifa_addr->sa_family == AF_INET ? sizeof (struct sockaddr_in)
                                              : sizeof (struct sockaddr_in6);
      sa = g_socket_address_new_from_native (i->ifa_addr, len);
      inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (sa));
      if (!g_inet_address_get_is_loopback (inet))
        g_ptr_array_add (found, g_inet_address_to_string (inet));
    }
  freeifaddrs (list);
  g_ptr_array_sort (found, compare_strings);
  g_ptr_array_add (found, NULL);
  return g_strjoinv (",", (char **) found->pdata);
}

/* Our INVITEs go without SDP (RFC 3261 13.2.1): the 2xx brings the peer's
 * offer, our answer goes in the ACK. Off by default. */
void
mt_account_set_delayed_offer (MtAccount *self, gboolean delayed)
{
  g_return_if_fail (MT_IS_ACCOUNT (self));
  self->delayed_offer = !!delayed;
}
