package io.pipeline.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipeline.config.Endpoints;
import java.io.PrintWriter;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import redis.clients.jedis.RedisClient;

/**
 * {@code pipeline query views|top|sms}: the read API's answers on the command line. Exit codes: 0
 * found, 1 not found (404), 2 malformed argument (400).
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = "Read the cache (same JSON as `pipeline serve`). Redis: REDIS_URL.",
    subcommands = {QueryCommand.Views.class, QueryCommand.Top.class, QueryCommand.Sms.class})
public final class QueryCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--namespace",
      defaultValue = CacheKeys.DEFAULT_NAMESPACE,
      scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Namespace the cache worker writes (default: ${DEFAULT-VALUE}).")
  String namespace;

  /** Where REDIS_URL comes from; tests replace it. */
  java.util.Map<String, String> env = System.getenv();

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  int withReader(CommandSpec sub, Function<CacheReader, Integer> body) {
    PrintWriter err = sub.commandLine().getErr();
    try (RedisClient redis = Redis.client(Endpoints.fromEnv(env).redisUrl(), "cache-query")) {
      return body.apply(new CacheReader(redis, new CacheKeys(namespace)));
    } catch (CacheReader.BadRequest ex) {
      err.println(ex.getMessage());
      return 2;
    }
  }

  static void print(CommandSpec sub, JsonNode json) {
    sub.commandLine().getOut().println(json.toPrettyString());
    sub.commandLine().getOut().flush();
  }

  @Command(name = "views", mixinStandardHelpOptions = true, description = "Views of one video.")
  static final class Views implements Callable<Integer> {
    @ParentCommand QueryCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "VIDEO_ID", description = "The video id.")
    String id;

    @Override
    public Integer call() {
      return parent.withReader(
          spec,
          r -> {
            OptionalLong v = r.views(id);
            if (v.isEmpty()) {
              spec.commandLine().getErr().println("video '" + id + "' has no views");
              return 1;
            }
            print(spec, CacheReader.viewsJson(id, v.getAsLong()));
            return 0;
          });
    }
  }

  @Command(name = "top", mixinStandardHelpOptions = true, description = "Most viewed videos.")
  static final class Top implements Callable<Integer> {
    @ParentCommand QueryCommand parent;
    @Spec CommandSpec spec;

    @Option(
        names = {"-n", "--n"},
        defaultValue = "10",
        description = "How many (1..1000, default: ${DEFAULT-VALUE}).")
    String n;

    @Override
    public Integer call() {
      return parent.withReader(
          spec,
          r -> {
            int top = CacheReader.requireTopN(n);
            print(spec, CacheReader.topJson(top, r.top(top)));
            return 0;
          });
    }
  }

  @Command(
      name = "sms",
      mixinStandardHelpOptions = true,
      description = "A phone's SMS window: sent, remaining, seconds to the next slot, outcomes.")
  static final class Sms implements Callable<Integer> {
    @ParentCommand QueryCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "PHONE", description = "6-15 digits, optional leading +.")
    String phone;

    @Override
    public Integer call() {
      return parent.withReader(
          spec,
          r ->
              r.sms(phone)
                  .map(
                      s -> {
                        print(spec, CacheReader.smsJson(s));
                        return 0;
                      })
                  .orElseGet(
                      () -> {
                        spec.commandLine().getErr().println("no SMS known for phone " + phone);
                        return 1;
                      }));
    }
  }
}
