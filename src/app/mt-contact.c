/* mt-contact.c: one person in the address book
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-contact"

#include "mt-contact.h"

struct _MtContact
{
  GObject   parent_instance;
  char     *id;
  char     *name;
  GStrv     addresses;
  gboolean  builtin;
  char     *account;
  gboolean  read_only;
};

G_DEFINE_FINAL_TYPE (MtContact, mt_contact, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ADDRESS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
mt_contact_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MtContact *self = MT_CONTACT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, mt_contact_get_address (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mt_contact_finalize (GObject *object)
{
  MtContact *self = MT_CONTACT (object);

  g_free (self->id);
  g_free (self->name);
  g_strfreev (self->addresses);
  g_free (self->account);
  G_OBJECT_CLASS (mt_contact_parent_class)->finalize (object);
}

static void
mt_contact_class_init (MtContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = mt_contact_get_property;
  object_class->finalize = mt_contact_finalize;

  props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                          G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                             G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
mt_contact_init (MtContact *self)
{
}

MtContact *
mt_contact_new (const char *id, const char *name, const char * const *addresses)
{
  MtContact *self = g_object_new (MT_TYPE_CONTACT, NULL);

  self->id = id ? g_strdup (id) : g_uuid_string_random ();
  self->name = g_strdup (name ? name : "");
  self->addresses = g_strdupv ((GStrv) addresses);
  if (self->addresses == NULL)
    self->addresses = g_new0 (char *, 1);
  return self;
}

const char *
mt_contact_get_id (MtContact *self)
{
  g_return_val_if_fail (MT_IS_CONTACT (self), NULL);
  return self->id;
}

const char *
mt_contact_get_name (MtContact *self)
{
  g_return_val_if_fail (MT_IS_CONTACT (self), NULL);
  return self->name;
}

void
mt_contact_set_name (MtContact *self, const char *name)
{
  g_return_if_fail (MT_IS_CONTACT (self));
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name ? name : "");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NAME]);
}

const char * const *
mt_contact_get_addresses (MtContact *self)
{
  g_return_val_if_fail (MT_IS_CONTACT (self), NULL);
  return (const char * const *) self->addresses;
}

void
mt_contact_set_addresses (MtContact *self, const char * const *addresses)
{
  g_return_if_fail (MT_IS_CONTACT (self));
  g_strfreev (self->addresses);
  self->addresses = g_strdupv ((GStrv) addresses);
  if (self->addresses == NULL)
    self->addresses = g_new0 (char *, 1);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ADDRESS]);
}

const char *
mt_contact_get_address (MtContact *self)
{
  g_return_val_if_fail (MT_IS_CONTACT (self), NULL);
  return self->addresses[0];
}

gboolean
mt_contact_get_builtin (MtContact *self)
{
  g_return_val_if_fail (MT_IS_CONTACT (self), FALSE);
  return self->builtin;
}

void
mt_contact_set_builtin (MtContact *self, gboolean builtin)
{
  g_return_if_fail (MT_IS_CONTACT (self));
  self->builtin = builtin;
}

const char *
mt_contact_get_account (MtContact *self)
{
  g_return_val_if_fail (MT_IS_CONTACT (self), NULL);
  return self->account;
}

void
mt_contact_set_account (MtContact *self, const char *account)
{
  g_return_if_fail (MT_IS_CONTACT (self));
  g_free (self->account);
  self->account = account && *account ? g_strdup (account) : NULL;
}

gboolean
mt_contact_get_read_only (MtContact *self)
{
  g_return_val_if_fail (MT_IS_CONTACT (self), FALSE);
  return self->read_only;
}

void
mt_contact_set_read_only (MtContact *self, gboolean read_only)
{
  g_return_if_fail (MT_IS_CONTACT (self));
  self->read_only = read_only;
}
