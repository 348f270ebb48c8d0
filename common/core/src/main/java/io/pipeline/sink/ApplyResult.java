package io.pipeline.sink;

import java.util.Map;

/**
 * What a sink did with a batch.
 *
 * @param applied events whose effect was committed now
 * @param duplicates events skipped because their id was already marked
 * @param skipped events that are not this sink's business (e.g. orders in the cache)
 * @param rejected batch index → reason, for events the sink can never apply (dead-lettered by the
 *     worker after the commit)
 */
public record ApplyResult(int applied, int duplicates, int skipped, Map<Integer, String> rejected) {
  public ApplyResult {
    rejected = Map.copyOf(rejected);
  }

  public static ApplyResult of(int applied, int duplicates, int skipped) {
    return new ApplyResult(applied, duplicates, skipped, Map.of());
  }
}
