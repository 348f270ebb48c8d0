package io.pipeline.producer.gen;

/**
 * What to generate: everything here is fixed by the flags, so the same spec and seed give the same
 * workload.
 *
 * @param seed seeds types, keys, payloads and duplicate choices
 * @param mix relative weights of event types
 * @param videos distinct video ids ({@code v1..vN}, v1 the most popular)
 * @param zipfExponent skew of video popularity (0 = uniform)
 * @param users distinct user ids for views
 * @param phones distinct phone numbers for SMS
 * @param payloadBytes pad each encoded event to about this many bytes (0 = no padding)
 * @param duplicateRatio fraction of events re-sent with the same message id
 */
public record WorkloadSpec(
    long seed,
    EventMix mix,
    int videos,
    double zipfExponent,
    int users,
    int phones,
    int payloadBytes,
    double duplicateRatio) {}
