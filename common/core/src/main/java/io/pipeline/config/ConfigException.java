package io.pipeline.config;

/**
 * A bad setting. The message always names the setting, the value and how to fix it: {@code Invalid
 * value 'x' for setting RABBITMQ_URI: not an amqp:// URI. Fix: use
 * amqp://user:pass@host:5672/vhost}.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String setting;

  public ConfigException(String setting, Object value, String whyAndFix) {
    super("Invalid value '" + value + "' for setting " + setting + ": " + whyAndFix);
    this.setting = setting;
  }

  public String setting() {
    return setting;
  }
}
