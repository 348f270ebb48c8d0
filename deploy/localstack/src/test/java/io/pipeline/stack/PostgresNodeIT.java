package io.pipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresNodeIT {
  @TempDir Path dir;
  PostgresNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void createsThePipelineRoleAndDatabaseAndKeepsRowsAcrossARestart() throws Exception {
    node = new PostgresNode(Ports.freePort(), dir);
    node.start();
    assertThat(node.jdbcUrl()).endsWith("/pipeline");
    assertThat(node.probe()).matches("\\d+.*");
    String table = "it_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(node.jdbcUrl(), "pipeline", "pipeline");
        Statement st = c.createStatement()) {
      st.execute("create table " + table + " (id int primary key)");
      st.execute("insert into " + table + " values (42)");
    }

    node.stop();
    assertThat(node.isRunning()).isFalse();
    assertThat(Ports.isOpen("127.0.0.1", node.port())).isFalse();

    node.start();
    try (Connection c = DriverManager.getConnection(node.jdbcUrl(), "pipeline", "pipeline");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select id from " + table)) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }
}
