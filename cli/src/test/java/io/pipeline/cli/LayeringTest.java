package io.pipeline.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/ARCHITECTURE.md, one test each. The cli module sees every module, so
 * these rules cover the whole product (main code; tests may use any client they like).
 */
class LayeringTest {
  /** The packages of common/core: the API every other module is written against. */
  static final String[] CORE = {
    "io.pipeline.config",
    "io.pipeline.event",
    "io.pipeline.broker",
    "io.pipeline.sink",
    "io.pipeline.dedup",
    "io.pipeline.ledger",
    "io.pipeline.verify"
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pipeline");
  }

  @Test
  void onlyTheKafkaDriverImportsKafka() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.pipeline.broker.kafka..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.kafka..")
        .because("everything else, the local stack and doctor included, goes through Brokers")
        .check(classes);
  }

  @Test
  void onlyTheRabbitDriverImportsRabbitMq() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.pipeline.broker.rabbitmq..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.rabbitmq..")
        .because("everything else, the local stack and doctor included, goes through Brokers")
        .check(classes);
  }

  @Test
  void driversDoNotDependOnEachOther() {
    noClasses()
        .that()
        .resideInAPackage("io.pipeline.broker.kafka..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.pipeline.broker.rabbitmq..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.pipeline.broker.rabbitmq..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.pipeline.broker.kafka..")
        .check(classes);
  }

  @Test
  void nothingNamesADriverClass() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.pipeline.broker.kafka..", "io.pipeline.broker.rabbitmq..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.pipeline.broker.kafka..", "io.pipeline.broker.rabbitmq..")
        .because("drivers are found with ServiceLoader (Brokers.driver), never named")
        .check(classes);
  }

  @Test
  void coreUsesNoClientNoCliNoLoggingBackend() {
    coreMustNotUse(
        "org.apache.kafka..",
        "com.rabbitmq..",
        "redis.clients..",
        "org.postgresql..",
        "picocli..",
        "ch.qos.logback..",
        "org.eclipse.jetty..");
  }

  @Test
  void coreDoesNotDependOnTheRuntimeOrTheDomain() {
    coreMustNotUse(
        "io.pipeline.worker..",
        "io.pipeline.http..",
        "io.pipeline.obs..",
        "io.pipeline.lifecycle..",
        "io.pipeline.producer..",
        "io.pipeline.warehouse..",
        "io.pipeline.cache..",
        "io.pipeline.experiment..",
        "io.pipeline.stack..",
        "io.pipeline.cli..",
        "io.pipeline.doctor..");
  }

  private static void coreMustNotUse(String... packages) {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages)
        .check(classes);
  }

  @Test
  void sinksDoNotKnowEachOther() {
    noClasses()
        .that()
        .resideInAPackage("io.pipeline.warehouse..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.pipeline.cache..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.pipeline.cache..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.pipeline.warehouse..")
        .check(classes);
  }

  /**
   * Commands and flags live in the cli module; the other modules take validated settings records.
   */
  @Test
  void onlyTheCliUsesPicocli() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.pipeline.cli..", "io.pipeline.doctor..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("picocli..")
        .check(classes);
  }
}
