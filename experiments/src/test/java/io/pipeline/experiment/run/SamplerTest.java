package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pipeline.broker.BrokerKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final List<BrokerKind> BOTH = List.of(BrokerKind.KAFKA, BrokerKind.RABBITMQ);

  private final Outcome o = new Outcome();
  private final Sampler sampler = new Sampler(o, BOTH);

  private static Map<String, List<Scrape.Sample>> worker(List<Scrape.Sample> s) {
    Map<String, List<Scrape.Sample>> m = new LinkedHashMap<>();
    m.put("warehouse-kafka-1", s);
    return m;
  }

  @Test
  void producerConfirmsAreSummedOverTypesPerBrokerAndFailuresLeftOut() {
    sampler.producer(1, Recorded.scrape("producer.prom"));
    sampler.rates(1);

    assertThat(o.series.get("kafka.published.total")).containsEntry(1, 1000.0);
    assertThat(o.series.get("rabbitmq.published.total")).containsEntry(1, 990.0);
    assertThat(o.series.get("kafka.published")).containsEntry(1, 1000.0);
  }

  @Test
  void ratesAreTheDifferenceOfTheCumulativeSeriesPerSecond() {
    List<Scrape.Sample> p = Recorded.scrape("producer.prom");
    sampler.producer(1, p);
    sampler.rates(1);
    sampler.producer(3, Recorded.scaled(p, 2)); // second 2 skipped: a slow sample
    sampler.rates(3);

    assertThat(o.series.get("kafka.published")).containsEntry(3, 500.0);
  }

  @Test
  void aRestartedWorkersCountAddsToWhatItsLastIncarnationReached() {
    List<Scrape.Sample> w = Recorded.scrape("worker.prom");
    sampler.path(1, BrokerKind.KAFKA, "warehouse", worker(w), 7);
    sampler.path(2, BrokerKind.KAFKA, "warehouse", worker(List.of()), 500); // down: kept
    sampler.path(3, BrokerKind.KAFKA, "warehouse", worker(Recorded.scaled(w, 0.1)), 3);

    assertThat(o.series.get("kafka.applied.warehouse.total"))
        .containsEntry(1, 950.0)
        .containsEntry(2, 950.0)
        .containsEntry(3, 1045.0);
    assertThat(o.series.get("kafka.backlog.warehouse")).containsEntry(2, 500.0);
    assertThat(o.sink(BrokerKind.KAFKA, "warehouse").peakBacklog).isEqualTo(500);
    assertThat(sampler.totalApplied()).isEqualTo(1045.0);
  }

  @Test
  void finalFiguresTakeTheLastValuesAndTheWorkersCounters() {
    sampler.producer(1, Recorded.scrape("producer.prom"));
    sampler.path(1, BrokerKind.KAFKA, "warehouse", worker(Recorded.scrape("worker.prom")), 0);
    sampler.rates(1);

    sampler.finalFigures(
        10, Map.of("kafka/warehouse", List.of("warehouse-kafka-1")), new DecouplingAnalysis());

    Outcome.ProducerFigures kafka = o.producer.get(BrokerKind.KAFKA);
    assertThat(kafka.confirmed).isEqualTo(1000);
    assertThat(kafka.ratePerSecond).isEqualTo(100);
    // 100 confirms under 1 ms, 900 under 5 ms: the median interpolates to 3 ms.
    assertThat(kafka.confirmP50Ms).isCloseTo(3.0, within(0.01));
    assertThat(kafka.confirmP99Ms).isCloseTo(9.5, within(0.01));
    Outcome.SinkFigures f = o.sink(BrokerKind.KAFKA, "warehouse");
    assertThat(f.applied).isEqualTo(950);
    assertThat(f.duplicates).isEqualTo(12);
    assertThat(f.deadLettered).isEqualTo(3);
    assertThat(f.skipped).isEqualTo(40);
    assertThat(f.ratePerSecond).isEqualTo(95);
    assertThat(sampler.last("no.such.series")).isZero();
  }

  @Test
  void theProgressLineShowsTheLatestRatesAndBacklogs() {
    sampler.producer(1, Recorded.scrape("producer.prom"));
    sampler.path(1, BrokerKind.KAFKA, "warehouse", worker(Recorded.scrape("worker.prom")), 7);
    sampler.rates(1);

    assertThat(sampler.progress(List.of("warehouse")))
        .isEqualTo(
            "kafka: sent  1000/s, warehouse   950/s backlog     7  |  "
                + "rabbitmq: sent   990/s, warehouse     0/s backlog     0");
  }
}
