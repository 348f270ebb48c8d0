package io.pipeline.cache;

import io.pipeline.config.ClientSecurity;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Builds the pooled Redis client from {@code REDIS_URL} ({@code
 * redis[s]://[user:pass@]host:port[/db]}).
 */
public final class Redis {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

  private Redis() {}

  /** The client of {@code REDIS_URL}; {@code rediss://} verifies the server against its CAs. */
  public static RedisClient client(Endpoints endpoints, String clientName) {
    return client(endpoints.redisUrl(), clientName, endpoints.security());
  }

  /** {@link #client(Endpoints, String)} trusting the JVM's trust store. */
  public static RedisClient client(URI url, String clientName) {
    return client(url, clientName, ClientSecurity.none());
  }

  private static RedisClient client(URI url, String clientName, ClientSecurity security) {
    boolean tls = "rediss".equalsIgnoreCase(url.getScheme());
    DefaultJedisClientConfig.Builder cfg =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) CONNECT_TIMEOUT.toMillis())
            .socketTimeoutMillis((int) SOCKET_TIMEOUT.toMillis())
            .clientName(clientName)
            .ssl(tls);
    if (tls) {
      javax.net.ssl.SSLParameters verifyHost = new javax.net.ssl.SSLParameters();
      verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
      cfg.sslSocketFactory(security.sslContext().getSocketFactory()).sslParameters(verifyHost);
    }
    String info = url.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      if (colon < 0) {
        cfg.password(decode(info));
      } else {
        String user = decode(info.substring(0, colon));
        if (!user.isEmpty()) {
          cfg.user(user);
        }
        cfg.password(decode(info.substring(colon + 1)));
      }
    }
    String path = url.getPath();
    if (path != null && path.length() > 1) {
      try {
        cfg.database(Integer.parseInt(path.substring(1)));
      } catch (NumberFormatException ex) {
        throw new ConfigException(
            "REDIS_URL", url, "the path must be a database number. Fix: redis://host:6379/0");
      }
    }
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(8);
    pool.setMaxWait(CONNECT_TIMEOUT);
    pool.setJmxEnabled(false);
    return RedisClient.builder()
        .hostAndPort(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort())
        .clientConfig(cfg.build())
        .poolConfig(pool)
        .build();
  }

  /** Deletes every key matching {@code pattern} (SCAN + UNLINK, 1,000 at a time); how many. */
  public static long unlinkMatching(UnifiedJedis client, String pattern) {
    ScanParams params = new ScanParams().match(pattern).count(1_000);
    String cursor = ScanParams.SCAN_POINTER_START;
    long n = 0;
    do {
      ScanResult<String> page = client.scan(cursor, params);
      if (!page.getResult().isEmpty()) {
        n += client.unlink(page.getResult().toArray(String[]::new));
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return n;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
