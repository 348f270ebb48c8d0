-- Order state per dedup scope and order id (issue 14, docs/decisions/0013-ordering.md): created ->
-- paid, fed by RollUps.APPLY from exactly the events rows a batch inserted, so a duplicate changes
-- nothing. Correct whatever the arrival order: a paid applied before its created leaves a row in
-- state 'paid' without a created amount; the created fills it in later.
CREATE TABLE order_state (
  dedup_scope    text    NOT NULL,
  order_id       text    NOT NULL,
  -- 'paid' once any payment was applied, else 'created'.
  state          text    GENERATED ALWAYS AS
                   (CASE WHEN paid > 0 THEN 'paid' ELSE 'created' END) STORED,
  -- Events applied, and the sum of their amounts (NULL until the first such event).
  created        bigint  NOT NULL,
  created_amount numeric,
  paid           bigint  NOT NULL,
  paid_amount    numeric,
  -- The type of the event whose transaction created this row: which came first at the store (both
  -- in one batch count as in order: 'order.created').
  first_applied  text    NOT NULL,
  -- Out-of-order applications: payments committed while no created of the order was committed,
  -- and the broker (source_broker) whose worker applied them.
  out_of_order   bigint  NOT NULL DEFAULT 0,
  paid_broker    text,
  -- What the last change of the row added to out_of_order (RETURNING reads it: the worker's counter).
  out_of_order_added bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (dedup_scope, order_id)
);
