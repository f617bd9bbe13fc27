/* mt-sdp-ice.c: ICE in SDP (RFC 8839)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mt-sdp"

#include "mt-sdp-ice.h"
#include "mt-sdp.h"

#include <string.h>
#include <gio/gio.h>

#define MAX_FOUNDATION  32
#define MAX_CREDENTIAL  256
#define MIN_UFRAG       4
#define MIN_PWD         22
#define MAX_COMPONENT   256
#define MAX_CANDIDATES  64

MtSdpCandidate *
mt_sdp_candidate_new (void)
{
  return g_new0 (MtSdpCandidate, 1);
}

MtSdpCandidate *
mt_sdp_candidate_copy (const MtSdpCandidate *candidate)
{
  MtSdpCandidate *copy;

  g_return_val_if_fail (candidate != NULL, NULL);

  copy = g_new0 (MtSdpCandidate, 1);
  *copy = *candidate;
  copy->foundation = g_strdup (candidate->foundation);
  copy->transport = g_strdup (candidate->transport);
  copy->address = g_strdup (candidate->address);
  copy->rel_address = g_strdup (candidate->rel_address);
  copy->tcp_type = g_strdup (candidate->tcp_type);
  return copy;
}

void
mt_sdp_candidate_free (MtSdpCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_free (candidate->foundation);
  g_free (candidate->transport);
  g_free (candidate->address);
  g_free (candidate->rel_address);
  g_free (candidate->tcp_type);
  g_free (candidate);
}

static const char *const type_names[] = { "host", "srflx", "prflx", "relay" };

const char *
mt_sdp_candidate_type_to_string (MtSdpCandidateType type)
{
  g_return_val_if_fail (type <= MT_SDP_CANDIDATE_RELAY, "host");
  return type_names[type];
}

gboolean
mt_sdp_candidate_type_from_string (const char         *text,
                                   MtSdpCandidateType *type)
{
  g_return_val_if_fail (type != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (type_names); i++)
    if (g_ascii_strcasecmp (text, type_names[i]) == 0)
      {
        *type = (MtSdpCandidateType) i;
        return TRUE;
      }
  return FALSE;
}

/* ice-char = ALPHA / DIGIT / "+" / "/" */
static gboolean
is_ice_chars (const char *text, gsize min, gsize max)
{
  gsize len;

  if (text == NULL)
    return FALSE;
  len = strlen (text);
  if (len < min || len > max)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/')
      return FALSE;
  return TRUE;
}

static gboolean
parse_number (const char *text, guint64 min, guint64 max, gsize max_digits, guint64 *out)
{
  if (text == NULL || *text == '\0' || strlen (text) > max_digits)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return g_ascii_string_to_unsigned (text, 10, min, max, out, NULL);
}

static gboolean
is_ip_literal (const char *text)
{
  g_autoptr(GInetAddress) addr = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  addr = g_inet_address_new_from_string (text);
  return addr != NULL;
}

static gboolean
is_token (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`{|}~", *p) == NULL)
      return FALSE;
  return TRUE;
}

static MtSdpCandidate *
candidate_error (GError **error, const char *value, const char *why)
{
  g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE,
               "The candidate “%.80s” %s.", value, why);
  return NULL;
}

/* raddr, rport and extension pairs after "typ X" */
static gboolean
parse_candidate_tail (MtSdpCandidate *c, char **words, const char **why)
{
  for (guint i = 0; words[i] != NULL; i += 2)
    {
      const char *name = words[i], *value = words[i + 1];
      guint64 n;

      if (value == NULL)
        return (*why = "has an attribute without a value"), FALSE;
      if (g_ascii_strcasecmp (name, "raddr") == 0)
        {
          if (!is_ip_literal (value))
            return (*why = "has a related address that is not an IP address"), FALSE;
          g_free (c->rel_address);
          c->rel_address = g_strdup (value);
        }
      else if (g_ascii_strcasecmp (name, "rport") == 0)
        {
          if (!parse_number (value, 0, 65535, 5, &n))
            return (*why = "has an invalid related port"), FALSE;
          c->rel_port = (guint) n;
        }
      else if (g_ascii_strcasecmp (name, "tcptype") == 0)
        {
          if (g_ascii_strcasecmp (value, "active") != 0 &&
              g_ascii_strcasecmp (value, "passive") != 0 &&
              g_ascii_strcasecmp (value, "so") != 0)
            return (*why = "has an unknown tcptype"), FALSE;
          g_free (c->tcp_type);
          c->tcp_type = g_ascii_strdown (value, -1);
        }
      else if (!is_token (name))
        return (*why = "has a malformed extension"), FALSE;
      /* other extensions (generation, network-id, ...) are ignored */
    }
  return TRUE;
}

MtSdpCandidate *
mt_sdp_candidate_parse (const char *value, GError **error)
{
  g_autoptr(MtSdpCandidate) c = NULL;
  g_auto(GStrv) words = NULL;
  const char *text = value, *why = NULL;
  guint64 n;

  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_ascii_strncasecmp (text, "candidate:", 10) == 0)
    text += 10;
  if (strlen (text) > 1024 || strchr (text, '\t') || strstr (text, "  ") ||
      *text == ' ' || g_str_has_suffix (text, " "))
    return candidate_error (error, value, "is not single-space separated");
  words = g_strsplit (text, " ", -1);
  if (g_strv_length (words) < 8)
    return candidate_error (error, value, "has too few fields");

  c = mt_sdp_candidate_new ();
  if (!is_ice_chars (words[0], 1, MAX_FOUNDATION))
    return candidate_error (error, value, "has an invalid foundation");
  c->foundation = g_strdup (words[0]);
  if (!parse_number (words[1], 1, MAX_COMPONENT, 3, &n))
    return candidate_error (error, value, "has an invalid component id");
  c->component = (guint) n;
  if (!is_token (words[2]))
    return candidate_error (error, value, "has an invalid transport");
  c->transport = g_ascii_strup (words[2], -1);
  if (!parse_number (words[3], 1, G_MAXINT32, 10, &n))
    return candidate_error (error, value, "has an invalid priority");
  c->priority = (guint32) n;
  if (!is_ip_literal (words[4]))
    return candidate_error (error, value, "has an address that is not an IP address");
  c->address = g_strdup (words[4]);
  if (!parse_number (words[5], 0, 65535, 5, &n))
    return candidate_error (error, value, "has an invalid port");
  c->port = (guint) n;
  if (g_ascii_strcasecmp (words[6], "typ") != 0)
    return candidate_error (error, value, "has no “typ”");
  if (!mt_sdp_candidate_type_from_string (words[7], &c->type))
    return candidate_error (error, value, "has an unknown candidate type");
  if (!parse_candidate_tail (c, words + 8, &why))
    return candidate_error (error, value, why);
  if (c->port == 0 && g_strcmp0 (c->tcp_type, "active") != 0)
    return candidate_error (error, value, "has port 0");

  return g_steal_pointer (&c);
}

char *
mt_sdp_candidate_to_string (const MtSdpCandidate *c)
{
  GString *out;

  g_return_val_if_fail (c != NULL, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%s %u %s %u %s %u typ %s",
                          c->foundation ? c->foundation : "0", c->component,
                          c->transport ? c->transport : "UDP", c->priority,
                          c->address ? c->address : "0.0.0.0", c->port,
                          mt_sdp_candidate_type_to_string (c->type));
  if (c->rel_address != NULL)
    g_string_append_printf (out, " raddr %s rport %u", c->rel_address, c->rel_port);
  if (c->tcp_type != NULL)
    g_string_append_printf (out, " tcptype %s", c->tcp_type);
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */

MtSdpIce *
mt_sdp_ice_new (void)
{
  MtSdpIce *ice = g_new0 (MtSdpIce, 1);

  ice->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_candidate_free);
  return ice;
}

MtSdpIce *
mt_sdp_ice_copy (const MtSdpIce *ice)
{
  MtSdpIce *copy;

  g_return_val_if_fail (ice != NULL, NULL);

  copy = mt_sdp_ice_new ();
  copy->ufrag = g_strdup (ice->ufrag);
  copy->pwd = g_strdup (ice->pwd);
  copy->options = g_strdup (ice->options);
  copy->lite = ice->lite;
  copy->end_of_candidates = ice->end_of_candidates;
  copy->remote_candidates = g_strdup (ice->remote_candidates);
  for (guint i = 0; i < ice->candidates->len; i++)
    g_ptr_array_add (copy->candidates, mt_sdp_candidate_copy (g_ptr_array_index (ice->candidates, i)));
  return copy;
}

void
mt_sdp_ice_free (MtSdpIce *ice)
{
  if (ice == NULL)
    return;
  g_free (ice->ufrag);
  g_free (ice->pwd);
  g_free (ice->options);
  g_free (ice->remote_candidates);
  g_clear_pointer (&ice->candidates, g_ptr_array_unref);
  g_free (ice);
}

gboolean
mt_sdp_ice_is_valid (const MtSdpIce *ice)
{
  return ice != NULL && is_ice_chars (ice->ufrag, MIN_UFRAG, MAX_CREDENTIAL) &&
         is_ice_chars (ice->pwd, MIN_PWD, MAX_CREDENTIAL);
}

gboolean
mt_sdp_ice_is_restart (const MtSdpIce *previous, const MtSdpIce *now)
{
  if (previous == NULL || now == NULL)
    return FALSE;
  return g_strcmp0 (previous->ufrag, now->ufrag) != 0 || g_strcmp0 (previous->pwd, now->pwd) != 0;
}

gboolean
mt_sdp_ice_has_default (const MtSdpIce *ice, const char *address, guint port)
{
  g_autoptr(GInetAddress) want = NULL;

  g_return_val_if_fail (ice != NULL, FALSE);

  if (address == NULL || !(want = g_inet_address_new_from_string (address)))
    return FALSE;
  for (guint i = 0; i < ice->candidates->len; i++)
    {
      const MtSdpCandidate *c = g_ptr_array_index (ice->candidates, i);
      g_autoptr(GInetAddress) have = g_inet_address_new_from_string (c->address);

      if (c->component == 1 && c->port == port && have && g_inet_address_equal (have, want))
        return TRUE;
    }
  return FALSE;
}

void
mt_sdp_ice_append (const MtSdpIce *ice, GString *out)
{
  g_return_if_fail (ice != NULL);
  g_return_if_fail (out != NULL);

  if (ice->ufrag)
    g_string_append_printf (out, "a=ice-ufrag:%s\r\n", ice->ufrag);
  if (ice->pwd)
    g_string_append_printf (out, "a=ice-pwd:%s\r\n", ice->pwd);
  if (ice->options)
    g_string_append_printf (out, "a=ice-options:%s\r\n", ice->options);
  for (guint i = 0; i < ice->candidates->len; i++)
    {
      g_autofree char *line = mt_sdp_candidate_to_string (g_ptr_array_index (ice->candidates, i));

      g_string_append_printf (out, "a=candidate:%s\r\n", line);
    }
  if (ice->remote_candidates)
    g_string_append_printf (out, "a=remote-candidates:%s\r\n", ice->remote_candidates);
  if (ice->end_of_candidates)
    g_string_append (out, "a=end-of-candidates\r\n");
}

static MtSdpIce *
ensure_ice (MtSdpIce **ice)
{
  if (*ice == NULL)
    *ice = mt_sdp_ice_new ();
  return *ice;
}

gboolean
mt_sdp_ice_apply_attribute (MtSdpIce  **ice,
                            const char *name,
                            const char *value)
{
  g_autoptr(GError) error = NULL;
  MtSdpCandidate *c;

  g_return_val_if_fail (ice != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (name, "ice-lite") == 0)
    ensure_ice (ice)->lite = TRUE;
  else if (g_ascii_strcasecmp (name, "end-of-candidates") == 0)
    ensure_ice (ice)->end_of_candidates = TRUE;
  else if (value == NULL)
    return FALSE;
  else if (g_ascii_strcasecmp (name, "ice-ufrag") == 0)
    g_free (ensure_ice (ice)->ufrag), (*ice)->ufrag = g_strdup (value);
  else if (g_ascii_strcasecmp (name, "ice-pwd") == 0)
    g_free (ensure_ice (ice)->pwd), (*ice)->pwd = g_strdup (value);
  else if (g_ascii_strcasecmp (name, "ice-options") == 0)
    g_free (ensure_ice (ice)->options), (*ice)->options = g_strdup (value);
  else if (g_ascii_strcasecmp (name, "remote-candidates") == 0)
    g_free (ensure_ice (ice)->remote_candidates), (*ice)->remote_candidates = g_strdup (value);
  else if (g_ascii_strcasecmp (name, "candidate") == 0)
    {
      if (ensure_ice (ice)->candidates->len >= MAX_CANDIDATES)
        return TRUE;
      if ((c = mt_sdp_candidate_parse (value, &error)) != NULL)
        g_ptr_array_add ((*ice)->candidates, c);
      else
        g_debug ("ignoring a candidate: %s", error->message);
    }
  else
    return FALSE;
  return TRUE;
}
