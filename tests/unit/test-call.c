/* test-call.c: the call state machine over real SIP on loopback
 *
 * Two (or three) MtAccounts in direct mode listen on 127.0.0.1 in this one
 * process; their calls go through Sofia's nua and UDP to each other, with
 * GStreamer test sources and fake sinks for media. Each test records every
 * state a call goes through and its end reason, and checks at the end that
 * every call, media session, pipeline and nua handle was let go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gst/gst.h>

#include "mt-account.h"
#include "mt-call-private.h"
#include "mt-sip-status.h"

#define WAIT_TIMEOUT_S 10

/* ---- what happened to each call --------------------------------------------- */

typedef struct {
  char           *who;        /* "alice", "bob", ... */
  MtCall         *call;       /* weak: NULL once finalized */
  MtMediaSession *media;      /* weak: NULL once finalized */
  GString        *states;     /* "calling ringing active ended" */
  MtEndReason     reason;
  char           *end_status;  /* "486 Busy Here" */
} Record;

static void
record_free (Record *record)
{
  g_clear_weak_pointer (&record->call);
  g_clear_weak_pointer (&record->media);
  g_string_free (record->states, TRUE);
  g_free (record->end_status);
  g_free (record->who);
  g_free (record);
}

typedef struct {
  MtAccount *alice;
  MtAccount *bob;
  MtAccount *carol;           /* only where a test needs a third phone */
  GPtrArray *records;         /* of Record*, in the order the calls appeared */
  GPtrArray *pipelines;       /* weak pointers (GstElement **) to every pipeline */
  gboolean   timed_out;
} Fixture;

static Fixture *current;      /* for the GStreamer tracer hook */

static void
append_state (Record *record, MtCallState state)
{
  if (record->states->len > 0)
    g_string_append_c (record->states, ' ');
  g_string_append (record->states, mt_call_state_to_string (state));
}

static void
state_cb (MtCall *call, GParamSpec *pspec, Record *record)
{
  append_state (record, mt_call_get_state (call));
  if (mt_call_get_state (call) == MT_CALL_STATE_ENDED)
    {
      record->reason = mt_call_get_end_reason (call);
      record->end_status = g_strdup (mt_call_get_end_status (call));
    }
}

/* The account announces a call once it exists: an outgoing one is already
 * calling, an incoming one ringing here. From then on every change counts. */
static void
call_added_cb (MtAccount *account, MtCall *call, Fixture *f)
{
  Record *record = g_new0 (Record, 1);

  record->who = g_strdup (account == f->alice ? "alice" : account == f->bob ? "bob" : "carol");
  record->states = g_string_new (NULL);
  append_state (record, mt_call_get_state (call));
  g_set_weak_pointer (&record->call, call);
  g_set_weak_pointer (&record->media, mt_call_get_media_session (call));
  g_signal_connect (call, "notify::state", G_CALLBACK (state_cb), record);
  g_ptr_array_add (f->records, record);
}

/* the n-th call `who` saw (0: the first) */
static Record *
record_of (Fixture *f, const char *who, guint n)
{
  for (guint i = 0; i < f->records->len; i++)
    {
      Record *record = g_ptr_array_index (f->records, i);

      if (g_str_equal (record->who, who) && n-- == 0)
        return record;
    }
  return NULL;
}

static void
assert_record (Record *record, const char *states, MtEndReason reason)
{
  g_assert_nonnull (record);
  g_test_message ("%s: %s (%s)", record->who, record->states->str,
                  mt_end_reason_to_string (record->reason));
  g_assert_cmpstr (record->states->str, ==, states);
  g_assert_cmpstr (mt_end_reason_to_string (record->reason), ==, mt_end_reason_to_string (reason));
}

/* ---- pipelines, counted through a GStreamer tracer hook ---------------------- */

typedef struct { GstTracer parent; } MtTestTracer;
typedef struct { GstTracerClass parent_class; } MtTestTracerClass;
static GType mt_test_tracer_get_type (void);
G_DEFINE_TYPE (MtTestTracer, mt_test_tracer, GST_TYPE_TRACER)
static void mt_test_tracer_class_init (MtTestTracerClass *klass) { }
static void mt_test_tracer_init (MtTestTracer *self) { }

static void
element_new_cb (GstTracer *tracer, guint64 ts, GstElement *element)
{
  GstElement **weak;

  if (current == NULL || !GST_IS_PIPELINE (element))
    return;
  weak = g_new0 (GstElement *, 1);
  g_set_weak_pointer (weak, element);
  g_ptr_array_add (current->pipelines, weak);
}

static void
pipeline_weak_free (GstElement **weak)
{
  g_clear_weak_pointer (weak);
  g_free (weak);
}

/* ---- running the main loop ------------------------------------------------------ */

static gboolean
timeout_cb (gpointer user_data)
{
  ((Fixture *) user_data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *f, gconstpointer data);

static void
run_until (Fixture *f, Condition condition, gconstpointer data, const char *what)
{
  guint timeout_id;

  f->timed_out = FALSE;
  timeout_id = g_timeout_add_seconds (WAIT_TIMEOUT_S, timeout_cb, f);
  while (!condition (f, data) && !f->timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (f->timed_out)
    {
      for (guint i = 0; i < f->records->len; i++)
        {
          Record *record = g_ptr_array_index (f->records, i);

          g_test_message ("%s: %s", record->who, record->states->str);
        }
      g_error ("timed out after %d s waiting for %s", WAIT_TIMEOUT_S, what);
    }
  g_source_remove (timeout_id);
}

typedef struct {
  const char  *who;
  guint        n;
  MtCallState  state;
} Reached;

static gboolean
reached (Fixture *f, gconstpointer data)
{
  const Reached *want = data;
  Record *record = record_of (f, want->who, want->n);

  return record && record->call && mt_call_get_state (record->call) == want->state;
}

static gboolean
has_ended (Fixture *f, gconstpointer data)
{
  const Reached *want = data;
  Record *record = record_of (f, want->who, want->n);

  return record && strstr (record->states->str, "ended") != NULL;
}

static void
wait_state (Fixture *f, const char *who, guint n, MtCallState state)
{
  Reached want = { who, n, state };
  g_autofree char *what = g_strdup_printf ("call %u of %s to be %s", n, who,
                                           mt_call_state_to_string (state));

  run_until (f, state == MT_CALL_STATE_ENDED ? has_ended : reached, &want, what);
}

static MtCall *
call_of (Fixture *f, const char *who, guint n)
{
  Record *record = record_of (f, who, n);

  g_assert_nonnull (record);
  g_assert_nonnull (record->call);
  return record->call;
}

static gboolean
media_arrived (Fixture *f, gconstpointer data)
{
  MtStreamStats audio, video;

  mt_media_session_get_stats (mt_call_get_media_session ((MtCall *) data), &audio, &video);
  return audio.rx_packets > 10 && audio.decoded > 0 &&
         (!mt_call_get_has_video ((MtCall *) data) || video.decoded > 0);
}

/* RTP from the peer arrives and decodes at `who` */
static void
wait_media (Fixture *f, const char *who, guint n)
{
  g_autofree char *what = g_strdup_printf ("media to arrive at %s", who);

  run_until (f, media_arrived, call_of (f, who, n), what);
}

/* ---- accounts ------------------------------------------------------------------------ */

static MtAccount *
account_new (Fixture *f, gboolean video, guint media_timeout_s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtMediaConfig) config = mt_media_config_new ();
  MtAccount *account = mt_account_new ("127.0.0.1:0", NULL, NULL, MT_TRANSPORT_UDP, &error);

  g_assert_no_error (error);
  g_assert_nonnull (account);
#define SET(field, value) g_free (config->field); config->field = g_strdup (value)
  SET (audio_source, "test");
  SET (video_source, "test");
  SET (audio_sink, "fake");
  SET (video_sink, "fake");
#undef SET
  config->video = video;
  config->width = 160;
  config->height = 120;
  config->framerate = 10;
  config->media_timeout_s = media_timeout_s;
  mt_account_set_media_config (account, config);
  g_signal_connect (account, "call-added", G_CALLBACK (call_added_cb), f);
  return account;
}

typedef struct {
  gboolean video;
  gboolean carol;
  guint    alice_media_timeout_s;
} Options;

static const Options audio_only = { FALSE, FALSE, 0 };
static const Options with_video = { TRUE, TRUE, 0 };
static const Options media_timeout = { FALSE, FALSE, 2 };

/* Media timeouts only where a test asks for one: a loaded machine must not
 * end the other tests' calls. */
static void
setup (Fixture *f, gconstpointer data)
{
  const Options *options = data;

  f->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  f->pipelines = g_ptr_array_new_with_free_func ((GDestroyNotify) pipeline_weak_free);
  current = f;
  f->alice = account_new (f, options->video, options->alice_media_timeout_s);
  f->bob = account_new (f, options->video, 0);
  if (options->carol)
    f->carol = account_new (f, options->video, 0);
}

/* a call's media really ran: a pipeline was made */
static void
assert_pipelines (Fixture *f)
{
  g_assert_cmpuint (f->pipelines->len, >, 0);
}

static MtCall *
dial (Fixture *f, MtAccount *from, MtAccount *to, gboolean video)
{
  g_autoptr(GError) error = NULL;
  MtCall *call = mt_account_call (from, mt_account_get_contact_uri (to), video, &error);

  g_assert_no_error (error);
  g_assert_nonnull (call);
  return call;
}

static void
shutdown_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  guint *pending = user_data;

  g_assert_true (mt_account_shutdown_finish (MT_ACCOUNT (object), result, &error));
  g_assert_no_error (error);
  (*pending)--;
}

static gboolean
none_pending (Fixture *f, gconstpointer data)
{
  return *(const guint *) data == 0;
}

static gboolean
all_released (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < f->records->len; i++)
    {
      Record *record = g_ptr_array_index (f->records, i);

      if (record->call || record->media)
        return FALSE;
    }
  for (guint i = 0; i < f->pipelines->len; i++)
    if (*(GstElement **) g_ptr_array_index (f->pipelines, i))
      return FALSE;
  return mt_call_count_handles () == 0;
}

/* Every call ended: the accounts let go of each call (and so of its media
 * and its nua handle) without being shut down; then they stop cleanly. */
static void
teardown (Fixture *f, gconstpointer data)
{
  MtAccount *accounts[] = { f->alice, f->bob, f->carol };
  guint pending = 0;

  run_until (f, all_released, NULL, "every call, media session, pipeline and nua handle to go");

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    if (accounts[i])
      {
        pending++;
        mt_account_shutdown_async (accounts[i], NULL, shutdown_done_cb, &pending);
      }
  run_until (f, none_pending, &pending, "the accounts to shut down");
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    if (accounts[i])
      {
        g_object_add_weak_pointer (G_OBJECT (accounts[i]), (gpointer *) &accounts[i]);
        g_object_unref (accounts[i]);
        g_assert_null (accounts[i]);
      }
  current = NULL;
  g_ptr_array_unref (f->pipelines);
  g_ptr_array_unref (f->records);
}

/* ---- the tests ------------------------------------------------------------------------ */

/* alice calls, bob answers, alice hangs up */
static void
test_outgoing_answered (Fixture *f, gconstpointer data)
{
  MtCall *call = dial (f, f->alice, f->bob, FALSE);

  wait_state (f, "bob", 0, MT_CALL_STATE_INCOMING);
  wait_state (f, "alice", 0, MT_CALL_STATE_RINGING);
  g_assert_cmpstr (mt_call_get_remote_uri (call), ==, mt_account_get_contact_uri (f->bob));
  mt_call_answer (call_of (f, "bob", 0));
  wait_state (f, "alice", 0, MT_CALL_STATE_ACTIVE);
  wait_state (f, "bob", 0, MT_CALL_STATE_ACTIVE);
  g_assert_false (mt_call_get_has_video (call));
  assert_pipelines (f);
  wait_media (f, "alice", 0);
  wait_media (f, "bob", 0);

  mt_call_hangup (call);
  wait_state (f, "bob", 0, MT_CALL_STATE_ENDED);
  assert_record (record_of (f, "alice", 0), "calling ringing active ended",
                 MT_END_REASON_LOCAL_HANGUP);
  assert_record (record_of (f, "bob", 0), "incoming active ended", MT_END_REASON_REMOTE_HANGUP);
}

static void
test_declined (Fixture *f, gconstpointer data)
{
  dial (f, f->alice, f->bob, FALSE);
  wait_state (f, "alice", 0, MT_CALL_STATE_RINGING);
  wait_state (f, "bob", 0, MT_CALL_STATE_INCOMING);
  mt_call_decline (call_of (f, "bob", 0));
  wait_state (f, "alice", 0, MT_CALL_STATE_ENDED);
  g_assert_cmpstr (record_of (f, "alice", 0)->end_status, ==, "603 Decline");
  assert_record (record_of (f, "alice", 0), "calling ringing ended", MT_END_REASON_DECLINED);
  assert_record (record_of (f, "bob", 0), "incoming ended", MT_END_REASON_DECLINED);
}

static void
test_cancelled (Fixture *f, gconstpointer data)
{
  MtCall *call = dial (f, f->alice, f->bob, FALSE);

  wait_state (f, "alice", 0, MT_CALL_STATE_RINGING);
  wait_state (f, "bob", 0, MT_CALL_STATE_INCOMING);
  mt_call_hangup (call);
  wait_state (f, "bob", 0, MT_CALL_STATE_ENDED);
  assert_record (record_of (f, "alice", 0), "calling ringing ended", MT_END_REASON_CANCELLED);
  assert_record (record_of (f, "bob", 0), "incoming ended", MT_END_REASON_CANCELLED);
}

/* bob takes one call at a time: alice's second call gets 486 Busy Here */
static void
test_busy (Fixture *f, gconstpointer data)
{
  mt_account_set_single_call (f->alice, FALSE);
  dial (f, f->alice, f->bob, FALSE);
  wait_state (f, "bob", 0, MT_CALL_STATE_INCOMING);
  wait_state (f, "alice", 0, MT_CALL_STATE_RINGING);
  mt_call_answer (call_of (f, "bob", 0));
  wait_state (f, "alice", 0, MT_CALL_STATE_ACTIVE);

  dial (f, f->alice, f->bob, FALSE);
  wait_state (f, "alice", 1, MT_CALL_STATE_ENDED);
  g_assert_cmpstr (record_of (f, "alice", 1)->end_status, ==, "486 Busy Here");
  assert_record (record_of (f, "alice", 1), "calling ended", MT_END_REASON_BUSY);
  g_assert_null (record_of (f, "bob", 1));
  g_assert_cmpint (mt_call_get_state (call_of (f, "bob", 0)), ==, MT_CALL_STATE_ACTIVE);

  mt_call_hangup (call_of (f, "bob", 0));
  wait_state (f, "alice", 0, MT_CALL_STATE_ENDED);
  assert_record (record_of (f, "alice", 0), "calling ringing active ended",
                 MT_END_REASON_REMOTE_HANGUP);
  assert_record (record_of (f, "bob", 0), "incoming active ended", MT_END_REASON_LOCAL_HANGUP);
}

/* carol calls bob with video; bob answers and hangs up */
static void
test_incoming_answered_video (Fixture *f, gconstpointer data)
{
  MtCall *incoming;
  MtStreamStats audio, video;

  dial (f, f->carol, f->bob, TRUE);
  wait_state (f, "bob", 0, MT_CALL_STATE_INCOMING);
  wait_state (f, "carol", 0, MT_CALL_STATE_RINGING);
  incoming = call_of (f, "bob", 0);
  g_assert_cmpint (mt_call_get_direction (incoming), ==, MT_CALL_DIRECTION_INCOMING);
  g_assert_true (mt_call_get_has_video (incoming));
  mt_call_answer (incoming);
  wait_state (f, "carol", 0, MT_CALL_STATE_ACTIVE);
  wait_state (f, "bob", 0, MT_CALL_STATE_ACTIVE);
  g_assert_true (mt_call_get_has_video (call_of (f, "carol", 0)));
  mt_media_session_get_stats (mt_call_get_media_session (incoming), &audio, &video);
  g_assert_true (audio.enabled);
  g_assert_true (video.enabled);
  assert_pipelines (f);
  wait_media (f, "bob", 0);
  wait_media (f, "carol", 0);

  mt_call_hangup (incoming);
  wait_state (f, "carol", 0, MT_CALL_STATE_ENDED);
  assert_record (record_of (f, "carol", 0), "calling ringing active ended",
                 MT_END_REASON_REMOTE_HANGUP);
  assert_record (record_of (f, "bob", 0), "incoming active ended", MT_END_REASON_LOCAL_HANGUP);
}

static void
test_hold_and_resume (Fixture *f, gconstpointer data)
{
  MtCall *call = dial (f, f->alice, f->bob, FALSE);

  wait_state (f, "bob", 0, MT_CALL_STATE_INCOMING);
  wait_state (f, "alice", 0, MT_CALL_STATE_RINGING);
  mt_call_answer (call_of (f, "bob", 0));
  wait_state (f, "alice", 0, MT_CALL_STATE_ACTIVE);
  wait_state (f, "bob", 0, MT_CALL_STATE_ACTIVE);

  mt_call_set_hold (call, TRUE);
  g_assert_true (mt_call_get_hold (call));
  wait_state (f, "alice", 0, MT_CALL_STATE_HELD);
  wait_state (f, "bob", 0, MT_CALL_STATE_HELD);
  g_assert_false (mt_call_get_hold (call_of (f, "bob", 0)));

  mt_call_set_hold (call, FALSE);
  g_assert_false (mt_call_get_hold (call));
  wait_state (f, "alice", 0, MT_CALL_STATE_ACTIVE);
  wait_state (f, "bob", 0, MT_CALL_STATE_ACTIVE);

  mt_call_hangup (call);
  wait_state (f, "bob", 0, MT_CALL_STATE_ENDED);
  assert_record (record_of (f, "alice", 0), "calling ringing active held active ended",
                 MT_END_REASON_LOCAL_HANGUP);
  assert_record (record_of (f, "bob", 0), "incoming active held active ended",
                 MT_END_REASON_REMOTE_HANGUP);
}

/* bob's media stops in the middle of the call: alice hears nothing for two
 * seconds and hangs up by herself */
static void
test_media_timeout (Fixture *f, gconstpointer data)
{
  dial (f, f->alice, f->bob, FALSE);
  wait_state (f, "bob", 0, MT_CALL_STATE_INCOMING);
  wait_state (f, "alice", 0, MT_CALL_STATE_RINGING);
  mt_call_answer (call_of (f, "bob", 0));
  wait_state (f, "alice", 0, MT_CALL_STATE_ACTIVE);
  wait_state (f, "bob", 0, MT_CALL_STATE_ACTIVE);

  wait_media (f, "alice", 0);
  mt_media_session_stop (mt_call_get_media_session (call_of (f, "bob", 0)));
  wait_state (f, "alice", 0, MT_CALL_STATE_ENDED);
  wait_state (f, "bob", 0, MT_CALL_STATE_ENDED);
  assert_record (record_of (f, "alice", 0), "calling ringing active ended",
                 MT_END_REASON_MEDIA_TIMEOUT);
  assert_record (record_of (f, "bob", 0), "incoming active ended", MT_END_REASON_REMOTE_HANGUP);
}

/* ---- status codes: one table for calls and registration ------------------------ */

static void
test_status_reasons (void)
{
  static const struct {
    int          status;
    gboolean     from_peer;
    MtEndReason  invite;
    MtEndReason  reg;
  } cases[] = {
    { 401, TRUE,  MT_END_REASON_AUTH_FAILED,     MT_END_REASON_AUTH_FAILED },
    { 403, TRUE,  MT_END_REASON_AUTH_FAILED,     MT_END_REASON_AUTH_FAILED },
    { 407, TRUE,  MT_END_REASON_AUTH_FAILED,     MT_END_REASON_AUTH_FAILED },
    { 904, FALSE, MT_END_REASON_AUTH_FAILED,     MT_END_REASON_AUTH_FAILED },
    { 404, TRUE,  MT_END_REASON_NOT_FOUND,       MT_END_REASON_NOT_FOUND },
    { 484, TRUE,  MT_END_REASON_NOT_FOUND,       MT_END_REASON_NOT_FOUND },
    { 604, TRUE,  MT_END_REASON_NOT_FOUND,       MT_END_REASON_NOT_FOUND },
    { 408, TRUE,  MT_END_REASON_NO_ANSWER,       MT_END_REASON_UNREACHABLE },
    { 408, FALSE, MT_END_REASON_UNREACHABLE,     MT_END_REASON_UNREACHABLE },
    { 480, TRUE,  MT_END_REASON_NO_ANSWER,       MT_END_REASON_NETWORK_ERROR },
    { 486, TRUE,  MT_END_REASON_BUSY,            MT_END_REASON_NETWORK_ERROR },
    { 600, TRUE,  MT_END_REASON_BUSY,            MT_END_REASON_NETWORK_ERROR },
    { 487, TRUE,  MT_END_REASON_CANCELLED,       MT_END_REASON_NETWORK_ERROR },
    { 488, TRUE,  MT_END_REASON_NO_COMMON_CODEC, MT_END_REASON_NETWORK_ERROR },
    { 603, TRUE,  MT_END_REASON_DECLINED,        MT_END_REASON_NETWORK_ERROR },
    /* a peer without Server or User-Agent header still declines */
    { 603, FALSE, MT_END_REASON_DECLINED,        MT_END_REASON_NETWORK_ERROR },
    { 500, TRUE,  MT_END_REASON_NETWORK_ERROR,   MT_END_REASON_NETWORK_ERROR },
    { 503, TRUE,  MT_END_REASON_NETWORK_ERROR,   MT_END_REASON_NETWORK_ERROR },
    { 503, FALSE, MT_END_REASON_UNREACHABLE,     MT_END_REASON_UNREACHABLE },
    { 900, FALSE, MT_END_REASON_UNREACHABLE,     MT_END_REASON_UNREACHABLE },
    { 420, TRUE,  MT_END_REASON_NETWORK_ERROR,   MT_END_REASON_NETWORK_ERROR },
  };
  sip_server_t server = { { { 0 } } };
  sip_t peer = { 0 };

  peer.sip_server = &server;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const sip_t *sip = cases[i].from_peer ? &peer : NULL;

      g_test_message ("%d from %s", cases[i].status, cases[i].from_peer ? "a peer" : "nta");
      g_assert_cmpstr (mt_end_reason_to_string (mt_sip_status_to_reason (cases[i].status, sip,
                                                                         sip_method_invite)),
                       ==, mt_end_reason_to_string (cases[i].invite));
      g_assert_cmpstr (mt_end_reason_to_string (mt_sip_status_to_reason (cases[i].status, sip,
                                                                         sip_method_register)),
                       ==, mt_end_reason_to_string (cases[i].reg));
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(GstTracer) tracer = NULL;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  tracer = g_object_new (mt_test_tracer_get_type (), NULL);
  gst_tracing_register_hook (tracer, "element-new", G_CALLBACK (element_new_cb));

#define ADD(path, options, func) g_test_add (path, Fixture, &options, setup, func, teardown)
  ADD ("/call/outgoing-answered", audio_only, test_outgoing_answered);
  ADD ("/call/declined", audio_only, test_declined);
  ADD ("/call/cancelled", audio_only, test_cancelled);
  ADD ("/call/busy", audio_only, test_busy);
  ADD ("/call/incoming-answered-video", with_video, test_incoming_answered_video);
  ADD ("/call/hold-and-resume", audio_only, test_hold_and_resume);
  ADD ("/call/media-timeout", media_timeout, test_media_timeout);
#undef ADD
  g_test_add_func ("/sip-status/reasons", test_status_reasons);
  return g_test_run ();
}
