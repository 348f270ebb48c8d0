package io.pipeline.doctor;

/** One host:port doctor connects to, as it appears in messages. */
public record Target(String host, int port) {
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
