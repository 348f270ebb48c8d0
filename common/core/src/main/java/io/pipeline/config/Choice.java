package io.pipeline.config;

import java.util.Locale;

/**
 * An enum constant that flags, logs and metric tags name by its lower-case name ({@code '_'}
 * written {@code '-'}): {@code RABBITMQ} is {@code rabbitmq}. Implemented by enums, whose {@link
 * Enum#name()} satisfies {@link #name()}; parse one with {@link Choices#parse(String, String,
 * Enum[], String)}.
 */
public interface Choice {
  /** The enum constant's name, e.g. {@code RABBITMQ}. */
  String name();

  /** The lower-case name used in flags, config, logs and metric tags, e.g. {@code rabbitmq}. */
  default String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
