/* mt-echo-service.c: answers calls on loopback and sends the caller's own
 * audio and video back.
 *
 * It is an ordinary MtAccount in direct mode whose sinks and sources are
 * GStreamer's inter elements on one private channel: what the call decodes
 * goes into interaudiosink/intervideosink, and the send side reads it back
 * from interaudiosrc/intervideosrc, then encodes it again. So the caller
 * sees and hears themselves through the whole SIP + RTP path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-echo-service"

#include "mt-account.h"
#include "mt-echo-service.h"

struct _MtEchoService
{
  GObject    parent_instance;
  MtAccount *account;
  char      *uri;
};

G_DEFINE_FINAL_TYPE (MtEchoService, mt_echo_service, G_TYPE_OBJECT)

static MtMediaConfig *
echo_media_config (MtEchoService *self)
{
  MtMediaConfig *config = mt_media_config_new ();
  g_autofree char *channel = g_strdup_printf ("mtavip-echo-%p", (void *) self);

  g_free (config->audio_source);
  g_free (config->audio_sink);
  g_free (config->video_source);
  g_free (config->video_sink);
  config->audio_source = g_strdup_printf ("interaudiosrc channel=%s-audio", channel);
  config->audio_sink = g_strdup_printf ("interaudiosink channel=%s-audio", channel);
  config->video_source = g_strdup_printf ("intervideosrc channel=%s-video", channel);
  config->video_sink = g_strdup_printf ("intervideosink channel=%s-video", channel);
  /* the caller may be idle (muted, camera off): never time out */
  config->media_timeout_s = 0;
  return config;
}

static gboolean
answer_cb (gpointer user_data)
{
  g_autoptr(MtCall) call = user_data;

  mt_call_answer (call);
  return G_SOURCE_REMOVE;
}

static void
incoming_call_cb (MtAccount *account, MtCall *call, MtEchoService *self)
{
  g_idle_add (answer_cb, g_object_ref (call));
}

static gboolean
listen_on_loopback (MtEchoService *self, GError **error)
{
  self->account = mt_account_new ("127.0.0.1:0", NULL, NULL, MT_TRANSPORT_UDP, error);
  if (self->account == NULL)
    return FALSE;
  self->uri = g_strdup_printf ("sip:echo@127.0.0.1:%u", mt_account_get_port (self->account));
  return TRUE;
}

MtEchoService *
mt_echo_service_new (GError **error)
{
  g_autoptr(MtEchoService) self = g_object_new (MT_TYPE_ECHO_SERVICE, NULL);
  g_autoptr(MtMediaConfig) config = NULL;

  if (!listen_on_loopback (self, error))
    return NULL;
  config = echo_media_config (self);
  mt_account_set_media_config (self->account, config);
  g_signal_connect (self->account, "incoming-call", G_CALLBACK (incoming_call_cb), self);
  return g_steal_pointer (&self);
}

const char *
mt_echo_service_get_uri (MtEchoService *self)
{
  g_return_val_if_fail (MT_IS_ECHO_SERVICE (self), NULL);
  return self->uri;
}

static void
shutdown_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!mt_account_shutdown_finish (MT_ACCOUNT (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
mt_echo_service_shutdown_async (MtEchoService       *self,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MT_IS_ECHO_SERVICE (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_signal_handlers_disconnect_by_data (self->account, self);
  mt_account_shutdown_async (self->account, NULL, shutdown_cb, task);
}

gboolean
mt_echo_service_shutdown_finish (MtEchoService *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (MT_IS_ECHO_SERVICE (self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mt_echo_service_dispose (GObject *object)
{
  MtEchoService *self = MT_ECHO_SERVICE (object);

  if (self->account)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  G_OBJECT_CLASS (mt_echo_service_parent_class)->dispose (object);
}

static void
mt_echo_service_finalize (GObject *object)
{
  g_free (MT_ECHO_SERVICE (object)->uri);
  G_OBJECT_CLASS (mt_echo_service_parent_class)->finalize (object);
}

static void
mt_echo_service_class_init (MtEchoServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mt_echo_service_dispose;
  object_class->finalize = mt_echo_service_finalize;
}

static void
mt_echo_service_init (MtEchoService *self)
{
}
