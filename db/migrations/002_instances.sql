-- Every running server heartbeats its row; an expired row means the instance died.
CREATE TABLE IF NOT EXISTS instances (
  instance_id UUID PRIMARY KEY,
  started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- A user with at least one open socket on an instance; `chat` when one of them is a chat socket.
CREATE TABLE IF NOT EXISTS connections (
  user_id UUID NOT NULL,
  instance_id UUID NOT NULL REFERENCES instances (instance_id) ON DELETE CASCADE,
  chat BOOLEAN NOT NULL DEFAULT FALSE,
  opened_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (user_id, instance_id)
);
CREATE INDEX IF NOT EXISTS idx_connections_instance ON connections (instance_id);
