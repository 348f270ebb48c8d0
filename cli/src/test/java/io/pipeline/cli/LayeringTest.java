package io.pipeline.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Broker client types stay inside the broker adapters. The cli module sees every module, so the
 * rule covers the producer, both consumers, the experiments and the CLI itself. The local stack and
 * the doctor talk to the services with the real clients by design (they start and diagnose the
 * servers), so they are the only other places allowed.
 */
class LayeringTest {
  private static final String[] ALLOWED_INFRA = {
    "io.pipeline.stack..", "io.pipeline.testkit..", "io.pipeline.doctor.."
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
  void onlyTheKafkaAdapterImportsKafka() {
    noClasses()
        .that()
        .resideOutsideOfPackages(concat("io.pipeline.broker.kafka.."))
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.kafka..")
        .because("business code talks to io.pipeline.broker, never to a broker SDK")
        .check(classes);
  }

  @Test
  void onlyTheRabbitAdapterImportsRabbitMq() {
    noClasses()
        .that()
        .resideOutsideOfPackages(concat("io.pipeline.broker.rabbitmq.."))
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.rabbitmq..")
        .because("business code talks to io.pipeline.broker, never to a broker SDK")
        .check(classes);
  }

  @Test
  void adaptersDoNotDependOnEachOther() {
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

  private static String[] concat(String adapter) {
    String[] all = new String[ALLOWED_INFRA.length + 1];
    all[0] = adapter;
    System.arraycopy(ALLOWED_INFRA, 0, all, 1, ALLOWED_INFRA.length);
    return all;
  }
}
