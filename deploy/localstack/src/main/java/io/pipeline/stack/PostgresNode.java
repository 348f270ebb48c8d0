package io.pipeline.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster (initdb + pg_ctl) on 127.0.0.1:port. The superuser is {@code user}
 * (password auth over TCP, no Unix socket) and {@code database} is created on first start. As root
 * the server runs as the OS user {@code postgres}, since postgres refuses to run as root.
 */
public final class PostgresNode extends LocalNode {
  static final String OS_USER = "postgres";

  private final String user;
  private final String password;
  private final String database;
  private boolean fresh;

  public PostgresNode(int port, Path baseDir, String user, String password, String database) {
    super("postgres", port, baseDir, Duration.ofSeconds(60), Duration.ofSeconds(30));
    this.user = user;
    this.password = password;
    this.database = database;
  }

  /** The usual pipeline/pipeline role and pipeline database. */
  public PostgresNode(int port, Path baseDir) {
    this(port, baseDir, "pipeline", "pipeline", "pipeline");
  }

  @Override
  public String address() {
    return jdbcUrl();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + where() + "/" + database;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The cluster folder ({@code PGDATA}), owned by the server's OS user. */
  Path pgData() {
    return dataDir().resolve("pgdata");
  }

  /** The postmaster's own pid file. */
  @Override
  protected Path pidFile() {
    return pgData().resolve("postmaster.pid");
  }

  /** The newest installed server's bin folder, e.g. /usr/lib/postgresql/15/bin. */
  static Path binDir() {
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        var best =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                .max(Comparator.comparingInt(PostgresNode::majorOf));
        if (best.isPresent()) {
          return best.get().resolve("bin");
        }
      } catch (IOException e) {
        // fall through to install
      }
    }
    return null;
  }

  private static int majorOf(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Path ensureBinaries() {
    Path bin = binDir();
    if (bin == null) {
      // the "postgresql" meta package pulls the distribution's default server (15 on Debian 12)
      Packages.ensure(Path.of("/usr/share/postgresql-common/pg_wrapper"), "postgresql");
      bin = binDir();
      if (bin == null) {
        Packages.ensure(Path.of("/usr/lib/postgresql/15/bin/pg_ctl"), "postgresql-15");
        bin = binDir();
      }
    }
    if (bin == null) {
      throw new StackException(
          "no PostgreSQL server under /usr/lib/postgresql/*/bin: install one, e.g. `apt-get install -y postgresql`");
    }
    return bin;
  }

  @Override
  protected void launch() {
    Path bin = ensureBinaries();
    fresh = !Files.exists(pgData().resolve("PG_VERSION"));
    try {
      prepareFolders();
      if (fresh) {
        initdb(bin);
      }
    } catch (IOException e) {
      throw new StackException("cannot prepare " + dataDir() + ": " + e.getMessage(), e);
    }
    runOrFail(
        "pg_ctl start on port " + port(),
        asPostgres(
            bin, "-l", logFile().toString(), "-o", "-p " + port(), "-w", "-t", "60", "start"),
        null,
        Duration.ofSeconds(90),
        "\n" + OsProcess.tail(logFile(), 10) + "\n");
  }

  /** pg_ctl on this cluster, run as the server's OS user. */
  private List<String> asPostgres(Path bin, String... args) {
    List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D"));
    cmd.add(pgData().toString());
    cmd.addAll(List.of(args));
    return OsProcess.asUser(OS_USER, cmd);
  }

  /** Up once the superuser logs in to {@code postgres} (the database may not exist yet). */
  @Override
  protected String ready() throws Exception {
    return Probes.postgres(adminUrl(), user, password);
  }

  @Override
  protected void started() {
    if (fresh) {
      createDatabase();
    }
  }

  private void prepareFolders() throws IOException {
    Files.createDirectories(dataDir());
    if (!OsProcess.isRoot()) {
      return;
    }
    // The postgres OS user must reach and own its folders; temp folders are often 0700.
    Files.setPosixFilePermissions(dataDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path parent = dataDir().getParent();
    while (parent != null) {
      var perms = Files.getPosixFilePermissions(parent);
      if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
        throw new StackException(
            "the postgres OS user cannot enter "
                + parent
                + " (mode "
                + PosixFilePermissions.toString(perms)
                + "): run `chmod o+x "
                + parent
                + "` or put the data folder elsewhere");
      }
      parent = parent.getParent();
    }
    if (!Files.exists(logFile())) {
      Files.createFile(logFile());
    }
    OsProcess.check(
        List.of("chown", OS_USER + ":", logFile().toString()), null, null, Duration.ofSeconds(10));
    Files.createDirectories(pgData());
    OsProcess.check(
        List.of("chown", "-R", OS_USER + ":", pgData().toString()),
        null,
        null,
        Duration.ofSeconds(30));
  }

  private void initdb(Path bin) throws IOException {
    Path pwFile = dataDir().resolve(".pwfile");
    Files.writeString(pwFile, password + "\n", StandardCharsets.UTF_8);
    try {
      if (OsProcess.isRoot()) {
        OsProcess.check(
            List.of("chown", OS_USER + ":", pwFile.toString()), null, null, Duration.ofSeconds(10));
      }
      runOrFail(
          "initdb",
          OsProcess.asUser(
              OS_USER,
              List.of(
                  bin.resolve("initdb").toString(),
                  "-D",
                  pgData().toString(),
                  "-U",
                  user,
                  "--pwfile=" + pwFile,
                  "--auth-host=scram-sha-256",
                  "--auth-local=trust",
                  "-E",
                  "UTF8",
                  "--locale=C",
                  "--no-instructions")),
          null,
          Duration.ofMinutes(2),
          "");
    } finally {
      Files.deleteIfExists(pwFile);
    }
    // Loopback TCP only, no Unix socket (its default folder may not exist or be writable).
    Files.writeString(
        pgData().resolve("postgresql.auto.conf"),
        "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private String adminUrl() {
    return "jdbc:postgresql://" + where() + "/postgres";
  }

  private void createDatabase() {
    try (java.sql.Connection c = DriverManager.getConnection(adminUrl(), user, password);
        Statement st = c.createStatement()) {
      boolean exists;
      try (ResultSet rs =
          st.executeQuery(
              "select 1 from pg_database where datname = '" + database.replace("'", "''") + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        st.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
      }
    } catch (java.sql.SQLException e) {
      throw new StackException("cannot create database " + database + ": " + e.getMessage(), e);
    }
  }

  /** {@code pg_ctl stop -m fast}; SIGTERM to the postmaster if that fails. */
  @Override
  public synchronized void stop() {
    if (!isRunning()) {
      return;
    }
    Path bin = binDir();
    if (bin != null
        && OsProcess.run(
                asPostgres(bin, "-m", "fast", "-w", "stop"),
                null,
                dataDir(),
                Duration.ofSeconds(60))
            .ok()) {
      return;
    }
    super.stop();
  }

  @Override
  protected String ask() throws Exception {
    return Probes.postgres(jdbcUrl(), user, password);
  }
}
