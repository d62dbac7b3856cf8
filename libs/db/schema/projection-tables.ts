/**
 * The projection tables as they are now. Migrations bring an existing database here; the
 * projector also runs these (IF NOT EXISTS) at start, so that a table an operator dropped to
 * rebuild it comes back empty and fills again from the log.
 */
export const PROJECTION_TABLES = {
  update_webhook: [
    // Ids outlive the table: a rebuild after DROP TABLE numbers above every id handed out.
    `CREATE SEQUENCE IF NOT EXISTS feed_id_seq AS bigint`,
    `CREATE TABLE IF NOT EXISTS update_webhook (
      id bigint PRIMARY KEY DEFAULT nextval('feed_id_seq'),
      event_id varchar(64) NOT NULL CONSTRAINT update_webhook_event_id_key UNIQUE,
      model varchar(128) NOT NULL,
      record_id bigint NOT NULL,
      event varchar(16) NOT NULL CHECK (event IN ('create', 'write', 'unlink')),
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      changed_fields text[] NOT NULL DEFAULT '{}',
      "timestamp" timestamptz NOT NULL,
      user_id bigint,
      user_name varchar(256),
      priority varchar(8) NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
      category varchar(64),
      is_processed boolean NOT NULL DEFAULT false,
      processed_at timestamptz,
      is_archived boolean NOT NULL DEFAULT false,
      archived_at timestamptz,
      kafka_topic varchar(249) NOT NULL,
      kafka_partition integer NOT NULL,
      kafka_offset bigint NOT NULL,
      processed_by varchar(64)
    )`,
    `CREATE INDEX IF NOT EXISTS update_webhook_pending_idx ON update_webhook (id)
       WHERE NOT is_processed AND NOT is_archived`,
    `CREATE INDEX IF NOT EXISTS update_webhook_model_idx ON update_webhook (model, id)`,
  ],
  // Acknowledged event ids, kept apart from the rows so that an acknowledgement applied before
  // its event (a rebuild reads both topics in parallel) still marks the row when it arrives.
  feed_processed: [
    `CREATE TABLE IF NOT EXISTS feed_processed (
      event_id varchar(64) PRIMARY KEY,
      ack_id varchar(64) NOT NULL,
      processed_at timestamptz NOT NULL
    )`,
  ],
  user_sync_state: [
    `CREATE TABLE IF NOT EXISTS user_sync_state (
      id serial PRIMARY KEY,
      user_id bigint NOT NULL,
      device_id varchar(255) NOT NULL,
      app_type varchar(64) NOT NULL,
      last_event_id bigint NOT NULL DEFAULT 0,
      last_sync_time timestamptz,
      sync_count integer NOT NULL DEFAULT 0,
      is_active boolean NOT NULL DEFAULT true,
      device_info text,
      app_version varchar(64),
      last_event_count integer NOT NULL DEFAULT 0,
      total_events_synced bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      applied_offset bigint NOT NULL DEFAULT -1,
      CONSTRAINT user_sync_state_user_device_key UNIQUE (user_id, device_id)
    )`,
  ],
  // How far each projection has applied each partition (what the api waits on after writing an
  // acknowledgement), written in the same transaction as the rows.
  projection_position: [
    `CREATE TABLE IF NOT EXISTS projection_position (
      projection varchar(64) NOT NULL,
      topic varchar(249) NOT NULL,
      partition integer NOT NULL,
      next_offset bigint NOT NULL,
      PRIMARY KEY (projection, topic, partition)
    )`,
  ],
  // The delivery log: one row per (subscriber, event), and every attempt of it.
  webhook_delivery: [
    `CREATE TABLE IF NOT EXISTS webhook_delivery (
      delivery_id varchar(64) PRIMARY KEY,
      subscriber_id integer NOT NULL,
      event_id varchar(64) NOT NULL,
      model varchar(128) NOT NULL,
      record_id bigint NOT NULL,
      event varchar(16) NOT NULL,
      status varchar(16) NOT NULL CHECK (status IN ('pending', 'processing', 'sent', 'failed', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      http_status integer,
      duration_ms integer,
      error_class varchar(64),
      error_message text,
      response_excerpt text,
      next_retry_at timestamptz,
      body json,
      first_attempt_at timestamptz,
      last_attempt_at timestamptz,
      delivered_at timestamptz,
      id bigserial,
      replay_id varchar(64)
    )`,
    `CREATE UNIQUE INDEX IF NOT EXISTS webhook_delivery_id_key ON webhook_delivery (id)`,
    `CREATE INDEX IF NOT EXISTS webhook_delivery_subscriber_idx
       ON webhook_delivery (subscriber_id, last_attempt_at)`,
    `CREATE INDEX IF NOT EXISTS webhook_delivery_status_idx ON webhook_delivery (status)`,
    // The dashboard's delivery pages: newest first, per subscriber, and per event (timelines).
    `CREATE INDEX IF NOT EXISTS webhook_delivery_newest_idx
       ON webhook_delivery (first_attempt_at DESC, delivery_id DESC)`,
    `CREATE INDEX IF NOT EXISTS webhook_delivery_subscriber_newest_idx
       ON webhook_delivery (subscriber_id, first_attempt_at DESC, delivery_id DESC)`,
    `CREATE INDEX IF NOT EXISTS webhook_delivery_event_idx ON webhook_delivery (event_id)`,
  ],
  webhook_delivery_attempt: [
    `CREATE TABLE IF NOT EXISTS webhook_delivery_attempt (
      delivery_id varchar(64) NOT NULL,
      attempt integer NOT NULL,
      status varchar(16) NOT NULL,
      http_status integer,
      duration_ms integer,
      error_class varchar(64),
      error_message text,
      response_excerpt text,
      next_retry_at timestamptz,
      at timestamptz NOT NULL,
      PRIMARY KEY (delivery_id, attempt)
    )`,
  ],
  // The dashboard's event index: every change event with where it is in Kafka and its bytes as
  // read (decoded only when someone opens it), and the changes per model and minute.
  change_event: [
    `CREATE TABLE IF NOT EXISTS change_event (
      event_id varchar(64) PRIMARY KEY,
      model varchar(128) NOT NULL,
      record_id bigint NOT NULL,
      op varchar(8) NOT NULL,
      "timestamp" timestamptz NOT NULL,
      uid bigint,
      changed_fields text[] NOT NULL DEFAULT '{}',
      kafka_topic varchar(249) NOT NULL,
      kafka_partition integer NOT NULL,
      kafka_offset bigint NOT NULL,
      value bytea NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS change_event_time_idx ON change_event ("timestamp", event_id)`,
    `CREATE INDEX IF NOT EXISTS change_event_model_time_idx ON change_event (model, "timestamp", event_id)`,
    `CREATE INDEX IF NOT EXISTS change_event_record_idx ON change_event (model, record_id, "timestamp")`,
  ],
  change_rate: [
    `CREATE TABLE IF NOT EXISTS change_rate (
      model varchar(128) NOT NULL,
      minute timestamptz NOT NULL,
      changes integer NOT NULL,
      PRIMARY KEY (minute, model)
    )`,
  ],
  feed_retention: [
    `CREATE TABLE IF NOT EXISTS feed_retention (
      id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      purged_through_id bigint NOT NULL DEFAULT 0,
      archived_total bigint NOT NULL DEFAULT 0,
      deleted_total bigint NOT NULL DEFAULT 0,
      last_run_at timestamptz
    )`,
    `INSERT INTO feed_retention (id) VALUES (1) ON CONFLICT DO NOTHING`,
  ],
  // Telegram: customers of each bot, their conversations, what the bot sends (the outbox), and
  // the partners and sale orders the bot answers /orders and writes notifications from.
  telegram_user: [
    `CREATE TABLE IF NOT EXISTS telegram_user (
      bot_id integer NOT NULL,
      telegram_id bigint NOT NULL,
      partner_id bigint,
      first_name varchar(256),
      username varchar(256),
      language_code varchar(16),
      verified boolean NOT NULL DEFAULT false,
      verified_at timestamptz,
      code_hash varchar(64),
      code_expires_at timestamptz,
      code_attempts integer NOT NULL DEFAULT 0,
      blocked boolean NOT NULL DEFAULT false,
      waiting boolean NOT NULL DEFAULT false,
      last_message_at timestamptz,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (bot_id, telegram_id)
    )`,
    `CREATE INDEX IF NOT EXISTS telegram_user_partner_idx ON telegram_user (partner_id)`,
  ],
  telegram_message: [
    `CREATE TABLE IF NOT EXISTS telegram_message (
      id bigserial PRIMARY KEY,
      key varchar(200) NOT NULL CONSTRAINT telegram_message_key_key UNIQUE,
      bot_id integer NOT NULL,
      telegram_id bigint NOT NULL,
      direction varchar(3) NOT NULL CHECK (direction IN ('in', 'out')),
      kind varchar(16) NOT NULL,
      text text NOT NULL,
      by varchar(128),
      at timestamptz NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS telegram_message_user_idx ON telegram_message (bot_id, telegram_id, id)`,
  ],
  telegram_outbox: [
    `CREATE TABLE IF NOT EXISTS telegram_outbox (
      key varchar(200) PRIMARY KEY,
      seq bigserial,
      bot_id integer,
      telegram_id bigint,
      kind varchar(16),
      text text,
      code_key varchar(200),
      event_id varchar(64),
      status varchar(8) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      message_id bigint,
      reason text,
      created_at timestamptz,
      done_at timestamptz
    )`,
    `CREATE INDEX IF NOT EXISTS telegram_outbox_pending_idx ON telegram_outbox (seq) WHERE status = 'pending'`,
  ],
  telegram_partner: [
    `CREATE TABLE IF NOT EXISTS telegram_partner (
      id bigint PRIMARY KEY,
      name varchar(512),
      lang varchar(16)
    )`,
  ],
  telegram_order: [
    `CREATE TABLE IF NOT EXISTS telegram_order (
      id bigint PRIMARY KEY,
      partner_id bigint,
      name varchar(256),
      state varchar(32),
      amount_total text,
      date_order timestamptz,
      updated_at timestamptz NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS telegram_order_partner_idx ON telegram_order (partner_id, id)`,
  ],
};

export type ProjectionTable = keyof typeof PROJECTION_TABLES;
