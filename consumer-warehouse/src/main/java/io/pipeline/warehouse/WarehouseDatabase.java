package io.pipeline.warehouse;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The warehouse's PostgreSQL: a small HikariCP pool with short timeouts (so an outage turns into a
 * quick, retryable error rather than a hang), with the schema brought up to date by Flyway.
 */
public final class WarehouseDatabase {
  /** Flyway's history table; its own name so other tools' migrations in the same DB never mix. */
  public static final String HISTORY_TABLE = "warehouse_schema_history";

  private WarehouseDatabase() {}

  /**
   * Opens a pool and migrates the schema (Flyway takes an advisory lock, so workers starting
   * together migrate once).
   *
   * @throws ConfigException when PostgreSQL cannot be reached or the schema cannot be migrated
   */
  public static HikariDataSource open(Endpoints endpoints, String application, int poolSize) {
    HikariConfig c = new HikariConfig();
    c.setPoolName(application + "-pg");
    c.setJdbcUrl(endpoints.postgresUrl());
    c.setUsername(endpoints.postgresUser());
    c.setPassword(endpoints.postgresPassword());
    c.setMaximumPoolSize(poolSize);
    c.setMinimumIdle(1);
    c.setAutoCommit(false);
    c.setConnectionTimeout(3_000);
    c.setValidationTimeout(1_000);
    c.setKeepaliveTime(30_000);
    c.setConnectionInitSql("SET TIME ZONE 'UTC'");
    c.addDataSourceProperty("ApplicationName", application);
    c.addDataSourceProperty("connectTimeout", "3");
    c.addDataSourceProperty("socketTimeout", "120");
    c.addDataSourceProperty("tcpKeepAlive", "true");
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(c);
    } catch (HikariPool.PoolInitializationException ex) {
      throw new ConfigException(
          Endpoints.POSTGRES_URL,
          endpoints.postgresUrl(),
          "cannot connect as "
              + endpoints.postgresUser()
              + " ("
              + rootMessage(ex)
              + "). Fix: start PostgreSQL (bin/pipeline stack up) or set POSTGRES_URL,"
              + " POSTGRES_USER and POSTGRES_PASSWORD");
    }
    try {
      Flyway.configure()
          .dataSource(ds)
          .table(HISTORY_TABLE)
          .locations("classpath:db/migration")
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    } catch (FlywayException ex) {
      ds.close();
      throw new ConfigException(
          Endpoints.POSTGRES_URL,
          endpoints.postgresUrl(),
          "cannot migrate the warehouse schema: "
              + rootMessage(ex)
              + ". Fix: give "
              + endpoints.postgresUser()
              + " the right to create tables in that database");
    }
    return ds;
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }
}
