package io.pipeline.cli.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipeline.cache.CacheReader;
import io.pipeline.cache.Redis;
import io.pipeline.config.Endpoints;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin RunFlags run;

  /** Where REDIS_URL comes from; tests replace it. */
  Map<String, String> env = System.getenv();

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A subcommand: what it reads from the cache, and what it says when nothing is there. */
  abstract static class Lookup implements Callable<Integer> {
    @ParentCommand QueryCommand parent;

    abstract Optional<? extends JsonNode> read(CacheReader reader);

    /** Printed (exit 1) when {@link #read} finds nothing. */
    abstract String notFound();

    @Override
    public Integer call() {
      return parent.answer(this::read, notFound());
    }
  }

  @Command(name = "views", mixinStandardHelpOptions = true, description = "Views of one video.")
  static final class Views extends Lookup {
    @Parameters(paramLabel = "VIDEO_ID", description = "The video id.")
    String id;

    @Override
    Optional<? extends JsonNode> read(CacheReader r) {
      return r.views(id).stream().mapToObj(v -> CacheReader.viewsJson(id, v)).findFirst();
    }

    @Override
    String notFound() {
      return "video '" + id + "' has no views";
    }
  }

  @Command(name = "top", mixinStandardHelpOptions = true, description = "Most viewed videos.")
  static final class Top extends Lookup {
    @Option(
        names = {"-n", "--n"},
        defaultValue = "10",
        description = "How many (1..1000, default: ${DEFAULT-VALUE}).")
    String n;

    @Override
    Optional<? extends JsonNode> read(CacheReader r) {
      int top = CacheReader.requireTopN(n);
      return Optional.of(CacheReader.topJson(top, r.top(top)));
    }

    @Override
    String notFound() {
      return ""; // the ranking is never missing, only empty
    }
  }

  @Command(
      name = "sms",
      mixinStandardHelpOptions = true,
      description = "A phone's SMS window: sent, remaining, seconds to the next slot, outcomes.")
  static final class Sms extends Lookup {
    @Parameters(paramLabel = "PHONE", description = "6-15 digits, optional leading +.")
    String phone;

    @Override
    Optional<? extends JsonNode> read(CacheReader r) {
      return r.sms(phone).map(CacheReader::smsJson);
    }

    @Override
    String notFound() {
      return "no SMS known for phone " + phone;
    }
  }

  /** Prints the answer (0), or {@code notFound} (1), or why the argument is malformed (2). */
  private int answer(Function<CacheReader, Optional<? extends JsonNode>> body, String notFound) {
    PrintWriter out = spec.commandLine().getOut(); // the subcommands share the streams
    PrintWriter err = spec.commandLine().getErr();
    try (RedisClient redis = Redis.client(Endpoints.fromEnv(env), "cache-query")) {
      Optional<? extends JsonNode> json = body.apply(new CacheReader(redis, run.keys()));
      if (json.isEmpty()) {
        err.println(notFound);
        err.flush();
        return 1;
      }
      out.println(json.get().toPrettyString());
      out.flush();
      return 0;
    } catch (CacheReader.BadRequest ex) {
      err.println(ex.getMessage());
      err.flush();
      return 2;
    }
  }
}
