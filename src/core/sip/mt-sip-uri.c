/* mt-sip-uri.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-sip-uri"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>
#include <gio/gio.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/url.h>

#include "mt-sip-uri.h"

G_DEFINE_QUARK (mt-sip-uri-error-quark, mt_sip_uri_error)

static gboolean
valid_host (const char *host)
{
  g_autoptr(GInetAddress) addr = NULL;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (host[0] == '[')
    {
      g_autofree char *inner = g_strndup (host + 1, strlen (host) - 2);

      addr = g_inet_address_new_from_string (inner);
      return addr != NULL && host[strlen (host) - 1] == ']';
    }
  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return host[0] != '.' && host[0] != '-';
}

/* RFC 3966 visual separators are not part of the number */
static char *
strip_visual_separators (char *number)
{
  char *out = number;

  for (const char *in = number; *in; in++)
    if (!strchr (" -.()", *in))
      *out++ = *in;
  *out = '\0';
  return number;
}

/* The port of "sip:user@host:PORT;params", checked before Sofia's parser,
 * which only says "not a URL" */
static gboolean
port_is_valid (const char *uri)
{
  const char *host = strchr (uri, '@');
  const char *colon;
  g_autofree char *port = NULL;
  gint64 value;

  host = host ? host + 1 : strchr (uri, ':') + 1;
  if (*host == '[')
    host = strchr (host, ']') ? strchr (host, ']') : host;
  colon = strchr (host, ':');
  if (colon == NULL || (strchr (host, ';') && strchr (host, ';') < colon))
    return TRUE;
  port = g_strndup (colon + 1, strcspn (colon + 1, ";?"));
  return g_ascii_string_to_signed (port, 10, 1, 65535, &value, NULL);
}

static char *
add_scheme (const char *input, const char *default_domain, GError **error)
{
  if (g_str_has_prefix (input, "sip:") || g_str_has_prefix (input, "sips:"))
    return g_strdup (input);
  if (g_str_has_prefix (input, "tel:"))
    {
      g_autofree char *number = g_strdup (input + 4);

      if (default_domain == NULL || *default_domain == '\0')
        {
          g_set_error (error, MT_SIP_URI_ERROR, MT_SIP_URI_ERROR_HOST,
                       _("To call the phone number %s, set up a SIP account first."), number);
          return NULL;
        }
      return g_strdup_printf ("sip:%s@%s;user=phone", strip_visual_separators (number),
                              default_domain);
    }
  if (strchr (input, ':') && !strchr (input, '@') && !g_ascii_isdigit (input[0]) &&
      !strchr (input, '.'))
    {
      g_autofree char *scheme = g_strndup (input, strcspn (input, ":"));

      g_set_error (error, MT_SIP_URI_ERROR, MT_SIP_URI_ERROR_SCHEME,
                   _("“%s:” addresses cannot be called; use a SIP address like bob@example.org."),
                   scheme);
      return NULL;
    }
  /* a bare name ("carol") is a user of our own domain; "192.0.2.4" or
   * "pbx.example.org" are hosts */
  if (strpbrk (input, "@:.[") == NULL && default_domain && *default_domain)
    return g_strdup_printf ("sip:%s@%s", input, default_domain);
  return g_strdup_printf ("sip:%s", input);
}

char *
mt_sip_uri_normalize (const char *input, const char *default_domain, GError **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *uri = NULL;
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url;
  char *result = NULL;

  g_return_val_if_fail (input != NULL, NULL);

  trimmed = g_strstrip (g_strdup (input));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, MT_SIP_URI_ERROR, MT_SIP_URI_ERROR_EMPTY,
                           _("Type an address to call, like bob@example.org."));
      return NULL;
    }
  /* not text (a link or a command line in another encoding): the sentence
   * shows it with U+FFFD for what is not UTF-8, as the window can show that */
  if (!g_utf8_validate (trimmed, -1, NULL))
    {
      g_autofree char *shown = g_utf8_make_valid (trimmed, -1);

      g_set_error (error, MT_SIP_URI_ERROR, MT_SIP_URI_ERROR_SYNTAX,
                   _("“%s” is not a SIP address; it should look like bob@example.org."), shown);
      return NULL;
    }
  /* spaces are visual separators in a typed phone number, not elsewhere */
  if (strpbrk (trimmed, g_str_has_prefix (trimmed, "tel:") ? "\t\r\n<>\"" : " \t\r\n<>\""))
    {
      g_set_error (error, MT_SIP_URI_ERROR, MT_SIP_URI_ERROR_SYNTAX,
                   _("“%s” contains spaces or brackets; a SIP address looks like bob@example.org."),
                   trimmed);
      return NULL;
    }
  if (!(uri = add_scheme (trimmed, default_domain, error)))
    return NULL;

  url = url_make (home, uri);
  if (!port_is_valid (uri))
    g_set_error (error, MT_SIP_URI_ERROR, MT_SIP_URI_ERROR_PORT,
                 _("“%s” has a port that is not a number from 1 to 65535."), trimmed);
  else if (url == NULL || (url->url_type != url_sip && url->url_type != url_sips))
    g_set_error (error, MT_SIP_URI_ERROR, MT_SIP_URI_ERROR_SYNTAX,
                 _("“%s” is not a SIP address; it should look like bob@example.org."), trimmed);
  else if (!valid_host (url->url_host))
    g_set_error (error, MT_SIP_URI_ERROR, MT_SIP_URI_ERROR_HOST,
                 _("“%s” has no valid host name after the @."), trimmed);
  else
    result = g_steal_pointer (&uri);

  su_home_deinit (home);
  return result;
}

static url_t *
parse (su_home_t *home, const char *uri)
{
  return uri ? url_make (home, uri) : NULL;
}

char *
mt_sip_uri_get_user (const char *uri)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url = parse (home, uri);
  char *user = url && url->url_user ? g_strdup (url->url_user) : NULL;

  su_home_deinit (home);
  return user;
}

char *
mt_sip_uri_get_host (const char *uri)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url = parse (home, uri);
  char *host = url && url->url_host ? g_strdup (url->url_host) : NULL;

  su_home_deinit (home);
  return host;
}

guint
mt_sip_uri_get_port (const char *uri)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url = parse (home, uri);
  guint port = url && url->url_port ? (guint) atoi (url->url_port) : 0;

  su_home_deinit (home);
  return port;
}

/* The value of `name` in "a=1;b;c=3" ("" for a parameter without one), or
 * NULL. Our own: Sofia 1.12.11's url_param() reads past the end of the
 * parameters when one of them starts with `name` and goes on ("transportx"),
 * found by tests/fuzz/fuzz-uri.c. */
static char *
find_param (const char *params, const char *name)
{
  gsize name_len = strlen (name);

  for (const char *p = params; p != NULL && *p != '\0';)
    {
      gsize len = strcspn (p, ";");
      gsize key_len = strcspn (p, "=;");

      if (key_len == name_len && g_ascii_strncasecmp (p, name, name_len) == 0)
        return key_len < len ? g_strndup (p + key_len + 1, len - key_len - 1) : g_strdup ("");
      p = p[len] == ';' ? p + len + 1 : NULL;
    }
  return NULL;
}

char *
mt_sip_uri_get_param (const char *uri, const char *name)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url;
  char *value = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  url = parse (home, uri);
  if (url && url->url_params)
    value = find_param (url->url_params, name);
  su_home_deinit (home);
  return value;
}
