package io.pipeline.producer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Contract 1: producer code talks to the broker-neutral API only; and it is domain code taking
 * settings records: the command line (picocli) is the cli module's.
 */
class LayeringTest {
  private static final JavaClasses PRODUCER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.pipeline.producer");

  @Test
  void producerHasNoCommandLine() {
    noClasses()
        .that()
        .resideInAPackage("io.pipeline.producer..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("picocli..", "io.pipeline.cli..")
        .check(PRODUCER);
  }

  @Test
  void producerNeverTouchesBrokerClientTypes() {
    noClasses()
        .that()
        .resideInAPackage("io.pipeline.producer..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..",
            "com.rabbitmq..",
            "io.pipeline.broker.kafka..",
            "io.pipeline.broker.rabbitmq..")
        .check(PRODUCER);
  }
}
