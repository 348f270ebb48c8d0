package io.pipeline.cli.cache;

import io.pipeline.cache.CacheKeys;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Which run's cache {@code serve} and {@code query} read: the workers' --prefix and --dedup-scope.
 */
public final class RunFlags {
  @Option(
      names = "--prefix",
      defaultValue = "",
      scope = ScopeType.INHERIT,
      description =
          "The --prefix the cache workers ran with; it names the Redis namespace (default: none,"
              + " namespace '"
              + CacheKeys.DEFAULT_NAMESPACE
              + "').")
  String prefix;

  @Option(
      names = "--dedup-scope",
      defaultValue = "",
      paramLabel = "QUALIFIER",
      scope = ScopeType.INHERIT,
      description = "The --dedup-scope the cache workers ran with (default: none).")
  String dedupQualifier;

  /** The keys of that run (a bad prefix fails with the fix). */
  public CacheKeys keys() {
    return CacheKeys.forRun(prefix, dedupQualifier);
  }
}
