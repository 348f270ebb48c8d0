package io.pipeline.config;

import java.util.Locale;
import java.util.function.Function;

/** Settings whose value is one of a few lower-case names: a broker, a durability level. */
public final class Choices {
  private Choices() {}

  /**
   * The {@link Choice} whose {@link Choice#id() id} is {@code value} (trimmed, any case).
   *
   * @param expected the choices as the error lists them, e.g. {@code kafka, rabbitmq}
   * @throws ConfigException naming the setting, the value and {@code expected}
   */
  public static <E extends Enum<E> & Choice> E parse(
      String setting, String value, E[] choices, String expected) {
    return parse(setting, value, choices, Choice::id, expected);
  }

  /**
   * The choice whose {@code id} is {@code value} (trimmed, any case).
   *
   * @param expected the choices as the error lists them, e.g. {@code kafka, rabbitmq}
   * @throws ConfigException naming the setting, the value and {@code expected}
   */
  public static <E extends Enum<E>> E parse(
      String setting, String value, E[] choices, Function<E, String> id, String expected) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (E choice : choices) {
      if (id.apply(choice).equals(v)) {
        return choice;
      }
    }
    throw new ConfigException(setting, value, "expected one of: " + expected);
  }
}
