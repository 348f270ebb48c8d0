package io.pipeline.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.pipeline.config.ConfigException;
import java.net.URL;
import java.util.Locale;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Text or JSON lines: selects the logback configuration ({@code logback.xml} or {@code
 * logback-json.xml}) once, while the command line is parsed, before any command logs.
 */
public enum LogFormat {
  TEXT("logback.xml"),
  JSON("logback-json.xml");

  public static final String ENV = "PIPELINE_LOG_FORMAT";

  private final String resource;

  LogFormat(String resource) {
    this.resource = resource;
  }

  /** The flag wins; else {@value #ENV}; else text. Unknown values fail with the fix. */
  public static LogFormat resolve(String flag, Map<String, String> env) {
    String setting = flag != null ? "--log-format (or " + ENV + ")" : ENV;
    String v = flag != null ? flag : env.get(ENV);
    if (v == null || v.isBlank()) {
      return TEXT;
    }
    try {
      return valueOf(v.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException ex) {
      throw new ConfigException(setting, v, "unknown log format. Fix: text or json");
    }
  }

  /** Reconfigures logback with this format's file (a no-op when SLF4J is bound elsewhere). */
  public void apply() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext ctx)) {
      return;
    }
    URL url = LogFormat.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalStateException(resource + " is missing from the class path");
    }
    ctx.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    try {
      configurator.doConfigure(url);
    } catch (JoranException ex) {
      throw new IllegalStateException("cannot load " + resource + ": " + ex.getMessage(), ex);
    }
  }
}
