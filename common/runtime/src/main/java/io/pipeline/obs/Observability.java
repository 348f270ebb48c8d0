package io.pipeline.obs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The process's meter registry: Prometheus, with common tags {@code application} and {@code
 * instance} (and {@code broker}/{@code sink} where the process has exactly one), plus JVM binders.
 * Client and JVM meters are made lint-clean for Prometheus here ({@link MeterHygiene}): every
 * family has help text and base units.
 */
public final class Observability implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  private Observability(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
    this.registry = registry;
    this.gc = gc;
  }

  /**
   * @param application e.g. {@code consumer-warehouse}
   * @param extraTags e.g. {@code broker=kafka}, {@code sink=warehouse}
   */
  public static Observability create(String application, Tag... extraTags) {
    PrometheusMeterRegistry r = new MeterHygiene.Registry();
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.of("application", application));
    tags.add(Tag.of("instance", instanceId()));
    tags.addAll(List.of(extraTags));
    r.config().commonTags(Tags.of(tags)).meterFilter(MeterHygiene.FILTER);
    new ClassLoaderMetrics().bindTo(r);
    new JvmMemoryMetrics().bindTo(r);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(r);
    new JvmThreadMetrics().bindTo(r);
    new ProcessorMetrics().bindTo(r);
    new UptimeMetrics().bindTo(r);
    return new Observability(r, gc);
  }

  /** {@code pid@host}, unless {@code PIPELINE_INSTANCE} names the instance. */
  public static String instanceId() {
    String fromEnv = System.getenv("PIPELINE_INSTANCE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return ManagementFactory.getRuntimeMXBean().getName();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
