package io.pipeline.experiment.whybroker;

import io.pipeline.config.ConfigException;
import io.pipeline.event.EventType;
import io.pipeline.event.Uuid7;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Every request of one path's run, made before it starts: its intended send time on the plan's
 * timeline, its event (an id chosen by the caller, so a resend is the same event), and what
 * happened to it. Written by the client's threads, read once the client has settled.
 */
final class LoadEvents {
  final long[] intendedNanos;
  final int[] phase;
  final UUID[] ids;
  final EventType[] types;
  final String[] keys;
  final String[] bodies;
  final int[] attempts;
  final int[] firstStatus;
  final long[] firstLatencyNanos;
  final long[] acceptedNanos;
  final int[] duplicates;
  final boolean[] rejected;

  private LoadEvents(int n) {
    intendedNanos = new long[n];
    phase = new int[n];
    ids = new UUID[n];
    types = new EventType[n];
    keys = new String[n];
    bodies = new String[n];
    attempts = new int[n];
    firstStatus = new int[n];
    firstLatencyNanos = new long[n];
    acceptedNanos = new long[n];
    duplicates = new int[n];
    rejected = new boolean[n];
  }

  int size() {
    return ids.length;
  }

  /** The plan's requests, each phase at its rate, events drawn from the mix with the seed. */
  static LoadEvents of(WhyBrokerPlan plan) {
    List<WhyBrokerPlan.Phase> phases = plan.phases();
    int n = 0;
    for (WhyBrokerPlan.Phase p : phases) {
      n += (int) p.events();
    }
    LoadEvents l = new LoadEvents(n);
    List<EventType> mix = mix(plan.mix());
    Random rnd = new Random(plan.seed());
    List<String> unpaid = new ArrayList<>();
    int i = 0;
    for (int pi = 0; pi < phases.size(); pi++) {
      WhyBrokerPlan.Phase p = phases.get(pi);
      for (long k = 0; k < p.events(); k++, i++) {
        l.intendedNanos[i] = p.startMs() * 1_000_000L + k * 1_000_000_000L / p.rate();
        l.phase[i] = pi;
        UUID id = Uuid7.next();
        EventType t = mix.get(rnd.nextInt(mix.size()));
        if (t == EventType.ORDER_PAID && unpaid.isEmpty()) {
          t = EventType.ORDER_CREATED;
        }
        String key;
        String payload;
        switch (t) {
          case VIDEO_VIEW -> {
            key = "v" + rnd.nextInt(Math.max(1, plan.videos()));
            payload = "{\"videoId\":\"" + key + "\",\"userId\":\"u" + rnd.nextInt(10_000) + "\"}";
          }
          case SMS_SEND -> {
            key = String.format("+49301%07d", rnd.nextInt(Math.max(1, plan.phones())));
            payload =
                "{\"phone\":\"" + key + "\",\"text\":\"code " + rnd.nextInt(1_000_000) + "\"}";
          }
          case ORDER_CREATED -> {
            key = "o-" + id;
            unpaid.add(key);
            payload = "{\"orderId\":\"" + key + "\",\"amount\":" + (1 + rnd.nextInt(9_999)) + ".5}";
          }
          default -> {
            key = unpaid.remove(unpaid.size() - 1);
            payload = "{\"orderId\":\"" + key + "\",\"amount\":" + (1 + rnd.nextInt(9_999)) + ".5}";
          }
        }
        l.ids[i] = id;
        l.types[i] = t;
        l.keys[i] = key;
        l.bodies[i] =
            "{\"id\":\""
                + id
                + "\",\"type\":\""
                + t.wireName()
                + "\",\"key\":\""
                + key
                + "\",\"payload\":"
                + payload
                + "}";
      }
    }
    return l;
  }

  /** {@code video.view=80,sms.send=10,…} as a list holding each type weight times. */
  static List<EventType> mix(String mix) {
    List<EventType> out = new ArrayList<>();
    for (String part : mix.split(",")) {
      String[] kv = part.trim().split("=");
      EventType t = kv.length == 2 ? EventType.fromWireName(kv[0].trim()).orElse(null) : null;
      int w;
      try {
        w = kv.length == 2 ? Integer.parseInt(kv[1].trim()) : -1;
      } catch (NumberFormatException ex) {
        w = -1;
      }
      if (t == null || w < 0 || w > 1_000) {
        throw new ConfigException(
            "mix", mix, "type=weight pairs, e.g. video.view=80,sms.send=10,order.created=10");
      }
      for (int k = 0; k < w; k++) {
        out.add(t);
      }
    }
    if (out.isEmpty()) {
      throw new ConfigException("mix", mix, "at least one weight above 0");
    }
    return out;
  }
}
