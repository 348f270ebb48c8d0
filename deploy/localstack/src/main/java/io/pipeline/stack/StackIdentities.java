package io.pipeline.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

/**
 * The secure stack's identities, one per role, each with a generated password kept in {@code
 * <dir>/<user>.password} (mode 0600, made once, reused). The same user name is used on every
 * service the role talks to (a Kafka SCRAM user, a RabbitMQ user, a Redis ACL user, a PostgreSQL
 * role), so a name in a log says which role did it. What each role may do is in docs/security.md.
 */
public final class StackIdentities {
  /** The roles; {@link #user()} is the name on every service. */
  public enum Role {
    /** Sets the services up: topics, queues, ACLs, users, migrations' grants. Not for workers. */
    ADMIN("pipeline_admin"),
    /** Owns the warehouse tables and runs the migrations (PostgreSQL only). */
    OWNER("pipeline_owner"),
    /** Writes events: the Kafka topic and the RabbitMQ exchange; nothing else. */
    PRODUCER("pipeline_producer"),
    /** The warehouse worker: reads its group/queue, writes its dead letters and its tables. */
    WAREHOUSE("pipeline_warehouse"),
    /** The cache worker: reads its group/queue, writes its dead letters and its Redis keys. */
    CACHE("pipeline_cache"),
    /** {@code serve}: reads the warehouse and the cache, writes nothing. */
    SERVE("pipeline_serve");

    private final String user;

    Role(String user) {
      this.user = user;
    }

    public String user() {
      return user;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final Map<Role, String> passwords = new EnumMap<>(Role.class);

  private StackIdentities(Path dir) {
    this.dir = dir;
  }

  /** The identities whose passwords are in {@code dir}, generated there first when missing. */
  public static StackIdentities ensure(Path dir) {
    StackIdentities ids = new StackIdentities(dir.toAbsolutePath());
    try {
      Files.createDirectories(ids.dir);
      Files.setPosixFilePermissions(ids.dir, PosixFilePermissions.fromString("rwx------"));
      for (Role r : Role.values()) {
        Path f = ids.passwordFile(r);
        if (!Files.exists(f)) {
          byte[] bytes = new byte[18];
          RANDOM.nextBytes(bytes);
          // URL-safe, no padding: fits a URI's user-info and a Redis ACL rule without escaping
          String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
          Files.writeString(f, pw + "\n", StandardCharsets.UTF_8);
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        ids.passwords.put(r, Files.readString(f, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new StackException("cannot keep the stack's passwords in " + dir + ": " + e, e);
    }
    return ids;
  }

  public String user(Role r) {
    return r.user();
  }

  public String password(Role r) {
    return passwords.get(r);
  }

  /** The file holding {@code r}'s password (for {@code *_FILE} variables). */
  public Path passwordFile(Role r) {
    return dir.resolve(r.user() + ".password");
  }

  @Override
  public String toString() {
    return "StackIdentities[" + dir + ", passwords hidden]";
  }
}
