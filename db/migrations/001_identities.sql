-- Secrets shared by every instance, such as the key that signs identity tokens.
CREATE TABLE IF NOT EXISTS app_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- A user id is bound by its first registration; later use needs its token.
CREATE TABLE IF NOT EXISTS identities (
  user_id UUID PRIMARY KEY,
  display_name TEXT NOT NULL,
  bound_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  last_seen TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_identities_last_seen ON identities (last_seen);
