package io.pipeline.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.event.EventType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IngestRequestTest {
  private static IngestRequest.Parsed parse(String json, int maxBatch) {
    return IngestRequest.parse(json.getBytes(StandardCharsets.UTF_8), maxBatch);
  }

  private static final String VIEW =
      "{\"type\":\"video.view\",\"key\":\"v42\",\"payload\":{\"videoId\":\"v42\",\"userId\":\"u1\"}}";

  @Test
  void oneEventGetsAFreshTimeOrderedId() {
    IngestRequest.Parsed p = parse(VIEW, 10);
    assertThat(p.problems()).isEmpty();
    assertThat(p.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.VIDEO_VIEW);
              assertThat(e.id().version()).isEqualTo(7);
            });
  }

  @Test
  void aClientSuppliedIdIsKept() {
    String id = "01a216bc-83aa-7bf2-b549-60c4d082f4ef";
    IngestRequest.Parsed p =
        parse(VIEW.replace("{\"type\"", "{\"id\":\"" + id + "\",\"type\""), 10);
    assertThat(p.events().get(0).id()).hasToString(id);
  }

  @Test
  void eachBadEventIsReportedWithItsIndexAndField() {
    IngestRequest.Parsed p =
        parse(
            "["
                + VIEW
                + ",{\"type\":\"sms.send\",\"key\":\"12\",\"payload\":{\"phone\":\"12\",\"text\":\"x\"}}"
                + ",{\"type\":\"nope\",\"key\":\"k\",\"payload\":{}}"
                + ",{\"type\":\"video.view\",\"payload\":{}}"
                + ",{\"type\":\"video.view\",\"key\":\"v1\",\"payload\":{},\"color\":\"red\"}"
                + ",{\"type\":\"video.view\",\"key\":\""
                + "k".repeat(200)
                + "\",\"payload\":{}}]",
            10);
    assertThat(p.events()).isEmpty();
    assertThat(p.problems())
        .extracting(IngestRequest.Problem::index, IngestRequest.Problem::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "payload.phone"),
            org.assertj.core.groups.Tuple.tuple(2, "type"),
            org.assertj.core.groups.Tuple.tuple(3, "key"),
            org.assertj.core.groups.Tuple.tuple(4, "color"),
            org.assertj.core.groups.Tuple.tuple(5, "key"));
    assertThat(p.problems().get(1).reason()).contains("unknown event type 'nope'");
    assertThat(p.problems().get(4).reason()).contains("longer than 128");
  }

  @Test
  void malformedJsonTooManyEventsAndEmptyArraysAreRejected() {
    assertThat(parse("{\"type\":", 10).problems().get(0).reason()).startsWith("malformed JSON");
    assertThat(parse("[" + VIEW + "," + VIEW + "," + VIEW + "]", 2).problems().get(0).reason())
        .contains("3 events in one request; at most 2");
    assertThat(parse("[]", 2).problems().get(0).reason()).contains("empty array");
    assertThat(parse("42", 2).problems().get(0).field()).isEqualTo("body");
  }
}
