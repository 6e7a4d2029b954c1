-- A binding names one registration of an id, and tokens sign the id together with it: once an id is
-- forgotten (or its registration lost in a crash) and bound again, tokens of the earlier binding prove
-- nothing. Rows bound before keep '' as their binding, and with it the tokens they were given then.
ALTER TABLE identities ADD COLUMN IF NOT EXISTS binding TEXT NOT NULL DEFAULT '';
ALTER TABLE identities ALTER COLUMN binding SET DEFAULT replace(gen_random_uuid()::text, '-', '');
