package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.run.Scenario.Fault.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioFaultsTest {
  private static Scenario scenario() {
    return Scenario.fromMap(
        Map.of(
            "sinks", List.of("warehouse", "cache"),
            "faults",
                List.of(
                    Map.of(
                        "at",
                        "15s",
                        "action",
                        "kill-sink",
                        "sink",
                        "warehouse",
                        "broker",
                        "both",
                        "down",
                        "20s"),
                    Map.of(
                        "at",
                        "5s",
                        "action",
                        "add-consumer",
                        "sink",
                        "cache",
                        "broker",
                        "rabbitmq"),
                    Map.of("at", "30s", "action", "kill-one", "sink", "nosuchsink"))),
        "faults");
  }

  @Test
  void aFaultIsDueOnceItsSecondHasComeOnEveryBrokerItNames() {
    ScenarioFaults f = new ScenarioFaults(scenario());

    assertThat(f.due(4)).isEmpty();
    assertThat(f.due(6))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.fault().action()).isEqualTo(Action.ADD_CONSUMER);
              assertThat(i.broker()).isEqualTo(BrokerKind.RABBITMQ);
            });
    assertThat(f.due(6)).isEmpty(); // once
    assertThat(f.due(15))
        .extracting(ScenarioFaults.Injection::broker)
        .containsExactlyElementsOf(scenario().brokers());
    assertThat(f.due(100)).as("a sink the scenario does not run").isEmpty();
  }
}
