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
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster (initdb + pg_ctl) on 127.0.0.1:port. The superuser is {@code user}
 * (password auth over TCP, no Unix socket) and {@code database} is created on first start. As root
 * the server runs as the OS user {@code postgres}, since postgres refuses to run as root.
 */
public final class PostgresNode implements ServiceNode {
  static final String OS_USER = "postgres";

  private final int port;
  private final Path baseDir;
  private final String user;
  private final String password;
  private final String database;

  public PostgresNode(int port, Path baseDir, String user, String password, String database) {
    this.port = port;
    this.baseDir = baseDir.toAbsolutePath();
    this.user = user;
    this.password = password;
    this.database = database;
  }

  /** The usual pipeline/pipeline role and pipeline database. */
  public PostgresNode(int port, Path baseDir) {
    this(port, baseDir, "pipeline", "pipeline", "pipeline");
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public String address() {
    return jdbcUrl();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  @Override
  public Path dataDir() {
    return baseDir;
  }

  /** The cluster folder ({@code PGDATA}), owned by the server's OS user. */
  Path pgData() {
    return baseDir.resolve("pgdata");
  }

  @Override
  public Path logFile() {
    return baseDir.resolve("postgres.log");
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
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    Path bin = ensureBinaries();
    boolean fresh = !Files.exists(pgData().resolve("PG_VERSION"));
    try {
      prepareFolders();
      if (fresh) {
        initdb(bin);
      }
      OsProcess.Result r =
          OsProcess.run(
              OsProcess.asUser(
                  OS_USER,
                  List.of(
                      bin.resolve("pg_ctl").toString(),
                      "-D",
                      pgData().toString(),
                      "-l",
                      logFile().toString(),
                      "-o",
                      "-p " + port,
                      "-w",
                      "-t",
                      "60",
                      "start")),
              null,
              baseDir,
              Duration.ofSeconds(90));
      if (!r.ok()) {
        throw new StackException(
            "pg_ctl start failed on port "
                + port
                + " (exit "
                + r.exitCode()
                + "): "
                + r.output().strip()
                + "\n"
                + OsProcess.tail(logFile(), 10)
                + "\nsee "
                + logFile());
      }
    } catch (IOException e) {
      throw new StackException("cannot prepare " + baseDir + ": " + e.getMessage(), e);
    }
    Waiter.await(
        "postgres on 127.0.0.1:" + port,
        Duration.ofSeconds(60),
        logFile(),
        () -> Probes.postgres(adminUrl(), user, password),
        this::isRunning);
    if (fresh) {
      createDatabase();
    }
  }

  private void prepareFolders() throws IOException {
    Files.createDirectories(baseDir);
    if (!OsProcess.isRoot()) {
      return;
    }
    // The postgres OS user must reach and own its folders; temp folders are often 0700.
    Files.setPosixFilePermissions(baseDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path parent = baseDir.getParent();
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
    Path pwFile = baseDir.resolve(".pwfile");
    Files.writeString(pwFile, password + "\n", StandardCharsets.UTF_8);
    try {
      if (OsProcess.isRoot()) {
        OsProcess.check(
            List.of("chown", OS_USER + ":", pwFile.toString()), null, null, Duration.ofSeconds(10));
      }
      OsProcess.Result r =
          OsProcess.run(
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
              baseDir,
              Duration.ofMinutes(2));
      if (!r.ok()) {
        throw new StackException(
            "initdb failed (exit " + r.exitCode() + "): " + r.output().strip());
      }
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
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
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

  @Override
  public synchronized void stop() {
    if (!isRunning()) {
      return;
    }
    Path bin = binDir();
    if (bin != null) {
      OsProcess.Result r =
          OsProcess.run(
              OsProcess.asUser(
                  OS_USER,
                  List.of(
                      bin.resolve("pg_ctl").toString(),
                      "-D",
                      pgData().toString(),
                      "-m",
                      "fast",
                      "-w",
                      "stop")),
              null,
              baseDir,
              Duration.ofSeconds(60));
      if (r.ok()) {
        return;
      }
    }
    pid().ifPresent(p -> OsProcess.terminate(p, Duration.ofSeconds(30)));
  }

  @Override
  public OptionalLong pid() {
    return OsProcess.livePid(pgData().resolve("postmaster.pid"));
  }

  @Override
  public String probe() {
    try {
      return Probes.postgres(jdbcUrl(), user, password);
    } catch (Exception e) {
      throw new StackException(
          "postgres on 127.0.0.1:" + port + " does not answer: " + Waiter.describe(e), e);
    }
  }
}
