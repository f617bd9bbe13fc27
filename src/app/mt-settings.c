/* mt-settings.c: GSettings, with the MTAVIP_* environment overrides applied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-settings"

#include "config.h"

#include "mt-settings.h"
#include "mt-tls.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "mt-secrets.h"

struct _MtSettings
{
  GObject       parent_instance;
  GSettings    *settings;
  char         *turn_password;   /* from the Secret Service; NULL: none (yet) */
  GCancellable *turn_lookup;
};

enum {
  NETWORK_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void network_settings_changed_cb (MtSettings *self);
static void apply_ice (MtSettings *self, MtMediaConfig *config);

G_DEFINE_FINAL_TYPE (MtSettings, mt_settings, G_TYPE_OBJECT)

static void
mt_settings_dispose (GObject *object)
{
  MtSettings *self = MT_SETTINGS (object);

  g_cancellable_cancel (self->turn_lookup);
  g_clear_object (&self->turn_lookup);
  g_clear_pointer (&self->turn_password, g_free);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (mt_settings_parent_class)->dispose (object);
}

static void
mt_settings_class_init (MtSettingsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mt_settings_dispose;
  signals[NETWORK_CHANGED] = g_signal_new ("network-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
mt_settings_init (MtSettings *self)
{
  static const char * const keys[] = { "stun-server", "turn-server", "turn-transport", "turn-user" };

  self->settings = g_settings_new (APP_ID);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *signal = g_strconcat ("changed::", keys[i], NULL);

      g_signal_connect_swapped (self->settings, signal,
                                G_CALLBACK (network_settings_changed_cb), self);
    }
  mt_settings_reload_turn_password (self);
}

MtSettings *
mt_settings_new (void)
{
  return g_object_new (MT_TYPE_SETTINGS, NULL);
}

GSettings *
mt_settings_get_gsettings (MtSettings *self)
{
  g_return_val_if_fail (MT_IS_SETTINGS (self), NULL);
  return self->settings;
}

/* the environment first, then the setting */
static char *
dup_media (MtSettings *self, const char *env, const char *key)
{
  const char *value = g_getenv (env);

  if (value && *value)
    return g_strdup (value);
  return g_settings_get_string (self->settings, key);
}

static char *
device_source (const char *element, const char *property, const char *device)
{
  return g_strdup_printf ("%s %s=\"%s\"", element, property, device);
}

/* "auto" plus a chosen device becomes a concrete element */
static char *
with_device (MtSettings *self, char *value, const char *device_key, const char *element,
             const char *property)
{
  g_autofree char *device = g_settings_get_string (self->settings, device_key);

  if (g_strcmp0 (value, "auto") != 0 || device == NULL || *device == '\0')
    return value;
  g_free (value);
  return device_source (element, property, device);
}

/* the account's SRTP policy; the schema's choices keep it one of three */
static MtEncryption
dup_encryption (MtSettings *self)
{
  g_autofree char *text = g_settings_get_string (self->settings, "encryption");
  MtEncryption policy = MT_ENCRYPTION_OPTIONAL;

  mt_encryption_from_string (text, &policy);
  return policy;
}

MtMediaConfig *
mt_settings_dup_media_config (MtSettings *self)
{
  MtMediaConfig *config;
  g_autofree char *size = NULL;
  guint w = 0, h = 0;

  g_return_val_if_fail (MT_IS_SETTINGS (self), NULL);

  config = mt_media_config_new ();
  g_free (config->audio_source);
  config->audio_source = with_device (self, dup_media (self, "MTAVIP_AUDIO_SOURCE", "audio-source"),
                                      "microphone-device", "pulsesrc", "device");
  g_free (config->video_source);
  config->video_source = with_device (self, dup_media (self, "MTAVIP_VIDEO_SOURCE", "video-source"),
                                      "camera-device", "v4l2src", "device");
  g_free (config->audio_sink);
  config->audio_sink = with_device (self, dup_media (self, "MTAVIP_AUDIO_SINK", "audio-sink"),
                                    "speaker-device", "pulsesink", "device");
  g_free (config->video_sink);
  config->video_sink = dup_media (self, "MTAVIP_VIDEO_SINK", "video-sink");
  if (g_str_equal (config->video_sink, "auto"))
    {
      /* the call window shows it; a sink that needs no display otherwise */
      g_free (config->video_sink);
      config->video_sink = g_strdup ("fake");
    }
  config->jitter_latency_ms = g_settings_get_uint (self->settings, "jitter-latency-ms");
  config->echo_cancel = g_settings_get_boolean (self->settings, "echo-cancel");
  config->encryption = dup_encryption (self);
  config->audio_bitrate_kbps = g_settings_get_uint (self->settings, "audio-bitrate-kbps");
  config->video_bitrate_kbps = g_settings_get_uint (self->settings, "video-bitrate-kbps");
  size = g_settings_get_string (self->settings, "video-size");
  if (sscanf (size, "%ux%u", &w, &h) == 2 && w >= 16 && h >= 16)
    {
      config->width = w;
      config->height = h;
    }
  apply_ice (self, config);
  return config;
}

gboolean
mt_settings_get_video_in_window (MtSettings *self)
{
  g_autofree char *sink = NULL;

  g_return_val_if_fail (MT_IS_SETTINGS (self), TRUE);
  sink = dup_media (self, "MTAVIP_VIDEO_SINK", "video-sink");
  return g_str_equal (sink, "auto");
}

char *
mt_settings_dup_audio_sink_description (MtSettings *self)
{
  g_autofree char *sink = NULL;

  g_return_val_if_fail (MT_IS_SETTINGS (self), NULL);
  sink = with_device (self, dup_media (self, "MTAVIP_AUDIO_SINK", "audio-sink"),
                      "speaker-device", "pulsesink", "device");
  if (g_str_equal (sink, "auto"))
    return g_strdup ("autoaudiosink");
  if (g_str_equal (sink, "fake") || g_str_equal (sink, "test"))
    return g_strdup ("fakesink sync=true");
  return g_steal_pointer (&sink);
}

char *
mt_settings_dup_account_uri (MtSettings *self)
{
  g_autofree char *uri = NULL;

  g_return_val_if_fail (MT_IS_SETTINGS (self), NULL);
  uri = g_strstrip (g_settings_get_string (self->settings, "account-uri"));
  return *uri ? g_steal_pointer (&uri) : NULL;
}

char *
mt_settings_dup_registrar (MtSettings *self)
{
  g_autofree char *registrar = NULL;

  g_return_val_if_fail (MT_IS_SETTINGS (self), NULL);
  registrar = g_strstrip (g_settings_get_string (self->settings, "registrar"));
  return *registrar ? g_steal_pointer (&registrar) : NULL;
}

MtTransport
mt_settings_get_transport (MtSettings *self)
{
  g_autofree char *transport = NULL;

  g_return_val_if_fail (MT_IS_SETTINGS (self), MT_TRANSPORT_UDP);
  transport = g_settings_get_string (self->settings, "transport");
  if (g_str_equal (transport, "tls"))
    return MT_TRANSPORT_TLS;
  return g_str_equal (transport, "tcp") ? MT_TRANSPORT_TCP : MT_TRANSPORT_UDP;
}

char *
mt_settings_dup_listen_address (MtSettings *self)
{
  g_autofree char *listen = NULL;
  g_autofree char *account = NULL;

  g_return_val_if_fail (MT_IS_SETTINGS (self), NULL);
  listen = g_strstrip (g_settings_get_string (self->settings, "listen-address"));
  if (*listen)
    return g_steal_pointer (&listen);
  account = mt_settings_dup_account_uri (self);
  return g_strdup (account ? "0.0.0.0:0" : "0.0.0.0:5060");
}

gboolean
mt_settings_get_accept_direct_calls (MtSettings *self)
{
  g_return_val_if_fail (MT_IS_SETTINGS (self), FALSE);
  return g_settings_get_boolean (self->settings, "accept-direct-calls");
}

char *
mt_settings_dup_h323_listen (MtSettings *self)
{
  const char *env = g_getenv ("MTAVIP_H323_LISTEN");

  g_return_val_if_fail (MT_IS_SETTINGS (self), NULL);
  if (env && *env)
    return g_strdup (env);
  if (!g_settings_get_boolean (self->settings, "h323-enabled"))
    return NULL;
  return g_strdup_printf ("0.0.0.0:%u", g_settings_get_uint (self->settings, "h323-port"));
}

/* the pinned server certificate of the account (normalized), or NULL */
char *
mt_settings_dup_tls_fingerprint (MtSettings *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (MT_IS_SETTINGS (self), NULL);
  value = g_strstrip (g_settings_get_string (self->settings, "tls-fingerprint"));
  return *value ? mt_tls_normalize_fingerprint (value, NULL) : NULL;
}

GStrv
mt_settings_dup_account_ids (MtSettings *self)
{
  g_return_val_if_fail (MT_IS_SETTINGS (self), NULL);
  return g_settings_get_strv (self->settings, "accounts");
}

GSettings *
mt_settings_dup_account_settings (MtSettings *self, const char *id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (MT_IS_SETTINGS (self), NULL);
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);
  path = g_strdup_printf ("/io/github/MTMediaDev/MTAVIPClient/accounts/%s/", id);
  return g_settings_new_with_path (APP_ID ".Account", path);
}
/* ---- network: ICE with STUN and TURN ------------------------------------------ */

static gboolean
valid_host_name (const char *host)
{
  gsize len = strlen (host);

  if (g_hostname_is_ip_address (host))
    return TRUE;
  if (len == 0 || len > 253 || host[0] == '-' || host[0] == '.' || host[len - 1] == '-')
    return FALSE;
  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return strstr (host, "..") == NULL;
}

gboolean
mt_settings_parse_server (const char *text, char **host, guint *port, GError **error)
{
  g_autofree char *plain = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(GSocketConnectable) address = NULL;
  const char *name;

  g_return_val_if_fail (host != NULL && port != NULL, FALSE);
  *host = NULL;
  *port = 0;
  if (*plain == '\0')
    return TRUE;
  address = g_network_address_parse (plain, 3478, NULL);
  name = address ? g_network_address_get_hostname (G_NETWORK_ADDRESS (address)) : NULL;
  if (name == NULL || !valid_host_name (name) ||
      g_network_address_get_port (G_NETWORK_ADDRESS (address)) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is what was typed as a STUN or TURN server */
                   _("“%s” is not a server address: type a host name or IP address, "
                     "optionally with a port, such as stun.example.org:3478."), plain);
      return FALSE;
    }
  *host = g_strdup (name);
  *port = g_network_address_get_port (G_NETWORK_ADDRESS (address));
  return TRUE;
}

static char *
dup_trimmed (MtSettings *self, const char *key)
{
  return g_strstrip (g_settings_get_string (self->settings, key));
}

char *
mt_settings_dup_turn_key (MtSettings *self)
{
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;

  g_return_val_if_fail (MT_IS_SETTINGS (self), NULL);
  server = dup_trimmed (self, "turn-server");
  if (*server == '\0')
    return NULL;
  user = dup_trimmed (self, "turn-user");
  return g_strdup_printf ("%s@%s", user, server);
}

/* a malformed server (typed before there was a check) is left out, with a warning */
static void
apply_server (MtSettings *self, const char *key, char **host, guint *port)
{
  g_autofree char *text = dup_trimmed (self, key);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (host, g_free);
  if (!mt_settings_parse_server (text, host, port, &error))
    g_warning ("%s: %s", key, error->message);
}

static void
apply_ice (MtSettings *self, MtMediaConfig *config)
{
  g_autofree char *transport = g_settings_get_string (self->settings, "turn-transport");

  apply_server (self, "stun-server", &config->stun_server, &config->stun_port);
  apply_server (self, "turn-server", &config->turn_server, &config->turn_port);
  /* the CLI's rule: ICE when it can find a path plain RTP cannot */
  config->ice = config->stun_server != NULL || config->turn_server != NULL;
  if (config->turn_server == NULL)
    return;
  config->turn_tcp = g_str_equal (transport, "tcp");
  g_free (config->turn_user);
  config->turn_user = dup_trimmed (self, "turn-user");
  g_free (config->turn_password);
  config->turn_password = g_strdup (self->turn_password);
}

static void
turn_password_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = mt_secrets_lookup_turn_password_finish (result, &error);
  MtSettings *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = MT_SETTINGS (user_data);
  g_clear_object (&self->turn_lookup);
  if (error)
    g_warning ("Could not read the TURN password from the Secret Service: %s", error->message);
  g_free (self->turn_password);
  self->turn_password = g_steal_pointer (&password);
  g_signal_emit (self, signals[NETWORK_CHANGED], 0);
}

void
mt_settings_reload_turn_password (MtSettings *self)
{
  g_autofree char *key = NULL;

  g_return_if_fail (MT_IS_SETTINGS (self));
  g_cancellable_cancel (self->turn_lookup);
  g_clear_object (&self->turn_lookup);
  key = mt_settings_dup_turn_key (self);
  if (key == NULL)
    {
      g_clear_pointer (&self->turn_password, g_free);
      return;
    }
  self->turn_lookup = g_cancellable_new ();
  mt_secrets_lookup_turn_password_async (key, self->turn_lookup, turn_password_cb, self);
}

static void
network_settings_changed_cb (MtSettings *self)
{
  mt_settings_reload_turn_password (self);
  g_signal_emit (self, signals[NETWORK_CHANGED], 0);
}
