package io.pipeline.producer.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfTest {
  @Test
  void probabilitiesFollowOneOverKToTheS() {
    Zipf z = new Zipf(1000, 1.1);
    double h = 0;
    for (int k = 1; k <= 1000; k++) {
      h += Math.pow(k, -1.1);
    }
    assertThat(z.probability(1)).isCloseTo(1 / h, within(1e-12));
    assertThat(z.probability(10)).isCloseTo(Math.pow(10, -1.1) / h, within(1e-12));
  }

  @Test
  void popularVideosGetMostViews() {
    Zipf z = new Zipf(1000, 1.1);
    SplittableRandom r = new SplittableRandom(3);
    int[] counts = new int[1001];
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      int k = z.next(r);
      assertThat(k).isBetween(1, 1000);
      counts[k]++;
    }
    assertThat(counts[1] / (double) n).isCloseTo(z.probability(1), within(0.005));
    int top10 = 0;
    for (int k = 1; k <= 10; k++) {
      top10 += counts[k];
    }
    // 1% of the videos get about half of the views.
    assertThat(top10 / (double) n).isBetween(0.45, 0.6);
  }

  @Test
  void exponentZeroIsUniform() {
    Zipf z = new Zipf(4, 0);
    assertThat(z.probability(1)).isCloseTo(0.25, within(1e-12));
    assertThat(z.probability(4)).isCloseTo(0.25, within(1e-12));
  }
}
