/* mt-sip-stack.c: Sofia-SIP on the GLib main context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-sip-stack"

#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sofia-sip/su_glib.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/su_uniqueid.h>

#include "mt-sip-stack.h"

/* exported by libsofia-sip-ua, not declared in its public headers */
extern su_log_t tport_log[];
extern su_log_t nta_log[];
extern su_log_t nua_log[];

struct _MtSipStack
{
  GObject    parent_instance;
  su_root_t *root;
  GSource   *source;
  gboolean   trace;
};

G_DEFINE_FINAL_TYPE (MtSipStack, mt_sip_stack, G_TYPE_OBJECT)

static MtSipStack *default_stack;

static void
trace_logger (void *stream, char const *fmt, va_list ap)
{
  vfprintf (stderr, fmt, ap);
  fflush (stderr);
}

static void
quiet_logger (void *stream, char const *fmt, va_list ap)
{
}

static void
mt_sip_stack_finalize (GObject *object)
{
  MtSipStack *self = MT_SIP_STACK (object);

  if (self->source)
    g_source_destroy (self->source);
  g_clear_pointer (&self->source, g_source_unref);
  g_clear_pointer (&self->root, su_root_destroy);
  su_deinit ();
  if (default_stack == self)
    default_stack = NULL;
  G_OBJECT_CLASS (mt_sip_stack_parent_class)->finalize (object);
}

static void
mt_sip_stack_class_init (MtSipStackClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mt_sip_stack_finalize;
}

/* A desktop session starts us with 1,024 descriptors (the soft limit) of
 * many more allowed (the hard limit): take them all, so that a flood of
 * idle connections does not leave none for a call's sockets. */
static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == limit.rlim_max)
    return;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
    g_debug ("cannot raise the file descriptor limit: %s", g_strerror (errno));
}

static void
mt_sip_stack_init (MtSipStack *self)
{
  raise_fd_limit ();
  su_init ();
  /* Sofia 1.12 deletes its random generator's thread key at exit even when
   * it never made one (then it is GLib's key): make it now */
  (void) su_random ();
  /* Sofia's own chatter (bind errors, transport errors) is reported to the
   * user through our errors and end reasons; --sip-trace shows it. */
  su_log_redirect (su_log_default, quiet_logger, NULL);
  su_log_redirect (nta_log, quiet_logger, NULL);
  su_log_redirect (nua_log, quiet_logger, NULL);
  su_log_redirect (tport_log, quiet_logger, NULL);
  self->root = su_glib_root_create (NULL);
  /* nua would otherwise run its stack in a thread of its own: keep it on
   * the main context, with every other core object */
  su_root_threading (self->root, 0);
  self->source = g_source_ref (su_glib_root_gsource (self->root));
  g_source_attach (self->source, g_main_context_get_thread_default ());
}

MtSipStack *
mt_sip_stack_dup_default (void)
{
  if (default_stack)
    return g_object_ref (default_stack);
  default_stack = g_object_new (MT_TYPE_SIP_STACK, NULL);
  g_object_add_weak_pointer (G_OBJECT (default_stack), (gpointer *) &default_stack);
  return default_stack;
}

gpointer
mt_sip_stack_get_root (MtSipStack *self)
{
  g_return_val_if_fail (MT_IS_SIP_STACK (self), NULL);
  return self->root;
}

void
mt_sip_stack_set_trace (MtSipStack *self, gboolean trace)
{
  g_return_if_fail (MT_IS_SIP_STACK (self));
  self->trace = !!trace;
  /* tport prints whole messages through the default log */
  su_log_redirect (su_log_default, self->trace ? trace_logger : quiet_logger, NULL);
  su_log_redirect (tport_log, self->trace ? trace_logger : quiet_logger, NULL);
  su_log_redirect (nta_log, self->trace ? trace_logger : quiet_logger, NULL);
  su_log_redirect (nua_log, self->trace ? trace_logger : quiet_logger, NULL);
  if (self->trace)
    su_log_set_level (tport_log, 3);
}

gboolean
mt_sip_stack_get_trace (MtSipStack *self)
{
  g_return_val_if_fail (MT_IS_SIP_STACK (self), FALSE);
  return self->trace;
}
