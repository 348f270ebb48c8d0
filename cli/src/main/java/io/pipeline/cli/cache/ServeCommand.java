package io.pipeline.cli.cache;

import io.pipeline.cache.CacheServer;
import io.pipeline.config.Endpoints;
import io.pipeline.http.BearerToken;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline serve}: the read API over the cache. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the cache's data as JSON over HTTP until SIGTERM/Ctrl-C:",
      "  GET /videos/{id}/views     views of one video (404 if never viewed)",
      "  GET /videos/top?n=10       most viewed videos (n 1..1000)",
      "  GET /phones/{phone}/sms    sent in the current 60 s window, remaining,",
      "                             seconds until the next slot, recent outcomes;",
      "                             404 if nothing known; write + as %%2B or literally",
      "  GET /metrics, /health/live, /health/ready",
      "Malformed ids, phones or n answer 400 with the reason. Redis: REDIS_URL."
    })
public final class ServeCommand implements Callable<Integer> {
  /** The bearer token readers must send ({@code _FILE}: from a file). */
  public static final String TOKEN_VARIABLE = BearerToken.SERVE_VARIABLE;

  @Option(
      names = "--port",
      defaultValue = "8081",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--address",
      defaultValue = "127.0.0.1",
      description =
          "Address to bind (default: ${DEFAULT-VALUE}). Beyond loopback a bearer token is"
              + " required: PIPELINE_SERVE_TOKEN_FILE (a file holding it) or PIPELINE_SERVE_TOKEN;"
              + " readers send 'Authorization: Bearer <token>' (/health/* and /metrics stay open).")
  String address;

  @Mixin RunFlags run;

  @Override
  public Integer call() throws Exception {
    return CacheServer.runUntilShutdown(
        new CacheServer.Settings(address, port, run.keys(), token(address, System.getenv())),
        Endpoints.fromEnv());
  }

  /** The readers' token from {@code env}; null on loopback without one; refused beyond without. */
  static BearerToken token(String address, java.util.Map<String, String> env) {
    return BearerToken.requiredBeyondLoopback(
            "--address", address, BearerToken.fromEnv(env, TOKEN_VARIABLE), TOKEN_VARIABLE)
        .orElse(null);
  }
}
