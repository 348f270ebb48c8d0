package io.pipeline.producer.gen;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Zipf-distributed ranks 1..n: rank k is drawn with probability proportional to {@code 1/k^s}, so a
 * few popular videos get most views. Exponent 0 is uniform. Sampling is a binary search of the
 * precomputed cumulative distribution (n doubles of memory).
 */
public final class Zipf {
  public static final int MAX_N = 10_000_000;
  private final double[] cdf;
  private final double exponent;

  public Zipf(int n, double exponent) {
    if (n < 1 || n > MAX_N) {
      throw new IllegalArgumentException("n must be 1.." + MAX_N + ", got " + n);
    }
    if (!(exponent >= 0) || Double.isInfinite(exponent)) {
      throw new IllegalArgumentException("exponent must be >= 0, got " + exponent);
    }
    this.exponent = exponent;
    this.cdf = new double[n];
    double acc = 0;
    for (int k = 1; k <= n; k++) {
      acc += 1.0 / Math.pow(k, exponent);
      cdf[k - 1] = acc;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= acc;
    }
    cdf[n - 1] = 1.0;
  }

  /** A rank in 1..n. */
  public int next(RandomGenerator random) {
    double u = random.nextDouble();
    int i = Arrays.binarySearch(cdf, u);
    if (i < 0) {
      i = -i - 1;
    }
    return Math.min(i, cdf.length - 1) + 1;
  }

  /** Probability of rank {@code k}. */
  public double probability(int k) {
    return k == 1 ? cdf[0] : cdf[k - 1] - cdf[k - 2];
  }

  public int n() {
    return cdf.length;
  }

  public double exponent() {
    return exponent;
  }
}
