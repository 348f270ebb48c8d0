package io.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.stack.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

class PrivateServicesIT {

  @Test
  void privateRedisSurvivesAnOutageWithItsData() {
    String key = TestServices.uniqueName("it");
    try (PrivateRedis redis = TestServices.startPrivateRedis()) {
      int port = redis.port();
      try (Jedis jedis = new Jedis(java.net.URI.create(redis.url()))) {
        jedis.set(key, "v");
      }
      redis.stop();
      assertThat(Ports.isOpen("127.0.0.1", port)).isFalse();
      redis.start();
      assertThat(redis.port()).isEqualTo(port);
      try (Jedis jedis = new Jedis(java.net.URI.create(redis.url()))) {
        assertThat(jedis.get(key)).isEqualTo("v");
      }
    }
  }

  @Test
  void privatePostgresHasThePipelineDatabaseAndCloseDeletesItsFolder() throws Exception {
    Path folder;
    String table = TestServices.uniqueName("t");
    try (PrivatePostgres pg = TestServices.startPrivatePostgres()) {
      folder = pg.dataDir();
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
          Statement st = c.createStatement()) {
        st.execute("create table " + table + " (id int)");
        st.execute("insert into " + table + " values (1)");
      }
      pg.stop();
      assertThat(pg.isRunning()).isFalse();
      pg.start();
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "pipeline", "pipeline");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select count(*) from " + table)) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
    assertThat(Files.exists(folder)).isFalse();
  }

  @Test
  void privatePrometheusServesItsApi(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\nscrape_configs: []\n");
    try (PrivatePrometheus prometheus = TestServices.startPrivatePrometheus(config)) {
      assertThat(prometheus.node().probe()).matches("\\d+\\.\\d+.*");
      assertThat(prometheus.url()).startsWith("http://127.0.0.1:");
      prometheus.stop();
      org.awaitility.Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> !Ports.isOpen("127.0.0.1", prometheus.port()));
    }
  }
}
