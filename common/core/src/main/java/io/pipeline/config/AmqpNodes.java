package io.pipeline.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An AMQP URI that may name several nodes of one RabbitMQ cluster in its authority, {@code
 * amqp://user:pass@host1:5672,host2:5673,host3:5674/vhost}: the user, password, vhost and query are
 * shared, each node is {@code host[:port]}. The RabbitMQ client connects to the first node that
 * answers, so a client keeps working while any node is up.
 *
 * @param first the URI with only the first node (what a single-node client is given)
 * @param addresses {@code host:port} of every node, in the order given (port filled in when absent)
 */
record AmqpNodes(URI first, List<String> addresses) {
  private static final String FIX =
      "Fix: use amqp://user:pass@host:5672/vhost, or for a cluster"
          + " amqp://user:pass@host1:5672,host2:5673/vhost (vhost / is written %2F)";

  AmqpNodes {
    addresses = List.copyOf(addresses);
  }

  /**
   * Splits a comma-separated node list out of the authority; each node is validated as a URI of its
   * own by {@code single} (which throws a {@link ConfigException} for a bad one).
   */
  static AmqpNodes parse(String setting, String value, Function<String, URI> single) {
    int sep = value.indexOf("://");
    int start = sep < 0 ? -1 : sep + 3;
    int end = start < 0 ? -1 : authorityEnd(value, start);
    String authority = start < 0 ? "" : value.substring(start, end);
    int at = authority.lastIndexOf('@');
    String hosts = authority.substring(at + 1);
    if (!hosts.contains(",")) {
      URI uri = single.apply(value);
      return new AmqpNodes(uri, List.of(hostPort(uri)));
    }
    String prefix = value.substring(0, start) + authority.substring(0, at + 1);
    String rest = value.substring(end);
    List<String> addresses = new ArrayList<>();
    URI first = null;
    for (String node : hosts.split(",", -1)) {
      if (node.isBlank()) {
        throw new ConfigException(setting, mask(value), "an empty node in the list. " + FIX);
      }
      URI uri = single.apply(prefix + node.trim() + rest);
      if (uri.getPort() > 65535) {
        throw new ConfigException(
            setting, mask(value), "port of '" + node.trim() + "' is not 1-65535. " + FIX);
      }
      first = first == null ? uri : first;
      addresses.add(hostPort(uri));
    }
    if (addresses.stream().distinct().count() < addresses.size()) {
      throw new ConfigException(setting, mask(value), "a node is listed twice. " + FIX);
    }
    return new AmqpNodes(first, addresses);
  }

  /** The URI back with every node in its authority (the single URI when there is one node). */
  String toUriString() {
    if (addresses.size() == 1 && addresses.get(0).equals(hostPort(first))) {
      return first.toString();
    }
    StringBuilder sb = new StringBuilder(first.getScheme()).append("://");
    if (first.getRawUserInfo() != null) {
      sb.append(first.getRawUserInfo()).append('@');
    }
    sb.append(String.join(",", addresses));
    sb.append(first.getRawPath() == null ? "" : first.getRawPath());
    if (first.getRawQuery() != null) {
      sb.append('?').append(first.getRawQuery());
    }
    return sb.toString();
  }

  /** {@link #toUriString} with the password masked. */
  String forDisplay() {
    return mask(toUriString());
  }

  /** user:secret@ becomes user:****@ (for messages and logs). */
  static String mask(String uri) {
    int sep = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    if (sep < 0 || at < sep) {
      return uri;
    }
    int colon = uri.indexOf(':', sep + 3);
    return colon < 0 || colon > at ? uri : uri.substring(0, colon + 1) + "****" + uri.substring(at);
  }

  private static int authorityEnd(String value, int start) {
    for (int i = start; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        return i;
      }
    }
    return value.length();
  }

  private static String hostPort(URI uri) {
    boolean tls = "amqps".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() < 0 ? (tls ? 5671 : 5672) : uri.getPort();
    String host = uri.getHost();
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }
}
