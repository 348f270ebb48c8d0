-- Warehouse schema: dedup marks (the shared dedup store's table), the events fact table and the
-- reporting aggregates fed in the same transaction. See docs/decisions/0002-warehouse-dedup.md.

-- Same statement as io.pipeline.dedup.PostgresDedupStore.DDL (IF NOT EXISTS: another tool may
-- have created it first).
CREATE TABLE IF NOT EXISTS dedup_marks (
  scope text NOT NULL,
  message_id uuid NOT NULL,
  marked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, message_id)
);
-- The TTL purge deletes by age.
CREATE INDEX IF NOT EXISTS dedup_marks_marked_at ON dedup_marks (marked_at);

-- One row per applied event. The primary key is a second guard behind the dedup marks: it
-- outlives the marks' TTL, so a replay older than the TTL still inserts nothing.
CREATE TABLE events (
  dedup_scope   text        NOT NULL,
  message_id    uuid        NOT NULL,
  type          text        NOT NULL,
  entity_key    text        NOT NULL,
  event_time    timestamptz NOT NULL,
  sent_at       timestamptz,
  ingested_at   timestamptz NOT NULL DEFAULT now(),
  source_broker text        NOT NULL,
  payload       jsonb       NOT NULL,
  PRIMARY KEY (dedup_scope, message_id)
);

-- Reporting aggregates, one row per scope, entity and minute of event time; upserted from the
-- rows the batch really inserted, so a duplicate changes nothing.
CREATE TABLE video_views_per_minute (
  dedup_scope text        NOT NULL,
  video_id    text        NOT NULL,
  minute      timestamptz NOT NULL,
  views       bigint      NOT NULL,
  PRIMARY KEY (dedup_scope, video_id, minute)
);

CREATE TABLE sms_requests_per_minute (
  dedup_scope text        NOT NULL,
  phone       text        NOT NULL,
  minute      timestamptz NOT NULL,
  requests    bigint      NOT NULL,
  PRIMARY KEY (dedup_scope, phone, minute)
);

CREATE TABLE orders_per_minute (
  dedup_scope    text        NOT NULL,
  minute         timestamptz NOT NULL,
  created        bigint      NOT NULL,
  created_amount numeric     NOT NULL,
  paid           bigint      NOT NULL,
  paid_amount    numeric     NOT NULL,
  PRIMARY KEY (dedup_scope, minute)
);
