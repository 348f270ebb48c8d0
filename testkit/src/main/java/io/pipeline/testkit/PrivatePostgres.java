package io.pipeline.testkit;

import io.pipeline.stack.Ports;
import io.pipeline.stack.PostgresNode;

/**
 * A private PostgreSQL with role {@code pipeline}/{@code pipeline} and database {@code pipeline}.
 */
public final class PrivatePostgres extends PrivateService<PostgresNode> {
  PrivatePostgres() {
    super(new PostgresNode(Ports.freePort(), tempDir("pipeline-pg-")));
  }

  public String jdbcUrl() {
    return node.jdbcUrl();
  }

  public String user() {
    return node.user();
  }

  public String password() {
    return node.password();
  }
}
