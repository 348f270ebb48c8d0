package io.pipeline.producer.ingest;

import io.pipeline.config.Choice;
import io.pipeline.config.Choices;
import io.pipeline.http.BearerToken;
import io.pipeline.producer.PublishSettings;

/**
 * The validated {@code ingest} settings.
 *
 * @param address the address the API listener binds
 * @param port its port; 0 = any free port (the bound port is logged)
 * @param limits what one request and the listener may take
 * @param publish where and how the events are published, and the {@code /metrics} listener (on the
 *     direct path only the listener is used)
 * @param deliver through the brokers, or straight into the sinks (the direct path)
 * @param token when set, {@code /events} asks every caller for it (required beyond loopback)
 */
public record IngestSettings(
    String address,
    int port,
    IngestServer.Limits limits,
    PublishSettings publish,
    Deliver deliver,
    BearerToken token) {

  public IngestSettings(
      String address,
      int port,
      IngestServer.Limits limits,
      PublishSettings publish,
      Deliver deliver) {
    this(address, port, limits, publish, deliver, null);
  }

  /** {@code --deliver}: where an accepted event goes before the answer. */
  public enum Deliver implements Choice {
    /** Published to every broker of {@code --to}; the answer waits for their confirms. */
    BROKERS,
    /** Applied to the warehouse and the cache by ingest itself; the answer waits for the sinks. */
    DIRECT;

    public static Deliver parse(String setting, String value) {
      return Choices.parse(setting, value, values(), "brokers, direct");
    }
  }

  /** Settings of the broker paths. */
  public IngestSettings(
      String address, int port, IngestServer.Limits limits, PublishSettings publish) {
    this(address, port, limits, publish, Deliver.BROKERS);
  }
}
