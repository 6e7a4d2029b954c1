CREATE TABLE IF NOT EXISTS users_online (
  user_id UUID PRIMARY KEY,
  display_name TEXT NOT NULL,
  last_seen TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_users_name ON users_online (display_name);
